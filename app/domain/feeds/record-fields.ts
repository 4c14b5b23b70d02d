/** Helpers the flat-feed serializers (CSV, TSV, XML) share for reading a ChannelRecord's fields. */
import type { ChannelRecord } from "../channels/types";

/** Rejects column lists that would produce a feed a channel cannot read (no columns, or a column twice). */
export function assertUsableColumns(columns: readonly string[]): void {
  if (columns.length === 0) throw new TypeError("A flat feed needs at least one column.");
  const seen = new Set<string>();
  for (const column of columns) {
    if (seen.has(column)) throw new TypeError(`Column ${JSON.stringify(column)} appears twice in the feed's columns.`);
    seen.add(column);
  }
}

/**
 * The value a flat record holds for a column, or undefined when it has none. Own properties only,
 * so a column named like an Object.prototype member ("constructor") is not filled from the prototype.
 */
export function ownFieldValue(fields: ChannelRecord["fields"], column: string): unknown {
  const value = (fields as Record<string, unknown>)[column];
  if (typeof value === "string") return value; // fast path: Object.prototype has no string members
  return Object.hasOwn(fields, column) ? value : undefined;
}

/**
 * Flat feeds carry strings and string lists (FeedValue); numbers and booleans are tolerated as their
 * text. Anything else is an adapter bug, reported instead of being written as "[object Object]".
 */
export function scalarText(value: unknown, column: string, recordKey: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  throw new TypeError(
    `Record ${JSON.stringify(recordKey)} has a non-text value in column ${JSON.stringify(column)}; flat feeds take strings or lists of strings.`,
  );
}
