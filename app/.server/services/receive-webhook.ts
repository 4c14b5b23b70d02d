import type { Prisma } from "~/generated/prisma/client";
import { WebhookType, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { shopifyApiLibrary } from "~/shopify.server";
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
  if (request.method !== "POST") return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
  const headers = request.headers;
  const rawBody = await request.text();
  // Shopify's own HMAC and header check. We call it directly rather than authenticate.webhook,
  // which also loads (and may refresh over the network) the shop's offline session on every
  // delivery: intake needs neither, and it must answer fast.
  const check = await shopifyApiLibrary().webhooks.validate({ rawBody, rawRequest: request });
  if (!check.valid) {
    const unauthorized = check.reason === WebhookValidationErrorReason.InvalidHmac || check.reason === WebhookValidationErrorReason.MissingHmac;
    return new Response(unauthorized ? "Unauthorized" : `Bad Request: ${check.reason}`, { status: unauthorized ? 401 : 400 });
  }
  const topic = (headers.get("x-shopify-topic") ?? "").toLowerCase();
  const handler = WEBHOOK_HANDLERS.get(topic);
  if (!handler) {
    logger.warn({ topic, shop: check.domain }, "webhook for a topic Shelfcast does not subscribe to");
    return new Response("Unknown topic", { status: 404 });
  }
  if (topic !== topicFromPath) {
    return new Response(`Topic ${topic} delivered to the ${topicFromPath} address`, { status: 400 });
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(rawBody) as Record<string, unknown>;
  } catch {
    return new Response("Bad Request: the body is not JSON", { status: 400 });
  }
  const payload = handler.redactForStorage ? handler.redactForStorage(body) : body;
  const eventId = (check.webhookType === WebhookType.Webhooks ? check.eventId : undefined) ?? headers.get("x-shopify-event-id") ?? check.webhookId;
  const triggeredAt = check.triggeredAt ? new Date(check.triggeredAt) : null;

  const runtime = await getRuntime();
  const deliveryId = await recordDelivery(runtime.db.sql, {
    shop: check.domain,
    topic,
    eventId,
    webhookId: check.webhookId ?? null,
    subscription: (check.webhookType === WebhookType.Webhooks ? check.name : undefined) ?? "",
    apiVersion: check.apiVersion ?? null,
    triggeredAt: triggeredAt && !Number.isNaN(triggeredAt.getTime()) ? triggeredAt : null,
    payload: payload as Prisma.InputJsonValue,
  });
  logger.info({ topic, shop: check.domain, eventId, duplicate: deliveryId === null }, "webhook received");
  return new Response(null, { status: 200 });
}
