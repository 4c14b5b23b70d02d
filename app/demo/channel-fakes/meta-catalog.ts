/**
 * A faithful fake of Meta's catalog Batch API as /tmp/brief/wire.md (Meta part) and channels.md §1.2
 * and §1.7 describe it: one catalog on https://graph.facebook.com, its items_batch, handle polling,
 * the products edge with review verdicts, Graph errors and the business-use-case usage header.
 *
 * What it models, because clients get these wrong:
 * - the token is checked on every call (body for POST, query for GET);
 * - a batch is checked item by item: items with shape problems (unknown field, bad enum, missing
 *   required field, bad price) are refused in `validation_status` and NOT stored, while the valid
 *   items of the same batch are;
 * - ingestion is asynchronous: the answer is a handle; its status is "in_progress" for the first
 *   poll(s) and "finished" later, and the policy review verdicts (approved / rejected) arrive only
 *   when the batch finishes, in the status errors and on the products edge;
 * - throttling (code 80014 with the usage header), transient 500s and silent timeouts, from a seeded
 *   FaultPlan (faults.ts); a timeout may hide a write that happened.
 *
 * Simplifications (documented so clients do not rely on them): UPDATE replaces the item's content
 * (Shelfcast always sends whole records); CREATE of an existing item behaves as UPDATE, so a
 * replayed batch converges; review happens when the batch finishes, not later.
 */
import { type FaultKind, type FaultPlan, type FaultPlanOptions, silence, toFaultPlan } from "./faults";
import type { HttpFake } from "./fake-fetch";
import { type ImageCdn, type ImageCdnOptions, toImageCdn } from "./image-cdn";

export const META_GRAPH_HOST = "graph.facebook.com";
export const META_MAX_BATCH_REQUESTS = 5_000;
export const META_MAX_BATCH_BYTES = 28 * 1024 * 1024;
const MAX_TITLE_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 9_999;
const MAX_ID_LENGTH = 100;
const MAX_ADDITIONAL_IMAGES = 20;
const MAX_PAGE_SIZE = 100;
const DEFAULT_PAGE_SIZE = 25;
const HOUR_MS = 60 * 60 * 1000;

// ---------------------------------------------------------------------------------------------
// Field rules (channels.md §1.2, wire.md Meta 2)

const ENUMS: Readonly<Record<string, readonly string[]>> = {
  availability: ["in stock", "out of stock", "preorder", "available for order", "discontinued", "pending", "mark_as_sold", "mark_as_expired"],
  condition: ["new", "refurbished", "used", "cpo", "open_box_new", "used_like_new", "used_good", "used_fair"],
  gender: ["female", "male", "unisex"],
  age_group: ["adult", "all ages", "teen", "kids", "toddler", "infant", "newborn"],
  status: ["active", "archived"],
  visibility: ["published", "staging", "hidden", "whitelist_only"],
};

const TEXT_FIELDS = [
  "id",
  "title",
  "description",
  "rich_text_description",
  "availability",
  "condition",
  "price",
  "sale_price",
  "sale_price_effective_date",
  "link",
  "image_link",
  "brand",
  "gtin",
  "mpn",
  "item_group_id",
  "color",
  "size",
  "gender",
  "age_group",
  "material",
  "pattern",
  "google_product_category",
  "product_type",
  "custom_label_0",
  "custom_label_1",
  "custom_label_2",
  "custom_label_3",
  "custom_label_4",
  "status",
  "shipping_weight",
  "additional_variant_attribute",
  "origin_country",
  "visibility",
] as const;
const COUNT_FIELDS = ["quantity_to_sell_on_facebook", "inventory"] as const;
const KNOWN_FIELDS: ReadonlySet<string> = new Set<string>([...TEXT_FIELDS, ...COUNT_FIELDS, "additional_image_link"]);
const REQUIRED_FIELDS = ["id", "title", "description", "availability", "condition", "price", "link", "image_link"] as const;
/** "<amount> <ISO-4217>": a dot decimal, one space, three capital letters. */
const PRICE = /^\d+(\.\d{1,2})? [A-Z]{3}$/;
const COUNT = /^\d+$/;

// ---------------------------------------------------------------------------------------------
// Public types

export type MetaItemData = Record<string, unknown>;
export type MetaReviewStatus = "approved" | "rejected" | "pending";

