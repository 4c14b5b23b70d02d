import type { DesiredItem } from "~/domain/publishing/desired-state";
import type { DueItem, ItemOutcome } from "../channels/publisher";
import type { Database, SqlExecutor } from "../db/connection";

/**
 * The publish outbox (migration 0006, channel_item): per shop, channel and market, what each record
 * should look like on the channel and what the channel last acknowledged. A row is due while its
 * desired hash differs from its sent hash; sending and recording the answer are idempotent, so a
 * crash anywhere between them only means the same logical write is sent again.
 */
export interface CatalogRef {
  shop: string;
  channel: string;
  market: string;
}

export type ItemState = "pending" | "live" | "rejected" | "dead";

/**
 * The sent hash of a record retired while a write of it went out unanswered (create_started_at): the
 * channel may hold it although it never said so. Against the retired record's NULL desired hash it
 * makes the row due, so the record is deleted on the channel instead of forgotten, and the due scan
 * keeps its partial index (channel_item_due_idx). Never a real hash (those are hex); readers of the
 * outbox see it as "nothing acknowledged" (toDueItem, listAcknowledgedItems).
 */
const UNANSWERED_WRITE = "unanswered-write";

/**
 * Records the desired state of these records. Rows whose content did not change are left alone (no
 * write amplification on a full pass); a changed row becomes due again with its retry count reset.
 * Returns how many rows became due.
 */
