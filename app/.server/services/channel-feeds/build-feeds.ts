import { z } from "zod";
import { addToTally, emptyTally, evaluateProduct, planChannels, type ChannelPlan, type FeedTally } from "~/domain/channels/pipeline";
import { offerFromStock } from "~/domain/channels/offer";
import { CHANNEL_IDS, type ChannelId, type Diagnostic } from "~/domain/channels/types";
import { createFeedSerializer, type FeedSerializer } from "~/domain/feeds/serializer";
import type { Product } from "~/domain/catalog/types";
import { logger } from "../../logger";
import { snapshotProductPages } from "../../repositories/catalog";
import { deleteFeedsExcept, ensureFeed, failBuild, insertBuildChunk, insertDiagnostics, publishBuild, startBuild } from "../../repositories/channel-feeds";
import type { Runtime } from "../../runtime";
import { loadChannelSetup, type ChannelSetup } from "./channel-setup";
import { FeedBlobWriter } from "./feed-blob-writer";
import { newFeedToken } from "./feed-tokens";
import { requestChannelPlan } from "../publishing/plan-channel-items";

export const BuildFeedsJobSchema = z.object({ shop: z.string().min(1), reason: z.string().max(200).optional() });
export type BuildFeedsJob = z.infer<typeof BuildFeedsJobSchema>;

/** Products read from the snapshot per query: enough to amortise the round trip, few enough to stay small. */
const PRODUCT_PAGE_SIZE = 250;
/** Diagnostics are written in batches of this many. */
const DIAGNOSTIC_BATCH = 2_000;

export interface FeedBuildSummary {
  channel: ChannelId;
  market: string;
  buildId: string;
  tally: FeedTally;
  bytes: number;
  etag: string;
}

interface OpenFeed {
  plan: ChannelPlan;
  feedId: string;
  buildId: string;
  serializer: FeedSerializer;
  writer: FeedBlobWriter;
  tally: FeedTally;
  diagnostics: Diagnostic[];
}

/**
 * Rebuilds every feed of a shop (each channel × market) in one pass over the snapshot: a product is
 * read once and evaluated for every feed. Each feed's bytes and diagnostics are written beside its
 * current build and switched in only when complete, so a failed or crashed build leaves the
 * previous feed serving.
 */
export async function buildShopFeeds(runtime: Runtime, job: BuildFeedsJob, now: () => Date): Promise<FeedBuildSummary[]> {
  const { shop } = job;
  const setup = await loadChannelSetup(runtime, shop);
  for (const problem of setup.problems) logger.warn({ shop }, problem);
  const startedAt = now();
  const plans = planChannels({
    channels: CHANNEL_IDS,
    markets: setup.markets,
    shop: setup.shop,
    idScheme: setup.idScheme,
    offer: offerFromStock,
    mappings: setup.mappings,
    now: startedAt,
  });
  await deleteFeedsExcept(runtime.db, shop, plans.map((plan) => ({ channel: plan.ctx.channel, market: plan.ctx.market.code })));
  const feeds = await Promise.all(plans.map((plan) => openFeed(runtime, shop, setup, plan, startedAt)));
  try {
    for await (const products of snapshotProductPages(runtime.db.sql, shop, PRODUCT_PAGE_SIZE)) {
      for (const product of products) {
        for (const feed of feeds) await writeProduct(runtime, shop, feed, product);
      }
    }
    const summaries: FeedBuildSummary[] = [];
    for (const feed of feeds) summaries.push(await closeFeed(runtime, shop, feed, now()));
    logger.info({ shop, reason: job.reason, feeds: summaries.length, ms: Date.now() - startedAt.getTime() }, "feeds built");
    // The channels' APIs follow the same snapshot and rules as the feeds.
    await requestChannelPlan(runtime, shop, `feeds built (${job.reason ?? "change"})`);
    return summaries;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const feed of feeds) await failBuild(runtime.db, shop, feed.buildId, message, now()).catch(() => undefined);
    throw error;
  }
}

async function openFeed(runtime: Runtime, shop: string, setup: ChannelSetup, plan: ChannelPlan, startedAt: Date): Promise<OpenFeed> {
  const { adapter, ctx } = plan;
  const format = adapter.formats[0] ?? "csv";
  const feed = await ensureFeed(runtime.db.sql, shop, { channel: ctx.channel, market: ctx.market.code, format, token: newFeedToken() });
  const buildId = await startBuild(runtime.db.sql, shop, feed.id, startedAt);
  const serializer = createFeedSerializer({
    format,
    columns: adapter.columns,
    xml: {
      flavour: "rss-google",
      title: `${setup.shop.name} — ${adapter.label} (${ctx.market.code})`,
      link: setup.shop.storefrontUrl,
      description: `Product feed for ${adapter.label}, market ${ctx.market.code} (${ctx.market.currency}), built by Shelfcast`,
    },
  });
  const writer = new FeedBlobWriter((seq, data) => insertBuildChunk(runtime.db.sql, shop, buildId, seq, data));
  await writer.write(serializer.header());
  return { plan, feedId: feed.id, buildId, serializer, writer, tally: emptyTally(), diagnostics: [] };
}

async function writeProduct(runtime: Runtime, shop: string, feed: OpenFeed, product: Product): Promise<void> {
  const evaluation = evaluateProduct(product, feed.plan);
  addToTally(feed.tally, evaluation);
  for (const record of evaluation.records) await feed.writer.write(feed.serializer.record(record));
  if (evaluation.diagnostics.length > 0) {
    feed.diagnostics.push(...evaluation.diagnostics);
    if (feed.diagnostics.length >= DIAGNOSTIC_BATCH) await flushDiagnostics(runtime, shop, feed);
  }
}

async function flushDiagnostics(runtime: Runtime, shop: string, feed: OpenFeed): Promise<void> {
  const batch = feed.diagnostics;
  feed.diagnostics = [];
  await insertDiagnostics(runtime.db.sql, shop, feed.buildId, batch);
}

async function closeFeed(runtime: Runtime, shop: string, feed: OpenFeed, finishedAt: Date): Promise<FeedBuildSummary> {
  await flushDiagnostics(runtime, shop, feed);
  await feed.writer.write(feed.serializer.footer());
  const blob = await feed.writer.end();
  await publishBuild(runtime.db, shop, feed.feedId, feed.buildId, { tally: feed.tally, bytes: blob.bytes, gzipBytes: blob.gzipBytes, etag: blob.etag, finishedAt });
  return { channel: feed.plan.ctx.channel, market: feed.plan.ctx.market.code, buildId: feed.buildId, tally: feed.tally, bytes: blob.bytes, etag: blob.etag };
}
