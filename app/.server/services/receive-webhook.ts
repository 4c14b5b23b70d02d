import type { Prisma } from "~/generated/prisma/client";
import { shopify } from "~/shopify.server";
import { logger } from "../logger";
import { recordDelivery } from "../repositories/webhook-inbox";
import { getRuntime } from "../runtime";
import { WEBHOOK_HANDLERS } from "../webhooks";

/**
 * Webhook intake: verify the HMAC (Shopify's library answers 401 and we store nothing), record the
 * delivery in the inbox (one statement), answer at once. Shopify gives us 5 seconds; the work
 * happens in the `webhook-process` job.
 *
 * The inbox is also the outbox: the worker's dispatcher (dispatch-deliveries.ts) turns new rows
 * into jobs within a quarter of a second, and a minute-by-minute sweep re-queues any row whose job
 * was lost. Nothing a request does can leave a delivery without eventually being processed.
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
  const deliveryId = await recordDelivery(runtime.db.sql, {
    shop: context.shop,
    topic,
    eventId,
    webhookId: context.webhookId ?? null,
    subscription: context.name ?? "",
    apiVersion: context.apiVersion ?? null,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: payload as Prisma.InputJsonValue,
  });
  logger.info({ topic, shop: context.shop, eventId, duplicate: deliveryId === null }, "webhook received");
  return new Response(null, { status: 200 });
}
