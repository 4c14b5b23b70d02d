import type { Diagnostic, FixTarget, Severity } from "~/domain/channels/types";
import { CHANNEL_SHORT_LABELS, type IssueSource } from "~/domain/issues/labels";
import type { SqlExecutor } from "../db/connection";

/**
 * Feed issues (migration 0009, feed_issue): every problem of every item on every channel, found by
 * Shelfcast's checks (reconciled when a feed build is published) or reported by the channel (see
 * channel-verdicts.ts), open or resolved. Each opening and resolution is also written to
 * product_event, one row per item and code, for product timelines and the dashboard's chart.
 *
 * Every statement is scoped by shop. Writes are set-based: a build may hold 200,000 problems.
 */

export const ISSUE_STATES = ["open", "resolved"] as const;
export type IssueState = (typeof ISSUE_STATES)[number];

export interface IssueFilters {
  state: IssueState;
  channel?: string[];
  severity?: Severity[];
  code?: string[];
  source?: IssueSource[];
  vendor?: string[];
  productType?: string[];
  /** Any of these collection GIDs. */
  collection?: string[];
  /** First seen at or after. */
  firstSeenFrom?: Date;
  /** First seen before. */
  firstSeenBefore?: Date;
  /** Substring of the product title, SKU, item id or numeric variant id, any case. */
  query?: string;
}

