import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { CHANNEL_IDS, type Availability, type ChannelId, type Market } from "~/domain/channels/types";
import {
  channelsInPlayFor,
  checkPromotion,
  evaluateChannels,
  inventoryOf,
  isActiveAt,
  matchingRules,
  overReservationsFor,
  parseRules,
  type ChannelAllocation,
  type RulesFileError,
  type ScopeLevel,
} from "~/domain/rules";
import { EMPTY_RULES_DOCUMENT } from "~/domain/rules/offer-policy";
import { describeRulesSave, describeSectionChanges } from "~/domain/timeline/settings-events";
import { getSnapshotProduct, pickableProducts } from "../../repositories/catalog";
import { recordProductEvents } from "../../repositories/product-events";
import { catalogTitles, getStockRules, saveStockRules } from "../../repositories/stock-rules";
import type { Runtime } from "../../runtime";
import { loadChannelSetup } from "../channel-feeds/channel-setup";
import { requestFeedBuild } from "../channel-feeds/request-feed-build";
import { loadOfferSetup } from "./offer-setup";

/** Products offered by the pickers at a time. */
const PICKER_LIMIT = 50;
/** Products and variants named by rules whose titles the list shows. */
const TITLE_LOOKUP_LIMIT = 500;

export interface RulesPageView {
  /** The stored document as written, or the empty document when none is stored. */
  document: unknown;
  /** Whether the stored document passes validation (an invalid one opens in the JSON view). */
  valid: boolean;
  /** 0 when no rules were ever saved. */
  revision: number;
  updatedAt: string | null;
  /** Stored rules or campaigns that failed validation, in words. */
  problems: string[];
  /** Product and variant titles by id, for the rules that name one. */
  titles: Record<string, string>;
  /** The shop's markets, first one default. */
  markets: string[];
  /** Products for the pickers (scope and simulator), narrowed by `search`. */
  products: { id: string; title: string; variantCount: number }[];
  campaigns: { id: string; name: string; runningNow: boolean }[];
}

export async function loadRulesPage(runtime: Runtime, shop: string, search: string, now: Date): Promise<RulesPageView> {
  const [row, setup, offers, products] = await Promise.all([
    getStockRules(runtime.db.sql, shop),
    loadChannelSetup(runtime, shop),
    loadOfferSetup(runtime, shop, now),
    pickableProducts(runtime.db.sql, shop, search, PICKER_LIMIT),
  ]);
  const parsed = row ? parseRules(row.document) : null;
  const named = parsed?.ok
    ? parsed.value.rules.flatMap((rule) => (rule.scope.level === "product" || rule.scope.level === "variant" ? [rule.scope.id] : [])).slice(0, TITLE_LOOKUP_LIMIT)
    : [];
  const titles = await catalogTitles(runtime.db.sql, shop, named);
  return {
    document: row?.document ?? EMPTY_RULES_DOCUMENT,
    valid: parsed === null || parsed.ok,
    revision: row?.revision ?? 0,
    updatedAt: row?.updatedAt.toISOString() ?? null,
    problems: offers.problems,
    titles: Object.fromEntries(titles),
    markets: setup.markets.map((market) => market.code),
    products,
    campaigns: offers.campaigns.map((campaign) => ({ id: campaign.id, name: campaign.name, runningNow: isActiveAt(campaign, now) })),
  };
}

export type SaveRulesResult =
  | { ok: true; revision: number; message: string }
  | { ok: false; message: string; errors: RulesFileError[]; conflict?: false }
  | { ok: false; message: string; conflict: true };

/**
 * Saves a whole rules document if it is valid (never a half-valid one) and nobody saved since it was
 * loaded, then asks for a feed rebuild: the feeds, and after them the channels' APIs, follow.
 */
export async function saveRulesDocument(runtime: Runtime, shop: string, document: unknown, expectedRevision: number): Promise<SaveRulesResult> {
  const parsed = parseRules(document);
  if (!parsed.ok) return { ok: false, message: "The rules have problems; nothing was saved.", errors: parsed.errors };
  const before = await getStockRules(runtime.db.sql, shop);
  const revision = await saveStockRules(runtime.db.sql, shop, { document, expectedRevision });
  if (revision === null) return { ok: false, conflict: true, message: "Someone else saved the rules since you opened them. Reload to see their version; nothing was saved." };
  // Shop-wide on every product's timeline: the stock rules decide every quantity a channel is told.
  const sentences = describeSectionChanges(before?.document ?? null, document);
  await recordProductEvents(runtime.db.sql, shop, [describeRulesSave({ what: "Stock rules", revision, sentences, at: new Date() })]);
  await requestFeedBuild(runtime, shop, "stock rules saved");
  return { ok: true, revision, message: "Rules saved; feeds and channels update shortly" };
}

export interface ProductVariants {
  product: { id: string; title: string };
  variants: { id: string; title: string; sku: string | null }[];
}

