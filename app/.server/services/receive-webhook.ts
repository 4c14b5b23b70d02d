import type { Prisma } from "~/generated/prisma/client";
import { shopify } from "~/shopify.server";
import { logger } from "../logger";
import { recordDelivery } from "../repositories/webhook-inbox";
import { getRuntime } from "../runtime";
import { WEBHOOK_HANDLERS } from "../webhooks";
import { enqueueDelivery } from "./requeue-stale-deliveries";

/**
 * Webhook intake: verify the HMAC (Shopify's library answers 401 and we store nothing), record the
 * delivery in the inbox, enqueue its processing, answer at once. Shopify gives us 5 seconds; the
 * real work happens in the `webhook-process` job.
 *
 * The inbox is also the outbox: the row commits first, then the job is sent. A crash between the
 * two leaves a `received` row, which the scheduled sweep (requeue-stale-deliveries) enqueues again.
 * (Enqueueing inside the same transaction deadlocks on PGlite's single connection: pg-boss reads
 * its queue cache outside the caller's transaction.)
 */
export async function receiveWebhook(request: Request, topicFromPath: string): Promise<Response> {
  const headers = request.headers;
  const context = await shopify().authenticate.webhook(request);
  const topic = (headers.get("x-shopify-topic") ?? "").toLowerCase();
  const handler = WEBHOOK_HANDLERS.get(topic);
  if (!handler) {
    logger.warn({ topic, shop: context.shop }, "webhook for a topic Shelfcast does not subscribe to");
    return new Response("Unknown topic", { status: 404 });
  }
  if (topic !== topicFromPath) {
    return new Response(`Topic ${topic} delivered to the ${topicFromPath} address`, { status: 400 });
  }
  const payload = handler.redactForStorage ? handler.redactForStorage(context.payload) : context.payload;
  const eventId = context.eventId ?? headers.get("x-shopify-event-id") ?? context.webhookId;
  const triggeredAt = context.triggeredAt ? new Date(context.triggeredAt) : null;

  const runtime = await getRuntime();
  const deliveryId = await recordDelivery(runtime.db.prisma, {
    shop: context.shop,
    topic,
    eventId,
    webhookId: context.webhookId ?? null,
    subscription: context.name ?? "",
    apiVersion: context.apiVersion ?? null,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: payload as Prisma.InputJsonValue,
  });
  if (deliveryId) await enqueueDelivery(runtime, context.shop, deliveryId);
  logger.info({ topic, shop: context.shop, eventId, duplicate: deliveryId === null }, "webhook received");
  return new Response(null, { status: 200 });
}
