import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import { replaceProducts, getSnapshotProduct } from "../../../app/.server/repositories/catalog";
import { saveChannelMapping } from "../../../app/.server/repositories/channel-settings";
import { listOpenVerdicts } from "../../../app/.server/repositories/channel-verdicts";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import {
  completeTikTokAuthorization,
  listConnectionSummaries,
  saveTikTokMappings,
  selectTikTokShop,
  startTikTokAuthorization,
} from "../../../app/.server/services/publishing/connections";
import { planChannelItems } from "../../../app/.server/services/publishing/plan-channel-items";
import { publishCatalog } from "../../../app/.server/services/publishing/publish-catalog";
import type { PublishDeps } from "../../../app/.server/services/publishing/publish-deps";
import { receiveTikTokWebhook } from "../../../app/.server/services/publishing/receive-tiktok-webhook";
import { TikTokShopFake } from "../../../app/demo/channel-fakes";
import { demoChannelMappings } from "../../../app/demo/demo-channel-rules";
import type { Product } from "../../../app/domain/catalog/types";
import { assembleAll, generatedLines } from "../../factories/catalog-file";
import { useChannelFakes } from "../../mocks/channel-fakes";
import { drainQueue, startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "publish-tiktok.myshopify.com";
const APP_KEY = "shelfcasttest01";
const APP_SECRET = "tiktok-test-app-secret-0042";

function testDeps(now: () => Date): PublishDeps {
  return {
    now,
    sleep: async () => undefined,
    random: () => 0.5,
    fetchFor: async () => ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)) as typeof fetch,
  };
}

