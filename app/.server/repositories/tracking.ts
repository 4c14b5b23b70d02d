import type { Database, SqlExecutor } from "../db/connection";

/**
 * A shop's tracking plan and its collector log (migration 0004). Plans come back unparsed
 * (`unknown`): the service validates them with the domain's zod schema, so a row written by an older
 * version or by hand is reported, never trusted.
 */
export interface TrackingPlanRow {
  plan: unknown;
  revision: number;
  updatedAt: Date;
}

export async function getTrackingPlan(sql: SqlExecutor, shop: string): Promise<TrackingPlanRow | null> {
  const { rows } = await sql.query<{ plan: unknown; revision: number; updated_at: Date }>(
    `SELECT "plan", "revision", "updated_at" FROM "tracking_plan" WHERE "shop" = $1`,
    [shop],
  );
  const row = rows[0];
  return row ? { plan: row.plan, revision: row.revision, updatedAt: row.updated_at } : null;
}

/**
 * Saves the plan if nobody saved since the editor loaded it (`expectedRevision`, 0 = never saved);
 * the second of two concurrent editors gets `false` instead of silently overwriting the first.
 */
export async function saveTrackingPlan(sql: SqlExecutor, shop: string, plan: unknown, expectedRevision: number): Promise<boolean> {
  if (expectedRevision === 0) {
    const { rows } = await sql.query(
      `INSERT INTO "tracking_plan" ("shop", "plan", "revision", "updated_at") VALUES ($1, $2::jsonb, 1, now())
       ON CONFLICT ("shop") DO NOTHING RETURNING 1`,
      [shop, JSON.stringify(plan)],
    );
    return rows.length === 1;
  }
  const { rows } = await sql.query(
    `UPDATE "tracking_plan" SET "plan" = $2::jsonb, "revision" = "revision" + 1, "updated_at" = now()
     WHERE "shop" = $1 AND "revision" = $3 RETURNING 1`,
    [shop, JSON.stringify(plan), expectedRevision],
  );
  return rows.length === 1;
}

/** What the collector needs per request, in one query: whether the shop is installed, and its stored plan. */
export async function getCollectorTarget(sql: SqlExecutor, shop: string): Promise<{ active: boolean; plan: unknown } | null> {
  const { rows } = await sql.query<{ active: boolean; plan: unknown }>(
    `SELECT s."active", p."plan" FROM "shop" s LEFT JOIN "tracking_plan" p ON p."shop" = s."shop" WHERE s."shop" = $1`,
    [shop],
  );
  return rows[0] ?? null;
}

export interface PixelEventInsert {
  eventTime: Date | null;
  clientId: string | null;
  platform: string;
  channel: "browser" | "server";
  eventName: string;
  eventId: string | null;
  params: Record<string, unknown>;
  consent: Record<string, unknown>;
  url: string | null;
  forwarding: string;
}

/**
 * Appends a batch of events and trims the shop's log to its newest `keep` rows, in one transaction.
 * One INSERT for the batch (the rows travel as one JSON parameter); the trim walks the (shop, id) key
 * from the newest end, so its cost is bounded by `keep`, not by how many rows the shop ever sent.
 */
export async function insertPixelEvents(db: Database, shop: string, events: readonly PixelEventInsert[], keep: number): Promise<void> {
  if (events.length === 0) return;
  await db.transaction(async (tx) => {
    // The inserts travel under their own (camelCase) keys; eventTime serialises as its ISO string.
    await tx.query(
      `INSERT INTO "pixel_event" ("shop", "event_time", "client_id", "platform", "channel", "event_name", "event_id", "params", "consent", "url", "forwarding")
       SELECT $1, (e.r->>'eventTime')::timestamp(3), e.r->>'clientId', e.r->>'platform', e.r->>'channel', e.r->>'eventName', e.r->>'eventId',
              e.r->'params', e.r->'consent', e.r->>'url', e.r->>'forwarding'
       FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(r, ord)
       ORDER BY e.ord`,
      [shop, JSON.stringify(events)],
    );
    await tx.query(
      `DELETE FROM "pixel_event" WHERE "shop" = $1
         AND "id" <= (SELECT "id" FROM "pixel_event" WHERE "shop" = $1 ORDER BY "id" DESC OFFSET $2 LIMIT 1)`,
      [shop, keep],
    );
  });
}

/** A stored event: what was inserted, with its id and arrival time (the channel as stored, not narrowed). */
export interface PixelEventRow extends Omit<PixelEventInsert, "channel"> {
  id: string;
  receivedAt: Date;
  channel: string;
}

/** Selected under PixelEventRow's names, so rows need no mapping. */
const PIXEL_EVENT_COLUMNS = `"id"::text AS "id", "received_at" AS "receivedAt", "event_time" AS "eventTime", "client_id" AS "clientId", "platform", "channel",
  "event_name" AS "eventName", "event_id" AS "eventId", "params", "consent", "url", "forwarding"`;

/** The shop's newest `limit` events, oldest first (the order they happened in). */
export async function listRecentPixelEvents(sql: SqlExecutor, shop: string, limit: number): Promise<PixelEventRow[]> {
  const { rows } = await sql.query<PixelEventRow>(
    `SELECT * FROM (SELECT ${PIXEL_EVENT_COLUMNS} FROM "pixel_event" WHERE "shop" = $1 ORDER BY "id" DESC LIMIT $2) newest ORDER BY "id"::bigint`,
    [shop, limit],
  );
  return rows;
}

export async function countPixelEvents(sql: SqlExecutor, shop: string): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "pixel_event" WHERE "shop" = $1`, [shop]);
  return rows[0]?.n ?? 0;
}
