import type { Runtime } from "../../app/.server/runtime";
import { replaceProducts } from "../../app/.server/repositories/catalog";
import { buildProduct } from "./product";

/** A shop with sessions, products, a catalog sync and an inbox row: a row in every tenant table. */
export async function seedShop(runtime: Runtime, shop: string, counts: { sessions: number; products: number }) {
  const { prisma } = runtime.db;
  await prisma.shop.upsert({ where: { shop }, create: { shop, scopes: "read_products" }, update: {} });
  for (let i = 0; i < counts.sessions; i += 1) {
    await prisma.session.create({ data: { id: `${shop}_${i}`, shop, state: "s", isOnline: i > 0, accessToken: `shpat_${i}` } });
  }
  const products = Array.from({ length: counts.products }, (_, i) => buildProduct({ id: `gid://shopify/Product/${hash(shop)}${i}`, title: `${shop} product ${i}` }));
  await replaceProducts(runtime.db, shop, products, new Date());
  const sync = await prisma.catalogSync.create({ data: { shop, kind: "full", status: "running", phase: "staging" } });
  await prisma.catalogSyncLine.create({ data: { shop, syncId: sync.id, lineNo: 1, gid: "gid://shopify/Product/1", body: "{}" } });
  await prisma.webhookInbox.create({ data: { shop, topic: "app/scopes_update", eventId: `seed-${shop}`, payload: {}, status: "processed" } });
}

function hash(text: string): number {
  let h = 0;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) % 100_000;
  return h;
}
