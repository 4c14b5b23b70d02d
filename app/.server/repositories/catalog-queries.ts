import { Prisma, type PrismaClient } from "~/generated/prisma/client";
import type { Product, Variant } from "~/domain/catalog/types";

/**
 * Read-side queries behind the catalog pages. Writes live in ./catalog.ts; these only read, and
 * every one of them is scoped by `shop` first, so one tenant never sees another's rows.
 */

export const PRODUCT_STATUSES = ["ACTIVE", "DRAFT", "ARCHIVED", "UNLISTED"] as const;
export const STOCK_FILTERS = ["in_stock", "sold_out", "low"] as const;
export type StockFilter = (typeof STOCK_FILTERS)[number];

/** "Low stock": a product with 1 to 5 units available over all its variants and locations. */
export const LOW_STOCK_MAX = 5;

export interface ProductFilters {
  /** Matches title, handle or vendor (substring, any case) or a variant SKU. */
  query?: string;
  status?: string[];
  vendor?: string[];
  productType?: string[];
  /** Any of these tags. */
  tag?: string[];
  /** Any of these collection GIDs. */
  collection?: string[];
  stock?: StockFilter;
}

export interface ProductPageRequest {
  /** 1-based. */
  page: number;
  pageSize: number;
}

export interface ProductListRow {
  id: string;
  handle: string;
  title: string;
  vendor: string;
  productType: string;
  status: string;
  tags: string[];
  variantCount: number;
  totalAvailable: number;
  /** The first media image, read out of the stored JSON so a page never loads whole products. */
  imageUrl: string | null;
  imageAlt: string | null;
}

/** LIKE treats % and _ as wildcards; a merchant searching "50%" means the characters. */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Postgres text[] literal built from bound parameters (one placeholder per value). */
function textArray(values: string[]): Prisma.Sql {
  return Prisma.sql`ARRAY[${Prisma.join(values)}]::text[]`;
}

function whereClause(shop: string, filters: ProductFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`p.shop = ${shop}`];
  const query = filters.query?.trim();
  if (query) {
    const pattern = likePattern(query);
    // The SKU lives on variants: an EXISTS subquery keeps one row per product (no join fan-out)
    // and uses the (shop, product_id) index.
    conditions.push(Prisma.sql`(
      p.title ILIKE ${pattern} OR p.handle ILIKE ${pattern} OR p.vendor ILIKE ${pattern}
      OR EXISTS (SELECT 1 FROM variant v WHERE v.shop = p.shop AND v.product_id = p.id AND v.sku ILIKE ${pattern})
    )`);
  }
  if (filters.status?.length) conditions.push(Prisma.sql`p.status IN (${Prisma.join(filters.status)})`);
  if (filters.vendor?.length) conditions.push(Prisma.sql`p.vendor IN (${Prisma.join(filters.vendor)})`);
  if (filters.productType?.length) conditions.push(Prisma.sql`p.product_type IN (${Prisma.join(filters.productType)})`);
  // `&&` (overlap) is "any of" and can use the GIN indexes on tags and collection_ids.
  if (filters.tag?.length) conditions.push(Prisma.sql`p.tags && ${textArray(filters.tag)}`);
  if (filters.collection?.length) conditions.push(Prisma.sql`p.collection_ids && ${textArray(filters.collection)}`);
  if (filters.stock === "in_stock") conditions.push(Prisma.sql`p.total_available > 0`);
  if (filters.stock === "sold_out") conditions.push(Prisma.sql`p.total_available <= 0`);
  if (filters.stock === "low") conditions.push(Prisma.sql`p.total_available BETWEEN 1 AND ${LOW_STOCK_MAX}`);
  return Prisma.join(conditions, " AND ");
}

/**
 * One page of products matching the filters, sorted by title without regard to case (then id, so
 * pages never overlap or skip when titles tie), and the total count for the pager.
 *
 * Raw SQL because Prisma's query builder can neither order by lower(title) nor pick one path out of
 * the JSON column; the filter is built once and shared by the page and the count.
 */
export async function listProductsFiltered(
  prisma: PrismaClient,
  shop: string,
  filters: ProductFilters,
  page: ProductPageRequest,
): Promise<{ rows: ProductListRow[]; total: number }> {
  const where = whereClause(shop, filters);
  const offset = Math.max(0, (page.page - 1) * page.pageSize);
  const [rows, counted] = await Promise.all([
    prisma.$queryRaw<ProductListRow[]>`
      SELECT p.id, p.handle, p.title, p.vendor, p.product_type AS "productType", p.status, p.tags,
             p.variant_count AS "variantCount", p.total_available AS "totalAvailable",
             p.data #>> '{media,0,url}' AS "imageUrl", p.data #>> '{media,0,altText}' AS "imageAlt"
      FROM product p
      WHERE ${where}
      ORDER BY lower(p.title), p.id
      LIMIT ${page.pageSize} OFFSET ${offset}`,
    prisma.$queryRaw<{ total: number }[]>`SELECT count(*)::int AS total FROM product p WHERE ${where}`,
  ]);
  return { rows, total: counted[0]?.total ?? 0 };
}

export interface FacetValues {
  vendors: string[];
  productTypes: string[];
  /** The most used tags (at most FACET_TAG_LIMIT), most used first. */
  tags: string[];
  collectionIds: string[];
}

export const FACET_TAG_LIMIT = 100;
/** A choice list longer than this is unusable; shops with more vendors or types search instead. */
export const FACET_VALUE_LIMIT = 500;

