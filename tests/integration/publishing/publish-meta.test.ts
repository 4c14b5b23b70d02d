import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { countItemStates } from "../../../app/.server/repositories/channel-items";
import { listOpenVerdicts } from "../../../app/.server/repositories/channel-verdicts";
import { listPublishRuns } from "../../../app/.server/repositories/publish-runs";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import { saveMetaConnection } from "../../../app/.server/services/publishing/connections";
import { planChannelItems } from "../../../app/.server/services/publishing/plan-channel-items";
import { publishCatalog } from "../../../app/.server/services/publishing/publish-catalog";
import type { PublishDeps } from "../../../app/.server/services/publishing/publish-deps";
import { readBackCatalog } from "../../../app/.server/services/publishing/read-back-catalog";
import { MetaCatalogFake } from "../../../app/demo/channel-fakes";
import type { Product } from "../../../app/domain/catalog/types";
import { buildCatalogProduct } from "../../factories/catalog";
import { useChannelFakes } from "../../mocks/channel-fakes";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "publish-meta.myshopify.com";
const TOKEN = "EAAGpublishMetaTestSystemUserToken0042";
const SIZES = ["Small", "Medium", "Large", "X-Large"];
const PRODUCTS = 3_000; // × 4 sizes = 12,000 items
/** Products whose title Meta's review refuses (the fake's policy: "watermark"). */
const POLICY_REJECTED = new Set([17, 1_234, 2_999]);

function catalog(priceOf: (product: number, variant: number) => string = () => "25.00"): Product[] {
  return Array.from({ length: PRODUCTS }, (_, index) => {
    const n = 7_000_000 + index;
    return buildCatalogProduct(
      n,
      {
        title: POLICY_REJECTED.has(index) ? `Poster with watermark ${index}` : `Linen shirt ${index}`,
        handle: `linen-shirt-${index}`,
        descriptionHtml: "<p>Washed linen, relaxed fit.</p>",
        options: [{ name: "Size", position: 1, values: SIZES }],
        media: [{ id: `gid://shopify/MediaImage/${n}`, url: `https://cdn.shopify.com/s/files/shirt-${index}.jpg`, altText: null, width: 1200, height: 1200 }],
      },
      SIZES.map((size, v) => ({ selectedOptions: [{ name: "Size", value: size }], title: size, price: priceOf(index, v), availableQuantity: 5 })),
    );
  });
}

function testDeps(): PublishDeps {
  let seed = 42;
  return {
    now: () => new Date(),
    sleep: async () => undefined,
    random: () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    },
    fetchFor: async () => ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)) as typeof fetch,
  };
}

