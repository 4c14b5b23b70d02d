import type { NewProductEvent } from "~/domain/timeline/events";
import type { SqlExecutor } from "../db/connection";

/**
 * Product timeline events (table product_event, migration 0009): what happened to a product, or to
 * the whole shop (product_id NULL: a rule change, a feed build), and when. Written in bulk by the
 * work that caused them, in its transaction where it has one; read newest first, a page at a time.
 */
export interface StoredProductEvent {
  /** BIGSERIAL, as text: the pg driver returns bigint as a string, PGlite as a number. */
  id: string;
  productId: string | null;
  variantId: string | null;
  channel: string | null;
  at: Date;
  kind: string;
  summary: string;
  details: Record<string, unknown>;
}

/** Where a page ends: the next page starts strictly before this event (time, then id). */
export interface EventCursor {
  at: Date;
  id: string;
}

export interface EventPage {
  events: StoredProductEvent[];
  /** null when there is nothing older. */
  next: EventCursor | null;
}

/** A summary is one line; anything longer was not written for a person to read. */
const MAX_SUMMARY = 500;

/**
 * Inserts events in one statement (one JSON parameter, however many events: a Meta publish page
 * answers for 5,000 records). Returns how many were written.
 */
export async function recordProductEvents(sql: SqlExecutor, shop: string, events: readonly NewProductEvent[]): Promise<number> {
  if (events.length === 0) return 0;
  const rows = events.map((event) => ({
    product_id: event.productId,
    variant_id: event.variantId ?? null,
    channel: event.channel ?? null,
    at: event.at.toISOString(),
    kind: event.kind,
    summary: event.summary.length > MAX_SUMMARY ? `${event.summary.slice(0, MAX_SUMMARY - 1)}…` : event.summary,
    details: event.details ?? {},
  }));
  // `at` is an ISO instant in UTC; TIMESTAMP(3) drops the "Z", so the column holds UTC like every other.
  await sql.query(
    `INSERT INTO "product_event" ("shop", "product_id", "variant_id", "channel", "at", "kind", "summary", "details")
     SELECT $1, e."product_id", e."variant_id", e."channel", e."at", e."kind", e."summary", COALESCE(e."details", '{}'::jsonb)
     FROM jsonb_to_recordset($2::jsonb) AS e("product_id" text, "variant_id" text, "channel" text, "at" timestamp(3), "kind" text, "summary" text, "details" jsonb)`,
    [shop, JSON.stringify(rows)],
  );
  return rows.length;
}

interface EventDbRow {
  id: string | number;
  product_id: string | null;
  variant_id: string | null;
  channel: string | null;
  at: Date | string;
  kind: string;
  summary: string;
  details: Record<string, unknown> | string | null;
}

// "id" is selected as text; ORDER BY names the table's column ("product_event"."id") so it sorts as a number.
const EVENT_COLUMNS = `"id"::text AS "id", "product_id", "variant_id", "channel", "at", "kind", "summary", "details"`;

function toEvent(row: EventDbRow): StoredProductEvent {
  const details = typeof row.details === "string" ? (JSON.parse(row.details) as Record<string, unknown>) : (row.details ?? {});
  return {
    id: String(row.id),
    productId: row.product_id,
    variantId: row.variant_id,
    channel: row.channel,
    at: row.at instanceof Date ? row.at : new Date(`${row.at}Z`),
    kind: row.kind,
    summary: row.summary,
    details,
  };
}

function page(rows: EventDbRow[], limit: number): EventPage {
  const events = rows.slice(0, limit).map(toEvent);
  const last = events[events.length - 1];
  return { events, next: rows.length > limit && last ? { at: last.at, id: last.id } : null };
}

/** Builds the shared WHERE clauses; `params` receives the values, placeholders are numbered after it. */
function filters(params: unknown[], options: { before?: EventCursor | null; channel?: string | null }): string[] {
  const clauses: string[] = [];
  if (options.before) {
    params.push(options.before.at, options.before.id);
    clauses.push(`("at", "id") < ($${params.length - 1}::timestamp(3), $${params.length}::bigint)`);
  }
  if (options.channel) {
    // An event about no channel in particular (a Shopify change, a rule change) concerns every channel.
    params.push(options.channel);
    clauses.push(`("channel" = $${params.length} OR "channel" IS NULL)`);
  }
  return clauses;
}

