import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import { createMetaPublisher } from "../../../app/.server/channels/meta/meta-publisher";
import { metaRequest } from "../../../app/.server/channels/meta/meta-client";
import { testMetaConnection } from "../../../app/.server/channels/meta/test-connection";
import { ReconnectError, RetryLaterError, type DueItem, type ItemOutcome, type MetaConnection, type PublishContext } from "../../../app/.server/channels/publisher";
import { META_TRANSIENT_WAIT_MS } from "../../../app/domain/publishing/meta-batch";
import { mockServer } from "../../mocks/server";

/**
 * The Meta publisher against a small model of Meta's catalog Batch API written here from the wire
 * contract (items_batch, check_batch_request_status, /products, Graph errors and usage headers).
 * The shared fake (app/demo/channel-fakes/meta-catalog.ts) gets its own integration tests.
 */
const GRAPH = "https://graph.facebook.com/v21.0";
const CATALOG = "987654321";
const TOKEN = "EAAGsecretTOKENvalue0000000000000000000042";
const PRODUCT = "gid://shopify/Product/1001";
const USAGE_OK = JSON.stringify({ "55": [{ type: "catalog_batch", call_count: 5, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 0 }] });

interface RecordedCall {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | null;
}

interface BatchRequestBody {
  access_token: string;
  item_type: string;
  allow_upsert: boolean;
  requests: { method: string; data: Record<string, unknown> & { id: string } }[];
}

