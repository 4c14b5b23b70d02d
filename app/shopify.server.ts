import "@shopify/shopify-app-remix/adapters/node";
import { shopifyApi } from "@shopify/shopify-api";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { env } from "./env.server";
import { getRuntime } from "./.server/runtime";
import { PrismaSessionStorage } from "./.server/shopify/session-storage";
import { recordInstall } from "./.server/services/record-install";

/**
 * The pinned Admin API version. Every GraphQL document is validated against Shopify's 2025-01
 * schema in ../shared (tests/integration/shopify/graphql-documents.test.ts); fields newer than
 * that go in the allowlist there with the changelog entry that introduced them.
 */
export const SHOPIFY_API_VERSION = ApiVersion.October25;

function createShopifyApp() {
  const config = env();
  return shopifyApp({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecret,
    appUrl: config.appUrl,
    scopes: config.scopes,
    apiVersion: SHOPIFY_API_VERSION,
    authPathPrefix: "/auth",
    distribution: AppDistribution.AppStore,
    // The library logs every request at INFO on the console; on the webhook path that is most of
    // the time spent. Warnings and errors still show; our own logger records what we do.
    logger: { level: LogSeverity.Warning },
    isEmbeddedApp: true,
    sessionStorage: new PrismaSessionStorage(async () => (await getRuntime()).db.prisma),
    // Shopify-managed installation with token exchange: no OAuth redirects inside the iframe.
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    hooks: {
      afterAuth: async ({ session, admin }) => {
        // Offline sessions are the ones background jobs use; record the shop as (re)installed.
        if (!session.isOnline) await recordInstall(session.shop, session.scope ?? "", admin.graphql);
      },
    },
  });
}

/**
 * Shopify's API library configured like the app, used where the Remix wrapper does more than we
 * want: webhook intake verifies with `webhooks.validate` alone (no session load per delivery).
 */
function createShopifyApi() {
  const config = env();
  return shopifyApi({
    apiKey: config.apiKey,
    apiSecretKey: config.apiSecret,
    hostName: new URL(config.appUrl).host,
    hostScheme: new URL(config.appUrl).protocol === "http:" ? "http" : "https",
    scopes: config.scopes,
    apiVersion: SHOPIFY_API_VERSION,
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Warning },
  });
}

type ShopifyApp = ReturnType<typeof createShopifyApp>;
type ShopifyApi = ReturnType<typeof createShopifyApi>;
const holder = globalThis as unknown as { __shelfcastShopify?: ShopifyApp; __shelfcastShopifyApi?: ShopifyApi };

export function shopifyApiLibrary(): ShopifyApi {
  holder.__shelfcastShopifyApi ??= createShopifyApi();
  return holder.__shelfcastShopifyApi;
}

/** Created lazily so importing this module never reads the environment before boot validates it. */
export function shopify(): ShopifyApp {
  holder.__shelfcastShopify ??= createShopifyApp();
  return holder.__shelfcastShopify;
}

/** Tests change credentials between files. */
export function resetShopifyForTests(): void {
  holder.__shelfcastShopify = undefined;
  holder.__shelfcastShopifyApi = undefined;
}
