import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { CATALOG_BULK_QUERIES } from "~/domain/catalog/bulk-query";

/**
 * Where a full sync's JSONL comes from: Shopify's bulk-operation downloads (two queries, see
 * bulk-query.ts), or a local file in the same shape (the demo's seeded catalog, a support export).
 */
export type SyncSource = { kind: "shopify-bulk" } | { kind: "file"; path: string };

export function describeSource(source: SyncSource): string {
  return source.kind === "file" ? `file:${source.path}` : "shopify-bulk";
}

export function parseSource(value: string | null): SyncSource {
  if (value?.startsWith("file:")) return { kind: "file", path: value.slice("file:".length) };
  return { kind: "shopify-bulk" };
}

/** How many JSONL files the source delivers, in order. */
export function fileCount(source: SyncSource): number {
  return source.kind === "file" ? 1 : CATALOG_BULK_QUERIES.length;
}

export function readFileLines(path: string): AsyncIterable<string> {
  return createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
}

/** Streams a bulk-operation result line by line: the file can be gigabytes, it is never held whole. */
export async function downloadLines(url: string, fetchImpl: typeof fetch = fetch): Promise<AsyncIterable<string>> {
  const response = await fetchImpl(url, { signal: AbortSignal.timeout(10 * 60_000) });
  if (!response.ok || !response.body) throw new Error(`bulk result download failed: HTTP ${response.status}`);
  const stream = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  return createInterface({ input: stream.setEncoding("utf8"), crlfDelay: Infinity });
}
