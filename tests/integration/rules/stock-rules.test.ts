import { gunzipSync } from "node:zlib";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { saveChannelMapping } from "../../../app/.server/repositories/channel-settings";
import { getStockRules, saveStockRules } from "../../../app/.server/repositories/stock-rules";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import type { Runtime } from "../../../app/.server/runtime";
import { loadChannelsOverview } from "../../../app/.server/services/channel-feeds/channel-overview";
import { productChannels } from "../../../app/.server/services/channel-feeds/product-channels";
import { serveFeed } from "../../../app/.server/services/channel-feeds/serve-feed";
import { loadOfferSetup } from "../../../app/.server/services/rules/offer-setup";
import { loadRulesPage, saveRulesDocument, simulateOffers } from "../../../app/.server/services/rules/stock-rules-editor";
import { offerFromStock } from "../../../app/domain/channels/offer";
import { PROMOTED_WITHOUT_RESERVATION } from "../../../app/domain/rules";
import { buildCatalogProduct } from "../../factories/catalog";
import { drainQueue, startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "rules-a.myshopify.com";
const OTHER_SHOP = "rules-b.myshopify.com";
const NOW = new Date("2026-03-06T12:00:00Z");

/** Ten in stock, ready on Meta and (with the mapping below) on TikTok Shop. */
const SHIRT = buildCatalogProduct(
  7001,
  {
    title: "Linen shirt",
    handle: "linen-shirt",
    descriptionHtml: "<p>Washed linen, relaxed fit.</p>",
    media: [{ id: "gid://shopify/MediaImage/7001", url: "https://cdn.shopify.com/s/files/shirt.jpg", altText: null, width: 1200, height: 1200 }],
  },
  [{ availableQuantity: 10, weight: 300, weightUnit: "GRAMS" }],
);
const SHIRT_VARIANT = SHIRT.variants[0]!;
/** The same, tagged for a TikTok post. */
const PROMOTED = buildCatalogProduct(
  7002,
  { title: "Promoted tee", handle: "promoted-tee", tags: ["social:tiktok"], descriptionHtml: "<p>Soft cotton.</p>", media: SHIRT.media },
  [{ availableQuantity: 10, weight: 200, weightUnit: "GRAMS" }],
);

const TIKTOK_MAPPING = {
  version: 1,
  fields: {
    channelCategoryId: [{ source: { type: "static", value: "601226" } }],
    packageDimensions: [{ source: { type: "static", value: "30 x 20 x 5 cm" } }],
  },
};

function keepThree(channels: string[]) {
  return { version: 1, channels, rules: [{ id: "keep-3", description: "Three for the web store", scope: "shop", reserve: { units: 3 } }] };
}

async function metaFeedRows(runtime: Runtime): Promise<Record<string, string>[]> {
  const feed = (await loadChannelsOverview(runtime, SHOP)).channels.find((channel) => channel.channel === "meta")!.feeds.find((candidate) => candidate.market === "US")!;
  const url = feed.url!;
  const response = await serveFeed(runtime, url.slice(url.lastIndexOf("/") + 1), new Request(url, { headers: { "accept-encoding": "gzip" } }));
  expect(response.status).toBe(200);
  const text = gunzipSync(Buffer.from(await response.arrayBuffer())).toString("utf8");
  return parseCsv(text, { columns: true, bom: true }) as Record<string, string>[];
}

async function tiktokDesiredQuantity(runtime: Runtime, productId: string): Promise<number | undefined> {
  const { rows } = await runtime.db.sql.query<{ desired_payload: { skus: { inventory: { quantity: number }[] }[] } | null }>(
    `SELECT "desired_payload" FROM "channel_item" WHERE "shop" = $1 AND "channel" = 'tiktok' AND "product_id" = $2`,
    [SHOP, productId],
  );
  return rows[0]?.desired_payload?.skus[0]?.inventory[0]?.quantity;
}

/** A save, then the jobs it starts: the feed build, and after it the channels' plan. */
async function saveAndRebuild(runtime: Runtime, document: unknown): Promise<void> {
  const revision = (await getStockRules(runtime.db.sql, SHOP))?.revision ?? 0;
  expect(await saveRulesDocument(runtime, SHOP, document, revision)).toMatchObject({ ok: true, revision: revision + 1 });
  expect((await drainQueue(runtime, QUEUES.buildFeeds)).completed).toBe(1);
  expect((await drainQueue(runtime, QUEUES.planChannelItems)).failed).toBe(0);
}

describe("stock rules storage and wiring", () => {
  let runtime: Runtime;
  const savedDebounce = process.env.SHELFCAST_FEED_DEBOUNCE_SECONDS;

  beforeAll(async () => {
    process.env.SHELFCAST_FEED_DEBOUNCE_SECONDS = "0";
    runtime = await startTestApp();
    for (const shop of [SHOP, OTHER_SHOP]) {
      await upsertShopInstalled(runtime.db.prisma, shop, "read_products", { name: "Rules", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://rules.example.com" });
    }
    await replaceProducts(runtime.db, SHOP, [SHIRT, PROMOTED], new Date());
    await saveChannelMapping(runtime.db.sql, SHOP, { channel: "tiktok", market: "*", rules: TIKTOK_MAPPING, expectedRevision: 0 });
    // Both API channels connected, so a plan writes their desired state.
    await runtime.db.prisma.channelConnection.create({ data: { shop: SHOP, channel: "meta", settings: { catalogId: "2000000000000001" }, secretsCiphertext: "v1:x:AAAA:AAAA:AAAA", secretHint: "xxxx" } });
    await runtime.db.prisma.channelConnection.create({ data: { shop: SHOP, channel: "tiktok", settings: { appKey: "6appkey0001", shopId: "7001", shopName: "Rules US", region: "US" }, secretsCiphertext: "v1:x:AAAA:AAAA:AAAA", secretHint: "xxxx" } });
  });
  afterAll(async () => {
    await stopTestApp(runtime);
    if (savedDebounce === undefined) delete process.env.SHELFCAST_FEED_DEBOUNCE_SECONDS;
    else process.env.SHELFCAST_FEED_DEBOUNCE_SECONDS = savedDebounce;
  });

  it("starts without rules: Shopify's stock as is, revision 0, the empty document on the page", async () => {
    const setup = await loadOfferSetup(runtime, SHOP, NOW);
    expect(setup).toMatchObject({ source: "stock", revision: 0, campaigns: [], problems: [] });
    expect(setup.resolver).toBe(offerFromStock);
    expect(setup.rules.rules).toEqual([]);
    expect(await loadRulesPage(runtime, SHOP, "", NOW)).toMatchObject({ document: { version: 1 }, valid: true, revision: 0, updatedAt: null, markets: ["US"] });
  });

  it("blocks a product tagged for a TikTok post that nothing protects, even without rules", async () => {
    const views = (await productChannels(runtime, SHOP, PROMOTED.id))!;
    const tiktok = views.find((view) => view.channel === "tiktok")!;
    expect(tiktok.readiness).toBe("blocked");
    expect(tiktok.diagnostics.map((diagnostic) => diagnostic.code)).toContain(PROMOTED_WITHOUT_RESERVATION);
    expect(views.find((view) => view.channel === "meta")!.readiness).toBe("ready");
    // The untagged shirt is untouched.
    expect((await productChannels(runtime, SHOP, SHIRT.id))!.find((view) => view.channel === "tiktok")!.diagnostics.filter((d) => d.code.startsWith("rules."))).toEqual([]);
  });

  it("refuses an invalid document naming the rule and the field, and saves nothing", async () => {
    const result = await saveRulesDocument(runtime, SHOP, { version: 1, rules: [{ id: "shop-default", scope: "shop", reserve: { percent: 10 } }, { id: "limited-edition", scope: { tag: "limited" }, cap: -1 }] }, 0);
    expect(result).toMatchObject({ ok: false, errors: [{ entryId: "limited-edition", path: "rules[1].cap" }] });
    if (result.ok || !("errors" in result)) throw new Error("expected errors");
    expect(result.errors[0]!.text).toBe('rules[1] ("limited-edition").cap: expected a whole number of units (0 or more), got -1');
    expect(await getStockRules(runtime.db.sql, SHOP)).toBeNull();
    expect((await drainQueue(runtime, QUEUES.buildFeeds)).completed).toBe(0);
  });

  it("saves with optimistic revisions: a stale save is refused and changes nothing", async () => {
    expect(await saveStockRules(runtime.db.sql, OTHER_SHOP, { document: keepThree(["meta"]), expectedRevision: 0 })).toBe(1);
    // "Never saved" is a revision too: a second first save is refused.
    expect(await saveStockRules(runtime.db.sql, OTHER_SHOP, { document: keepThree(["google"]), expectedRevision: 0 })).toBeNull();
    expect(await saveStockRules(runtime.db.sql, OTHER_SHOP, { document: keepThree(["tiktok"]), expectedRevision: 1 })).toBe(2);
    expect(await saveRulesDocument(runtime, OTHER_SHOP, keepThree(["pinterest"]), 1)).toMatchObject({ ok: false, conflict: true });
    const stored = await getStockRules(runtime.db.sql, OTHER_SHOP);
    expect(stored).toMatchObject({ revision: 2, document: keepThree(["tiktok"]) });
    // Each shop reads its own rules only.
    expect(await getStockRules(runtime.db.sql, SHOP)).toBeNull();
    const setup = await loadOfferSetup(runtime, OTHER_SHOP, NOW);
    expect(setup).toMatchObject({ source: "rules", revision: 2 });
    expect(setup.rules.channels).toEqual(["tiktok"]);
  });

  it("a rule keeping 3 of 10: after the rebuild the Meta feed and the TikTok push share the 7 left", async () => {
    await saveAndRebuild(runtime, keepThree(["meta", "tiktok"]));
    const row = (await metaFeedRows(runtime)).find((candidate) => candidate.id === "700101")!;
    expect(row.quantity_to_sell_on_facebook).toBe("4");
    expect(await tiktokDesiredQuantity(runtime, SHIRT.id)).toBe(3);
  });

  it("with Meta alone in play the Meta feed offers 7; with TikTok alone the TikTok push carries 7", async () => {
    await saveAndRebuild(runtime, keepThree(["meta"]));
    expect((await metaFeedRows(runtime)).find((candidate) => candidate.id === "700101")?.quantity_to_sell_on_facebook).toBe("7");

    await saveAndRebuild(runtime, keepThree(["tiktok"]));
    expect(await tiktokDesiredQuantity(runtime, SHIRT.id)).toBe(7);
  });

  it("lets the promoted product through once a reserve protects it", async () => {
    // keep-3 is a shop-wide reserve: the tagged tee is protected on TikTok and pushed with 7.
    expect(await tiktokDesiredQuantity(runtime, PROMOTED.id)).toBe(7);
    const tiktok = (await productChannels(runtime, SHOP, PROMOTED.id))!.find((view) => view.channel === "tiktok")!;
    expect(tiktok.readiness).toBe("ready");
  });

  it("simulates a variant on every channel with the reasons and the arithmetic", async () => {
    const result = await simulateOffers(runtime, SHOP, { productId: SHIRT.id, variantId: SHIRT_VARIANT.id, at: NOW });
    if (!result.ok) throw new Error(result.message);
    const { simulation } = result;
    expect(simulation.source).toBe("rules");
    expect(simulation.allocation).toMatchObject({ mode: "in_stock", stock: 10, sellable: 10, reservedForWebStore: 3, shared: 7, channelsInPlay: ["tiktok"] });
    const tiktok = simulation.channels.find((channel) => channel.channel === "tiktok")!;
    expect(tiktok).toMatchObject({ inPlay: true, quantity: 7, availability: "in_stock", message: "In stock" });
    expect(tiktok.reasons).toContain("3 reserved for the web store (3 units, rule 'keep-3')");
    expect(simulation.channels.map((channel) => channel.channel)).toEqual(["meta", "tiktok", "tiktok-ads", "pinterest", "google"]);
    expect(simulation.rulesApplied).toEqual([{ id: "keep-3", level: "shop" }]);
    expect(await simulateOffers(runtime, OTHER_SHOP, { productId: SHIRT.id, at: NOW })).toMatchObject({ ok: false });
  });
});
