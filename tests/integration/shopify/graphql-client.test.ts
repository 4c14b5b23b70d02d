import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { AdminApiError, createAdminApi, type AdminApiOptions, type ThrottleStatus } from "~/.server/shopify/graphql-client";
import { fetchProductLines } from "~/.server/shopify/operations/product-by-id";
import { SHOP_PROFILE_QUERY } from "~/.server/shopify/operations/shop-profile";
import { generateCatalogJsonl } from "~/demo/generate-catalog";
import { createBulkCatalogAssembler } from "~/domain/catalog/bulk-jsonl";
import { FakeShopifyShop } from "../../mocks/fake-shopify";
import { mockServer } from "../../mocks/server";

const SHOP = "client-test.myshopify.com";
const TOKEN = "shpat_client_test_token";
const ENDPOINT = `https://${SHOP}/admin/api/2025-10/graphql.json`;
const LINES = [...generateCatalogJsonl({ seed: 7, products: 3, now: "2026-11-22T00:00:00Z" })];
/** Read in one request: at most 10 variants (product-by-id.ts). */
const PRODUCT_ID = assembleLines(LINES).find((product) => product.variants.length <= 10)!.id;

function assembleLines(lines: string[]) {
  const assembler = createBulkCatalogAssembler();
  lines.forEach((line, index) => assembler.push(line, index + 1));
  return assembler.finish().products;
}

/**
 * Time is virtual: the client's `sleep` records the wait and moves the clock the fake shop's bucket
 * refills by, so nothing here really waits and every wait can be asserted.
 */
function harness(options: Partial<AdminApiOptions> & { bucket?: { maximumAvailable: number; restoreRate: number }; withFake?: boolean } = {}) {
  let nowMs = 1_800_000_000_000;
  const sleeps: number[] = [];
  const throttleWaits: [number, ThrottleStatus | null][] = [];
  const now = () => nowMs;
  const fake = new FakeShopifyShop({ shop: SHOP, accessToken: TOKEN, lines: LINES, now, bucket: options.bucket });
  if (options.withFake !== false) mockServer.use(...fake.handlers());
  const api = createAdminApi({
    shop: SHOP,
    accessToken: TOKEN,
    apiVersion: "2025-10",
    now,
    random: () => 0,
    sleep: async (ms) => {
      sleeps.push(ms);
      nowMs += ms;
    },
    onThrottle: (waitMs, status) => throttleWaits.push([waitMs, status]),
    ...options,
  });
  return { api, fake, sleeps, throttleWaits, advance: (ms: number) => (nowMs += ms) };
}

const costExtension = (requested: number, available: number) => ({
  cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 } },
});

