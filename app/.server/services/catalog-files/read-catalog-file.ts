import { createReadStream } from "node:fs";
import { open, readFile, stat } from "node:fs/promises";
import { BulkJsonlError, createBulkCatalogAssembler, parseBulkLine, type BulkProblem } from "~/domain/catalog/bulk-jsonl";
import { BulkNotGroupedError, createBulkGroupingCheck, createStreamingBulkAssembler, type BulkLineIdentity } from "~/domain/catalog/bulk-stream";
import { normalizeRestProduct } from "~/domain/catalog/rest-product";
import { parseShopifyProductCsv, ShopifyCsvError } from "~/domain/catalog/shopify-csv";
import type { Product } from "~/domain/catalog/types";

/**
 * Reads a catalog file for the `feed` and `validate` commands (and the feed benchmark), whatever shape
 * it has, into catalog Products:
 *
 * - bulk-jsonl: Shopify bulk-operation output (bulk-jsonl.ts). When every product's lines come
 *   together (one combined export; the demo generator with `relations: "inline"`), products stream one
 *   at a time and memory stays flat however big the file. When they do not (the two bulk downloads
 *   concatenated, the generator's default layout), the file is read whole instead, holding every line
 *   until the end. Which one applies is only known after the last line, and a product must never be
 *   handed out before all its lines are in, so bulk JSONL is read twice: a quick first pass looks at
 *   the lines' ids only (createBulkGroupingCheck, reading ids straight from the bytes), then the real
 *   pass streams or reads whole. The first pass costs a fraction of the second.
 * - products-json: `{"products": [...]}`, the Admin REST / webhook product shape (rest-product.ts).
 * - shopify-csv: Shopify's product CSV (shopify-csv.ts).
 *
 * The format is told by the content, never the file name. A file that cannot be read (missing, not
 * one of these formats, a broken line) raises CatalogFileError naming the file and the reason; the CLI
 * prints it and exits 2. Problems that only affect part of the catalog (a product that fails to
 * normalise, a metafield with a bad value) are collected and the rest is still read.
 */

export type CatalogFileFormat = "bulk-jsonl" | "products-json" | "shopify-csv";

export interface CatalogFileProblem {
  /** 1-based line of the file (bulk JSONL, CSV), or null (products JSON: the message names the product). */
  line: number | null;
  /** Says where and what: "line 12: ..." or "products[3] (linen-shirt): ...". */
  message: string;
}

export interface CatalogReadProgress {
  /** "checking": the first pass over bulk JSONL (ids only); "reading": building products. */
  phase: "checking" | "reading";
  linesRead: number;
  bytesRead: number;
  totalBytes: number;
}

export interface ReadCatalogFileOptions {
  /** The shop's currency: for `money` metafields written without one. */
  shopCurrency?: string;
  /** Called after each chunk (about 1 MB) of a line-by-line read; throttle before printing. */
  onProgress?: (progress: CatalogReadProgress) => void;
  /** Called once when bulk JSONL is not grouped by product and is read whole instead. */
  onNotice?: (message: string) => void;
}

/** How bulk JSONL was assembled: one product at a time, or every line held until the end. */
export type BulkAssembly = "streaming" | "whole-file";

export interface CatalogFile {
  path: string;
  format: CatalogFileFormat;
  /** Products in file order. Iterate once; throws CatalogFileError if the file turns out unreadable midway. */
  products: AsyncIterable<Product>;
  /** Problems found so far: complete once `products` is exhausted. */
  problems(): CatalogFileProblem[];
  /** For bulk JSONL, once reading has begun: whether it streamed or was read whole. Otherwise null. */
  assembly(): BulkAssembly | null;
}

/** The file cannot be read as a catalog at all. `message` is "<path>: <reason>". */
export class CatalogFileError extends Error {
  readonly path: string;
  readonly reason: string;

  constructor(path: string, reason: string, options?: { cause?: unknown }) {
    super(`${path}: ${reason}`, options);
    this.name = "CatalogFileError";
    this.path = path;
    this.reason = reason;
  }
}

