/**
 * Meta catalog Batch API (`POST /{catalog_id}/items_batch`), the pure part: building requests from
 * the Meta feed records, cutting them into calls Meta accepts, reading Meta's verdicts into
 * Diagnostics and classifying Graph API errors. channels.md §1.7, shopify-platform.md §A3 (Meta) and
 * the wire contract (docs: /tmp/brief/wire.md, "Meta") are the sources.
 *
 * The HTTP side lives in app/.server/channels/meta (client, publisher).
 */
import { z } from "zod";
import type { Gid } from "../catalog/types";
import { META_SPEC } from "../channels/specs";
import { truncateAtWord } from "../channels/text";
import type { Diagnostic, FixTarget, Severity } from "../channels/types";

// ---------------------------------------------------------------------------------------------
// Requests

/** Shelfcast always upserts (UPDATE with allow_upsert creates a missing item), so CREATE is never sent. */
export type MetaBatchMethod = "UPDATE" | "DELETE";

/** One entry of `requests[]`: feed field names, the retailer id in `data.id`. */
export interface MetaBatchRequest {
  method: MetaBatchMethod;
  data: { id: string } & Record<string, unknown>;
}

/** The part of a due outbox row a request is built from (DueItem in app/.server/channels/publisher.ts). */
export interface MetaBatchSource {
  key: string;
  /** null: the item should no longer exist on Meta. */
  desired: { payload: Record<string, unknown> } | null;
}

/** Fields the Graph API takes as integers; the feed record holds them as strings ("12"). */
export const META_INTEGER_FIELDS: ReadonlySet<string> = new Set(["quantity_to_sell_on_facebook", "inventory"]);
/** Fields the Batch API takes as arrays (the CSV feed joins them with commas). */
export const META_ARRAY_FIELDS: ReadonlySet<string> = new Set(["additional_image_link"]);

const INTEGER_TEXT = /^-?\d+$/;

/**
 * The request that makes Meta hold `item.desired`: an UPDATE (with allow_upsert on the call it also
 * creates), or a DELETE carrying only the id when nothing is desired. The feed uses "" for an absent
 * value; the API gets the field left out instead. `data.id` is always the outbox key, whatever the
 * payload says.
 */
export function metaBatchRequest(item: MetaBatchSource): MetaBatchRequest {
  if (item.desired === null) return { method: "DELETE", data: { id: item.key } };
  const data: MetaBatchRequest["data"] = { id: item.key };
  for (const [field, value] of Object.entries(item.desired.payload)) {
    if (field === "id") continue;
    const converted = apiValue(field, value);
    if (converted !== undefined) data[field] = converted;
  }
  return { method: "UPDATE", data };
}

