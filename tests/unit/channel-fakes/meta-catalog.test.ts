import { describe, expect, it } from "vitest";
import { createFakeFetch, FaultPlan, imageInfo, MetaCatalogFake, type MetaCatalogFakeOptions } from "../../../app/demo/channel-fakes";
import { useChannelFakes } from "../../mocks/channel-fakes";

const TOKEN = "meta-test-token";
const CATALOG = "2000000000000042";
const GRAPH = `https://graph.facebook.com/v21.0/${CATALOG}`;

function setup(options: MetaCatalogFakeOptions = {}) {
  let clock = new Date("2026-03-01T12:00:00Z");
  const fake = new MetaCatalogFake({ accessToken: TOKEN, catalogId: CATALOG, regainAccessMinutes: 0, now: () => clock, ...options });
  const fetch = createFakeFetch(fake);
  return { fake, fetch, advance: (ms: number) => (clock = new Date(clock.getTime() + ms)) };
}

function item(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    title: "Linen Shirt",
    description: "A breathable shirt woven from European linen.",
    availability: "in stock",
    condition: "new",
    price: "39.00 USD",
    link: `https://shop.example.com/products/linen-shirt?variant=${id}`,
    image_link: "https://cdn.shopify.com/s/files/1/linen-shirt.jpg",
    additional_image_link: ["https://cdn.shopify.com/s/files/1/linen-shirt-back.jpg"],
    brand: "Acme Linen",
    quantity_to_sell_on_facebook: "12",
    ...overrides,
  };
}

type BatchRequest = { method: string; data: Record<string, unknown> };

/** The answers' fields these tests read (a Graph error, or the endpoint's body). */
interface GraphErrorBody {
  error?: { message: string; type: string; code: number; fbtrace_id: string; is_transient?: boolean };
}
interface BatchAnswer extends GraphErrorBody {
  handles: string[];
  validation_status: { retailer_id: string; errors: { message: string }[] }[];
}
interface StatusAnswer extends GraphErrorBody {
  data: { status: string; handle: string; errors: { line?: number; id: string; message: string }[]; errors_total_count: number; ids_of_invalid_requests: string[] }[];
}
interface ProductsAnswer extends GraphErrorBody {
  data: { id: string; retailer_id: string; review_status: string; errors: { error_type: string; error_priority: string }[] }[];
  paging: { cursors: { after?: string }; next?: string };
}

const upsert = (data: Record<string, unknown>): BatchRequest => ({ method: "UPDATE", data });

async function postBatch(fetch: typeof globalThis.fetch, requests: unknown[], extra: Record<string, unknown> = {}) {
  const body = JSON.stringify({ access_token: TOKEN, item_type: "PRODUCT_ITEM", allow_upsert: true, requests, ...extra });
  const response = await fetch(`${GRAPH}/items_batch`, { method: "POST", headers: { "content-type": "application/json" }, body });
  return { response, json: (await response.json()) as BatchAnswer };
}

async function get<T = GraphErrorBody>(fetch: typeof globalThis.fetch, path: string, params: Record<string, string>) {
  const query = new URLSearchParams({ ...params, access_token: params.access_token ?? TOKEN });
  const response = await fetch(`${GRAPH}${path}?${query}`);
  return { response, json: (await response.json()) as T & GraphErrorBody };
}

const pollStatus = (fetch: typeof globalThis.fetch, handle: string) => get<StatusAnswer>(fetch, "/check_batch_request_status", { handle });

const listProducts = (fetch: typeof globalThis.fetch, ids: string[], extra: Record<string, string> = {}) =>
  get<ProductsAnswer>(fetch, "/products", { fields: "retailer_id,review_status,errors", filter: JSON.stringify({ retailer_id: { is_any: ids } }), ...extra });

