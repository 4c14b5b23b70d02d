import { countCatalog } from "../repositories/catalog";
import { latestCatalogSync } from "../repositories/catalog-syncs";
import { getShop } from "../repositories/shops";
import { getRuntime } from "../runtime";

export interface DashboardView {
  counts: { products: number; variants: number; soldOutVariants: number };
  lastSyncAt: string | null;
  sync: null | {
    id: string;
    kind: string;
    status: string;
    doneVariants: number;
    totalVariants: number | null;
    error: string | null;
    startedAt: string;
    finishedAt: string | null;
  };
}

export async function loadDashboard(shop: string): Promise<DashboardView> {
  const { db } = await getRuntime();
  const [counts, sync, shopRow] = await Promise.all([
    countCatalog(db.prisma, shop),
    latestCatalogSync(db.prisma, shop),
    getShop(db.prisma, shop),
  ]);
  return {
    counts,
    lastSyncAt: shopRow?.lastSyncAt?.toISOString() ?? null,
    sync: sync && {
      id: sync.id,
      kind: sync.kind,
      status: sync.status,
      doneVariants: sync.doneVariants,
      totalVariants: sync.totalVariants,
      error: sync.error,
      startedAt: sync.startedAt.toISOString(),
      finishedAt: sync.finishedAt?.toISOString() ?? null,
    },
  };
}
