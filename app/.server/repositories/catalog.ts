import type { PrismaClient } from "~/generated/prisma/client";
import type { Database, SqlExecutor } from "../db/connection";
import type { StoredVersion } from "~/domain/catalog/plan-snapshot-changes";
import { hashCatalog, hashProduct } from "~/domain/catalog/content-hash";
import type { Product, Variant } from "~/domain/catalog/types";

/**
 * The catalog snapshot of one shop. Each product is stored whole (as its normalised JSON) beside
 * the columns the pages filter and sort on.
 *
 * Writes go through SQL with one JSON parameter per table (jsonb_to_recordset) rather than Prisma's
 * createMany: the same rows, a few statements per chunk instead of thousands of bound values,
 * which is what makes a 100,000-variant sync fit its time budget (docs/decisions/0009).
 */
export async function writeProducts(tx: SqlExecutor, shop: string, products: Product[], syncedAt: Date): Promise<void> {
  if (products.length === 0) return;
  // `xmax` is 0 on a row this statement inserted and set on one it updated: only products that
  // were already stored can have variants to replace (a first sync deletes nothing).
  const { rows: upserted } = await tx.query<{ id: string; existed: boolean }>(
    `INSERT INTO "product" ("shop", "id", "handle", "title", "vendor", "product_type", "status", "tags", "collection_ids",
        "content_hash", "variant_count", "total_available", "shopify_updated_at", "data", "synced_at")
     SELECT $1, x."id", x."handle", x."title", x."vendor", x."product_type", x."status", x."tags", x."collection_ids",
        x."content_hash", x."variant_count", x."total_available", x."shopify_updated_at", x."data", $3
     FROM jsonb_to_recordset($2::jsonb) AS x("id" text, "handle" text, "title" text, "vendor" text, "product_type" text, "status" text,
        "tags" text[], "collection_ids" text[], "content_hash" text, "variant_count" int, "total_available" int,
        "shopify_updated_at" timestamp(3), "data" jsonb)
     ON CONFLICT ("shop", "id") DO UPDATE SET
        "handle" = EXCLUDED."handle", "title" = EXCLUDED."title", "vendor" = EXCLUDED."vendor", "product_type" = EXCLUDED."product_type",
        "status" = EXCLUDED."status", "tags" = EXCLUDED."tags", "collection_ids" = EXCLUDED."collection_ids",
        "content_hash" = EXCLUDED."content_hash", "variant_count" = EXCLUDED."variant_count", "total_available" = EXCLUDED."total_available",
        "shopify_updated_at" = EXCLUDED."shopify_updated_at", "data" = EXCLUDED."data", "synced_at" = EXCLUDED."synced_at"
     RETURNING "id", "xmax" <> 0 AS "existed"`,
    [shop, JSON.stringify(products.map(productRecord)), syncedAt],
  );
  // A variant removed in Shopify must leave too: replace each stored product's variants wholesale.
  await deleteVariantsOf(tx, shop, upserted.filter((row) => row.existed).map((row) => row.id));
  await tx.query(
    `INSERT INTO "variant" ("shop", "id", "product_id", "sku", "barcode", "title", "price", "compare_at_price", "available",
        "inventory_policy", "inventory_item_id", "data")
     SELECT $1, x."id", x."product_id", x."sku", x."barcode", x."title", x."price", x."compare_at_price", x."available",
        x."inventory_policy", x."inventory_item_id", x."data"
     FROM jsonb_to_recordset($2::jsonb) AS x("id" text, "product_id" text, "sku" text, "barcode" text, "title" text, "price" numeric,
        "compare_at_price" numeric, "available" int, "inventory_policy" text, "inventory_item_id" text, "data" jsonb)`,
    [shop, JSON.stringify(products.flatMap((p) => p.variants.map(variantRecord)))],
  );
}

