import { describe, expect, it } from "vitest";
import { AdminApiError, createAdminApi } from "~/.server/shopify/graphql-client";
import { getBulkOperation } from "~/.server/shopify/operations/bulk-operation";
import { fetchProductIdForInventoryItem } from "~/.server/shopify/operations/inventory-item-product";
import { fetchProductLines, ProductTooLargeError } from "~/.server/shopify/operations/product-by-id";
import { BulkOperationInProgressError, runBulkQuery } from "~/.server/shopify/operations/run-bulk-query";
import { SHOP_PROFILE_QUERY } from "~/.server/shopify/operations/shop-profile";
import { generateCatalogJsonl } from "~/demo/generate-catalog";
import { createBulkCatalogAssembler } from "~/domain/catalog/bulk-jsonl";
import { CATALOG_BULK_QUERIES, CATALOG_BULK_QUERY, CATALOG_RELATIONS_BULK_QUERY } from "~/domain/catalog/bulk-query";
import { gidType } from "~/domain/catalog/gid";
import { normalizeRestProduct } from "~/domain/catalog/rest-product";
import type { Product } from "~/domain/catalog/types";
import { FakeShopifyShop } from "../../mocks/fake-shopify";
import { mockServer } from "../../mocks/server";

const SHOP = "fake-catalog.myshopify.com";
const TOKEN = "shpat_fake_catalog_token";
const GENERATED_AT = "2026-11-22T00:00:00Z";
const LINES = [...generateCatalogJsonl({ seed: 7, products: 30, now: GENERATED_AT })];

/** A clock the client's sleep advances: the fake's bucket refills exactly as long as the client waits. */
function virtualClock() {
  let nowMs = Date.parse(GENERATED_AT);
  return {
    now: () => nowMs,
    advance: (ms: number) => {
      nowMs += ms;
    },
    sleep: async (ms: number) => {
      nowMs += ms;
    },
  };
}

function setup(options: { bulkPollsUntilDone?: number; accessToken?: string } = {}) {
  const clock = virtualClock();
  const fake = new FakeShopifyShop({ shop: SHOP, accessToken: TOKEN, lines: LINES, now: clock.now, bulkPollsUntilDone: options.bulkPollsUntilDone });
  mockServer.use(...fake.handlers());
  const api = createAdminApi({ shop: SHOP, accessToken: options.accessToken ?? TOKEN, apiVersion: "2025-10", now: clock.now, sleep: clock.sleep, random: () => 0 });
  return { fake, api, clock };
}

/** Files in order into ONE assembler, line numbers continuing across files (bulk-query.ts). */
function assemble(...files: string[][]) {
  const assembler = createBulkCatalogAssembler({ shopCurrency: "EUR" });
  let lineNumber = 0;
  for (const file of files) for (const line of file) assembler.push(line, ++lineNumber);
  return assembler.finish();
}

function sortedJson(products: Product[]): string[] {
  return products.map((product) => JSON.stringify(product)).sort();
}

function kindOf(line: string): string {
  return gidType((JSON.parse(line) as { id: string }).id)!;
}

async function download(url: string): Promise<string[]> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return (await response.text()).split("\n").filter((line) => line !== "");
}

/** Runs one bulk query through the app's operations until COMPLETED, and downloads its file. */
async function runToCompletion(api: ReturnType<typeof setup>["api"], query: string) {
  const started = await runBulkQuery(api, query);
  expect(started.status).toBe("CREATED");
  const polls = [];
  for (let poll = 0; poll < 10; poll += 1) {
    const operation = await getBulkOperation(api, started.id);
    polls.push(operation);
    if (operation?.status === "COMPLETED") return { id: started.id, polls, operation, lines: operation.url ? await download(operation.url) : [] };
  }
  throw new Error(`bulk operation ${started.id} never completed`);
}

const bulkRoute = assemble(LINES);
const bulkProducts = new Map(bulkRoute.products.map((product) => [product.id, product]));