export interface ProductEventQuery {
  productId: string;
  /** Only events about this variant, or about the product as a whole (every variant). */
  variantId?: string | null;
  channel?: string | null;
  before?: EventCursor | null;
  limit: number;
  /** Shop-wide events (rule and mapping changes, feed builds) of the same period; default true. */
  includeShopWide?: boolean;
}

/**
 * One page of a product's timeline, newest first: its own events merged with the shop-wide ones of
 * the same period. Each half reads at most a page through the (shop, product_id, at) index.
 */
export async function listProductEvents(sql: SqlExecutor, shop: string, query: ProductEventQuery): Promise<EventPage> {
  const params: unknown[] = [shop, query.productId];
  const shared = filters(params, query);
  const own = [...shared];
  if (query.variantId) {
    params.push(query.variantId);
    const v = `$${params.length}`;
    // A product-level event names the variants it touched in details.variantIds; without that list it touched them all.
    own.push(`("variant_id" = ${v} OR ("variant_id" IS NULL AND (NOT jsonb_exists("details", 'variantIds') OR jsonb_exists("details" -> 'variantIds', ${v}))))`);
  }
  params.push(query.limit + 1);
  const limit = `$${params.length}`;
  const where = (clauses: string[]) => clauses.map((clause) => ` AND ${clause}`).join("");
  const ownSelect = `SELECT ${EVENT_COLUMNS}, "id" AS "seq" FROM "product_event" WHERE "shop" = $1 AND "product_id" = $2${where(own)} ORDER BY "at" DESC, "product_event"."id" DESC LIMIT ${limit}`;
  const shopWideSelect = `SELECT ${EVENT_COLUMNS}, "id" AS "seq" FROM "product_event" WHERE "shop" = $1 AND "product_id" IS NULL${where(shared)} ORDER BY "at" DESC, "product_event"."id" DESC LIMIT ${limit}`;
  const text =
    query.includeShopWide === false
      ? ownSelect
      : `SELECT * FROM ((${ownSelect}) UNION ALL (${shopWideSelect})) AS merged ORDER BY "at" DESC, "seq" DESC LIMIT ${limit}`;
  const { rows } = await sql.query<EventDbRow>(text, params);
  return page(rows, query.limit);
}

/** Every event of a shop, newest first (the dashboard's activity, support exports). */
export async function listShopEvents(sql: SqlExecutor, shop: string, query: { before?: EventCursor | null; channel?: string | null; kinds?: readonly string[]; limit: number }): Promise<EventPage> {
  const params: unknown[] = [shop];
  const clauses = filters(params, query);
  if (query.kinds && query.kinds.length > 0) {
    params.push(query.kinds);
    clauses.push(`"kind" = ANY($${params.length}::text[])`);
  }
  params.push(query.limit + 1);
  const { rows } = await sql.query<EventDbRow>(
    `SELECT ${EVENT_COLUMNS} FROM "product_event" WHERE "shop" = $1${clauses.map((c) => ` AND ${c}`).join("")} ORDER BY "at" DESC, "product_event"."id" DESC LIMIT $${params.length}`,
    params,
  );
  return page(rows, query.limit);
}

/**
 * Records each channel refused per day in the shop's time zone, since `since`: publish rejections
 * plus read-back verdicts that turned a record to rejected. The rejection spike alert reads it.
 */
export async function countRejectionsByDay(sql: SqlExecutor, shop: string, options: { since: Date; timeZone: string }): Promise<{ day: string; channel: string; count: number }[]> {
  const { rows } = await sql.query<{ day: string; channel: string; count: number }>(
    `SELECT to_char(("at" AT TIME ZONE 'UTC') AT TIME ZONE $3, 'YYYY-MM-DD') AS "day", "channel", count(*)::int AS "count"
     FROM "product_event"
     WHERE "shop" = $1 AND "at" >= $2 AND "channel" IS NOT NULL
       AND ("kind" = 'publish.rejected' OR ("kind" = 'channel.status' AND "details" ->> 'to' = 'rejected'))
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [shop, options.since, options.timeZone],
  );
  return rows;
}
