/**
 * TikTok ads Catalog Manager feed (catalog and Video Shopping Ads; not TikTok Shop): channels.md §2.8.
 * The shared flat checks with TikTok ads' spec; emoji are removed from titles there.
 */
import { TIKTOK_ADS_SPEC, type TikTokAdsSpec } from "../specs";
import type { ChannelAdapter } from "../types";
import { createFlatAdapter } from "./flat";

export function createTikTokAdsAdapter(spec: TikTokAdsSpec = TIKTOK_ADS_SPEC): ChannelAdapter {
  return createFlatAdapter({
    spec,
    label: "TikTok ads catalog",
    formats: ["csv"],
    // Ads show one item at a time, so each needs its own title ("Linen Shirt - Navy / M").
    titleIncludesVariant: true,
  });
}

export const TIKTOK_ADS_ADAPTER: ChannelAdapter = createTikTokAdsAdapter();