describe("publishing to TikTok Shop through the engine", () => {
  let runtime: Runtime;
  let tiktok: TikTokShopFake;
  let products: Product[];
  const clock = new Date();
  /** The product the fake's audit fails (TikTok's reviewers are not predictable; the test chooses). */
  let auditFails: string | null = null;
  const now = () => clock;
  const deps = testDeps(now);
  const job = { shop: SHOP, channel: "tiktok" as const, market: "US", trigger: "test" };
  const callsTo = (suffix: string) => tiktok.calls.filter((call) => call.path.endsWith(suffix));

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products", { name: "TikTok test", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://tiktok-test.example.com" });
    products = assembleAll(generatedLines(30, 5));
    await replaceProducts(runtime.db, SHOP, products, new Date());
    // Package sizes come from the demo's mapping rules; categories from the connection's category map.
    const tiktokRules = demoChannelMappings().find((entry) => entry.channel === "tiktok");
    if (!tiktokRules) throw new Error("the demo has TikTok rules");
    const { channelCategoryId: _categories, ...fields } = (tiktokRules.rules as { fields: Record<string, unknown> }).fields;
    await saveChannelMapping(runtime.db.sql, SHOP, { channel: "tiktok", market: "*", rules: { ...(tiktokRules.rules as object), fields }, expectedRevision: 0 });

    tiktok = new TikTokShopFake({ appKey: APP_KEY, appSecret: APP_SECRET, now, audit: (payload) => (payload.external_product_id === auditFails ? [{ position: "description", reasons: ["Prohibited claim"], suggestions: ["Remove the claim"] }] : null) });
    useChannelFakes(tiktok);
    const started = await startTikTokAuthorization(runtime, SHOP, { appKey: APP_KEY, appSecret: APP_SECRET }, clock);
    if (!started.ok) throw new Error(JSON.stringify(started.errors));
    const state = new URL(started.authorizeUrl).searchParams.get("state") ?? "";
    expect(await completeTikTokAuthorization(runtime, { state, code: tiktok.issueAuthCode() }, clock)).toMatchObject({ ok: true });
    const summary = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok");
    if (summary?.channel !== "tiktok") throw new Error("TikTok is connected");
    if (!summary.settings.shopId) expect(await selectTikTokShop(runtime, SHOP, { shopId: summary.settings.shops[0]?.id }, clock)).toMatchObject({ ok: true });
    const after = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok");
    const warehouse = after?.channel === "tiktok" ? after.settings.warehouses[0]?.id : undefined;
    const locations = new Set(products.flatMap((p) => p.variants.flatMap((v) => v.inventoryItem.levels.map((level) => level.locationId))));
    const categories = new Set(products.flatMap((p) => (p.category ? [p.category.id] : [])));
    const saved = await saveTikTokMappings(runtime, SHOP, {
      warehouseMap: Object.fromEntries([...locations].map((location) => [location, warehouse])),
      categoryMap: Object.fromEntries([...categories].map((category) => [category, "600001"])),
    });
    expect(saved).toMatchObject({ ok: true });
  }, 60_000);
  afterAll(async () => stopTestApp(runtime));

  it("creates every ready product once, uploading each image once", async () => {
    useChannelFakes(tiktok);
    const [planned] = await planChannelItems(runtime, { shop: SHOP, trigger: "test" }, now);
    expect(planned).toMatchObject({ channel: "tiktok", market: "US" });
    expect(planned?.records).toBeGreaterThan(10);
    const summary = await publishCatalog(runtime, job, deps);
    expect(summary.tally.itemsDead).toBe(0);
    expect(tiktok.products.size).toBe(planned?.records);
    expect(Math.max(...tiktok.createCount.values())).toBe(1);
    const sourceImages = new Set(tiktok.uploads.map((upload) => upload.uri));
    expect(sourceImages.size).toBe(tiktok.uploads.length);
  }, 60_000);

  it("sends a stock-only change through the inventory endpoint and a price-only change through the price endpoint", async () => {
    useChannelFakes(tiktok);
    const target = products.find((product) => product.variants.length > 0 && [...tiktok.products.values()].some((p) => p.payload.external_product_id === product.id));
    if (!target) throw new Error("a published product");
    const before = { edits: tiktok.calls.filter((call) => call.method === "PUT").length, stock: callsTo("/inventory/update").length, price: callsTo("/prices/update").length };
    const restocked = { ...target, variants: target.variants.map((variant) => ({ ...variant, availableQuantity: variant.availableQuantity + 7, inventoryItem: { ...variant.inventoryItem, levels: variant.inventoryItem.levels.map((level, index) => (index === 0 ? { ...level, available: level.available + 7 } : level)) } })) };
    await replaceProducts(runtime.db, SHOP, [restocked], new Date());
    await planChannelItems(runtime, { shop: SHOP, productIds: [target.id], trigger: "stock" }, now);
    await publishCatalog(runtime, job, deps);
    expect(callsTo("/inventory/update").length).toBe(before.stock + 1);
    expect(tiktok.calls.filter((call) => call.method === "PUT").length).toBe(before.edits);

    const repriced = { ...restocked, variants: restocked.variants.map((variant) => ({ ...variant, price: (Number(variant.price) + 1).toFixed(2) })) };
    await replaceProducts(runtime.db, SHOP, [repriced], new Date());
    await planChannelItems(runtime, { shop: SHOP, productIds: [target.id], trigger: "price" }, now);
    await publishCatalog(runtime, job, deps);
    expect(callsTo("/prices/update").length).toBe(before.price + 1);
    expect(tiktok.calls.filter((call) => call.method === "PUT").length).toBe(before.edits);
    const remote = [...tiktok.products.values()].find((p) => p.payload.external_product_id === target.id);
    expect(remote?.skus.map((sku) => sku.price.amount).sort()).toEqual(repriced.variants.map((variant) => Number(variant.price).toFixed(2)).sort());
  }, 60_000);

  it("turns an audit-failure webhook into a diagnostic with TikTok's reasons", async () => {
    useChannelFakes(tiktok);
    auditFails = String([...tiktok.products.values()][0]?.payload.external_product_id);
    tiktok.settleAudits();
    const failed = [...tiktok.products.values()].find((p) => p.status === "FAILED");
    if (!failed) throw new Error("the fake failed one audit");
    const { body, headers } = tiktok.signedWebhook({ product_id: failed.id, status: "FAILED" });
    const forged = await receiveTikTokWebhook(runtime, new Request("https://app.example.com/webhooks/tiktok", { method: "POST", body, headers: { ...headers, authorization: "0".repeat(64) } }));
    expect(forged.status).toBe(401);
    const answer = await receiveTikTokWebhook(runtime, new Request("https://app.example.com/webhooks/tiktok", { method: "POST", body, headers }));
    expect(answer.status).toBe(200);
    expect(await drainQueue(runtime, QUEUES.readBackCatalog)).toEqual({ completed: 1, failed: 0 });
    const verdicts = await listOpenVerdicts(runtime.db.sql, SHOP, { channel: "tiktok", limit: 10 });
    expect(verdicts).toEqual([expect.objectContaining({ code: "tiktok.audit_failed", severity: "error", productId: failed.payload.external_product_id, message: expect.stringContaining("Prohibited claim"), fix: expect.stringContaining("Remove the claim") })]);
    const { rows } = await runtime.db.sql.query<{ state: string }>(`SELECT "state" FROM "channel_item" WHERE "shop" = $1 AND "remote_id" = $2`, [SHOP, failed.id]);
    expect(rows[0]?.state).toBe("rejected");
  }, 60_000);

  it("refreshes a token TikTok calls expired and carries on", async () => {
    useChannelFakes(tiktok);
    // TikTok expires every token it issued; the stored one still looks valid to Shelfcast.
    for (const token of tiktok.accessTokens.keys()) tiktok.accessTokens.set(token, 0);
    const target = products[3];
    if (!target) throw new Error("a product");
    const stored = await getSnapshotProduct(runtime.db.sql, SHOP, target.id);
    if (!stored) throw new Error("in the snapshot");
    await replaceProducts(runtime.db, SHOP, [{ ...stored, variants: stored.variants.map((variant) => ({ ...variant, price: (Number(variant.price) + 2).toFixed(2) })) }], new Date());
    await planChannelItems(runtime, { shop: SHOP, productIds: [target.id], trigger: "price" }, now);
    const refreshesBefore = tiktok.calls.filter((call) => call.path.includes("/token/refresh")).length;
    const summary = await publishCatalog(runtime, job, deps);
    expect(summary.status).not.toBe("reconnect");
    expect(tiktok.calls.filter((call) => call.path.includes("/token/refresh")).length).toBe(refreshesBefore + 1);
    const tiktokConnection = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok");
    expect(tiktokConnection?.status).toBe("connected");
  }, 60_000);
});
