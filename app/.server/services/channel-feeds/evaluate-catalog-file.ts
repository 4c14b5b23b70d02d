import { createIdScheme } from "~/domain/channels/id-scheme";
import type { ChannelMappingSet } from "~/domain/channels/mapping/schema";
import { offerFromStock } from "~/domain/channels/offer";
import { addToTally, emptyTally, evaluateProduct, planChannels, type ChannelPlan, type CountedEvaluation, type FeedTally } from "~/domain/channels/pipeline";
import type { ChannelId, IdSchemeName, Market, OfferResolver, PromotionCheck, ShopContext } from "~/domain/channels/types";
import { readCatalogFile, type CatalogFileFormat, type CatalogReadProgress } from "../catalog-files/read-catalog-file";

export interface CatalogFileRun {
  /** One feed per channel, all from a single pass over the file. */
  channels: readonly ChannelId[];
  market: Market;
  shop: ShopContext;
  idScheme: IdSchemeName;
  mappings: ChannelMappingSet;
  now: Date;
  /**
   * What decides each item's offer (the stock rules and campaigns, createOfferPolicy) and the
   * promotion check. Absent: Shopify's stock as it is (offerFromStock) and no promotion check.
   */
  offers?: { resolver: OfferResolver; promotion?: PromotionCheck };
  onProgress?: (progress: CatalogReadProgress) => void;
  /** Things worth saying about the input, e.g. that it is not grouped by product and is read whole. */
  onNotice?: (message: string) => void;
}

export interface CatalogFileResult {
  format: CatalogFileFormat;
  /** One tally per channel, in `channels` order. */
  tallies: FeedTally[];
  /** Lines or rows of the input that could not be read (the rest was still evaluated). */
  problems: string[];
}

/**
 * Streams a catalog file (bulk JSONL, products JSON or Shopify CSV) through one channel's pipeline,
 * product by product: the CLI's `feed` and `validate` both run exactly this, with the same pipeline
 * the feed builder runs on the snapshot, so their counts agree.
 */
export async function evaluateCatalogFile(
  path: string,
  run: CatalogFileRun,
  onEvaluation: (evaluation: CountedEvaluation, plan: ChannelPlan) => void | Promise<unknown>,
): Promise<CatalogFileResult> {
  const plans = planChannels({
    channels: run.channels,
    markets: [run.market],
    shop: run.shop,
    idScheme: createIdScheme(run.idScheme),
    offer: run.offers?.resolver ?? offerFromStock,
    promotion: run.offers?.promotion,
    mappings: run.mappings,
    now: run.now,
  });
  const file = await readCatalogFile(path, { shopCurrency: run.shop.currency, onProgress: run.onProgress, onNotice: run.onNotice });
  const tallies = plans.map(() => emptyTally());
  for await (const product of file.products) {
    for (let index = 0; index < plans.length; index += 1) {
      const plan = plans[index] as ChannelPlan;
      const evaluation = evaluateProduct(product, plan);
      addToTally(tallies[index] as FeedTally, evaluation);
      // Await only when the callback has something to wait for (a full write buffer): a microtask
      // per product and channel is a measurable share of a million-variant run.
      const pending = onEvaluation(evaluation, plan);
      if (pending) await pending;
    }
  }
  return { format: file.format, tallies, problems: file.problems().map((problem) => problem.message) };
}
