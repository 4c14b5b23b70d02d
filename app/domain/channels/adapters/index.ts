/**
 * One ChannelAdapter per channel. CHANNEL_ADAPTERS uses the specs' defaults; createChannelAdapters
 * builds adapters with overrides for values channels.md marks unconfirmed (or a TikTok shop's leaf
 * category ids once its category tree is known).
 */
import { resolveChannelSpec, type ChannelSpecs, type SpecOverrides } from "../specs";
import type { ChannelAdapter, ChannelId } from "../types";
import { createGoogleAdapter, GOOGLE_ADAPTER } from "./google";
import { createMetaAdapter, META_ADAPTER } from "./meta";
import { createPinterestAdapter, PINTEREST_ADAPTER } from "./pinterest";
import { createTikTokAdsAdapter, TIKTOK_ADS_ADAPTER } from "./tiktok-ads";
import { createTikTokShopAdapter, TIKTOK_SHOP_ADAPTER } from "./tiktok-shop";

export const CHANNEL_ADAPTERS: Readonly<Record<ChannelId, ChannelAdapter>> = {
  meta: META_ADAPTER,
  tiktok: TIKTOK_SHOP_ADAPTER,
  "tiktok-ads": TIKTOK_ADS_ADAPTER,
  pinterest: PINTEREST_ADAPTER,
  google: GOOGLE_ADAPTER,
};

export type ChannelSpecOverrides = { readonly [C in ChannelId]?: SpecOverrides<ChannelSpecs[C]> };

/** Adapters whose specs carry the given overrides; channels without overrides get the default adapter. */
export function createChannelAdapters(overrides: ChannelSpecOverrides = {}): Record<ChannelId, ChannelAdapter> {
  return {
    meta: overrides.meta ? createMetaAdapter(resolveChannelSpec("meta", overrides.meta)) : META_ADAPTER,
    tiktok: overrides.tiktok ? createTikTokShopAdapter(resolveChannelSpec("tiktok", overrides.tiktok)) : TIKTOK_SHOP_ADAPTER,
    "tiktok-ads": overrides["tiktok-ads"] ? createTikTokAdsAdapter(resolveChannelSpec("tiktok-ads", overrides["tiktok-ads"])) : TIKTOK_ADS_ADAPTER,
    pinterest: overrides.pinterest ? createPinterestAdapter(resolveChannelSpec("pinterest", overrides.pinterest)) : PINTEREST_ADAPTER,
    google: overrides.google ? createGoogleAdapter(resolveChannelSpec("google", overrides.google)) : GOOGLE_ADAPTER,
  };
}

export { createGoogleAdapter, createMetaAdapter, createPinterestAdapter, createTikTokAdsAdapter, createTikTokShopAdapter };
export { GOOGLE_ADAPTER, META_ADAPTER, PINTEREST_ADAPTER, TIKTOK_ADS_ADAPTER, TIKTOK_SHOP_ADAPTER };
export { createFlatAdapter } from "./flat";
export { additionalVariantAttribute } from "./meta";
export type { TikTokProductPayload, TikTokSku } from "./tiktok-shop";
