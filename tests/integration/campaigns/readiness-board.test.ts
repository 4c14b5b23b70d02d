import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { diagnosticsForProduct, listFeeds, readBuildChunk } from "../../../app/.server/repositories/channel-feeds";
import { saveChannelMapping } from "../../../app/.server/repositories/channel-settings";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import { saveStockRules } from "../../../app/.server/repositories/stock-rules";
import type { Runtime } from "../../../app/.server/runtime";
import { buildShopFeeds } from "../../../app/.server/services/channel-feeds/build-feeds";
import { completeTikTokAuthorization, listConnectionSummaries, saveTikTokMappings, selectTikTokShop, startTikTokAuthorization } from "../../../app/.server/services/publishing/connections";
import { planChannelItems } from "../../../app/.server/services/publishing/plan-channel-items";
import { publishCatalog } from "../../../app/.server/services/publishing/publish-catalog";
import type { PublishDeps } from "../../../app/.server/services/publishing/publish-deps";
import { loadCampaignEditor, loadCampaignsPage } from "../../../app/.server/services/rules/campaigns-page";
import { saveCampaign } from "../../../app/.server/services/rules/campaigns-store";
import { loadLowStockAlerts } from "../../../app/.server/services/rules/low-stock-alerts";
import { loadReadinessBoard, type BoardCell, type ReadinessBoard } from "../../../app/.server/services/rules/readiness-board";
import { TikTokShopFake } from "../../../app/demo/channel-fakes";
import { demoChannelMappings } from "../../../app/demo/demo-channel-rules";
import type { Product } from "../../../app/domain/catalog/types";
import { PROMOTED_WITHOUT_RESERVATION } from "../../../app/domain/rules";
import { READINESS_CODES, REBUILDING_NOTE } from "../../../app/domain/readiness";
import { assembleAll, generatedLines } from "../../factories/catalog-file";
import { useChannelFakes } from "../../mocks/channel-fakes";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "readiness-board.myshopify.com";
const APP_KEY = "shelfcastboard01";
const APP_SECRET = "tiktok-board-app-secret-0042";

/** The TikTok Shop feed as the channel fetches it: the current build's bytes, unzipped. */
async function tiktokFeed(runtime: Runtime): Promise<{ external_product_id: string; skus: { external_sku_id: string; inventory: { quantity: number }[] }[] }[]> {
  const feed = (await listFeeds(runtime.db.sql, SHOP)).find((candidate) => candidate.channel === "tiktok" && candidate.market === "US");
  if (!feed?.currentBuildId) throw new Error("the TikTok feed was built");
  const chunks: Buffer[] = [];
  for (let seq = 0; ; seq += 1) {
    const chunk = await readBuildChunk(runtime.db.sql, SHOP, feed.currentBuildId, seq);
    if (!chunk) break;
    chunks.push(chunk);
  }
  return JSON.parse(gunzipSync(Buffer.concat(chunks)).toString("utf8")) as never;
}

function cellOf(board: ReadinessBoard | null, productId: string, channel = "tiktok"): BoardCell {
  const cell = board?.products.find((product) => product.productId === productId)?.cells.find((candidate) => candidate.channel === channel);
  if (!cell) throw new Error(`no ${channel} cell for ${productId}`);
  return cell;
}

const stockOf = (product: Product) => product.variants.reduce((sum, variant) => sum + variant.availableQuantity, 0);