export interface IssuePageRequest {
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface IssueRow {
  /** A stable handle for screens (the key is six columns). */
  id: string;
  channel: string;
  market: string;
  source: IssueSource;
  itemId: string;
  itemKey: string;
  code: string;
  productId: string;
  variantId: string | null;
  severity: Severity;
  field: string;
  value: string | null;
  message: string;
  fix: string;
  fixTarget: FixTarget;
  productTitle: string;
  sku: string | null;
  vendor: string | null;
  productType: string | null;
  collectionIds: string[];
  firstSeenAt: Date;
  lastSeenAt: Date;
  resolvedAt: Date | null;
}

/**
 * What the search matches. It must be the expression of feed_issue_search_idx (migration 0009)
 * character for character, or the trigram index is not used. COLLATE "default": under the id
 * columns' "C" collation lower() would fold ASCII letters only.
 */
const SEARCH_TEXT = `lower(("product_title" || ' ' || coalesce("sku", '') || ' ' || "item_id" || ' ' || coalesce(substring("variant_id" from '[0-9]+$'), '')) COLLATE "default")`;

/** Offset pagination stops here: past 10,000 rows a merchant narrows the filters instead. */
export const MAX_LISTED_ROWS = 10_000;

/** Bound parameters of one statement, numbered as they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** LIKE treats % and _ as wildcards; a merchant searching "50%" means the characters. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The search box takes what a merchant copies: a variant GID searches by its numeric id. */
function searchTerm(query: string): string {
  const trimmed = query.trim();
  const gid = /^gid:\/\/shopify\/\w+\/(\d+)$/i.exec(trimmed);
  return gid ? (gid[1] as string) : trimmed;
}

/**
 * How the list's page is found. "planner": left to PostgreSQL. "walk": the collection and search
 * conditions are hidden from their GIN indexes, so the page comes from walking the list-order index
 * and testing each row; right when many rows match (the first 50 are found after a few thousand),
 * where a bitmap of every match followed by a sort would fetch them all.
 */
type ListPlan = "planner" | "walk";

function whereClause(params: Params, shop: string, filters: IssueFilters, plan: ListPlan = "planner"): string {
  const conditions = [`"shop" = ${params.add(shop)}`, filters.state === "open" ? `"resolved_at" IS NULL` : `"resolved_at" IS NOT NULL`];
  const anyOf = (column: string, values: readonly string[] | undefined) => {
    if (!values?.length) return;
    // One value as `=`: a btree returns its rows in index order, so the page needs no sort.
    conditions.push(values.length === 1 ? `"${column}" = ${params.add(values[0])}` : `"${column}" = ANY(${params.add(values)}::text[])`);
  };
  const unindexed = (condition: string) => (plan === "walk" ? `coalesce(${condition}, false)` : condition);
  anyOf("channel", filters.channel);
  anyOf("severity", filters.severity);
  anyOf("code", filters.code);
  anyOf("source", filters.source);
  anyOf("vendor", filters.vendor);
  anyOf("product_type", filters.productType);
  // `&&` (overlap) is "any of" and can use the GIN index.
  if (filters.collection?.length) conditions.push(unindexed(`"collection_ids" && ${params.add(filters.collection)}::text[]`));
  if (filters.firstSeenFrom) conditions.push(`"first_seen_at" >= ${params.add(filters.firstSeenFrom)}`);
  if (filters.firstSeenBefore) conditions.push(`"first_seen_at" < ${params.add(filters.firstSeenBefore)}`);
  const term = filters.query ? searchTerm(filters.query) : "";
  if (term) conditions.push(unindexed(`${SEARCH_TEXT} LIKE lower(${params.add(containsPattern(term))}::text COLLATE "default")`));
  return conditions.join(" AND ");
}

/** Newest problems first; resolved history by when they were resolved. `id` breaks ties (a build opens thousands at once). */
function orderBy(state: IssueState): string {
  return state === "open" ? `"first_seen_at" DESC, "id" DESC` : `"resolved_at" DESC, "id" DESC`;
}

/**
 * An open Shelfcast issue is in its feed's current build by definition, but is not rewritten when a
 * build finds it unchanged (see reconcileBuildIssues): it was last seen when that build finished.
 */
const LAST_SEEN_AT = `CASE WHEN "feed_issue"."source" = 'shelfcast' AND "feed_issue"."resolved_at" IS NULL THEN greatest("feed_issue"."last_seen_at", (
    SELECT b."finished_at" FROM "channel_feed" f JOIN "feed_build" b ON b."id" = f."current_build_id"
    WHERE f."shop" = "feed_issue"."shop" AND f."channel" = "feed_issue"."channel" AND f."market" = "feed_issue"."market"))
  ELSE "feed_issue"."last_seen_at" END`;

/** Every column of an issue, from "feed_issue" (unaliased, so other tables may join). */
const ISSUE_COLUMNS = [
  ...["id", "channel", "market", "source", "item_id", "item_key", "code", "product_id", "variant_id", "severity", "field", "value", "message", "fix"],
  ...["fix_target", "product_title", "sku", "vendor", "product_type", "collection_ids", "first_seen_at"],
]
  .map((column) => `"feed_issue"."${column}"`)
  .concat(`${LAST_SEEN_AT} AS "last_seen_at"`, `"feed_issue"."resolved_at"`)
  .join(", ");

interface IssueDbRow {
  /** int8: a string from node-postgres, a bigint from PGlite. */
  id: string | bigint;
  channel: string;
  market: string;
  source: string;
  item_id: string;
  item_key: string;
  code: string;
  product_id: string;
  variant_id: string | null;
  severity: string;
  field: string;
  value: string | null;
  message: string;
  fix: string;
  fix_target: unknown;
  product_title: string;
  sku: string | null;
  vendor: string | null;
  product_type: string | null;
  collection_ids: string[];
  first_seen_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
}

function toIssue(row: IssueDbRow): IssueRow {
  return {
    id: String(row.id),
    channel: row.channel,
    market: row.market,
    source: row.source as IssueSource,
    itemId: row.item_id,
    itemKey: row.item_key,
    code: row.code,
    productId: row.product_id,
    variantId: row.variant_id,
    severity: row.severity as Severity,
    field: row.field,
    value: row.value,
    message: row.message,
    fix: row.fix,
    fixTarget: (typeof row.fix_target === "string" ? JSON.parse(row.fix_target) : row.fix_target) as FixTarget,
    productTitle: row.product_title,
    sku: row.sku,
    vendor: row.vendor,
    productType: row.product_type,
    collectionIds: row.collection_ids ?? [],
    firstSeenAt: new Date(row.first_seen_at),
    lastSeenAt: new Date(row.last_seen_at),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
  };
}

export interface ListedIssue extends IssueRow {
  /** The variant's title in the snapshot ("Navy / M"); null for product-level problems or a vanished variant. */
  variantTitle: string | null;
}

/** With at least this many matches, a page filtered by collection or search walks the list-order index. */
const WALK_MIN_MATCHES = 1_000;

/**
 * One page of issues matching the filters, in list order. Pages past MAX_LISTED_ROWS are not served
 * (an empty page): offset pagination that deep costs more than it helps. `matches`, the count the
 * caller already has (countIssues), lets a page of a broad collection or search filter be read in
 * list order instead of sorting every match.
 */
export async function listIssues(
  sql: SqlExecutor,
  shop: string,
  filters: IssueFilters,
  page: IssuePageRequest,
  options: { matches?: number } = {},
): Promise<ListedIssue[]> {
  const offset = Math.max(0, (page.page - 1) * page.pageSize);
  if (offset >= MAX_LISTED_ROWS) return [];
  const params = new Params();
  const where = whereClause(params, shop, filters, (options.matches ?? 0) >= WALK_MIN_MATCHES ? "walk" : "planner");
  const limit = params.add(Math.min(page.pageSize, MAX_LISTED_ROWS - offset));
  const skip = params.add(offset);
  // Two steps: the page's ids (from an index alone where the filters allow), then those rows and
  // their variants' titles. Wide rows are read 50 at a time, never for the rows skipped over.
  const { rows } = await sql.query<IssueDbRow & { variant_title: string | null }>(
    `SELECT ${ISSUE_COLUMNS}, v."title" AS "variant_title"
     FROM (SELECT "id" AS "page_id" FROM "feed_issue" WHERE ${where} ORDER BY ${orderBy(filters.state)} LIMIT ${limit} OFFSET ${skip}) page
     JOIN "feed_issue" ON "feed_issue"."id" = page."page_id"
     LEFT JOIN "variant" v ON v."shop" = ${params.add(shop)} AND v."id" = "feed_issue"."variant_id"
     ORDER BY ${orderBy(filters.state).replace(/"(\w+)"/g, '"feed_issue"."$1"')}`,
    params.values,
  );
  return rows.map((row) => ({ ...toIssue(row), variantTitle: row.variant_title }));
}

/** Resolved history: listIssues over the resolved rows, most recently resolved first. */
export async function listResolvedIssues(sql: SqlExecutor, shop: string, filters: Omit<IssueFilters, "state">, page: IssuePageRequest): Promise<ListedIssue[]> {
  return listIssues(sql, shop, { ...filters, state: "resolved" }, page);
}

/**
 * How many issues match, counted up to `cap` (then `capped`): a list of 200,000 problems needs
 * "10,000+", not an exact figure that costs a scan of every row.
 */
export async function countIssues(sql: SqlExecutor, shop: string, filters: IssueFilters, options: { cap?: number } = {}): Promise<{ count: number; capped: boolean }> {
  const cap = options.cap ?? MAX_LISTED_ROWS;
  const params = new Params();
  const where = whereClause(params, shop, filters);
  const { rows } = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM (SELECT 1 FROM "feed_issue" WHERE ${where} LIMIT ${params.add(cap + 1)}) matches`, params.values);
  const count = rows[0]?.n ?? 0;
  return count > cap ? { count: cap, capped: true } : { count, capped: false };
}

/** Open issues per channel and source, by severity: badges and the dashboard. */
export async function countOpenIssues(sql: SqlExecutor, shop: string): Promise<{ channel: string; source: IssueSource; errors: number; warnings: number }[]> {
  const { rows } = await sql.query<{ channel: string; source: IssueSource; errors: number; warnings: number }>(
    `SELECT "channel", "source", count(*) FILTER (WHERE "severity" = 'error')::int AS "errors", count(*) FILTER (WHERE "severity" = 'warning')::int AS "warnings"
     FROM "feed_issue" WHERE "shop" = $1 AND "resolved_at" IS NULL GROUP BY "channel", "source" ORDER BY "channel", "source"`,
    [shop],
  );
  return rows;
}

export interface IssueGroup {
  channel: string;
  source: IssueSource;
  code: string;
  /** "error" when any item of the group has it as an error. */
  severity: Severity;
  items: number;
  /** One issue of the group, for its message, field and fix. */
  example: { field: string; message: string; fix: string; fixTarget: FixTarget };
}

/** Groups are few (one per channel, source and code); this many is more than any screen shows. */
export const MAX_GROUPS = 500;

/**
 * Issues matching the filters, one row per channel, source and code with the number of items:
 * "134 items: title too long on Meta". Errors first, then the largest groups.
 */
export async function groupIssues(sql: SqlExecutor, shop: string, filters: IssueFilters): Promise<IssueGroup[]> {
  const params = new Params();
  const where = whereClause(params, shop, filters);
  const state = filters.state === "open" ? `x."resolved_at" IS NULL` : `x."resolved_at" IS NOT NULL`;
  const { rows } = await sql.query<{ channel: string; source: string; code: string; has_error: boolean; items: number; field: string; message: string; fix: string; fix_target: unknown }>(
    `WITH g AS (
       SELECT "channel", "source", "code", bool_or("severity" = 'error') AS "has_error", count(*)::int AS "items"
       FROM "feed_issue" WHERE ${where} GROUP BY "channel", "source", "code"
       ORDER BY "has_error" DESC, "items" DESC, "code", "channel", "source" LIMIT ${MAX_GROUPS}
     )
     SELECT g.*, e."field", e."message", e."fix", e."fix_target"
     FROM g LEFT JOIN LATERAL (
       SELECT x."field", x."message", x."fix", x."fix_target" FROM "feed_issue" x
       WHERE x."shop" = $1 AND x."code" = g."code" AND x."channel" = g."channel" AND x."source" = g."source" AND ${state}
       LIMIT 1
     ) e ON true
     ORDER BY g."has_error" DESC, g."items" DESC, g."code", g."channel", g."source"`,
    params.values,
  );
  return rows.map((row) => ({
    channel: row.channel,
    source: row.source as IssueSource,
    code: row.code,
    severity: row.has_error ? "error" : "warning",
    items: row.items,
    example: {
      field: row.field,
      message: row.message,
      fix: row.fix,
      fixTarget: (typeof row.fix_target === "string" ? JSON.parse(row.fix_target) : row.fix_target) as FixTarget,
    },
  }));
}

export interface IssueFacets {
  codes: string[];
  vendors: string[];
  productTypes: string[];
}

/**
 * The distinct codes, vendors and product types of a shop's open issues, for the filters' choices.
 * Each is a skip scan over its index (one probe per distinct value), not a scan of every issue.
 */
export async function issueFacets(sql: SqlExecutor, shop: string): Promise<IssueFacets> {
  const distinct = async (column: "code" | "vendor" | "product_type") => {
    const { rows } = await sql.query<{ value: string | null }>(
      `WITH RECURSIVE walk AS (
         (SELECT "${column}" AS "value" FROM "feed_issue" WHERE "shop" = $1 AND "resolved_at" IS NULL AND "${column}" IS NOT NULL ORDER BY "${column}" LIMIT 1)
         UNION ALL
         SELECT (SELECT "${column}" FROM "feed_issue" WHERE "shop" = $1 AND "resolved_at" IS NULL AND "${column}" > walk."value" ORDER BY "${column}" LIMIT 1)
         FROM walk WHERE walk."value" IS NOT NULL
       )
       SELECT "value" FROM walk WHERE "value" IS NOT NULL AND "value" <> '' LIMIT $2`,
      [shop, MAX_FACET_VALUES],
    );
    return rows.map((row) => row.value as string);
  };
  const codes = await distinct("code");
  const vendors = await distinct("vendor");
  const productTypes = await distinct("product_type");
  return { codes, vendors, productTypes };
}

/** A choice list longer than this is unusable; shops with more values search instead. */
export const MAX_FACET_VALUES = 500;

/** The shop's collections (from the snapshot), for the collection filter's choices. */
export async function collectionFacet(sql: SqlExecutor, shop: string): Promise<string[]> {
  const { rows } = await sql.query<{ value: string }>(
    `SELECT DISTINCT c AS "value" FROM "product", unnest("collection_ids") AS c WHERE "shop" = $1 ORDER BY 1 LIMIT $2`,
    [shop, MAX_FACET_VALUES],
  );
  return rows.map((row) => row.value);
}

/** One group of the grouped view, as the bulk actions name it. */
export interface IssueGroupKey {
  channel: string;
  source: IssueSource;
  code: string;
}

/**
 * The records behind some groups of issues matching the filters (the bulk actions' "these
 * items"): each open issue's market, record key and item id, at most `limit` of them.
 */
export async function openIssueRecords(
  sql: SqlExecutor,
  shop: string,
  filters: Omit<IssueFilters, "state">,
  groups: IssueGroupKey[],
  limit: number,
): Promise<{ channel: string; market: string; itemKey: string; itemId: string }[]> {
  if (groups.length === 0) return [];
  const params = new Params();
  const where = whereClause(params, shop, { ...filters, state: "open" });
  const { rows } = await sql.query<{ channel: string; market: string; item_key: string; item_id: string }>(
    `SELECT "channel", "market", "item_key", "item_id" FROM "feed_issue"
     WHERE ${where} AND ("channel", "source", "code") IN (SELECT g."channel", g."source", g."code" FROM jsonb_to_recordset(${params.add(JSON.stringify(groups))}::jsonb)
       AS g("channel" text, "source" text, "code" text))
     LIMIT ${params.add(limit)}`,
    params.values,
  );
  return rows.map((row) => ({ channel: row.channel, market: row.market, itemKey: row.item_key, itemId: row.item_id }));
}

/** A product's issues (its detail page and timeline): open first, then the resolved history, newest first. */
export async function issuesForProduct(sql: SqlExecutor, shop: string, productId: string, options: { includeResolved?: boolean } = {}): Promise<IssueRow[]> {
  const { rows } = await sql.query<IssueDbRow>(
    `SELECT ${ISSUE_COLUMNS} FROM "feed_issue"
     WHERE "shop" = $1 AND "product_id" = $2 ${options.includeResolved ? "" : `AND "resolved_at" IS NULL`}
     ORDER BY ("resolved_at" IS NULL) DESC, "resolved_at" DESC, ("severity" = 'error') DESC, "channel", "code", "item_id" LIMIT 1000`,
    [shop, productId],
  );
  return rows.map(toIssue);
}

/** Streams the issues matching the filters in list order, in batches, so an export never holds them all. */
export async function* exportIssues(sql: SqlExecutor, shop: string, filters: IssueFilters, options: { batchSize?: number } = {}): AsyncIterable<IssueRow> {
  const batchSize = options.batchSize ?? 2_000;
  const sortColumn = filters.state === "open" ? "first_seen_at" : "resolved_at";
  let after: { at: Date; id: string } | null = null;
  for (;;) {
    const params = new Params();
    const where = whereClause(params, shop, filters);
    // Keyset: the next batch starts after the last row of this one, so no row is read twice or skipped.
    const keyset: string = after ? ` AND ("${sortColumn}", "id") < (${params.add(after.at)}, ${params.add(after.id)}::bigint)` : "";
    const { rows }: { rows: IssueDbRow[] } = await sql.query<IssueDbRow>(
      `SELECT ${ISSUE_COLUMNS} FROM "feed_issue" WHERE ${where}${keyset} ORDER BY ${orderBy(filters.state)} LIMIT ${params.add(batchSize)}`,
      params.values,
    );
    for (const row of rows) yield toIssue(row);
    const last: IssueDbRow | undefined = rows[rows.length - 1];
    if (!last || rows.length < batchSize) return;
    after = { at: (filters.state === "open" ? last.first_seen_at : last.resolved_at) as Date, id: String(last.id) };
  }
}

// ---------------------------------------------------------------------------------------------
// Writes

/** What a reconciliation changed. */
export interface IssueChanges {
  opened: number;
  resolved: number;
  /** Issue rows written: opened, reopened or changed (an unchanged issue found again is not rewritten). */
  written: number;
}

/** The event summaries, in SQL over a row alias `r` with channel, code, field and message; $labels is CHANNEL_SHORT_LABELS. */
function openedSummary(alias: string, labels: string): string {
  return `coalesce(${labels}::jsonb ->> ${alias}."channel", ${alias}."channel") || ': ' || replace(${alias}."code", '_', ' ') || ' (' || ${alias}."field"
    || coalesce(', ' || substring(${alias}."message" from 'has ([0-9][0-9,]*) characters') || ' characters', '') || ')'`;
}

function resolvedSummary(alias: string, labels: string): string {
  return `'Resolved on ' || coalesce(${labels}::jsonb ->> ${alias}."channel", ${alias}."channel") || ': ' || replace(${alias}."code", '_', ' ')`;
}

function eventDetails(alias: string): string {
  return `jsonb_build_object('source', ${alias}."source", 'market', ${alias}."market", 'itemId', ${alias}."item_id", 'itemKey', ${alias}."item_key",
    'code', ${alias}."code", 'severity', ${alias}."severity", 'field', ${alias}."field", 'message', ${alias}."message")`;
}

const CHANNEL_LABELS_JSON = JSON.stringify(CHANNEL_SHORT_LABELS);

/**
 * The refresh of an issue found again: its content follows the latest report, and one that was
 * resolved opens again, as new (first_seen_at moves to now).
 */
const UPSERT_SET = `"item_key" = EXCLUDED."item_key", "product_id" = EXCLUDED."product_id", "variant_id" = EXCLUDED."variant_id",
  "severity" = EXCLUDED."severity", "field" = EXCLUDED."field", "value" = EXCLUDED."value", "message" = EXCLUDED."message", "fix" = EXCLUDED."fix",
  "fix_target" = EXCLUDED."fix_target", "product_title" = EXCLUDED."product_title", "sku" = EXCLUDED."sku", "vendor" = EXCLUDED."vendor",
  "product_type" = EXCLUDED."product_type", "collection_ids" = EXCLUDED."collection_ids", "last_seen_at" = EXCLUDED."last_seen_at",
  "first_seen_at" = CASE WHEN i."resolved_at" IS NULL THEN i."first_seen_at" ELSE EXCLUDED."first_seen_at" END,
  "resolved_at" = NULL`;

/** An issue found again is rewritten only when it was resolved or something about it changed. */
const RESOLVED_OR_CHANGED = `i."resolved_at" IS NOT NULL OR (i."severity", i."field", i."value", i."message", i."fix", i."fix_target", i."product_id",
  i."variant_id", i."product_title", i."sku", i."vendor", i."product_type", i."collection_ids")
  IS DISTINCT FROM (EXCLUDED."severity", EXCLUDED."field", EXCLUDED."value", EXCLUDED."message", EXCLUDED."fix", EXCLUDED."fix_target",
  EXCLUDED."product_id", EXCLUDED."variant_id", EXCLUDED."product_title", EXCLUDED."sku", EXCLUDED."vendor", EXCLUDED."product_type",
  EXCLUDED."collection_ids")`;

/** The columns an issue event is written from, as a RETURNING list over alias `i`. */
const EVENT_SOURCE_COLUMNS = `i."channel", i."market", i."source", i."item_id", i."item_key", i."code", i."product_id", i."variant_id", i."severity", i."field", i."message"`;

/**
 * Brings a catalog's Shelfcast issues in line with a published feed build, in two set-based
 * statements (a build may hold 200,000 problems): what the build found is opened, reopened or
 * updated, then every open issue the build did not find is resolved; each opening and resolution
 * becomes a product event. Title, SKU, vendor, type and collections come from the snapshot in the
 * same statement. A code reported twice for one item in a build (two images too small) is one
 * issue: its error wins over a warning.
 *
 * An issue found again unchanged is not rewritten: rewriting 200,000 rows per build would hold the
 * embedded database for about a minute. Its stored last_seen_at is therefore the last build that
 * opened or changed it; the readers here report an open Shelfcast issue as last seen by its
 * feed's current build, which found it by definition. Run it in the transaction that publishes
 * the build (its planner settings are transaction-local).
 */
export async function reconcileBuildIssues(
  sql: SqlExecutor,
  shop: string,
  build: { buildId: string; channel: string; market: string; seenAt: Date },
): Promise<IssueChanges> {
  const catalog = [shop, build.channel, build.market];
  // "Opened" is read from first_seen_at = this build's time, so it must be later than any earlier
  // build's: a clock that did not move (tests, a fast rebuild) is nudged forward by a millisecond.
  const { rows: latest } = await sql.query<{ at: Date | null }>(
    `SELECT max("last_seen_at") AS "at" FROM "feed_issue" WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "source" = 'shelfcast'`,
    catalog,
  );
  const previous = latest[0]?.at ? new Date(latest[0].at).getTime() : Number.NEGATIVE_INFINITY;
  const seenAt = build.seenAt.getTime() > previous ? build.seenAt : new Date(previous + 1);
  // Two sets of up to 200,000 rows are compared: without statistics on a just-written build the
  // planner may pick a nested loop (hours); a hash or merge join with room to sort takes a second.
  await sql.query(`SET LOCAL enable_nestloop = off`);
  await sql.query(`SET LOCAL work_mem = '64MB'`);

  const { rows: found } = await sql.query<{ written: number; opened: number }>(
    `WITH found AS (
       SELECT DISTINCT ON (d."item_id", d."code") d."item_id", d."code", d."product_id", d."variant_id", d."severity", d."field", d."value", d."message",
         d."fix", d."fix_target"
       FROM "channel_diagnostic" d
       WHERE d."shop" = $1 AND d."build_id" = $4
       ORDER BY d."item_id", d."code", (d."severity" = 'error') DESC, d."field"
     ), upserted AS (
       INSERT INTO "feed_issue" AS i ("shop", "channel", "market", "source", "item_id", "code", "item_key", "product_id", "variant_id", "severity",
         "field", "value", "message", "fix", "fix_target", "product_title", "sku", "vendor", "product_type", "collection_ids", "first_seen_at",
         "last_seen_at", "resolved_at")
       SELECT $1, $2, $3, 'shelfcast', f."item_id", f."code", f."item_id", f."product_id", f."variant_id", f."severity", f."field", f."value",
         f."message", f."fix", f."fix_target", coalesce(p."title", ''), v."sku", p."vendor", p."product_type",
         coalesce(p."collection_ids", ARRAY[]::text[]), $5, $5, NULL
       FROM found f
       LEFT JOIN "product" p ON p."shop" = $1 AND p."id" = f."product_id"
       LEFT JOIN "variant" v ON v."shop" = $1 AND v."id" = f."variant_id"
       ON CONFLICT ("shop", "channel", "market", "source", "item_id", "code") DO UPDATE SET ${UPSERT_SET}
       WHERE ${RESOLVED_OR_CHANGED}
       RETURNING ${EVENT_SOURCE_COLUMNS}, (i."first_seen_at" = $5) AS "opened"
     ), events AS (
       INSERT INTO "product_event" ("shop", "product_id", "variant_id", "channel", "at", "kind", "summary", "details")
       SELECT $1, i."product_id", i."variant_id", i."channel", $5, 'issue.opened', ${openedSummary("i", "$6")}, ${eventDetails("i")}
       FROM upserted i WHERE i."opened"
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM upserted)::int AS "written", (SELECT count(*) FROM events)::int AS "opened"`,
    [...catalog, build.buildId, seenAt, CHANNEL_LABELS_JSON],
  );
  const { rows: gone } = await sql.query<{ resolved: number }>(
    `WITH resolved AS (
       UPDATE "feed_issue" AS i SET "resolved_at" = $5
       WHERE i."shop" = $1 AND i."channel" = $2 AND i."market" = $3 AND i."source" = 'shelfcast' AND i."resolved_at" IS NULL
         AND NOT EXISTS (SELECT 1 FROM "channel_diagnostic" d WHERE d."shop" = $1 AND d."build_id" = $4 AND d."item_id" = i."item_id" AND d."code" = i."code")
       RETURNING ${EVENT_SOURCE_COLUMNS}
     ), events AS (
       INSERT INTO "product_event" ("shop", "product_id", "variant_id", "channel", "at", "kind", "summary", "details")
       SELECT $1, i."product_id", i."variant_id", i."channel", $5, 'issue.resolved', ${resolvedSummary("i", "$6")}, ${eventDetails("i")}
       FROM resolved i
       RETURNING 1
     )
     SELECT count(*)::int AS "resolved" FROM events`,
    [...catalog, build.buildId, seenAt, CHANNEL_LABELS_JSON],
  );
  await sql.query(`RESET enable_nestloop`);
  await sql.query(`RESET work_mem`);
  return { opened: found[0]?.opened ?? 0, resolved: gone[0]?.resolved ?? 0, written: found[0]?.written ?? 0 };
}

/**
 * Replaces what a channel reported about some records (identified by `keys`): each incoming problem
 * is opened or refreshed, each open problem of those records that is not incoming is resolved, and
 * each change becomes a product event. Denormalised from the snapshot like Shelfcast's own issues.
 */
export async function replaceChannelIssues(
  sql: SqlExecutor,
  ref: { shop: string; channel: string; market: string },
  source: Exclude<IssueSource, "shelfcast">,
  keys: string[],
  incoming: { itemKey: string; diagnostic: Diagnostic }[],
  now: Date,
): Promise<IssueChanges> {
  if (keys.length === 0) return { opened: 0, resolved: 0, written: 0 };
  const rows = incoming.map(({ itemKey, diagnostic: d }) => ({
    item_key: itemKey,
    item_id: d.itemId,
    code: d.code,
    product_id: d.productId,
    variant_id: d.variantId,
    severity: d.severity === "error" ? "error" : "warning",
    field: d.field,
    value: d.value,
    message: d.message,
    fix: d.fix,
    fix_target: d.fixTarget,
  }));
  // One answer covers at most a few thousand records, so its problems are compared as sets here
  // (NOT IN over a small list is hashed), and the clock may stand still between two answers.
  const { rows: changes } = await sql.query<{ opened: number; resolved: number; written: number }>(
    `WITH incoming AS (
       SELECT * FROM jsonb_to_recordset($6::jsonb) AS r(item_key text, item_id text, code text, product_id text, variant_id text, severity text,
         field text, value text, message text, fix text, fix_target jsonb)
     ), open_before AS (
       SELECT "item_id", "code" FROM "feed_issue"
       WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "source" = $4 AND "resolved_at" IS NULL
         AND ("item_key" = ANY($5::text[]) OR ("item_id", "code") IN (SELECT "item_id", "code" FROM incoming))
     ), upserted AS (
       INSERT INTO "feed_issue" AS i ("shop", "channel", "market", "source", "item_id", "code", "item_key", "product_id", "variant_id", "severity",
         "field", "value", "message", "fix", "fix_target", "product_title", "sku", "vendor", "product_type", "collection_ids", "first_seen_at",
         "last_seen_at", "resolved_at")
       SELECT $1, $2, $3, $4, n."item_id", n."code", n."item_key", n."product_id", n."variant_id", n."severity", n."field", n."value", n."message",
         n."fix", n."fix_target", coalesce(p."title", ''), v."sku", p."vendor", p."product_type", coalesce(p."collection_ids", ARRAY[]::text[]), $7, $7, NULL
       FROM incoming n
       LEFT JOIN "product" p ON p."shop" = $1 AND p."id" = n."product_id"
       LEFT JOIN "variant" v ON v."shop" = $1 AND v."id" = n."variant_id"
       ON CONFLICT ("shop", "channel", "market", "source", "item_id", "code") DO UPDATE SET ${UPSERT_SET}
       RETURNING ${EVENT_SOURCE_COLUMNS}
     ), resolved AS (
       UPDATE "feed_issue" AS i SET "resolved_at" = $7
       WHERE i."shop" = $1 AND i."channel" = $2 AND i."market" = $3 AND i."source" = $4 AND i."item_key" = ANY($5::text[]) AND i."resolved_at" IS NULL
         AND (i."item_id", i."code") NOT IN (SELECT "item_id", "code" FROM incoming)
       RETURNING ${EVENT_SOURCE_COLUMNS}
     ), events AS (
       INSERT INTO "product_event" ("shop", "product_id", "variant_id", "channel", "at", "kind", "summary", "details")
       SELECT $1, i."product_id", i."variant_id", i."channel", $7, 'issue.opened', ${openedSummary("i", "$8")}, ${eventDetails("i")}
       FROM upserted i WHERE (i."item_id", i."code") NOT IN (SELECT "item_id", "code" FROM open_before)
       UNION ALL
       SELECT $1, i."product_id", i."variant_id", i."channel", $7, 'issue.resolved', ${resolvedSummary("i", "$8")}, ${eventDetails("i")}
       FROM resolved i
       RETURNING "kind"
     )
     SELECT count(*) FILTER (WHERE "kind" = 'issue.opened')::int AS "opened", count(*) FILTER (WHERE "kind" = 'issue.resolved')::int AS "resolved",
       (SELECT count(*) FROM upserted)::int AS "written"
     FROM events`,
    [ref.shop, ref.channel, ref.market, source, keys, JSON.stringify(rows), now, CHANNEL_LABELS_JSON],
  );
  return { opened: changes[0]?.opened ?? 0, resolved: changes[0]?.resolved ?? 0, written: changes[0]?.written ?? 0 };
}

/**
 * Removes the Shelfcast issues of feeds that no longer exist (a market taken out of the settings):
 * nothing will ever check them again, so they would stay open forever.
 */
export async function deleteBuildIssuesExcept(sql: SqlExecutor, shop: string, keep: { channel: string; market: string }[]): Promise<void> {
  await sql.query(
    `DELETE FROM "feed_issue" WHERE "shop" = $1 AND "source" = 'shelfcast' AND NOT (("channel" || '|' || "market") = ANY($2::text[]))`,
    [shop, keep.map((feed) => `${feed.channel}|${feed.market}`)],
  );
}

/** Resolved issues are history, kept this long. */
export const RESOLVED_RETENTION_DAYS = 90;

/**
 * Housekeeping after a build changed many issues: resolved history older than the retention goes,
 * and the planner's statistics are refreshed (the embedded profile has no autovacuum, and the
 * filters' plans depend on them). VACUUM also lets counts read the indexes only.
 */
export async function maintainIssueTables(sql: SqlExecutor, shop: string, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - RESOLVED_RETENTION_DAYS * 86_400_000);
  await sql.query(`DELETE FROM "feed_issue" WHERE "shop" = $1 AND "resolved_at" < $2`, [shop, cutoff]);
  await sql.exec(`VACUUM (ANALYZE) "feed_issue"`);
}

// ---------------------------------------------------------------------------------------------
// The dashboard's chart

export interface IssueDayCount {
  /** YYYY-MM-DD (UTC). */
  day: string;
  channel: string;
  opened: number;
  resolved: number;
  /** Issues open on this channel at the end of the day. */
  open: number;
}

/**
 * Per day of the last `days` days (today included) and per channel: issues opened, issues resolved,
 * and how many were open at the end of the day. Opened and resolved are counted from the product
 * events; "open" walks back from today's open count, so it needs no snapshot per day. Channels with
 * neither activity in the window nor open issues are left out; the others get every day, zeros included.
 */
export async function issueCountsByDay(sql: SqlExecutor, shop: string, options: { days: number; now: Date }): Promise<IssueDayCount[]> {
  const days = Math.max(1, Math.min(366, Math.floor(options.days)));
  const today = Date.UTC(options.now.getUTCFullYear(), options.now.getUTCMonth(), options.now.getUTCDate());
  const firstDay = new Date(today - (days - 1) * 86_400_000);
  const [activity, openNow] = await Promise.all([
    sql.query<{ day: string; channel: string; opened: number; resolved: number }>(
      `SELECT to_char("at", 'YYYY-MM-DD') AS "day", "channel",
         count(*) FILTER (WHERE "kind" = 'issue.opened')::int AS "opened", count(*) FILTER (WHERE "kind" = 'issue.resolved')::int AS "resolved"
       FROM "product_event"
       WHERE "shop" = $1 AND "at" >= $2 AND "kind" IN ('issue.opened', 'issue.resolved') AND "channel" IS NOT NULL
       GROUP BY 1, 2`,
      [shop, firstDay],
    ),
    sql.query<{ channel: string; open: number }>(`SELECT "channel", count(*)::int AS "open" FROM "feed_issue" WHERE "shop" = $1 AND "resolved_at" IS NULL GROUP BY "channel"`, [shop]),
  ]);
  const byKey = new Map(activity.rows.map((row) => [`${row.day}|${row.channel}`, row]));
  const channels = [...new Set([...openNow.rows.map((row) => row.channel), ...activity.rows.map((row) => row.channel)])].sort();
  const result: IssueDayCount[] = [];
  for (const channel of channels) {
    // Walk from today back: open at the end of day d-1 = open at the end of day d − opened(d) + resolved(d).
    let open = openNow.rows.find((row) => row.channel === channel)?.open ?? 0;
    const series: IssueDayCount[] = [];
    for (let index = days - 1; index >= 0; index -= 1) {
      const day = new Date(firstDay.getTime() + index * 86_400_000).toISOString().slice(0, 10);
      const counts = byKey.get(`${day}|${channel}`);
      const opened = counts?.opened ?? 0;
      const resolved = counts?.resolved ?? 0;
      series.push({ day, channel, opened, resolved, open: Math.max(0, open) });
      open = open - opened + resolved;
    }
    result.push(...series.reverse());
  }
  return result.sort((a, b) => a.day.localeCompare(b.day) || a.channel.localeCompare(b.channel));
}