const CHUNK_BYTES = 1 << 20;
/** Enough to see past a long first JSONL line (a product with a big description). */
const HEAD_BYTES = 1 << 20;
const NEWLINE = 0x0a;
const UTF8_BOM = "\uFEFF";
const CSV_HANDLE_HEADERS = new Set(["handle", "url handle"]);

// ---------------------------------------------------------------------------------------------
// Opening and telling the format

const FS_REASONS: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EISDIR: "is a directory, not a file",
};

function fsError(path: string, error: unknown): CatalogFileError {
  const code = (error as NodeJS.ErrnoException).code;
  return new CatalogFileError(path, (code && FS_REASONS[code]) ?? `cannot be read (${(error as Error).message})`, { cause: error });
}

async function readHead(path: string): Promise<{ head: string; size: number }> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error("directory"), { code: "EISDIR" });
    const handle = await open(path, "r");
    try {
      const length = Math.min(HEAD_BYTES, info.size);
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
      return { head: buffer.subarray(0, bytesRead).toString("utf8"), size: info.size };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw fsError(path, error);
  }
}

/** Splits one CSV header line into trimmed, unquoted names (enough to recognise the header). */
function csvHeaderNames(line: string): string[] {
  return line.split(",").map((name) => name.trim().replace(/^"|"$/g, "").trim().toLowerCase());
}

/** The format from the first bytes of the file; throws CatalogFileError when it is none of them. */
export function detectCatalogFormat(path: string, head: string): CatalogFileFormat {
  const text = (head.startsWith(UTF8_BOM) ? head.slice(1) : head).trimStart();
  if (text === "") throw new CatalogFileError(path, "the file is empty");
  if (text.startsWith("\u001f\u008b") || text.startsWith("\u001f\uFFFD")) throw new CatalogFileError(path, "the file is gzip-compressed; unzip it first");
  if (text.startsWith("{")) {
    if (/^\{\s*"products"\s*:/.test(text)) return "products-json";
    const newline = text.indexOf("\n");
    const firstLine = (newline === -1 ? text : text.slice(0, newline)).trim();
    // A JSON document spread over several lines starts with a lone brace; JSONL never does.
    if (firstLine === "{") return "products-json";
    try {
      const first = JSON.parse(firstLine) as Record<string, unknown>;
      return Array.isArray(first.products) ? "products-json" : "bulk-jsonl";
    } catch {
      // A whole line that is broken: bulk reading names the line and what is wrong. A line cut off by
      // the head (over 1 MB): Shopify writes bulk lines id first, so anything else is one JSON document.
      return newline !== -1 || /^\{\s*"id"\s*:/.test(firstLine) ? "bulk-jsonl" : "products-json";
    }
  }
  const newline = text.indexOf("\n");
  const firstLine = newline === -1 ? text : text.slice(0, newline);
  if (csvHeaderNames(firstLine).some((name) => CSV_HANDLE_HEADERS.has(name))) return "shopify-csv";
  throw new CatalogFileError(
    path,
    "not a catalog file: expected Shopify bulk-operation JSONL, a products JSON export ({\"products\": [...]}) or Shopify's product CSV (a header row with Handle)",
  );
}

// ---------------------------------------------------------------------------------------------
// Reading lines straight from bytes: no decoding of lines the first pass does not need

interface LineChunk {
  /** Whole lines only (a line never straddles two chunks). */
  data: Buffer;
  bytesRead: number;
}

async function* lineChunks(path: string): AsyncGenerator<LineChunk> {
  /** The unfinished last line of the previous chunk. */
  let carry: Buffer | null = null;
  let bytesRead = 0;
  let first = true;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      let data = chunk;
      if (first && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) data = data.subarray(3);
      first = false;
      const firstNewline = data.indexOf(NEWLINE);
      if (firstNewline === -1) {
        carry = carry ? Buffer.concat([carry, data]) : data;
        continue;
      }
      // Only the line that straddles the chunks is copied; the rest is handed out in place.
      if (carry) yield { data: Buffer.concat([carry, data.subarray(0, firstNewline + 1)]), bytesRead };
      const rest: Buffer = carry ? data.subarray(firstNewline + 1) : data;
      const lastNewline: number = rest.lastIndexOf(NEWLINE);
      carry = lastNewline + 1 < rest.length ? rest.subarray(lastNewline + 1) : null;
      if (lastNewline !== -1) yield { data: rest.subarray(0, lastNewline + 1), bytesRead };
    }
  } catch (error) {
    throw fsError(path, error);
  }
  if (carry && carry.length > 0) yield { data: carry, bytesRead };
}