interface FakeAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** Meta as the wire contract describes it, with knobs for the cases under test. */
function metaModel(options: { pollsBeforeFinish?: number; maxRequestsPerBody?: number; productsPageSize?: number } = {}) {
  const items = new Map<string, Record<string, unknown>>();
  const review = new Map<string, { review_status: string; errors: unknown[] }>();
  /** Refused before ingestion (validation_status errors). */
  const syncErrors = new Map<string, string>();
  const syncWarnings = new Map<string, string>();
  /** Refused during ingestion (check_batch_request_status). */
  const laterErrors = new Map<string, string>();
  const laterWarnings = new Map<string, string>();
  /** Reported in ids_of_invalid_requests only, without a message in the sample. */
  const silentlyInvalid = new Set<string>();
  const handles = new Map<string, { polls: number; errors: { id: string; message: string }[]; warnings: { id: string; message: string }[]; invalid: string[] }>();
  const calls: RecordedCall[] = [];
  const failNext: FakeAnswer[] = [];
  let handleCount = 0;

  const graphError = (status: number, code: number, message: string, headers: Record<string, string> = {}) =>
    HttpResponse.json({ error: { message, type: "OAuthException", code, fbtrace_id: "Atrace" } }, { status, headers: { "x-business-use-case-usage": USAGE_OK, ...headers } });
  const answer = (body: Record<string, unknown>) => HttpResponse.json(body as never, { headers: { "x-business-use-case-usage": USAGE_OK } });
  const failure = () => {
    const next = failNext.shift();
    if (!next) return null;
    if (next.status === 0) return HttpResponse.error();
    return HttpResponse.json(next.body as never, { status: next.status, headers: { "x-business-use-case-usage": USAGE_OK, ...next.headers } });
  };

  const handlers = [
    http.post(`${GRAPH}/:catalogId/items_batch`, async ({ request, params }) => {
      const body = (await request.json()) as BatchRequestBody;
      calls.push({ method: "POST", path: `/${String(params.catalogId)}/items_batch`, query: new URL(request.url).searchParams, body: body as never });
      if (body.access_token !== TOKEN) return graphError(400, 190, `Invalid OAuth access token - Cannot parse access token ${body.access_token}`);
      const failed = failure();
      if (failed) return failed;
      if (params.catalogId !== CATALOG) return graphError(400, 100, `Unsupported post request. Object with ID '${String(params.catalogId)}' does not exist`);
      if (body.requests.length > 5_000) return graphError(400, 100, "requests: at most 5000 per call");
      if (body.requests.length > (options.maxRequestsPerBody ?? Infinity)) return graphError(400, 1, "Please reduce the amount of data you're asking for, then retry your request");
      const validation: unknown[] = [];
      const ingested: BatchRequestBody["requests"] = [];
      for (const entry of body.requests) {
        const id = entry.data.id;
        const error = syncErrors.get(id);
        const warning = syncWarnings.get(id);
        if (error || warning) validation.push({ retailer_id: id, errors: error ? [{ message: error }] : [], warnings: warning ? [{ message: warning }] : [] });
        if (error) continue;
        ingested.push(entry);
      }
      if (ingested.length === 0) return answer({ handles: [], validation_status: validation });
      const handle = `handle-${++handleCount}`;
      const record = { polls: 0, errors: [] as { id: string; message: string }[], warnings: [] as { id: string; message: string }[], invalid: [] as string[] };
      for (const entry of ingested) {
        const id = entry.data.id;
        const error = laterErrors.get(id);
        if (error) record.errors.push({ id, message: error });
        if (error || silentlyInvalid.has(id)) {
          record.invalid.push(id);
          continue;
        }
        const warning = laterWarnings.get(id);
        if (warning) record.warnings.push({ id, message: warning });
        if (entry.method === "DELETE") items.delete(id);
        else items.set(id, entry.data);
      }
      handles.set(handle, record);
      return answer({ handles: [handle], validation_status: validation });
    }),
    http.get(`${GRAPH}/:catalogId/check_batch_request_status`, ({ request, params }) => {
      const url = new URL(request.url);
      calls.push({ method: "GET", path: `/${String(params.catalogId)}/check_batch_request_status`, query: url.searchParams, body: null });
      if (url.searchParams.get("access_token") !== TOKEN) return graphError(400, 190, "Invalid OAuth access token");
      const failed = failure();
      if (failed) return failed;
      const handle = url.searchParams.get("handle") ?? "";
      const record = handles.get(handle);
      if (!record) return graphError(400, 100, `Invalid handle ${handle}`);
      record.polls += 1;
      const finished = record.polls > (options.pollsBeforeFinish ?? 1);
      return answer({
        data: [
          {
            status: finished ? "finished" : record.polls === 1 ? "started" : "in_progress",
            handle,
            errors: finished ? record.errors : [],
            errors_total_count: finished ? record.errors.length : 0,
            warnings: finished ? record.warnings : [],
            warnings_total_count: finished ? record.warnings.length : 0,
            ids_of_invalid_requests: finished ? record.invalid : [],
          },
        ],
      });
    }),
    http.get(`${GRAPH}/:catalogId/products`, ({ request, params }) => {
      const url = new URL(request.url);
      calls.push({ method: "GET", path: `/${String(params.catalogId)}/products`, query: url.searchParams, body: null });
      if (url.searchParams.get("access_token") !== TOKEN) return graphError(400, 190, "Invalid OAuth access token");
      const failed = failure();
      if (failed) return failed;
      const filter = JSON.parse(url.searchParams.get("filter") ?? "{}") as { retailer_id?: { is_any?: string[] } };
      const wanted = filter.retailer_id?.is_any ?? [];
      const matching = [...items.keys()].filter((id) => wanted.includes(id)).sort();
      const limit = Math.min(Number(url.searchParams.get("limit") ?? "25"), options.productsPageSize ?? Infinity);
      const start = Number(url.searchParams.get("after") ?? "0");
      const page = matching.slice(start, start + limit);
      const end = start + page.length;
      return answer({
        data: page.map((id) => ({ id: `fb-${id}`, retailer_id: id, review_status: review.get(id)?.review_status ?? "approved", errors: review.get(id)?.errors ?? [] })),
        paging: { cursors: { before: String(start), after: String(end) }, ...(end < matching.length ? { next: `${GRAPH}/${CATALOG}/products?after=${end}` } : {}) },
      });
    }),
    http.get(`${GRAPH}/:catalogId`, ({ request, params }) => {
      const url = new URL(request.url);
      calls.push({ method: "GET", path: `/${String(params.catalogId)}`, query: url.searchParams, body: null });
      if (url.searchParams.get("access_token") !== TOKEN) return graphError(400, 190, `Invalid OAuth access token - Cannot parse access token ${url.searchParams.get("access_token")}`);
      const failed = failure();
      if (failed) return failed;
      if (params.catalogId !== CATALOG) return graphError(400, 100, `Unsupported get request. Object with ID '${String(params.catalogId)}' does not exist`);
      return answer({ id: CATALOG, name: "Shelfcast Demo Catalog", product_count: items.size });
    }),
  ];

  return { items, review, syncErrors, syncWarnings, laterErrors, laterWarnings, silentlyInvalid, handles, calls, failNext, handlers };
}

