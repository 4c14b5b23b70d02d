import type { SqlExecutor } from "../../app/.server/db/connection";

/**
 * Many feed issues at once, written by SQL (generate_series) so 200,000 rows take seconds: the
 * issues page's tests and its benchmark (tests/bench/console.ts). Deterministic: row n always gets
 * the same values, so tests can compute what a filter must return.
 *
 * Row n (0-based) of a shop:
 *   channel  CHANNELS[n % 5]; market "GB" when n % 3 = 0, else "US"
 *   source   the channel itself for Meta and TikTok Shop rows with n % 10 < 2, else "shelfcast"
 *   code     CODES[(n * 7) % 40]; severity "error" for codes whose index % 3 = 0
 *   product  p = floor(n / 15): gid://shopify/Product/(1000000 + p), title "<Adjective> <noun> <p>",
 *            vendor "Vendor <p % 60>", type "Type <p % 25>", collections <p % 40> and <100 + p % 7>
 *   variant  v = floor(n / 3): gid://shopify/ProductVariant/(2000000 + v), SKU "SKU-<v>"
 *   item     "item-<n>"; first seen (n % 90) days and (n % 1440) minutes before `now`
 */
export const SEED_CHANNELS = ["meta", "tiktok", "tiktok-ads", "pinterest", "google"] as const;
export const SEED_ADJECTIVES = ["Linen", "Cotton", "Wool", "Silk", "Denim", "Leather", "Canvas", "Velvet"] as const;
export const SEED_NOUNS = ["shirt", "dress", "jacket", "scarf", "bag", "boots", "hat", "belt", "skirt", "coat"] as const;
export const SEED_CODES = Array.from({ length: 40 }, (_, index) =>
  index === 0 ? "title_too_long" : index === 1 ? "image_link_missing" : index === 2 ? "gtin_invalid" : `seed_problem_${String(index).padStart(2, "0")}`,
);

const sqlList = (values: readonly string[]) => `ARRAY[${values.map((value) => `'${value.replace(/'/g, "''")}'`).join(", ")}]::text[]`;

export interface SeedIssuesOptions {
  /** Rows to write, starting at row `from` (default 0). */
  count: number;
  from?: number;
  now: Date;
  /** Write them resolved at `now` instead of open. */
  resolved?: boolean;
}

export async function seedFeedIssues(sql: SqlExecutor, shop: string, options: SeedIssuesOptions): Promise<void> {
  const from = options.from ?? 0;
  await sql.query(
    `INSERT INTO "feed_issue" ("shop", "channel", "market", "source", "item_id", "code", "item_key", "product_id", "variant_id", "severity", "field", "value",
       "message", "fix", "fix_target", "product_title", "sku", "vendor", "product_type", "collection_ids", "first_seen_at", "last_seen_at", "resolved_at")
     SELECT $1, ch, CASE WHEN n % 3 = 0 THEN 'GB' ELSE 'US' END,
       CASE WHEN ch IN ('meta', 'tiktok') AND n % 10 < 2 THEN ch ELSE 'shelfcast' END,
       'item-' || n, code, 'item-' || n, 'gid://shopify/Product/' || (1000000 + p), 'gid://shopify/ProductVariant/' || (2000000 + v),
       CASE WHEN ((n * 7) % 40) % 3 = 0 THEN 'error' ELSE 'warning' END, 'title', left(title, 200),
       'title has ' || (150 + n % 100) || ' characters; the channel accepts at most 150.', 'Shorten the title to 150 characters or fewer',
       jsonb_build_object('kind', 'shopify-product', 'productId', 'gid://shopify/Product/' || (1000000 + p)),
       title, 'SKU-' || v, 'Vendor ' || (p % 60), 'Type ' || (p % 25),
       ARRAY['gid://shopify/Collection/' || (p % 40), 'gid://shopify/Collection/' || (100 + p % 7)],
       $3::timestamp - make_interval(days => n % 90, mins => n % 1440), $3::timestamp, CASE WHEN $4 THEN $3::timestamp ELSE NULL END
     FROM generate_series($2::int, $2::int + $5::int - 1) AS n,
       LATERAL (SELECT n / 15 AS p, n / 3 AS v, (${sqlList(SEED_CHANNELS)})[1 + n % 5] AS ch, (${sqlList(SEED_CODES)})[1 + (n * 7) % 40] AS code) k,
       LATERAL (SELECT (${sqlList(SEED_ADJECTIVES)})[1 + p % 8] || ' ' || (${sqlList(SEED_NOUNS)})[1 + (p / 8) % 10] || ' ' || p AS title) t`,
    [shop, from, options.now, options.resolved ?? false, options.count],
  );
}

/** The products and variants the seeded issues point at (row n's product and variant), for joins and the collection choices. */
export async function seedIssueCatalog(sql: SqlExecutor, shop: string, options: { issues: number }): Promise<void> {
  const products = Math.ceil(options.issues / 15);
  const variants = Math.ceil(options.issues / 3);
  await sql.query(
    `INSERT INTO "product" ("shop", "id", "handle", "title", "vendor", "product_type", "status", "data", "collection_ids")
     SELECT $1, 'gid://shopify/Product/' || (1000000 + p), 'product-' || p,
       (${sqlList(SEED_ADJECTIVES)})[1 + p % 8] || ' ' || (${sqlList(SEED_NOUNS)})[1 + (p / 8) % 10] || ' ' || p, 'Vendor ' || (p % 60), 'Type ' || (p % 25),
       'ACTIVE', '{}'::jsonb, ARRAY['gid://shopify/Collection/' || (p % 40), 'gid://shopify/Collection/' || (100 + p % 7)]
     FROM generate_series(0, $2::int - 1) AS p`,
    [shop, products],
  );
  await sql.query(
    `INSERT INTO "variant" ("shop", "id", "product_id", "sku", "title", "price", "data")
     SELECT $1, 'gid://shopify/ProductVariant/' || (2000000 + v), 'gid://shopify/Product/' || (1000000 + (v * 3) / 15), 'SKU-' || v, 'Size ' || (v % 5), 10, '{}'::jsonb
     FROM generate_series(0, $2::int - 1) AS v`,
    [shop, variants],
  );
}