describe("FakeShopifyShop bulk operations", () => {
  it("runs both catalog queries to completion and serves files that reproduce the generator's catalog", async () => {
    const { api, fake } = setup();
    expect(fake.currentLines()).toEqual(LINES);
    const main = await runToCompletion(api, CATALOG_BULK_QUERY);
    const relations = await runToCompletion(api, CATALOG_RELATIONS_BULK_QUERY);

    // CREATED → RUNNING → COMPLETED, no URL until completion, counts and size as Shopify reports them.
    expect(main.polls.map((operation) => [operation?.status, operation?.url === null])).toEqual([
      ["RUNNING", true],
      ["COMPLETED", false],
    ]);
    expect(main.operation).toMatchObject({ objectCount: main.lines.length, rootObjectCount: 30, errorCode: null, partialDataUrl: null });
    expect(main.operation?.fileSize).toBe(Buffer.byteLength(`${main.lines.join("\n")}\n`));
    expect(main.operation?.completedAt).toBe(GENERATED_AT);

    // The generator writes the main query's output, then the relations query's: same lines, same order.
    expect([...main.lines, ...relations.lines]).toEqual(LINES);
    expect(new Set(main.lines.map(kindOf))).toEqual(new Set(["Product", "MediaImage", "Video", "ProductVariant", "InventoryLevel", "Metafield"]));
    expect(new Set(relations.lines.map(kindOf))).toEqual(new Set(["Product", "Metafield", "Collection", "SellingPlanGroup", "SellingPlan"]));
    expect(relations.lines.filter((line) => kindOf(line) === "Product").every((line) => Object.keys(JSON.parse(line)).length === 1)).toBe(true);

    const downloaded = assemble(main.lines, relations.lines);
    expect(downloaded.problems).toEqual([]);
    expect(sortedJson(downloaded.products)).toEqual(sortedJson(bulkRoute.products));
    // Each file alone is only half a catalog: the relations file has no full product lines.
    expect(assemble(relations.lines).products).toEqual([]);
    expect(assemble(main.lines).products.every((product) => product.collectionIds.length === 0 && product.sellingPlanGroups.length === 0)).toBe(true);
  });

  it("refuses a second bulk query while one runs, with Shopify's userError", async () => {
    const { api } = setup({ bulkPollsUntilDone: 3 });
    const first = await runBulkQuery(api, CATALOG_BULK_QUERIES[0]);
    const refused = await runBulkQuery(api, CATALOG_BULK_QUERIES[1]).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BulkOperationInProgressError);
    expect((refused as BulkOperationInProgressError).message).toContain(`A bulk query operation for this app and shop is already in progress: ${first.id}.`);
    expect((refused as BulkOperationInProgressError).runningOperationId).toBe(first.id);

    for (let poll = 0; poll < 3; poll += 1) await getBulkOperation(api, first.id);
    expect((await getBulkOperation(api, first.id))?.status).toBe("COMPLETED");
    await expect(runBulkQuery(api, CATALOG_BULK_QUERIES[1])).resolves.toMatchObject({ status: "CREATED" });
  });

  it("refuses a query that is not a catalog bulk query with a userError naming the field", async () => {
    const { api } = setup();
    const refused = await runBulkQuery(api, "{ products { edges { node { id } } } }").catch((error: unknown) => error);
    expect(refused).not.toBeInstanceOf(BulkOperationInProgressError);
    expect((refused as Error).message).toMatch(/query: Invalid bulk query.*\[INVALID\]/);
  });

  it("answers null for an id that is not a bulk operation it knows", async () => {
    const { api } = setup();
    expect(await getBulkOperation(api, "gid://shopify/BulkOperation/1")).toBeNull();
  });

  it("snapshots the catalog when the operation completes", async () => {
    const { api, fake } = setup({ bulkPollsUntilDone: 2 });
    const firstProduct = bulkRoute.products[0]!.id;
    const { id } = await runBulkQuery(api, CATALOG_BULK_QUERY);
    expect((await getBulkOperation(api, id))?.status).toBe("RUNNING");
    fake.updateProduct(firstProduct, { title: "Renamed while running" });
    const done = await getBulkOperation(api, id);
    fake.updateProduct(firstProduct, { title: "Renamed after completion" });
    const file = (await download(done!.url!)).join("\n");
    expect(file).toContain("Renamed while running");
    expect(file).not.toContain("Renamed after completion");
  });
});

