import { cancelShopJobs } from "../jobs/queue";
import { eraseShopRows } from "../repositories/tenant-data";
import type { WebhookHandler } from "./types";

/**
 * Shopify's mandatory privacy webhooks. Shelfcast keeps product data, never customer data, so the
 * two customer topics have nothing to return or erase; we keep only the request's ids (never the
 * e-mail or phone in the payload) as proof the request was answered.
 */
function keepRequestIdsOnly(payload: Record<string, unknown>): Record<string, unknown> {
  const customer = payload.customer as { id?: unknown } | undefined;
  const dataRequest = payload.data_request as { id?: unknown } | undefined;
  return {
    shop_id: payload.shop_id ?? null,
    customer_id: customer?.id ?? null,
    data_request_id: dataRequest?.id ?? null,
    orders_count: Array.isArray(payload.orders_requested)
      ? payload.orders_requested.length
      : Array.isArray(payload.orders_to_redact)
        ? payload.orders_to_redact.length
        : 0,
  };
}

function customerRequestHandler(topic: string, outcome: string): WebhookHandler {
  return { topic, runsForInactiveShop: true, redactForStorage: keepRequestIdsOnly, handle: async () => outcome };
}

export const customersDataRequest = customerRequestHandler(
  "customers/data_request",
  "Shelfcast stores no customer personal data; nothing to report to the merchant",
);

export const customersRedact = customerRequestHandler("customers/redact", "Shelfcast stores no customer personal data; nothing to erase");

/** 48 hours after uninstall: every row of the shop goes, in one transaction. */
export const shopRedact: WebhookHandler = {
  topic: "shop/redact",
  runsForInactiveShop: true,
  redactForStorage: (payload) => ({ shop_id: payload.shop_id ?? null }),
  async handle({ runtime, shop }) {
    const cancelled = await cancelShopJobs(runtime.boss, shop);
    const erased = await eraseShopRows(runtime.db.sql, shop);
    return `${erased} row(s) erased, ${cancelled} queued job(s) cancelled`;
  },
};
