import { gunzipSync } from "node:zlib";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { diagnosticsForProduct, listFeeds } from "../../../app/.server/repositories/channel-feeds";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import { buildShopFeeds } from "../../../app/.server/services/channel-feeds/build-feeds";
import { evaluateCatalogFile } from "../../../app/.server/services/channel-feeds/evaluate-catalog-file";
import { demoChannelMappings } from "../../../app/demo/demo-channel-rules";
import { saveChannelMapping, saveChannelSettings } from "../../../app/.server/repositories/channel-settings";
import { loadChannelsOverview, runChannelsAction } from "../../../app/.server/services/channel-feeds/channel-overview";
import { serveFeed } from "../../../app/.server/services/channel-feeds/serve-feed";
import { CHANNEL_IDS } from "../../../app/domain/channels/types";
import { createOfferPolicy } from "../../../app/domain/rules/offer-policy";
import { assembleAll, generatedLines, writeLines } from "../../factories/catalog-file";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "feeds-a.myshopify.com";
const OTHER_SHOP = "feeds-b.myshopify.com";
const lines = generatedLines(40);
const products = assembleAll(lines);
const file = writeLines(lines);

function feedRequest(url: string, headers: Record<string, string> = {}): Request {
  return new Request(url, { headers });
}


function tokenOf(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

describe("feed builds", () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await startTestApp();
    for (const shop of [SHOP, OTHER_SHOP]) {
      await upsertShopInstalled(runtime.db.prisma, shop, "read_products", {
        name: "Feeds",
        currencyCode: "USD",
        countryCode: "US",
        storefrontUrl: "https://shelfcast-demo.myshopify.com",
      });
    }
    await replaceProducts(runtime.db, SHOP, products, new Date());
    // The demo's TikTok rules (categories, package sizes): without a category nothing is ready on TikTok Shop.
    for (const entry of demoChannelMappings()) await saveChannelMapping(runtime.db.sql, SHOP, { ...entry, expectedRevision: 0 });
  });
  afterAll(async () => stopTestApp(runtime));

  it("builds one feed per channel with the same counts the CLI computes from the source file", async () => {
    const summaries = await buildShopFeeds(runtime, { shop: SHOP }, () => new Date());
    expect(summaries.map((s) => s.channel)).toEqual([...CHANNEL_IDS]);
    const fromFile = await evaluateCatalogFile(
      file,
      {
        channels: CHANNEL_IDS,
        market: { code: "US", currency: "USD", language: "en" },
        shop: { domain: SHOP, name: "Feeds", currency: "USD", storefrontUrl: "https://shelfcast-demo.myshopify.com" },
        idScheme: "variant-id",
        mappings: demoChannelMappings(),
        now: new Date(),
        // What the CLI uses without --rules: Shopify's stock, and the promotion check the app applies too.
        offers: createOfferPolicy({ rules: null, now: new Date() }),
      },
      () => undefined,
    );
    const variants = products.reduce((sum, p) => sum + p.variants.length, 0);
    summaries.forEach((summary, index) => {
      const { tally } = summary;
      expect(tally.itemsTotal).toBe(variants);
      expect(tally.itemsReady + tally.itemsWithErrors + tally.itemsExcluded).toBe(tally.itemsTotal);
      // Something of each kind, so the equality below means something.
      expect(tally.itemsReady).toBeGreaterThan(0);
      expect(tally.itemsExcluded).toBeGreaterThan(0); // drafts and archived products
      expect(fromFile.tallies[index]).toEqual(tally);
    });

    const overview = await loadChannelsOverview(runtime, SHOP);
    const meta = overview.channels.find((c) => c.channel === "meta")!;
    expect(meta.feeds).toHaveLength(1);
    expect(meta.feeds[0]!.current).toMatchObject({ status: "succeeded", itemsTotal: variants, itemsReady: summaries[0]!.tally.itemsReady });
    expect(meta.feeds[0]!.url).toMatch(/\/feeds\/[A-Za-z0-9_-]{43}\.csv$/);
  });

  it("serves the last build gzip-compressed with an ETag, 304 when unchanged, plain text when gzip is not accepted", async () => {
    const overview = await loadChannelsOverview(runtime, SHOP);
    const url = overview.channels.find((c) => c.channel === "meta")!.feeds[0]!.url!;
    const gz = await serveFeed(runtime, tokenOf(url), feedRequest(url, { "accept-encoding": "gzip, deflate" }));
    expect(gz.status).toBe(200);
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const etag = gz.headers.get("etag")!;
    const text = gunzipSync(Buffer.from(await gz.arrayBuffer())).toString("utf8");
    const rows = parseCsv(text, { columns: true, bom: true }) as Record<string, string>[];
    const meta = (await loadChannelsOverview(runtime, SHOP)).channels.find((c) => c.channel === "meta")!;
    expect(rows).toHaveLength(meta.feeds[0]!.current!.itemsReady);

    const plain = await serveFeed(runtime, tokenOf(url), feedRequest(url));
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(text);

    const notModified = await serveFeed(runtime, tokenOf(url), feedRequest(url, { "if-none-match": etag }));
    expect(notModified.status).toBe(304);
    const since = await serveFeed(runtime, tokenOf(url), feedRequest(url, { "if-modified-since": gz.headers.get("last-modified")! }));
    expect(since.status).toBe(304);
  });

  it("keeps ETag and Last-Modified across a rebuild that changes nothing, and changes them when the catalog changes", async () => {
    const before = (await loadChannelsOverview(runtime, SHOP)).channels.find((c) => c.channel === "google")!.feeds[0]!;
    await buildShopFeeds(runtime, { shop: SHOP }, () => new Date(Date.now() + 5_000));
    const same = (await loadChannelsOverview(runtime, SHOP)).channels.find((c) => c.channel === "google")!.feeds[0]!;
    expect(same.current!.contentChangedAt).toBe(before.current!.contentChangedAt);

    // Not tagged for a post or campaign: such a product is held back until it has a hold or a buffer.
    const active = products.find((p) => p.status === "ACTIVE" && p.variants.length > 0 && !p.tags.some((tag) => /^(social|campaign):/.test(tag)))!;
    await replaceProducts(runtime.db, SHOP, [{ ...active, title: `${active.title} Renamed` }], new Date());
    await buildShopFeeds(runtime, { shop: SHOP }, () => new Date(Date.now() + 10_000));
    const changed = (await loadChannelsOverview(runtime, SHOP)).channels.find((c) => c.channel === "google")!.feeds[0]!;
    expect(changed.current!.contentChangedAt).not.toBe(before.current!.contentChangedAt);
  });

  it("answers 404 for unknown, malformed, rotated and revoked tokens", async () => {
    const feed = (await loadChannelsOverview(runtime, SHOP)).channels.find((c) => c.channel === "pinterest")!.feeds[0]!;
    const token = tokenOf(feed.url!);
    expect((await serveFeed(runtime, "x".repeat(43), feedRequest(feed.url!))).status).toBe(404);
    expect((await serveFeed(runtime, "../../etc/passwd", feedRequest(feed.url!))).status).toBe(404);

    await runChannelsAction(runtime, SHOP, { intent: "rotate", feedId: feed.feedId });
    expect((await serveFeed(runtime, token, feedRequest(feed.url!))).status).toBe(404);
    const rotated = (await loadChannelsOverview(runtime, SHOP)).channels.find((c) => c.channel === "pinterest")!.feeds[0]!;
    expect(rotated.url).not.toBe(feed.url);
    expect((await serveFeed(runtime, tokenOf(rotated.url!), feedRequest(rotated.url!))).status).toBe(200);

    await runChannelsAction(runtime, SHOP, { intent: "revoke", feedId: feed.feedId });
    expect((await serveFeed(runtime, tokenOf(rotated.url!), feedRequest(rotated.url!))).status).toBe(404);
  });

  it("keeps a shop's feeds and diagnostics to itself", async () => {
    const feedsA = await listFeeds(runtime.db.sql, SHOP);
    expect(feedsA.length).toBeGreaterThan(0);
    expect(await listFeeds(runtime.db.sql, OTHER_SHOP)).toEqual([]);
    expect(await runChannelsAction(runtime, OTHER_SHOP, { intent: "revoke", feedId: feedsA[0]!.id })).toMatchObject({ ok: false });
    const withProblems = products.find((p) => p.status === "ACTIVE")!;
    expect((await diagnosticsForProduct(runtime.db.sql, SHOP, withProblems.id)).every((d) => d.productId === withProblems.id)).toBe(true);
    expect(await diagnosticsForProduct(runtime.db.sql, OTHER_SHOP, withProblems.id)).toEqual([]);
  });
});

