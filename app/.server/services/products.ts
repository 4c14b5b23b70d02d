import { listProducts } from "../repositories/catalog";
import { getRuntime } from "../runtime";

export const PRODUCTS_PAGE_SIZE = 50;

export async function loadProductsPage(shop: string, query: string, page: number) {
  const { db } = await getRuntime();
  const { rows, total } = await listProducts(db.prisma, shop, { query, take: PRODUCTS_PAGE_SIZE, skip: (page - 1) * PRODUCTS_PAGE_SIZE });
  return { rows, total, page, pageCount: Math.max(1, Math.ceil(total / PRODUCTS_PAGE_SIZE)) };
}
