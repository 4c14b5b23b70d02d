import type { SqlExecutor } from "../db/connection";

/**
 * A shop's connections to the publishing channels (channel_connection, migration 0006): Meta's
 * catalog and TikTok Shop. Secrets enter and leave this module only as ciphertext; decrypting is
 * the business of app/.server/services/publishing/connections.ts.
 *
 * Timestamps are written as ISO strings cast to timestamp(3) and read back `AT TIME ZONE 'UTC'`,
 * so the instant survives whatever time zone the database session or the Node process runs in.
 */
export type ConnectionChannel = "meta" | "tiktok";
export type ConnectionStatus = "connected" | "pending" | "reconnect";

export interface ChannelConnectionRow {
  shop: string;
  channel: ConnectionChannel;
  status: ConnectionStatus;
  /** What is not secret (see the migration); the service parses it with its schema. */
  settings: Record<string, unknown>;
  secretsCiphertext: string | null;
  secretHint: string | null;
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
  lastCheckedAt: Date | null;
  lastError: string | null;
  updatedAt: Date;
}

interface ConnectionDbRow {
  shop: string;
  channel: ConnectionChannel;
  status: ConnectionStatus;
  settings: Record<string, unknown> | string;
  secrets_ciphertext: string | null;
  secret_hint: string | null;
  access_expires_at: Date | null;
  refresh_expires_at: Date | null;
  last_checked_at: Date | null;
  last_error: string | null;
  updated_at: Date;
}

const COLUMNS = `"shop", "channel", "status", "settings", "secrets_ciphertext", "secret_hint",
  "access_expires_at" AT TIME ZONE 'UTC' AS "access_expires_at", "refresh_expires_at" AT TIME ZONE 'UTC' AS "refresh_expires_at",
  "last_checked_at" AT TIME ZONE 'UTC' AS "last_checked_at", "last_error", "updated_at" AT TIME ZONE 'UTC' AS "updated_at"`;

function toRow(row: ConnectionDbRow): ChannelConnectionRow {
  return {
    shop: row.shop,
    channel: row.channel,
    status: row.status,
    settings: typeof row.settings === "string" ? (JSON.parse(row.settings) as Record<string, unknown>) : row.settings,
    secretsCiphertext: row.secrets_ciphertext,
    secretHint: row.secret_hint,
    accessExpiresAt: row.access_expires_at,
    refreshExpiresAt: row.refresh_expires_at,
    lastCheckedAt: row.last_checked_at,
    lastError: row.last_error,
    updatedAt: row.updated_at,
  };
}