export interface MetaItemError {
  error_type: string;
  error_priority: "HIGH" | "MEDIUM" | "LOW";
  title: string;
  description: string;
}

export interface MetaItem {
  /** Meta's product item id (stable for the retailer id until it is deleted). */
  productId: string;
  /** The content as last sent (UPDATE/CREATE data). */
  data: MetaItemData;
  review_status: MetaReviewStatus;
  errors: MetaItemError[];
  /** The batch that last wrote the item. */
  handle: string;
}

export interface MetaBatchError {
  line: number;
  id: string;
  message: string;
}

export interface MetaBatch {
  handle: string;
  createdAt: Date;
  /** Status polls answered so far. */
  polls: number;
  finished: boolean;
  /** Retailer ids the batch wrote or deleted, in request order. */
  retailerIds: string[];
  /** Line (index in `requests`) of each retailer id's last request. */
  lines: Map<string, number>;
  errors: MetaBatchError[];
}

/** How often a retailer id was created (stored while absent), updated (stored over itself) and deleted. */
export interface MetaItemHistory {
  creates: number;
  updates: number;
  deletes: number;
}

/** One API call the fake received (image downloads excluded). */
export interface MetaCall {
  method: string;
  /** Path without the query, e.g. /v21.0/123/items_batch. */
  path: string;
  /** items_batch: number of requests in the body; else 0. */
  requests: number;
  /** Body size in bytes. */
  bytes: number;
  status: number;
  fault: FaultKind | null;
}

/** A policy check: the reason an item is rejected at review, or null when it passes. */
export type MetaPolicy = (data: MetaItemData) => string | null;

export interface MetaCatalogFakeOptions {
  /** The token the fake accepts. Default "meta-fake-token". */
  accessToken?: string;
  catalogId?: string;
  catalogName?: string;
  /** Key of the usage header. Default "1000000000000001". */
  businessId?: string;
  /** Graph version in paths. Default "v21.0". */
  version?: string;
  now?: () => Date;
  faults?: FaultPlan | FaultPlanOptions;
  /** Status polls answered "in_progress" before "finished". Default 1. */
  pollsUntilFinished?: number;
  /** Review at batch end. Default: rejects "watermark" and "miracle cure" in title or description. */
  policy?: MetaPolicy;
  /** estimated_time_to_regain_access (minutes) when throttled. Default 1; tests set 0. */
  regainAccessMinutes?: number;
  /** Catalog batch calls per rolling hour (fake clock) before the fake throttles on its own. Default 10,000. */
  callsPerHour?: number;
  /** Image downloads: a shared ImageCdn, or options for this fake's own. */
  images?: ImageCdn | ImageCdnOptions;
}

/** Plain data for assertions. */
export interface MetaCatalogSnapshot {
  catalogId: string;
  items: Record<string, { productId: string; data: MetaItemData; review_status: MetaReviewStatus; errors: MetaItemError[] }>;
  batches: { handle: string; finished: boolean; polls: number; retailerIds: string[]; errors: MetaBatchError[] }[];
  calls: number;
}

const POLICY_RULES: readonly { pattern: RegExp; reason: string }[] = [
  { pattern: /watermark/i, reason: "the image shows text or a watermark" },
  { pattern: /miracle cure/i, reason: "the item makes a prohibited health claim (miracle cure)" },
];

/** The default review: rejects the promotional and health-claim texts the demo catalog plants. */
export const defaultMetaPolicy: MetaPolicy = (data) => {
  const text = `${typeof data.title === "string" ? data.title : ""}\n${typeof data.description === "string" ? data.description : ""}`;
  return POLICY_RULES.find((rule) => rule.pattern.test(text))?.reason ?? null;
};

// ---------------------------------------------------------------------------------------------
// Item checks: each returns the item's problems as Meta words them (wire.md Meta 2)

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function fieldTypeProblem(field: string, value: unknown): string | null {
  if (field === "additional_image_link") {
    if (!Array.isArray(value) || value.some((url) => typeof url !== "string")) return "Invalid value for field additional_image_link: expected an array of URLs";
    if (value.length > MAX_ADDITIONAL_IMAGES) return `Invalid value for field additional_image_link: at most ${MAX_ADDITIONAL_IMAGES} images`;
    const bad = (value as string[]).find((url) => !isAbsoluteHttpUrl(url));
    return bad === undefined ? null : `Invalid value for field additional_image_link: "${bad}" is not an absolute http(s) URL`;
  }
  if ((COUNT_FIELDS as readonly string[]).includes(field)) {
    const ok = (typeof value === "number" && Number.isInteger(value) && value >= 0) || (typeof value === "string" && COUNT.test(value));
    return ok ? null : `Invalid value for field ${field}: expected a whole number, got ${JSON.stringify(value)}`;
  }
  return typeof value === "string" ? null : `Invalid value for field ${field}: expected a string, got ${JSON.stringify(value)}`;
}