function apiValue(field: string, value: unknown): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value === "string") {
    if (value.trim() === "") return undefined;
    if (META_ARRAY_FIELDS.has(field)) return [value];
    if (META_INTEGER_FIELDS.has(field) && INTEGER_TEXT.test(value.trim())) return Number.parseInt(value.trim(), 10);
    // A non-integer quantity is sent as it is: Meta names the field in its answer, which beats guessing a number.
    return value;
  }
  if (Array.isArray(value)) {
    const kept = value.filter((entry) => !(entry === null || entry === undefined || (typeof entry === "string" && entry.trim() === "")));
    return kept.length === 0 ? undefined : kept;
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Chunking

/** Meta's ceiling on `requests[]` per call (channels.md §1.7). */
export const META_MAX_REQUESTS_PER_CALL = 5_000;
/** Meta's ceiling on the body of one call: 28 MB, counted as 28 × 1024 × 1024 bytes (wire contract). */
export const META_MAX_BODY_BYTES = 28 * 1024 * 1024;
/**
 * Room left for the envelope around `requests` (access_token, item_type, allow_upsert and the JSON
 * punctuation) and for Meta counting a megabyte a little differently than we do.
 */
export const META_BODY_MARGIN_BYTES = 512 * 1024;

export interface MetaBatchChunk {
  requests: MetaBatchRequest[];
  /** JSON size of `requests` as an array, in bytes. */
  bytes: number;
  /** A single request bigger than the byte limit: never sent; the item is dead ("larger than Meta accepts"). */
  oversize: boolean;
}

export interface ChunkOptions {
  maxRequests?: number;
  /** Byte budget for the `requests` array of one call. */
  maxBytes?: number;
}

/**
 * Cuts requests, in order, into calls of at most `maxRequests` requests whose `requests` array
 * serialises to at most `maxBytes` bytes (UTF-8). A request that alone exceeds `maxBytes` becomes a
 * chunk of its own flagged `oversize`.
 */
export function chunkBatchRequests(requests: readonly MetaBatchRequest[], options: ChunkOptions = {}): MetaBatchChunk[] {
  const maxRequests = Math.max(1, Math.floor(options.maxRequests ?? META_MAX_REQUESTS_PER_CALL));
  const maxBytes = options.maxBytes ?? META_MAX_BODY_BYTES - META_BODY_MARGIN_BYTES;
  const chunks: MetaBatchChunk[] = [];
  let current: MetaBatchRequest[] = [];
  // "[" and "]" of the array; each request after the first adds a comma.
  let currentBytes = 2;
  const flush = () => {
    if (current.length === 0) return;
    chunks.push({ requests: current, bytes: currentBytes, oversize: false });
    current = [];
    currentBytes = 2;
  };
  for (const request of requests) {
    const size = Buffer.byteLength(JSON.stringify(request), "utf8");
    if (size + 2 > maxBytes) {
      flush();
      chunks.push({ requests: [request], bytes: size + 2, oversize: true });
      continue;
    }
    const added = size + (current.length === 0 ? 0 : 1);
    if (current.length >= maxRequests || currentBytes + added > maxBytes) flush();
    currentBytes += size + (current.length === 0 ? 0 : 1);
    current.push(request);
  }
  flush();
  return chunks;
}

// ---------------------------------------------------------------------------------------------
// Answers (tolerant: Meta's exact shapes are partly unconfirmed; unknown keys are ignored)

/** Ids arrive as strings; a number is read as its decimal text. */
const IdSchema = z.union([z.string(), z.number().transform(String)]);
const optionalId = IdSchema.optional().catch(undefined);
const optionalText = z.string().optional().catch(undefined);
const optionalNumber = z.number().optional().catch(undefined);

/** An array whose unreadable entries are dropped one by one instead of failing the whole answer. */
function lenientArray<T extends z.ZodType>(entry: T) {
  return z
    .array(z.unknown())
    .optional()
    .catch(undefined)
    .transform((list) => list?.flatMap((value) => {
      const parsed = entry.safeParse(value);
      return parsed.success ? [parsed.data as z.output<T>] : [];
    }));
}

const MessageSchema = z.object({ message: optionalText });

/** `validation_status[]` of the items_batch answer: shape problems found before ingestion. */
export const MetaValidationStatusSchema: z.ZodType<MetaValidationStatus> = z.object({
  retailer_id: IdSchema,
  errors: lenientArray(MessageSchema),
  warnings: lenientArray(MessageSchema),
});
export interface MetaValidationStatus {
  retailer_id: string;
  errors?: { message?: string }[];
  warnings?: { message?: string }[];
}

/** The immediate answer of `POST /{catalog_id}/items_batch`. */
export const MetaBatchResponseSchema: z.ZodType<MetaBatchResponse> = z.object({
  handles: lenientArray(IdSchema),
  validation_status: lenientArray(MetaValidationStatusSchema),
});
export interface MetaBatchResponse {
  handles?: string[];
  validation_status?: MetaValidationStatus[];
}

/** One entry of `check_batch_request_status`'s `data[]`. */
export const MetaBatchStatusSchema: z.ZodType<MetaBatchStatus> = z.object({
  status: optionalText,
  handle: optionalId,
  errors: lenientArray(z.object({ id: optionalId, line: optionalNumber, message: optionalText })),
  errors_total_count: optionalNumber,
  warnings: lenientArray(z.object({ id: optionalId, message: optionalText })),
  warnings_total_count: optionalNumber,
  ids_of_invalid_requests: lenientArray(IdSchema),
});
export interface MetaBatchStatus {
  status?: string;
  handle?: string;
  errors?: { id?: string; line?: number; message?: string }[];
  errors_total_count?: number;
  warnings?: { id?: string; message?: string }[];
  warnings_total_count?: number;
  ids_of_invalid_requests?: string[];
}

export const MetaBatchStatusResponseSchema: z.ZodType<{ data?: MetaBatchStatus[] }> = z.object({ data: lenientArray(MetaBatchStatusSchema) });

/** Exact status strings are unconfirmed (channels.md §1.7): only "finished" ends the polling. */
export function isMetaBatchFinished(status: MetaBatchStatus | undefined): boolean {
  return status?.status?.toLowerCase() === "finished";
}

/** One product of `GET /{catalog_id}/products?fields=retailer_id,review_status,errors`. */
export const MetaProductStatusSchema: z.ZodType<MetaProductStatus> = z.object({
  id: optionalId,
  retailer_id: IdSchema,
  review_status: optionalText,
  errors: lenientArray(z.object({ error_type: optionalText, error_priority: optionalText, title: optionalText, description: optionalText })),
});
export interface MetaProductStatus {
  id?: string;
  retailer_id: string;
  review_status?: string;
  errors?: { error_type?: string; error_priority?: string; title?: string; description?: string }[];
}

export const MetaProductsPageSchema: z.ZodType<MetaProductsPage> = z.object({
  data: lenientArray(MetaProductStatusSchema),
  paging: z
    .object({ cursors: z.object({ after: optionalText }).optional().catch(undefined), next: optionalText })
    .optional()
    .catch(undefined),
});
export interface MetaProductsPage {
  data?: MetaProductStatus[];
  paging?: { cursors?: { after?: string }; next?: string };
}

/** Retailer ids the batch refused: `ids_of_invalid_requests` (complete) plus any id named in `errors` (a sample). */
export function metaInvalidIds(status: MetaBatchStatus | undefined): Set<string> {
  const ids = new Set(status?.ids_of_invalid_requests ?? []);
  for (const error of status?.errors ?? []) if (error.id) ids.add(error.id);
  return ids;
}

/** Meta's review refused the item, or one of its problems keeps it out (HIGH priority). */
export function isMetaProductRejected(product: MetaProductStatus): boolean {
  if (product.review_status?.toLowerCase() === "rejected") return true;
  return (product.errors ?? []).some((error) => error.error_priority?.toUpperCase() === "HIGH");
}

// ---------------------------------------------------------------------------------------------
// Diagnostics

/** Who an item is in Shopify terms; the publisher knows it from the outbox row. */
export interface MetaItemRef {
  productId: Gid;
  variantId: Gid | null;
  itemId: string;
  market: string;
}

/** Finds our item for a retailer id Meta names; null when it is not one of ours (it is skipped). */
export type MetaItemLookup = (retailerId: string) => MetaItemRef | null;

export interface MetaVerdictReport {
  /** Synchronous `validation_status` of an items_batch answer. */
  validationStatus?: readonly MetaValidationStatus[];
  /** The finished `check_batch_request_status` entry. */
  batchStatus?: MetaBatchStatus;
  /** Read-back of `/{catalog_id}/products`. */
  products?: readonly MetaProductStatus[];
}

const DEFAULT_FIX = "Fix what Meta reports, then Shelfcast republishes the item automatically";
const IMAGE_FIX_TARGET_FIELDS = new Set(["image_link", "additional_image_link"]);
const PRICE_FIX_TARGET_FIELDS = new Set(["price", "sale_price", "sale_price_effective_date"]);
/** Meta feed field names, longest first so "sale_price" wins over "price" when guessing from a message. */
const KNOWN_FIELDS = [...new Set<string>([...META_SPEC.columns, "inventory", "shipping", "fb_product_category", "item_group_id", "id"])].sort((a, b) => b.length - a.length);
const FIELD_PATTERNS = KNOWN_FIELDS.map((field) => ({ field, pattern: new RegExp(`(^|[^a-z0-9_])${field}([^a-z0-9_]|$)`, "i") }));
const UNKNOWN_FIELD = /unknown field:?\s*["'`]?([A-Za-z0-9_.[\]]+)/i;
const INVALID_VALUE = /invalid (enum )?value|not (a )?valid|allowed values|must be one of|is not one of/i;
const POLICY = /\bpolicy\b|\bpolicies\b/i;
const QUOTED = /["“'`]([^"”'`]{1,200})["”'`]/;
const IMAGE_WORD = /\bimages?\b/i;

/**
 * Meta's own verdicts on items as Diagnostics (source "meta"), keyed by retailer id. Codes are
 * `meta.<error_type>` for read-back problems and `meta.rejected` / `meta.warning` for batch messages,
 * which carry no type. Errors are batch errors, HIGH-priority problems and a rejected review;
 * everything else is a warning. Two problems with the same code on one item are merged into one
 * Diagnostic (codes are unique per item where verdicts are stored).
 */
export function metaVerdictDiagnostics(report: MetaVerdictReport, lookup: MetaItemLookup): Map<string, Diagnostic[]> {
  const found = new Map<string, Diagnostic[]>();
  const add = (retailerId: string, problem: Problem) => {
    const ref = lookup(retailerId);
    if (!ref) return;
    const diagnostic = toDiagnostic(ref, problem);
    const list = found.get(retailerId) ?? [];
    const same = list.findIndex((existing) => existing.code === diagnostic.code);
    if (same === -1) list.push(diagnostic);
    else list[same] = mergeDiagnostics(list[same] as Diagnostic, diagnostic);
    found.set(retailerId, list);
  };

  for (const entry of report.validationStatus ?? []) {
    for (const error of entry.errors ?? []) add(entry.retailer_id, messageProblem(error.message, "error"));
    for (const warning of entry.warnings ?? []) add(entry.retailer_id, messageProblem(warning.message, "warning"));
  }

  const status = report.batchStatus;
  if (status) {
    const explained = new Set<string>();
    for (const error of status.errors ?? []) {
      // An error without an id (only a line number) cannot be tied to an item reliably; ids_of_invalid_requests covers it.
      if (!error.id) continue;
      explained.add(error.id);
      add(error.id, messageProblem(error.message, "error"));
    }
    for (const id of status.ids_of_invalid_requests ?? []) {
      if (explained.has(id)) continue;
      add(id, {
        code: "meta.rejected",
        severity: "error",
        field: "item",
        value: null,
        message: "Meta refused the item in the batch without saying why (its error was left out of Meta's sample).",
        fix: "Check the item in Meta Commerce Manager; Shelfcast reads Meta's verdict again on the next check",
      });
    }
    for (const warning of status.warnings ?? []) if (warning.id) add(warning.id, messageProblem(warning.message, "warning"));
  }

  for (const product of report.products ?? []) {
    const problems = (product.errors ?? []).map(productProblem);
    for (const problem of problems) add(product.retailer_id, problem);
    if (product.review_status?.toLowerCase() === "rejected" && !problems.some((problem) => problem.severity === "error")) {
      add(product.retailer_id, {
        code: "meta.rejected",
        severity: "error",
        field: "item",
        value: null,
        message: "Meta's review rejected the item.",
        fix: "Open the item in Meta Commerce Manager to see the reason (or request a review), fix it, then Shelfcast republishes the item automatically",
      });
    }
  }
  return found;
}

interface Problem {
  code: string;
  severity: Severity;
  field: string;
  value: string | null;
  message: string;
  fix: string;
  /** Meta's error_type, when it gave one. */
  errorType?: string;
}

function messageProblem(message: string | undefined, severity: Severity): Problem {
  const text = message?.trim() || (severity === "error" ? "Meta refused the item without a message." : "Meta reported a warning without a message.");
  const unknown = UNKNOWN_FIELD.exec(text);
  const field = unknown?.[1] ?? guessField(text);
  const isInvalidValue = !unknown && INVALID_VALUE.test(text);
  return {
    code: severity === "error" ? "meta.rejected" : "meta.warning",
    severity,
    field,
    value: isInvalidValue ? (QUOTED.exec(text)?.[1] ?? null) : null,
    message: text,
    fix: unknown ? unknownFieldFix(field) : isInvalidValue ? invalidValueFix(field) : POLICY.test(text) ? POLICY_FIX : DEFAULT_FIX,
  };
}

function productProblem(error: NonNullable<MetaProductStatus["errors"]>[number]): Problem {
  const errorType = snakeCase(error.error_type ?? "");
  const severity: Severity = error.error_priority?.toUpperCase() === "HIGH" ? "error" : "warning";
  const words = [error.title?.trim(), error.description?.trim()].filter((part): part is string => Boolean(part));
  const text = words.length > 0 ? [...new Set(words)].join(" — ") : `Meta reported ${errorType || "a problem"} without a description.`;
  const field = fieldForErrorType(errorType) ?? UNKNOWN_FIELD.exec(text)?.[1] ?? guessField(text);
  return {
    code: `meta.${errorType || (severity === "error" ? "rejected" : "warning")}`,
    severity,
    field,
    value: null,
    message: text,
    fix: fixForErrorType(errorType, field) ?? (POLICY.test(text) ? POLICY_FIX : DEFAULT_FIX),
    errorType,
  };
}

/** Lower snake_case, as Diagnostic codes are. */
export function snakeCase(text: string): string {
  return text
    .trim()
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

/** The Meta field a message is about, or "item" when it names none. */
export function guessField(message: string): string {
  const unknown = UNKNOWN_FIELD.exec(message);
  if (unknown?.[1]) return unknown[1];
  for (const { field, pattern } of FIELD_PATTERNS) if (pattern.test(message)) return field;
  if (IMAGE_WORD.test(message)) return "image_link";
  return "item";
}

function fieldForErrorType(errorType: string): string | null {
  if (errorType.startsWith("image_") || errorType.endsWith("_image") || errorType.endsWith("_images")) return "image_link";
  switch (errorType) {
    case "invalid_sale_price":
      return "sale_price";
    case "missing_tax_category":
    case "invalid_commerce_tax_category":
    case "unsupported_product_category":
      return "google_product_category";
    case "item_group_not_specified":
    case "retailer_id_used_by_group":
      return "item_group_id";
    case "missing_size":
      return "size";
    case "missing_color":
      return "color";
    default:
      return null;
  }
}

const POLICY_FIX =
  "Change what breaks Meta's commerce policies (often images with text, watermarks or prices, or a product Meta restricts); Meta reviews the item again when Shelfcast republishes it";

function unknownFieldFix(field: string): string {
  return `Meta does not know the field "${field}": remove it from the Meta mapping, or report it to Shelfcast support if you never mapped it`;
}

function invalidValueFix(field: string): string {
  return field === "item"
    ? "Map the field Meta names to one of Meta's allowed values"
    : `Map ${field} to one of Meta's allowed values (see the field's list in the Meta mapping)`;
}

function fixForErrorType(errorType: string, field: string): string | null {
  if (errorType.startsWith("image_fetch_failed")) {
    return "Make sure the image URL opens publicly (not blocked, not too large, not slow); replace the image in Shopify if the link is broken";
  }
  switch (errorType) {
    case "image_resolution_low":
      return "Upload an image of at least 500 × 500 px (1024 × 1024 recommended) to the product in Shopify";
    case "bad_quality_image":
    case "duplicate_images":
    case "not_enough_images":
      return "Replace or add product images in Shopify: clear photos of the product itself, each image different";
    case "missing_tax_category":
    case "invalid_commerce_tax_category":
    case "unsupported_product_category":
      return "Give the item a Google product category: set the product's category in Shopify or map google_product_category in the Meta mapping";
    case "policy_violation":
      return POLICY_FIX;
    case "invalid_sale_price":
      return "Make the sale price lower than the regular price: in Shopify the compare-at price must be above the price";
    case "item_group_not_specified":
      return "Every variant needs an item_group_id (the Shopify product id by default): check the item_group_id mapping";
    case "missing_size":
    case "missing_color":
      return `Give every variant a ${field}: add the option in Shopify or map ${field} in the Meta mapping`;
    default:
      return null;
  }
}

function toDiagnostic(ref: MetaItemRef, problem: Problem): Diagnostic {
  return {
    code: problem.code,
    severity: problem.severity,
    channel: "meta",
    market: ref.market,
    itemId: ref.itemId,
    productId: ref.productId,
    variantId: ref.variantId,
    field: problem.field,
    value: problem.value === null ? null : truncateAtWord(problem.value, 200),
    message: problem.message,
    fix: problem.fix,
    fixTarget: fixTarget(ref, problem),
    source: "meta",
  };
}

function fixTarget(ref: MetaItemRef, problem: Problem): FixTarget {
  const isImage = IMAGE_FIX_TARGET_FIELDS.has(problem.field) || (problem.errorType ?? "").includes("image");
  const isPrice = PRICE_FIX_TARGET_FIELDS.has(problem.field);
  // Images live on the product in Shopify; prices on the variant. Problems naming no field are looked at on the product.
  if (isPrice && ref.variantId) return { kind: "shopify-variant", productId: ref.productId, variantId: ref.variantId };
  if (isImage || isPrice || problem.field === "item") return { kind: "shopify-product", productId: ref.productId };
  return { kind: "mapping", channel: "meta", field: problem.field };
}

function mergeDiagnostics(first: Diagnostic, next: Diagnostic): Diagnostic {
  if (first.message === next.message) return first;
  return {
    ...first,
    field: first.field === next.field ? first.field : "item",
    value: first.field === next.field ? first.value : null,
    message: `${first.message}; ${next.message}`,
    fix: first.fix === next.fix ? first.fix : DEFAULT_FIX,
    fixTarget: first.field === next.field ? first.fixTarget : { kind: "shopify-product", productId: first.productId },
  };
}

// ---------------------------------------------------------------------------------------------
// Graph API errors

export interface HeaderReader {
  get(name: string): string | null;
}

export type MetaErrorClass =
  /** Transient or throttled: try again after `waitMs`. */
  | { kind: "retry"; waitMs: number; reason: string }
  /** The token is refused: the merchant must paste a new one. */
  | { kind: "reconnect"; reason: string }
  /**
   * Retrying will not help. `scope` "connection": a permission is missing, so every call on this
   * connection fails alike; "request": this call's content (an invalid parameter).
   */
  | { kind: "dead"; reason: string; scope: "request" | "connection" }
  /** The body is larger than Meta accepts: send fewer items per call. */
  | { kind: "oversize"; reason: string };

/** Wait when Meta throttles without saying how long. */
export const META_THROTTLE_WAIT_MS = 60_000;
/** Wait after a transient failure (5xx, timeout, code 1/2). */
export const META_TRANSIENT_WAIT_MS = 15_000;
/** X-App-Usage at or above this percentage means the app is throttled for the next minute or so. */
const APP_USAGE_LIMIT = 100;
const APP_USAGE_WAIT_MS = 60_000;

const TRANSIENT_CODES = new Set([1, 2]);
/** App, user, page and custom rate limits (Graph API error-handling and rate-limiting docs). */
const THROTTLE_CODES = new Set([4, 17, 32, 613]);
/** Business Use Case throttling is the 800xx family (80009 catalog management, 80014 catalog batch). */
const isBucThrottle = (code: number) => code >= 80_000 && code < 80_100;
const TOKEN_CODES = new Set([190, 102]);
const isPermissionCode = (code: number) => code === 10 || (code >= 200 && code <= 299);
const OVERSIZE_MESSAGE = /reduce the amount of data/i;

/**
 * What to do about a failed Graph call (shopify-platform.md §A3 error table). `status` 0 stands for a
 * network error or timeout. The reason carries Meta's message; callers scrub secrets from the body
 * first (app/.server/channels/meta/meta-client.ts does).
 */
export function classifyMetaError(status: number, body: unknown, headers: HeaderReader): MetaErrorClass {
  const error = graphError(body);
  const code = error.code;
  const reason = describeError(status, error);
  if (status === 0) return { kind: "retry", waitMs: waitFromHeaders(headers) ?? META_TRANSIENT_WAIT_MS, reason };
  if (code !== null) {
    if (TOKEN_CODES.has(code)) return { kind: "reconnect", reason };
    if (isPermissionCode(code)) return { kind: "dead", reason, scope: "connection" };
    if (code === 1 && OVERSIZE_MESSAGE.test(error.message ?? "")) return { kind: "oversize", reason };
    if (THROTTLE_CODES.has(code) || isBucThrottle(code)) return { kind: "retry", waitMs: waitFromHeaders(headers) ?? META_THROTTLE_WAIT_MS, reason };
    if (TRANSIENT_CODES.has(code)) return { kind: "retry", waitMs: waitFromHeaders(headers) ?? META_TRANSIENT_WAIT_MS, reason };
  }
  if (status === 429) return { kind: "retry", waitMs: waitFromHeaders(headers) ?? META_THROTTLE_WAIT_MS, reason };
  if (status >= 500 || error.isTransient) return { kind: "retry", waitMs: waitFromHeaders(headers) ?? META_TRANSIENT_WAIT_MS, reason };
  if (status === 401 && code === null) return { kind: "reconnect", reason };
  // A success status without a readable answer (a proxy's page, a cut-off body): worth another try.
  if (status > 0 && status < 400 && code === null) return { kind: "retry", waitMs: META_TRANSIENT_WAIT_MS, reason };
  // 100 (invalid parameter), 368 (blocked as abusive) and anything unknown: retrying sends the same thing.
  return { kind: "dead", reason, scope: "request" };
}

interface GraphErrorFields {
  message: string | null;
  code: number | null;
  subcode: number | null;
  isTransient: boolean;
}

function graphError(body: unknown): GraphErrorFields {
  const error = typeof body === "object" && body !== null && "error" in body ? (body as { error?: unknown }).error : undefined;
  const fields = typeof error === "object" && error !== null ? (error as Record<string, unknown>) : {};
  const number = (value: unknown) => (typeof value === "number" && Number.isFinite(value) ? value : typeof value === "string" && /^\d+$/.test(value) ? Number(value) : null);
  return {
    message: typeof fields.message === "string" ? fields.message : null,
    code: number(fields.code),
    subcode: number(fields.error_subcode),
    isTransient: fields.is_transient === true,
  };
}

function describeError(status: number, error: GraphErrorFields): string {
  const message = error.message ? truncateAtWord(error.message, 300) : null;
  if (status === 0) return message ?? "Meta could not be reached";
  const code = error.code === null ? "" : ` (code ${error.code}${error.subcode === null ? "" : `/${error.subcode}`})`;
  return `Meta answered HTTP ${status}${code}${message ? `: ${message}` : ""}`;
}

export interface BusinessUseCaseUsage {
  businessId: string;
  type: string | null;
  callCount: number | null;
  totalCputime: number | null;
  totalTime: number | null;
  /** Minutes until calls are accepted again; 0 or null when not throttled. */
  estimatedTimeToRegainAccess: number | null;
}

/**
 * `X-Business-Use-Case-Usage`: `{"<business id>": [{type, call_count, total_cputime, total_time,
 * estimated_time_to_regain_access}]}` (percentages and minutes). An unreadable header gives [].
 */
export function parseBusinessUseCaseUsage(header: string | null | undefined): BusinessUseCaseUsage[] {
  const parsed = parseJson(header);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return [];
  const out: BusinessUseCaseUsage[] = [];
  for (const [businessId, entries] of Object.entries(parsed as Record<string, unknown>)) {
    if (!Array.isArray(entries)) continue;
    for (const entry of entries) {
      if (typeof entry !== "object" || entry === null) continue;
      const e = entry as Record<string, unknown>;
      out.push({
        businessId,
        type: typeof e.type === "string" ? e.type : null,
        callCount: numberOrNull(e.call_count),
        totalCputime: numberOrNull(e.total_cputime),
        totalTime: numberOrNull(e.total_time),
        estimatedTimeToRegainAccess: numberOrNull(e.estimated_time_to_regain_access),
      });
    }
  }
  return out;
}

export interface AppUsage {
  callCount: number | null;
  totalCputime: number | null;
  totalTime: number | null;
}

/** `X-App-Usage`: `{call_count, total_cputime, total_time}` in percent of the app's allowance; null when unreadable. */
export function parseAppUsage(header: string | null | undefined): AppUsage | null {
  const parsed = parseJson(header);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const e = parsed as Record<string, unknown>;
  return { callCount: numberOrNull(e.call_count), totalCputime: numberOrNull(e.total_cputime), totalTime: numberOrNull(e.total_time) };
}

/** How long Meta's usage headers say to wait, or null when they do not say. */
export function waitFromHeaders(headers: HeaderReader): number | null {
  const minutes = parseBusinessUseCaseUsage(headers.get("x-business-use-case-usage"))
    .map((usage) => usage.estimatedTimeToRegainAccess ?? 0)
    .reduce((max, value) => Math.max(max, value), 0);
  if (minutes > 0) return Math.round(minutes * 60_000);
  const app = parseAppUsage(headers.get("x-app-usage"));
  if (app && Math.max(app.callCount ?? 0, app.totalCputime ?? 0, app.totalTime ?? 0) >= APP_USAGE_LIMIT) return APP_USAGE_WAIT_MS;
  return null;
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function numberOrNull(value: unknown): number | null {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
  return null;
}
