import type { PrismaClient } from "~/generated/prisma/client";

/** Catalog sync rows are written by the sync state machine (services/catalog-sync); these read them. */
export async function latestCatalogSync(prisma: PrismaClient, shop: string) {
  return prisma.catalogSync.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });
}

export async function activeCatalogSync(prisma: PrismaClient, shop: string) {
  return prisma.catalogSync.findFirst({ where: { shop, status: { in: ["queued", "running"] } }, orderBy: { startedAt: "desc" } });
}