function valueProblem(field: string, value: string): string | null {
  const allowed = ENUMS[field];
  if (allowed && value !== "" && !allowed.includes(value)) return `Invalid value for field ${field}: "${value}" (allowed: ${allowed.join(", ")})`;
  if ((field === "price" || field === "sale_price") && value !== "" && !PRICE.test(value)) {
    return `Invalid value for field ${field}: "${value}" (expected "<amount> <ISO 4217 currency>", e.g. "12.34 USD")`;
  }
  if ((field === "link" || field === "image_link") && value !== "" && !isAbsoluteHttpUrl(value)) {
    return `Invalid value for field ${field}: "${value}" is not an absolute http(s) URL`;
  }
  const length = [...value].length;
  if (field === "title" && length > MAX_TITLE_LENGTH) return `Field title is too long: ${length} characters (max ${MAX_TITLE_LENGTH})`;
  if (field === "description" && length > MAX_DESCRIPTION_LENGTH) return `Field description is too long: ${length} characters (max ${MAX_DESCRIPTION_LENGTH})`;
  if (field === "id" && length > MAX_ID_LENGTH) return `Field id is too long: ${length} characters (max ${MAX_ID_LENGTH})`;
  return null;
}

function present(data: MetaItemData, field: string): boolean {
  const value = data[field];
  return value !== undefined && value !== null && value !== "";
}

function missingFieldProblems(data: MetaItemData): string[] {
  const problems = REQUIRED_FIELDS.filter((field) => !present(data, field)).map((field) => `Missing required field: ${field}`);
  if (!present(data, "brand") && !present(data, "gtin") && !present(data, "mpn")) problems.push("Missing required field: brand (required unless gtin or mpn is given)");
  return problems;
}

/** Every synchronous (shape) problem of an UPDATE/CREATE item. */
function upsertProblems(data: MetaItemData): string[] {
  const problems: string[] = [];
  for (const [field, value] of Object.entries(data)) {
    if (!KNOWN_FIELDS.has(field)) {
      problems.push(`Unknown field: ${field}`);
      continue;
    }
    if (value === null || value === undefined) continue;
    const typeProblem = fieldTypeProblem(field, value);
    if (typeProblem) problems.push(typeProblem);
    else if (typeof value === "string") {
      const problem = valueProblem(field, value);
      if (problem) problems.push(problem);
    }
  }
  return [...missingFieldProblems(data), ...problems];
}

function retailerIdOf(data: unknown): string {
  if (typeof data !== "object" || data === null) return "";
  const id = (data as MetaItemData).id;
  return typeof id === "string" ? id : "";
}

/** The problems of one batch request; an empty list means it is ingested. */
function requestProblems(request: unknown): string[] {
  if (typeof request !== "object" || request === null) return ["Invalid request: expected {method, data}"];
  const { method, data } = request as { method?: unknown; data?: unknown };
  if (method !== "CREATE" && method !== "UPDATE" && method !== "DELETE") return [`Invalid method: ${JSON.stringify(method)} (expected CREATE, UPDATE or DELETE)`];
  if (typeof data !== "object" || data === null || Array.isArray(data)) return ["Missing data: each request needs a data object with the item's id"];
  if (method === "DELETE") {
    const id = (data as MetaItemData).id;
    if (typeof id !== "string" || id === "") return ["Missing required field: id"];
    return [];
  }
  return upsertProblems(data as MetaItemData);
}

// ---------------------------------------------------------------------------------------------
// Answers

class GraphError {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly message: string,
    readonly type = "OAuthException",
    readonly extra: Record<string, unknown> = {},
  ) {}
}

function encodeCursor(offset: number): string {
  return btoa(`offset:${offset}`).replace(/=+$/, "");
}

