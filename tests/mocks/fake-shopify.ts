import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { execute, getOperationAST, GraphQLError } from "graphql";
import { HttpResponse, http, type HttpHandler } from "msw";
import { CATALOG_BULK_QUERIES } from "../../app/domain/catalog/bulk-query";
import { gidType } from "../../app/domain/catalog/gid";
import { FakeCatalog, restId, type BulkQueryPart, type FakeInventoryLevel, type FakeProductLines, type ProductPatch } from "./fake-shopify-catalog";
import { actualQueryCost, checkDocument, connection, MAX_QUERY_COST, requestedQueryCost, shopifyAdminSchema, type ConnectionArgs } from "./fake-shopify-schema";

/**
 * One shop's Admin API as msw handlers, with state: a catalog (given as the demo generator's bulk
 * JSONL), the rate-limit bucket, bulk operations, and the app's web pixel. Faithful where the app depends on Shopify's
 * behaviour: every document is validated and executed against Shopify's Admin schema, priced with
 * Shopify's cost rules and refused above 1,000 points, reserved from a leaky bucket that answers
 * THROTTLED when it holds less than the requested cost (the unused part is refunded after); bulk
 * queries run one at a time and serve their JSONL from a storage host.
 *
 *   const shop = new FakeShopifyShop({ shop: "a.myshopify.com", accessToken: "shpat_a", lines });
 *   mockServer.use(...shop.handlers());
 *
 * Time comes from `now`: give tests a clock that the client's injected `sleep` advances, and the
 * bucket refills exactly as long as the client waited. With the defaults (wall clock, a Standard
 * plan's 2,000 / 100 per s) a client really waits once the bucket runs low, as it would on
 * Shopify; a test that is not about the rate limit can pass a large `bucket`.
 */

export interface FakeShopifyOptions {
  shop: string;
  /** Only this version is served when set; any version otherwise. */
  apiVersion?: string;
  accessToken: string;
  /** A generator-produced catalog: both catalog bulk queries' lines, as app/demo/generate-catalog.ts writes them. */
  lines: string[];
  bucket?: { maximumAvailable: number; restoreRate: number };
  /** Polls of `node(id:)` until a bulk operation is COMPLETED (the polls before answer RUNNING). */
  bulkPollsUntilDone?: number;
  now?: () => number;
  profile?: Partial<FakeShopProfile>;
}

export interface FakeShopProfile {
  name: string;
  currencyCode: string;
  ianaTimezone: string;
  countryCode: string;
  storefrontUrl: string;
}

export type FakeRequestOutcome = "ok" | "throttled" | "max-cost-exceeded" | "invalid" | "unauthorized" | "server-error";

export interface FakeShopifyRequest {
  operationName: string | null;
  /** What the bucket was asked for; null when the request never got that far. */
  requestedQueryCost: number | null;
  status: number;
  outcome: FakeRequestOutcome;
  atMs: number;
}

interface FakeBulkOperation {
  id: string;
  query: string;
  part: BulkQueryPart;
  status: "CREATED" | "RUNNING" | "COMPLETED";
  polls: number;
  createdAt: string;
  completedAt: string | null;
  /** The result file, written at completion from the catalog as it was then. */
  jsonl: string | null;
  objectCount: number;
  rootObjectCount: number;
}

export const FAKE_BULK_STORAGE = "https://storage.fake-shopify.test";
const THROTTLE_DOCS = "https://shopify.dev/api/usage/rate-limits";
const INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)";
const DEFAULT_BUCKET = { maximumAvailable: 2_000, restoreRate: 100 };
const PIXEL_EXTENSION_TOML = fileURLToPath(new URL("../../extensions/shelfcast-pixel/shopify.extension.toml", import.meta.url));

/** The web pixel extension's [settings] fields and their `min` length validations, read from its TOML as Shopify reads it at deploy. */
function pixelSettingsDefinition(): Map<string, { minLength: number }> {
  const fields = new Map<string, { minLength: number }>();
  const text = readFileSync(PIXEL_EXTENSION_TOML, "utf8");
  for (const section of text.split(/^\[/m)) {
    const name = /^settings\.fields\.(\w+)\]/.exec(section)?.[1];
    if (!name) continue;
    const min = /\{\s*name\s*=\s*"min"\s*,\s*value\s*=\s*"(\d+)"\s*\}/.exec(section)?.[1];
    fields.set(name, { minLength: min ? Number(min) : 0 });
  }
  return fields;
}

