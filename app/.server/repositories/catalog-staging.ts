import type { SqlExecutor } from "../db/connection";

/**
 * Staged JSONL lines of one full sync (table catalog_sync_line). Staging makes a sync resumable
 * (lines are durable, with a checkpoint) and keeps memory bounded: products are assembled a chunk
 * at a time, whatever order Shopify wrote their lines in.
 */
export interface StagedLine {
  lineNo: number;
  gid: string;
  parentGid: string | null;
  /** The product the line belongs to (a selling plan: its group), or null when not yet known. */
  rootGid: string | null;
  body: string;
}

/**
 * Works out each line's root while staging: a product is its own root, a direct child's root is
 * its parent, a line under a variant belongs to that variant's product when the variant came
 * earlier in the file (the usual order; the rest are resolved in SQL by resolveRoots), and a
 * selling plan's root is its group, which several products share.
 */
export function createRootTracker() {
  const productOfVariant = new Map<string, string>();
  return (gid: string, parentGid: string | null): string | null => {
    if (parentGid === null) return gid;
    if (parentGid.startsWith("gid://shopify/Product/")) {
      if (gid.startsWith("gid://shopify/ProductVariant/")) productOfVariant.set(gid, parentGid);
      return parentGid;
    }
    if (parentGid.startsWith("gid://shopify/ProductVariant/")) return productOfVariant.get(parentGid) ?? null;
    if (parentGid.startsWith("gid://shopify/SellingPlanGroup/")) return parentGid;
    return null;
  };
}

/**
 * Inserts a batch of lines; re-staging a line already stored (after a crash) is a no-op. One JSON
 * parameter per batch: about a fifth faster than five array parameters on both engines (measured).
 */
export async function stageLines(tx: SqlExecutor, shop: string, syncId: string, lines: StagedLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(
    `INSERT INTO "catalog_sync_line" ("shop", "sync_id", "line_no", "gid", "parent_gid", "root_gid", "body")
     SELECT $1, $2::uuid, l."lineNo", l."gid", l."parentGid", l."rootGid", l."body"
     FROM json_to_recordset($3::json) AS l("lineNo" int, "gid" text, "parentGid" text, "rootGid" text, "body" text)
     ON CONFLICT ("sync_id", "line_no") DO NOTHING`,
    [shop, syncId, JSON.stringify(lines)],
  );
}

/**
 * Gives the lines staged before their variant the product they belong to (bulk queries nest at
 * most two levels, so that is the variant's parent). Every other line got its root at staging.
 */
export async function resolveRoots(sql: SqlExecutor, syncId: string): Promise<void> {
  // Usually a handful of lines (or none): find them through the root index...
  const { rows: pending } = await sql.query<{ line_no: number; parent_gid: string }>(
    `SELECT "line_no", "parent_gid" FROM "catalog_sync_line"
     WHERE "sync_id" = $1 AND "root_gid" IS NULL AND "parent_gid" LIKE 'gid://shopify/ProductVariant/%'`,
    [syncId],
  );
  if (pending.length === 0) return;
  // ...look their variants up in one pass (no nested loop over the staged lines)...
  const { rows: variants } = await sql.query<{ gid: string; parent_gid: string }>(
    `SELECT "gid", "parent_gid" FROM "catalog_sync_line" WHERE "sync_id" = $1 AND "gid" = ANY($2::text[]) AND "parent_gid" IS NOT NULL`,
    [syncId, [...new Set(pending.map((line) => line.parent_gid))]],
  );
  const productOf = new Map(variants.map((variant) => [variant.gid, variant.parent_gid]));
  const resolved = pending.filter((line) => productOf.has(line.parent_gid));
  if (resolved.length === 0) return;
  // ...and set them by primary key.
  await sql.query(
    `UPDATE "catalog_sync_line" AS line SET "root_gid" = fix.root
     FROM unnest($2::int[], $3::text[]) AS fix(line_no, root)
     WHERE line."sync_id" = $1 AND line."line_no" = fix.line_no`,
    [syncId, resolved.map((line) => line.line_no), resolved.map((line) => productOf.get(line.parent_gid)!)],
  );
}

