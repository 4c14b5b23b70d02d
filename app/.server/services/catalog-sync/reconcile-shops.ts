import { logger } from "../../logger";
import type { Runtime } from "../../runtime";
import { startCatalogSync } from "./start-catalog-sync";

/**
 * Shopify does not guarantee webhook delivery and recommends periodic reconciliation. A scheduled
 * full sync per installed shop compares Shopify with the snapshot, fixes drift and records how much
 * it found (catalog_sync.drift: added, changed, removed).
 */
export async function reconcileAllShops(runtime: Runtime): Promise<number> {
  const shops = await runtime.db.prisma.shop.findMany({ where: { active: true, isDemo: false }, select: { shop: true } });
  let started = 0;
  for (const { shop } of shops) {
    const hasToken = await runtime.db.prisma.session.count({ where: { shop, isOnline: false } });
    if (!hasToken) continue;
    const { alreadyRunning } = await startCatalogSync(runtime, shop, "reconcile", { kind: "shopify-bulk" });
    if (!alreadyRunning) started += 1;
  }
  logger.info({ shops: shops.length, started }, "scheduled reconciliation");
  return started;
}
