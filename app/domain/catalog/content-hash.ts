import { createHash } from "node:crypto";
import type { Product } from "./types";

/**
 * JSON with object keys sorted at every level, so equal data always serialises to equal text
 * whatever order its fields were built in.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(",")}}`;
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