function context(token = TOKEN) {
  const sleeps: number[] = [];
  let calls = 0;
  const ctx: PublishContext<MetaConnection> = {
    shop: "meta-shop.myshopify.com",
    market: "US",
    connection: { channel: "meta", catalogId: CATALOG, businessId: "55", token },
    fetch: (...args) => fetch(...args),
    now: () => new Date("2025-03-01T12:00:00Z"),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    markCreateStarted: async () => undefined,
    images: { get: async () => new Map(), put: async () => undefined },
    countCall: () => {
      calls += 1;
    },
  };
  return { ctx, sleeps, callCount: () => calls };
}

function due(key: string, payload: Record<string, unknown> | null = {}): DueItem {
  return {
    key,
    productId: PRODUCT,
    itemIds: [key],
    desired: payload === null ? null : { hash: `h-${key}`, stockHash: null, priceHash: null, payload: { id: key, title: `Item ${key}`, price: "10.00 USD", ...payload } },
    sent: { hash: null, stockHash: null, priceHash: null, remoteId: null, remoteSkus: null, createStartedAt: null },
  };
}

function kinds(outcomes: ItemOutcome[]) {
  return Object.fromEntries(outcomes.map((outcome) => [outcome.key, outcome.kind]));
}

function byKey(outcomes: ItemOutcome[], key: string): ItemOutcome {
  const found = outcomes.find((outcome) => outcome.key === key);
  if (!found) throw new Error(`no outcome for ${key}`);
  return found;
}

const FAST_POLLS = { pollDelaysMs: [10, 20, 40], maxPollMs: 1_000 };