describe("Meta catalog fake: tokens and the catalog", () => {
  it("refuses a wrong or missing token with a Graph OAuthException and stores nothing", async () => {
    const { fake, fetch } = setup();
    const wrong = await postBatch(fetch, [upsert(item("1"))], { access_token: "stolen" });
    expect(wrong.response.status).toBe(400);
    expect(wrong.json.error).toMatchObject({ type: "OAuthException", code: 190 });
    expect(typeof wrong.json.error?.fbtrace_id).toBe("string");
    expect(JSON.stringify(wrong.json)).not.toContain("stolen");

    // POST takes the token in the body only (wire.md): one in the query does not count.
    const body = JSON.stringify({ item_type: "PRODUCT_ITEM", requests: [upsert(item("1"))] });
    const inQuery = await fetch(`${GRAPH}/items_batch?access_token=${TOKEN}`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(inQuery.status).toBe(400);
    expect(((await inQuery.json()) as GraphErrorBody).error?.code).toBe(104);

    const read = await get(fetch, "", { fields: "id,name,product_count", access_token: "stolen" });
    expect(read.json.error?.code).toBe(190);
    expect(fake.items.size).toBe(0);
  });

  it("reads the catalog and refuses an unknown one with code 100", async () => {
    const { fetch } = setup({ catalogName: "Spring catalog" });
    await postBatch(fetch, [upsert(item("1")), upsert(item("2"))]);
    const catalog = await get<Record<string, unknown>>(fetch, "", { fields: "id,name,product_count" });
    expect(catalog.json).toEqual({ id: CATALOG, name: "Spring catalog", product_count: 2 });

    const response = await fetch(`https://graph.facebook.com/v21.0/999/?fields=id&access_token=${TOKEN}`);
    expect(response.status).toBe(400);
    const json = (await response.json()) as GraphErrorBody;
    expect(json.error?.code).toBe(100);
    expect(json.error?.message).toContain("Object with ID '999' does not exist");
  });

  it("declines Graph paths it does not model so other fakes (the Conversions API) can answer them", async () => {
    const { fake } = setup();
    const events = new Request(`https://graph.facebook.com/v21.0/1234/events`, { method: "POST", body: "{}" });
    expect(await fake.handle(events)).toBeNull();
    expect(await fake.handle(new Request("https://api.pinterest.com/v5/catalogs"))).toBeNull();
    expect(fake.calls).toHaveLength(0);
  });
});

describe("Meta catalog fake: items_batch limits", () => {
  it("takes 5,000 requests and refuses 5,001 with code 100", async () => {
    const { fake, fetch } = setup();
    const requests = Array.from({ length: 5_000 }, (_, index) => upsert(item(`v${index}`)));
    const accepted = await postBatch(fetch, requests);
    expect(accepted.response.status).toBe(200);
    expect(accepted.json.handles).toHaveLength(1);
    expect(fake.items.size).toBe(5_000);

    const refused = await postBatch(fetch, [...requests, upsert(item("v5000"))]);
    expect(refused.response.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 100, message: "requests: at most 5000 per call" });
    expect(fake.items.has("v5000")).toBe(false);
    expect(fake.calls.at(-1)).toMatchObject({ requests: 5_001, status: 400 });
  });

  it("refuses a body over 28 MB with code 1, even when every item is valid", async () => {
    const { fake, fetch } = setup();
    const description = "Soft linen. ".repeat(750); // 9,000 characters, under Meta's 9,999
    const requests = Array.from({ length: 3_300 }, (_, index) => upsert(item(`big${index}`, { description })));
    const { response, json } = await postBatch(fetch, requests);
    expect(fake.calls.at(-1)!.bytes).toBeGreaterThan(28 * 1024 * 1024);
    expect(response.status).toBe(400);
    expect(json.error).toMatchObject({ code: 1, message: "Please reduce the amount of data you're asking for, then retry your request" });
    expect(fake.items.size).toBe(0);
  });
});

