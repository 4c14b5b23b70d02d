import { appScopesUpdate } from "./app-scopes-update";
import { appUninstalled } from "./app-uninstalled";
import { CATALOG_WEBHOOK_HANDLERS } from "./catalog";
import { customersDataRequest, customersRedact, shopRedact } from "./compliance";
import type { WebhookHandler } from "./types";

/** Every topic Shelfcast subscribes to (shopify.app.toml) and the handler that owns it. */
export const WEBHOOK_HANDLERS: ReadonlyMap<string, WebhookHandler> = new Map(
  [appUninstalled, appScopesUpdate, customersDataRequest, customersRedact, shopRedact, ...CATALOG_WEBHOOK_HANDLERS].map((handler) => [handler.topic, handler]),
);
