import { z } from "zod";
import { describeStatusChanges, type StatusChange } from "~/domain/timeline/channel-events";
import { ReconnectError, RetryLaterError, type PublishContext, type ReadBackEntry } from "../../channels/publisher";
import { logger } from "../../logger";
import { listAcknowledgedItems, markItemsMissing, setItemStates, type AcknowledgedItem, type CatalogRef, type ItemStateChange } from "../../repositories/channel-items";
import { replaceVerdicts } from "../../repositories/channel-verdicts";
import { recordProductEvents } from "../../repositories/product-events";
import { getTikTokImages, putTikTokImage } from "../../repositories/tiktok-images";
import type { Runtime } from "../../runtime";
import { listConnectionSummaries, loadPublishConnection, markConnectionReconnect } from "./connections";
import { publisherFor, type PublishDeps } from "./publish-deps";
import { requestCatalogPublish, requestCatalogReadBack } from "./request-publish";

/**
 * Channel truth. The "channel-readback" job asks the channel what it holds for the records it
 * acknowledged: Meta's item errors and review status, TikTok's product status and audit reasons.
 * Verdicts replace what was known (a problem the channel stopped reporting is resolved); a record
 * the channel no longer holds is due again, so drift repairs itself. It runs on a schedule for every
 * connected catalog, and for single records when TikTok's status webhook names them.
 */
export const ReadBackCatalogJobSchema = z.object({
  shop: z.string().min(1),
  channel: z.enum(["meta", "tiktok"]),
  market: z.string().min(1),
  trigger: z.string().max(200).default("schedule"),
  keys: z.array(z.string().min(1)).max(500).optional(),
});
export type ReadBackCatalogJob = z.infer<typeof ReadBackCatalogJobSchema>;

const PAGE_SIZE = { meta: 500, tiktok: 20 } as const;

export interface ReadBackSummary {
  checked: number;
  live: number;
  rejected: number;
  missing: number;
  skipped?: string;
}

export async function readBackCatalog(runtime: Runtime, job: ReadBackCatalogJob, deps: PublishDeps): Promise<ReadBackSummary> {
  const ref: CatalogRef = { shop: job.shop, channel: job.channel, market: job.market };
  const summary: ReadBackSummary = { checked: 0, live: 0, rejected: 0, missing: 0 };
  const loaded = await loadPublishConnection(runtime, job.shop, job.channel, deps.now());
  if (!loaded.ok) return { ...summary, skipped: loaded.reason };
  const sql = runtime.db.sql;
  const ctx: PublishContext<typeof loaded.connection> = {
    shop: job.shop,
    market: job.market,
    connection: loaded.connection,
    fetch: await deps.fetchFor(job.shop),
    now: deps.now,
    sleep: deps.sleep,
    markCreateStarted: async () => undefined,
    images: { get: (urls) => getTikTokImages(sql, job.shop, urls), put: (url, image) => putTikTokImage(sql, job.shop, url, image) },
    countCall: () => undefined,
  };
  const publisher = publisherFor(job.channel, deps);
  let afterKey = "";
  try {
    for (;;) {
      const items = await listAcknowledgedItems(sql, ref, { limit: PAGE_SIZE[job.channel], afterKey, keys: job.keys });
      if (items.length === 0) break;
      afterKey = items[items.length - 1]?.key ?? afterKey;
      const entries = await publisher.readBack(ctx as never, items);
      const missing = entries.filter((entry) => entry.state === "missing").map((entry) => entry.key);
      await markItemsMissing(sql, ref, missing);
      const changed = await setItemStates(
        sql,
        ref,
        entries.flatMap((entry) => (entry.state === "missing" ? [] : [{ key: entry.key, state: entry.state }])),
      );
      await replaceVerdicts(sql, ref, entries.map((entry) => ({ key: entry.key, diagnostics: entry.state === "missing" ? [] : entry.diagnostics })), deps.now());
      await recordProductEvents(sql, job.shop, statusEvents(ref, items, entries, changed, deps.now()));
      summary.checked += entries.length;
      summary.live += entries.filter((entry) => entry.state === "live").length;
      summary.rejected += entries.filter((entry) => entry.state === "rejected").length;
      summary.missing += missing.length;
    }
  } catch (error) {
    if (error instanceof ReconnectError) {
      await markConnectionReconnect(runtime, job.shop, job.channel, error.message);
      return { ...summary, skipped: error.message };
    }
    if (error instanceof RetryLaterError) {
      // The job fails and pg-boss retries it with its own backoff; what was read so far is kept.
      logger.warn({ shop: job.shop, channel: job.channel }, "read-back throttled; retried later");
    }
    throw error;
  }
  if (summary.missing > 0) await requestCatalogPublish(runtime, ref, "drift");
  logger.info({ shop: job.shop, channel: job.channel, market: job.market, ...summary }, "channel read back");
  return summary;
}

/** The scheduled sweep: a read-back of every connected catalog of every shop. */
export async function sweepReadBacks(runtime: Runtime): Promise<number> {
  const { rows } = await runtime.db.sql.query<{ shop: string; channel: string; market: string }>(
    `SELECT DISTINCT "shop", "channel", "market" FROM "channel_item" WHERE "sent_hash" IS NOT NULL ORDER BY "shop", "channel", "market"`,
  );
  let requested = 0;
  for (const row of rows) {
    const connected = (await listConnectionSummaries(runtime, row.shop)).some((c) => c.channel === row.channel && c.status === "connected");
    if (!connected) continue;
    await requestCatalogReadBack(runtime, row, "schedule");
    requested += 1;
  }
  return requested;
}

/** The timeline's "channel.status" events: records the channel stopped holding, and verdicts that changed. */
function statusEvents(ref: CatalogRef, items: AcknowledgedItem[], entries: ReadBackEntry[], changed: ItemStateChange[], at: Date) {
  const itemOf = new Map(items.map((item) => [item.key, item]));
  const entryOf = new Map(entries.map((entry) => [entry.key, entry]));
  const changes: StatusChange[] = [
    ...entries.flatMap((entry): StatusChange[] => {
      const item = itemOf.get(entry.key);
      return entry.state === "missing" && item ? [{ key: entry.key, productId: item.productId, itemIds: item.itemIds, from: null, to: "missing", diagnostics: [] }] : [];
    }),
    ...changed.map((change): StatusChange => ({ ...change, diagnostics: entryOf.get(change.key)?.diagnostics ?? [] })),
  ];
  return describeStatusChanges(ref.channel, ref.market, changes, at);
}
