import type { Gid } from "./types";

/**
 * Shopify global ids: `gid://shopify/<Type>/<id>`, sometimes with a query string
 * (`gid://shopify/InventoryLevel/1?inventory_item_id=2`). Every input shape is turned into these,
 * so the catalog never mixes REST numeric ids with GraphQL ids.
 */
const GID_PATTERN = /^gid:\/\/shopify\/([A-Za-z][A-Za-z0-9]*)\/([^/?\s]+)(\?\S*)?$/;

export function toGid(type: string, id: number | string): Gid {
  return `gid://shopify/${type}/${id}`;
}

/** The object type named in a GID ("Product", "ProductVariant", ...), or null for a non-GID. */
export function gidType(value: string): string | null {
  return GID_PATTERN.exec(value)?.[1] ?? null;
}

export function isGid(value: string): boolean {
  return GID_PATTERN.test(value);
}