/** A product's variants, for the pickers; null when the product is not in the catalog. */
export async function productVariants(runtime: Runtime, shop: string, productId: string): Promise<ProductVariants | null> {
  const product = await getSnapshotProduct(runtime.db.sql, shop, productId);
  if (!product) return null;
  return { product: { id: product.id, title: product.title }, variants: product.variants.map((variant) => ({ id: variant.id, title: variant.title, sku: variant.sku })) };
}

export interface SimulatedChannel {
  channel: ChannelId;
  label: string;
  /** Whether the channel shares the stock (the rules' channels, else every channel). */
  inPlay: boolean;
  quantity: number | null;
  availability: Availability;
  availabilityDate: string | null;
  /** The shopper's line; null without stock rules (Shopify's stock as is has none). */
  message: string | null;
  reasons: string[];
  promotion: {
    verdict: "not_promoted" | "ok" | "blocked";
    promotedBy: string[];
    protectedBy: string[];
    problems: { code: string; severity: "error" | "warning"; message: string; fix: string }[];
  };
}

export interface Simulation {
  product: { id: string; title: string; status: string; tags: string[] };
  variant: { id: string; title: string; sku: string | null };
  variants: { id: string; title: string }[];
  market: string;
  at: string;
  /** "rules": the stock rules decide; "stock": no rules and no campaigns, Shopify's stock goes out as is. */
  source: "rules" | "stock";
  /** The split over the channels in play: the arithmetic behind the quantities. */
  allocation: Omit<ChannelAllocation, "market" | "offers"> & { channelsInPlay: ChannelId[] };
  /** The rules that apply to this variant in this market, most specific first. */
  rulesApplied: { id: string; level: ScopeLevel }[];
  overReservations: string[];
  channels: SimulatedChannel[];
  problems: string[];
}

export type SimulateResult = { ok: true; simulation: Simulation } | { ok: false; message: string };

/**
 * The simulator: one variant at one instant, as every channel is told it (the same resolver and
 * promotion check the feeds and pushes use), with the allocation arithmetic and the reasons.
 */
export async function simulateOffers(runtime: Runtime, shop: string, input: { productId: string; variantId?: string; at: Date; market?: string }): Promise<SimulateResult> {
  const [product, setup, offers] = await Promise.all([getSnapshotProduct(runtime.db.sql, shop, input.productId), loadChannelSetup(runtime, shop), loadOfferSetup(runtime, shop, input.at)]);
  if (!product) return { ok: false, message: "That product is no longer in the catalog; pick another." };
  const variant = input.variantId ? product.variants.find((candidate) => candidate.id === input.variantId) : product.variants[0];
  if (!variant) return { ok: false, message: product.variants.length === 0 ? "That product has no variants." : "That variant is no longer in the product; pick another." };
  const market: Market | undefined = input.market ? setup.markets.find((candidate) => candidate.code === input.market) : setup.markets[0];
  if (!market) return { ok: false, message: `The market ${input.market} is not set up for this shop.` };

  const { rules, campaigns } = offers;
  const inPlay = channelsInPlayFor(rules);
  const inventory = inventoryOf(variant);
  const split = evaluateChannels(rules, { product, variant }, inventory, campaigns, inPlay, market.code, input.at);
  const channels = CHANNEL_IDS.map((channel): SimulatedChannel => {
    const offer = offers.resolver(product, variant, channel, market);
    const verdict = checkPromotion({ rules, campaigns, product, variant, channel, market: market.code, now: input.at, offer });
    return {
      channel,
      label: CHANNEL_ADAPTERS[channel].label,
      inPlay: offers.source === "rules" ? inPlay.includes(channel) : true,
      quantity: offer.quantity,
      availability: offer.availability,
      availabilityDate: offer.availabilityDate,
      message: offer.message ?? null,
      reasons: offer.reasons ? [...offer.reasons] : [offer.reason],
      promotion: {
        verdict: verdict.verdict,
        promotedBy: verdict.promotedBy,
        protectedBy: verdict.protectedBy,
        problems: verdict.diagnostics.map((diagnostic) => ({ code: diagnostic.code, severity: diagnostic.severity, message: diagnostic.message, fix: diagnostic.fix })),
      },
    };
  });
  return {
    ok: true,
    simulation: {
      product: { id: product.id, title: product.title, status: product.status, tags: product.tags },
      variant: { id: variant.id, title: variant.title, sku: variant.sku },
      variants: product.variants.map((candidate) => ({ id: candidate.id, title: candidate.title })),
      market: market.code,
      at: input.at.toISOString(),
      source: offers.source,
      allocation: {
        mode: split.mode,
        stock: split.stock,
        sellable: split.sellable,
        reservedForWebStore: split.reservedForWebStore,
        holds: split.holds,
        shared: split.shared,
        unallocated: split.unallocated,
        channelsInPlay: inPlay,
      },
      rulesApplied: matchingRules(rules, product, variant, market.code).map((match) => ({ id: match.rule.id, level: match.level })),
      overReservations: overReservationsFor(rules, { product, variant }, inventory, campaigns, market.code, input.at).map((over) => over.message),
      channels,
      problems: offers.problems,
    },
  };
}