interface FakeWebPixel {
  id: string;
  /** As stored: Shopify answers the JSON scalar as a JSON-encoded string. */
  settings: string;
}
/** The bulk query in each part's position of CATALOG_BULK_QUERIES. */
const PART_OF_QUERY: readonly BulkQueryPart[] = ["main", "relations"];

function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export class FakeShopifyShop {
  readonly shop: string;
  /** Every GraphQL request that reached this shop, in order. */
  readonly requests: FakeShopifyRequest[] = [];

  private readonly options: FakeShopifyOptions;
  private readonly now: () => number;
  private readonly catalog: FakeCatalog;
  private readonly bucketSize: { maximumAvailable: number; restoreRate: number };
  private bucket: { available: number; atMs: number };
  private readonly operations = new Map<string, FakeBulkOperation>();
  private nextOperationNumber = 5_100_000_001;
  private forcedThrottles = 0;
  private forcedFailures = { remaining: 0, status: 503 };
  private webPixel: FakeWebPixel | null = null;
  private nextWebPixelNumber = 7_300_001;

  constructor(options: FakeShopifyOptions) {
    this.options = options;
    this.shop = options.shop;
    this.now = options.now ?? Date.now;
    this.catalog = new FakeCatalog(options.lines, isoSeconds(this.now()));
    this.bucketSize = options.bucket ?? DEFAULT_BUCKET;
    this.bucket = { available: this.bucketSize.maximumAvailable, atMs: this.now() };
    shopifyAdminSchema(); // fail at construction, not at the first request, when the schema is missing
  }

  get graphqlUrl(): string {
    return `https://${this.shop}/admin/api/${this.options.apiVersion ?? "2025-10"}/graphql.json`;
  }

  handlers(): HttpHandler[] {
    return [
      http.post(`https://${this.shop}/admin/api/:version/graphql.json`, ({ request, params }) => this.answerGraphql(request, String(params.version))),
      http.get(`${FAKE_BULK_STORAGE}/${this.shop}/bulk/:file`, ({ params }) => this.answerDownload(String(params.file))),
    ];
  }

  // -------------------------------------------------------------------------------------------
  // The catalog, as a merchant edits it

  /** Current truth: each product's bulk lines (its main query lines, then its relations query lines). */
  products(): FakeProductLines[] {
    return this.catalog.products();
  }

  /** Current truth as one JSONL stream in the generator's layout: the main query's lines, then the relations query's. */
  currentLines(): string[] {
    return [...this.catalog.bulkLines("main"), ...this.catalog.bulkLines("relations")];
  }

  /** Where each of the product's variants is stocked, in variant order (to pick arguments for setAvailable). */
  inventoryLevels(productGid: string): FakeInventoryLevel[] {
    return this.catalog.inventoryLevels(productGid);
  }

  /** Changes top-level product fields and bumps `updatedAt` to now. */
  updateProduct(gid: string, patch: ProductPatch): void {
    this.catalog.updateProduct(gid, patch, isoSeconds(this.now()));
  }

  setAvailable(inventoryItemGid: string, locationGid: string, quantity: number): void {
    this.catalog.setAvailable(inventoryItemGid, locationGid, quantity, isoSeconds(this.now()));
  }

  deleteProduct(gid: string): void {
    this.catalog.deleteProduct(gid);
  }

  /** Adds a product given as bulk lines of both queries (e.g. one product's lines from the generator). */
  createProduct(lines: string[]): string {
    return this.catalog.createProduct(lines);
  }

  restPayload(gid: string): Record<string, unknown> {
    return this.catalog.restPayload(gid);
  }

  inventoryLevelPayload(inventoryItemGid: string, locationGid: string): Record<string, unknown> {
    return this.catalog.inventoryLevelPayload(inventoryItemGid, locationGid);
  }

  /** The app's web pixel as activated with webPixelCreate/webPixelUpdate (settings decoded), or null. */
  webPixelSettings(): { id: string; settings: Record<string, unknown> } | null {
    return this.webPixel ? { id: this.webPixel.id, settings: JSON.parse(this.webPixel.settings) as Record<string, unknown> } : null;
  }

  // -------------------------------------------------------------------------------------------
  // Trouble on demand

  /** The next `count` requests answer THROTTLED, as if other workers had emptied the bucket. */
  throttleNext(count: number): void {
    this.forcedThrottles += count;
  }

  /** The next `count` requests fail with HTTP `status` (5xx). */
  failNext(count: number, status = 503): void {
    this.forcedFailures = { remaining: count, status };
  }

  // -------------------------------------------------------------------------------------------
  // GraphQL

  private async answerGraphql(request: Request, version: string): Promise<Response> {
    const atMs = this.now();
    const log = (operationName: string | null, requested: number | null, status: number, outcome: FakeRequestOutcome) =>
      this.requests.push({ operationName, requestedQueryCost: requested, status, outcome, atMs });

    if (this.options.apiVersion && version !== this.options.apiVersion) {
      return HttpResponse.json({ errors: `Not Found: this fake serves API ${this.options.apiVersion}, not ${version}` }, { status: 404 });
    }
    if (request.headers.get("X-Shopify-Access-Token") !== this.options.accessToken) {
      log(null, null, 401, "unauthorized");
      return HttpResponse.json({ errors: INVALID_TOKEN }, { status: 401 });
    }
    const body = (await request.json().catch(() => null)) as { query?: unknown; variables?: Record<string, unknown>; operationName?: string } | null;
    const operationName = body?.operationName ?? null;
    if (typeof body?.query !== "string") {
      log(operationName, null, 400, "invalid");
      return HttpResponse.json({ errors: { query: "Required parameter missing or invalid" } }, { status: 400 });
    }
    if (this.forcedFailures.remaining > 0) {
      this.forcedFailures.remaining -= 1;
      log(operationName, null, this.forcedFailures.status, "server-error");
      return new HttpResponse("<html><body>Something went wrong</body></html>", { status: this.forcedFailures.status, headers: { "Content-Type": "text/html" } });
    }

    const schema = shopifyAdminSchema();
    const checked = checkDocument(body.query);
    const operation = "document" in checked ? getOperationAST(checked.document, operationName ?? undefined) : null;
    if (!("document" in checked) || !operation) {
      log(operationName, null, 200, "invalid");
      const errors = "errors" in checked ? checked.errors : [new GraphQLError(`No operation named ${operationName ?? "(none)"}`)];
      return HttpResponse.json({ errors: errors.map((error) => error.toJSON()) });
    }
    const { document } = checked;
    const variables = body.variables ?? {};
    const cost = requestedQueryCost(schema, document, operation, variables);
    if (cost > MAX_QUERY_COST) {
      log(operationName, cost, 200, "max-cost-exceeded");
      const message = `Query cost is ${cost}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).`;
      return HttpResponse.json({ errors: [{ message, extensions: { code: "MAX_COST_EXCEEDED", cost, maxCost: MAX_QUERY_COST, documentation: THROTTLE_DOCS } }] });
    }

    this.refillBucket();
    if (this.forcedThrottles > 0) {
      this.forcedThrottles -= 1;
      this.bucket.available = 0;
    }
    if (this.bucket.available < cost) {
      log(operationName, cost, 200, "throttled");
      return HttpResponse.json({
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: THROTTLE_DOCS } }],
        extensions: { cost: { requestedQueryCost: cost, actualQueryCost: null, throttleStatus: this.throttleStatus() } },
      });
    }
    this.bucket.available -= cost;

    const result = await execute({ schema, document, operationName: operationName ?? undefined, variableValues: variables, rootValue: this.rootValue() });
    // Reserved up front, the unused part refunded.
    const actual = actualQueryCost(schema, document, operation, variables, result.data);
    this.bucket.available += cost - actual;
    log(operationName, cost, 200, "ok");
    return HttpResponse.json({
      ...(result.errors ? { errors: result.errors.map((error) => error.toJSON()) } : {}),
      data: result.data ?? null,
      extensions: { cost: { requestedQueryCost: cost, actualQueryCost: actual, throttleStatus: this.throttleStatus() } },
    });
  }

  /** Root fields the app's documents use; anything else resolves to null (and fails loudly if non-null). */
  private rootValue(): Record<string, unknown> {
    return {
      shop: () => ({
        id: "gid://shopify/Shop/1",
        name: this.options.profile?.name ?? "Shelfcast Demo",
        myshopifyDomain: this.shop,
        currencyCode: this.options.profile?.currencyCode ?? "EUR",
        ianaTimezone: this.options.profile?.ianaTimezone ?? "Europe/Amsterdam",
        primaryDomain: { id: "gid://shopify/Domain/1", url: this.options.profile?.storefrontUrl ?? `https://${this.shop.replace(".myshopify.com", "")}.example` },
        billingAddress: { id: "gid://shopify/ShopAddress/1", countryCodeV2: this.options.profile?.countryCode ?? "NL" },
      }),
      product: ({ id }: { id: string }) => this.catalog.productNode(id),
      products: (args: ConnectionArgs & { query?: string | null }) => {
        if (args.query) throw new Error("FakeShopifyShop does not implement product search (`query:`)");
        return connection(this.catalog.productNodes())(args);
      },
      inventoryItem: ({ id }: { id: string }) => this.catalog.inventoryItemNode(id),
      node: ({ id }: { id: string }) => (gidType(id) === "BulkOperation" ? this.pollOperation(id) : this.catalog.node(id)),
      bulkOperationRunQuery: ({ query }: { query: string }) => this.startBulkQuery(query),
      webPixel: ({ id }: { id?: string | null }) => this.readWebPixel(id ?? null),
      webPixelCreate: ({ webPixel }: { webPixel: { settings: unknown } }) => this.createWebPixel(webPixel.settings),
      webPixelUpdate: ({ id, webPixel }: { id: string; webPixel: { settings: unknown } }) => this.updateWebPixel(id, webPixel.settings),
    };
  }

  // -------------------------------------------------------------------------------------------
  // The app's web pixel: one per app and shop, settings checked against the extension's TOML

  private readWebPixel(id: string | null): FakeWebPixel {
    // Shopify answers a missing pixel with an error, not null.
    if (!this.webPixel || (id !== null && id !== this.webPixel.id)) {
      throw new GraphQLError("No web pixel was found for this app.", { extensions: { code: "RESOURCE_NOT_FOUND" } });
    }
    return { ...this.webPixel };
  }

  /** INVALID_SETTINGS unless the settings are an object of strings with exactly the declared fields, each long enough. */
  private settingsErrors(settings: unknown): { field: string[]; message: string; code: string }[] {
    let value = settings;
    if (typeof value === "string") {
      try {
        value = JSON.parse(value) as unknown;
      } catch {
        value = null;
      }
    }
    const invalid = (message: string) => [{ field: ["settings"], message, code: "INVALID_SETTINGS" }];
    if (!value || typeof value !== "object" || Array.isArray(value)) return invalid("Settings must be a JSON object");
    const definition = pixelSettingsDefinition();
    for (const [key, field] of Object.entries(value)) {
      if (!definition.has(key)) return invalid(`Settings contain an undefined field: ${key}`);
      if (typeof field !== "string") return invalid(`Settings field ${key} must be a string`);
    }
    for (const [key, { minLength }] of definition) {
      const field = (value as Record<string, unknown>)[key];
      if (minLength > 0 && (typeof field !== "string" || field.length < minLength)) return invalid(`Settings field ${key} must be at least ${minLength} characters`);
    }
    return [];
  }

  private createWebPixel(settings: unknown): Record<string, unknown> {
    if (this.webPixel) return { webPixel: null, userErrors: [{ field: null, message: "Web pixel already exists for this app", code: "TAKEN" }] };
    const userErrors = this.settingsErrors(settings);
    if (userErrors.length) return { webPixel: null, userErrors };
    this.webPixel = { id: `gid://shopify/WebPixel/${this.nextWebPixelNumber++}`, settings: typeof settings === "string" ? settings : JSON.stringify(settings) };
    return { webPixel: { ...this.webPixel }, userErrors: [] };
  }

  private updateWebPixel(id: string, settings: unknown): Record<string, unknown> {
    if (!this.webPixel || this.webPixel.id !== id) return { webPixel: null, userErrors: [{ field: ["id"], message: "Web pixel does not exist", code: "NOT_FOUND" }] };
    const userErrors = this.settingsErrors(settings);
    if (userErrors.length) return { webPixel: null, userErrors };
    this.webPixel = { id, settings: typeof settings === "string" ? settings : JSON.stringify(settings) };
    return { webPixel: { ...this.webPixel }, userErrors: [] };
  }

  private refillBucket(): void {
    const nowMs = this.now();
    const refill = (Math.max(0, nowMs - this.bucket.atMs) * this.bucketSize.restoreRate) / 1000; // multiply first: exact for whole ms
    this.bucket = { available: Math.min(this.bucketSize.maximumAvailable, this.bucket.available + refill), atMs: nowMs };
  }

  private throttleStatus() {
    return { maximumAvailable: this.bucketSize.maximumAvailable, currentlyAvailable: this.bucket.available, restoreRate: this.bucketSize.restoreRate };
  }

  // -------------------------------------------------------------------------------------------
  // Bulk operations

  private startBulkQuery(query: string): Record<string, unknown> {
    const running = [...this.operations.values()].find((operation) => operation.status !== "COMPLETED");
    if (running) {
      const message = `A bulk query operation for this app and shop is already in progress: ${running.id}.`;
      return { bulkOperation: null, userErrors: [{ field: null, message, code: "OPERATION_IN_PROGRESS" }] };
    }
    const index = (CATALOG_BULK_QUERIES as readonly string[]).indexOf(query);
    if (index === -1) {
      const message = "Invalid bulk query: this fake shop runs only the queries in CATALOG_BULK_QUERIES (app/domain/catalog/bulk-query.ts).";
      return { bulkOperation: null, userErrors: [{ field: ["query"], message, code: "INVALID" }] };
    }
    const operation: FakeBulkOperation = {
      id: `gid://shopify/BulkOperation/${this.nextOperationNumber++}`,
      query,
      part: PART_OF_QUERY[index]!,
      status: "CREATED",
      polls: 0,
      createdAt: isoSeconds(this.now()),
      completedAt: null,
      jsonl: null,
      objectCount: 0,
      rootObjectCount: 0,
    };
    this.operations.set(operation.id, operation);
    return { bulkOperation: this.operationNode(operation), userErrors: [] };
  }

  private pollOperation(id: string): Record<string, unknown> | null {
    const operation = this.operations.get(id);
    if (!operation) return null;
    if (operation.status !== "COMPLETED") {
      operation.polls += 1;
      if (operation.polls >= (this.options.bulkPollsUntilDone ?? 2)) this.complete(operation);
      else operation.status = "RUNNING";
    }
    return this.operationNode(operation);
  }

  private complete(operation: FakeBulkOperation): void {
    const lines = this.catalog.bulkLines(operation.part);
    operation.status = "COMPLETED";
    operation.completedAt = isoSeconds(this.now());
    operation.objectCount = lines.length;
    operation.rootObjectCount = lines.filter((line) => !("__parentId" in (JSON.parse(line) as object))).length;
    // Shopify writes no file for a query that found nothing.
    operation.jsonl = lines.length ? `${lines.join("\n")}\n` : null;
  }

  private downloadUrl(operation: FakeBulkOperation): string {
    return `${FAKE_BULK_STORAGE}/${this.shop}/bulk/${restId(operation.id)}.jsonl`;
  }

  private operationNode(operation: FakeBulkOperation): Record<string, unknown> {
    return {
      __typename: "BulkOperation",
      id: operation.id,
      type: "QUERY",
      query: operation.query,
      status: operation.status,
      errorCode: null,
      // UnsignedInt64 values travel as strings.
      objectCount: String(operation.objectCount),
      rootObjectCount: String(operation.rootObjectCount),
      fileSize: operation.jsonl === null ? null : String(Buffer.byteLength(operation.jsonl)),
      url: operation.jsonl === null ? null : this.downloadUrl(operation),
      partialDataUrl: null,
      createdAt: operation.createdAt,
      completedAt: operation.completedAt,
    };
  }

  private answerDownload(file: string): Response {
    const operation = [...this.operations.values()].find((candidate) => `${restId(candidate.id)}.jsonl` === file);
    if (!operation?.jsonl) return new HttpResponse("<Error><Code>NoSuchKey</Code></Error>", { status: 404, headers: { "Content-Type": "application/xml" } });
    return new HttpResponse(operation.jsonl, { headers: { "Content-Type": "application/jsonl" } });
  }
}
