import { createIdScheme } from "~/domain/channels/id-scheme";
import { parseMappingRules } from "~/domain/channels/mapping/schema";
import type { ChannelMappingSet } from "~/domain/channels/mapping/schema";
import { ChannelSettingsSchema, defaultMarket } from "~/domain/channels/settings";
import { planChannels, type ChannelPlan, type ChannelPlanInput } from "~/domain/channels/pipeline";
import { isChannelId, type ChannelId, type IdScheme, type Market, type ShopContext } from "~/domain/channels/types";
import type { OfferPolicy } from "~/domain/rules/offer-policy";
import { getChannelSettings, listChannelMappings } from "../../repositories/channel-settings";
import { getShop } from "../../repositories/shops";
import type { Runtime } from "../../runtime";

/** Everything a feed build or a preview needs about a shop's channels, read and validated once. */
export interface ChannelSetup {
  shop: ShopContext;
  markets: Market[];
  idScheme: IdScheme;
  mappings: ChannelMappingSet;
  /** Stored settings or rules that failed validation and were left out, in words support can read. */
  problems: string[];
}

export async function loadChannelSetup(runtime: Runtime, shop: string): Promise<ChannelSetup> {
  const [shopRow, settingsRow, mappingRows] = await Promise.all([
    getShop(runtime.db.prisma, shop),
    getChannelSettings(runtime.db.sql, shop),
    listChannelMappings(runtime.db.sql, shop),
  ]);
  if (!shopRow) throw new Error(`unknown shop ${shop}`);
  const problems: string[] = [];
  const fallbackMarket = defaultMarket({ countryCode: shopRow.countryCode, currencyCode: shopRow.currencyCode });

  let markets: Market[] = [fallbackMarket];
  let idScheme = createIdScheme("variant-id");
  if (settingsRow) {
    const parsed = ChannelSettingsSchema.safeParse({ idScheme: settingsRow.idScheme, markets: settingsRow.markets });
    if (parsed.success) {
      if (parsed.data.markets.length > 0) markets = parsed.data.markets;
      idScheme = createIdScheme(parsed.data.idScheme);
    } else {
      problems.push(`channel settings ignored: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`);
    }
  }

  const mappings: ChannelMappingSet = [];
  for (const row of mappingRows) {
    if (!isChannelId(row.channel)) {
      problems.push(`mapping rules for unknown channel "${row.channel}" ignored`);
      continue;
    }
    const parsed = parseMappingRules(row.rules);
    if (parsed.ok) mappings.push({ channel: row.channel, market: row.market, rules: parsed.rules });
    else problems.push(`${row.channel} mapping rules (${row.market}) ignored: ${parsed.errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`);
  }

  return {
    shop: {
      domain: shop,
      name: shopRow.name ?? shop,
      currency: shopRow.currencyCode ?? fallbackMarket.currency,
      storefrontUrl: (shopRow.storefrontUrl ?? `https://${shop}`).replace(/\/+$/, ""),
    },
    markets,
    idScheme,
    mappings,
    problems,
  };
}

/**
 * The channel pipeline's plans for a shop: its setup (markets, id scheme, mapping rules) with its
 * offers (stock rules, campaigns and the promotion check, loadOfferSetup) at `now`. Feeds, API
 * pushes, the product page and the readiness board all plan through here, so they tell a channel
 * the same thing. `markets` and `mappings` override the setup's (one market, an unsaved preview).
 */
export function planShopChannels(
  setup: Pick<ChannelSetup, "shop" | "markets" | "idScheme" | "mappings">,
  offers: Pick<OfferPolicy, "resolver" | "promotion">,
  options: {
    channels: readonly ChannelId[];
    now: Date;
    markets?: readonly Market[];
    mappings?: ChannelMappingSet;
    channelCategories?: ChannelPlanInput["channelCategories"];
  },
): ChannelPlan[] {
  return planChannels({
    channels: options.channels,
    markets: options.markets ?? setup.markets,
    shop: setup.shop,
    idScheme: setup.idScheme,
    offer: offers.resolver,
    promotion: offers.promotion,
    mappings: options.mappings ?? setup.mappings,
    now: options.now,
    channelCategories: options.channelCategories,
  });
}
