import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import type { SqlExecutor } from "../db/connection";

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

/**
 * Records a delivery once: one statement, which is all a webhook request waits for. Returns the new
 * row's id, or null when this (shop, topic, event, subscription) was already recorded: Shopify's
 * retries and duplicate fan-outs stop here.
 */
export async function recordDelivery(sql: SqlExecutor, delivery: InboundDelivery): Promise<string | null> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO "webhook_inbox" ("id", "shop", "topic", "event_id", "webhook_id", "subscription_name", "api_version", "triggered_at", "payload")
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8::jsonb)
     ON CONFLICT ("shop", "topic", "event_id", "subscription_name") DO NOTHING
     RETURNING "id"::text AS id`,
    [delivery.shop, delivery.topic, delivery.eventId, delivery.webhookId, delivery.subscription, delivery.apiVersion, delivery.triggeredAt, JSON.stringify(delivery.payload)],
  );
  return rows[0]?.id ?? null;
}

/**
 * Claims up to `limit` recorded deliveries that have no job yet and marks them queued. Two
 * dispatchers never claim the same row (SKIP LOCKED); a claim whose job insert then fails is
 * picked up again by the stale-delivery sweep.
 */
export async function claimUnqueuedDeliveries(sql: SqlExecutor, now: Date, limit: number): Promise<{ id: string; shop: string }[]> {
  const { rows } = await sql.query<{ id: string; shop: string }>(
    `UPDATE "webhook_inbox" SET "queued_at" = $1
     WHERE "id" IN (SELECT "id" FROM "webhook_inbox" WHERE "queued_at" IS NULL AND "status" = 'received' ORDER BY "received_at" LIMIT $2 FOR UPDATE SKIP LOCKED)
     RETURNING "id"::text AS id, "shop"`,
    [now, limit],
  );
  return rows;
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
