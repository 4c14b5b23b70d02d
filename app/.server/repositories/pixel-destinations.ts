import type { SqlExecutor } from "../db/connection";

/**
 * A shop's server-side connections (migration 0005) and the forwarding state of its pixel events.
 * Tokens enter and leave this module only as ciphertext; decrypting is the forwarding job's business.
 */
export type DestinationPlatform = "meta" | "tiktok";
export const DESTINATION_PLATFORMS: readonly DestinationPlatform[] = ["meta", "tiktok"];

export interface PixelDestinationRow {
  platform: DestinationPlatform;
  pixelId: string;
  tokenCiphertext: string;
  tokenHint: string;
  testEventCode: string | null;
  status: "connected" | "reconnect";
  lastForwardedAt: Date | null;
  lastError: string | null;
  updatedAt: Date;
}

interface DestinationDbRow {
  platform: DestinationPlatform;
  pixel_id: string;
  token_ciphertext: string;
  token_hint: string;
  test_event_code: string | null;
  status: "connected" | "reconnect";
  last_forwarded_at: Date | null;
  last_error: string | null;
  updated_at: Date;
}

export async function listPixelDestinations(sql: SqlExecutor, shop: string): Promise<PixelDestinationRow[]> {
  const { rows } = await sql.query<DestinationDbRow>(
    `SELECT "platform", "pixel_id", "token_ciphertext", "token_hint", "test_event_code", "status", "last_forwarded_at", "last_error", "updated_at"
     FROM "pixel_destination" WHERE "shop" = $1 ORDER BY "platform"`,
    [shop],
  );
  return rows.map((row) => ({
    platform: row.platform,
    pixelId: row.pixel_id,
    tokenCiphertext: row.token_ciphertext,
    tokenHint: row.token_hint,
    testEventCode: row.test_event_code,
    status: row.status,
    lastForwardedAt: row.last_forwarded_at,
    lastError: row.last_error,
    updatedAt: row.updated_at,
  }));
}

export interface PixelDestinationSave {
  platform: DestinationPlatform;
  pixelId: string;
  tokenCiphertext: string;
  tokenHint: string;
  testEventCode: string | null;
}

/** Creates or replaces a connection; a new token clears a 'reconnect' status and the last error. */
export async function savePixelDestination(sql: SqlExecutor, shop: string, destination: PixelDestinationSave): Promise<void> {
  await sql.query(
    `INSERT INTO "pixel_destination" ("shop", "platform", "pixel_id", "token_ciphertext", "token_hint", "test_event_code", "status", "last_error", "updated_at")
     VALUES ($1, $2, $3, $4, $5, $6, 'connected', NULL, now())
     ON CONFLICT ("shop", "platform") DO UPDATE SET "pixel_id" = EXCLUDED."pixel_id", "token_ciphertext" = EXCLUDED."token_ciphertext",
       "token_hint" = EXCLUDED."token_hint", "test_event_code" = EXCLUDED."test_event_code", "status" = 'connected', "last_error" = NULL, "updated_at" = now()`,
    [shop, destination.platform, destination.pixelId, destination.tokenCiphertext, destination.tokenHint, destination.testEventCode],
  );
}

export async function deletePixelDestination(sql: SqlExecutor, shop: string, platform: DestinationPlatform): Promise<boolean> {
  const { rows } = await sql.query(`DELETE FROM "pixel_destination" WHERE "shop" = $1 AND "platform" = $2 RETURNING 1`, [shop, platform]);
  return rows.length === 1;
}

/** Records the newest attempt on the connection: a success clears the error; `reconnect` flags a refused token. */
export async function recordDestinationAttempt(
  sql: SqlExecutor,
  shop: string,
  platform: DestinationPlatform,
  attempt: { at: Date; error: string | null; reconnect: boolean },
): Promise<void> {
  await sql.query(
    `UPDATE "pixel_destination" SET "last_error" = $3,
       "last_forwarded_at" = CASE WHEN $3::text IS NULL THEN $4::timestamp(3) ELSE "last_forwarded_at" END,
       "status" = CASE WHEN $5::boolean THEN 'reconnect' ELSE "status" END
     WHERE "shop" = $1 AND "platform" = $2`,
    [shop, platform, attempt.error, attempt.at.toISOString(), attempt.reconnect],
  );
}

export interface PendingForwardEvent {
  id: string;
  platform: string;
  eventName: string;
  eventId: string | null;
  eventTime: Date | null;
  receivedAt: Date;
  params: Record<string, unknown>;
  url: string | null;
  forwarding: "forward" | "forward_limited";
}

/** The shop's events due for forwarding that the job has not handled yet, oldest first. */
export async function listPendingForwardEvents(sql: SqlExecutor, shop: string, limit: number): Promise<PendingForwardEvent[]> {
  const { rows } = await sql.query<{
    id: string;
    platform: string;
    event_name: string;
    event_id: string | null;
    event_time: Date | null;
    received_at: Date;
    params: Record<string, unknown>;
    url: string | null;
    forwarding: "forward" | "forward_limited";
  }>(
    `SELECT "id"::text AS id, "platform", "event_name", "event_id", "event_time", "received_at", "params", "url", "forwarding"
     FROM "pixel_event" WHERE "shop" = $1 AND "forward_status" IS NULL AND "forwarding" IN ('forward', 'forward_limited')
     ORDER BY "id" LIMIT $2`,
    [shop, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    platform: row.platform,
    eventName: row.event_name,
    eventId: row.event_id,
    eventTime: row.event_time,
    receivedAt: row.received_at,
    params: row.params,
    url: row.url,
    forwarding: row.forwarding,
  }));
}

/** Marks events as handled: 'sent' stamps `forwarded_at`; 'failed' and 'no_destination' keep the reason. */
export async function markForwardEvents(
  sql: SqlExecutor,
  shop: string,
  ids: readonly string[],
  result: { status: "sent" | "failed" | "no_destination"; error: string | null; at: Date },
): Promise<void> {
  if (ids.length === 0) return;
  await sql.query(
    `UPDATE "pixel_event" SET "forward_status" = $3, "forward_error" = $4,
       "forwarded_at" = CASE WHEN $3 = 'sent' THEN $5::timestamp(3) ELSE NULL END
     WHERE "shop" = $1 AND "id" = ANY($2::bigint[])`,
    [shop, ids, result.status, result.error, result.at.toISOString()],
  );
}

/** Whether the shop connected any platform server-side (the collector asks before queueing a forwarding job). */
export async function hasPixelDestinations(sql: SqlExecutor, shop: string): Promise<boolean> {
  const { rows } = await sql.query(`SELECT 1 FROM "pixel_destination" WHERE "shop" = $1 LIMIT 1`, [shop]);
  return rows.length > 0;
}
