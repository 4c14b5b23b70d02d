import { z } from "zod";
import { logger } from "../logger";
import type { Runtime } from "../runtime";
import { reconcileAllShops } from "../services/catalog-sync/reconcile-shops";
import { CatalogSyncJobSchema, runCatalogSync } from "../services/catalog-sync/run-catalog-sync";
import { enqueueSyncStep } from "../services/catalog-sync/start-catalog-sync";
import { adminApiForShop } from "../shopify/admin-api-for-shop";
import { ProcessWebhookJobSchema, processWebhookDelivery } from "../services/process-webhook";
import { RefreshProductJobSchema, refreshProduct } from "../services/refresh-product";
import { startDeliveryDispatcher } from "../services/dispatch-deliveries";
import { requeueStaleDeliveries } from "../services/requeue-stale-deliveries";
import { BuildFeedsJobSchema, buildShopFeeds } from "../services/channel-feeds/build-feeds";
import { PixelSettingsSyncJobSchema, syncPixelSettings } from "../services/tracking/sync-pixel-settings";
import { ForwardPixelEventsJobSchema, forwardPixelEvents } from "../services/tracking/forward-pixel-events";
import { PlanChannelItemsJobSchema, planChannelItems } from "../services/publishing/plan-channel-items";
import { PublishCatalogJobSchema, publishCatalog } from "../services/publishing/publish-catalog";
import { defaultPublishDeps } from "../services/publishing/publish-deps";
import { ReadBackCatalogJobSchema, readBackCatalog, sweepReadBacks } from "../services/publishing/read-back-catalog";
import { WriteOfferMessagesJobSchema, writeStorefrontOfferMessages } from "../services/rules/storefront-offer-messages";
import { QUEUES, type QueueName } from "./names";

interface JobHandler<S extends z.ZodType = z.ZodType> {
  schema: S;
  run(runtime: Runtime, data: z.infer<S>): Promise<unknown>;
}

function handler<S extends z.ZodType>(schema: S, run: (runtime: Runtime, data: z.infer<S>) => Promise<unknown>): JobHandler {
  return { schema, run: run as JobHandler["run"] };
}

/** Every queue's handler. The worker and the tests' queue drain both run exactly these. */
export const JOB_HANDLERS: Record<QueueName, JobHandler> = {
  [QUEUES.processWebhook]: handler(ProcessWebhookJobSchema, (runtime, data) => processWebhookDelivery(runtime, data, new Date())),
  [QUEUES.catalogSync]: handler(CatalogSyncJobSchema, async (runtime, data) => {
    const result = await runCatalogSync(runtime, data, { now: () => new Date(), adminApi: (shop) => adminApiForShop(runtime, shop) });
    // Shopify is still running the bulk query: look again later (the finish webhook may come first).
    if (result.state === "wait") await enqueueSyncStep(runtime, data.shop, data.syncId, result.seconds);
    return result;
  }),
  [QUEUES.refreshProduct]: handler(RefreshProductJobSchema, async (runtime, data) =>
    refreshProduct(runtime, data, await adminApiForShop(runtime, data.shop), new Date()),
  ),
  [QUEUES.requeueStaleDeliveries]: handler(z.object({}).passthrough(), (runtime) => requeueStaleDeliveries(runtime, new Date())),
  [QUEUES.reconcileShops]: handler(z.object({}).passthrough(), (runtime) => reconcileAllShops(runtime)),
  [QUEUES.buildFeeds]: handler(BuildFeedsJobSchema, (runtime, data) => buildShopFeeds(runtime, data, () => new Date())),
  [QUEUES.forwardPixelEvents]: handler(ForwardPixelEventsJobSchema, (runtime, data) => forwardPixelEvents(runtime, data, () => new Date())),
  [QUEUES.pixelSettingsSync]: handler(PixelSettingsSyncJobSchema, (runtime, data) =>
    syncPixelSettings(runtime, data, { adminApi: (shop) => adminApiForShop(runtime, shop), now: () => new Date() }),
  ),
  [QUEUES.planChannelItems]: handler(PlanChannelItemsJobSchema, (runtime, data) => planChannelItems(runtime, data, () => new Date())),
  [QUEUES.publishCatalog]: handler(PublishCatalogJobSchema, (runtime, data) => publishCatalog(runtime, data, defaultPublishDeps(runtime))),
  [QUEUES.readBackCatalog]: handler(ReadBackCatalogJobSchema, (runtime, data) => readBackCatalog(runtime, data, defaultPublishDeps(runtime))),
  [QUEUES.readBackSweep]: handler(z.object({}).passthrough(), (runtime) => sweepReadBacks(runtime)),
  [QUEUES.storefrontOfferMessages]: handler(WriteOfferMessagesJobSchema, (runtime, data) =>
    writeStorefrontOfferMessages(runtime, data, { adminApi: (shop) => adminApiForShop(runtime, shop), now: () => new Date() }),
  ),
};

/** Maintenance that runs on a schedule in whichever worker pg-boss picks (cron, UTC). */
function schedules(runtime: Runtime): { queue: QueueName; cron: string }[] {
  return [
    { queue: QUEUES.requeueStaleDeliveries, cron: "* * * * *" },
    { queue: QUEUES.reconcileShops, cron: runtime.env.SHELFCAST_RECONCILE_CRON },
    // Channel truth: what Meta and TikTok hold and say about it, every six hours.
    { queue: QUEUES.readBackSweep, cron: "17 */6 * * *" },
  ];
}

/**
 * Validates a job's data before use: a malformed job fails with a message (and lands in pg-boss's
 * failed state) instead of crashing the worker.
 */
export async function runJob(runtime: Runtime, queue: QueueName, job: { id: string; data: unknown }): Promise<unknown> {
  const { schema, run } = JOB_HANDLERS[queue];
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) {
    throw new Error(`${queue} job ${job.id} has invalid data: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  try {
    return await run(runtime, parsed.data);
  } catch (error) {
    logger.error({ queue, jobId: job.id, err: error }, "job failed");
    throw error;
  }
}

export async function startWorkers(runtime: Runtime): Promise<void> {
  for (const queue of Object.keys(JOB_HANDLERS) as QueueName[]) {
    await runtime.boss.work(queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => (job ? runJob(runtime, queue, job) : undefined));
  }
  for (const { queue, cron } of schedules(runtime)) await runtime.boss.schedule(queue, cron, {});
  runtime.onStop(startDeliveryDispatcher(runtime).stop);
}
