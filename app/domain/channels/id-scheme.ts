/**
 * Catalog ids: one scheme per shop, shared by every channel (and, with issue 7, the pixels' content
 * ids), so an item keeps its id and its history wherever it is listed. Ids are deterministic (same
 * catalog, same ids) and never contain commas or line breaks, which would split CSV lists and rows.
 */
import type { Variant } from "../catalog/types";
import type { IdScheme, IdSchemeName } from "./types";

/** "gid://shopify/ProductVariant/45100000000123" → "45100000000123"; a bare id passes through. */
export function numericId(gid: string): string {
  const slash = gid.lastIndexOf("/");
  const tail = slash >= 0 ? gid.slice(slash + 1) : gid;
  const query = tail.indexOf("?");
  return query >= 0 ? tail.slice(0, query) : tail;
}

/**
 * Whether a SKU can serve as an id as it is: no commas (they split CSV lists and Meta's
 * additional_variant_attribute), no line breaks, tabs or other control characters.
 */
export function isIdSafe(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code === 44 /* , */ || code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) return false;
  }
  return value.length > 0;
}

/** The variant's SKU when it can be an id, else its numeric variant id (blank or unsafe SKUs). */
function skuOrVariantId(variant: Variant): string {
  const sku = variant.sku?.trim() ?? "";
  return sku !== "" && isIdSafe(sku) ? sku : numericId(variant.id);
}

/**
 * Product ids and variant ids come from different Shopify sequences, so they do not collide in
 * practice; the channel checks still verify that no group id equals an item id.
 */
const SCHEMES: Record<IdSchemeName, Omit<IdScheme, "name">> = {
  "variant-id": {
    itemId: (_product, variant) => numericId(variant.id),
    groupId: (product) => numericId(product.id),
  },
  sku: {
    itemId: (_product, variant) => skuOrVariantId(variant),
    groupId: (product) => numericId(product.id),
  },
  "shopify-channel": {
    itemId: (product, variant, market) => `shopify_${market.code}_${numericId(product.id)}_${numericId(variant.id)}`,
    groupId: (product, market) => `shopify_${market.code}_${numericId(product.id)}`,
  },
};

export function createIdScheme(name: IdSchemeName): IdScheme {
  const scheme = SCHEMES[name];
  if (!scheme) throw new RangeError(`unknown id scheme ${JSON.stringify(name)}`);
  return { name, itemId: scheme.itemId, groupId: scheme.groupId };
}
