/** Readiness for marketers (issue 6): "can this product be promoted on channel X?", and links for posts. */
export * from "./types";
export { evaluateReadiness, READINESS_CODES } from "./evaluate-readiness";
export { buildUtmLinks, CHANNEL_UTM, type UtmLink, type UtmLinkInput } from "./utm-links";
