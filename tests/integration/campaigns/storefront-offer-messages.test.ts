import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import { buildShopFeeds } from "../../../app/.server/services/channel-feeds/build-feeds";
import { writeStorefrontOfferMessages, type WriteOfferMessagesDeps } from "../../../app/.server/services/rules/storefront-offer-messages";
import { createAdminApi } from "../../../app/.server/shopify/graphql-client";
import type { Product } from "../../../app/domain/catalog/types";
import { buildCatalogProduct } from "../../factories/catalog";
import { mockServer } from "../../mocks/server";
import { FakeShopifyMetafields } from "../../mocks/shopify-metafields";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "offer-messages.myshopify.com";
const DEMO = "offer-messages-demo.myshopify.com";
const READ_ONLY = "offer-messages-read-only.myshopify.com";
const TOKEN = "shpat_offer_messages_token";
const NOW = new Date("2026-03-02T12:00:00Z");

function level(available: number) {
  return { id: "gid://shopify/InventoryItem/1", tracked: true, countryCodeOfOrigin: null, harmonizedSystemCode: null, levels: [{ locationId: "gid://shopify/Location/1", locationName: "Main", available }] };
}

/** 12 active products of 3 variants (36 variants: two calls of 25 and 11), and a draft. */
function catalog(stockOfFirst = 40): Product[] {
  const products = Array.from({ length: 12 }, (_, index) =>
    buildCatalogProduct(7000 + index, { title: `Candle ${index}` }, [
      { availableQuantity: index === 0 ? stockOfFirst : 40, inventoryItem: level(index === 0 ? stockOfFirst : 40) },
      { availableQuantity: 3, inventoryItem: level(3) },
      { availableQuantity: 0, inventoryItem: level(0) },
    ]),
  );
  products.push(buildCatalogProduct(7999, { title: "Draft candle", status: "DRAFT" }, [{ availableQuantity: 5, inventoryItem: level(5) }]));
  return products;
}

