/**
 * Enforcement for promoted products (ADR 0014): a product promoted on a channel (a channel tag such
 * as `social:tiktok`, a `campaign:<id>` tag of a running campaign, or a running campaign's hold line)
 * must be protected there by a campaign hold, a web-store buffer (a reserve, or a floor for that
 * channel) or a dated pre-order; otherwise it is blocked with `rules.promoted_without_reservation`,
 * an error that keeps the item out of the channel. A promoted item running low gets a warning.
 */
import type { Product, Variant } from "../catalog/types";
import { numericId } from "../channels/id-scheme";
import type { ChannelId, Diagnostic, Offer as ChannelOffer } from "../channels/types";
import { campaignHoldOn, isActiveAt } from "./campaigns";
import { CHANNEL_NAMES } from "./describe";
import type { Campaign, Rules } from "./schema";
import { hasTag, resolveRules } from "./scope";

export const PROMOTED_WITHOUT_RESERVATION = "rules.promoted_without_reservation";
export const LOW_STOCK = "rules.low_stock";

export interface PromotionInput {
  rules: Rules;
  campaigns: readonly Campaign[];
  product: Product;
  variant: Variant;
  channel: ChannelId;
  market: string;
  now: Date;
  /** The variant's offer on the channel (evaluate's answer). */
  offer: ChannelOffer;
  /** The channel item id for diagnostics; the numeric variant id by default. */
  itemId?: string;
}

export interface PromotionVerdict {
  /** not_promoted: nothing to check; ok: promoted and protected; blocked: promoted, unprotected. */
  verdict: "not_promoted" | "ok" | "blocked";
  /** Why the item counts as promoted on the channel ("tag 'social:tiktok'", "campaign 'Spring drop'"). */
  promotedBy: string[];
  /** What protects it ("campaign 'Spring drop' holds 10", "web-store reserve (rule 'shop-default')"). */
  protectedBy: string[];
  /** The blocking error and any low-stock warning. */
  diagnostics: Diagnostic[];
}

/** Why the product is promoted on the channel at `now`; empty when it is not. */
export function promotionReasons(rules: Rules, campaigns: readonly Campaign[], product: Product, variant: Variant, channel: ChannelId, market: string, now: Date): string[] {
  const reasons: string[] = [];
  for (const [tag, channels] of Object.entries(rules.promotion.channelTags)) {
    if (channels.includes(channel) && hasTag(product, tag)) reasons.push(`tag '${tag}'`);
  }
  const prefix = rules.promotion.campaignTagPrefix.toLowerCase();
  for (const tag of product.tags) {
    if (!tag.toLowerCase().startsWith(prefix)) continue;
    const id = tag.slice(prefix.length).trim();
    const campaign = campaigns.find((candidate) => candidate.id.toLowerCase() === id.toLowerCase());
    if (!campaign) reasons.push(`tag '${tag}' (no campaign '${id}' is planned, so it counts on every channel)`);
    else if (campaign.channels.includes(channel) && isActiveAt(campaign, now) && (!campaign.markets || campaign.markets.includes(market))) {
      reasons.push(`tag '${tag}' (campaign '${campaign.name}')`);
    }
  }
  for (const campaign of campaigns) {
    if (!campaign.channels.includes(channel) || !isActiveAt(campaign, now)) continue;
    if (campaignHoldOn(campaign, product, variant, market) && !reasons.some((reason) => reason.endsWith(`(campaign '${campaign.name}')`))) reasons.push(`campaign '${campaign.name}'`);
  }
  return reasons;
}

