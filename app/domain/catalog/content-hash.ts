import { createHash } from "node:crypto";
import type { Product } from "./types";

/** Object keys already quoted as JSON (the catalog uses a few dozen; bounded for arbitrary JSON metafields). */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, quoted);
  }
  return quoted;
}

/**
 * JSON with object keys sorted at every level, so equal data always serialises to equal text
 * whatever order its fields were built in. A full sync hashes every product with it, so it avoids
 * the intermediate arrays a map/filter/sort/join version allocates (twice as fast, same text: stored
 * content hashes stay valid). Keys are sorted by UTF-16 code units, as `<` compares strings.
 */
export function stableStringify(value: unknown): string {
  if (typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value === null) return "null";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    let out = `[${stableStringify(value[0])}`;
    for (let i = 1; i < value.length; i++) out += `,${stableStringify(value[i])}`;
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  // Insertion sort: objects have a handful of keys, where it beats Array.prototype.sort's comparator calls.
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j -= 1;
    }
    keys[j + 1] = key;
  }
  let out = "{";
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${out.length === 1 ? "" : ","}${quoteKey(key)}:${stableStringify(item)}`;
  }
  return `${out}}`;
}

const hashes = new WeakMap<Product, string>();

/**
 * SHA-256 of a normalised product: two snapshots hold the same product exactly when these match.
 * Remembered per product object (products are treated as immutable), since a sync needs it twice.
 */
export function hashProduct(product: Product): string {
  let hash = hashes.get(product);
  if (hash === undefined) {
    hash = createHash("sha256").update(stableStringify(product)).digest("hex");
    hashes.set(product, hash);
  }
  return hash;
}

/**
 * One hash for a whole catalog from its products' (id, hash) pairs, independent of order:
 * "the snapshot equals the source" is one comparison.
 */
export function hashCatalog(entries: Iterable<{ id: string; contentHash: string }>): string {
  const sorted = [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const hash = createHash("sha256");
  for (const entry of sorted) hash.update(`${entry.id}\t${entry.contentHash}\n`);
  return hash.digest("hex");
}