/** Calls `onLine(data, start, end, lineNumber)` for every line of every chunk; `end` excludes the newline. */
function forEachLine(chunk: Buffer, firstLineNumber: number, onLine: (data: Buffer, start: number, end: number, lineNumber: number) => void): number {
  let lineNumber = firstLineNumber;
  let start = 0;
  while (start < chunk.length) {
    const newline = chunk.indexOf(NEWLINE, start);
    const end = newline === -1 ? chunk.length : newline;
    lineNumber += 1;
    onLine(chunk, start, end, lineNumber);
    start = end + 1;
  }
  return lineNumber;
}

const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;
const ID_PREFIX = Buffer.from('{"id":"gid://shopify/');
const ID_VALUE_OFFSET = '{"id":"'.length;
const GID_PREFIX_LENGTH = "gid://shopify/".length;
const PARENT_MEMBER = Buffer.from(',"__parentId":"');
const PARENT_KEY = Buffer.from("__parentId");

function isBlankByte(byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a;
}

function bytesMatch(data: Buffer, at: number, pattern: Buffer): boolean {
  if (at < 0 || at + pattern.length > data.length) return false;
  for (let k = 0; k < pattern.length; k += 1) if (data[at + k] !== pattern[k]) return false;
  return true;
}

/**
 * The id and __parentId of a bulk line as Shopify writes it (`{"id":"gid://...",...,"__parentId":"gid://..."}`:
 * id first, parent last, compact), read from the bytes without parsing the line. Null when the line
 * is not in that exact form (escapes, other key order, spaces): the caller parses it instead, so the
 * answer is always the one JSON.parse would give for valid JSON. Native searches and string checks
 * only: this runs for every line of files with millions of them.
 */
function identityFromBytes(data: Buffer, start: number, end: number): BulkLineIdentity | null {
  // Not ending in a brace (a file cut off mid-line) goes to JSON.parse, so the first pass reports it.
  if (data[end - 1] !== CLOSE_BRACE || !bytesMatch(data, start, ID_PREFIX)) return null;
  const idStart = start + ID_VALUE_OFFSET;
  const idEnd = data.indexOf(QUOTE, idStart);
  if (idEnd === -1 || idEnd >= end) return null;
  const id = data.toString("utf8", idStart, idEnd);
  const kindEnd = id.indexOf("/", GID_PREFIX_LENGTH);
  if (kindEnd <= GID_PREFIX_LENGTH || id.includes("\\")) return null;
  const kind = id.slice(GID_PREFIX_LENGTH, kindEnd);
  if (data[end - 2] === QUOTE) {
    // The last member is a string; it is the parent when its key is __parentId.
    const open = data.lastIndexOf(QUOTE, end - 3);
    if (open > idEnd && bytesMatch(data, open - PARENT_MEMBER.length + 1, PARENT_MEMBER)) {
      const parentId = data.toString("utf8", open + 1, end - 2);
      return parentId.includes("\\") ? null : { id, kind, parentId };
    }
  }
  return data.subarray(start, end).includes(PARENT_KEY) ? null : { id, kind, parentId: null };
}