describe("createAdminApi", () => {
  it("sends the token header to the shop's versioned endpoint and remembers the bucket from every answer", async () => {
    const { api } = harness();
    const seen: { url: string; token: string | null; operationName: unknown }[] = [];
    mockServer.use(
      http.post(ENDPOINT, async ({ request }) => {
        seen.push({ url: request.url, token: request.headers.get("X-Shopify-Access-Token"), operationName: ((await request.json()) as { operationName?: string }).operationName });
        return HttpResponse.json({ data: { shop: { name: "A" } }, extensions: costExtension(1, 1999) });
      }),
    );
    expect(api.lastThrottleStatus()).toBeNull();
    expect(await api.request("ShopProfile", SHOP_PROFILE_QUERY)).toEqual({ shop: { name: "A" } });
    expect(seen).toEqual([{ url: ENDPOINT, token: TOKEN, operationName: "ShopProfile" }]);
    expect(api.lastThrottleStatus()).toEqual({ maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 });
    expect(api.shop).toBe(SHOP);
  });

  it("honours THROTTLED: waits (requested − available) / restoreRate plus jitter, then succeeds", async () => {
    const { api, fake, sleeps, throttleWaits } = harness({ random: () => 0.5 });
    fake.throttleNext(2); // the fake empties the bucket each time, as busy sibling workers would
    const lines = await fetchProductLines(api, PRODUCT_ID);
    expect(lines?.length).toBeGreaterThan(0);
    // 804 points requested, 0 available, 100/s: 8.04 s, plus 0.5 × 500 ms of jitter.
    expect(sleeps).toEqual([8_290, 8_290]);
    expect(throttleWaits).toEqual([
      [8_290, { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 }],
      [8_290, { maximumAvailable: 2000, currentlyAvailable: 0, restoreRate: 100 }],
    ]);
    expect(fake.requests.map((request) => request.outcome)).toEqual(["throttled", "throttled", "ok"]);
  });

  it("does not wait twice for one THROTTLED answer, even when its clock does not move", async () => {
    const { api, sleeps } = harness({ withFake: false, now: () => 0 });
    let calls = 0;
    mockServer.use(
      http.post(ENDPOINT, () => {
        calls += 1;
        if (calls === 1) {
          return HttpResponse.json({
            errors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }],
            extensions: { cost: { requestedQueryCost: 100, actualQueryCost: null, throttleStatus: { maximumAvailable: 1_000, currentlyAvailable: 0, restoreRate: 100 } } },
          });
        }
        return HttpResponse.json({ data: { shop: { name: "A" } }, extensions: costExtension(100, 1_900) });
      }),
    );
    expect(await api.request("ShopProfile", SHOP_PROFILE_QUERY)).toEqual({ shop: { name: "A" } });
    expect(sleeps).toEqual([1_000]);
  });

  it("gives up on THROTTLED after maxAttempts with kind throttled", async () => {
    const { api, fake, sleeps } = harness({ maxAttempts: 3 });
    fake.throttleNext(10);
    const error = await api.request("ShopProfile", SHOP_PROFILE_QUERY).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ kind: "throttled", operationName: "ShopProfile", message: "ShopProfile: gave up after 3 attempts; last: THROTTLED" });
    expect(fake.requests).toHaveLength(3);
    expect(sleeps).toEqual([30, 30]); // 3 points (shop, primaryDomain, billingAddress) at 100/s
  });

  it("waits before sending when the last known bucket cannot pay for the operation's last requested cost", async () => {
    const { api, sleeps, throttleWaits, advance } = harness({ withFake: false });
    // Each answer: 300 points requested, 100 left in the bucket, restoring 50/s.
    const lowBucket = { cost: { requestedQueryCost: 300, actualQueryCost: 40, throttleStatus: { maximumAvailable: 1_000, currentlyAvailable: 100, restoreRate: 50 } } };
    let calls = 0;
    mockServer.use(
      http.post(ENDPOINT, () => {
        calls += 1;
        return HttpResponse.json({ data: { shop: { name: "A" } }, extensions: lowBucket });
      }),
    );
    await api.request("ShopProfile", SHOP_PROFILE_QUERY); // nothing known yet: sent at once
    expect(sleeps).toEqual([]);
    await api.request("ShopProfile", SHOP_PROFILE_QUERY);
    expect(sleeps).toEqual([4_000]); // (300 − 100) / 50 s
    expect(throttleWaits).toEqual([[4_000, { maximumAvailable: 1_000, currentlyAvailable: 100, restoreRate: 50 }]]);
    // Time that passed on its own counts as refill: 10 s later the bucket holds 600.
    advance(10_000);
    await api.request("ShopProfile", SHOP_PROFILE_QUERY);
    expect(sleeps).toEqual([4_000]);
    // An operation never priced is expected to cost 50: 100 available is enough.
    await api.request("Unpriced", "query Unpriced { shop { name } }");
    expect(sleeps).toEqual([4_000]);
    expect(calls).toBe(4);
  });

  it("waits for the bucket against the fake shop without ever being throttled", async () => {
    const { api, fake, sleeps } = harness({ bucket: { maximumAvailable: 1_000, restoreRate: 50 } });
    fake.throttleNext(1); // empties the bucket: 804 requested, nothing left
    await fetchProductLines(api, PRODUCT_ID);
    const refunded = api.lastThrottleStatus()!.currentlyAvailable;
    expect(refunded).toBeLessThan(804); // requested cost reserved, only the actual cost kept
    await fetchProductLines(api, PRODUCT_ID);
    expect(sleeps).toEqual([16_080, Math.ceil(((804 - refunded) / 50) * 1000)]);
    expect(fake.requests.map((request) => request.outcome)).toEqual(["throttled", "ok", "ok"]);
  });

  it("honours HTTP 429 with Retry-After", async () => {
    const { api, sleeps, throttleWaits } = harness();
    let calls = 0;
    mockServer.use(
      http.post(ENDPOINT, () => {
        calls += 1;
        if (calls === 1) return HttpResponse.json({ errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }, { status: 429, headers: { "Retry-After": "2.0" } });
        return HttpResponse.json({ data: { shop: { name: "A" } }, extensions: costExtension(1, 1999) });
      }),
    );
    expect(await api.request("ShopProfile", SHOP_PROFILE_QUERY)).toEqual({ shop: { name: "A" } });
    expect(sleeps).toEqual([2_000]);
    expect(throttleWaits.map(([waitMs]) => waitMs)).toEqual([2_000]);
    expect(calls).toBe(2);
  });

  it("backs off on 5xx with full jitter (1, 2, 4 … s, capped at 30 s) and stops after maxAttempts", async () => {
    const { api, fake, sleeps } = harness({ random: () => 1, maxAttempts: 8 });
    fake.failNext(20, 502);
    const error = await api.request("ShopProfile", SHOP_PROFILE_QUERY).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "http", status: 502 });
    expect((error as Error).message).toMatch(/^ShopProfile: gave up after 8 attempts; last: HTTP 502/);
    expect(sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(fake.requests).toHaveLength(8);
  });

  it("recovers from a few 5xx answers", async () => {
    const { api, fake, sleeps } = harness({ random: () => 0.5 });
    fake.failNext(2, 503);
    expect(await api.request("ShopProfile", SHOP_PROFILE_QUERY)).toMatchObject({ shop: { myshopifyDomain: SHOP } });
    expect(sleeps).toEqual([500, 1_000]);
  });

  it("retries network errors and reports kind network when they persist", async () => {
    const { api, sleeps } = harness({ maxAttempts: 3, random: () => 1 });
    mockServer.use(http.post(ENDPOINT, () => HttpResponse.error()));
    await expect(api.request("ShopProfile", SHOP_PROFILE_QUERY)).rejects.toMatchObject({ kind: "network", operationName: "ShopProfile" });
    expect(sleeps).toEqual([1_000, 2_000]);
  });

  it("throws a GraphQL error that is not THROTTLED at once, naming the operation", async () => {
    const { api, fake, sleeps } = harness();
    const error = await api.request("BrokenQuery", "query BrokenQuery { shop { notAField } }").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ kind: "graphql", operationName: "BrokenQuery" });
    expect((error as Error).message).toMatch(/^BrokenQuery: Cannot query field "notAField" on type "Shop"/);
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("throws 4xx other than 429 at once without the token in the message", async () => {
    const { api, fake, sleeps } = harness({ accessToken: "shpat_revoked_token" });
    const error = await api.request("ShopProfile", SHOP_PROFILE_QUERY).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "http", status: 401 });
    expect(JSON.stringify({ message: (error as Error).message, stack: (error as Error).stack })).not.toContain("shpat_revoked_token");
    expect(fake.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it("puts a timeout on every request and reports kind timeout when it keeps firing", async () => {
    const signals: AbortSignal[] = [];
    // Hangs until the client's own timeout aborts it (1 ms: the only real time this file spends).
    const hangingFetch: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        const signal = init!.signal!;
        signals.push(signal);
        signal.addEventListener("abort", () => reject(signal.reason));
      });
    const { api, sleeps } = harness({ fetch: hangingFetch, timeoutMs: 1, maxAttempts: 2, random: () => 1, withFake: false });
    const error = await api.request("ShopProfile", SHOP_PROFILE_QUERY).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: "timeout", operationName: "ShopProfile", message: "ShopProfile: gave up after 2 attempts; last: no answer within 1 ms" });
    expect(signals).toHaveLength(2);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(sleeps).toEqual([1_000]);
  });
});
