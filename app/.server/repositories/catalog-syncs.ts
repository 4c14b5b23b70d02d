import type { PrismaClient } from "~/generated/prisma/client";

export type SyncStatus = "queued" | "running" | "succeeded" | "failed";

export async function createCatalogSync(prisma: PrismaClient, shop: string, kind: string, source: string) {
  return prisma.catalogSync.create({ data: { shop, kind, source, status: "queued" } });
}

export async function getCatalogSync(prisma: PrismaClient, shop: string, id: string) {
  return prisma.catalogSync.findFirst({ where: { shop, id } });
}

export async function latestCatalogSync(prisma: PrismaClient, shop: string) {
  return prisma.catalogSync.findFirst({ where: { shop }, orderBy: { startedAt: "desc" } });
}

export async function activeCatalogSync(prisma: PrismaClient, shop: string) {
  return prisma.catalogSync.findFirst({ where: { shop, status: { in: ["queued", "running"] } }, orderBy: { startedAt: "desc" } });
}

export async function updateCatalogSync(
  prisma: PrismaClient,
  shop: string,
  id: string,
  data: Partial<{ status: SyncStatus; totalVariants: number; doneVariants: number; doneProducts: number; error: string | null; finishedAt: Date }>,
) {
  await prisma.catalogSync.updateMany({ where: { shop, id }, data });
}