/** The values the list's filters offer, taken from the shop's own snapshot. */
export async function facetValues(prisma: PrismaClient, shop: string): Promise<FacetValues> {
  const [vendors, productTypes, tags, collections] = await Promise.all([
    prisma.$queryRaw<{ value: string }[]>`
      SELECT DISTINCT vendor AS value FROM product WHERE shop = ${shop} AND vendor <> ''
      ORDER BY 1 LIMIT ${FACET_VALUE_LIMIT}`,
    prisma.$queryRaw<{ value: string }[]>`
      SELECT DISTINCT product_type AS value FROM product WHERE shop = ${shop} AND product_type <> ''
      ORDER BY 1 LIMIT ${FACET_VALUE_LIMIT}`,
    prisma.$queryRaw<{ value: string }[]>`
      SELECT tag AS value FROM product, unnest(tags) AS tag WHERE shop = ${shop}
      GROUP BY tag ORDER BY count(*) DESC, tag LIMIT ${FACET_TAG_LIMIT}`,
    prisma.$queryRaw<{ value: string }[]>`
      SELECT DISTINCT collection_id AS value FROM product, unnest(collection_ids) AS collection_id
      WHERE shop = ${shop} ORDER BY 1 LIMIT ${FACET_VALUE_LIMIT}`,
  ]);
  const values = (rows: { value: string }[]) => rows.map((row) => row.value);
  return { vendors: values(vendors), productTypes: values(productTypes), tags: values(tags), collectionIds: values(collections) };
}

export interface VariantRow {
  id: string;
  sku: string | null;
  barcode: string | null;
  title: string;
  /** Decimal strings, as stored ("19.99"). */
  price: string;
  compareAtPrice: string | null;
  available: number;
  inventoryPolicy: string;
  inventoryItemId: string | null;
  data: Variant;
}

export interface ProductDetail {
  product: Product;
  syncedAt: Date;
  variants: VariantRow[];
}

/** One product of the shop: its stored JSON and its variant rows (in Shopify's position order), or null. */
export async function getProductDetail(prisma: PrismaClient, shop: string, productId: string): Promise<ProductDetail | null> {
  const product = await prisma.product.findUnique({ where: { shop_id: { shop, id: productId } }, select: { data: true, syncedAt: true } });
  if (!product) return null;
  const variants = await prisma.variant.findMany({ where: { shop, productId } });
  const rows = variants.map(
    (v): VariantRow => ({
      id: v.id,
      sku: v.sku,
      barcode: v.barcode,
      title: v.title,
      price: v.price.toFixed(2),
      compareAtPrice: v.compareAtPrice?.toFixed(2) ?? null,
      available: v.available,
      inventoryPolicy: v.inventoryPolicy,
      inventoryItemId: v.inventoryItemId,
      data: v.data as unknown as Variant,
    }),
  );
  // Position lives in the JSON only; a product has at most a few thousand variants, so sort here.
  rows.sort((a, b) => (a.data.position ?? 0) - (b.data.position ?? 0) || a.id.localeCompare(b.id));
  return { product: product.data as unknown as Product, syncedAt: product.syncedAt, variants: rows };
}

/**
 * The dashboard's catalog breakdown: products per status, variant stock (in stock; sold out, i.e.
 * none available and not sellable; on "continue selling"), and the five vendors with most products.
 */
export async function catalogBreakdown(prisma: PrismaClient, shop: string) {
  const [statuses, stock, vendors] = await Promise.all([
    prisma.product.groupBy({ by: ["status"], where: { shop }, _count: { _all: true } }),
    // One scan of the shop's variants for all four counts.
    prisma.$queryRaw<{ inStock: number; soldOut: number; continueSelling: number; continueSellingOutOfStock: number }[]>`
      SELECT count(*) FILTER (WHERE available > 0)::int AS "inStock",
             count(*) FILTER (WHERE available <= 0 AND inventory_policy = 'DENY')::int AS "soldOut",
             count(*) FILTER (WHERE inventory_policy = 'CONTINUE')::int AS "continueSelling",
             count(*) FILTER (WHERE available <= 0 AND inventory_policy = 'CONTINUE')::int AS "continueSellingOutOfStock"
      FROM variant WHERE shop = ${shop}`,
    prisma.$queryRaw<{ vendor: string; products: number }[]>`
      SELECT vendor, count(*)::int AS products FROM product WHERE shop = ${shop}
      GROUP BY vendor ORDER BY count(*) DESC, vendor LIMIT 5`,
  ]);
  const byStatus = new Map(statuses.map((row) => [row.status, row._count._all]));
  return {
    products: { active: byStatus.get("ACTIVE") ?? 0, draft: byStatus.get("DRAFT") ?? 0, archived: byStatus.get("ARCHIVED") ?? 0, unlisted: byStatus.get("UNLISTED") ?? 0 },
    variants: stock[0] ?? { inStock: 0, soldOut: 0, continueSelling: 0, continueSellingOutOfStock: 0 },
    topVendors: vendors,
  };
}

/** The shop's most recent catalog syncs, newest first. */
export async function listRecentCatalogSyncs(prisma: PrismaClient, shop: string, limit = 5) {
  return prisma.catalogSync.findMany({
    where: { shop },
    orderBy: { startedAt: "desc" },
    take: limit,
    select: { id: true, kind: true, status: true, doneVariants: true, totalVariants: true, drift: true, error: true, startedAt: true, finishedAt: true },
  });
}
