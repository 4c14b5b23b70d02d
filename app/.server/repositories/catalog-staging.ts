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
  body: string;
}

/**
 * The product a line belongs to when the line itself says so: a product is its own root, a direct
 * child's root is its parent. Grandchildren (under a variant) are resolved later (resolveRoots).
 */
function knownRoot(line: StagedLine): string | null {
  if (line.parentGid === null) return line.gid;
  return line.parentGid.startsWith("gid://shopify/Product/") ? line.parentGid : null;
}

/** Inserts a batch of lines; re-staging a line already stored (after a crash) is a no-op. */
export async function stageLines(tx: SqlExecutor, shop: string, syncId: string, lines: StagedLine[]): Promise<void> {
  if (lines.length === 0) return;
  await tx.query(
    `INSERT INTO "catalog_sync_line" ("shop", "sync_id", "line_no", "gid", "parent_gid", "root_gid", "body")
     SELECT $1, $2::uuid, l.line_no, l.gid, l.parent_gid, l.root_gid, l.body
     FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[]) AS l(line_no, gid, parent_gid, root_gid, body)
     ON CONFLICT ("sync_id", "line_no") DO NOTHING`,
    [shop, syncId, lines.map((l) => l.lineNo), lines.map((l) => l.gid), lines.map((l) => l.parentGid), lines.map(knownRoot), lines.map((l) => l.body)],
  );
}

/**
 * Gives the remaining lines the product they belong to. Bulk queries nest at most two levels:
 * products and their direct children got their root at staging (knownRoot); a line under a variant
 * belongs to that variant's product, which may have been staged before or after it. Selling plans
 * hang under a group that several products share; they keep no root and are fetched by group
 * (linesForProducts).
 */
export async function resolveRoots(sql: SqlExecutor, syncId: string): Promise<void> {
  await sql.query(
    `UPDATE "catalog_sync_line" AS child SET "root_gid" = parent."parent_gid"
     FROM "catalog_sync_line" AS parent
     WHERE child."sync_id" = $1 AND parent."sync_id" = $1 AND child."root_gid" IS NULL
       AND child."parent_gid" LIKE 'gid://shopify/ProductVariant/%'
       AND parent."gid" = child."parent_gid" AND parent."parent_gid" IS NOT NULL`,
    [syncId],
  );
}

/** The next chunk of product GIDs after `after`, in GID order (the apply phase's checkpoint). */
export async function nextProductGids(sql: SqlExecutor, syncId: string, after: string | null, limit: number): Promise<string[]> {
  const { rows } = await sql.query<{ gid: string }>(
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
export async function linesForProducts(sql: SqlExecutor, syncId: string, productGids: string[]): Promise<StagedLine[]> {
  const { rows } = await sql.query<{ line_no: number; gid: string; parent_gid: string | null; body: string }>(
    `WITH product_lines AS (
       SELECT "line_no", "gid", "parent_gid", "body" FROM "catalog_sync_line"
       WHERE "sync_id" = $1 AND "root_gid" = ANY($2::text[])
     ), plan_lines AS (
       SELECT DISTINCT ON ("gid") "line_no", "gid", "parent_gid", "body" FROM "catalog_sync_line"
       WHERE "sync_id" = $1 AND "root_gid" IS NULL
         AND "parent_gid" IN (SELECT "gid" FROM product_lines WHERE "gid" LIKE 'gid://shopify/SellingPlanGroup/%')
       ORDER BY "gid", "line_no"
     )
     SELECT * FROM product_lines UNION ALL SELECT * FROM plan_lines ORDER BY "line_no"`,
    [syncId, productGids],
  );
  return rows.map((row) => ({ lineNo: row.line_no, gid: row.gid, parentGid: row.parent_gid, body: row.body }));
}

/** Lines that belong to no product: a child whose parent never came (reported, not invented). */
export async function orphanLines(sql: SqlExecutor, syncId: string, limit = 50): Promise<{ lineNo: number; gid: string; parentGid: string }[]> {
  const { rows } = await sql.query<{ line_no: number; gid: string; parent_gid: string }>(
    `SELECT "line_no", "gid", "parent_gid" FROM "catalog_sync_line" AS line
     WHERE "sync_id" = $1 AND "parent_gid" IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM "catalog_sync_line" AS parent WHERE parent."sync_id" = $1 AND parent."gid" = line."parent_gid")
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
