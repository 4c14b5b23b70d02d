import { z } from "zod";
import { backoffMs } from "~/domain/publishing/backoff";
import { tiktokHashes } from "~/domain/publishing/tiktok-changes";
import { describePublishOutcomes, type PublishAnswer } from "~/domain/timeline/channel-events";
import { AccessTokenExpiredError, ReconnectError, RetryLaterError, type DueItem, type ItemOutcome, type PublishContext } from "../../channels/publisher";
import { logger } from "../../logger";
import { countDueItems, listDueItems, markCreateStarted, recordOutcomes, type CatalogRef, type DueRow, type SentContent } from "../../repositories/channel-items";
import { replaceVerdicts } from "../../repositories/channel-verdicts";
import { emptyRunTally, finishPublishRun, startPublishRun, updatePublishRun, type PublishRunTally } from "../../repositories/publish-runs";
import { recordProductEvents } from "../../repositories/product-events";
import { getTikTokImages, putTikTokImage } from "../../repositories/tiktok-images";
import type { Runtime } from "../../runtime";
import { loadPublishConnection, markConnectionReconnect } from "./connections";
import { publisherFor, type PublishDeps } from "./publish-deps";
import { requestCatalogPublish } from "./request-publish";

/**
 * The "channel-publish" job: sends one catalog's due records (channel_item rows whose desired
 * content differs from what the channel acknowledged) through the channel's publisher and records
 * every answer. One job runs per catalog at a time (a stately queue keyed by shop|channel|market),
 * so two batches for the same record never race, on one worker or many.
 *
 * Durability: nothing is marked sent before the channel acknowledged it. A crash anywhere leaves
 * the rows due and pg-boss hands the job to another worker, which sends the same logical writes
 * again; Meta's UPDATE-with-upsert and TikTok's look-up-before-create make the replay converge.
 */
export const PublishCatalogJobSchema = z.object({
  shop: z.string().min(1),
  channel: z.enum(["meta", "tiktok"]),
  market: z.string().min(1),
  trigger: z.string().max(200).default("change"),
});
export type PublishCatalogJob = z.infer<typeof PublishCatalogJobSchema>;

/** Records read per page: Meta takes up to 5,000 per call; TikTok is called per product. */
const PAGE_SIZE = { meta: 5_000, tiktok: 25 } as const;
/** Transient failures of one record before it becomes a dead letter with its reason. */
export const MAX_ATTEMPTS = 8;
const RETRY_BASE_MS = 5_000;
const RETRY_MAX_MS = 30 * 60_000;

export interface PublishSummary {
  status: "nothing-due" | "blocked" | "succeeded" | "partial" | "throttled" | "reconnect";
  runId: string | null;
  tally: PublishRunTally;
  reason?: string;
}

