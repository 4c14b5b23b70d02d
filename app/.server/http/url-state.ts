import { z } from "zod";

/**
 * Field schemas for list pages whose URL is their whole state (Products, Feed issues): a filtered
 * view is a link a merchant can share, and URLs are typed by hand into address bars, so nothing in
 * them is an error. Unknown values are dropped, oversized ones ignored, a bad page number means 1.
 */

/** Enough for any real filter; a longer list in a URL is not something a person clicked. */
export const MAX_VALUES_PER_FILTER = 100;
const MAX_VALUE_LENGTH = 255;
const MAX_SEARCH_LENGTH = 200;

/** Repeated URL params (`?vendor=A&vendor=B`), de-duplicated; empty and oversized values dropped. */
export const urlValueList = z
  .array(z.string())
  .transform((values) => [...new Set(values.map((v) => v.trim()).filter((v) => v.length > 0 && v.length <= MAX_VALUE_LENGTH))].slice(0, MAX_VALUES_PER_FILTER));

/** A list filter whose values come from a fixed set: values outside it are ignored, not an error. */
export function urlEnumList<const T extends readonly string[]>(allowed: T) {
  const known = new Set<string>(allowed);
  return urlValueList.transform((values) => values.filter((v): v is T[number] => known.has(v)));
}

/** The search box's text: trimmed, cut to a length a person types, "" when absent. */
export const urlSearchText = z
  .string()
  .nullable()
  .transform((q) => (q ?? "").trim().slice(0, MAX_SEARCH_LENGTH));

/** A 1-based page number; anything else is page 1. */
export const urlPageNumber = z.coerce.number().int().min(1).max(1_000_000).catch(1);
