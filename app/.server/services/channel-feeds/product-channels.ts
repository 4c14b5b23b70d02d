import { evaluateProduct, type CountedEvaluation } from "~/domain/channels/pipeline";
import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import type { ChannelMappingSet } from "~/domain/channels/mapping/schema";
import { CHANNEL_IDS, type ChannelId, type Diagnostic, type MappedItem } from "~/domain/channels/types";
import type { Product } from "~/domain/catalog/types";
import { getSnapshotProduct } from "../../repositories/catalog";
import type { Runtime } from "../../runtime";
import { loadOfferSetup, type OfferSetup } from "../rules/offer-setup";
import { loadChannelSetup, planShopChannels, type ChannelSetup } from "./channel-setup";

export interface ProductChannelView {
  channel: ChannelId;
  label: string;
  market: string;
  /** "ready": every item goes into the feed; "partial": some do; "blocked": none; "excluded": filtered out on purpose. */
  readiness: "ready" | "partial" | "blocked" | "excluded";
  counts: CountedEvaluation["counts"];
  items: MappedItem[];
  /** What the channel receives, per record (a row of the feed, or TikTok Shop's product payload). */
  records: { key: string; itemIds: string[]; fields: Record<string, unknown> }[];
  excluded: CountedEvaluation["excluded"];
  diagnostics: Diagnostic[];
}

/**
 * A product as every channel sees it right now: evaluated live with the shop's current rules, so
 * the product page answers "is this ready to promote?" without waiting for the next feed build.
 */
export async function productChannels(runtime: Runtime, shop: string, productId: string): Promise<ProductChannelView[] | null> {
  const product = await getSnapshotProduct(runtime.db.sql, shop, productId);
  if (!product) return null;
  const now = new Date();
  const [setup, offers] = await Promise.all([loadChannelSetup(runtime, shop), loadOfferSetup(runtime, shop, now)]);
  return evaluateForChannels(product, setup, setup.mappings, CHANNEL_IDS, now, offers);
}

/** What decides an item's offer: the shop's stock rules and campaigns (loadOfferSetup). */
export type ItemOffers = Pick<OfferSetup, "resolver" | "promotion">;

/**
 * Evaluates one product for the given channels in the shop's first market, with the given mapping
 * rules and the offers the feeds use (stock rules, campaigns, promotion check).
 */
export function evaluateForChannels(
  product: Product,
  setup: ChannelSetup,
  mappings: ChannelMappingSet,
  channels: readonly ChannelId[],
  now: Date,
  offers: ItemOffers,
): ProductChannelView[] {
  const plans = planShopChannels(setup, offers, { channels, markets: setup.markets.slice(0, 1), mappings, now });
  return plans.map((plan) => {
    const evaluation = evaluateProduct(product, plan);
    const { counts } = evaluation;
    const readiness =
      counts.itemsExcluded === counts.itemsTotal ? "excluded" : counts.itemsReady === 0 ? "blocked" : counts.itemsWithErrors > 0 ? "partial" : "ready";
    return {
      channel: plan.ctx.channel,
      label: CHANNEL_ADAPTERS[plan.ctx.channel].label,
      market: plan.ctx.market.code,
      readiness,
      counts,
      items: evaluation.items,
      records: evaluation.records.map((record) => ({ key: record.key, itemIds: record.itemIds, fields: record.fields as Record<string, unknown> })),
      excluded: evaluation.excluded,
      diagnostics: evaluation.diagnostics,
    };
  });
}