export async function publishCatalog(runtime: Runtime, job: PublishCatalogJob, deps: PublishDeps): Promise<PublishSummary> {
  const ref: CatalogRef = { shop: job.shop, channel: job.channel, market: job.market };
  const sql = runtime.db.sql;
  const tally = emptyRunTally();
  const due = await countDueItems(sql, ref, deps.now());
  if (due.dueNow === 0) {
    if (due.nextRetryAt) await requestCatalogPublish(runtime, ref, "retry", secondsUntil(due.nextRetryAt, deps.now()));
    return { status: "nothing-due", runId: null, tally };
  }

  const loaded = await loadPublishConnection(runtime, job.shop, job.channel, deps.now());
  if (!loaded.ok) {
    // Nothing is lost: the rows stay due and saving the connection asks for a publish again.
    const runId = await startPublishRun(sql, ref, job.trigger, due.dueNow, deps.now());
    await finishPublishRun(sql, job.shop, runId, "failed", loaded.reason, deps.now());
    return { status: "blocked", runId, tally, reason: loaded.reason };
  }

  const runId = await startPublishRun(sql, ref, job.trigger, due.dueNow, deps.now());
  const fetchImpl = await deps.fetchFor(job.shop);
  const ctx: PublishContext<typeof loaded.connection> = {
    shop: job.shop,
    market: job.market,
    connection: loaded.connection,
    fetch: fetchImpl,
    now: deps.now,
    sleep: deps.sleep,
    markCreateStarted: (keys) => markCreateStarted(sql, ref, keys, deps.now()),
    images: {
      get: (urls) => getTikTokImages(sql, job.shop, urls),
      put: (url, image) => putTikTokImage(sql, job.shop, url, image),
    },
    countCall: () => {
      tally.calls += 1;
    },
  };
  const publisher = publisherFor(job.channel, deps);

  const drain = async () => {
    let afterKey = "";
    for (;;) {
      const due = await listDueItems(sql, ref, { limit: PAGE_SIZE[job.channel], now: deps.now(), afterKey });
      if (due.length === 0) return;
      afterKey = due[due.length - 1]?.key ?? afterKey;
      const items = job.channel === "tiktok" ? due.map(resolvingRetiredCreate) : due;
      if (job.channel === "meta") await announceFirstWrites(runtime, ref, due, deps.now());
      const outcomes = await publisher.publish(ctx as never, items);
      await recordPage(runtime, ref, items, outcomes, tally, deps);
      await updatePublishRun(sql, job.shop, runId, tally);
    }
  };
  try {
    try {
      await drain();
    } catch (error) {
      if (!(error instanceof AccessTokenExpiredError)) throw error;
      // The channel called the token expired before its time: refresh it once and carry on.
      const refreshed = await loadPublishConnection(runtime, job.shop, job.channel, deps.now(), { forceRefresh: true });
      if (!refreshed.ok) throw refreshed.reconnect ? new ReconnectError(refreshed.reason) : new RetryLaterError(60_000, refreshed.reason);
      ctx.connection = refreshed.connection;
      await drain();
    }
  } catch (error) {
    if (error instanceof RetryLaterError) {
      const waitMs = Math.max(error.waitMs, 1_000) + Math.floor(deps.random() * 1_000);
      await finishPublishRun(sql, job.shop, runId, "failed", `${error.message} Shelfcast tries again in ${Math.ceil(waitMs / 1000)} s.`, deps.now());
      await updatePublishRun(sql, job.shop, runId, tally);
      await requestCatalogPublish(runtime, ref, "throttled", waitMs / 1000);
      logger.warn({ shop: job.shop, channel: job.channel, waitMs }, "channel asked to slow down; publish rescheduled");
      return { status: "throttled", runId, tally, reason: error.message };
    }
    if (error instanceof ReconnectError) {
      await markConnectionReconnect(runtime, job.shop, job.channel, error.message);
      await updatePublishRun(sql, job.shop, runId, tally);
      await finishPublishRun(sql, job.shop, runId, "failed", error.message, deps.now());
      return { status: "reconnect", runId, tally, reason: error.message };
    }
    // A bug or a lost database: the run is closed and the job fails, so pg-boss retries it.
    const message = error instanceof Error ? error.message : String(error);
    await updatePublishRun(sql, job.shop, runId, tally).catch(() => undefined);
    await finishPublishRun(sql, job.shop, runId, "failed", message, deps.now()).catch(() => undefined);
    throw error;
  }

  const status = tally.itemsRejected + tally.itemsRetry + tally.itemsDead > 0 ? "partial" : "succeeded";
  await finishPublishRun(sql, job.shop, runId, status, null, deps.now());
  const after = await countDueItems(sql, ref, deps.now());
  if (after.dueNow > 0) await requestCatalogPublish(runtime, ref, "more-due");
  else if (after.nextRetryAt) await requestCatalogPublish(runtime, ref, "retry", secondsUntil(after.nextRetryAt, deps.now()));
  logger.info({ shop: job.shop, channel: job.channel, market: job.market, ...tally }, "catalog published");
  return { status, runId, tally };
}

