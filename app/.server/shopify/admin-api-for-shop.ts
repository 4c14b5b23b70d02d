import { SHOPIFY_API_VERSION } from "~/shopify.server";
import type { Runtime } from "../runtime";
import { createAdminApi, type AdminApi } from "./graphql-client";

/**
 * One client per shop and token for the life of the process, so every job of a shop shares what
 * Shopify last said about its rate-limit bucket instead of each job learning it afresh.
 */
const clients = new Map<string, AdminApi>();

/**
 * The Admin API for background work: the shop's offline token (never a staff member's session
 * token). A shop without one has uninstalled or never finished installing.
 */
export async function adminApiForShop(runtime: Runtime, shop: string): Promise<AdminApi> {
  const session = await runtime.db.prisma.session.findFirst({ where: { shop, isOnline: false }, orderBy: { expires: "desc" } });
  if (!session?.accessToken) throw new Error(`no offline access token for ${shop}: the app must be (re)installed`);
  const key = `${shop}\n${session.accessToken}`;
  let client = clients.get(key);
  if (!client) {
    client = createAdminApi({ shop, accessToken: session.accessToken, apiVersion: SHOPIFY_API_VERSION });
    clients.set(key, client);
  }
  return client;
}