describe("the storefront offer messages", () => {
  let runtime: Runtime;
  let fake: FakeShopifyMetafields;
  const deps: WriteOfferMessagesDeps = {
    adminApi: async (shop) => createAdminApi({ shop, accessToken: TOKEN, apiVersion: "2025-10", sleep: async () => undefined }),
    now: () => NOW,
  };

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products,write_products", { name: "Messages", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://messages.example" });
    await upsertShopInstalled(runtime.db.prisma, READ_ONLY, "read_products", { name: "Read only", currencyCode: "USD", countryCode: "US" });
    await upsertShopInstalled(runtime.db.prisma, DEMO, "read_products,write_products", { name: "Demo", currencyCode: "USD", countryCode: "US", isDemo: true });
    for (const shop of [SHOP, READ_ONLY, DEMO]) await replaceProducts(runtime.db, shop, catalog(), NOW);
    const variantIds = catalog().flatMap((product) => product.variants.map((variant) => variant.id));
    fake = new FakeShopifyMetafields({ shop: SHOP, accessToken: TOKEN, variantIds });
  });
  beforeEach(() => mockServer.use(...fake.handlers()));
  afterAll(async () => stopTestApp(runtime));

  it("writes every active variant's message, at most 25 per call, as the JSON the theme block reads", async () => {
    const outcome = await writeStorefrontOfferMessages(runtime, { shop: SHOP }, deps);
    expect(outcome).toMatchObject({ state: "written", written: 36, refused: 0, calls: 2, variants: 37 });
    expect(fake.calls.map((call) => call.count)).toEqual([25, 11]);
    const values = [...fake.metafields.values()];
    expect(values).toHaveLength(36);
    expect(values.every((metafield) => metafield.namespace === "shelfcast" && metafield.key === "offer_message" && metafield.type === "json")).toBe(true);
    const first = buildCatalogProduct(7000, {}, [{}, {}, {}]).variants;
    expect(JSON.parse(fake.get(first[0]!.id, "shelfcast", "offer_message")!.value)).toEqual({ message: "In stock", availability: "in_stock", date: null });
    expect(JSON.parse(fake.get(first[1]!.id, "shelfcast", "offer_message")!.value)).toEqual({ message: "Only 3 left", availability: "in_stock", date: null });
    expect(JSON.parse(fake.get(first[2]!.id, "shelfcast", "offer_message")!.value)).toEqual({ message: "Out of stock", availability: "out_of_stock", date: null });
    // The draft's variant is not shown on the storefront: nothing written for it.
    expect(fake.get(buildCatalogProduct(7999).variants[0]!.id, "shelfcast", "offer_message")).toBeUndefined();
  });

  it("writes nothing when no message changed, and only the changed variant after a stock change", async () => {
    fake.calls.length = 0;
    expect(await writeStorefrontOfferMessages(runtime, { shop: SHOP }, deps)).toMatchObject({ state: "unchanged", calls: 0 });
    expect(fake.calls).toEqual([]);

    await replaceProducts(runtime.db, SHOP, catalog(2), NOW);
    expect(await writeStorefrontOfferMessages(runtime, { shop: SHOP }, deps)).toMatchObject({ state: "written", written: 1, calls: 1 });
    expect(fake.calls).toEqual([{ count: 1, outcome: "ok" }]);
    const first = buildCatalogProduct(7000, {}, [{}, {}, {}]).variants[0]!;
    expect(JSON.parse(fake.get(first.id, "shelfcast", "offer_message")!.value).message).toBe("Only 2 left");
  });

  it("writes the rest of a call when Shopify refuses one metafield of it, and tries the refused one again next time", async () => {
    await replaceProducts(runtime.db, SHOP, catalog(1), NOW);
    const refused = buildCatalogProduct(7000, {}, [{}, {}, {}]).variants[0]!.id;
    fake.refusedOwners.add(refused);
    const other = buildCatalogProduct(7005, {}, [{}, {}, {}]).variants[1]!;
    // Another change in the same call, so the call is atomic over two metafields.
    const products = catalog(1).map((product) =>
      product.id === other.productId ? { ...product, variants: product.variants.map((variant) => (variant.id === other.id ? { ...variant, availableQuantity: 4, inventoryItem: level(4) } : variant)) } : product,
    );
    await replaceProducts(runtime.db, SHOP, products, NOW);
    fake.calls.length = 0;
    const outcome = await writeStorefrontOfferMessages(runtime, { shop: SHOP }, deps);
    expect(outcome).toMatchObject({ state: "partial", written: 1, refused: 1, calls: 2 });
    expect(outcome.message).toContain("Owner does not exist");
    expect(JSON.parse(fake.get(other.id, "shelfcast", "offer_message")!.value).message).toBe("Only 4 left");

    fake.refusedOwners.delete(refused);
    expect(await writeStorefrontOfferMessages(runtime, { shop: SHOP }, deps)).toMatchObject({ state: "written", written: 1 });
    expect(JSON.parse(fake.get(refused, "shelfcast", "offer_message")!.value).message).toBe("Only 1 left");
  });

  it("writes nothing for the demo shop, nor without the write_products scope", async () => {
    fake.calls.length = 0;
    expect(await writeStorefrontOfferMessages(runtime, { shop: DEMO }, deps)).toMatchObject({ state: "not-sent", message: expect.stringContaining("demo shop") as string });
    expect(await writeStorefrontOfferMessages(runtime, { shop: READ_ONLY }, deps)).toMatchObject({ state: "not-sent", message: expect.stringContaining("write_products") as string });
    expect(fake.calls).toEqual([]);
  });

  it("is asked for after every feed build", async () => {
    await buildShopFeeds(runtime, { shop: SHOP, reason: "test" }, () => new Date());
    const jobs = await runtime.boss.findJobs(QUEUES.storefrontOfferMessages, { data: { shop: SHOP }, queued: true });
    expect(jobs).toHaveLength(1);
  });
});
