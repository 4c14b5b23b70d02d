/**
 * Links for posts, one per channel: the product (or one variant, `?variant=`) on the storefront,
 * tagged with UTM parameters so the shop's analytics credit the post. Pure: the storefront URL and
 * the handle come from the catalog.
 *
 *   https://shop.example/products/linen-shirt?variant=4501&utm_source=tiktok&utm_medium=social
 *     &utm_campaign=spring-drop&utm_content=linen-shirt-4501
 */
import { numericId } from "../channels/id-scheme";
import type { ChannelId } from "../channels/types";

/** utm_source and utm_medium per channel: where the visit comes from and how it was paid for. */
export const CHANNEL_UTM: Record<ChannelId, { source: string; medium: string }> = {
  meta: { source: "meta", medium: "social" },
  tiktok: { source: "tiktok", medium: "social" },
  "tiktok-ads": { source: "tiktok", medium: "paid_social" },
  pinterest: { source: "pinterest", medium: "social" },
  google: { source: "google", medium: "shopping" },
};

export interface UtmLinkInput {
  /** "https://shop.example" (a trailing slash is fine). */
  storefrontUrl: string;
  handle: string;
  /** A variant GID or numeric id: the link selects that variant. */
  variantId?: string | null;
  /** The campaign's id: utm_campaign. */
  campaignId: string;
  channels: readonly ChannelId[];
}

export interface UtmLink {
  channel: ChannelId;
  url: string;
}

export function buildUtmLinks(input: UtmLinkInput): UtmLink[] {
  const base = input.storefrontUrl.replace(/\/+$/, "");
  const variant = input.variantId ? numericId(input.variantId) : null;
  const content = variant ? `${input.handle}-${variant}` : input.handle;
  const seen = new Set<string>();
  const links: UtmLink[] = [];
  for (const channel of input.channels) {
    if (seen.has(channel)) continue;
    seen.add(channel);
    const url = new URL(`${base}/products/${encodeURIComponent(input.handle)}`);
    if (variant) url.searchParams.set("variant", variant);
    url.searchParams.set("utm_source", CHANNEL_UTM[channel].source);
    url.searchParams.set("utm_medium", CHANNEL_UTM[channel].medium);
    url.searchParams.set("utm_campaign", input.campaignId);
    url.searchParams.set("utm_content", content);
    links.push({ channel, url: url.toString() });
  }
  return links;
}
