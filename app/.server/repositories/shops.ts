import type { PrismaClient } from "~/generated/prisma/client";

/** Shop rows: install state and scopes. */
export interface ShopDetails {
  isDemo?: boolean;
  name?: string;
  currencyCode?: string;
  ianaTimezone?: string;
  countryCode?: string;
  storefrontUrl?: string;
}

export async function upsertShopInstalled(prisma: PrismaClient, shop: string, scopes: string, details: ShopDetails = {}) {
  const profile = {
    name: details.name,
    currencyCode: details.currencyCode,
    ianaTimezone: details.ianaTimezone,
    countryCode: details.countryCode,
    storefrontUrl: details.storefrontUrl,
  };
  return prisma.shop.upsert({
    where: { shop },
    create: { shop, scopes, active: true, isDemo: details.isDemo ?? false, ...profile },
    update: { scopes, active: true, uninstalledAt: null, ...profile },
  });
}

export async function getShop(prisma: PrismaClient, shop: string) {
  return prisma.shop.findUnique({ where: { shop } });
}

export async function markShopUninstalled(prisma: PrismaClient, shop: string, at: Date) {
  await prisma.shop.updateMany({ where: { shop }, data: { active: false, uninstalledAt: at } });
}

export async function updateShopScopes(prisma: PrismaClient, shop: string, scopes: string) {
  await prisma.shop.updateMany({ where: { shop }, data: { scopes } });
  await prisma.session.updateMany({ where: { shop }, data: { scope: scopes } });
}

export async function deleteShopSessions(prisma: PrismaClient, shop: string): Promise<number> {
  const { count } = await prisma.session.deleteMany({ where: { shop } });
  return count;
}