describe("Meta publisher: items_batch", () => {
  it("publishes a batch: one item refused at once, one refused at status time, a warning, a delete; the handle is polled until finished", async () => {
    const meta = metaModel({ pollsBeforeFinish: 1 });
    mockServer.use(...meta.handlers);
    meta.items.set("old-1", { id: "old-1" });
    meta.syncErrors.set("bad-field", "Unknown field: fabric_weight");
    meta.laterErrors.set("policy", "Item rejected: the image shows text or a watermark (policy)");
    meta.laterWarnings.set("warned", "sale_price is not lower than price");
    const { ctx, sleeps, callCount } = context();

    const outcomes = await createMetaPublisher(FAST_POLLS).publish(ctx, [
      due("fine", { quantity_to_sell_on_facebook: "7", sale_price: "", additional_image_link: ["https://cdn.shopify.com/a.jpg"] }),
      due("bad-field", { fabric_weight: "200 gsm" }),
      due("policy"),
      due("warned"),
      due("old-1", null),
    ]);

    expect(kinds(outcomes)).toEqual({ fine: "live", "bad-field": "rejected", policy: "rejected", warned: "live", "old-1": "deleted" });
    expect(byKey(outcomes, "fine")).toEqual({ key: "fine", kind: "live", handle: "handle-1", diagnostics: [] });
    const badField = byKey(outcomes, "bad-field");
    expect(badField).toMatchObject({ kind: "rejected", diagnostics: [{ code: "meta.rejected", severity: "error", field: "fabric_weight", source: "meta", message: "Unknown field: fabric_weight" }] });
    // Refused before ingestion: the handle does not hold it.
    expect("handle" in badField ? badField.handle : undefined).toBeUndefined();
    expect(byKey(outcomes, "policy")).toMatchObject({
      kind: "rejected",
      handle: "handle-1",
      diagnostics: [{ code: "meta.rejected", field: "image_link", productId: PRODUCT, itemId: "policy", market: "US", fixTarget: { kind: "shopify-product", productId: PRODUCT } }],
    });
    expect(byKey(outcomes, "warned")).toMatchObject({ kind: "live", handle: "handle-1", diagnostics: [{ code: "meta.warning", severity: "warning", field: "sale_price" }] });

    // One POST, then the handle twice ("started", then "finished"), waiting with ctx.sleep before each look.
    expect(meta.calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      `POST /${CATALOG}/items_batch`,
      `GET /${CATALOG}/check_batch_request_status`,
      `GET /${CATALOG}/check_batch_request_status`,
    ]);
    expect(meta.calls[1]?.query.get("handle")).toBe("handle-1");
    expect(sleeps).toEqual([10, 20]);
    expect(callCount()).toBe(3);

    const body = meta.calls[0]?.body as unknown as BatchRequestBody;
    expect(body).toMatchObject({ item_type: "PRODUCT_ITEM", allow_upsert: true, access_token: TOKEN });
    expect(body.requests[0]).toEqual({
      method: "UPDATE",
      data: { id: "fine", title: "Item fine", price: "10.00 USD", quantity_to_sell_on_facebook: 7, additional_image_link: ["https://cdn.shopify.com/a.jpg"] },
    });
    expect(body.requests[4]).toEqual({ method: "DELETE", data: { id: "old-1" } });
    expect(meta.items.has("fine")).toBe(true);
    expect(meta.items.has("old-1")).toBe(false);
  });

  it("reports an item Meta lists only in ids_of_invalid_requests as rejected", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    meta.silentlyInvalid.add("quiet");
    const { ctx } = context();
    const outcomes = await createMetaPublisher(FAST_POLLS).publish(ctx, [due("quiet"), due("fine")]);
    expect(byKey(outcomes, "quiet")).toMatchObject({ kind: "rejected", handle: "handle-1", diagnostics: [{ code: "meta.rejected", severity: "error", field: "item" }] });
    expect(byKey(outcomes, "fine").kind).toBe("live");
  });

  it("reports items as live with the handle when Meta has not finished within maxPollMs", async () => {
    const meta = metaModel({ pollsBeforeFinish: 1_000 });
    mockServer.use(...meta.handlers);
    meta.laterErrors.set("b", "would be refused later");
    const { ctx, sleeps } = context();
    const outcomes = await createMetaPublisher({ pollDelaysMs: [100, 200], maxPollMs: 700 }).publish(ctx, [due("a"), due("b")]);
    expect(outcomes).toEqual([
      { key: "a", kind: "live", handle: "handle-1", diagnostics: [] },
      { key: "b", kind: "live", handle: "handle-1", diagnostics: [] },
    ]);
    // 100 + 200 + 200 + 200 = 700: one more wait would pass maxPollMs.
    expect(sleeps).toEqual([100, 200, 200, 200]);
  });

  it("treats status strings it does not know as not finished yet", async () => {
    const meta = metaModel({ pollsBeforeFinish: 3 });
    mockServer.use(...meta.handlers);
    const { ctx, sleeps } = context();
    const outcomes = await createMetaPublisher(FAST_POLLS).publish(ctx, [due("a")]);
    expect(outcomes).toEqual([{ key: "a", kind: "live", handle: "handle-1", diagnostics: [] }]);
    expect(sleeps).toEqual([10, 20, 40, 40]);
  });

  it("rejects every item when Meta refuses all of them at once (no handle) without polling", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    meta.syncErrors.set("a", "Invalid value 'brand new' for condition");
    meta.syncErrors.set("b", "Unknown field: foo");
    const { ctx, sleeps } = context();
    const outcomes = await createMetaPublisher(FAST_POLLS).publish(ctx, [due("a"), due("b")]);
    expect(kinds(outcomes)).toEqual({ a: "rejected", b: "rejected" });
    expect(byKey(outcomes, "a")).toMatchObject({ diagnostics: [{ field: "condition", value: "brand new" }] });
    expect(sleeps).toEqual([]);
    expect(meta.calls).toHaveLength(1);
  });

  it("sends calls of at most maxRequestsPerCall, one after the other", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    const { ctx, callCount } = context();
    const outcomes = await createMetaPublisher({ ...FAST_POLLS, maxRequestsPerCall: 2 }).publish(ctx, ["a", "b", "c", "d", "e"].map((key) => due(key)));
    const posts = meta.calls.filter((call) => call.method === "POST");
    expect(posts.map((call) => (call.body as unknown as BatchRequestBody).requests.map((request) => request.data.id))).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(outcomes.map((outcome) => [outcome.key, outcome.kind, "handle" in outcome ? outcome.handle : null])).toEqual([
      ["a", "live", "handle-1"],
      ["b", "live", "handle-1"],
      ["c", "live", "handle-2"],
      ["d", "live", "handle-2"],
      ["e", "live", "handle-3"],
    ]);
    expect(callCount()).toBe(3 + 3 * 2);
  });

  it("throws RetryLaterError with Meta's wait when throttled before anything was applied", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    meta.failNext.push({
      status: 400,
      body: { error: { message: "There have been too many calls for this product catalog", type: "OAuthException", code: 80014, fbtrace_id: "A1" } },
      headers: {
        "x-business-use-case-usage": JSON.stringify({ "55": [{ type: "catalog_batch", call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 2 }] }),
      },
    });
    const { ctx } = context();
    const error = await createMetaPublisher(FAST_POLLS)
      .publish(ctx, [due("a"), due("b")])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).waitMs).toBe(120_000);
    expect((error as RetryLaterError).message).toContain("80014");
    expect(meta.items.size).toBe(0);
  });

  it("keeps the outcomes of calls already applied and marks the rest for retry when throttled midway", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    const { ctx } = context();
    const publisher = createMetaPublisher({ ...FAST_POLLS, maxRequestsPerCall: 2 });
    // The first call and its status poll pass; the second call is throttled.
    const originalFetch = ctx.fetch;
    let posts = 0;
    ctx.fetch = async (input, init) => {
      if (init?.method === "POST" && ++posts === 2) {
        meta.failNext.push({
          status: 400,
          body: { error: { message: "There have been too many calls for this product catalog", type: "OAuthException", code: 80014 } },
          headers: { "x-business-use-case-usage": JSON.stringify({ "55": [{ type: "catalog_batch", call_count: 100, estimated_time_to_regain_access: 5 }] }) },
        });
      }
      return originalFetch(input, init);
    };
    const outcomes = await publisher.publish(ctx, ["a", "b", "c", "d", "e"].map((key) => due(key)));
    expect(outcomes.map((outcome) => [outcome.key, outcome.kind, outcome.kind === "retry" ? outcome.waitMs : null])).toEqual([
      ["a", "live", null],
      ["b", "live", null],
      ["c", "retry", 300_000],
      ["d", "retry", 300_000],
      ["e", "retry", 300_000],
    ]);
    expect(meta.calls.filter((call) => call.method === "POST")).toHaveLength(2);
  });

  it("retries after a network failure with the transient wait", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    meta.failNext.push({ status: 0, body: null });
    const { ctx } = context();
    const error = await createMetaPublisher(FAST_POLLS)
      .publish(ctx, [due("a")])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RetryLaterError);
    expect((error as RetryLaterError).waitMs).toBe(META_TRANSIENT_WAIT_MS);
  });

  it("keeps polling through a throttled status read, waiting as long as Meta asks", async () => {
    const meta = metaModel({ pollsBeforeFinish: 0 });
    mockServer.use(...meta.handlers);
    const { ctx, sleeps } = context();
    const publisher = createMetaPublisher({ pollDelaysMs: [10], maxPollMs: 100_000 });
    const originalFetch = ctx.fetch;
    let statusReads = 0;
    ctx.fetch = async (input, init) => {
      if (String(input).includes("check_batch_request_status") && ++statusReads === 1) {
        meta.failNext.push({ status: 400, body: { error: { message: "Application request limit reached", code: 4 } }, headers: { "x-app-usage": '{"call_count":100}' } });
      }
      return originalFetch(input, init);
    };
    const outcomes = await publisher.publish(ctx, [due("a")]);
    expect(outcomes).toEqual([{ key: "a", kind: "live", handle: "handle-1", diagnostics: [] }]);
    expect(sleeps).toEqual([10, 60_000]);
  });

  it("throws ReconnectError on code 190 without the token in the message", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    const wrong = "EAAGwrongTOKEN1111111111111111111111111111";
    const { ctx } = context(wrong);
    const error = await createMetaPublisher(FAST_POLLS)
      .publish(ctx, [due("a")])
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReconnectError);
    expect((error as Error).message).toContain("code 190");
    expect((error as Error).message).not.toContain(wrong);
    expect((error as Error).message).toContain("[redacted]");
  });

  it("splits a call Meta finds too large (code 1) in halves, down to single items, then gives up on the item", async () => {
    const meta = metaModel({ maxRequestsPerBody: 2 });
    mockServer.use(...meta.handlers);
    const { ctx } = context();
    const originalFetch = ctx.fetch;
    // One item is too large for Meta on its own.
    ctx.fetch = async (input, init) => {
      if (init?.method === "POST" && typeof init.body === "string" && init.body.includes('"id":"huge"')) {
        meta.failNext.push({ status: 400, body: { error: { message: "Please reduce the amount of data you're asking for, then retry your request", code: 1 } } });
      }
      return originalFetch(input, init);
    };
    const outcomes = await createMetaPublisher(FAST_POLLS).publish(ctx, ["a", "b", "c", "huge", "e"].map((key) => due(key)));
    const posted = meta.calls.filter((call) => call.method === "POST").map((call) => (call.body as unknown as BatchRequestBody).requests.map((request) => request.data.id).join(","));
    expect(posted).toEqual(["a,b,c,huge,e", "a,b,c", "a,b", "c", "huge,e", "huge", "e"]);
    expect(kinds(outcomes)).toEqual({ a: "live", b: "live", c: "live", huge: "dead", e: "live" });
    expect(byKey(outcomes, "huge")).toMatchObject({ reason: "the item is larger than Meta accepts in one call" });
  });

  it("marks an item larger than a call may be as dead without sending it", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    const { ctx } = context();
    const outcomes = await createMetaPublisher(FAST_POLLS).publish(ctx, [due("a"), due("enormous", { description: "x".repeat(28 * 1024 * 1024) })]);
    expect(kinds(outcomes)).toEqual({ a: "live", enormous: "dead" });
    expect(byKey(outcomes, "enormous")).toMatchObject({ reason: expect.stringContaining("larger than Meta accepts") });
    expect((meta.calls[0]?.body as unknown as BatchRequestBody).requests.map((request) => request.data.id)).toEqual(["a"]);
  });

  it("gives up on every item when the token lacks a permission, after one call", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    meta.failNext.push({ status: 403, body: { error: { message: "(#200) Requires catalog_management permission", type: "OAuthException", code: 200 } } });
    const { ctx } = context();
    const outcomes = await createMetaPublisher({ ...FAST_POLLS, maxRequestsPerCall: 1 }).publish(ctx, [due("a"), due("b")]);
    expect(kinds(outcomes)).toEqual({ a: "dead", b: "dead" });
    expect(byKey(outcomes, "b")).toMatchObject({ reason: expect.stringContaining("code 200") });
    expect(meta.calls).toHaveLength(1);
  });
});

