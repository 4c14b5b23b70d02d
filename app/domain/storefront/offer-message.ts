/**
 * The line the storefront's product page shows under the price ("Pre-order: ships by 12 Jan 2027",
 * "Only 3 left"), from the same evaluation and the same wording as the channels' offers (ADR 0014),
 * so a shopper reads on the web store what the channels say. The web store sells the whole stock
 * (Shopify knows no channel shares), so "Only N left" counts the stock at the market's locations,
 * not a channel's share. Written to a variant metafield the theme app block reads.
 */
import type { Product, Variant } from "../catalog/types";
import type { Availability, ChannelId } from "../channels/types";
import { channelsInPlayFor, evaluateChannels, inventoryOf, messageFor, type OfferMode } from "../rules/evaluate";
import { findPreorder, findRestockDate } from "../rules/preorder";
import type { Campaign, Rules } from "../rules/schema";
import { resolveRules } from "../rules/scope";

/** The variant metafield the theme block reads (type json). */
export const OFFER_MESSAGE_METAFIELD = { namespace: "shelfcast", key: "offer_message", type: "json" } as const;

export interface StorefrontOffer {
  message: string;
  availability: Availability;
  /** The ship or restock day as written ("2027-01-12"), for pre-orders and dated backorders. */
  date: string | null;
}

const AVAILABILITY: Record<OfferMode, Availability> = {
  in_stock: "in_stock",
  untracked: "in_stock",
  preorder: "preorder",
  backorder: "backorder",
  out_of_stock: "out_of_stock",
  inactive: "out_of_stock",
};

export function storefrontOffer(input: { rules: Rules; campaigns: readonly Campaign[]; product: Product; variant: Variant; market: string; now: Date; channelsInPlay?: readonly ChannelId[] }): StorefrontOffer {
  const { rules, product, variant, market, now } = input;
  const channels = channelsInPlayFor(rules, input.channelsInPlay);
  const allocation = evaluateChannels(rules, { product, variant }, inventoryOf(variant), input.campaigns, channels, market, now);
  const availability = AVAILABILITY[allocation.mode];
  let date: string | null = null;
  if (allocation.mode === "preorder" || allocation.mode === "backorder") {
    const effective = resolveRules(rules, product, variant, market);
    const found = allocation.mode === "preorder" ? (findPreorder(rules, effective, product, variant)?.releaseDate ?? null) : (findRestockDate(rules, effective, product, variant)?.date ?? null);
    // A restock date in the past says nothing about when it ships.
    date = found !== null && Date.parse(found) > now.getTime() ? found : null;
  }
  const quantity = allocation.mode === "in_stock" ? allocation.stock : allocation.sellable;
  return { message: messageFor(availability, quantity, date, allocation.mode, rules), availability, date: date ? date.slice(0, 10) : null };
}

/** The metafield's value: compact JSON, keys in a fixed order so equal offers hash equally. */
export function offerMessageValue(offer: StorefrontOffer): string {
  return JSON.stringify({ message: offer.message, availability: offer.availability, date: offer.date });
}