describe("Meta catalog fake: per-item validation", () => {
  it("refuses invalid items one by one in validation_status and stores the valid items of the same batch", async () => {
    const { fake, fetch } = setup();
    const { response, json } = await postBatch(fetch, [
      upsert(item("ok-1")),
      upsert(item("unknown-field", { sizes: "M" })),
      upsert(item("bad-availability", { availability: "In Stock" })),
      upsert(item("bad-gender", { gender: "men" })),
      upsert(item("bad-price", { price: "39,00 €" })),
      upsert(item("long-title", { title: "T".repeat(201) })),
      upsert(item("no-brand", { brand: undefined })),
      upsert(item("gtin-instead-of-brand", { brand: undefined, gtin: "0012345678905" })),
      upsert(item("string-images", { additional_image_link: "https://cdn.shopify.com/a.jpg,https://cdn.shopify.com/b.jpg" })),
      { method: "PATCH", data: item("bad-method") },
      upsert(item("ok-2", { title: "T".repeat(200) })),
    ]);
    expect(response.status).toBe(200);
    expect(json.handles).toHaveLength(1);
    const errors = Object.fromEntries(json.validation_status.map((status) => [status.retailer_id, status.errors.map((error) => error.message)]));
    expect(Object.keys(errors).sort()).toEqual(["bad-availability", "bad-gender", "bad-method", "bad-price", "long-title", "no-brand", "string-images", "unknown-field"]);
    expect(errors["unknown-field"]).toEqual(["Unknown field: sizes"]);
    expect(errors["bad-availability"]![0]).toMatch(/availability.*"In Stock"/);
    expect(errors["bad-gender"]![0]).toMatch(/gender.*"men"/);
    expect(errors["bad-price"]![0]).toMatch(/price.*"39,00 €"/);
    expect(errors["long-title"]![0]).toMatch(/title is too long: 201/);
    expect(errors["no-brand"]![0]).toMatch(/brand/);
    expect(errors["string-images"]![0]).toMatch(/additional_image_link/);
    expect(errors["bad-method"]![0]).toMatch(/method/);
    expect([...fake.items.keys()].sort()).toEqual(["gtin-instead-of-brand", "ok-1", "ok-2"]);
  });

  it("returns no handle when nothing was ingested", async () => {
    const { fake, fetch } = setup();
    const { json } = await postBatch(fetch, [upsert(item("a", { condition: "mint" })), upsert({ id: "b", title: "Only a title" })]);
    expect(json.handles).toEqual([]);
    expect(json.validation_status).toHaveLength(2);
    expect(json.validation_status[1]!.errors.map((error) => error.message)).toContain("Missing required field: price");
    expect(fake.batches.size).toBe(0);
  });

  it("refuses a wrong item_type for the whole call", async () => {
    const { fetch } = setup();
    const { response, json } = await postBatch(fetch, [upsert(item("a"))], { item_type: "PRODUCT" });
    expect(response.status).toBe(400);
    expect(json.error?.code).toBe(100);
  });
});