/** Marks products as seen by a sync (unchanged ones are not rewritten, but must not be removed). */
export async function markProductsSeen(tx: SqlExecutor, shop: string, ids: string[], syncedAt: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.query(`UPDATE "product" SET "synced_at" = $3 WHERE "shop" = $1 AND "id" = ANY($2::text[])`, [shop, ids, syncedAt]);
}

/** Writes products in one transaction of their own. */
export async function replaceProducts(db: Database, shop: string, products: Product[], syncedAt: Date): Promise<void> {
  await db.transaction((tx) => writeProducts(tx, shop, products, syncedAt));
}

/**
 * After a full import: products the source no longer has disappear from the snapshot, with their
 * variants. `onRemoved` runs in the same transaction with what was removed (the timeline's events).
 */
export async function deleteProductsNotSyncedSince(
  db: Database,
  shop: string,
  since: Date,
  onRemoved?: (tx: SqlExecutor, removed: { id: string; title: string }[]) => Promise<void>,
): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string; title: string }>(`DELETE FROM "product" WHERE "shop" = $1 AND "synced_at" < $2 RETURNING "id", "title"`, [shop, since]);
    await deleteVariantsOf(tx, shop, rows.map((row) => row.id));
    if (onRemoved && rows.length > 0) await onRemoved(tx, rows);
    return rows.length;
  });
}

async function deleteVariantsOf(tx: SqlExecutor, shop: string, productIds: string[]): Promise<void> {
  if (productIds.length > 0) await tx.query(`DELETE FROM "variant" WHERE "shop" = $1 AND "product_id" = ANY($2::text[])`, [shop, productIds]);
}

/** Removes products and their variants by id (a re-read that found the product deleted in Shopify). */
export async function deleteProducts(db: Database, shop: string, ids: string[]): Promise<number> {
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: string }>(`DELETE FROM "product" WHERE "shop" = $1 AND "id" = ANY($2::text[]) RETURNING "id"`, [shop, ids]);
    await deleteVariantsOf(tx, shop, rows.map((row) => row.id));
    return rows.length;
  });
}

/**
 * Gives the planner current statistics for the snapshot tables after a full sync rewrote them.
 * PGlite runs no autovacuum at all, so without this it plans every catalog query for the empty
 * tables it was migrated with (an equality on "shop" guessed at 0.5% of the rows, for one).
 */
export async function analyzeSnapshot(sql: SqlExecutor): Promise<void> {
  await sql.exec(`ANALYZE "product", "variant"`);
}

/** The stored content hash and Shopify update time of each product asked for (missing ids are absent). */
export async function getProductVersions(sql: SqlExecutor, shop: string, ids: string[]): Promise<Map<string, StoredVersion>> {
  // One primary-key lookup per id. `"id" = ANY($2)` lets a planner without statistics (PGlite never
  // analyzes on its own; a first sync outgrows them) scan every product of the shop instead, once
  // per chunk: quadratic in the catalog size. LIMIT 1 keeps the lookup a parameterised index scan.
  const { rows } = await sql.query<{ id: string; content_hash: string; shopify_updated_at: Date | string | null }>(
    `SELECT stored."id", stored."content_hash", stored."shopify_updated_at" FROM unnest($2::text[]) AS wanted("id")
     CROSS JOIN LATERAL (SELECT "id", "content_hash", "shopify_updated_at" FROM "product" WHERE "shop" = $1 AND "id" = wanted."id" LIMIT 1) AS stored`,
    [shop, ids],
  );
  return new Map(
    rows.map((row) => [row.id, { contentHash: row.content_hash, shopifyUpdatedAt: row.shopify_updated_at === null ? null : new Date(row.shopify_updated_at) }]),
  );
}

/** Order-independent hash of the whole snapshot of one shop (see hashCatalog). */
export async function snapshotHash(prisma: PrismaClient, shop: string): Promise<{ products: number; variants: number; hash: string }> {
  const rows = await prisma.product.findMany({ where: { shop }, select: { id: true, contentHash: true } });
  const variants = await prisma.variant.count({ where: { shop } });
  return { products: rows.length, variants, hash: hashCatalog(rows) };
}