describe("Meta publisher: read-back", () => {
  const item = (key: string) => ({ key, productId: PRODUCT, itemIds: [key], remoteId: null });

  it("reads review status and problems page by page; absent items are missing", async () => {
    const meta = metaModel({ productsPageSize: 2 });
    mockServer.use(...meta.handlers);
    for (const id of ["ok", "warned", "rejected", "high"]) meta.items.set(id, { id });
    meta.review.set("warned", { review_status: "approved", errors: [{ error_type: "missing_tax_category", error_priority: "LOW", title: "Missing tax category", description: "Add a category." }] });
    meta.review.set("rejected", { review_status: "rejected", errors: [] });
    meta.review.set("high", { review_status: "approved", errors: [{ error_type: "image_resolution_low", error_priority: "HIGH", title: "Image too small" }] });
    const { ctx, callCount } = context();

    const entries = await createMetaPublisher().readBack(ctx, ["ok", "warned", "rejected", "high", "gone"].map(item));

    expect(entries).toEqual([
      { key: "ok", state: "live", diagnostics: [] },
      { key: "warned", state: "live", diagnostics: [expect.objectContaining({ code: "meta.missing_tax_category", severity: "warning", source: "meta" })] },
      { key: "rejected", state: "rejected", diagnostics: [expect.objectContaining({ code: "meta.rejected", severity: "error" })] },
      { key: "high", state: "rejected", diagnostics: [expect.objectContaining({ code: "meta.image_resolution_low", severity: "error", field: "image_link" })] },
      { key: "gone", state: "missing", diagnostics: [] },
    ]);
    const reads = meta.calls.filter((call) => call.path === `/${CATALOG}/products`);
    expect(reads).toHaveLength(2);
    expect(reads[0]?.query.get("fields")).toBe("retailer_id,review_status,errors");
    expect(JSON.parse(reads[0]?.query.get("filter") ?? "")).toEqual({ retailer_id: { is_any: ["ok", "warned", "rejected", "high", "gone"] } });
    expect(reads[1]?.query.get("after")).toBe("2");
    expect(callCount()).toBe(2);
  });

  it("asks for at most 500 ids per filter", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    const keys = Array.from({ length: 600 }, (_, index) => `item-${index}`);
    for (const key of keys.slice(0, 10)) meta.items.set(key, { id: key });
    const { ctx } = context();
    const entries = await createMetaPublisher().readBack(ctx, keys.map(item));
    const filters = meta.calls.map((call) => (JSON.parse(call.query.get("filter") ?? "{}") as { retailer_id: { is_any: string[] } }).retailer_id.is_any.length);
    expect(filters).toEqual([500, 100]);
    expect(entries.filter((entry) => entry.state === "live")).toHaveLength(10);
    expect(entries.filter((entry) => entry.state === "missing")).toHaveLength(590);
  });

  it("throws RetryLaterError when throttled before anything was read, ReconnectError on 190", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    meta.failNext.push({ status: 500, body: { error: { message: "Service temporarily unavailable", code: 2, is_transient: true } } });
    await expect(createMetaPublisher().readBack(context().ctx, [item("a")])).rejects.toBeInstanceOf(RetryLaterError);
    await expect(createMetaPublisher().readBack(context("EAAGnope").ctx, [item("a")])).rejects.toBeInstanceOf(ReconnectError);
  });
});