async function recordPage(runtime: Runtime, ref: CatalogRef, items: (DueItem & { attempts: number })[], outcomes: ItemOutcome[], tally: PublishRunTally, deps: PublishDeps): Promise<void> {
  const sent = new Map<string, SentContent>(
    items.map((item) => [item.key, { hash: item.desired?.hash ?? null, stockHash: item.desired?.stockHash ?? null, priceHash: item.desired?.priceHash ?? null }]),
  );
  await recordOutcomes(runtime.db, ref, outcomes, sent, {
    now: deps.now(),
    maxAttempts: MAX_ATTEMPTS,
    retryDelayMs: (attempts, suggestedMs) => Math.max(suggestedMs ?? 0, backoffMs(attempts, { baseMs: RETRY_BASE_MS, maxMs: RETRY_MAX_MS }, deps.random)),
  });
  const verdicts = outcomes.flatMap((outcome) =>
    outcome.kind === "live" || outcome.kind === "rejected" ? [{ key: outcome.key, diagnostics: outcome.diagnostics }] : outcome.kind === "deleted" ? [{ key: outcome.key, diagnostics: [] }] : [],
  );
  await replaceVerdicts(runtime.db.sql, ref, verdicts, deps.now());
  await recordProductEvents(runtime.db.sql, ref.shop, publishEvents(ref, items, outcomes, deps.now()));
  for (const outcome of outcomes) {
    tally.itemsDone += 1;
    if (outcome.kind === "live") tally.itemsLive += 1;
    else if (outcome.kind === "deleted") tally.itemsDeleted += 1;
    else if (outcome.kind === "rejected") tally.itemsRejected += 1;
    else if (outcome.kind === "retry") tally.itemsRetry += 1;
    else tally.itemsDead += 1;
  }
}

/**
 * A TikTok record retired while its create went out unanswered: TikTok may list the product, which
 * only its content can find. It is sent as its last wanted content, so the publisher looks the product
 * up before any create (and adopts it); once TikTok's id is recorded, the next pass deactivates it.
 */
function resolvingRetiredCreate(item: DueRow): DueRow {
  if (item.desired !== null || item.sent.remoteId !== null || item.sent.createStartedAt === null || item.retiredPayload === null) return item;
  return { ...item, desired: { ...tiktokHashes(item.retiredPayload), payload: item.retiredPayload } };
}

/**
 * Meta's publisher does not announce its writes (its upserts converge when replayed). For items Meta
 * never acknowledged the engine does, so an item retired before Meta's answer was recorded still gets
 * its DELETE instead of being forgotten while Meta holds it.
 */
async function announceFirstWrites(runtime: Runtime, ref: CatalogRef, items: DueRow[], now: Date): Promise<void> {
  const firstWrites = items.filter((item) => item.desired !== null && item.sent.hash === null && item.sent.createStartedAt === null).map((item) => item.key);
  await markCreateStarted(runtime.db.sql, ref, firstWrites, now);
}

function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, (at.getTime() - now.getTime()) / 1000);
}

/**
 * The timeline's events for a page of answers, one per record: sent (with the price and stock sent),
 * rejected, removed, or given up on. A retry that used the last attempt is the give-up recordOutcomes
 * makes of it; other retries are transient and stay off the timeline.
 */
function publishEvents(ref: CatalogRef, items: (DueItem & { attempts: number })[], outcomes: ItemOutcome[], at: Date) {
  const attemptsOf = new Map(items.map((item) => [item.key, item.attempts]));
  const answers = outcomes.map((outcome): PublishAnswer => {
    if (outcome.kind !== "retry") return outcome;
    const attempts = (attemptsOf.get(outcome.key) ?? 0) + 1;
    return attempts >= MAX_ATTEMPTS ? { key: outcome.key, kind: "dead", reason: `${outcome.reason} (${attempts} attempts)` } : outcome;
  });
  const records = items.map((item) => ({ key: item.key, productId: item.productId, itemIds: item.itemIds, payload: item.desired?.payload ?? null }));
  return describePublishOutcomes(ref.channel, ref.market, records, answers, at);
}