describe("feeds per market", () => {
  let runtime: Runtime;
  const shop = "feeds-markets.myshopify.com";

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, shop, "read_products", { name: "Markets", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://markets.example" });
    // Euro prices for the first half of the products only, as a price list that does not cover everything.
    const priced = products.map((product, index) => ({
      ...product,
      variants: product.variants.map((variant) =>
        index < products.length / 2 ? { ...variant, marketPrices: { DE: { amount: variant.price, currencyCode: "EUR" } } } : variant,
      ),
    }));
    await replaceProducts(runtime.db, shop, priced, new Date());
    await saveChannelSettings(runtime.db.sql, shop, {
      idScheme: "variant-id",
      markets: [
        { code: "US", currency: "USD", language: "en" },
        { code: "DE", currency: "EUR", language: "de" },
      ],
    });
  });
  afterAll(async () => stopTestApp(runtime));

  it("builds one feed per channel and market, priced in the market's currency", async () => {
    const summaries = await buildShopFeeds(runtime, { shop }, () => new Date());
    expect(summaries).toHaveLength(CHANNEL_IDS.length * 2);
    const overview = await loadChannelsOverview(runtime, shop);
    const google = overview.channels.find((c) => c.channel === "google")!;
    expect(google.feeds.map((feed) => feed.market).sort()).toEqual(["DE", "US"]);

    const germany = google.feeds.find((feed) => feed.market === "DE")!;
    const xml = await (await serveFeed(runtime, tokenOf(germany.url!), feedRequest(germany.url!))).text();
    expect(xml).toContain(" EUR</g:price>");
    expect(xml).not.toContain(" USD</g:price>");
    // Items without a euro price are held back with a reason, not sent in dollars.
    const us = summaries.find((s) => s.channel === "google" && s.market === "US")!;
    const de = summaries.find((s) => s.channel === "google" && s.market === "DE")!;
    expect(de.tally.itemsReady).toBeGreaterThan(0);
    expect(de.tally.itemsReady).toBeLessThan(us.tally.itemsReady);
  });

  it("validates settings as a whole, and a market taken out loses its feeds (its URLs answer 404)", async () => {
    const invalid = await runChannelsAction(runtime, shop, { intent: "settings", settings: JSON.stringify({ idScheme: "variant-id", markets: [{ code: "usa", currency: "USD", language: "en" }] }) });
    expect(invalid).toMatchObject({ ok: false, errors: [{ path: "markets.0.code" }] });

    const germany = (await loadChannelsOverview(runtime, shop)).channels.find((c) => c.channel === "meta")!.feeds.find((feed) => feed.market === "DE")!;
    const saved = await runChannelsAction(runtime, shop, { intent: "settings", settings: JSON.stringify({ idScheme: "variant-id", markets: [{ code: "US", currency: "USD", language: "en" }] }) });
    expect(saved).toMatchObject({ ok: true });
    await buildShopFeeds(runtime, { shop }, () => new Date());
    const meta = (await loadChannelsOverview(runtime, shop)).channels.find((c) => c.channel === "meta")!;
    expect(meta.feeds.map((feed) => feed.market)).toEqual(["US"]);
    expect((await serveFeed(runtime, tokenOf(germany.url!), feedRequest(germany.url!))).status).toBe(404);
  });
});
