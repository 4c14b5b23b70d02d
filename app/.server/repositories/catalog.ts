import type { Prisma, PrismaClient } from "~/generated/prisma/client";
import type { Product } from "~/domain/catalog/types";

/**
 * The catalog snapshot of one shop. Each product is stored whole (as its normalised JSON) beside
 * the columns the pages filter and sort on.
 */
export async function replaceProducts(prisma: PrismaClient, shop: string, products: Product[], syncedAt: Date): Promise<void> {
  if (products.length === 0) return;
  const ids = products.map((p) => p.id);
  await prisma.$transaction([
    prisma.product.deleteMany({ where: { shop, id: { in: ids } } }),
    prisma.product.createMany({ data: products.map((p) => productRow(shop, p, syncedAt)) }),
    prisma.variant.createMany({ data: products.flatMap((p) => p.variants.map((v) => variantRow(shop, p, v))) }),
  ]);
}

/** After a full import: products the source no longer has disappear from the snapshot. */
export async function deleteProductsNotSyncedSince(prisma: PrismaClient, shop: string, since: Date): Promise<number> {
  const { count } = await prisma.product.deleteMany({ where: { shop, syncedAt: { lt: since } } });
  return count;
}

export async function countCatalog(prisma: PrismaClient, shop: string) {
  const [products, variants, soldOutVariants] = await Promise.all([
    prisma.product.count({ where: { shop } }),
    prisma.variant.count({ where: { shop } }),
    prisma.variant.count({ where: { shop, available: { lte: 0 }, inventoryPolicy: "DENY" } }),
  ]);
  return { products, variants, soldOutVariants };
}

export async function listProducts(prisma: PrismaClient, shop: string, options: { query?: string; take: number; skip: number }) {
  const where: Prisma.ProductWhereInput = { shop };
  if (options.query) where.title = { contains: options.query, mode: "insensitive" };
  const [rows, total] = await Promise.all([
    prisma.product.findMany({
      where,
      orderBy: [{ title: "asc" }, { id: "asc" }],
      take: options.take,
      skip: options.skip,
      select: { id: true, title: true, vendor: true, productType: true, status: true, variantCount: true, totalAvailable: true },
    }),
    prisma.product.count({ where }),
  ]);
  return { rows, total };
}

function productRow(shop: string, product: Product, syncedAt: Date): Prisma.ProductCreateManyInput {
  return {
    shop,
    id: product.id,
    handle: product.handle,
    title: product.title,
    vendor: product.vendor,
    productType: product.productType,
    status: product.status,
    tags: product.tags,
    variantCount: product.variants.length,
    totalAvailable: product.variants.reduce((sum, v) => sum + Math.max(0, v.availableQuantity), 0),
    shopifyUpdatedAt: product.updatedAt ? new Date(product.updatedAt) : null,
    data: product as unknown as Prisma.InputJsonValue,
    syncedAt,
  };
}

function variantRow(shop: string, product: Product, variant: Product["variants"][number]): Prisma.VariantCreateManyInput {
  return {
    shop,
    id: variant.id,
    productId: product.id,
    sku: variant.sku,
    barcode: variant.barcode,
    title: variant.title,
    price: variant.price,
    compareAtPrice: variant.compareAtPrice,
    available: variant.availableQuantity,
    inventoryPolicy: variant.inventoryPolicy,
    data: variant as unknown as Prisma.InputJsonValue,
  };
}
