import { listItemsForProduct } from "../repositories/channel-items";
import { getProductDetail } from "../repositories/catalog-queries";
import { issuesForProduct } from "../repositories/feed-issues";
import { listProductEvents } from "../repositories/product-events";
import { getShop } from "../repositories/shops";
import type { Runtime } from "../runtime";
import { loadChannelSetup } from "./channel-feeds/channel-setup";
import { productChannels } from "./channel-feeds/product-channels";
import { listConnectionSummaries } from "./publishing/connections";
import { timelineEntry } from "./product-timeline";

/**
 * Everything support needs about one product in one JSON file: the catalog data Shelfcast holds,
 * the product as every channel sees it now (mapped items, the records sent, exclusions, diagnostics),
 * the offer per item, the issues found over time (resolved ones too), each record's publish state,
 * and the timeline. Built from browser-safe pieces only: connection summaries without their hints,
 * no ciphertext, no token, no feed URL (its token is a credential).
 */
export const SUPPORT_BUNDLE_VERSION = 1;
/** The newest timeline events a bundle carries. */
const BUNDLE_TIMELINE_EVENTS = 500;

export type SupportBundle = Awaited<ReturnType<typeof buildSupportBundle>>;

/** The bundle, or null when the shop has no such product. */
export async function buildSupportBundle(runtime: Runtime, shop: string, productId: string, now: Date) {
  const sql = runtime.db.sql;
  const detail = await getProductDetail(runtime.db.prisma, shop, productId);
  if (!detail) return null;
  const [shopRow, setup, evaluated, issues, items, timeline, connections] = await Promise.all([
    getShop(runtime.db.prisma, shop),
    loadChannelSetup(runtime, shop),
    // The same evaluation as the product page's Channels card: the shop's current rules, now.
    productChannels(runtime, shop, productId),
    issuesForProduct(sql, shop, productId, { includeResolved: true }),
    listItemsForProduct(sql, shop, productId),
    listProductEvents(sql, shop, { productId, limit: BUNDLE_TIMELINE_EVENTS }),
    listConnectionSummaries(runtime, shop),
  ]);
  const channels = evaluated ?? [];
  return {
    bundle: { version: SUPPORT_BUNDLE_VERSION, generatedAt: now.toISOString(), productId },
    shop: {
      domain: shop,
      name: shopRow?.name ?? null,
      currency: shopRow?.currencyCode ?? null,
      timeZone: shopRow?.ianaTimezone ?? null,
      country: shopRow?.countryCode ?? null,
      lastSyncAt: shopRow?.lastSyncAt?.toISOString() ?? null,
    },
    setup: { markets: setup.markets, idScheme: setup.idScheme.name, mappings: setup.mappings, problems: setup.problems },
    catalog: { syncedAt: detail.syncedAt.toISOString(), product: detail.product },
    mappedItems: channels.map((view) => ({
      channel: view.channel,
      label: view.label,
      market: view.market,
      readiness: view.readiness,
      counts: view.counts,
      items: view.items,
      records: view.records,
      excluded: view.excluded,
    })),
    offers: channels.flatMap((view) =>
      view.items.map((item) => ({
        channel: view.channel,
        market: view.market,
        itemId: item.id,
        variantId: item.variantId,
        availability: item.availability,
        quantity: item.quantity,
        availabilityDate: item.availabilityDate,
      })),
    ),
    diagnostics: {
      /** Evaluated now, with the shop's current rules. */
      current: channels.flatMap((view) => view.diagnostics),
      /** Recorded by feed builds and the channels over time, resolved ones included. */
      history: issues,
    },
    channelItems: items.map((item) => ({
      channel: item.channel,
      market: item.market,
      key: item.key,
      itemIds: item.itemIds,
      state: item.state,
      due: item.due,
      retiring: item.retiring,
      remoteId: item.remoteId,
      attempts: item.attempts,
      nextAttemptAt: item.nextAttemptAt?.toISOString() ?? null,
      lastError: item.lastError,
      publishedAt: item.publishedAt?.toISOString() ?? null,
      updatedAt: item.updatedAt.toISOString(),
      desiredPayload: item.desiredPayload,
    })),
    // Summaries are browser-safe already; the hint (a token's last characters) is left out all the same.
    connections: connections.map((connection) => ({
      channel: connection.channel,
      status: connection.status,
      detail: connection.detail,
      accessExpiresAt: connection.accessExpiresAt,
      refreshExpiresAt: connection.refreshExpiresAt,
      lastCheckedAt: connection.lastCheckedAt,
      lastError: connection.lastError,
    })),
    timeline: {
      events: timeline.events.map((event) => ({ ...timelineEntry(event), details: event.details })),
      truncated: timeline.next !== null,
    },
  };
}

/** "shelfcast-support-shelfcast-demo-8123456789-2026-11-22.json". */
export function supportBundleFilename(shop: string, productId: string, now: Date): string {
  const shopName = shop.replace(/\.myshopify\.com$/, "").replace(/[^a-z0-9-]/gi, "-");
  const numericId = productId.slice(productId.lastIndexOf("/") + 1).replace(/\D/g, "");
  return `shelfcast-support-${shopName}-${numericId}-${now.toISOString().slice(0, 10)}.json`;
}