function isoOrNull(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

export async function getChannelConnection(sql: SqlExecutor, shop: string, channel: ConnectionChannel): Promise<ChannelConnectionRow | null> {
  const { rows } = await sql.query<ConnectionDbRow>(`SELECT ${COLUMNS} FROM "channel_connection" WHERE "shop" = $1 AND "channel" = $2`, [shop, channel]);
  const row = rows[0];
  return row ? toRow(row) : null;
}

export async function listChannelConnections(sql: SqlExecutor, shop: string): Promise<ChannelConnectionRow[]> {
  const { rows } = await sql.query<ConnectionDbRow>(`SELECT ${COLUMNS} FROM "channel_connection" WHERE "shop" = $1 ORDER BY "channel"`, [shop]);
  return rows.map(toRow);
}

export interface ChannelConnectionSave {
  channel: ConnectionChannel;
  status: ConnectionStatus;
  settings: Record<string, unknown>;
  secretsCiphertext: string;
  secretHint: string | null;
  accessExpiresAt: Date | null;
  refreshExpiresAt: Date | null;
}

/**
 * Creates or replaces a connection's settings and secrets. The last error goes (the merchant just
 * acted on it); a pending OAuth state is left alone (setOAuthState owns it).
 */
export async function saveChannelConnection(sql: SqlExecutor, shop: string, connection: ChannelConnectionSave): Promise<void> {
  await sql.query(
    `INSERT INTO "channel_connection" ("shop", "channel", "status", "settings", "secrets_ciphertext", "secret_hint", "access_expires_at", "refresh_expires_at",
        "last_error", "updated_at")
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::timestamp(3), $8::timestamp(3), NULL, now())
     ON CONFLICT ("shop", "channel") DO UPDATE SET "status" = EXCLUDED."status", "settings" = EXCLUDED."settings",
       "secrets_ciphertext" = EXCLUDED."secrets_ciphertext", "secret_hint" = EXCLUDED."secret_hint", "access_expires_at" = EXCLUDED."access_expires_at",
       "refresh_expires_at" = EXCLUDED."refresh_expires_at", "last_error" = NULL, "updated_at" = now()`,
    [
      shop,
      connection.channel,
      connection.status,
      JSON.stringify(connection.settings),
      connection.secretsCiphertext,
      connection.secretHint,
      isoOrNull(connection.accessExpiresAt),
      isoOrNull(connection.refreshExpiresAt),
    ],
  );
}

/** Merges keys into the settings (a shallow JSON merge: a key given replaces the stored one). */
export async function mergeConnectionSettings(sql: SqlExecutor, shop: string, channel: ConnectionChannel, patch: Record<string, unknown>): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE "channel_connection" SET "settings" = "settings" || $3::jsonb, "updated_at" = now() WHERE "shop" = $1 AND "channel" = $2 RETURNING 1`,
    [shop, channel, JSON.stringify(patch)],
  );
  return rows.length === 1;
}

/**
 * Records the outcome of a check or a call: `status` when given replaces the stored one, the error
 * replaces the last one (null clears it).
 */
export async function updateConnectionStatus(
  sql: SqlExecutor,
  shop: string,
  channel: ConnectionChannel,
  update: { status?: ConnectionStatus; lastError: string | null; checkedAt: Date },
): Promise<void> {
  await sql.query(
    `UPDATE "channel_connection" SET "status" = COALESCE($3, "status"), "last_error" = $4, "last_checked_at" = $5::timestamp(3), "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2`,
    [shop, channel, update.status ?? null, update.lastError, update.checkedAt.toISOString()],
  );
}

/** Stores new OAuth tokens (an exchange or a refresh): the connection is usable again. */
export async function saveConnectionTokens(
  sql: SqlExecutor,
  shop: string,
  channel: ConnectionChannel,
  tokens: { secretsCiphertext: string; accessExpiresAt: Date; refreshExpiresAt: Date; settingsPatch?: Record<string, unknown> },
): Promise<void> {
  await sql.query(
    `UPDATE "channel_connection" SET "secrets_ciphertext" = $3, "access_expires_at" = $4::timestamp(3), "refresh_expires_at" = $5::timestamp(3),
       "settings" = "settings" || $6::jsonb, "status" = 'connected', "last_error" = NULL, "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2`,
    [shop, channel, tokens.secretsCiphertext, tokens.accessExpiresAt.toISOString(), tokens.refreshExpiresAt.toISOString(), JSON.stringify(tokens.settingsPatch ?? {})],
  );
}

/**
 * Remembers an authorisation in progress: `stateHash` is what the callback's state must hash to,
 * `expiresAt` when it stops being accepted (kept in the settings, as the table has no column for it).
 */
export async function setOAuthState(sql: SqlExecutor, shop: string, channel: ConnectionChannel, stateHash: string, expiresAt: Date): Promise<void> {
  await sql.query(
    `UPDATE "channel_connection" SET "oauth_state" = $3, "settings" = "settings" || jsonb_build_object('oauthStateExpiresAt', $4::text), "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2`,
    [shop, channel, stateHash, expiresAt.toISOString()],
  );
}

/** The connection waiting for this OAuth state (the callback knows no shop: the state names it). */
export async function findByOAuthState(sql: SqlExecutor, stateHash: string): Promise<ChannelConnectionRow | null> {
  const { rows } = await sql.query<ConnectionDbRow>(`SELECT ${COLUMNS} FROM "channel_connection" WHERE "oauth_state" = $1`, [stateHash]);
  const row = rows[0];
  return row ? toRow(row) : null;
}

