import { logger } from "../logger";
import type { Runtime } from "../runtime";

/** How long a recorded delivery may wait to be processed before the sweep hands it back. */
export const STALE_DELIVERY_MS = 60_000;

/**
 * The safety net of the outbox: a delivery still `received` a minute after it arrived may have
 * lost its job (a crash between the dispatcher's claim and its insert, a lost job row). It goes
 * back to the dispatcher (dispatch-deliveries.ts), the one place that queues deliveries; a job that
 * still exists is not duplicated, because its id is the delivery's id. Failed deliveries are
 * pg-boss's to retry, and stay visible in the inbox with their error.
 */
export async function requeueStaleDeliveries(runtime: Runtime, now: Date): Promise<number> {
  const { rows } = await runtime.db.sql.query<{ id: string }>(
    `UPDATE "webhook_inbox" SET "queued_at" = NULL
     WHERE "status" = 'received' AND "received_at" < $1
     RETURNING "id"::text AS id`,
    [new Date(now.getTime() - STALE_DELIVERY_MS)],
  );
  if (rows.length > 0) logger.info({ count: rows.length }, "handed webhook deliveries still waiting back to the dispatcher");
  return rows.length;
}