/** Checks that a promoted item is protected on the channel; see the module comment. */
export function checkPromotion(input: PromotionInput): PromotionVerdict {
  const { rules, campaigns, product, variant, channel, market, now, offer } = input;
  const promotedBy = promotionReasons(rules, campaigns, product, variant, channel, market, now);
  if (promotedBy.length === 0) return { verdict: "not_promoted", promotedBy, protectedBy: [], diagnostics: [] };

  const protectedBy: string[] = [];
  for (const campaign of campaigns) {
    if (!campaign.channels.includes(channel) || !isActiveAt(campaign, now)) continue;
    const hold = campaignHoldOn(campaign, product, variant, market);
    if (hold && hold.units > 0) protectedBy.push(`campaign '${campaign.name}' holds ${hold.units}`);
  }
  const effective = resolveRules(rules, product, variant, market);
  const reserve = effective.reserve;
  if (reserve && ((reserve.value.units ?? 0) > 0 || (reserve.value.percent ?? 0) > 0)) protectedBy.push(`web-store reserve (rule '${reserve.ruleId}')`);
  const floor = effective.channels[channel].floor;
  if (floor && floor.value > 0) protectedBy.push(`floor of ${floor.value} on ${channel} (rule '${floor.ruleId}')`);
  if ((offer.availability === "preorder" || offer.availability === "backorder") && offer.availabilityDate) {
    protectedBy.push(`pre-order message "${offer.message ?? `ships by ${offer.availabilityDate.slice(0, 10)}`}"`);
  }
  if (!variant.inventoryItem.tracked) protectedBy.push("Shopify does not track its stock, so it cannot sell out");

  const base = {
    channel,
    market,
    itemId: input.itemId ?? numericId(variant.id),
    productId: product.id,
    variantId: variant.id,
    fixTarget: { kind: "shopify-variant", productId: product.id, variantId: variant.id },
    source: "shelfcast",
  } as const;
  const diagnostics: Diagnostic[] = [];
  if (protectedBy.length === 0) {
    diagnostics.push({
      ...base,
      code: PROMOTED_WITHOUT_RESERVATION,
      severity: "error",
      field: "inventory",
      value: offer.quantity === null ? null : String(offer.quantity),
      message: `Promoted on ${CHANNEL_NAMES[channel]} (${promotedBy.join(", ")}) with nothing reserved: no campaign hold, no web-store buffer and no pre-order, so the promotion can sell out the store.`,
      fix: `Hold units for it in a campaign on ${CHANNEL_NAMES[channel]} that is running now, set a reserve or floor in a stock rule that covers it, or make it a pre-order with a date; or remove the promotion tag.`,
    });
  }
  diagnostics.push(...checkLowStock({ ...input, threshold: rules.lowStockAt, promotedBy }));
  return { verdict: protectedBy.length === 0 ? "blocked" : "ok", promotedBy, protectedBy, diagnostics };
}

export interface LowStockInput {
  product: Product;
  variant: Variant;
  channel: ChannelId;
  market: string;
  offer: ChannelOffer;
  /** At or below this many units exposed, warn. */
  threshold: number;
  itemId?: string;
  /** When given, the warning says the item is promoted. */
  promotedBy?: readonly string[];
}

/** A warning when the units exposed on the channel are at or below the threshold (counted stock only). */
export function checkLowStock(input: LowStockInput): Diagnostic[] {
  const { offer, threshold, channel, product, variant } = input;
  if (offer.quantity === null || offer.quantity > threshold) return [];
  const promoted = input.promotedBy && input.promotedBy.length > 0 ? ` while promoted (${input.promotedBy.join(", ")})` : "";
  const what = offer.quantity === 0 ? `Nothing is offered on ${CHANNEL_NAMES[channel]}` : `Only ${offer.quantity} ${offer.availability === "preorder" ? "pre-orders are" : offer.quantity === 1 ? "unit is" : "units are"} offered on ${CHANNEL_NAMES[channel]}`;
  return [
    {
      code: LOW_STOCK,
      severity: "warning",
      channel,
      market: input.market,
      itemId: input.itemId ?? numericId(variant.id),
      productId: product.id,
      variantId: variant.id,
      field: "inventory",
      value: String(offer.quantity),
      message: `${what}${promoted}: at or below the low-stock threshold of ${threshold}.`,
      fix: "Restock it, hold more units for the campaign, or pause the promotion.",
      fixTarget: { kind: "shopify-variant", productId: product.id, variantId: variant.id },
      source: "shelfcast",
    },
  ];
}