export async function upsertDesiredItems(sql: SqlExecutor, ref: CatalogRef, items: DesiredItem[]): Promise<number> {
  if (items.length === 0) return 0;
  const records = items.map((item) => ({
    item_key: item.key,
    product_id: item.productId,
    item_ids: item.itemIds,
    desired_hash: item.hash,
    desired_stock_hash: item.stockHash,
    desired_price_hash: item.priceHash,
    desired_payload: item.payload,
  }));
  const { rows } = await sql.query<{ n: number }>(
    `WITH changed AS (
       INSERT INTO "channel_item" AS ci ("shop", "channel", "market", "item_key", "product_id", "item_ids", "desired_hash", "desired_stock_hash",
         "desired_price_hash", "desired_payload", "state", "updated_at")
       SELECT $1, $2, $3, r.item_key, r.product_id, r.item_ids, r.desired_hash, r.desired_stock_hash, r.desired_price_hash, r.desired_payload, 'pending', now()
       FROM jsonb_to_recordset($4::jsonb) AS r(item_key text, product_id text, item_ids jsonb, desired_hash text, desired_stock_hash text,
         desired_price_hash text, desired_payload jsonb)
       ON CONFLICT ("shop", "channel", "market", "item_key") DO UPDATE SET
         "product_id" = EXCLUDED."product_id", "item_ids" = EXCLUDED."item_ids", "desired_hash" = EXCLUDED."desired_hash",
         "desired_stock_hash" = EXCLUDED."desired_stock_hash", "desired_price_hash" = EXCLUDED."desired_price_hash",
         "desired_payload" = EXCLUDED."desired_payload",
         "state" = CASE WHEN EXCLUDED."desired_hash" IS NOT DISTINCT FROM ci."sent_hash" THEN ci."state" ELSE 'pending' END,
         "attempts" = 0, "next_attempt_at" = NULL, "last_error" = NULL, "updated_at" = now()
       WHERE ci."desired_hash" IS DISTINCT FROM EXCLUDED."desired_hash"
       RETURNING ("desired_hash" IS DISTINCT FROM "sent_hash") AS due
     )
     SELECT count(*) FILTER (WHERE due)::int AS n FROM changed`,
    [ref.shop, ref.channel, ref.market, JSON.stringify(records)],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Marks for deletion the records of a catalog that are no longer wanted: every row not in `keepKeys`
 * (a full pass), or, with `productIds`, only rows of those products (a pass over a few products).
 * Rows the channel never acknowledged and no write of which went out are simply removed: there is
 * nothing to delete there. A row whose write went out unanswered becomes due for a delete
 * (UNANSWERED_WRITE) and keeps its last wanted content: a TikTok product can only be found by it
 * (listDueItems' `retiredPayload`).
 */
export async function retireItemsExcept(sql: SqlExecutor, ref: CatalogRef, keepKeys: string[], productIds?: string[]): Promise<number> {
  const scope = productIds ? `AND "product_id" = ANY($5::text[])` : "";
  const params: unknown[] = [ref.shop, ref.channel, ref.market, keepKeys];
  if (productIds) params.push(productIds);
  await sql.query(
    `DELETE FROM "channel_item" WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND NOT ("item_key" = ANY($4::text[])) ${scope}
       AND "sent_hash" IS NULL AND "remote_id" IS NULL AND "create_started_at" IS NULL`,
    params,
  );
  const { rows } = await sql.query(
    `UPDATE "channel_item" SET "desired_hash" = NULL, "desired_stock_hash" = NULL, "desired_price_hash" = NULL,
       "desired_payload" = CASE WHEN "create_started_at" IS NOT NULL AND "remote_id" IS NULL THEN "desired_payload" END,
       "sent_hash" = CASE WHEN "sent_hash" IS NULL AND "create_started_at" IS NOT NULL THEN '${UNANSWERED_WRITE}' ELSE "sent_hash" END,
       "state" = 'pending', "attempts" = 0, "next_attempt_at" = NULL, "last_error" = NULL, "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND NOT ("item_key" = ANY($4::text[])) ${scope} AND "desired_hash" IS NOT NULL
     RETURNING 1`,
    params,
  );
  return rows.length;
}

interface ItemDbRow {
  item_key: string;
  product_id: string;
  item_ids: string[] | string;
  desired_hash: string | null;
  desired_stock_hash: string | null;
  desired_price_hash: string | null;
  desired_payload: Record<string, unknown> | string | null;
  sent_hash: string | null;
  sent_stock_hash: string | null;
  sent_price_hash: string | null;
  remote_id: string | null;
  remote_skus: Record<string, string> | string | null;
  create_started_at: Date | null;
  attempts: number;
}

const ITEM_COLUMNS = `"item_key", "product_id", "item_ids", "desired_hash", "desired_stock_hash", "desired_price_hash", "desired_payload",
  "sent_hash", "sent_stock_hash", "sent_price_hash", "remote_id", "remote_skus", "create_started_at", "attempts"`;

function json<T>(value: T | string): T {
  return typeof value === "string" ? (JSON.parse(value) as T) : value;
}

/**
 * A due row. `retiredPayload`: the content last wanted of a record that should no longer exist while a
 * create of it went out unanswered (the publish engine resolves that create before deleting).
 */
export type DueRow = DueItem & { attempts: number; retiredPayload: Record<string, unknown> | null };

function toDueItem(row: ItemDbRow): DueRow {
  return {
    key: row.item_key,
    productId: row.product_id,
    itemIds: json(row.item_ids),
    desired:
      row.desired_hash === null || row.desired_payload === null
        ? null
        : { hash: row.desired_hash, stockHash: row.desired_stock_hash, priceHash: row.desired_price_hash, payload: json(row.desired_payload) },
    sent: {
      hash: row.sent_hash === UNANSWERED_WRITE ? null : row.sent_hash,
      stockHash: row.sent_stock_hash,
      priceHash: row.sent_price_hash,
      remoteId: row.remote_id,
      remoteSkus: row.remote_skus === null ? null : json(row.remote_skus),
      createStartedAt: row.create_started_at,
    },
    attempts: row.attempts,
    retiredPayload: row.desired_hash === null && row.desired_payload !== null && row.create_started_at !== null ? json(row.desired_payload) : null,
  };
}

/** Due rows of one catalog whose retry time has come, in key order, after `afterKey`. */
export async function listDueItems(sql: SqlExecutor, ref: CatalogRef, options: { limit: number; now: Date; afterKey?: string }): Promise<DueRow[]> {
  const { rows } = await sql.query<ItemDbRow>(
    `SELECT ${ITEM_COLUMNS} FROM "channel_item"
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "desired_hash" IS DISTINCT FROM "sent_hash" AND "state" <> 'dead'
       AND ("next_attempt_at" IS NULL OR "next_attempt_at" <= $4) AND "item_key" > $5
     ORDER BY "item_key" LIMIT $6`,
    [ref.shop, ref.channel, ref.market, options.now, options.afterKey ?? "", options.limit],
  );
  return rows.map(toDueItem);
}

/** How many rows are due now, and when the earliest waiting retry falls due (null when none waits). */
export async function countDueItems(sql: SqlExecutor, ref: CatalogRef, now: Date): Promise<{ dueNow: number; nextRetryAt: Date | null }> {
  const { rows } = await sql.query<{ due_now: number; next_retry_at: Date | null }>(
    `SELECT count(*) FILTER (WHERE "next_attempt_at" IS NULL OR "next_attempt_at" <= $4)::int AS due_now,
            min("next_attempt_at") FILTER (WHERE "next_attempt_at" > $4) AS next_retry_at
     FROM "channel_item"
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "desired_hash" IS DISTINCT FROM "sent_hash" AND "state" <> 'dead'`,
    [ref.shop, ref.channel, ref.market, now],
  );
  const row = rows[0];
  return { dueNow: row?.due_now ?? 0, nextRetryAt: row?.next_retry_at ? new Date(row.next_retry_at) : null };
}

/**
 * Records that a write of these rows is about to go out (a TikTok create; a Meta write of an item Meta
 * never acknowledged): until the answer is recorded, the channel may hold the record without Shelfcast
 * knowing, so a retry looks it up first and a retirement deletes it there (UNANSWERED_WRITE).
 */
export async function markCreateStarted(sql: SqlExecutor, ref: CatalogRef, keys: string[], now: Date): Promise<void> {
  if (keys.length === 0) return;
  await sql.query(
    `UPDATE "channel_item" SET "create_started_at" = $5, "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "item_key" = ANY($4::text[]) AND "create_started_at" IS NULL`,
    [ref.shop, ref.channel, ref.market, keys, now],
  );
}

/** The content a publish sent, so the outcome records exactly what the channel acknowledged. */
export interface SentContent {
  hash: string | null;
  stockHash: string | null;
  priceHash: string | null;
}

export interface OutcomePolicy {
  now: Date;
  /** Retries before a transient failure becomes a dead letter. */
  maxAttempts: number;
  /** The wait before the next attempt of an item that failed `attempts` times. */
  retryDelayMs(attempts: number, suggestedMs: number | undefined): number;
}

/**
 * Records what the channel answered, in one transaction of a few set-based statements (a Meta call
 * answers for 5,000 records). `sent` holds, per key, the content that was sent: a row whose desired
 * content changed meanwhile stays due because its new hash differs.
 */
export async function recordOutcomes(db: Database, ref: CatalogRef, outcomes: ItemOutcome[], sent: Map<string, SentContent>, policy: OutcomePolicy): Promise<void> {
  if (outcomes.length === 0) return;
  const params = [ref.shop, ref.channel, ref.market];
  const acknowledged = outcomes.flatMap((outcome) => {
    if (outcome.kind !== "live" && outcome.kind !== "rejected") return [];
    const content = sent.get(outcome.key) ?? { hash: null, stockHash: null, priceHash: null };
    return [
      {
        key: outcome.key,
        state: outcome.kind,
        hash: content.hash,
        stock_hash: content.stockHash,
        price_hash: content.priceHash,
        remote_id: outcome.remoteId ?? null,
        remote_skus: outcome.remoteSkus ?? null,
        handle: outcome.handle ?? null,
      },
    ];
  });
  const deleted = outcomes.filter((outcome) => outcome.kind === "deleted").map((outcome) => outcome.key);
  const dead = outcomes.flatMap((outcome) => (outcome.kind === "dead" ? [{ key: outcome.key, reason: outcome.reason }] : []));
  const retries = outcomes.flatMap((outcome) => (outcome.kind === "retry" ? [outcome] : []));

  await db.transaction(async (tx) => {
    if (acknowledged.length > 0) {
      await tx.query(
        `UPDATE "channel_item" AS ci SET "sent_hash" = a.hash, "sent_stock_hash" = a.stock_hash, "sent_price_hash" = a.price_hash, "state" = a.state,
           "remote_id" = COALESCE(a.remote_id, ci."remote_id"), "remote_skus" = COALESCE(a.remote_skus, ci."remote_skus"),
           "last_handle" = COALESCE(a.handle, ci."last_handle"), "create_started_at" = NULL, "attempts" = 0, "next_attempt_at" = NULL,
           "last_error" = NULL, "published_at" = $5, "updated_at" = now()
         FROM jsonb_to_recordset($4::jsonb) AS a(key text, state text, hash text, stock_hash text, price_hash text, remote_id text, remote_skus jsonb, handle text)
         WHERE ci."shop" = $1 AND ci."channel" = $2 AND ci."market" = $3 AND ci."item_key" = a.key`,
        [...params, JSON.stringify(acknowledged), policy.now],
      );
    }
    if (deleted.length > 0) {
      // Gone from the channel. A record wanted again meanwhile is sent afresh.
      await tx.query(`DELETE FROM "channel_item" WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "item_key" = ANY($4::text[]) AND "desired_hash" IS NULL`, [
        ...params,
        deleted,
      ]);
      await tx.query(
        `UPDATE "channel_item" SET "sent_hash" = NULL, "sent_stock_hash" = NULL, "sent_price_hash" = NULL, "state" = 'pending', "updated_at" = now()
         WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "item_key" = ANY($4::text[])`,
        [...params, deleted],
      );
    }
    if (dead.length > 0) {
      await tx.query(
        `UPDATE "channel_item" AS ci SET "state" = 'dead', "last_error" = d.reason, "next_attempt_at" = NULL, "updated_at" = now()
         FROM jsonb_to_recordset($4::jsonb) AS d(key text, reason text)
         WHERE ci."shop" = $1 AND ci."channel" = $2 AND ci."market" = $3 AND ci."item_key" = d.key`,
        [...params, JSON.stringify(dead)],
      );
    }
    if (retries.length > 0) {
      const { rows } = await tx.query<{ item_key: string; attempts: number }>(
        `SELECT "item_key", "attempts" FROM "channel_item" WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "item_key" = ANY($4::text[])`,
        [...params, retries.map((outcome) => outcome.key)],
      );
      const attemptsSoFar = new Map(rows.map((row) => [row.item_key, row.attempts]));
      const updates = retries.map((outcome) => {
        const attempts = (attemptsSoFar.get(outcome.key) ?? 0) + 1;
        const giveUp = attempts >= policy.maxAttempts;
        return {
          key: outcome.key,
          attempts,
          next_at: giveUp ? null : new Date(policy.now.getTime() + policy.retryDelayMs(attempts, outcome.waitMs)).toISOString(),
          reason: giveUp ? `Gave up after ${attempts} attempts: ${outcome.reason}` : outcome.reason,
          state: giveUp ? "dead" : "pending",
        };
      });
      await tx.query(
        `UPDATE "channel_item" AS ci SET "attempts" = r.attempts, "next_attempt_at" = r.next_at, "last_error" = r.reason, "state" = r.state, "updated_at" = now()
         FROM jsonb_to_recordset($4::jsonb) AS r(key text, attempts int, next_at timestamptz, reason text, state text)
         WHERE ci."shop" = $1 AND ci."channel" = $2 AND ci."market" = $3 AND ci."item_key" = r.key`,
        [...params, JSON.stringify(updates)],
      );
    }
  });
}

/** Retry from the dead-letter list: the rows become due again with a fresh retry budget. */
export async function reviveDeadItems(sql: SqlExecutor, shop: string, channel: string, keys?: string[]): Promise<number> {
  const { rows } = await sql.query(
    `UPDATE "channel_item" SET "state" = 'pending', "attempts" = 0, "next_attempt_at" = NULL, "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2 AND "state" = 'dead' ${keys ? `AND "item_key" = ANY($3::text[])` : ""} RETURNING 1`,
    keys ? [shop, channel, keys] : [shop, channel],
  );
  return rows.length;
}

/** The channel no longer holds this record (read-back drift): send it again. */
export async function markItemsMissing(sql: SqlExecutor, ref: CatalogRef, keys: string[]): Promise<number> {
  if (keys.length === 0) return 0;
  const { rows } = await sql.query(
    `UPDATE "channel_item" SET "sent_hash" = NULL, "sent_stock_hash" = NULL, "sent_price_hash" = NULL, "remote_id" = NULL, "remote_skus" = NULL,
       "state" = 'pending', "attempts" = 0, "next_attempt_at" = NULL, "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "item_key" = ANY($4::text[]) AND "desired_hash" IS NOT NULL RETURNING 1`,
    [ref.shop, ref.channel, ref.market, keys],
  );
  return rows.length;
}

export interface ItemStateChange {
  key: string;
  productId: string;
  itemIds: string[];
  from: "live" | "rejected";
  to: "live" | "rejected";
}

/**
 * A read-back verdict: live or rejected by the channel's review (only for rows the channel
 * acknowledged). Returns the rows whose state changed (the timeline records each change).
 */
export async function setItemStates(sql: SqlExecutor, ref: CatalogRef, states: { key: string; state: "live" | "rejected" }[]): Promise<ItemStateChange[]> {
  if (states.length === 0) return [];
  const { rows } = await sql.query<{ item_key: string; product_id: string; item_ids: string[] | string; to_state: "live" | "rejected" }>(
    `UPDATE "channel_item" AS ci SET "state" = s.state, "updated_at" = now()
     FROM jsonb_to_recordset($4::jsonb) AS s(key text, state text)
     WHERE ci."shop" = $1 AND ci."channel" = $2 AND ci."market" = $3 AND ci."item_key" = s.key
       AND ci."state" IN ('live', 'rejected') AND ci."state" <> s.state AND ci."desired_hash" IS NOT DISTINCT FROM ci."sent_hash"
     RETURNING ci."item_key", ci."product_id", ci."item_ids", s.state AS "to_state"`,
    [ref.shop, ref.channel, ref.market, JSON.stringify(states)],
  );
  // Only live ⇄ rejected rows are updated, so the state before is the other one.
  return rows.map((row) => ({ key: row.item_key, productId: row.product_id, itemIds: json(row.item_ids), from: row.to_state === "live" ? "rejected" : "live", to: row.to_state }));
}

export interface AcknowledgedItem {
  key: string;
  productId: string;
  itemIds: string[];
  remoteId: string | null;
}

/** Records the channel acknowledged, in key order after `afterKey` (the read-back walks them page by page). */
export async function listAcknowledgedItems(sql: SqlExecutor, ref: CatalogRef, options: { limit: number; afterKey?: string; keys?: string[] }): Promise<AcknowledgedItem[]> {
  const { rows } = await sql.query<{ item_key: string; product_id: string; item_ids: string[] | string; remote_id: string | null }>(
    `SELECT "item_key", "product_id", "item_ids", "remote_id" FROM "channel_item"
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "sent_hash" IS NOT NULL AND "sent_hash" <> '${UNANSWERED_WRITE}' AND "item_key" > $4
       ${options.keys ? `AND "item_key" = ANY($6::text[])` : ""}
     ORDER BY "item_key" LIMIT $5`,
    options.keys ? [ref.shop, ref.channel, ref.market, options.afterKey ?? "", options.limit, options.keys] : [ref.shop, ref.channel, ref.market, options.afterKey ?? "", options.limit],
  );
  return rows.map((row) => ({ key: row.item_key, productId: row.product_id, itemIds: json(row.item_ids), remoteId: row.remote_id }));
}

/** The record holding a TikTok product id (webhooks name products by TikTok's id). */
export async function findItemByRemoteId(sql: SqlExecutor, shop: string, channel: string, remoteId: string): Promise<(CatalogRef & { key: string }) | null> {
  const { rows } = await sql.query<{ market: string; item_key: string }>(
    `SELECT "market", "item_key" FROM "channel_item" WHERE "shop" = $1 AND "channel" = $2 AND "remote_id" = $3 LIMIT 1`,
    [shop, channel, remoteId],
  );
  const row = rows[0];
  return row ? { shop, channel, market: row.market, key: row.item_key } : null;
}

export interface ItemStateCounts {
  channel: string;
  market: string;
  live: number;
  pending: number;
  rejected: number;
  dead: number;
  /** Records waiting for a delete on the channel. */
  deleting: number;
}

export async function countItemStates(sql: SqlExecutor, shop: string): Promise<ItemStateCounts[]> {
  const { rows } = await sql.query<{ channel: string; market: string; live: number; pending: number; rejected: number; dead: number; deleting: number }>(
    `SELECT "channel", "market",
       count(*) FILTER (WHERE "state" = 'live' AND "desired_hash" IS NOT DISTINCT FROM "sent_hash")::int AS live,
       count(*) FILTER (WHERE "state" <> 'dead' AND "desired_hash" IS DISTINCT FROM "sent_hash")::int AS pending,
       count(*) FILTER (WHERE "state" = 'rejected' AND "desired_hash" IS NOT DISTINCT FROM "sent_hash")::int AS rejected,
       count(*) FILTER (WHERE "state" = 'dead')::int AS dead,
       count(*) FILTER (WHERE "desired_hash" IS NULL)::int AS deleting
     FROM "channel_item" WHERE "shop" = $1 GROUP BY "channel", "market" ORDER BY "channel", "market"`,
    [shop],
  );
  return rows;
}

export interface DeadItemRow {
  channel: string;
  market: string;
  key: string;
  productId: string;
  reason: string;
  attempts: number;
  updatedAt: Date;
}

/** The dead-letter list: errors that will not heal by themselves, with the reason. */
export async function listDeadItems(sql: SqlExecutor, shop: string, limit: number): Promise<DeadItemRow[]> {
  const { rows } = await sql.query<{ channel: string; market: string; item_key: string; product_id: string; last_error: string | null; attempts: number; updated_at: Date }>(
    `SELECT "channel", "market", "item_key", "product_id", "last_error", "attempts", "updated_at" FROM "channel_item"
     WHERE "shop" = $1 AND "state" = 'dead' ORDER BY "updated_at" DESC LIMIT $2`,
    [shop, limit],
  );
  return rows.map((row) => ({
    channel: row.channel,
    market: row.market,
    key: row.item_key,
    productId: row.product_id,
    reason: row.last_error ?? "unknown",
    attempts: row.attempts,
    updatedAt: row.updated_at,
  }));
}

export interface ProductItemRow extends CatalogRef {
  key: string;
  itemIds: string[];
  state: ItemState;
  /** The desired content differs from what the channel acknowledged: a publish is due. */
  due: boolean;
  /** The record should no longer exist on the channel (a delete is due or under way). */
  retiring: boolean;
  desiredPayload: Record<string, unknown> | null;
  remoteId: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  lastError: string | null;
  publishedAt: Date | null;
  updatedAt: Date;
}

/** Every record of one product on every channel (the support bundle); hashes stay out, payloads stay in. */
export async function listItemsForProduct(sql: SqlExecutor, shop: string, productId: string): Promise<ProductItemRow[]> {
  const { rows } = await sql.query<{
    channel: string;
    market: string;
    item_key: string;
    item_ids: string[] | string;
    state: ItemState;
    due: boolean;
    retiring: boolean;
    desired_payload: Record<string, unknown> | string | null;
    remote_id: string | null;
    attempts: number;
    next_attempt_at: Date | null;
    last_error: string | null;
    published_at: Date | null;
    updated_at: Date;
  }>(
    `SELECT "channel", "market", "item_key", "item_ids", "state", ("desired_hash" IS DISTINCT FROM "sent_hash") AS "due", ("desired_hash" IS NULL) AS "retiring",
       "desired_payload", "remote_id", "attempts", "next_attempt_at", "last_error", "published_at", "updated_at"
     FROM "channel_item" WHERE "shop" = $1 AND "product_id" = $2 ORDER BY "channel", "market", "item_key"`,
    [shop, productId],
  );
  return rows.map((row) => ({
    shop,
    channel: row.channel,
    market: row.market,
    key: row.item_key,
    itemIds: json(row.item_ids),
    state: row.state,
    due: row.due,
    retiring: row.retiring,
    desiredPayload: row.desired_payload === null ? null : json(row.desired_payload),
    remoteId: row.remote_id,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    publishedAt: row.published_at,
    updatedAt: row.updated_at,
  }));
}

/**
 * "Re-publish" from the feed issues: these records are sent again in full on the next publish, as if
 * the channel had never acknowledged them (their sent hash is forgotten), with a fresh retry
 * budget. `itemIds` are record keys or item ids (a TikTok SKU names its product's record). Records
 * waiting to be deleted are left alone: forgetting their sent hash would cancel the delete.
 */
export async function markItemsDue(sql: SqlExecutor, ref: CatalogRef, itemIds: string[]): Promise<number> {
  if (itemIds.length === 0) return 0;
  const { rows } = await sql.query(
    `UPDATE "channel_item" SET "sent_hash" = NULL, "state" = 'pending', "attempts" = 0, "next_attempt_at" = NULL, "updated_at" = now()
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "desired_hash" IS NOT NULL
       AND ("item_key" = ANY($4::text[]) OR "item_ids" ?| $4::text[])
     RETURNING 1`,
    [ref.shop, ref.channel, ref.market, itemIds],
  );
  return rows.length;
}
