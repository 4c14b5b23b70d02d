/**
 * The stock rules behind the channels' `OfferResolver` signature, so the feed pipeline switches from
 * offerFromStock with one line:
 *
 *   offer: createOfferResolver({ rules, campaigns, now, channelsInPlay: run.channels })
 */
import type { Variant } from "../catalog/types";
import type { ChannelId, OfferResolver } from "../channels/types";
import { channelsInPlayFor, evaluate, evaluateChannels, inventoryOf, type ChannelAllocation } from "./evaluate";
import type { Campaign, Rules } from "./schema";

export interface OfferResolverInput {
  rules: Rules;
  campaigns?: readonly Campaign[];
  now: Date;
  /** Channels sharing the stock; default the rules' `channels`, else every channel. */
  channelsInPlay?: readonly ChannelId[];
}

export function createOfferResolver(input: OfferResolverInput): OfferResolver {
  const campaigns = input.campaigns ?? [];
  const channels = channelsInPlayFor(input.rules, input.channelsInPlay);
  // Every channel and market asks for the same variant in turn: split once per variant and market.
  // Catalog snapshots are not modified, so a variant object is a safe key.
  const splits = new WeakMap<Variant, Map<string, ChannelAllocation>>();
  return (product, variant, channel, market) => {
    if (!channels.includes(channel)) return evaluate(input.rules, { product, variant }, inventoryOf(variant), campaigns, channel, market.code, input.now, { channelsInPlay: channels });
    let byMarket = splits.get(variant);
    if (!byMarket) {
      byMarket = new Map();
      splits.set(variant, byMarket);
    }
    let split = byMarket.get(market.code);
    if (!split) {
      split = evaluateChannels(input.rules, { product, variant }, inventoryOf(variant), campaigns, channels, market.code, input.now);
      byMarket.set(market.code, split);
    }
    return split.offers[channel] as NonNullable<ChannelAllocation["offers"][ChannelId]>;
  };
}