/**
 * Forgets an OAuth state. True only for the one caller that found it still set, which makes the
 * state single-use even when the callback arrives twice at once.
 */
export async function clearOAuthState(sql: SqlExecutor, shop: string, channel: ConnectionChannel, stateHash: string): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE "channel_connection" SET "oauth_state" = NULL, "settings" = "settings" - 'oauthStateExpiresAt', "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2 AND "oauth_state" = $3 RETURNING 1`,
    [shop, channel, stateHash],
  );
  return rows.length === 1;
}

/**
 * The TikTok connections that selected this TikTok shop (a webhook names the TikTok shop, not ours).
 * Usually one; two Shopify shops could in principle sell through the same TikTok shop.
 */
export async function findTikTokByShopId(sql: SqlExecutor, tiktokShopId: string): Promise<ChannelConnectionRow[]> {
  const { rows } = await sql.query<ConnectionDbRow>(
    `SELECT ${COLUMNS} FROM "channel_connection" WHERE "channel" = 'tiktok' AND "settings"->>'shopId' = $1 ORDER BY "shop"`,
    [tiktokShopId],
  );
  return rows.map(toRow);
}

export async function deleteChannelConnection(sql: SqlExecutor, shop: string, channel: ConnectionChannel): Promise<boolean> {
  const { rows } = await sql.query(`DELETE FROM "channel_connection" WHERE "shop" = $1 AND "channel" = $2 RETURNING 1`, [shop, channel]);
  return rows.length === 1;
}

// What the TikTok mapping tables offer, read from the catalog snapshot (product.data / variant.data
// hold the normalised Product and Variant of app/domain/catalog/types.ts).

export interface CatalogLocation {
  id: string;
  name: string;
  /** Variants stocked (a level recorded) at this location. */
  variants: number;
}

/** The Shopify locations the snapshot's inventory levels mention, busiest first. */
export async function listCatalogLocations(sql: SqlExecutor, shop: string): Promise<CatalogLocation[]> {
  const { rows } = await sql.query<{ id: string; name: string | null; variants: number }>(
    `SELECT level->>'locationId' AS id, max(level->>'locationName') AS name, count(*)::int AS variants
     FROM "variant" v, jsonb_array_elements(COALESCE(v."data"->'inventoryItem'->'levels', '[]'::jsonb)) AS level
     WHERE v."shop" = $1 AND level->>'locationId' IS NOT NULL
     GROUP BY 1 ORDER BY 3 DESC, 2`,
    [shop],
  );
  return rows.map((row) => ({ id: row.id, name: row.name ?? row.id, variants: row.variants }));
}

export interface CatalogCategory {
  id: string;
  fullName: string;
  products: number;
}

/** The Shopify taxonomy categories the snapshot's products use, most products first. */
export async function listCatalogCategories(sql: SqlExecutor, shop: string): Promise<{ categories: CatalogCategory[]; uncategorised: number }> {
  const { rows } = await sql.query<{ id: string | null; full_name: string | null; products: number }>(
    `SELECT "data"->'category'->>'id' AS id, max("data"->'category'->>'fullName') AS full_name, count(*)::int AS products
     FROM "product" WHERE "shop" = $1 GROUP BY 1 ORDER BY 3 DESC, 2`,
    [shop],
  );
  const uncategorised = rows.find((row) => row.id === null)?.products ?? 0;
  const categories = rows.flatMap((row) => (row.id === null ? [] : [{ id: row.id, fullName: row.full_name ?? row.id, products: row.products }]));
  return { categories, uncategorised };
}

/** A product title of this category, for TikTok's category recommendation (it reads titles). Active products first. */
export async function sampleTitleInCategory(sql: SqlExecutor, shop: string, categoryId: string): Promise<string | null> {
  const { rows } = await sql.query<{ title: string }>(
    `SELECT "title" FROM "product" WHERE "shop" = $1 AND "data"->'category'->>'id' = $2 ORDER BY "status" = 'ACTIVE' DESC, "title" LIMIT 1`,
    [shop, categoryId],
  );
  return rows[0]?.title ?? null;
}
