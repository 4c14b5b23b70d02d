import { logger } from "../logger";
import { getShop, upsertShopInstalled } from "../repositories/shops";
import { getRuntime } from "../runtime";
import type { AdminGraphql } from "../shopify/admin-client";
import { fetchShopProfile } from "../shopify/operations/shop-profile";
import { startCatalogSync } from "./catalog-sync/start-catalog-sync";
import { requestPixelSettingsSync } from "./tracking/sync-pixel-settings";

/**
 * After Shopify-managed install or token exchange: the shop is active with these scopes, and we
 * know its currency and time zone. A failed profile read does not block the install; the next
 * authentication fills it in. A first install starts the first full sync; a reinstall starts a
 * reconciliation (webhooks were not delivered while the app was uninstalled).
 */
export async function recordInstall(shop: string, scopes: string, graphql: AdminGraphql): Promise<void> {
  const runtime = await getRuntime();
  const profile = await fetchShopProfile(graphql).catch((error: unknown) => {
    logger.warn({ shop, err: error }, "could not read the shop profile after install");
    return null;
  });
  const before = await getShop(runtime.db.prisma, shop);
  await upsertShopInstalled(runtime.db.prisma, shop, scopes, {
    name: profile?.name,
    currencyCode: profile?.currencyCode,
    ianaTimezone: profile?.ianaTimezone,
    countryCode: profile?.billingAddress.countryCodeV2 ?? undefined,
    storefrontUrl: profile?.primaryDomain.url,
  });
  if (!before || !before.active) {
    await startCatalogSync(runtime, shop, before ? "reconcile" : "full", { kind: "shopify-bulk" });
  }
  // Every (re)install and token exchange: the web pixel is activated, or its settings re-sent
  // (the app URL may have changed); an unchanged pixel costs one read.
  await requestPixelSettingsSync(runtime, shop, "install");
}