describe("Meta catalog fake: handles, review and the products edge", () => {
  it("answers in_progress on the first poll and finished later, with errors only once finished", async () => {
    const { fetch } = setup({ pollsUntilFinished: 2 });
    const { json } = await postBatch(fetch, [upsert(item("a", { title: "Watermark Linen Shirt" })), upsert(item("b"))]);
    const handle = json.handles[0]!;
    const statuses: string[] = [];
    for (let poll = 0; poll < 3; poll += 1) {
      const { json: status } = await pollStatus(fetch, handle);
      statuses.push(status.data[0]!.status);
      if (status.data[0]!.status !== "finished") expect(status.data[0]!.errors).toEqual([]);
    }
    expect(statuses).toEqual(["in_progress", "in_progress", "finished"]);
    const unknown = await pollStatus(fetch, "no-such-handle");
    expect(unknown.json.error?.code).toBe(100);
  });

  it("reports a policy rejection in the batch status and on the products edge, and stores the rejected item", async () => {
    const { fake, fetch } = setup();
    const { json } = await postBatch(fetch, [upsert(item("bad", { description: "Works like a MIRACLE CURE for tired skin." })), upsert(item("good"))]);
    const handle = json.handles[0]!;

    const before = await listProducts(fetch, ["bad", "good"]);
    expect(before.json.data.map((product) => product.review_status)).toEqual(["pending", "pending"]);

    expect((await pollStatus(fetch, handle)).json.data[0]!.status).toBe("in_progress");
    const finished = (await pollStatus(fetch, handle)).json.data[0]!;
    expect(finished.status).toBe("finished");
    expect(finished.ids_of_invalid_requests).toEqual(["bad"]);
    expect(finished.errors_total_count).toBe(1);
    expect(finished.errors[0]).toMatchObject({ id: "bad", line: 0 });
    expect(finished.errors[0]!.message).toMatch(/^Item rejected: .*miracle cure.*\(policy\)$/);

    const after = await listProducts(fetch, ["bad", "good", "never-sent"]);
    const byId = Object.fromEntries(after.json.data.map((product) => [product.retailer_id, product]));
    expect(Object.keys(byId)).toEqual(["bad", "good"]);
    expect(byId.bad).toMatchObject({ review_status: "rejected", errors: [{ error_type: "policy_violation", error_priority: "HIGH" }] });
    expect(byId.good).toMatchObject({ review_status: "approved", errors: [] });
    expect(typeof byId.good!.id).toBe("string");
    expect(fake.item("bad")?.data.description).toContain("MIRACLE CURE");
  });

  it("lets a custom policy decide and reviews only content no later batch replaced", async () => {
    const { fake, fetch } = setup({ policy: (data) => (String(data.title).includes("Replica") ? "counterfeit" : null) });
    const first = await postBatch(fetch, [upsert(item("a", { title: "Replica Watch" }))]);
    await postBatch(fetch, [upsert(item("a", { title: "Genuine Watch" }))]);
    fake.finishBatches();
    expect(fake.item("a")).toMatchObject({ review_status: "approved", data: { title: "Genuine Watch" } });
    expect(fake.batches.get(first.json.handles[0]!)?.errors).toEqual([]);
  });

  it("pages the products edge with cursors", async () => {
    const { fetch } = setup();
    await postBatch(fetch, ["a", "b", "c"].map((id) => upsert(item(id))));
    const first = await listProducts(fetch, ["a", "b", "c"], { limit: "2" });
    expect(first.json.data.map((product) => product.retailer_id)).toEqual(["a", "b"]);
    expect(first.json.paging.next).toContain("after=");
    const second = await listProducts(fetch, ["a", "b", "c"], { limit: "2", after: first.json.paging.cursors.after ?? "" });
    expect(second.json.data.map((product) => product.retailer_id)).toEqual(["c"]);
    expect(second.json.paging.next).toBeUndefined();
  });
});

describe("Meta catalog fake: item identity", () => {
  it("holds exactly the last content of every item and counts creates and updates", async () => {
    const { fake, fetch } = setup();
    await postBatch(fetch, [upsert(item("a", { price: "10.00 USD", sale_price: "8.00 USD" })), upsert(item("b"))]);
    await postBatch(fetch, [upsert(item("a", { price: "12.00 USD" }))]);
    const productId = fake.item("a")!.productId;
    await postBatch(fetch, [{ method: "CREATE", data: item("a", { price: "12.00 USD" }) }]);
    expect(fake.snapshot().items.a!.data).toEqual(item("a", { price: "12.00 USD" }));
    expect(fake.item("a")!.productId).toBe(productId);
    expect(fake.history.get("a")).toEqual({ creates: 1, updates: 2, deletes: 0 });
    expect(fake.history.get("b")).toEqual({ creates: 1, updates: 0, deletes: 0 });
  });

  it("deletes an item, and deleting a missing item is fine", async () => {
    const { fake, fetch } = setup();
    await postBatch(fetch, [upsert(item("a")), upsert(item("b"))]);
    const { json } = await postBatch(fetch, [
      { method: "DELETE", data: { id: "a" } },
      { method: "DELETE", data: { id: "never-there" } },
    ]);
    expect(json.handles).toHaveLength(1);
    expect(json.validation_status).toEqual([]);
    expect([...fake.items.keys()]).toEqual(["b"]);
    expect(fake.history.get("a")?.deletes).toBe(1);
    const listed = await listProducts(fetch, ["a", "b"]);
    expect(listed.json.data.map((product) => product.retailer_id)).toEqual(["b"]);
  });

  it("refuses an UPDATE of a missing item when allow_upsert is false (in the batch status)", async () => {
    const { fake, fetch } = setup();
    const { json } = await postBatch(fetch, [upsert(item("a"))], { allow_upsert: false });
    fake.finishBatches();
    expect(fake.items.size).toBe(0);
    expect(fake.batches.get(json.handles[0]!)?.errors[0]?.id).toBe("a");
  });
});

