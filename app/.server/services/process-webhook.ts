import { z } from "zod";
import { getShop } from "../repositories/shops";
import { getDelivery, markDeliveryFailed, markDeliveryProcessed, markDeliverySkipped } from "../repositories/webhook-inbox";
import type { Runtime } from "../runtime";
import { WEBHOOK_HANDLERS } from "../webhooks";

export const ProcessWebhookJobSchema = z.object({ shop: z.string().min(1), deliveryId: z.string().uuid() });
export type ProcessWebhookJob = z.infer<typeof ProcessWebhookJobSchema>;

export type ProcessOutcome = "processed" | "already-processed" | "skipped" | "gone";

/** Runs the topic's handler for one recorded delivery, at most once to completion. */
export async function processWebhookDelivery(runtime: Runtime, job: ProcessWebhookJob, now: Date): Promise<ProcessOutcome> {
  const { prisma } = runtime.db;
  const delivery = await getDelivery(prisma, job.shop, job.deliveryId);
  if (!delivery) return "gone"; // erased by shop/redact after it was queued
  if (delivery.status === "processed" || delivery.status === "skipped") return "already-processed";
  const handler = WEBHOOK_HANDLERS.get(delivery.topic);
  if (!handler) {
    await markDeliverySkipped(prisma, job.shop, delivery.id, `no handler for ${delivery.topic}`, now);
    return "skipped";
  }
  if (!handler.runsForInactiveShop) {
    const shop = await getShop(prisma, job.shop);
    if (!shop?.active) {
      await markDeliverySkipped(prisma, job.shop, delivery.id, "shop is not installed", now);
      return "skipped";
    }
  }
  try {
    const outcome = await handler.handle({ runtime, shop: job.shop, deliveryId: delivery.id, payload: delivery.payload, now });
    await markDeliveryProcessed(prisma, job.shop, delivery.id, outcome, now);
    return "processed";
  } catch (error) {
    await markDeliveryFailed(prisma, job.shop, delivery.id, (error as Error).message);
    throw error; // pg-boss retries with backoff
  }
}