/** The next chunk of product GIDs after `after`, in GID order (the apply phase's checkpoint). */
export async function nextProductGids(sql: SqlExecutor, syncId: string, after: string | null, limit: number): Promise<string[]> {
  const { rows } = await sql.query<{ gid: string }>(
    // Product lines have no parent; a partial index holds just them (a few percent of the lines).
    `SELECT DISTINCT "gid" FROM "catalog_sync_line"
     WHERE "sync_id" = $1 AND "parent_gid" IS NULL AND "gid" LIKE 'gid://shopify/Product/%' AND ($2::text IS NULL OR "gid" > $2)
     ORDER BY "gid" LIMIT $3`,
    [syncId, after, limit],
  );
  return rows.map((row) => row.gid);
}

/**
 * Every line of these products, plus one copy of each selling plan of the groups they reference,
 * in file order, ready to push into the assembler.
 */
export async function linesForProducts(sql: SqlExecutor, syncId: string, productGids: string[]): Promise<Omit<StagedLine, "rootGid">[]> {
  const { rows } = await sql.query<{ line_no: number; gid: string; parent_gid: string | null; body: string }>(
    `WITH product_lines AS (
       SELECT "line_no", "gid", "parent_gid", "body" FROM "catalog_sync_line"
       WHERE "sync_id" = $1 AND "root_gid" = ANY($2::text[])
     ), plan_lines AS (
       SELECT DISTINCT ON ("gid") "line_no", "gid", "parent_gid", "body" FROM "catalog_sync_line"
       WHERE "sync_id" = $1
         AND "root_gid" IN (SELECT "gid" FROM product_lines WHERE "gid" LIKE 'gid://shopify/SellingPlanGroup/%')
       ORDER BY "gid", "line_no"
     )
     SELECT * FROM product_lines UNION ALL SELECT * FROM plan_lines ORDER BY "line_no"`,
    [syncId, productGids],
  );
  return rows.map((row) => ({ lineNo: row.line_no, gid: row.gid, parentGid: row.parent_gid, body: row.body }));
}

/**
 * Lines that belong to no product: under a variant that never came (no root after resolution), or
 * under a product whose own line never came. One pass at the start of the apply phase; the chunks
 * only ever visit products that have their line.
 */
export async function orphanLines(sql: SqlExecutor, syncId: string, limit = 50): Promise<{ lineNo: number; gid: string; parentGid: string }[]> {
  const { rows } = await sql.query<{ line_no: number; gid: string; parent_gid: string }>(
    `SELECT "line_no", "gid", "parent_gid" FROM "catalog_sync_line" AS line
     WHERE line."sync_id" = $1 AND line."parent_gid" IS NOT NULL
       AND (line."root_gid" IS NULL OR (line."root_gid" LIKE 'gid://shopify/Product/%' AND NOT EXISTS (
         SELECT 1 FROM "catalog_sync_line" AS product
         WHERE product."sync_id" = $1 AND product."parent_gid" IS NULL AND product."gid" = line."root_gid")))
     ORDER BY "line_no" LIMIT $2`,
    [syncId, limit],
  );
  return rows.map((row) => ({ lineNo: row.line_no, gid: row.gid, parentGid: row.parent_gid }));
}

export async function countStagedOfKind(sql: SqlExecutor, syncId: string, gidPrefix: string): Promise<number> {
  const { rows } = await sql.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "catalog_sync_line" WHERE "sync_id" = $1 AND "gid" LIKE $2`,
    [syncId, `${gidPrefix}%`],
  );
  return rows[0]?.n ?? 0;
}

export async function clearStaging(sql: SqlExecutor, syncId: string): Promise<void> {
  await sql.query(`DELETE FROM "catalog_sync_line" WHERE "sync_id" = $1`, [syncId]);
}
