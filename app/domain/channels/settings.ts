import { z } from "zod";
import type { IdSchemeName, Market } from "./types";

/**
 * A shop's channel settings as data: which id scheme every channel shares and which markets
 * (country, currency, language) get a feed. Stored as JSON; validated here before use.
 */
export const ID_SCHEME_NAMES = ["variant-id", "sku", "shopify-channel"] as const satisfies readonly IdSchemeName[];

export const MarketSchema = z.object({
  code: z.string().regex(/^[A-Z]{2}$/, "a market code is an ISO 3166-1 alpha-2 country code such as US"),
  currency: z.string().regex(/^[A-Z]{3}$/, "a currency is an ISO 4217 code such as USD"),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, "a language is a code such as en or en-GB"),
});

/** Twenty markets is more than any channel feed setup we know of; the bound keeps builds predictable. */
export const MAX_MARKETS = 20;

export const ChannelSettingsSchema = z.object({
  idScheme: z.enum(ID_SCHEME_NAMES),
  markets: z
    .array(MarketSchema)
    .max(MAX_MARKETS)
    .refine((markets) => new Set(markets.map((m) => m.code)).size === markets.length, "each market code may appear once"),
});
export type ChannelSettings = z.infer<typeof ChannelSettingsSchema>;

/** The market a shop sells in when nobody configured any: its own country and currency, in English. */
export function defaultMarket(shop: { countryCode: string | null; currencyCode: string | null }): Market {
  return { code: shop.countryCode ?? "US", currency: shop.currencyCode ?? "USD", language: "en" };
}