describe("publishing to Meta's catalog", () => {
  let runtime: Runtime;
  let meta: MetaCatalogFake;
  const deps = testDeps();
  const job = { shop: SHOP, channel: "meta" as const, market: "US", trigger: "test" };
  const batchCalls = () => meta.calls.filter((call) => call.path.endsWith("/items_batch"));

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products", { name: "Publish", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://publish.example.com" });
    await replaceProducts(runtime.db, SHOP, catalog(), new Date());
    meta = new MetaCatalogFake({ accessToken: TOKEN, pollsUntilFinished: 2 });
    expect(await saveMetaConnection(runtime, SHOP, { catalogId: meta.catalogId, businessId: "1000000000000001", token: TOKEN })).toMatchObject({ ok: true });
  }, 120_000);
  afterAll(async () => stopTestApp(runtime));

  it("publishes 12,000 items in three calls of at most 5,000, polls the handles and records Meta's rejections", async () => {
    useChannelFakes(meta);
    const planned = await planChannelItems(runtime, { shop: SHOP, trigger: "test" }, () => new Date());
    expect(planned).toEqual([{ channel: "meta", market: "US", records: 12_000, becameDue: 12_000, retired: 0 }]);

    const summary = await publishCatalog(runtime, job, deps);
    expect(summary.status).toBe("partial");
    const calls = batchCalls();
    expect(calls.map((call) => call.requests)).toEqual([5_000, 5_000, 2_000]);
    // Each handle was asked about until Meta said "finished" (the fake needs two looks).
    expect(meta.calls.filter((call) => call.path.endsWith("/check_batch_request_status")).length).toBeGreaterThanOrEqual(6);
    expect(meta.items.size).toBe(12_000);

    const rejected = POLICY_REJECTED.size * SIZES.length;
    expect(summary.tally).toMatchObject({ itemsLive: 12_000 - rejected, itemsRejected: rejected, itemsDone: 12_000, itemsDead: 0 });
    const [counts] = await countItemStates(runtime.db.sql, SHOP);
    expect(counts).toMatchObject({ channel: "meta", live: 12_000 - rejected, rejected, pending: 0, dead: 0 });
    const verdicts = await listOpenVerdicts(runtime.db.sql, SHOP, { channel: "meta", limit: 100 });
    expect(verdicts).toHaveLength(rejected);
    expect(verdicts.every((verdict) => verdict.severity === "error" && verdict.source === "meta" && /watermark/i.test(verdict.message))).toBe(true);
    expect(new Set(verdicts.map((verdict) => verdict.productId))).toEqual(new Set([...POLICY_REJECTED].map((index) => `gid://shopify/Product/${7_000_000 + index}`)));
  }, 120_000);

  it("makes no call when nothing changed", async () => {
    useChannelFakes(meta);
    const before = meta.calls.length;
    const planned = await planChannelItems(runtime, { shop: SHOP, trigger: "test" }, () => new Date());
    expect(planned[0]).toMatchObject({ records: 12_000, becameDue: 0, retired: 0 });
    expect((await publishCatalog(runtime, job, deps)).status).toBe("nothing-due");
    expect(meta.calls.length).toBe(before);
  }, 60_000);

  it("sends seven changed prices in one call of seven items", async () => {
    useChannelFakes(meta);
    const changed = new Set([3, 50, 51, 400, 1_500, 2_200, 2_998]);
    const repriced = catalog((index, variant) => (changed.has(index) && variant === 1 ? "19.50" : "25.00")).filter((_, index) => changed.has(index));
    await replaceProducts(runtime.db, SHOP, repriced, new Date());
    const before = batchCalls().length;
    const planned = await planChannelItems(runtime, { shop: SHOP, trigger: "prices" }, () => new Date());
    expect(planned[0]).toMatchObject({ becameDue: 7 });

    const summary = await publishCatalog(runtime, job, deps);
    expect(summary.status).toBe("succeeded");
    const calls = batchCalls().slice(before);
    expect(calls.map((call) => call.requests)).toEqual([7]);
    for (const index of changed) {
      const retailerId = `${7_000_000 + index}02`;
      expect(meta.item(retailerId)?.data.price).toBe("19.50 USD");
    }
  }, 60_000);

  it("deletes items that vanished from the catalog", async () => {
    useChannelFakes(meta);
    await runtime.db.sql.query(`DELETE FROM "variant" WHERE "shop" = $1 AND "product_id" = $2`, [SHOP, "gid://shopify/Product/7000010"]);
    await runtime.db.sql.query(`DELETE FROM "product" WHERE "shop" = $1 AND "id" = $2`, [SHOP, "gid://shopify/Product/7000010"]);
    const planned = await planChannelItems(runtime, { shop: SHOP, trigger: "deleted" }, () => new Date());
    expect(planned[0]).toMatchObject({ records: 11_996, retired: 4 });
    const before = batchCalls().length;
    const summary = await publishCatalog(runtime, job, deps);
    expect(summary.tally.itemsDeleted).toBe(4);
    expect(batchCalls().slice(before).map((call) => call.requests)).toEqual([4]);
    expect(meta.item("700001001")).toBeUndefined();
    expect(meta.items.size).toBe(11_996);
  }, 60_000);

  it("reads Meta's verdicts back and repairs drift", async () => {
    useChannelFakes(meta);
    // Someone deleted an item in Commerce Manager: the read-back notices and the next publish restores it.
    meta.items.delete("700002001");
    const summary = await readBackCatalog(runtime, { ...job, trigger: "schedule" }, deps);
    expect(summary).toMatchObject({ checked: 11_996, missing: 1 });
    const republished = await publishCatalog(runtime, job, deps);
    expect(republished.tally.itemsLive).toBe(1);
    expect(meta.item("700002001")).toBeDefined();
    const runs = await listPublishRuns(runtime.db.sql, SHOP, 10);
    expect(runs[0]).toMatchObject({ status: "succeeded", itemsLive: 1 });
  }, 60_000);
});