describe("Meta connection check", () => {
  it("reads the catalog's name and product count", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    meta.items.set("a", { id: "a" });
    expect(await testMetaConnection(fetch, { catalogId: CATALOG, token: TOKEN })).toEqual({ ok: true, name: "Shelfcast Demo Catalog", productCount: 1 });
    expect(meta.calls[0]?.query.get("fields")).toBe("id,name,product_count");
  });

  it("explains a refused token and an unknown catalog, never echoing the token", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    const refused = await testMetaConnection(fetch, { catalogId: CATALOG, token: "EAAGbadbadbad" });
    expect(refused).toEqual({ ok: false, reason: "Meta refused the token (code 190): paste a new system-user token", reconnect: true });
    expect(await testMetaConnection(fetch, { catalogId: "123", token: TOKEN })).toEqual({ ok: false, reason: "Catalog 123 was not found or the token cannot read it", reconnect: false });
  });

  it("refuses a catalog id that is not a number without calling Meta", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    const result = await testMetaConnection(fetch, { catalogId: "my catalog", token: TOKEN });
    expect(result).toMatchObject({ ok: false, reconnect: false, reason: expect.stringContaining("catalogId") });
    expect(meta.calls).toHaveLength(0);
  });

  it("says when Meta is busy", async () => {
    const meta = metaModel();
    mockServer.use(...meta.handlers);
    meta.failNext.push({ status: 503, body: null });
    const result = await testMetaConnection(fetch, { catalogId: CATALOG, token: TOKEN });
    expect(result).toMatchObject({ ok: false, reconnect: false, reason: expect.stringContaining("try again") });
  });
});

describe("metaRequest", () => {
  it("scrubs the token from everything it returns", async () => {
    mockServer.use(
      http.get(`${GRAPH}/echo`, ({ request }) =>
        HttpResponse.json({ error: { message: `bad token ${new URL(request.url).searchParams.get("access_token")}`, code: 100, echo: { [TOKEN]: [TOKEN] } } }, { status: 400 }),
      ),
    );
    const response = await metaRequest(fetch, { method: "GET", path: "/echo", token: TOKEN });
    expect(response.ok).toBe(false);
    expect(JSON.stringify(response)).not.toContain(TOKEN);
    expect(!response.ok && response.error.message).toBe("bad token [redacted]");
  });

  it("turns a timeout into status 0", async () => {
    mockServer.use(http.get(`${GRAPH}/slow`, () => new Promise<Response>((resolve) => setTimeout(() => resolve(HttpResponse.json({})), 500))));
    const response = await metaRequest(fetch, { method: "GET", path: "/slow", token: TOKEN, timeoutMs: 20 });
    expect(response).toMatchObject({ ok: false, status: 0, error: { message: "Meta could not be reached (no answer within 20 ms)" } });
  });
});
