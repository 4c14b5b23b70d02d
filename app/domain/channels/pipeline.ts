import type { Product } from "../catalog/types";
import { CHANNEL_ADAPTERS } from "./adapters";
import { buildDefaultItem } from "./default-item";
import { applyMappingRules, compileMappingRules, type CompiledMappingRules } from "./mapping/evaluate";
import { selectItems } from "./mapping/filters";
import { resolveRules, type ChannelMappingSet } from "./mapping/schema";
import type {
  ChannelAdapter,
  ChannelContext,
  ChannelId,
  ChannelRecord,
  Diagnostic,
  IdScheme,
  MappedItem,
  Market,
  OfferResolver,
  ProductEvaluation,
  PromotionCheck,
  ShopContext,
} from "./types";

/**
 * One feed's worth of everything that does not change from product to product: the channel's
 * adapter, the context its checks read, and the merchant's rules compiled once.
 */
export interface ChannelPlan {
  adapter: ChannelAdapter;
  ctx: ChannelContext;
  rules: CompiledMappingRules | null;
}

export interface ChannelPlanInput {
  channels: readonly ChannelId[];
  markets: readonly Market[];
  shop: ShopContext;
  idScheme: IdScheme;
  offer: OfferResolver;
  /** Promotion enforcement (the stock rules' `checkPromotion`), run on every item that is kept. */
  promotion?: PromotionCheck;
  mappings: ChannelMappingSet;
  now: Date;
  /** Per channel, the Shopify category → channel category map (see ChannelContext.channelCategories). */
  channelCategories?: Partial<Record<ChannelId, Readonly<Record<string, string>>>>;
}

/** One plan per channel and market, in channel order then market order. */
export function planChannels(input: ChannelPlanInput): ChannelPlan[] {
  const plans: ChannelPlan[] = [];
  for (const channel of input.channels) {
    for (const market of input.markets) {
      const rules = resolveRules(input.mappings, channel, market.code);
      plans.push({
        adapter: CHANNEL_ADAPTERS[channel],
        ctx: { channel, market, shop: input.shop, idScheme: input.idScheme, offer: input.offer, promotion: input.promotion, now: input.now, channelCategories: input.channelCategories?.[channel] },
        rules: rules ? compileMappingRules(rules) : null,
      });
    }
  }
  return plans;
}

export interface EvaluationCounts {
  itemsTotal: number;
  itemsReady: number;
  itemsWithErrors: number;
  itemsExcluded: number;
  itemsWithWarnings: number;
}

export type CountedEvaluation = ProductEvaluation & { counts: EvaluationCounts };

/**
 * Runs one product through one feed: defaults → merchant rules → filters → the channel's mapping and
 * checks → the promotion check, when the plan has one. The result never lets an item with an error
 * into `records`, whatever an adapter returns.
 */