describe("FakeShopifyShop single-product reads", () => {
  const preOrder = bulkRoute.products.find((product) => product.sellingPlanGroups.some((group) => group.sellingPlans.some((plan) => plan.category === "PRE_ORDER")))!;
  const subscription = bulkRoute.products.find((product) => product.sellingPlanGroups.some((group) => group.sellingPlans.some((plan) => plan.category === "SUBSCRIPTION")))!;
  const manyVariants = bulkRoute.products.find((product) => product.variants.length > 10)!;
  const withVideo = bulkRoute.products.find((product) => LINES.some((line) => kindOf(line) === "Video" && JSON.parse(line).__parentId === product.id))!;

  it("has the products these tests need in the seed-7 catalog", () => {
    expect([preOrder, subscription, manyVariants, withVideo].every(Boolean)).toBe(true);
  });

  it("reads each product into lines that assemble to the same Product as the bulk route", async () => {
    const { api, fake } = setup();
    const ids = [...new Set([bulkRoute.products[0]!.id, preOrder.id, subscription.id, manyVariants.id, withVideo.id])];
    for (const id of ids) {
      const lines = await fetchProductLines(api, id);
      const { products, problems } = assemble(lines!);
      expect(problems).toEqual([]);
      expect(products).toEqual([bulkProducts.get(id)]);
    }
    const preOrderPlan = (await fetchProductLines(api, preOrder.id))!.map((line) => JSON.parse(line)).find((line) => line.category === "PRE_ORDER");
    expect(preOrderPlan).toMatchObject({ deliveryPolicy: { fulfillmentTrigger: expect.any(String) }, inventoryPolicy: { reserve: expect.any(String) } });

    // More than 10 variants takes a second page; every read stays under Shopify's 1,000-point cap.
    const reads = fake.requests.filter((request) => request.operationName === "ProductById");
    expect(reads.length).toBeGreaterThan(ids.length + 1);
    expect(reads.every((request) => request.outcome === "ok" && request.requestedQueryCost! > 0 && request.requestedQueryCost! <= 1_000)).toBe(true);
  });

  it("returns null for a deleted product and shows edits in the next read and the next bulk file", async () => {
    const { api, fake, clock } = setup({ bulkPollsUntilDone: 1 });
    const [edited, deleted] = [bulkRoute.products[3]!, bulkRoute.products[4]!];
    clock.advance(60_000);
    fake.updateProduct(edited.id, { title: "Linen Shirt, renamed", tags: ["renamed"] });
    fake.deleteProduct(deleted.id);

    const { products } = assemble((await fetchProductLines(api, edited.id))!);
    expect(products[0]).toEqual({ ...edited, title: "Linen Shirt, renamed", tags: ["renamed"], updatedAt: "2026-11-22T00:01:00Z" });
    expect(await fetchProductLines(api, deleted.id)).toBeNull();

    const main = await runToCompletion(api, CATALOG_BULK_QUERY);
    const relations = await runToCompletion(api, CATALOG_RELATIONS_BULK_QUERY);
    const fromBulk = new Map(assemble(main.lines, relations.lines).products.map((product) => [product.id, product]));
    expect(fromBulk.size).toBe(29);
    expect(fromBulk.has(deleted.id)).toBe(false);
    expect(fromBulk.get(edited.id)).toEqual(products[0]);
    expect(fake.products().map((product) => product.id)).not.toContain(deleted.id);
  });

  it("puts a deleted product back with createProduct", async () => {
    const { api, fake } = setup();
    const original = fake.products().find((product) => product.id === preOrder.id)!;
    fake.deleteProduct(preOrder.id);
    fake.createProduct(original.lines.filter((line) => JSON.stringify({ id: preOrder.id }) !== line)); // the id-only line is optional
    expect(assemble((await fetchProductLines(api, preOrder.id))!).products).toEqual([preOrder]);
    expect(fake.products().find((product) => product.id === preOrder.id)?.lines.sort()).toEqual([...original.lines].sort());
  });

  it("reflects stock changes in reads, webhook payloads and the inventory item lookup", async () => {
    const { api, fake, clock } = setup();
    const variant = bulkRoute.products[0]!.variants[0]!;
    const level = variant.inventoryItem.levels[0]!;
    expect(fake.inventoryLevels(variant.productId)[0]).toEqual({ variantId: variant.id, inventoryItemId: variant.inventoryItem.id, locationId: level.locationId, available: level.available });
    clock.advance(5_000);
    fake.setAvailable(variant.inventoryItem.id, level.locationId, 42);

    const product = assemble((await fetchProductLines(api, variant.productId))!).products[0]!;
    expect(product.variants[0]!.inventoryItem.levels[0]).toEqual({ ...level, available: 42 });
    expect(fake.inventoryLevelPayload(variant.inventoryItem.id, level.locationId)).toMatchObject({
      inventory_item_id: Number(variant.inventoryItem.id.split("/").pop()),
      location_id: Number(level.locationId.split("/").pop()),
      available: 42,
      updated_at: "2026-11-22T00:00:05Z",
    });
    expect(await fetchProductIdForInventoryItem(api, variant.inventoryItem.id)).toBe(variant.productId);
    expect(await fetchProductIdForInventoryItem(api, "gid://shopify/InventoryItem/1")).toBeNull();
  });

  it("throws ProductTooLargeError when a connection has more than one page holds", async () => {
    const { api, fake } = setup();
    const base = fake.products().find((product) => product.id === manyVariants.id)!;
    const id = "gid://shopify/Product/99";
    const metafields = Array.from({ length: 51 }, (_, n) =>
      JSON.stringify({ id: `gid://shopify/Metafield/9900${n}`, namespace: "custom", key: `k${n}`, type: "single_line_text_field", value: "x", __parentId: id }),
    );
    const fullLine = base.lines.find((line) => kindOf(line) === "Product" && Object.keys(JSON.parse(line)).length > 1)!;
    const productLine = JSON.stringify({ ...JSON.parse(fullLine), id, handle: "big" });
    fake.createProduct([productLine, ...metafields]);
    const error = await fetchProductLines(api, id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ProductTooLargeError);
    expect((error as Error).message).toBe(`product ${id} has more than 50 product metafields, more than ProductById reads in one request`);
  });

  it("gives a REST payload that rest-product.ts reads into the same product fields", () => {
    const { fake } = setup();
    for (const product of [preOrder, manyVariants]) {
      const result = normalizeRestProduct(fake.restPayload(product.id), "EUR");
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      const pick = (p: Product) => ({
        id: p.id,
        handle: p.handle,
        title: p.title,
        status: p.status,
        tags: p.tags,
        options: p.options,
        updatedAt: p.updatedAt,
        images: p.media.map((m) => m.url),
        variants: p.variants.map((v) => [v.id, v.sku, v.barcode, v.price, v.compareAtPrice, v.selectedOptions, v.availableQuantity, v.inventoryItem.id, v.weight]),
        variantImages: p.variants.map((v) => p.media.find((m) => m.id === v.imageId)?.url ?? null),
      });
      expect(pick(result.product)).toEqual(pick(product));
    }
  });
});

