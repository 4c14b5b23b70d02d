/**
 * Every channel's limits and enums, one module per channel, taken from ../shared/specs/channels.md.
 * Channels change their rules often, so the adapters and checks read every number from here and
 * nothing else. Each constant says how sure we are of it, with channels.md's labels:
 *   (doc)         the channel's own documentation or a vendor-maintained SDK or spec;
 *   (connector)   a maintained open-source connector (WooCommerce's Facebook plugin, …);
 *   (3rd-party)   third-party guides or mirrors only;
 *   unconfirmed   not verified: a best guess, and overridable through resolveChannelSpec.
 */
import type { ChannelId } from "../types";
import { GOOGLE_SPEC } from "./google";
import { META_SPEC } from "./meta";
import { PINTEREST_SPEC } from "./pinterest";
import { TIKTOK_ADS_SPEC } from "./tiktok-ads";
import { TIKTOK_SHOP_SPEC } from "./tiktok-shop";

export type { ChannelSpecBase, FlatChannelSpec, TextRules } from "./shared";
export type { MetaSpec } from "./meta";
export type { GoogleSpec } from "./google";
export type { PinterestSpec } from "./pinterest";
export type { TikTokAdsSpec } from "./tiktok-ads";
export type { TikTokShopSpec, TikTokMarketRules } from "./tiktok-shop";
export { META_SPEC, GOOGLE_SPEC, PINTEREST_SPEC, TIKTOK_ADS_SPEC, TIKTOK_SHOP_SPEC };
export { tiktokMarketRules } from "./tiktok-shop";

export interface ChannelSpecs {
  meta: typeof META_SPEC;
  tiktok: typeof TIKTOK_SHOP_SPEC;
  "tiktok-ads": typeof TIKTOK_ADS_SPEC;
  pinterest: typeof PINTEREST_SPEC;
  google: typeof GOOGLE_SPEC;
}

/** The defaults, as channels.md states them today. */
export const DEFAULT_CHANNEL_SPECS: Readonly<ChannelSpecs> = {
  meta: META_SPEC,
  tiktok: TIKTOK_SHOP_SPEC,
  "tiktok-ads": TIKTOK_ADS_SPEC,
  pinterest: PINTEREST_SPEC,
  google: GOOGLE_SPEC,
};

/**
 * Overrides of a spec: any top-level value replaced; a plain-object value (maxLength, text,
 * nativeCodes, markets…) merged key by key with the default, so `{ maxLength: { title: 200 } }`
 * changes one limit and keeps the others.
 */
export type SpecOverrides<S> = {
  readonly [K in keyof S]?: S[K] extends readonly unknown[] | ReadonlySet<unknown> ? S[K] : S[K] extends object ? Partial<S[K]> : S[K];
};

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** A spec with the given overrides applied (see SpecOverrides); the defaults themselves are never changed. */
export function withOverrides<S extends object>(defaults: S, overrides?: SpecOverrides<S>): S {
  if (!overrides) return defaults;
  const merged: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const base = merged[key];
    merged[key] = isPlainObject(base) && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return merged as S;
}

/** One channel's spec: the defaults, with a shop's or an operator's overrides for unconfirmed values. */
export function resolveChannelSpec<C extends ChannelId>(channel: C, overrides?: SpecOverrides<ChannelSpecs[C]>): ChannelSpecs[C] {
  return withOverrides(DEFAULT_CHANNEL_SPECS[channel], overrides);
}