describe("Meta catalog fake: throttling, 5xx and timeouts", () => {
  it("throttles with code 80014 and the usage header, then answers normally; the throttled batch is not applied", async () => {
    const { fake, fetch } = setup({ businessId: "555" });
    fake.faults.failNext("throttle", "server-error");
    const throttled = await postBatch(fetch, [upsert(item("a"))]);
    expect(throttled.response.status).toBe(400);
    expect(throttled.json.error?.code).toBe(80014);
    const usage = JSON.parse(throttled.response.headers.get("x-business-use-case-usage")!);
    expect(usage["555"][0]).toMatchObject({ type: "catalog_batch", estimated_time_to_regain_access: 0 });

    const failed = await postBatch(fetch, [upsert(item("a"))]);
    expect(failed.response.status).toBe(500);
    expect(failed.json.error).toMatchObject({ code: 2, is_transient: true });
    expect(fake.items.size).toBe(0);

    const ok = await postBatch(fetch, [upsert(item("a"))]);
    expect(ok.response.status).toBe(200);
    expect(ok.response.headers.get("x-business-use-case-usage")).toContain('"call_count"');
    expect(fake.items.has("a")).toBe(true);
    expect(fake.calls.map((call) => call.fault)).toEqual(["throttle", "server-error", null]);
  });

  it("uses the configured regain time and throttles on its own past the hourly budget", async () => {
    const { fake, fetch, advance } = setup({ regainAccessMinutes: 7, callsPerHour: 2 });
    await get(fetch, "", { fields: "id" });
    await get(fetch, "", { fields: "id" });
    const third = await get(fetch, "", { fields: "id" });
    expect(third.json.error?.code).toBe(80014);
    expect(JSON.parse(third.response.headers.get("x-business-use-case-usage")!)[fake.businessId][0].estimated_time_to_regain_access).toBe(7);
    advance(61 * 60 * 1000);
    expect((await get(fetch, "", { fields: "id" })).response.status).toBe(200);
  });

  it("goes silent on a timeout until the caller aborts; an applied timeout still wrote the items", async () => {
    const { fake, fetch } = setup();
    fake.faults.failNext({ kind: "timeout", applied: true }, { kind: "timeout", applied: false });
    const body = (id: string) => JSON.stringify({ access_token: TOKEN, item_type: "PRODUCT_ITEM", requests: [upsert(item(id))] });
    const send = (id: string) => fetch(`${GRAPH}/items_batch`, { method: "POST", headers: { "content-type": "application/json" }, body: body(id), signal: AbortSignal.timeout(30) });
    await expect(send("applied")).rejects.toMatchObject({ name: "TimeoutError" });
    await expect(send("lost")).rejects.toMatchObject({ name: "TimeoutError" });
    expect(fake.items.has("applied")).toBe(true);
    expect(fake.items.has("lost")).toBe(false);
  });

  it("answers a 504 in plain text when the caller never aborts", async () => {
    const { fake, fetch } = setup({ faults: { timeoutMs: 20 } });
    fake.faults.failNext("timeout");
    const response = await fetch(`${GRAPH}?fields=id&access_token=${TOKEN}`);
    expect(response.status).toBe(504);
    expect(response.headers.get("content-type")).toBe("text/plain");
  });
});

