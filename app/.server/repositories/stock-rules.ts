import type { SqlExecutor } from "../db/connection";

/**
 * A shop's stock rules document (migration 0007), stored as the merchant wrote it. The document
 * comes back unparsed (`unknown`): services validate it with `parseRules`, so a row written by an
 * older version or by hand is reported, never trusted.
 */
export interface StockRulesRow {
  document: unknown;
  revision: number;
  updatedAt: Date;
}

export async function getStockRules(sql: SqlExecutor, shop: string): Promise<StockRulesRow | null> {
  const { rows } = await sql.query<{ document: unknown; revision: number; updated_at: Date }>(
    `SELECT "document", "revision", "updated_at" FROM "stock_rules" WHERE "shop" = $1`,
    [shop],
  );
  const row = rows[0];
  return row ? { document: row.document, revision: row.revision, updatedAt: row.updated_at } : null;
}

/**
 * Saves the document if nobody saved since the editor loaded it (`expectedRevision`, 0 when there
 * was none yet); the second of two concurrent editors gets `null` instead of silently overwriting
 * the first. Returns the new revision.
 */
export async function saveStockRules(sql: SqlExecutor, shop: string, input: { document: unknown; expectedRevision: number }): Promise<number | null> {
  const document = JSON.stringify(input.document);
  if (input.expectedRevision === 0) {
    const { rows } = await sql.query<{ revision: number }>(
      `INSERT INTO "stock_rules" ("shop", "document", "revision", "updated_at") VALUES ($1, $2::jsonb, 1, now())
       ON CONFLICT ("shop") DO NOTHING RETURNING "revision"`,
      [shop, document],
    );
    return rows[0]?.revision ?? null;
  }
  const { rows } = await sql.query<{ revision: number }>(
    `UPDATE "stock_rules" SET "document" = $2::jsonb, "revision" = "revision" + 1, "updated_at" = now()
     WHERE "shop" = $1 AND "revision" = $3 RETURNING "revision"`,
    [shop, document, input.expectedRevision],
  );
  return rows[0]?.revision ?? null;
}

/**
 * Names for the products and variants stock rules point at, for screens: a product's title, a
 * variant's "Product — Variant". Ids not in the snapshot are left out.
 */
export async function catalogTitles(sql: SqlExecutor, shop: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<{ id: string; title: string }>(
    `SELECT "id", "title" FROM "product" WHERE "shop" = $1 AND "id" = ANY($2::text[])
     UNION ALL
     SELECT v."id", p."title" || ' — ' || v."title" FROM "variant" v JOIN "product" p ON p."shop" = v."shop" AND p."id" = v."product_id"
     WHERE v."shop" = $1 AND v."id" = ANY($2::text[])`,
    [shop, ids],
  );
  return new Map(rows.map((row) => [row.id, row.title]));
}
