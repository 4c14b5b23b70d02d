import type { Prisma, PrismaClient } from "~/generated/prisma/client";

export interface InboundDelivery {
  shop: string;
  topic: string;
  eventId: string;
  webhookId: string | null;
  subscription: string;
  apiVersion: string | null;
  triggeredAt: Date | null;
  payload: Prisma.InputJsonValue;
}

type Tx = Prisma.TransactionClient | PrismaClient;

/**
 * Records a delivery once. Returns the new row's id, or null when this (shop, topic, event,
 * subscription) was already recorded: Shopify's retries and duplicate fan-outs stop here.
 */
export async function recordDelivery(tx: Tx, delivery: InboundDelivery): Promise<string | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "webhook_inbox" ("id", "shop", "topic", "event_id", "webhook_id", "subscription_name", "api_version", "triggered_at", "payload")
    VALUES (gen_random_uuid(), ${delivery.shop}, ${delivery.topic}, ${delivery.eventId}, ${delivery.webhookId}, ${delivery.subscription},
            ${delivery.apiVersion}, ${delivery.triggeredAt}, ${JSON.stringify(delivery.payload)}::jsonb)
    ON CONFLICT ("shop", "topic", "event_id", "subscription_name") DO NOTHING
    RETURNING "id"::text AS id`;
  return rows[0]?.id ?? null;
}

export async function getDelivery(prisma: PrismaClient, shop: string, id: string) {
  return prisma.webhookInbox.findFirst({ where: { id, shop } });
}

export async function markDeliveryProcessed(prisma: PrismaClient, shop: string, id: string, outcome: string, at: Date) {
  await prisma.webhookInbox.updateMany({ where: { id, shop }, data: { status: "processed", processedAt: at, outcome, error: null } });
}

export async function markDeliveryFailed(prisma: PrismaClient, shop: string, id: string, error: string) {
  await prisma.webhookInbox.updateMany({ where: { id, shop }, data: { status: "failed", error, attempts: { increment: 1 } } });
}

export async function markDeliverySkipped(prisma: PrismaClient, shop: string, id: string, reason: string, at: Date) {
  await prisma.webhookInbox.updateMany({ where: { id, shop }, data: { status: "skipped", processedAt: at, error: reason } });
}
