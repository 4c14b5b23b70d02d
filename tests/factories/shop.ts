import { randomUUID } from "node:crypto";
import type { Runtime } from "../../app/.server/runtime";
import { replaceProducts } from "../../app/.server/repositories/catalog";
import { ensureFeed, insertBuildChunk, insertDiagnostics, startBuild } from "../../app/.server/repositories/channel-feeds";
import { saveChannelMapping, saveChannelSettings } from "../../app/.server/repositories/channel-settings";
import { saveStockRules } from "../../app/.server/repositories/stock-rules";
import { insertPixelEvents, saveTrackingPlan } from "../../app/.server/repositories/tracking";
import { savePixelDestination } from "../../app/.server/repositories/pixel-destinations";
import { newFeedToken } from "../../app/.server/services/channel-feeds/feed-tokens";
import { createDefaultTrackingPlan } from "../../app/domain/tracking/default-plan";
import { buildProduct } from "./product";

/**
 * A shop with sessions, products, a catalog sync, an inbox row, channel settings and rules, a
 * built feed with its chunks and diagnostics, a tracking plan and a pixel event: a row in every
 * tenant table.
 */
export async function seedShop(runtime: Runtime, shop: string, counts: { sessions: number; products: number }) {
  const { prisma } = runtime.db;
  await prisma.shop.upsert({ where: { shop }, create: { shop, scopes: "read_products" }, update: {} });
  for (let i = 0; i < counts.sessions; i += 1) {
    await prisma.session.create({ data: { id: `${shop}_${i}`, shop, state: "s", isOnline: i > 0, accessToken: `shpat_${i}` } });
  }
  const products = Array.from({ length: counts.products }, (_, i) => buildProduct({ id: `gid://shopify/Product/${hash(shop)}${i}`, title: `${shop} product ${i}` }));
  await replaceProducts(runtime.db, shop, products, new Date());
  const sync = await prisma.catalogSync.create({ data: { shop, kind: "full", status: "running", phase: "staging" } });
  await prisma.catalogSyncBlock.create({ data: { shop, syncId: sync.id, firstLine: 1, rootGid: "gid://shopify/Product/1", holdsRoot: true, lines: "1\t{}" } });
  await prisma.webhookInbox.create({ data: { shop, topic: "app/scopes_update", eventId: `seed-${shop}`, payload: {}, status: "processed" } });
  await saveChannelSettings(runtime.db.sql, shop, { idScheme: "variant-id", markets: [{ code: "US", currency: "USD", language: "en" }] });
  await saveChannelMapping(runtime.db.sql, shop, { channel: "meta", market: "*", rules: { version: 1 }, expectedRevision: 0 });
  await saveStockRules(runtime.db.sql, shop, { document: { version: 1, rules: [{ id: "seed", scope: "shop", reserve: { units: 1 } }] }, expectedRevision: 0 });
  const feed = await ensureFeed(runtime.db.sql, shop, { channel: "meta", market: "US", format: "csv", token: newFeedToken() });
  const buildId = await startBuild(runtime.db.sql, shop, feed.id, new Date());
  await insertBuildChunk(runtime.db.sql, shop, buildId, 0, Buffer.from("seed"));
  await insertDiagnostics(runtime.db.sql, shop, buildId, [
    {
      code: "seed",
      severity: "warning",
      channel: "meta",
      market: "US",
      itemId: "1",
      productId: products[0]?.id ?? "gid://shopify/Product/1",
      variantId: null,
      field: "title",
      value: null,
      message: "seeded",
      fix: "none",
      fixTarget: { kind: "settings", section: "channels" },
    },
  ]);
  await saveTrackingPlan(runtime.db.sql, shop, createDefaultTrackingPlan(), 0);
  await savePixelDestination(runtime.db.sql, shop, { platform: "meta", pixelId: "1234567890", tokenCiphertext: "v1:seed:AAAA:AAAA:AAAA", tokenHint: "seed", testEventCode: null });
  await insertPixelEvents(
    runtime.db,
    shop,
    [
      {
        eventTime: new Date(),
        clientId: "seed-client",
        platform: "meta",
        channel: "browser",
        eventName: "PageView",
        eventId: "seed-event",
        params: {},
        consent: { marketing: true, analytics: true, saleOfData: true },
        url: `https://${shop}/`,
        forwarding: "forward",
      },
    ],
    10,
  );
  // Publishing (migration 0006): one row in each table so redaction is proven to reach them.
  const productId = products[0]?.id ?? "gid://shopify/Product/1";
  await prisma.channelConnection.create({ data: { shop, channel: "meta", settings: { catalogId: "1" }, secretsCiphertext: "v1:seed:AAAA:AAAA:AAAA", secretHint: "seed" } });
  await prisma.channelItem.create({ data: { shop, channel: "meta", market: "US", itemKey: "1", productId, desiredHash: "h" } });
  await prisma.publishRun.create({ data: { id: randomUUID(), shop, channel: "meta", market: "US", trigger: "seed" } });
  const seenAt = new Date();
  // Feed issues (migration 0009): one issue and one product event.
  await prisma.feedIssue.create({
    data: { shop, channel: "meta", market: "US", source: "meta", itemKey: "1", itemId: "1", code: "meta.seed", productId, severity: "warning", field: "title", message: "seeded", fix: "none", fixTarget: {}, firstSeenAt: seenAt, lastSeenAt: seenAt },
  });
  await prisma.productEvent.create({ data: { shop, productId, channel: "meta", kind: "issue.opened", summary: "Meta: meta.seed (title)" } });
  await prisma.tiktokImage.create({ data: { shop, sourceUrl: "https://cdn.example.com/seed.jpg", uri: "tos-seed" } });
  // Campaigns (migration 0008): a post holding nothing, and a written storefront offer message.
  await prisma.campaign.create({
    data: { shop, id: "seed-post", kind: "post", name: "Seed post", channels: ["tiktok"], startsAt: new Date("2026-03-01T09:00:00Z"), endsAt: new Date("2026-03-02T09:00:00Z"), holds: [{ product: productId, units: 0 }] },
  });
  await prisma.storefrontOfferMessage.create({ data: { shop, variantId: "gid://shopify/ProductVariant/1", productId, hash: "seed" } });
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 100_000;
  return h;
}