describe("fault plans", () => {
  it("fails about a fifth of the calls at rate 0.2, the same calls for the same seed", () => {
    const sequence = (seed: number) => {
      const plan = new FaultPlan({ rate: 0.2, seed });
      return Array.from({ length: 500 }, () => {
        const fault = plan.next();
        return fault ? `${fault.kind}${fault.applied ? "+applied" : ""}` : "-";
      });
    };
    const first = sequence(7);
    expect(sequence(7)).toEqual(first);
    expect(sequence(8)).not.toEqual(first);
    const failures = first.filter((entry) => entry !== "-");
    expect(failures.length).toBeGreaterThan(70);
    expect(failures.length).toBeLessThan(130);
    expect(new Set(failures.map((entry) => entry.replace("+applied", "")))).toEqual(new Set(["throttle", "server-error", "timeout"]));
    // Some timeouts happened after the write, some before: both kinds of silence occur.
    expect(failures).toContain("timeout+applied");
    expect(failures).toContain("timeout");
    expect(failures.filter((entry) => entry.startsWith("throttle") || entry.startsWith("server-error")).every((entry) => !entry.includes("applied"))).toBe(true);
  });

  it("fails the same API calls of two fakes with the same seed", async () => {
    const run = async () => {
      const { fake, fetch } = setup({ faults: { rate: 0.2, seed: 3, kinds: ["throttle", "server-error"] } });
      const statuses: number[] = [];
      for (let call = 0; call < 40; call += 1) statuses.push((await get(fetch, "", { fields: "id" })).response.status);
      return { statuses, injected: fake.faults.injected.map((fault) => fault.call) };
    };
    const [a, b] = [await run(), await run()];
    expect(a).toEqual(b);
    expect(a.statuses.filter((status) => status !== 200).length).toBe(a.injected.length);
    expect(a.injected.length).toBeGreaterThan(0);
  });
});

describe("image CDN, fake fetch and msw", () => {
  it("serves JPEG-looking images on Shopify's CDN and *.example.com, never reaching the network", async () => {
    const { fetch } = setup();
    for (const url of ["https://cdn.shopify.com/s/files/1/shirt.jpg?v=3", "https://images.example.com/shirt.jpg"]) {
      const response = await fetch(url);
      expect(response.headers.get("content-type")).toBe("image/jpeg");
      expect(imageInfo(new Uint8Array(await response.arrayBuffer()))).toEqual({ format: "jpeg", width: 1000, height: 1000 });
    }
    await expect(fetch("https://example.org/nowhere")).rejects.toThrow(new TypeError("fetch failed"));
  });

  it("answers through msw with the same fake", async () => {
    const fake = new MetaCatalogFake({ accessToken: TOKEN, catalogId: CATALOG });
    useChannelFakes(fake);
    const body = JSON.stringify({ access_token: TOKEN, item_type: "PRODUCT_ITEM", requests: [upsert(item("via-msw"))] });
    const response = await globalThis.fetch(`${GRAPH}/items_batch`, { method: "POST", headers: { "content-type": "application/json" }, body });
    expect(response.status).toBe(200);
    expect(fake.items.has("via-msw")).toBe(true);
  });

  it("rejects an msw-routed call when the caller's signal aborts during a timeout", async () => {
    const fake = new MetaCatalogFake({ accessToken: TOKEN, catalogId: CATALOG });
    useChannelFakes(fake);
    fake.faults.failNext({ kind: "timeout", applied: false });
    await expect(globalThis.fetch(`${GRAPH}?fields=id&access_token=${TOKEN}`, { signal: AbortSignal.timeout(30) })).rejects.toMatchObject({ name: "TimeoutError" });
  });
});