export function evaluateProduct(product: Product, plan: ChannelPlan): CountedEvaluation {
  const { adapter, ctx } = plan;
  const base = { channel: ctx.channel, market: ctx.market.code, productId: product.id };
  if (product.status !== "ACTIVE") {
    const reason = `The product is ${product.status.toLowerCase()} in Shopify; only active products are listed.`;
    const excluded = product.variants.map((variant) => ({ itemId: ctx.idScheme.itemId(product, variant, ctx.market), variantId: variant.id, reason }));
    return { ...base, items: [], excluded, records: [], diagnostics: [], counts: countsOf(product, excluded.length, [], []) };
  }

  const ruleDiagnostics: Diagnostic[] = [];
  const entries = product.variants.map((variant) => {
    const defaults = buildDefaultItem(product, variant, ctx, { includeVariantInTitle: adapter.titleIncludesVariant });
    if (!plan.rules) return { item: defaults, product, variant };
    const mapped = applyMappingRules(plan.rules, defaults, product, variant, { channel: ctx.channel, market: ctx.market.code });
    ruleDiagnostics.push(...mapped.diagnostics);
    return { item: mapped.item, product, variant };
  });
  const { kept, excluded } = plan.rules ? selectItems(plan.rules, entries) : { kept: entries, excluded: [] };
  const items: MappedItem[] = kept.map((entry) => entry.item);
  // A rule's complaint about an item the filters then left out is not a problem the merchant has.
  const keptIds = new Set(items.map((item) => item.id));
  const diagnostics = ruleDiagnostics.filter((diagnostic) => keptIds.has(diagnostic.itemId));
  const evaluated = items.length > 0 ? adapter.evaluate(items, ctx) : { records: [], diagnostics: [] };
  diagnostics.push(...evaluated.diagnostics);
  if (ctx.promotion) {
    // A promoted item without protection is an error like any other: the safety net below keeps it out.
    for (const entry of kept) {
      const offer = ctx.offer(entry.product, entry.variant, ctx.channel, ctx.market);
      diagnostics.push(...ctx.promotion({ product: entry.product, variant: entry.variant, channel: ctx.channel, market: ctx.market, offer, itemId: entry.item.id }));
    }
  }

  const records = withoutErroredItems(evaluated.records, diagnostics);
  return { ...base, items: entries.map((entry) => entry.item), excluded, records, diagnostics, counts: countsOf(product, excluded.length, records, diagnostics) };
}

/** The safety net behind every adapter: a record holding an item with an error never reaches a feed. */
function withoutErroredItems(records: ChannelRecord[], diagnostics: Diagnostic[]): ChannelRecord[] {
  if (!diagnostics.some((d) => d.severity === "error")) return records;
  const errored = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.itemId));
  return records.filter((record) => !record.itemIds.some((id) => errored.has(id)) && !errored.has(record.key));
}

function countsOf(product: Product, excluded: number, records: ChannelRecord[], diagnostics: Diagnostic[]): EvaluationCounts {
  const ready = new Set<string>();
  const itemsByRecordKey = new Map<string, string[]>();
  for (const record of records) {
    for (const id of record.itemIds) ready.add(id);
    itemsByRecordKey.set(record.key, record.itemIds);
  }
  const itemsReady = ready.size;
  // A warning names an item, or (product-level channels such as TikTok Shop) a record and so all its items.
  const warned = new Set<string>();
  for (const diagnostic of diagnostics) {
    if (diagnostic.severity !== "warning") continue;
    if (ready.has(diagnostic.itemId)) warned.add(diagnostic.itemId);
    else for (const id of itemsByRecordKey.get(diagnostic.itemId) ?? []) warned.add(id);
  }
  const itemsTotal = product.variants.length;
  return {
    itemsTotal,
    itemsReady,
    itemsExcluded: excluded,
    // Everything neither in the feed nor filtered out was held back by an error.
    itemsWithErrors: itemsTotal - itemsReady - excluded,
    itemsWithWarnings: warned.size,
  };
}

/** Running totals of one feed, shared by the feed builder and the CLI so both count the same way. */
export interface FeedTally extends EvaluationCounts {
  products: number;
  errors: number;
  warnings: number;
}

export function emptyTally(): FeedTally {
  return { products: 0, itemsTotal: 0, itemsReady: 0, itemsWithErrors: 0, itemsExcluded: 0, itemsWithWarnings: 0, errors: 0, warnings: 0 };
}

export function addToTally(tally: FeedTally, evaluation: CountedEvaluation): void {
  tally.products += 1;
  tally.itemsTotal += evaluation.counts.itemsTotal;
  tally.itemsReady += evaluation.counts.itemsReady;
  tally.itemsWithErrors += evaluation.counts.itemsWithErrors;
  tally.itemsExcluded += evaluation.counts.itemsExcluded;
  tally.itemsWithWarnings += evaluation.counts.itemsWithWarnings;
  for (const diagnostic of evaluation.diagnostics) {
    if (diagnostic.severity === "error") tally.errors += 1;
    else tally.warnings += 1;
  }
}
