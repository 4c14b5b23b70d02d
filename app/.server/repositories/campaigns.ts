import type { Product } from "~/domain/catalog/types";
import type { SqlExecutor } from "../db/connection";

/**
 * Campaigns and posts (migration 0008, `campaign`), and the catalog reads the Campaigns page needs.
 * Rows come back unparsed where they hold merchant data (`holds`): the service validates them with
 * the rules' CampaignSchema, so a row written by an older version or by hand is reported, never
 * trusted. Every statement is scoped by shop.
 */
export interface CampaignWrite {
  id: string;
  kind: string;
  name: string;
  channels: string[];
  markets: string[];
  startsAt: Date;
  endsAt: Date;
  holds: unknown;
}

/** A stored campaign: what was written, with its timestamps. */
export interface CampaignRow extends CampaignWrite {
  createdAt: Date;
  updatedAt: Date;
}

interface CampaignDbRow {
  id: string;
  kind: string;
  name: string;
  channels: string[];
  markets: string[];
  starts_at: Date;
  ends_at: Date;
  holds: unknown;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `"id", "kind", "name", "channels", "markets", "starts_at", "ends_at", "holds", "created_at", "updated_at"`;

function toRow(row: CampaignDbRow): CampaignRow {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    channels: row.channels,
    markets: row.markets,
    startsAt: new Date(row.starts_at),
    endsAt: new Date(row.ends_at),
    holds: typeof row.holds === "string" ? (JSON.parse(row.holds) as unknown) : row.holds,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

export async function listCampaignRows(sql: SqlExecutor, shop: string): Promise<CampaignRow[]> {
  const { rows } = await sql.query<CampaignDbRow>(`SELECT ${COLUMNS} FROM "campaign" WHERE "shop" = $1 ORDER BY "starts_at", "id"`, [shop]);
  return rows.map(toRow);
}

export async function getCampaignRow(sql: SqlExecutor, shop: string, id: string): Promise<CampaignRow | null> {
  const { rows } = await sql.query<CampaignDbRow>(`SELECT ${COLUMNS} FROM "campaign" WHERE "shop" = $1 AND "id" = $2`, [shop, id]);
  return rows[0] ? toRow(rows[0]) : null;
}

export async function listCampaignIds(sql: SqlExecutor, shop: string): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(`SELECT "id" FROM "campaign" WHERE "shop" = $1`, [shop]);
  return rows.map((row) => row.id);
}


/** Creates the campaign unless its id is taken; false when it is. */
export async function insertCampaign(sql: SqlExecutor, shop: string, campaign: CampaignWrite, now: Date): Promise<boolean> {
  const { rows } = await sql.query(
    `INSERT INTO "campaign" ("shop", "id", "kind", "name", "channels", "markets", "starts_at", "ends_at", "holds", "created_at", "updated_at")
     VALUES ($1, $2, $3, $4, $5::text[], $6::text[], $7, $8, $9::jsonb, $10, $10)
     ON CONFLICT ("shop", "id") DO NOTHING RETURNING 1`,
    [shop, campaign.id, campaign.kind, campaign.name, campaign.channels, campaign.markets, campaign.startsAt, campaign.endsAt, JSON.stringify(campaign.holds), now],
  );
  return rows.length === 1;
}

/**
 * Replaces the campaign if nobody saved it since `expectedUpdatedAt` (the version the editor was
 * opened on); false when it changed or vanished meanwhile, so a second editor never silently
 * overwrites the first.
 */
export async function updateCampaign(sql: SqlExecutor, shop: string, campaign: CampaignWrite, expectedUpdatedAt: Date, now: Date): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE "campaign" SET "kind" = $3, "name" = $4, "channels" = $5::text[], "markets" = $6::text[], "starts_at" = $7, "ends_at" = $8,
       "holds" = $9::jsonb, "updated_at" = $11
     WHERE "shop" = $1 AND "id" = $2 AND date_trunc('milliseconds', "updated_at") = date_trunc('milliseconds', $10::timestamp(3))
     RETURNING 1`,
    [shop, campaign.id, campaign.kind, campaign.name, campaign.channels, campaign.markets, campaign.startsAt, campaign.endsAt, JSON.stringify(campaign.holds), expectedUpdatedAt, now],
  );
  return rows.length === 1;
}

export async function deleteCampaignRow(sql: SqlExecutor, shop: string, id: string): Promise<boolean> {
  const { rows } = await sql.query(`DELETE FROM "campaign" WHERE "shop" = $1 AND "id" = $2 RETURNING 1`, [shop, id]);
  return rows.length === 1;
}

export interface TaggedProduct {
  product: Product;
  /** When Shelfcast's copy of the product last changed. */
  syncedAt: Date;
}

/** Products of the snapshot by id (ids not in the snapshot are simply absent). */
export async function getSnapshotProducts(sql: SqlExecutor, shop: string, ids: string[]): Promise<TaggedProduct[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql.query<{ data: Product | string; synced_at: Date }>(`SELECT "data", "synced_at" FROM "product" WHERE "shop" = $1 AND "id" = ANY($2::text[])`, [shop, ids]);
  return rows.map((row) => ({ product: typeof row.data === "string" ? (JSON.parse(row.data) as Product) : row.data, syncedAt: new Date(row.synced_at) }));
}

/** The products of these variants: variant id → product id. */
export async function productIdsOfVariants(sql: SqlExecutor, shop: string, variantIds: string[]): Promise<Map<string, string>> {
  if (variantIds.length === 0) return new Map();
  const { rows } = await sql.query<{ id: string; product_id: string }>(`SELECT "id", "product_id" FROM "variant" WHERE "shop" = $1 AND "id" = ANY($2::text[])`, [shop, variantIds]);
  return new Map(rows.map((row) => [row.id, row.product_id]));
}

/** Products carrying a tag (Shopify tags are case-insensitive), by title. */
export async function productIdsWithTag(sql: SqlExecutor, shop: string, tag: string, limit: number): Promise<string[]> {
  const { rows } = await sql.query<{ id: string }>(
    `SELECT "id" FROM "product" WHERE "shop" = $1 AND EXISTS (SELECT 1 FROM unnest("tags") AS t WHERE lower(btrim(t)) = lower(btrim($2))) ORDER BY "title", "id" LIMIT $3`,
    [shop, tag, limit],
  );
  return rows.map((row) => row.id);
}

/** Titles and handles of products, for naming hold lines on the page. */
export async function productLabels(sql: SqlExecutor, shop: string, ids: string[]): Promise<Map<string, { title: string; handle: string; variantCount: number }>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<{ id: string; title: string; handle: string; variant_count: number }>(
    `SELECT "id", "title", "handle", "variant_count" FROM "product" WHERE "shop" = $1 AND "id" = ANY($2::text[])`,
    [shop, ids],
  );
  return new Map(rows.map((row) => [row.id, { title: row.title, handle: row.handle, variantCount: row.variant_count }]));
}

/** Titles of variants with their product's title, for naming hold lines on the page. */
export async function variantLabels(sql: SqlExecutor, shop: string, ids: string[]): Promise<Map<string, { productId: string; productTitle: string; title: string }>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<{ id: string; product_id: string; title: string; product_title: string }>(
    `SELECT v."id", v."product_id", v."title", p."title" AS product_title FROM "variant" v
     JOIN "product" p ON p."shop" = v."shop" AND p."id" = v."product_id"
     WHERE v."shop" = $1 AND v."id" = ANY($2::text[])`,
    [shop, ids],
  );
  return new Map(rows.map((row) => [row.id, { productId: row.product_id, productTitle: row.product_title, title: row.title }]));
}

export interface ItemStateRow {
  channel: string;
  market: string;
  itemKey: string;
  productId: string;
  itemIds: string[];
  state: string;
  inSync: boolean;
  deleting: boolean;
  lastError: string | null;
}

/** The publish outbox's records of these products (migration 0006, channel_item), every channel and market. */
export async function listItemStatesOfProducts(sql: SqlExecutor, shop: string, productIds: string[]): Promise<ItemStateRow[]> {
  if (productIds.length === 0) return [];
  const { rows } = await sql.query<{
    channel: string;
    market: string;
    item_key: string;
    product_id: string;
    item_ids: string[] | string;
    state: string;
    in_sync: boolean;
    deleting: boolean;
    last_error: string | null;
  }>(
    `SELECT "channel", "market", "item_key", "product_id", "item_ids", "state", ("desired_hash" IS NOT DISTINCT FROM "sent_hash") AS in_sync,
       ("desired_hash" IS NULL) AS deleting, "last_error"
     FROM "channel_item" WHERE "shop" = $1 AND "product_id" = ANY($2::text[])`,
    [shop, productIds],
  );
  return rows.map((row) => ({
    channel: row.channel,
    market: row.market,
    itemKey: row.item_key,
    productId: row.product_id,
    itemIds: typeof row.item_ids === "string" ? (JSON.parse(row.item_ids) as string[]) : row.item_ids,
    state: row.state,
    inSync: row.in_sync,
    deleting: row.deleting,
    lastError: row.last_error,
  }));
}

export interface LowStockRow {
  channel: string;
  market: string;
  productId: string;
  variantId: string | null;
  productTitle: string | null;
  quantity: number | null;
  message: string;
}

/**
 * The low-stock warnings (`rules.low_stock`) of the feeds' current builds: the promoted variants
 * whose quantity exposed on a channel is at or below the threshold, as the channels were told. Only
 * items still on sale there: at least one unit offered, and not held back by an error in that build
 * (a blocked promotion, a sold-out variant are other problems, listed as such elsewhere).
 */
export async function listLowStockDiagnostics(sql: SqlExecutor, shop: string, code: string, limit: number): Promise<LowStockRow[]> {
  const { rows } = await sql.query<{ channel: string; market: string; product_id: string; variant_id: string | null; title: string | null; value: string | null; message: string }>(
    `SELECT DISTINCT ON (d."channel", d."market", d."item_id") d."channel", d."market", d."product_id", d."variant_id", p."title", d."value", d."message"
     FROM "channel_diagnostic" d
     JOIN "channel_feed" f ON f."shop" = d."shop" AND f."current_build_id" = d."build_id"
     LEFT JOIN "product" p ON p."shop" = d."shop" AND p."id" = d."product_id"
     WHERE d."shop" = $1 AND d."code" = $2 AND (CASE WHEN d."value" ~ '^[0-9]{1,9}$' THEN d."value"::int ELSE 0 END) > 0
       AND NOT EXISTS (
         SELECT 1 FROM "channel_diagnostic" e
         WHERE e."shop" = d."shop" AND e."build_id" = d."build_id" AND e."severity" = 'error'
           AND (e."item_id" = d."item_id" OR (e."product_id" = d."product_id" AND (e."variant_id" IS NULL OR e."variant_id" = d."variant_id")))
       )
     ORDER BY d."channel", d."market", d."item_id"
     LIMIT $3`,
    [shop, code, limit],
  );
  return rows.map((row) => ({
    channel: row.channel,
    market: row.market,
    productId: row.product_id,
    variantId: row.variant_id,
    productTitle: row.title,
    quantity: row.value !== null && /^\d+$/.test(row.value) ? Number(row.value) : null,
    message: row.message,
  }));
}