export async function countCatalog(prisma: PrismaClient, shop: string) {
  const [products, variants, soldOutVariants] = await Promise.all([
    prisma.product.count({ where: { shop } }),
    prisma.variant.count({ where: { shop } }),
    prisma.variant.count({ where: { shop, available: { lte: 0 }, inventoryPolicy: "DENY" } }),
  ]);
  return { products, variants, soldOutVariants };
}

function productRecord(product: Product) {
  return {
    id: product.id,
    handle: product.handle,
    title: product.title,
    vendor: product.vendor,
    product_type: product.productType,
    status: product.status,
    tags: product.tags,
    collection_ids: product.collectionIds,
    content_hash: hashProduct(product),
    variant_count: product.variants.length,
    total_available: product.variants.reduce((sum, v) => sum + Math.max(0, v.availableQuantity), 0),
    shopify_updated_at: product.updatedAt,
    data: product,
  };
}

function variantRecord(variant: Variant) {
  return {
    id: variant.id,
    product_id: variant.productId,
    sku: variant.sku,
    barcode: variant.barcode,
    title: variant.title,
    price: variant.price,
    compare_at_price: variant.compareAtPrice,
    available: variant.availableQuantity,
    inventory_policy: variant.inventoryPolicy,
    inventory_item_id: variant.inventoryItem.id,
    data: variant,
  };
}

/** One product of the snapshot as the normalised Product (the channel previews evaluate it). */
export async function getSnapshotProduct(sql: SqlExecutor, shop: string, productId: string): Promise<Product | null> {
  const { rows } = await sql.query<{ data: Product | string }>(`SELECT "data" FROM "product" WHERE "shop" = $1 AND "id" = $2`, [shop, productId]);
  const data = rows[0]?.data;
  if (data === undefined) return null;
  return typeof data === "string" ? (JSON.parse(data) as Product) : data;
}

/** Several products of the snapshot by id (missing ids are absent): the versions a sync is about to replace. */
export async function getSnapshotProducts(sql: SqlExecutor, shop: string, ids: readonly string[]): Promise<Map<string, Product>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<{ id: string; data: Product | string }>(`SELECT "id", "data" FROM "product" WHERE "shop" = $1 AND "id" = ANY($2::text[])`, [shop, ids]);
  return new Map(rows.map((row) => [row.id, typeof row.data === "string" ? (JSON.parse(row.data) as Product) : row.data]));
}

/** Products to pick from in a preview: by title, optionally matching a search term. */
export async function pickableProducts(sql: SqlExecutor, shop: string, search: string, limit: number): Promise<{ id: string; title: string; variantCount: number }[]> {
  const { rows } = await sql.query<{ id: string; title: string; variant_count: number }>(
    `SELECT "id", "title", "variant_count" FROM "product" WHERE "shop" = $1 AND ($2 = '' OR "title" ILIKE '%' || $2 || '%')
     ORDER BY "status" = 'ACTIVE' DESC, "title" LIMIT $3`,
    [shop, search.replace(/[%_\\]/g, (c) => `\\${c}`), limit],
  );
  return rows.map((row) => ({ id: row.id, title: row.title, variantCount: row.variant_count }));
}

/** The snapshot in id order, one page at a time (keyset pagination: no page is read twice or skipped). */
export async function* snapshotProductPages(sql: SqlExecutor, shop: string, pageSize: number): AsyncGenerator<Product[]> {
  let after = "";
  for (;;) {
    const { rows } = await sql.query<{ id: string; data: Product | string }>(
      `SELECT "id", "data" FROM "product" WHERE "shop" = $1 AND "id" > $2 ORDER BY "id" LIMIT $3`,
      [shop, after, pageSize],
    );
    if (rows.length === 0) return;
    yield rows.map((row) => (typeof row.data === "string" ? (JSON.parse(row.data) as Product) : row.data));
    after = (rows[rows.length - 1] as { id: string }).id;
    if (rows.length < pageSize) return;
  }
}