function decodeCursor(cursor: string): number | null {
  try {
    const match = /^offset:(\d+)$/.exec(atob(cursor));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

type Route = { kind: "catalog" } | { kind: "items_batch" } | { kind: "check_batch_request_status" } | { kind: "products" };

const EDGES: Readonly<Record<string, Route["kind"]>> = {
  items_batch: "items_batch",
  check_batch_request_status: "check_batch_request_status",
  products: "products",
};

export class MetaCatalogFake implements HttpFake {
  /** The token the fake accepts; change it to make the connection's token stale. */
  accessToken: string;
  readonly catalogId: string;
  catalogName: string;
  readonly businessId: string;
  readonly version: string;
  readonly faults: FaultPlan;
  readonly images: ImageCdn;
  pollsUntilFinished: number;
  policy: MetaPolicy;
  regainAccessMinutes: number;
  callsPerHour: number;

  /** The catalog: retailer id → item. */
  readonly items = new Map<string, MetaItem>();
  readonly batches = new Map<string, MetaBatch>();
  readonly history = new Map<string, MetaItemHistory>();
  readonly calls: MetaCall[] = [];

  private readonly now: () => Date;
  private readonly callTimes: number[] = [];
  private handleCounter = 0;
  private productCounter = 0;
  private traceCounter = 0;

  constructor(options: MetaCatalogFakeOptions = {}) {
    this.accessToken = options.accessToken ?? "meta-fake-token";
    this.catalogId = options.catalogId ?? "2000000000000001";
    this.catalogName = options.catalogName ?? "Shelfcast demo catalog";
    this.businessId = options.businessId ?? "1000000000000001";
    this.version = options.version ?? "v21.0";
    this.now = options.now ?? (() => new Date());
    this.faults = toFaultPlan(options.faults);
    this.images = toImageCdn(options.images);
    this.pollsUntilFinished = options.pollsUntilFinished ?? 1;
    this.policy = options.policy ?? defaultMetaPolicy;
    this.regainAccessMinutes = options.regainAccessMinutes ?? 1;
    this.callsPerHour = options.callsPerHour ?? 10_000;
  }

  owns(url: URL): boolean {
    return url.hostname === META_GRAPH_HOST || this.images.owns(url);
  }

  async handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (this.images.owns(url)) return this.images.handle(request);
    if (url.hostname !== META_GRAPH_HOST) return null;
    const path = this.parsePath(url.pathname);
    // Other Graph objects (the Conversions API's /{pixel}/events…) belong to other fakes.
    if (!path) return null;
    const body = new Uint8Array(await request.arrayBuffer());
    const call: MetaCall = { method: request.method, path: url.pathname, requests: 0, bytes: body.byteLength, status: 0, fault: null };
    this.calls.push(call);

    const fault = this.faults.next() ?? this.budgetThrottle();
    call.fault = fault?.kind ?? null;
    if (fault?.kind === "throttle") return this.answer(call, this.throttled(), true);
    if (fault?.kind === "server-error") return this.answer(call, new GraphError(500, 2, "Service temporarily unavailable", "OAuthException", { is_transient: true }));
    if (fault?.kind === "timeout") {
      if (fault.applied) await this.respond(request.method, url, path, body, call);
      call.status = 504;
      return silence(request, this.faults.timeoutMs);
    }
    this.callTimes.push(this.now().getTime());
    return this.answer(call, await this.respond(request.method, url, path, body, call));
  }

  // -------------------------------------------------------------------------------------------
  // Fake API for tests and the demo

  /** Finishes every batch still in progress (runs the review), as if enough time had passed. */
  finishBatches(): void {
    for (const batch of this.batches.values()) this.finish(batch);
  }

  /** The item stored under this retailer id, or undefined. */
  item(retailerId: string): MetaItem | undefined {
    return this.items.get(retailerId);
  }

  snapshot(): MetaCatalogSnapshot {
    const items: MetaCatalogSnapshot["items"] = {};
    for (const [retailerId, item] of this.items) {
      items[retailerId] = { productId: item.productId, data: structuredClone(item.data), review_status: item.review_status, errors: item.errors.map((error) => ({ ...error })) };
    }
    const batches = [...this.batches.values()].map((batch) => ({
      handle: batch.handle,
      finished: batch.finished,
      polls: batch.polls,
      retailerIds: [...batch.retailerIds],
      errors: batch.errors.map((error) => ({ ...error })),
    }));
    return { catalogId: this.catalogId, items, batches, calls: this.calls.length };
  }

  // -------------------------------------------------------------------------------------------
  // Routing

  /** The route for a path on one of this fake's edges; null for Graph paths it does not model. */
  private parsePath(pathname: string): { version: string; objectId: string; route: Route } | null {
    const [version, objectId, edge, ...rest] = pathname.split("/").filter((part) => part !== "");
    if (version === undefined || objectId === undefined || rest.length > 0) return null;
    if (edge === undefined) return { version, objectId, route: { kind: "catalog" } };
    const kind = EDGES[edge];
    return kind ? { version, objectId, route: { kind } } : null;
  }

  private async respond(method: string, url: URL, path: { version: string; objectId: string; route: Route }, body: Uint8Array, call: MetaCall): Promise<unknown> {
    if (path.version !== this.version) return new GraphError(400, 2500, `Unknown path components: /${path.version} (this fake speaks ${this.version})`, "OAuthException");
    const expected = path.route.kind === "items_batch" ? "POST" : "GET";
    if (method !== expected) return new GraphError(400, 100, `Unsupported ${method.toLowerCase()} request.`, "GraphMethodException");
    if (method === "POST") return this.respondToPost(path.objectId, body, call);
    const token = url.searchParams.get("access_token");
    const authProblem = this.tokenProblem(token) ?? this.catalogProblem(path.objectId, "get");
    if (authProblem) return authProblem;
    if (path.route.kind === "catalog") return this.readCatalog(url);
    if (path.route.kind === "check_batch_request_status") return this.batchStatus(url);
    return this.listProducts(url);
  }

  private async respondToPost(objectId: string, body: Uint8Array, call: MetaCall): Promise<unknown> {
    // Graph refuses an oversized body before looking into it.
    if (body.byteLength > META_MAX_BATCH_BYTES) return new GraphError(400, 1, "Please reduce the amount of data you're asking for, then retry your request", "OAuthException");
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder().decode(body));
    } catch {
      return new GraphError(400, 100, "(#100) The request body is not valid JSON", "OAuthException");
    }
    if (typeof parsed !== "object" || parsed === null) return new GraphError(400, 100, "(#100) The request body must be a JSON object", "OAuthException");
    const fields = parsed as Record<string, unknown>;
    const authProblem = this.tokenProblem(fields.access_token) ?? this.catalogProblem(objectId, "post");
    if (authProblem) return authProblem;
    if (Array.isArray(fields.requests)) call.requests = fields.requests.length;
    return this.itemsBatch(fields);
  }

  private tokenProblem(token: unknown): GraphError | null {
    if (typeof token !== "string" || token === "") return new GraphError(400, 104, "An access token is required to request this resource.", "OAuthException");
    if (token !== this.accessToken) return new GraphError(400, 190, "Invalid OAuth access token - Cannot parse access token", "OAuthException");
    return null;
  }

  private catalogProblem(objectId: string, method: "get" | "post"): GraphError | null {
    if (objectId === this.catalogId) return null;
    return new GraphError(
      400,
      100,
      `Unsupported ${method} request. Object with ID '${objectId}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      "GraphMethodException",
    );
  }

  // -------------------------------------------------------------------------------------------
  // Endpoints

  private readCatalog(url: URL): Record<string, unknown> {
    const fields = (url.searchParams.get("fields") ?? "id,name").split(",").map((field) => field.trim());
    const all: Record<string, unknown> = { id: this.catalogId, name: this.catalogName, product_count: this.items.size };
    return Object.fromEntries(fields.filter((field) => field in all).map((field) => [field, all[field]]));
  }

  private itemsBatch(body: Record<string, unknown>): unknown {
    if (body.item_type !== "PRODUCT_ITEM") return new GraphError(400, 100, `(#100) Param item_type must be one of {PRODUCT_ITEM}, got ${JSON.stringify(body.item_type)}`);
    if (body.allow_upsert !== undefined && typeof body.allow_upsert !== "boolean") return new GraphError(400, 100, "(#100) Param allow_upsert must be a boolean");
    const requests = body.requests;
    if (!Array.isArray(requests) || requests.length === 0) return new GraphError(400, 100, "(#100) The parameter requests is required and must be a non-empty array");
    if (requests.length > META_MAX_BATCH_REQUESTS) return new GraphError(400, 100, `requests: at most ${META_MAX_BATCH_REQUESTS} per call`);

    const validationStatus: { retailer_id: string; errors: { message: string }[]; warnings: { message: string }[] }[] = [];
    const accepted: { line: number; method: "CREATE" | "UPDATE" | "DELETE"; data: MetaItemData }[] = [];
    requests.forEach((request: unknown, line) => {
      const problems = requestProblems(request);
      const { method, data } = (typeof request === "object" && request !== null ? request : {}) as { method: "CREATE" | "UPDATE" | "DELETE"; data: MetaItemData };
      if (problems.length > 0) validationStatus.push({ retailer_id: retailerIdOf(data), errors: problems.map((message) => ({ message })), warnings: [] });
      else accepted.push({ line, method, data });
    });
    if (accepted.length === 0) return { handles: [], validation_status: validationStatus };

    const batch = this.newBatch();
    const allowUpsert = body.allow_upsert !== false;
    for (const { line, method, data } of accepted) this.apply(batch, line, method, data, allowUpsert);
    return { handles: [batch.handle], validation_status: validationStatus };
  }

  private batchStatus(url: URL): unknown {
    const handle = url.searchParams.get("handle");
    const batch = handle === null ? undefined : this.batches.get(handle);
    if (!batch) return new GraphError(400, 100, `(#100) Invalid handle: ${JSON.stringify(handle)}`);
    batch.polls += 1;
    if (batch.polls > this.pollsUntilFinished) this.finish(batch);
    const errors = batch.finished ? batch.errors.map((error) => ({ ...error })) : [];
    return {
      data: [
        {
          status: batch.finished ? "finished" : "in_progress",
          handle: batch.handle,
          errors,
          errors_total_count: errors.length,
          warnings: [],
          warnings_total_count: 0,
          ids_of_invalid_requests: [...new Set(errors.map((error) => error.id))],
        },
      ],
    };
  }

  private listProducts(url: URL): unknown {
    const fields = (url.searchParams.get("fields") ?? "id").split(",").map((field) => field.trim());
    const unknownField = fields.find((field) => !["id", "retailer_id", "review_status", "errors"].includes(field));
    if (unknownField) return new GraphError(400, 100, `(#100) Tried accessing nonexisting field (${unknownField}) on node type (ProductItem)`);
    const wanted = this.productFilter(url.searchParams.get("filter"));
    if (wanted instanceof GraphError) return wanted;
    const limit = Math.min(Math.max(Number(url.searchParams.get("limit") ?? DEFAULT_PAGE_SIZE) || DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const after = url.searchParams.get("after");
    const offset = after === null ? 0 : decodeCursor(after);
    if (offset === null) return new GraphError(400, 100, "(#100) Invalid cursor in after");

    const matching = [...this.items.entries()].filter(([retailerId]) => wanted === null || wanted.has(retailerId));
    const page = matching.slice(offset, offset + limit);
    const data = page.map(([retailerId, item]) => {
      const all: Record<string, unknown> = { id: item.productId, retailer_id: retailerId, review_status: item.review_status, errors: item.errors.map((error) => ({ ...error })) };
      return Object.fromEntries(["id", ...fields].map((field) => [field, all[field]]));
    });
    if (page.length === 0) return { data, paging: { cursors: {} } };
    const end = offset + page.length;
    const paging: Record<string, unknown> = { cursors: { before: encodeCursor(offset), after: encodeCursor(end) } };
    if (end < matching.length) {
      const next = new URL(url);
      next.searchParams.set("after", encodeCursor(end));
      paging.next = next.toString();
    }
    return { data, paging };
  }

  /** The retailer ids a products `filter` asks for (retailer_id is_any / eq); null without a filter. */
  private productFilter(filter: string | null): Set<string> | null | GraphError {
    if (filter === null) return null;
    const invalid = new GraphError(400, 100, `(#100) Invalid filter: ${filter}`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(filter);
    } catch {
      return invalid;
    }
    const condition = (parsed as { retailer_id?: { is_any?: unknown; eq?: unknown } } | null)?.retailer_id;
    if (Array.isArray(condition?.is_any) && condition.is_any.every((id) => typeof id === "string")) return new Set(condition.is_any as string[]);
    if (typeof condition?.eq === "string") return new Set([condition.eq]);
    return invalid;
  }

  // -------------------------------------------------------------------------------------------
  // Catalog state

  private newBatch(): MetaBatch {
    this.handleCounter += 1;
    const handle = `fake-handle-${String(this.handleCounter).padStart(6, "0")}`;
    const batch: MetaBatch = { handle, createdAt: this.now(), polls: 0, finished: false, retailerIds: [], lines: new Map(), errors: [] };
    this.batches.set(handle, batch);
    return batch;
  }

  private historyOf(retailerId: string): MetaItemHistory {
    let history = this.history.get(retailerId);
    if (!history) {
      history = { creates: 0, updates: 0, deletes: 0 };
      this.history.set(retailerId, history);
    }
    return history;
  }

  private apply(batch: MetaBatch, line: number, method: "CREATE" | "UPDATE" | "DELETE", data: MetaItemData, allowUpsert: boolean): void {
    const retailerId = data.id as string;
    batch.retailerIds.push(retailerId);
    batch.lines.set(retailerId, line);
    const existing = this.items.get(retailerId);
    if (method === "DELETE") {
      // Deleting a missing item is fine: replays converge.
      if (existing) {
        this.items.delete(retailerId);
        this.historyOf(retailerId).deletes += 1;
      }
      return;
    }
    if (!existing && method === "UPDATE" && !allowUpsert) {
      batch.errors.push({ line, id: retailerId, message: `Item ${retailerId} does not exist (allow_upsert is false)` });
      return;
    }
    if (existing) this.historyOf(retailerId).updates += 1;
    else this.historyOf(retailerId).creates += 1;
    this.items.set(retailerId, {
      productId: existing?.productId ?? this.newProductId(),
      data: structuredClone(data),
      review_status: "pending",
      errors: [],
      handle: batch.handle,
    });
  }

  private newProductId(): string {
    this.productCounter += 1;
    return String(7_000_000_000_000_000 + this.productCounter);
  }

  /** Ends a batch: reviews the items it wrote that no later batch has overwritten since. */
  private finish(batch: MetaBatch): void {
    if (batch.finished) return;
    batch.finished = true;
    for (const retailerId of new Set(batch.retailerIds)) {
      const item = this.items.get(retailerId);
      if (!item || item.handle !== batch.handle) continue;
      const reason = this.policy(item.data);
      if (reason === null) {
        item.review_status = "approved";
        item.errors = [];
        continue;
      }
      item.review_status = "rejected";
      item.errors = [{ error_type: "policy_violation", error_priority: "HIGH", title: "Item rejected (policy)", description: reason }];
      batch.errors.push({ line: batch.lines.get(retailerId) ?? 0, id: retailerId, message: `Item rejected: ${reason} (policy)` });
    }
  }

  // -------------------------------------------------------------------------------------------
  // Throttling and the usage header

  private callsInLastHour(): number {
    const since = this.now().getTime() - HOUR_MS;
    while (this.callTimes.length > 0 && (this.callTimes[0] ?? 0) <= since) this.callTimes.shift();
    return this.callTimes.length;
  }

  /** The catalog's own limit: past `callsPerHour` calls in the rolling hour, calls are throttled. */
  private budgetThrottle(): { kind: FaultKind; applied: boolean } | null {
    return this.callsInLastHour() >= this.callsPerHour ? { kind: "throttle", applied: false } : null;
  }

  private throttled(): GraphError {
    return new GraphError(400, 80014, "There have been too many calls for this product catalog. Wait a bit and try again.", "OAuthException");
  }

  private usageHeader(throttled: boolean): string {
    const percent = Math.min(100, Math.round((this.callsInLastHour() / this.callsPerHour) * 100));
    const usage = {
      type: "catalog_batch",
      call_count: throttled ? 100 : percent,
      total_cputime: throttled ? 100 : percent,
      total_time: throttled ? 100 : percent,
      estimated_time_to_regain_access: throttled ? this.regainAccessMinutes : 0,
    };
    return JSON.stringify({ [this.businessId]: [usage] });
  }

  private answer(call: MetaCall, result: unknown, throttled = false): Response {
    const headers = { "content-type": "application/json", "x-business-use-case-usage": this.usageHeader(throttled) };
    if (result instanceof GraphError) {
      this.traceCounter += 1;
      call.status = result.status;
      const error = { message: result.message, type: result.type, code: result.code, ...result.extra, fbtrace_id: `AfakeTrace${this.traceCounter}` };
      return new Response(JSON.stringify({ error }), { status: result.status, headers });
    }
    call.status = 200;
    return new Response(JSON.stringify(result), { status: 200, headers });
  }
}