function lineIdentity(data: Buffer, start: number, end: number, lineNumber: number): BulkLineIdentity | null {
  let first = start;
  let last = end;
  while (first < last && isBlankByte(data[first])) first += 1;
  while (last > first && isBlankByte(data[last - 1])) last -= 1;
  if (first === last) return null;
  const fast = identityFromBytes(data, first, last);
  if (fast) return fast;
  const { id, kind, parentId } = parseBulkLine(data.toString("utf8", first, last), lineNumber);
  return { id, kind, parentId };
}

// ---------------------------------------------------------------------------------------------
// Bulk JSONL

interface BulkReadContext {
  path: string;
  size: number;
  options: ReadCatalogFileOptions;
  problems: CatalogFileProblem[];
  assembly: BulkAssembly | null;
}

function report(ctx: BulkReadContext, phase: CatalogReadProgress["phase"], linesRead: number, bytesRead: number): void {
  ctx.options.onProgress?.({ phase, linesRead, bytesRead, totalBytes: ctx.size });
}

function bulkProblem(problem: BulkProblem): CatalogFileProblem {
  return { line: problem.lineNumber, message: `line ${problem.lineNumber}: ${problem.message}` };
}

function unreadableLine(ctx: BulkReadContext, error: unknown): unknown {
  return error instanceof BulkJsonlError ? new CatalogFileError(ctx.path, `not Shopify bulk JSONL: ${error.message}`, { cause: error }) : error;
}

/** First pass: null when the lines are grouped by product, else what gave it away. */
async function findGroupingBreak(ctx: BulkReadContext): Promise<BulkNotGroupedError | null> {
  const check = createBulkGroupingCheck();
  let lineNumber = 0;
  try {
    for await (const { data, bytesRead } of lineChunks(ctx.path)) {
      lineNumber = forEachLine(data, lineNumber, (chunk, start, end, n) => {
        const identity = lineIdentity(chunk, start, end, n);
        if (identity) check.push(identity, n);
      });
      report(ctx, "checking", lineNumber, bytesRead);
    }
    check.finish();
    return null;
  } catch (error) {
    if (error instanceof BulkNotGroupedError) return error;
    throw unreadableLine(ctx, error);
  }
}

async function* streamGroupedBulk(ctx: BulkReadContext): AsyncGenerator<Product> {
  const assembler = createStreamingBulkAssembler({ shopCurrency: ctx.options.shopCurrency });
  let lineNumber = 0;
  try {
    for await (const { data, bytesRead } of lineChunks(ctx.path)) {
      // Each product is handed out as soon as it completes: held for a whole chunk, products would
      // outlive young-generation collections and pile up in the old generation.
      for (let start = 0; start < data.length; ) {
        const newline = data.indexOf(NEWLINE, start);
        const end = newline === -1 ? data.length : newline;
        lineNumber += 1;
        const completed = assembler.push(data.toString("utf8", start, end), lineNumber);
        start = end + 1;
        for (const product of completed) yield product;
      }
      report(ctx, "reading", lineNumber, bytesRead);
    }
    const rest = assembler.finish();
    ctx.problems.push(...rest.problems.map(bulkProblem));
    yield* rest.products;
  } catch (error) {
    // The first pass applies the same rules, so this means the file changed between the passes.
    if (error instanceof BulkNotGroupedError) throw new CatalogFileError(ctx.path, `changed while it was being read (${error.message})`, { cause: error });
    throw unreadableLine(ctx, error);
  }
}

async function* readWholeBulk(ctx: BulkReadContext): AsyncGenerator<Product> {
  const assembler = createBulkCatalogAssembler({ shopCurrency: ctx.options.shopCurrency });
  let lineNumber = 0;
  try {
    for await (const { data, bytesRead } of lineChunks(ctx.path)) {
      lineNumber = forEachLine(data, lineNumber, (chunk, start, end, n) => assembler.push(chunk.toString("utf8", start, end), n));
      report(ctx, "reading", lineNumber, bytesRead);
    }
  } catch (error) {
    throw unreadableLine(ctx, error);
  }
  const { products, problems } = assembler.finish();
  ctx.problems.push(...problems.map(bulkProblem));
  yield* products;
}

