/** Pinterest catalog feed: channels.md §3. Written as TSV by default (header names exactly as listed). */
import { PINTEREST_SPEC, type PinterestSpec } from "../specs";
import type { ChannelAdapter, FlatRecord } from "../types";
import { createFlatAdapter } from "./flat";

const PATH_SEPARATOR = /\s*>\s*/g;

/** Pinterest requires spaces around ">" in product_type ("Home > Kitchen > Mugs"). */
function extendPinterest(_item: unknown, fields: FlatRecord): void {
  const productType = fields.product_type;
  if (typeof productType === "string" && productType.includes(">")) fields.product_type = productType.replace(PATH_SEPARATOR, " > ");
}

export function createPinterestAdapter(spec: PinterestSpec = PINTEREST_SPEC): ChannelAdapter {
  return createFlatAdapter({
    spec,
    label: "Pinterest",
    formats: ["tsv", "csv", "xml"],
    titleIncludesVariant: true,
    extend: extendPinterest,
  });
}

export const PINTEREST_ADAPTER: ChannelAdapter = createPinterestAdapter();
