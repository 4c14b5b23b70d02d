import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listProductEvents, listShopEvents, recordProductEvents } from "../../../app/.server/repositories/product-events";
import type { Runtime } from "../../../app/.server/runtime";
import { runCatalogSync } from "../../../app/.server/services/catalog-sync/run-catalog-sync";
import { startCatalogSync } from "../../../app/.server/services/catalog-sync/start-catalog-sync";
import { buildShopFeeds } from "../../../app/.server/services/channel-feeds/build-feeds";
import { saveMapping } from "../../../app/.server/services/channel-feeds/mapping-editor";
import { loadProductTimeline, parseTimelineQuery } from "../../../app/.server/services/product-timeline";
import { refreshProduct } from "../../../app/.server/services/refresh-product";
import { saveRulesDocument } from "../../../app/.server/services/rules/stock-rules-editor";
import { adminApiForShop } from "../../../app/.server/shopify/admin-api-for-shop";
import { generatedLines, writeLines } from "../../factories/catalog-file";
import { FakeShopifyShop } from "../../mocks/fake-shopify";
import { mockServer } from "../../mocks/server";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "timeline-goods.myshopify.com";
const OTHER_SHOP = "timeline-other.myshopify.com";
const TOKEN = "shpat_timeline_offline";

describe("product timeline", () => {
  let runtime: Runtime;
  let fake: FakeShopifyShop;
  const lines = generatedLines(6, 31);

  beforeAll(async () => {
    runtime = await startTestApp();
    await runtime.db.prisma.shop.create({ data: { shop: SHOP, scopes: "read_products", currencyCode: "USD", ianaTimezone: "America/New_York", countryCode: "US" } });
    await runtime.db.prisma.shop.create({ data: { shop: OTHER_SHOP, scopes: "read_products", currencyCode: "USD" } });
    await runtime.db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: TOKEN } });
    fake = new FakeShopifyShop({ shop: SHOP, accessToken: TOKEN, lines, bucket: { maximumAvailable: 1e9, restoreRate: 1e9 } });
    const { syncId } = await startCatalogSync(runtime, SHOP, "file-import", { kind: "file", path: writeLines(lines) });
    await runCatalogSync(runtime, { shop: SHOP, syncId }, { now: () => new Date(), adminApi: async () => Promise.reject(new Error("file sync")) });
  });
  afterAll(async () => stopTestApp(runtime));

  it("a sync records one 'added from Shopify' event per product it took in, a resumed or repeated sync none", async () => {
    const created = await listShopEvents(runtime.db.sql, SHOP, { kinds: ["shopify.created"], limit: 100 });
    const products = fake.products().map((product) => product.id).sort();
    expect(created.events.map((event) => event.productId).sort()).toEqual(products);
    expect(created.events[0]!.summary).toMatch(/^Added from Shopify: “.+” \(\d+ variants?, \d+ in stock\)$/);

    const { syncId } = await startCatalogSync(runtime, SHOP, "file-import", { kind: "file", path: writeLines(lines) });
    await runCatalogSync(runtime, { shop: SHOP, syncId }, { now: () => new Date(), adminApi: async () => Promise.reject(new Error("file sync")) });
    expect((await listShopEvents(runtime.db.sql, SHOP, { limit: 100 })).events).toHaveLength(products.length);
  });

  it("a refresh records what changed in Shopify (title, stock), in the transaction that writes it; a deletion too", async () => {
    mockServer.use(...fake.handlers());
    const [first, second] = fake.products();
    const productId = first!.id;
    fake.updateProduct(productId, { title: "Timeline test title" });
    const level = fake.inventoryLevels(productId)[0]!;
    fake.setAvailable(level.inventoryItemId, level.locationId, 0);
    const api = await adminApiForShop(runtime, SHOP);
    expect(await refreshProduct(runtime, { shop: SHOP, productId }, api, new Date())).toBe("written");
    expect(await refreshProduct(runtime, { shop: SHOP, productId }, api, new Date())).toBe("unchanged");

    const page = await listProductEvents(runtime.db.sql, SHOP, { productId, limit: 10 });
    expect(page.events.map((event) => event.kind)).toEqual(["shopify.updated", "shopify.created"]);
    expect(page.events[0]!.summary).toMatch(/^Changed in Shopify: title “.+” → “Timeline test title”; stock \d+ → \d+ \(.+\)$/);
    expect(page.events[0]!.details).toMatchObject({ changes: expect.arrayContaining([expect.objectContaining({ field: "title", after: "Timeline test title" })]) });

    fake.deleteProduct(second!.id);
    expect(await refreshProduct(runtime, { shop: SHOP, productId: second!.id }, api, new Date())).toBe("deleted");
    const deleted = await listProductEvents(runtime.db.sql, SHOP, { productId: second!.id, limit: 10, includeShopWide: false });
    expect(deleted.events[0]).toMatchObject({ kind: "shopify.deleted", summary: expect.stringMatching(/^Deleted in Shopify: “.+”$/) });
  });

  it("a mapping save is a shop-wide event on every product's timeline, with what changed", async () => {
    const result = await saveMapping(runtime, SHOP, "meta", "*", { version: 1, exclude: [{ on: "tag", op: "has", value: "no-social" }] }, 0);
    expect(result).toMatchObject({ ok: true });
    const productId = fake.products()[0]!.id;
    const timeline = await loadProductTimeline(runtime, SHOP, productId, parseTimelineQuery(new URLSearchParams()));
    const entries = timeline.days.flatMap((day) => day.events);
    const mapping = entries.find((entry) => entry.kind === "mapping.changed");
    expect(mapping).toMatchObject({ shopWide: true, channel: "meta", channelLabel: "Meta", label: "Mapping rules", summary: expect.stringMatching(/^Meta mapping rules saved \(all markets\): .*no-social/) });
    expect(mapping!.lines.length).toBeGreaterThan(0);
    // Another product's timeline shows it too; another shop's does not.
    const other = await listProductEvents(runtime.db.sql, SHOP, { productId: fake.products()[2]!.id, limit: 50 });
    expect(other.events.some((event) => event.kind === "mapping.changed")).toBe(true);
    expect((await listShopEvents(runtime.db.sql, OTHER_SHOP, { limit: 10 })).events).toEqual([]);
    expect(timeline.timeZone).toBe("America/New_York");
  });

  it("a stock rules save is a shop-wide event naming the sections that changed", async () => {
    expect(await saveRulesDocument(runtime, SHOP, { version: 1, lowStockAt: 3 }, 0)).toMatchObject({ ok: true, revision: 1 });
    const [event] = (await listShopEvents(runtime.db.sql, SHOP, { kinds: ["rules.changed"], limit: 5 })).events;
    expect(event).toMatchObject({ productId: null, channel: null, summary: "Stock rules saved (revision 1): lowStockAt added", details: { revision: 1, lines: ["lowStockAt added"] } });
    // A refused save (stale revision) records nothing.
    expect(await saveRulesDocument(runtime, SHOP, { version: 1, lowStockAt: 4 }, 0)).toMatchObject({ ok: false, conflict: true });
    expect((await listShopEvents(runtime.db.sql, SHOP, { kinds: ["rules.changed"], limit: 5 })).events).toHaveLength(1);
  });

  it("a feed build records one shop-wide event per feed whose counts moved, and none when nothing did", async () => {
    await buildShopFeeds(runtime, { shop: SHOP, reason: "test" }, () => new Date());
    const first = await listShopEvents(runtime.db.sql, SHOP, { kinds: ["feed.built"], limit: 50 });
    expect(new Set(first.events.map((event) => event.channel))).toEqual(new Set(["meta", "tiktok", "tiktok-ads", "pinterest", "google"]));
    expect(first.events.every((event) => event.productId === null && /^.+ feed \(US\) built: [\d,]+ ready, [\d,]+ with errors/.test(event.summary))).toBe(true);

    await buildShopFeeds(runtime, { shop: SHOP, reason: "again" }, () => new Date());
    expect((await listShopEvents(runtime.db.sql, SHOP, { kinds: ["feed.built"], limit: 50 })).events).toHaveLength(first.events.length);
  });

  it("pages newest first with a cursor, filters by channel (keeping events about no channel) and by variant", async () => {
    const productId = "gid://shopify/Product/424242";
    const variantA = "gid://shopify/ProductVariant/42424201";
    const variantB = "gid://shopify/ProductVariant/42424202";
    // Later than anything the other tests recorded, so the shop-wide events they left come after these.
    const at = (minute: number) => new Date(Date.UTC(2099, 10, 22, 10, minute));
    await recordProductEvents(runtime.db.sql, SHOP, [
      { productId, at: at(1), kind: "shopify.created", summary: "created" },
      { productId, variantId: variantA, at: at(2), kind: "shopify.updated", summary: "A price", details: { variantIds: [variantA] } },
      { productId, at: at(3), kind: "shopify.updated", summary: "A and B stock", details: { variantIds: [variantA, variantB] } },
      { productId, channel: "meta", at: at(4), kind: "publish.sent", summary: "sent to meta" },
      { productId, channel: "tiktok", at: at(4), kind: "publish.rejected", summary: "tiktok rejected" },
      { productId, at: at(4), kind: "shopify.updated", summary: "title" },
    ]);
    const own = { productId, includeShopWide: false };
    const all = await listProductEvents(runtime.db.sql, SHOP, { ...own, limit: 10 });
    expect(all.events.map((event) => event.summary)).toEqual(["title", "tiktok rejected", "sent to meta", "A and B stock", "A price", "created"]);
    expect(all.next).toBeNull();

    // Three at the same minute: the cursor's id breaks the tie, so no event is read twice or skipped.
    const pages: string[][] = [];
    let before = null;
    for (;;) {
      const page = await listProductEvents(runtime.db.sql, SHOP, { ...own, limit: 2, before });
      pages.push(page.events.map((event) => event.summary));
      if (!page.next) break;
      before = page.next;
    }
    expect(pages).toEqual([["title", "tiktok rejected"], ["sent to meta", "A and B stock"], ["A price", "created"]]);

    const tiktok = await listProductEvents(runtime.db.sql, SHOP, { ...own, channel: "tiktok", limit: 10 });
    expect(tiktok.events.map((event) => event.summary)).toEqual(["title", "tiktok rejected", "A and B stock", "A price", "created"]);
    const onlyB = await listProductEvents(runtime.db.sql, SHOP, { ...own, variantId: variantB, limit: 10 });
    expect(onlyB.events.map((event) => event.summary)).toEqual(["title", "tiktok rejected", "sent to meta", "A and B stock", "created"]);

    // The service's URL state: numeric variant id, a channel, an opaque cursor; junk means "all".
    const query = parseTimelineQuery(new URLSearchParams({ channel: "tiktok", variant: "42424202", before: "not-a-cursor" }));
    expect(query).toEqual({ channel: "tiktok", variant: "42424202", before: null });
    const view = await loadProductTimeline(runtime, SHOP, productId, query, 2);
    expect(view.days.flatMap((day) => day.events.map((event) => event.summary))).toEqual(["title", "tiktok rejected"]);
    const next = await loadProductTimeline(runtime, SHOP, productId, parseTimelineQuery(new URLSearchParams({ channel: "tiktok", variant: "42424202", before: view.next! })), 2);
    expect(next.days.flatMap((day) => day.events.map((event) => event.summary))[0]).not.toBe("title");
    expect(parseTimelineQuery(new URLSearchParams({ channel: "myspace" })).channel).toBeNull();
  });
});