async function* readBulk(ctx: BulkReadContext): AsyncGenerator<Product> {
  const groupingBreak = await findGroupingBreak(ctx);
  if (groupingBreak === null) {
    ctx.assembly = "streaming";
    yield* streamGroupedBulk(ctx);
    return;
  }
  ctx.assembly = "whole-file";
  ctx.options.onNotice?.(
    `${ctx.path} is not grouped by product (line ${groupingBreak.lineNumber}: ${groupingBreak.reason}), so it is read whole: memory grows with the catalog`,
  );
  yield* readWholeBulk(ctx);
}

// ---------------------------------------------------------------------------------------------
// Products JSON and Shopify CSV: read whole (they hold no more than the products they describe)

async function readText(path: string): Promise<string> {
  try {
    const text = await readFile(path, "utf8");
    return text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  } catch (error) {
    throw fsError(path, error);
  }
}

function productLabel(item: unknown, index: number): string {
  const handle = typeof item === "object" && item !== null ? (item as { handle?: unknown }).handle : undefined;
  return `products[${index}]${typeof handle === "string" ? ` (${handle})` : ""}`;
}

async function* readProductsJson(path: string, options: ReadCatalogFileOptions, problems: CatalogFileProblem[], size: number): AsyncGenerator<Product> {
  let document: unknown;
  try {
    document = JSON.parse(await readText(path));
  } catch (error) {
    if (error instanceof CatalogFileError) throw error;
    throw new CatalogFileError(path, `not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const items = typeof document === "object" && document !== null ? (document as { products?: unknown }).products : undefined;
  if (!Array.isArray(items)) throw new CatalogFileError(path, 'expected a JSON object with a "products" array');
  options.onProgress?.({ phase: "reading", linesRead: 0, bytesRead: size, totalBytes: size });
  for (const [index, item] of items.entries()) {
    const result = normalizeRestProduct(item, options.shopCurrency);
    const label = productLabel(item, index);
    if (!result.ok) {
      problems.push(...result.problems.map((problem) => ({ line: null, message: `${label}: ${problem}` })));
      continue;
    }
    problems.push(...result.warnings.map((warning) => ({ line: null, message: `${label}: ${warning}` })));
    yield result.product;
  }
}

async function* readShopifyCsv(path: string, options: ReadCatalogFileOptions, problems: CatalogFileProblem[], size: number): AsyncGenerator<Product> {
  const text = await readText(path);
  let parsed: ReturnType<typeof parseShopifyProductCsv>;
  try {
    parsed = parseShopifyProductCsv(text, { shopCurrency: options.shopCurrency });
  } catch (error) {
    if (error instanceof ShopifyCsvError) throw new CatalogFileError(path, `not a readable Shopify product CSV: ${error.message}`, { cause: error });
    throw error;
  }
  options.onProgress?.({ phase: "reading", linesRead: 0, bytesRead: size, totalBytes: size });
  problems.push(...parsed.problems.map((problem) => ({ line: problem.line, message: `line ${problem.line}: ${problem.message}` })));
  yield* parsed.products;
}

// ---------------------------------------------------------------------------------------------

/**
 * Opens a catalog file and tells its format; products are read as `products` is iterated. Throws
 * CatalogFileError at once when the file is missing, empty or of no known format.
 */
export async function readCatalogFile(path: string, options: ReadCatalogFileOptions = {}): Promise<CatalogFile> {
  const { head, size } = await readHead(path);
  const format = detectCatalogFormat(path, head);
  const problems: CatalogFileProblem[] = [];
  const bulk: BulkReadContext = { path, size, options, problems, assembly: null };
  const products =
    format === "bulk-jsonl" ? readBulk(bulk) : format === "products-json" ? readProductsJson(path, options, problems, size) : readShopifyCsv(path, options, problems, size);
  return {
    path,
    format,
    products,
    problems: () => [...problems],
    assembly: () => bulk.assembly,
  };
}
