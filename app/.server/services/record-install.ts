import { logger } from "../logger";
import { upsertShopInstalled } from "../repositories/shops";
import { getRuntime } from "../runtime";
import type { AdminGraphql } from "../shopify/admin-client";
import { fetchShopProfile } from "../shopify/operations/shop-profile";

/**
 * After Shopify-managed install or token exchange: the shop is active with these scopes, and we
 * know its currency and time zone. A failed profile read does not block the install; the next
 * authentication fills it in.
 */
export async function recordInstall(shop: string, scopes: string, graphql: AdminGraphql): Promise<void> {
  const runtime = await getRuntime();
  const profile = await fetchShopProfile(graphql).catch((error: unknown) => {
    logger.warn({ shop, err: error }, "could not read the shop profile after install");
    return null;
  });
  await upsertShopInstalled(runtime.db.prisma, shop, scopes, {
    name: profile?.name,
    currencyCode: profile?.currencyCode,
    ianaTimezone: profile?.ianaTimezone,
  });
}
