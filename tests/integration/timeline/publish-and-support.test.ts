import { API_KEY, API_SECRET_KEY, RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { countItemStates } from "../../../app/.server/repositories/channel-items";
import { listProductEvents, listShopEvents, recordProductEvents } from "../../../app/.server/repositories/product-events";
import { emptyRunTally, finishPublishRun, startPublishRun, updatePublishRun } from "../../../app/.server/repositories/publish-runs";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import { buildShopFeeds } from "../../../app/.server/services/channel-feeds/build-feeds";
import { loadChannelActivity } from "../../../app/.server/services/channel-dashboard";
import { saveMetaConnection } from "../../../app/.server/services/publishing/connections";
import { planChannelItems } from "../../../app/.server/services/publishing/plan-channel-items";
import { publishCatalog } from "../../../app/.server/services/publishing/publish-catalog";
import type { PublishDeps } from "../../../app/.server/services/publishing/publish-deps";
import { readBackCatalog } from "../../../app/.server/services/publishing/read-back-catalog";
import { buildSupportBundle } from "../../../app/.server/services/support-bundle";
import { MetaCatalogFake } from "../../../app/demo/channel-fakes";
import type { Product } from "../../../app/domain/catalog/types";
import { loader as bundleLoader } from "../../../app/routes/app.products_.$id.support-bundle[.]json";
import { loader as timelineLoader } from "../../../app/routes/app.products_.$id.timeline";
import { shopify } from "../../../app/shopify.server";
import { buildCatalogProduct } from "../../factories/catalog";
import { useChannelFakes } from "../../mocks/channel-fakes";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "timeline-publish.myshopify.com";
const TOKEN = "EAAGtimelineSupportBundleToken00SECRET77";
const SIZES = ["Small", "Large"];

function catalog(): Product[] {
  return [0, 1, 2].map((index) =>
    buildCatalogProduct(
      8_100_000 + index,
      {
        title: index === 2 ? "Poster with watermark" : `Linen shirt ${index}`,
        handle: `linen-shirt-${index}`,
        descriptionHtml: "<p>Washed linen, relaxed fit.</p>",
        options: [{ name: "Size", position: 1, values: SIZES }],
        media: [{ id: `gid://shopify/MediaImage/${index}`, url: `https://cdn.shopify.com/s/files/shirt-${index}.jpg`, altText: null, width: 1200, height: 1200 }],
      },
      SIZES.map((size) => ({ selectedOptions: [{ name: "Size", value: size }], title: size, price: "25.00", availableQuantity: 4 })),
    ),
  );
}

const deps: PublishDeps = {
  now: () => new Date(),
  sleep: async () => undefined,
  random: () => 0.5,
  fetchFor: async () => ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)) as typeof fetch,
};

async function adminRequest(path: string): Promise<Request> {
  await shopify().sessionStorage.storeSession(setUpValidSession({ shop: SHOP }));
  return setUpValidRequest({ type: RequestType.Bearer, store: SHOP.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY }, new Request(`https://shelfcast.test${path}`));
}

