import { QUEUES } from "../jobs/names";
import { logger } from "../logger";
import type { Runtime } from "../runtime";

/** How long a recorded delivery may wait for its job before the sweep enqueues it again. */
export const STALE_DELIVERY_MS = 60_000;

/**
 * Sends the processing job for one recorded delivery. The delivery id is the job id, so a delivery
 * whose job already exists (waiting, running or done) is never queued twice.
 */
export async function enqueueDelivery(runtime: Runtime, shop: string, deliveryId: string): Promise<void> {
  await runtime.boss.send(QUEUES.processWebhook, { shop, deliveryId }, { id: deliveryId });
}

/**
 * The outbox sweep: a delivery still `received` a minute after it arrived may have lost its job (a
 * crash between commit and enqueue); send it again, which is a no-op when the job exists. Failed
 * deliveries are pg-boss's to retry, and stay visible in the inbox with their error.
 */
export async function requeueStaleDeliveries(runtime: Runtime, now: Date): Promise<number> {
  const stale = await runtime.db.prisma.webhookInbox.findMany({
    where: { status: "received", receivedAt: { lt: new Date(now.getTime() - STALE_DELIVERY_MS) } },
    select: { id: true, shop: true },
    orderBy: { receivedAt: "asc" },
    take: 500,
  });
  for (const delivery of stale) await enqueueDelivery(runtime, delivery.shop, delivery.id);
  if (stale.length > 0) logger.info({ count: stale.length }, "checked the jobs of webhook deliveries still waiting");
  return stale.length;
}