describe("the readiness board of a TikTok post", () => {
  let runtime: Runtime;
  let products: Product[];
  let chosen: [Product, Product, Product];
  let campaignId: string;
  const ruleFor = (product: Product, id: string) => ({ id, scope: { product: product.id }, reserve: { units: 2 } });

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products", { name: "Board", currencyCode: "USD", countryCode: "US", ianaTimezone: "America/New_York", storefrontUrl: "https://board.example" });
    products = assembleAll(generatedLines(40, 5));
    await replaceProducts(runtime.db, SHOP, products, new Date());
    for (const entry of demoChannelMappings()) await saveChannelMapping(runtime.db.sql, SHOP, { ...entry, expectedRevision: 0 });
    await buildShopFeeds(runtime, { shop: SHOP }, () => new Date());
    // Three products TikTok Shop takes as they are, promoted nowhere yet, with stock on every variant.
    const candidates: Product[] = [];
    for (const product of products) {
      if (product.status !== "ACTIVE" || product.tags.some((tag) => /^(social:tiktok|campaign:|pre-order)/.test(tag))) continue;
      if (!product.variants.every((variant) => variant.inventoryItem.tracked && variant.inventoryPolicy === "DENY" && variant.availableQuantity >= 12)) continue;
      const errors = (await diagnosticsForProduct(runtime.db.sql, SHOP, product.id)).filter((d) => d.channel === "tiktok" && d.severity === "error");
      if (errors.length === 0) candidates.push(product);
      if (candidates.length === 3) break;
    }
    expect(candidates).toHaveLength(3);
    chosen = candidates as [Product, Product, Product];
  }, 120_000);
  afterAll(async () => stopTestApp(runtime));

  it("blocks the one product no rule protects, names why and where to fix it, and passes the protected ones", async () => {
    const [a, b, c] = chosen;
    expect(await saveStockRules(runtime.db.sql, SHOP, { document: { version: 1, rules: [ruleFor(a, "a-buffer"), ruleFor(b, "b-buffer")] }, expectedRevision: 0 })).toBe(1);
    const now = new Date();
    const saved = await saveCampaign(runtime, SHOP, {
      kind: "post",
      name: "TikTok post",
      channels: ["tiktok"],
      startsAt: new Date(now.getTime() - 3_600_000).toISOString(),
      endsAt: new Date(now.getTime() + 86_400_000).toISOString(),
      holds: chosen.map((product) => ({ product: product.id, units: 0 })),
    });
    if (!saved.ok) throw new Error(saved.message);
    campaignId = saved.id;
    await buildShopFeeds(runtime, { shop: SHOP }, () => new Date());

    const board = await loadReadinessBoard(runtime, SHOP, campaignId, new Date());
    expect(board?.judged).toBe("now");
    // Saving the campaign asked for a (debounced) feed build, still waiting: the board says so.
    expect(board?.rebuilding).toBe(true);
    expect(cellOf(board, a.id).notes).toContain(REBUILDING_NOTE);
    expect(board?.channels).toEqual([{ channel: "tiktok", label: expect.any(String) as string }]);
    expect(board?.products.map((product) => product.productId)).toEqual(chosen.map((product) => product.id));
    expect(cellOf(board, a.id)).toMatchObject({ verdict: "ready", reasons: [] });
    expect(cellOf(board, b.id)).toMatchObject({ verdict: "ready", reasons: [] });
    const blocked = cellOf(board, c.id);
    expect(blocked.verdict).toBe("blocked");
    expect(blocked.reasons.map((reason) => reason.code)).toEqual([PROMOTED_WITHOUT_RESERVATION]);
    expect(blocked.reasons[0]?.message).toContain("with nothing reserved");
    expect(blocked.reasons[0]?.fixTarget).toEqual({ kind: "rules" });
    // Post links for the product and, when it has several, each variant.
    const links = board?.products.find((product) => product.productId === c.id)?.links ?? [];
    expect(links[0]?.links[0]?.url).toBe(`https://board.example/products/${c.handle}?utm_source=tiktok&utm_medium=social&utm_campaign=${campaignId}&utm_content=${c.handle}`);
    expect(links).toHaveLength(c.variants.length > 1 ? c.variants.length + 1 : 1);
  }, 120_000);

  it("says the feed has not caught up with a new buffer, then shows Ready with the buffered quantity the TikTok feed carries", async () => {
    const [a, b, c] = chosen;
    expect(await saveStockRules(runtime.db.sql, SHOP, { document: { version: 1, rules: [ruleFor(a, "a-buffer"), ruleFor(b, "b-buffer"), ruleFor(c, "c-buffer")] }, expectedRevision: 1 })).toBe(2);
    const stale = cellOf(await loadReadinessBoard(runtime, SHOP, campaignId, new Date()), c.id);
    expect(stale.verdict).toBe("blocked");
    expect(stale.reasons.map((reason) => reason.code)).toEqual([READINESS_CODES.notInFeed]);

    await buildShopFeeds(runtime, { shop: SHOP }, () => new Date());
    const ready = cellOf(await loadReadinessBoard(runtime, SHOP, campaignId, new Date()), c.id);
    expect(ready).toMatchObject({ verdict: "ready", reasons: [] });
    expect(ready.quantity).toBeGreaterThan(0);
    // Buffered: the web store keeps 2 per variant and the other channels share the rest.
    expect(ready.quantity).toBeLessThanOrEqual(stockOf(c) - 2 * c.variants.length);

    const record = (await tiktokFeed(runtime)).find((entry) => entry.external_product_id === c.id);
    expect(record?.skus.map((sku) => [sku.external_sku_id, sku.inventory[0]?.quantity])).toEqual(ready.offers.map((offer) => [offer.variantId, offer.quantity]));
  }, 120_000);

  it("pushes the same buffered quantity to TikTok Shop, and judges TikTok by its records once connected", async () => {
    const [, , c] = chosen;
    const clock = new Date();
    const now = () => clock;
    const tiktok = new TikTokShopFake({ appKey: APP_KEY, appSecret: APP_SECRET, now });
    useChannelFakes(tiktok);
    const started = await startTikTokAuthorization(runtime, SHOP, { appKey: APP_KEY, appSecret: APP_SECRET }, clock);
    if (!started.ok) throw new Error(JSON.stringify(started.errors));
    const state = new URL(started.authorizeUrl).searchParams.get("state") ?? "";
    expect(await completeTikTokAuthorization(runtime, { state, code: tiktok.issueAuthCode() }, clock)).toMatchObject({ ok: true });
    const summary = (await listConnectionSummaries(runtime, SHOP)).find((connection) => connection.channel === "tiktok");
    if (summary?.channel !== "tiktok") throw new Error("TikTok is connected");
    if (!summary.settings.shopId) expect(await selectTikTokShop(runtime, SHOP, { shopId: summary.settings.shops[0]?.id }, clock)).toMatchObject({ ok: true });
    const after = (await listConnectionSummaries(runtime, SHOP)).find((connection) => connection.channel === "tiktok");
    const warehouse = after?.channel === "tiktok" ? after.settings.warehouses[0]?.id : undefined;
    const locations = new Set(products.flatMap((product) => product.variants.flatMap((variant) => variant.inventoryItem.levels.map((level) => level.locationId))));
    const categories = new Set(products.flatMap((product) => (product.category ? [product.category.id] : [])));
    expect(
      await saveTikTokMappings(runtime, SHOP, { warehouseMap: Object.fromEntries([...locations].map((location) => [location, warehouse])), categoryMap: Object.fromEntries([...categories].map((category) => [category, "600001"])) }),
    ).toMatchObject({ ok: true });

    // Connected but not yet published: TikTok is now judged by its records.
    const waiting = cellOf(await loadReadinessBoard(runtime, SHOP, campaignId, clock), c.id);
    expect(waiting.verdict).toBe("blocked");
    expect(waiting.reasons.map((reason) => reason.code)).toEqual([READINESS_CODES.notPublished]);

    const deps: PublishDeps = { now, sleep: async () => undefined, random: () => 0.5, fetchFor: async () => ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)) as typeof fetch };
    await planChannelItems(runtime, { shop: SHOP, trigger: "test" }, now);
    await publishCatalog(runtime, { shop: SHOP, channel: "tiktok", market: "US", trigger: "test" }, deps);
    const board = await loadReadinessBoard(runtime, SHOP, campaignId, clock);
    const cell = cellOf(board, c.id);
    expect(cell).toMatchObject({ verdict: "ready", reasons: [] });
    const remote = [...tiktok.products.values()].find((product) => product.payload.external_product_id === c.id);
    const pushed = (remote?.payload.skus as { external_sku_id: string; inventory: { quantity: number }[] }[] | undefined)?.map((sku) => [sku.external_sku_id, sku.inventory[0]?.quantity]);
    expect(pushed).toEqual(cell.offers.map((offer) => [offer.variantId, offer.quantity]));
  }, 120_000);

  it("shows the promoted variants running low, as the feeds told the channels", async () => {
    const board = await loadReadinessBoard(runtime, SHOP, campaignId, new Date());
    const low = board?.products.flatMap((product) => product.cells.flatMap((cell) => cell.offers.filter((offer) => offer.quantity !== null && offer.quantity > 0 && offer.quantity <= 5).map((offer) => offer.variantId))) ?? [];
    expect(low.length).toBeGreaterThan(0);
    const alerts = await loadLowStockAlerts(runtime, SHOP, 500);
    const alerted = new Set(alerts.alerts.filter((alert) => alert.channels.some((channel) => channel.channel === "tiktok")).map((alert) => alert.variantId));
    for (const variantId of low) expect(alerted.has(variantId)).toBe(true);
    expect(alerts.alerts[0]?.message).toMatch(/at or below the low-stock threshold of 5/);
    // Only items still on sale: the builds also warn about blocked promotions and sold-out variants, which are not "running low".
    const { rows } = await runtime.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "channel_diagnostic" d JOIN "channel_feed" f ON f."current_build_id" = d."build_id"
       WHERE d."shop" = $1 AND d."code" = 'rules.low_stock' AND (d."value" = '0' OR EXISTS (SELECT 1 FROM "channel_diagnostic" e WHERE e."build_id" = d."build_id" AND e."item_id" = d."item_id" AND e."severity" = 'error'))`,
      [SHOP],
    );
    expect(rows[0]?.n).toBeGreaterThan(0);
    for (const alert of alerts.alerts) {
      const errors = (await diagnosticsForProduct(runtime.db.sql, SHOP, alert.productId)).filter((d) => d.severity === "error" && (d.variantId === null || d.variantId === alert.variantId));
      for (const channel of alert.channels) {
        expect(channel.quantity).toBeGreaterThan(0);
        expect(errors.filter((error) => error.channel === channel.channel)).toEqual([]);
      }
    }
  }, 60_000);

  it("finds over-reservations: two campaigns holding more than a variant has", async () => {
    const [a] = chosen;
    const variant = a.variants[0]!;
    const now = new Date();
    const window = { startsAt: new Date(now.getTime() + 86_400_000).toISOString(), endsAt: new Date(now.getTime() + 3 * 86_400_000).toISOString() };
    for (const name of ["Big drop", "Bigger drop"]) {
      const saved = await saveCampaign(runtime, SHOP, { kind: "campaign", name, channels: ["tiktok", "meta"], ...window, holds: [{ variant: variant.id, units: variant.availableQuantity }] });
      expect(saved.ok).toBe(true);
    }
    const page = await loadCampaignsPage(runtime, SHOP, { now, month: null });
    const found = page.overReservations.filter((item) => item.variantId === variant.id);
    expect(found).toHaveLength(1);
    expect(found[0]?.campaigns.map((campaign) => campaign.name).sort()).toEqual(["Big drop", "Bigger drop"]);
    expect(found[0]?.message).toMatch(/^Campaigns 'Big drop' \(\d+\) and 'Bigger drop' \(\d+\) hold \d+ units of .* over-reserved$/);
    expect(page.campaigns.map((campaign) => [campaign.name, campaign.status])).toEqual([
      ["TikTok post", "running"],
      ["Big drop", "upcoming"],
      ["Bigger drop", "upcoming"],
    ]);
    const editor = await loadCampaignEditor(runtime, SHOP, "big-drop", { now, search: "" });
    expect(editor?.overReservations).toHaveLength(1);
    expect(editor?.board?.judged).toBe("start");
    expect(editor?.holds).toEqual([expect.objectContaining({ kind: "variant", variantId: variant.id, label: `${a.title} — ${variant.title}`, units: variant.availableQuantity })]);
  }, 60_000);
});