describe("FakeShopifyShop as an API", () => {
  it("answers 401 with Shopify's error to a wrong token, and the error never carries a token", async () => {
    const { api, fake } = setup({ accessToken: "shpat_wrong_token" });
    const error = await api.request("ShopProfile", SHOP_PROFILE_QUERY).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ kind: "http", status: 401, operationName: "ShopProfile" });
    expect((error as Error).message).toContain("Invalid API key or access token");
    expect((error as Error).message).not.toContain("shpat_");
    expect(fake.requests).toEqual([expect.objectContaining({ outcome: "unauthorized", status: 401 })]);
  });

  it("answers the shop profile", async () => {
    const { api } = setup();
    expect(await api.request("ShopProfile", SHOP_PROFILE_QUERY)).toEqual({
      shop: {
        name: "Shelfcast Demo",
        myshopifyDomain: SHOP,
        currencyCode: "EUR",
        ianaTimezone: "Europe/Amsterdam",
        primaryDomain: { url: "https://fake-catalog.example" },
        billingAddress: { countryCodeV2: "NL" },
      },
    });
  });

  it("validates documents against Shopify's schema and refuses queries over 1,000 points", async () => {
    const { api } = setup();
    await expect(api.request("Wrong", "query Wrong { shop { nonsense } }")).rejects.toMatchObject({ kind: "graphql", message: expect.stringContaining('Cannot query field "nonsense" on type "Shop"') });
    const tooBig = "query TooBig { products(first: 250) { nodes { variants(first: 250) { nodes { id } } } } }";
    await expect(api.request("TooBig", tooBig)).rejects.toMatchObject({ kind: "graphql", message: expect.stringMatching(/Query cost is 63252, .*\(MAX_COST_EXCEEDED\)/) });
  });

  it("reserves the requested cost from a leaky bucket, refunds the unused part, and answers THROTTLED with Shopify's shape", async () => {
    const clock = virtualClock();
    const fake = new FakeShopifyShop({ shop: SHOP, accessToken: TOKEN, lines: LINES, now: clock.now, bucket: { maximumAvailable: 500, restoreRate: 10 } });
    mockServer.use(...fake.handlers());
    const post = async () => {
      const response = await fetch(fake.graphqlUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": TOKEN },
        body: JSON.stringify({ query: "query Big { products(first: 240) { nodes { id handle featuredMedia { id } } } }", operationName: "Big" }),
      });
      return (await response.json()) as { data?: { products: { nodes: unknown[] } }; extensions?: unknown; errors?: unknown };
    };
    // Requested 2 + 240 × (1 + 1) = 482; actual 2 + 30 products × 1 (no featured media) = 32.
    const first = await post();
    expect(first.data?.products.nodes).toHaveLength(30);
    expect(first.extensions).toEqual({ cost: { requestedQueryCost: 482, actualQueryCost: 32, throttleStatus: { maximumAvailable: 500, currentlyAvailable: 468, restoreRate: 10 } } });
    expect(await post()).toEqual({
      errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
      extensions: { cost: { requestedQueryCost: 482, actualQueryCost: null, throttleStatus: { maximumAvailable: 500, currentlyAvailable: 468, restoreRate: 10 } } },
    });
    clock.advance(1_400); // (482 − 468) / 10 s
    expect((await post()).extensions).toMatchObject({ cost: { throttleStatus: { currentlyAvailable: 450 } } });
    expect(fake.requests.map((request) => request.outcome)).toEqual(["ok", "throttled", "ok"]);
  });
});
