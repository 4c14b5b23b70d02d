import type { Database, SqlExecutor } from "../db/connection";
import type { Diagnostic } from "~/domain/channels/types";
import type { FeedTally } from "~/domain/channels/pipeline";
import { deleteBuildIssuesExcept, reconcileBuildIssues, type IssueChanges } from "./feed-issues";

/**
 * Feeds, their builds (bytes stored gzip-compressed in ordered chunks) and the diagnostics of each
 * build. Every statement is scoped by shop; token lookups are the one entry without a shop, because
 * the token is the credential (the channel fetching the feed has no session).
 */
export interface FeedRow {
  id: string;
  shop: string;
  channel: string;
  market: string;
  format: string;
  token: string;
  tokenCreatedAt: Date;
  revokedAt: Date | null;
  currentBuildId: string | null;
}

/** Selected under FeedRow's names, so rows need no mapping. */
const FEED_COLUMNS = `"id", "shop", "channel", "market", "format", "token", "token_created_at" AS "tokenCreatedAt", "revoked_at" AS "revokedAt",
  "current_build_id" AS "currentBuildId"`;

export async function listFeeds(sql: SqlExecutor, shop: string): Promise<FeedRow[]> {
  const { rows } = await sql.query<FeedRow>(`SELECT ${FEED_COLUMNS} FROM "channel_feed" WHERE "shop" = $1 ORDER BY "channel", "market"`, [shop]);
  return rows;
}

/** Creates the feed with `token` unless it exists; returns the stored feed either way. */
export async function ensureFeed(sql: SqlExecutor, shop: string, feed: { channel: string; market: string; format: string; token: string }): Promise<FeedRow> {
  await sql.query(
    `INSERT INTO "channel_feed" ("shop", "channel", "market", "format", "token") VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ("shop", "channel", "market") DO NOTHING`,
    [shop, feed.channel, feed.market, feed.format, feed.token],
  );
  const { rows } = await sql.query<FeedRow>(
    `SELECT ${FEED_COLUMNS} FROM "channel_feed" WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3`,
    [shop, feed.channel, feed.market],
  );
  const row = rows[0];
  if (!row) throw new Error(`feed ${feed.channel}/${feed.market} of ${shop} vanished while being created`);
  return row;
}

export async function findFeedByToken(sql: SqlExecutor, token: string): Promise<FeedRow | null> {
  const { rows } = await sql.query<FeedRow>(`SELECT ${FEED_COLUMNS} FROM "channel_feed" WHERE "token" = $1`, [token]);
  return rows[0] ?? null;
}

export async function setFeedToken(sql: SqlExecutor, shop: string, feedId: string, token: string): Promise<boolean> {
  const { rows } = await sql.query(
    `UPDATE "channel_feed" SET "token" = $3, "token_created_at" = now(), "revoked_at" = NULL WHERE "shop" = $1 AND "id" = $2 RETURNING 1`,
    [shop, feedId, token],
  );
  return rows.length === 1;
}

export async function revokeFeed(sql: SqlExecutor, shop: string, feedId: string): Promise<boolean> {
  const { rows } = await sql.query(`UPDATE "channel_feed" SET "revoked_at" = now() WHERE "shop" = $1 AND "id" = $2 RETURNING 1`, [shop, feedId]);
  return rows.length === 1;
}

export interface FeedBuildRow {
  id: string;
  feedId: string;
  status: string;
  startedAt: Date;
  finishedAt: Date | null;
  products: number;
  itemsTotal: number;
  itemsReady: number;
  itemsWithErrors: number;
  itemsExcluded: number;
  itemsWithWarnings: number;
  bytes: number;
  gzipBytes: number;
  etag: string | null;
  contentChangedAt: Date | null;
  error: string | null;
}

/** Selected under FeedBuildRow's names, so rows need no mapping; the bigint sizes come back as float8, which both drivers read as numbers. */
const BUILD_COLUMNS = `"id", "feed_id" AS "feedId", "status", "started_at" AS "startedAt", "finished_at" AS "finishedAt", "products", "items_total" AS "itemsTotal",
  "items_ready" AS "itemsReady", "items_with_errors" AS "itemsWithErrors", "items_excluded" AS "itemsExcluded", "items_with_warnings" AS "itemsWithWarnings",
  "bytes"::float8 AS "bytes", "gzip_bytes"::float8 AS "gzipBytes", "etag", "content_changed_at" AS "contentChangedAt", "error"`;