describe("publish events, the support bundle and the dashboard's channel half", () => {
  let runtime: Runtime;
  let meta: MetaCatalogFake;
  const job = { shop: SHOP, channel: "meta" as const, market: "US", trigger: "test" };
  const shirt = "gid://shopify/Product/8100000";
  const poster = "gid://shopify/Product/8100002";

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products", { name: "Timeline", currencyCode: "USD", countryCode: "US", ianaTimezone: "UTC", storefrontUrl: "https://timeline.example.com" });
    await replaceProducts(runtime.db, SHOP, catalog(), new Date());
    meta = new MetaCatalogFake({ accessToken: TOKEN, pollsUntilFinished: 1 });
    expect(await saveMetaConnection(runtime, SHOP, { catalogId: meta.catalogId, businessId: "1000000000000001", token: TOKEN })).toMatchObject({ ok: true });
    useChannelFakes(meta);
    await planChannelItems(runtime, { shop: SHOP, trigger: "test" }, () => new Date());
    expect((await publishCatalog(runtime, job, deps)).status).toBe("partial");
  }, 60_000);
  afterAll(async () => stopTestApp(runtime));

  it("records each record a publish sent, with its price and stock, and each one Meta rejected, with Meta's reason", async () => {
    const sent = await listProductEvents(runtime.db.sql, SHOP, { productId: shirt, limit: 10, includeShopWide: false });
    expect(sent.events.map((event) => [event.kind, event.channel, event.summary])).toEqual([
      ["publish.sent", "meta", "Sent to Meta (price 25.00 USD, 4 in stock)"],
      ["publish.sent", "meta", "Sent to Meta (price 25.00 USD, 4 in stock)"],
    ]);
    const posterEvents = await listProductEvents(runtime.db.sql, SHOP, { productId: poster, limit: 10, includeShopWide: false });
    // Meta's verdicts also open feed issues ("issue.opened", written by the feed issues); the publish wrote its own two.
    const rejected = posterEvents.events.filter((event) => event.kind.startsWith("publish."));
    expect(rejected).toHaveLength(2);
    expect(rejected.every((event) => event.kind === "publish.rejected" && /^Meta rejected it: .*watermark/i.test(event.summary))).toBe(true);
  });

  it("a read-back that finds a record gone records it on the product's timeline", async () => {
    useChannelFakes(meta);
    meta.items.delete("810000102");
    const summary = await readBackCatalog(runtime, { ...job, trigger: "schedule" }, deps);
    expect(summary.missing).toBe(1);
    const events = await listProductEvents(runtime.db.sql, SHOP, { productId: "gid://shopify/Product/8100001", limit: 10, includeShopWide: false });
    expect(events.events[0]).toMatchObject({ kind: "channel.status", channel: "meta", summary: "Not found on Meta any more", details: { to: "missing", key: "810000102" } });
    // Nothing changed for the others: no event.
    expect((await listShopEvents(runtime.db.sql, SHOP, { kinds: ["channel.status"], limit: 10 })).events).toHaveLength(1);
  });

  it("the support bundle holds the product, its mapped items, offers, diagnostics, records and timeline, and no secret", async () => {
    await buildShopFeeds(runtime, { shop: SHOP, reason: "test" }, () => new Date());
    const bundle = await buildSupportBundle(runtime, SHOP, poster, new Date());
    expect(bundle).not.toBeNull();
    expect(Object.keys(bundle!)).toEqual(["bundle", "shop", "setup", "catalog", "mappedItems", "offers", "diagnostics", "channelItems", "connections", "timeline"]);
    expect(bundle!.catalog.product.title).toBe("Poster with watermark");
    expect(bundle!.mappedItems.map((view) => view.channel)).toEqual(["meta", "tiktok", "tiktok-ads", "pinterest", "google"]);
    expect(bundle!.offers.filter((offer) => offer.channel === "meta")).toEqual([
      expect.objectContaining({ itemId: "810000201", availability: "in_stock", quantity: 4 }),
      expect.objectContaining({ itemId: "810000202", availability: "in_stock", quantity: 4 }),
    ]);
    expect(bundle!.channelItems.map((item) => [item.channel, item.key, item.state])).toEqual([
      ["meta", "810000201", "rejected"],
      ["meta", "810000202", "rejected"],
    ]);
    // Meta's verdict, recorded as a feed issue with Meta as its source.
    expect(bundle!.diagnostics.history.some((issue) => issue.source === "meta" && issue.severity === "error")).toBe(true);
    expect(bundle!.timeline.events.map((event) => event.kind)).toContain("publish.rejected");
    expect(bundle!.connections).toEqual([expect.objectContaining({ channel: "meta", status: "connected" })]);

    const text = JSON.stringify(bundle);
    const stored = await runtime.db.prisma.channelConnection.findFirstOrThrow({ where: { shop: SHOP, channel: "meta" } });
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(stored.secretsCiphertext!);
    expect(text).not.toContain("secretHint");
    expect(text).not.toMatch(/"hint"/);
    const feedTokens = await runtime.db.prisma.channelFeed.findMany({ where: { shop: SHOP }, select: { token: true } });
    expect(feedTokens.length).toBeGreaterThan(0);
    for (const { token } of feedTokens) expect(text).not.toContain(token);

    expect(await buildSupportBundle(runtime, SHOP, "gid://shopify/Product/1", new Date())).toBeNull();
  });

  it("the bundle route answers a JSON download for the shop's product and 404 for another", async () => {
    const response = await bundleLoader({ request: await adminRequest("/app/products/8100002/support-bundle.json"), params: { id: "8100002" }, context: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="shelfcast-support-timeline-publish-8100002-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
    const body = await response.text();
    expect(JSON.parse(body).catalog.product.id).toBe(poster);
    expect(body).not.toContain(TOKEN);
    const missing = await bundleLoader({ request: await adminRequest("/app/products/999/support-bundle.json"), params: { id: "999" }, context: {} }).catch((thrown: unknown) => thrown);
    expect(missing).toBeInstanceOf(Response);
    expect((missing as Response).status).toBe(404);
  });

  it("the timeline route pages a product's events as JSON for 'Load more'", async () => {
    const first = await timelineLoader({ request: await adminRequest("/app/products/8100000/timeline?channel=meta"), params: { id: "8100000" }, context: {} });
    expect(first.headers.get("content-type")).toMatch(/^application\/json/);
    const page = (await first.json()) as { days: { events: { kind: string; channel: string | null }[] }[]; next: string | null; filters: { channel: string } };
    expect(page.filters.channel).toBe("meta");
    const events = page.days.flatMap((day) => day.events);
    expect(events.some((event) => event.kind === "publish.sent")).toBe(true);
    expect(events.every((event) => event.channel === "meta" || event.channel === null)).toBe(true);
    const bad = await timelineLoader({ request: await adminRequest("/app/products/abc/timeline"), params: { id: "abc" }, context: {} }).catch((thrown: unknown) => thrown);
    expect((bad as Response).status).toBe(404);
  });

  it("the dashboard shows Meta's health from its records, publish volume, running runs and alerts", async () => {
    const now = new Date();
    // A TikTok authorisation ending in three days; a burst of rejections today.
    await runtime.db.prisma.channelConnection.create({
      data: { shop: SHOP, channel: "tiktok", status: "connected", settings: { appKey: "timelinekey" }, secretHint: "abcd", refreshExpiresAt: new Date(now.getTime() + 3 * 86_400_000) },
    });
    await recordProductEvents(
      runtime.db.sql,
      SHOP,
      Array.from({ length: 12 }, (_, i) => ({ productId: poster, channel: "meta", at: now, kind: "publish.rejected" as const, summary: `rejected ${i}` })),
    );
    // Meta published three days ago without a rejection: today's twelve are a spike against that history.
    const earlier = new Date(now.getTime() - 3 * 86_400_000);
    const earlierRun = await startPublishRun(runtime.db.sql, { shop: SHOP, channel: "meta", market: "US" }, "test", 10, earlier);
    await updatePublishRun(runtime.db.sql, SHOP, earlierRun, { ...emptyRunTally(), itemsDone: 10, itemsLive: 10 });
    await finishPublishRun(runtime.db.sql, SHOP, earlierRun, "succeeded", null, earlier);
    await startPublishRun(runtime.db.sql, { shop: SHOP, channel: "tiktok", market: "US" }, "test", 40, now);

    const activity = await loadChannelActivity(runtime, SHOP, { now, timeZone: "UTC", productCount: 3 });
    const [metaCounts] = await countItemStates(runtime.db.sql, SHOP);
    const metaHealth = activity.health.find((row) => row.channel === "meta")!;
    expect(metaHealth).toMatchObject({ connection: "connected", source: "api", live: metaCounts!.live, rejected: 2, errorRate: 2 / (metaCounts!.live + 2) });
    expect(activity.health.find((row) => row.channel === "google")).toMatchObject({ connection: null, source: "feed", live: expect.any(Number), ready: expect.any(Number) });
    expect(activity.health.find((row) => row.channel === "tiktok")).toMatchObject({ connection: "connected", source: "api", live: 0 });

    expect(activity.charts.publishVolume.empty).toBe(false);
    expect(activity.charts.publishVolume.series.map((series) => series.name)).toEqual(["Meta"]);
    expect(activity.charts.publishVolume.series[0]!.data).toHaveLength(30);
    expect(activity.charts.publishVolume.summary).toMatch(/^Records published over 30 days: Meta \d+\.$/);
    expect(activity.charts.publishVolume.table.headings).toEqual(["Day", "Meta"]);
    expect(activity.charts.issues.series.length).toBeGreaterThan(0);

    expect(activity.jobs).toEqual([{ id: expect.stringMatching(/^publish-/), kind: "publish", title: "Publishing to TikTok Shop (US)", detail: "0 of 40 records", progress: 0 }]);
    expect(activity.busy).toBe(true);
    expect(activity.alerts.map((alert) => alert.id)).toEqual(["expiring-tiktok", "rejection-spike-meta"]);
    // Without that earlier publish, today's would be Meta's first: no usual to compare with, no alert.
    await runtime.db.sql.query(`DELETE FROM "publish_run" WHERE "id" = $1`, [earlierRun]);
    const firstDay = await loadChannelActivity(runtime, SHOP, { now, timeZone: "UTC", productCount: 3 });
    expect(firstDay.alerts.map((alert) => alert.id)).toEqual(["expiring-tiktok"]);
    expect(JSON.stringify(activity)).not.toContain(TOKEN);
  });
});
