import type { SqlExecutor } from "../db/connection";

/**
 * A shop's channel settings and mapping rules, stored as data. Values come back unparsed
 * (`unknown`): the services validate them with the domain's zod schemas, so a row written by an
 * older version or by hand is reported, never trusted.
 */
export interface ChannelSettingsRow {
  idScheme: string;
  markets: unknown;
}

export async function getChannelSettings(sql: SqlExecutor, shop: string): Promise<ChannelSettingsRow | null> {
  const { rows } = await sql.query<{ id_scheme: string; markets: unknown }>(
    `SELECT "id_scheme", "markets" FROM "channel_settings" WHERE "shop" = $1`,
    [shop],
  );
  const row = rows[0];
  return row ? { idScheme: row.id_scheme, markets: row.markets } : null;
}

export async function saveChannelSettings(sql: SqlExecutor, shop: string, settings: { idScheme: string; markets: unknown }): Promise<void> {
  await sql.query(
    `INSERT INTO "channel_settings" ("shop", "id_scheme", "markets", "updated_at") VALUES ($1, $2, $3::jsonb, now())
     ON CONFLICT ("shop") DO UPDATE SET "id_scheme" = EXCLUDED."id_scheme", "markets" = EXCLUDED."markets", "updated_at" = now()`,
    [shop, settings.idScheme, JSON.stringify(settings.markets)],
  );
}

export interface ChannelMappingRow {
  channel: string;
  market: string;
  rules: unknown;
  revision: number;
  updatedAt: Date;
}

export async function listChannelMappings(sql: SqlExecutor, shop: string): Promise<ChannelMappingRow[]> {
  const { rows } = await sql.query<{ channel: string; market: string; rules: unknown; revision: number; updated_at: Date }>(
    `SELECT "channel", "market", "rules", "revision", "updated_at" FROM "channel_mapping" WHERE "shop" = $1 ORDER BY "channel", "market"`,
    [shop],
  );
  return rows.map((row) => ({ channel: row.channel, market: row.market, rules: row.rules, revision: row.revision, updatedAt: row.updated_at }));
}

/**
 * Saves one channel's rules if nobody saved since the editor loaded them (`expectedRevision`); the
 * second of two concurrent editors gets `false` instead of silently overwriting the first.
 */
export async function saveChannelMapping(
  sql: SqlExecutor,
  shop: string,
  mapping: { channel: string; market: string; rules: unknown; expectedRevision: number },
): Promise<boolean> {
  if (mapping.expectedRevision === 0) {
    const { rows } = await sql.query(
      `INSERT INTO "channel_mapping" ("shop", "channel", "market", "rules", "revision", "updated_at") VALUES ($1, $2, $3, $4::jsonb, 1, now())
       ON CONFLICT ("shop", "channel", "market") DO NOTHING RETURNING 1`,
      [shop, mapping.channel, mapping.market, JSON.stringify(mapping.rules)],
    );
    return rows.length === 1;
  }
  const { rows } = await sql.query(
    `UPDATE "channel_mapping" SET "rules" = $4::jsonb, "revision" = "revision" + 1, "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "revision" = $5 RETURNING 1`,
    [shop, mapping.channel, mapping.market, JSON.stringify(mapping.rules), mapping.expectedRevision],
  );
  return rows.length === 1;
}