export async function getBuild(sql: SqlExecutor, shop: string, buildId: string): Promise<FeedBuildRow | null> {
  const { rows } = await sql.query<FeedBuildRow>(`SELECT ${BUILD_COLUMNS} FROM "feed_build" WHERE "shop" = $1 AND "id" = $2`, [shop, buildId]);
  return rows[0] ?? null;
}

/** The newest build of each feed of a shop (running or finished), for the Channels page. */
export async function latestBuilds(sql: SqlExecutor, shop: string): Promise<FeedBuildRow[]> {
  const { rows } = await sql.query<FeedBuildRow>(
    `SELECT DISTINCT ON ("feed_id") ${BUILD_COLUMNS} FROM "feed_build" WHERE "shop" = $1 ORDER BY "feed_id", "started_at" DESC`,
    [shop],
  );
  return rows;
}

export async function startBuild(sql: SqlExecutor, shop: string, feedId: string, startedAt: Date): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO "feed_build" ("shop", "feed_id", "status", "started_at") VALUES ($1, $2, 'running', $3) RETURNING "id"`,
    [shop, feedId, startedAt],
  );
  return (rows[0] as { id: string }).id;
}

/** How far running builds have read the snapshot: the dashboard's progress bar (`products` is final when the build publishes). */
export async function recordBuildProgress(sql: SqlExecutor, shop: string, buildIds: readonly string[], products: number): Promise<void> {
  if (buildIds.length === 0) return;
  await sql.query(`UPDATE "feed_build" SET "products" = $3 WHERE "shop" = $1 AND "id" = ANY($2::uuid[]) AND "status" = 'running'`, [shop, buildIds, products]);
}

export async function insertBuildChunk(sql: SqlExecutor, shop: string, buildId: string, seq: number, data: Buffer): Promise<void> {
  await sql.query(`INSERT INTO "feed_build_chunk" ("shop", "build_id", "seq", "data") VALUES ($1, $2, $3, $4)`, [shop, buildId, seq, data]);
}

/** Reads one chunk at a time so serving a 50 MB feed never holds it in memory. */
export async function readBuildChunk(sql: SqlExecutor, shop: string, buildId: string, seq: number): Promise<Buffer | null> {
  const { rows } = await sql.query<{ data: Uint8Array }>(`SELECT "data" FROM "feed_build_chunk" WHERE "shop" = $1 AND "build_id" = $2 AND "seq" = $3`, [
    shop,
    buildId,
    seq,
  ]);
  const data = rows[0]?.data;
  return data ? Buffer.from(data.buffer, data.byteOffset, data.byteLength) : null;
}

/** Diagnostics go in as one JSON parameter per batch (the same technique as the catalog writes, ADR 0009). */
export async function insertDiagnostics(sql: SqlExecutor, shop: string, buildId: string, diagnostics: Diagnostic[]): Promise<void> {
  if (diagnostics.length === 0) return;
  await sql.query(
    `INSERT INTO "channel_diagnostic" ("shop", "build_id", "channel", "market", "item_id", "product_id", "variant_id", "code", "severity",
        "field", "value", "message", "fix", "fix_target")
     SELECT $1, $2, x."channel", x."market", x."itemId", x."productId", x."variantId", x."code", x."severity", x."field", x."value",
        x."message", x."fix", x."fixTarget"
     FROM jsonb_to_recordset($3::jsonb) AS x("channel" text, "market" text, "itemId" text, "productId" text, "variantId" text, "code" text,
        "severity" text, "field" text, "value" text, "message" text, "fix" text, "fixTarget" jsonb)`,
    [shop, buildId, JSON.stringify(diagnostics)],
  );
}

export interface FinishedBuild {
  tally: FeedTally;
  bytes: number;
  gzipBytes: number;
  etag: string;
  finishedAt: Date;
}

/**
 * Makes a finished build the feed's current one, in one transaction: the feed URL, the counts and
 * the diagnostics switch together, and the feed's issues (feed_issue, source Shelfcast) are brought
 * in line with what this build found. Last-Modified only moves when the bytes changed. Older builds
 * (their chunks and diagnostics) are deleted in the same transaction.
 */
export async function publishBuild(db: Database, shop: string, feedId: string, buildId: string, finished: FinishedBuild): Promise<IssueChanges> {
  return db.transaction(async (tx) => {
    const { rows: feeds } = await tx.query<{ channel: string; market: string }>(`SELECT "channel", "market" FROM "channel_feed" WHERE "shop" = $1 AND "id" = $2`, [
      shop,
      feedId,
    ]);
    const feed = feeds[0];
    if (!feed) throw new Error(`feed ${feedId} of ${shop} vanished before its build could be published`);
    const { rows } = await tx.query<{ etag: string | null; content_changed_at: Date | null }>(
      `SELECT b."etag", b."content_changed_at" FROM "channel_feed" f JOIN "feed_build" b ON b."id" = f."current_build_id"
       WHERE f."shop" = $1 AND f."id" = $2`,
      [shop, feedId],
    );
    const previous = rows[0];
    const contentChangedAt = previous && previous.etag === finished.etag && previous.content_changed_at ? previous.content_changed_at : finished.finishedAt;
    const { tally } = finished;
    await tx.query(
      `UPDATE "feed_build" SET "status" = 'succeeded', "finished_at" = $3, "products" = $4, "items_total" = $5, "items_ready" = $6,
          "items_with_errors" = $7, "items_excluded" = $8, "items_with_warnings" = $9, "bytes" = $10, "gzip_bytes" = $11, "etag" = $12,
          "content_changed_at" = $13
       WHERE "shop" = $1 AND "id" = $2`,
      [
        shop,
        buildId,
        finished.finishedAt,
        tally.products,
        tally.itemsTotal,
        tally.itemsReady,
        tally.itemsWithErrors,
        tally.itemsExcluded,
        tally.itemsWithWarnings,
        finished.bytes,
        finished.gzipBytes,
        finished.etag,
        contentChangedAt,
      ],
    );
    await tx.query(`UPDATE "channel_feed" SET "current_build_id" = $3 WHERE "shop" = $1 AND "id" = $2`, [shop, feedId, buildId]);
    const changes = await reconcileBuildIssues(tx, shop, { buildId, channel: feed.channel, market: feed.market, seenAt: finished.finishedAt });
    await deleteBuildsOfFeedExcept(tx, shop, feedId, buildId);
    return changes;
  });
}

/** A failed build keeps its row (the reason shows on the Channels page) but drops its bytes and diagnostics. */
export async function failBuild(db: Database, shop: string, buildId: string, error: string, finishedAt: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`DELETE FROM "feed_build_chunk" WHERE "shop" = $1 AND "build_id" = $2`, [shop, buildId]);
    await tx.query(`DELETE FROM "channel_diagnostic" WHERE "shop" = $1 AND "build_id" = $2`, [shop, buildId]);
    await tx.query(`UPDATE "feed_build" SET "status" = 'failed', "error" = $3, "finished_at" = $4 WHERE "shop" = $1 AND "id" = $2`, [
      shop,
      buildId,
      error,
      finishedAt,
    ]);
  });
}

async function deleteBuildsOfFeedExcept(tx: SqlExecutor, shop: string, feedId: string, keepBuildId: string): Promise<void> {
  const { rows } = await tx.query<{ id: string }>(`SELECT "id" FROM "feed_build" WHERE "shop" = $1 AND "feed_id" = $2 AND "id" <> $3 AND "status" <> 'running'`, [
    shop,
    feedId,
    keepBuildId,
  ]);
  const ids = rows.map((row) => row.id);
  if (ids.length === 0) return;
  await tx.query(`DELETE FROM "feed_build_chunk" WHERE "shop" = $1 AND "build_id" = ANY($2::uuid[])`, [shop, ids]);
  await tx.query(`DELETE FROM "channel_diagnostic" WHERE "shop" = $1 AND "build_id" = ANY($2::uuid[])`, [shop, ids]);
  await tx.query(`DELETE FROM "feed_build" WHERE "shop" = $1 AND "id" = ANY($2::uuid[])`, [shop, ids]);
}

export interface DiagnosticRow extends Omit<Diagnostic, "fixTarget"> {
  fixTarget: unknown;
}

/** Diagnostics of the feeds' current builds for one product (product detail page). */
export async function diagnosticsForProduct(sql: SqlExecutor, shop: string, productId: string): Promise<DiagnosticRow[]> {
  const { rows } = await sql.query<DiagnosticDbRow>(
    `SELECT ${DIAGNOSTIC_COLUMNS} FROM "channel_diagnostic" d JOIN "channel_feed" f ON f."current_build_id" = d."build_id"
     WHERE d."shop" = $1 AND f."shop" = $1 AND d."product_id" = $2 ORDER BY d."channel", d."severity", d."code"`,
    [shop, productId],
  );
  return rows.map(toDiagnostic);
}

/** Counts of each diagnostic code in a feed's current build: the "top problems" of the Channels page. */
export async function topDiagnosticCodes(sql: SqlExecutor, shop: string, limit: number): Promise<{ channel: string; market: string; code: string; severity: string; items: number; example: string }[]> {
  const { rows } = await sql.query<{ channel: string; market: string; code: string; severity: string; items: number; example: string }>(
    `SELECT d."channel", d."market", d."code", d."severity", count(DISTINCT d."item_id")::int AS "items", min(d."message") AS "example"
     FROM "channel_diagnostic" d JOIN "channel_feed" f ON f."current_build_id" = d."build_id"
     WHERE d."shop" = $1 AND f."shop" = $1
     GROUP BY d."channel", d."market", d."code", d."severity"
     ORDER BY (d."severity" = 'error') DESC, "items" DESC, d."code" LIMIT $2`,
    [shop, limit],
  );
  return rows;
}

const DIAGNOSTIC_COLUMNS = `d."code", d."severity", d."channel", d."market", d."item_id", d."product_id", d."variant_id", d."field", d."value",
  d."message", d."fix", d."fix_target"`;

/** A diagnostic as stored (channel_diagnostic, feed_issue share these columns). */
export interface DiagnosticDbRow {
  code: string;
  severity: string;
  channel: string;
  market: string;
  item_id: string;
  product_id: string;
  variant_id: string | null;
  field: string;
  value: string | null;
  message: string;
  fix: string;
  fix_target: unknown;
}

export function toDiagnostic(row: DiagnosticDbRow): DiagnosticRow {
  return {
    code: row.code,
    severity: row.severity as Diagnostic["severity"],
    channel: row.channel as Diagnostic["channel"],
    market: row.market,
    itemId: row.item_id,
    productId: row.product_id,
    variantId: row.variant_id,
    field: row.field,
    value: row.value,
    message: row.message,
    fix: row.fix,
    fixTarget: row.fix_target,
  };
}

/**
 * Removes the feeds (with their builds, bytes and diagnostics) a shop no longer has: a market taken
 * out of the settings. Their URLs then answer 404, which tells the channel to stop fetching.
 */
export async function deleteFeedsExcept(db: Database, shop: string, keep: { channel: string; market: string }[]): Promise<number> {
  const keys = keep.map((feed) => `${feed.channel}|${feed.market}`);
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(
      `SELECT "id" FROM "channel_feed" WHERE "shop" = $1 AND NOT (("channel" || '|' || "market") = ANY($2::text[]))`,
      [shop, keys],
    );
    const ids = rows.map((row) => row.id);
    if (ids.length === 0) return 0;
    // Nothing will check a removed feed's items again: its open issues would never resolve.
    await deleteBuildIssuesExcept(tx, shop, keep);
    const builds = `SELECT "id" FROM "feed_build" WHERE "shop" = $1 AND "feed_id" = ANY($2::uuid[])`;
    await tx.query(`DELETE FROM "feed_build_chunk" WHERE "shop" = $1 AND "build_id" IN (${builds})`, [shop, ids]);
    await tx.query(`DELETE FROM "channel_diagnostic" WHERE "shop" = $1 AND "build_id" IN (${builds})`, [shop, ids]);
    await tx.query(`DELETE FROM "feed_build" WHERE "shop" = $1 AND "feed_id" = ANY($2::uuid[])`, [shop, ids]);
    await tx.query(`DELETE FROM "channel_feed" WHERE "shop" = $1 AND "id" = ANY($2::uuid[])`, [shop, ids]);
    return ids.length;
  });
}
