import { z } from "zod";
import { addToTally, emptyTally, evaluateProduct, type ChannelPlan, type FeedTally } from "~/domain/channels/pipeline";
import { CHANNEL_IDS, type ChannelId, type Diagnostic } from "~/domain/channels/types";
import { createFeedSerializer, type FeedSerializer } from "~/domain/feeds/serializer";
import type { Product } from "~/domain/catalog/types";
import { logger } from "../../logger";
import { snapshotProductPages } from "../../repositories/catalog";
import { describeFeedBuild } from "~/domain/timeline/channel-events";
import { deleteFeedsExcept, ensureFeed, failBuild, insertBuildChunk, insertDiagnostics, publishBuild, recordBuildProgress, startBuild } from "../../repositories/channel-feeds";
import { currentFeedCounts, type CurrentFeedCounts } from "../../repositories/dashboard-queries";
import { maintainIssueTables, type IssueChanges } from "../../repositories/feed-issues";
import { recordProductEvents } from "../../repositories/product-events";
import type { Runtime } from "../../runtime";
import { loadChannelSetup, planShopChannels, type ChannelSetup } from "./channel-setup";
import { FeedBlobWriter } from "./feed-blob-writer";
import { newFeedToken } from "./feed-tokens";
import { requestChannelPlan } from "../publishing/plan-channel-items";
import { requestStorefrontOfferMessages } from "../rules/storefront-offer-messages";
import { loadOfferSetup } from "../rules/offer-setup";

export const BuildFeedsJobSchema = z.object({ shop: z.string().min(1), reason: z.string().max(200).optional() });
export type BuildFeedsJob = z.infer<typeof BuildFeedsJobSchema>;

/** Products read from the snapshot per query: enough to amortise the round trip, few enough to stay small. */
const PRODUCT_PAGE_SIZE = 250;
/** Diagnostics are written in batches of this many. */
const DIAGNOSTIC_BATCH = 2_000;
/** Issue rows a build may write before the issue table's housekeeping runs (statistics, dead rows). */
const ISSUE_MAINTENANCE_ROWS = 5_000;

export interface FeedBuildSummary {
  channel: ChannelId;
  market: string;
  buildId: string;
  tally: FeedTally;
  bytes: number;
  etag: string;
  /** What the build changed in the feed's issue list. */
  issues: IssueChanges;
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
  const startedAt = now();
  // The stock rules and campaigns at the start of the build decide every feed's quantities.
  const [setup, offers] = await Promise.all([loadChannelSetup(runtime, shop), loadOfferSetup(runtime, shop, startedAt)]);
  for (const problem of [...setup.problems, ...offers.problems]) logger.warn({ shop }, problem);
  const plans = planShopChannels(setup, offers, { channels: CHANNEL_IDS, now: startedAt });
  await deleteFeedsExcept(runtime.db, shop, plans.map((plan) => ({ channel: plan.ctx.channel, market: plan.ctx.market.code })));
  const feeds = await Promise.all(plans.map((plan) => openFeed(runtime, shop, setup, plan, startedAt)));
  try {
    let productsRead = 0;
    for await (const products of snapshotProductPages(runtime.db.sql, shop, PRODUCT_PAGE_SIZE)) {
      for (const product of products) {
        for (const feed of feeds) await writeProduct(runtime, shop, feed, product);
      }
      productsRead += products.length;
      await recordBuildProgress(runtime.db.sql, shop, feeds.map((feed) => feed.buildId), productsRead);
    }
    const previous = await currentFeedCounts(runtime.db.sql, shop);
    const summaries: FeedBuildSummary[] = [];
    for (const feed of feeds) summaries.push(await closeFeed(runtime, shop, feed, now()));
    await recordProductEvents(runtime.db.sql, shop, feedBuildEvents(summaries, previous, job.reason ?? null, now()));
    const issues = summaries.reduce((sum, s) => ({ opened: sum.opened + s.issues.opened, resolved: sum.resolved + s.issues.resolved, written: sum.written + s.issues.written }), {
      opened: 0,
      resolved: 0,
      written: 0,
    });
    logger.info({ shop, reason: job.reason, feeds: summaries.length, issues, ms: Date.now() - startedAt.getTime() }, "feeds built");
    if (issues.written + issues.resolved >= ISSUE_MAINTENANCE_ROWS) {
      // Housekeeping only: the feeds are published whatever happens here.
      await maintainIssueTables(runtime.db.sql, shop, startedAt).catch((error: unknown) => logger.warn({ shop, err: error }, "feed issue housekeeping failed"));
    }
    // The channels' APIs follow the same snapshot and rules as the feeds.
    await requestChannelPlan(runtime, shop, `feeds built (${job.reason ?? "change"})`);
    // So does the storefront's offer message (the theme block reads it from a variant metafield).
    await requestStorefrontOfferMessages(runtime, shop, `feeds built (${job.reason ?? "change"})`);
    return summaries;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const feed of feeds) await failBuild(runtime.db, shop, feed.buildId, message, now()).catch(() => undefined);
    throw error;
  }
}

/**
 * The timeline's shop-wide "feed.built" events: one per feed whose counts moved (or that is new).
 * A rebuild that changed no count says nothing new, and debounced builds would bury a product's own
 * events under identical lines.
 */
function feedBuildEvents(summaries: readonly FeedBuildSummary[], previous: readonly CurrentFeedCounts[], reason: string | null, at: Date) {
  return summaries.flatMap((summary) => {
    const before = previous.find((row) => row.channel === summary.channel && row.market === summary.market);
    const { tally } = summary;
    const changed = !before || (["itemsTotal", "itemsReady", "itemsWithErrors", "itemsExcluded"] as const).some((key) => before[key] !== tally[key]);
    if (!changed) return [];
    const was = before ? { itemsTotal: before.itemsTotal, itemsReady: before.itemsReady, itemsWithErrors: before.itemsWithErrors, itemsExcluded: before.itemsExcluded } : null;
    return [describeFeedBuild(summary.channel, summary.market, tally, was, { buildId: summary.buildId, reason }, at)];
  });
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
  const issues = await publishBuild(runtime.db, shop, feed.feedId, feed.buildId, { tally: feed.tally, bytes: blob.bytes, gzipBytes: blob.gzipBytes, etag: blob.etag, finishedAt });
  return { channel: feed.plan.ctx.channel, market: feed.plan.ctx.market.code, buildId: feed.buildId, tally: feed.tally, bytes: blob.bytes, etag: blob.etag, issues };
}
