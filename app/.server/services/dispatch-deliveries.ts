import { QUEUES } from "../jobs/names";
import { logger } from "../logger";
import { claimUnqueuedDeliveries } from "../repositories/webhook-inbox";
import type { Runtime } from "../runtime";

export const DISPATCH_INTERVAL_MS = 250;
const DISPATCH_BATCH = 500;

/**
 * Moves newly recorded webhook deliveries into the job queue, in batches. Each job's id is its
 * delivery's id, so a delivery can never have two jobs, whoever queues it.
 */
export async function dispatchDeliveries(runtime: Runtime, now: Date): Promise<number> {
  const claimed = await claimUnqueuedDeliveries(runtime.db.sql, now, DISPATCH_BATCH);
  if (claimed.length === 0) return 0;
  await runtime.boss.insert(
    QUEUES.processWebhook,
    claimed.map((delivery) => ({ id: delivery.id, data: { shop: delivery.shop, deliveryId: delivery.id } })),
  );
  return claimed.length;
}

/** Runs the dispatcher every quarter second in a worker process until `stop` is called. */
export function startDeliveryDispatcher(runtime: Runtime): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    dispatchDeliveries(runtime, new Date())
      .catch((error: unknown) => logger.error({ err: error }, "webhook dispatcher failed; the sweep will catch up"))
      .finally(() => {
        running = false;
      });
  }, DISPATCH_INTERVAL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
