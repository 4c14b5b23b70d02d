/**
 * The tracking plan the pixel runs on: which Shopify standard event goes to which platform under
 * which name, with which parameters and which definition of `value`.
 *
 * EMBEDDED_PLAN is a compact copy of the app's default plan (app/domain/tracking/default-plan.ts), so
 * the pixel works the moment it is connected. The app can replace it per shop through the pixel's
 * `plan` setting (a JSON string in the same shape, produced by app/domain/tracking/extension-plan.ts
 * from the merchant's saved plan), so the pixel never has to be redeployed when a merchant edits
 * their plan. The types come from the app (type-only imports, erased from the bundle); a test keeps
 * EMBEDDED_PLAN equal to toPixelPlan(DEFAULT_TRACKING_PLAN).
 */
import type { PixelDestination, PixelPlan, PixelPlanEvent, PixelPlatform } from "../../../app/domain/tracking/extension-plan";
import type { ConsentPurpose, Platform, ValueDefinition } from "../../../app/domain/tracking/types";

export type { ConsentPurpose, PixelDestination, PixelPlan, PixelPlanEvent, PixelPlatform, Platform, ValueDefinition };

const MONEY = ["value", "currency"];
const META_ITEMS = ["content_ids", "content_type", "contents", ...MONEY];

export const EMBEDDED_PLAN: PixelPlan = {
  version: 1,
  idScheme: "variant-id",
  platforms: [
    { platform: "meta", purpose: "marketing", contentType: "product" },
    { platform: "tiktok", purpose: "marketing", contentType: "product" },
    { platform: "pinterest", purpose: "marketing", contentType: "product" },
    { platform: "ga4", purpose: "analytics", contentType: "product" },
  ],
  events: [
    {
      shopifyEvent: "page_viewed",
      destinations: [
        { platform: "meta", eventName: "PageView", parameters: [], valueDefinition: "none" },
        { platform: "tiktok", eventName: "Pageview", parameters: [], valueDefinition: "none" },
        { platform: "ga4", eventName: "page_view", parameters: ["page_location", "page_title"], valueDefinition: "none" },
      ],
    },
    {
      shopifyEvent: "collection_viewed",
      destinations: [
        { platform: "pinterest", eventName: "viewcategory", parameters: ["product_category", "line_items"], valueDefinition: "none" },
        { platform: "ga4", eventName: "view_item_list", parameters: ["items", "item_list_id", "item_list_name"], valueDefinition: "none" },
      ],
    },
    {
      shopifyEvent: "search_submitted",
      destinations: [
        { platform: "meta", eventName: "Search", parameters: ["search_string", "content_ids", "content_type"], valueDefinition: "none" },
        { platform: "tiktok", eventName: "Search", parameters: ["search_string"], valueDefinition: "none" },
        { platform: "pinterest", eventName: "search", parameters: ["search_query"], valueDefinition: "none" },
        { platform: "ga4", eventName: "search", parameters: ["search_term"], valueDefinition: "none" },
      ],
    },
    {
      shopifyEvent: "product_viewed",
      destinations: [
        { platform: "meta", eventName: "ViewContent", parameters: META_ITEMS, valueDefinition: "unit_price" },
        { platform: "tiktok", eventName: "ViewContent", parameters: META_ITEMS, valueDefinition: "unit_price" },
        { platform: "pinterest", eventName: "pagevisit", parameters: ["line_items"], valueDefinition: "none" },
        { platform: "ga4", eventName: "view_item", parameters: ["items", ...MONEY], valueDefinition: "unit_price" },
      ],
    },
    {
      shopifyEvent: "product_added_to_cart",
      destinations: [
        { platform: "meta", eventName: "AddToCart", parameters: META_ITEMS, valueDefinition: "line_total" },
        { platform: "tiktok", eventName: "AddToCart", parameters: META_ITEMS, valueDefinition: "line_total" },
        { platform: "pinterest", eventName: "addtocart", parameters: ["value", "order_quantity", "currency", "line_items"], valueDefinition: "line_total" },
        { platform: "ga4", eventName: "add_to_cart", parameters: ["items", ...MONEY], valueDefinition: "line_total" },
      ],
    },
    {
      shopifyEvent: "product_removed_from_cart",
      destinations: [{ platform: "ga4", eventName: "remove_from_cart", parameters: ["items", ...MONEY], valueDefinition: "line_total" }],
    },
    {
      shopifyEvent: "cart_viewed",
      destinations: [{ platform: "ga4", eventName: "view_cart", parameters: ["items", ...MONEY], valueDefinition: "subtotal" }],
    },
    {
      shopifyEvent: "checkout_started",
      destinations: [
        { platform: "meta", eventName: "InitiateCheckout", parameters: ["content_ids", "content_type", "contents", "num_items", ...MONEY], valueDefinition: "subtotal" },
        { platform: "tiktok", eventName: "InitiateCheckout", parameters: ["contents", "content_type", ...MONEY], valueDefinition: "subtotal" },
        { platform: "ga4", eventName: "begin_checkout", parameters: ["items", ...MONEY, "coupon"], valueDefinition: "subtotal" },
      ],
    },
    {
      shopifyEvent: "checkout_shipping_info_submitted",
      destinations: [{ platform: "ga4", eventName: "add_shipping_info", parameters: ["items", "shipping_tier", ...MONEY], valueDefinition: "subtotal" }],
    },
    {
      shopifyEvent: "payment_info_submitted",
      destinations: [
        { platform: "meta", eventName: "AddPaymentInfo", parameters: META_ITEMS, valueDefinition: "subtotal" },
        { platform: "tiktok", eventName: "AddPaymentInfo", parameters: ["contents", "content_type", ...MONEY], valueDefinition: "subtotal" },
        { platform: "ga4", eventName: "add_payment_info", parameters: ["items", "payment_type", ...MONEY], valueDefinition: "subtotal" },
      ],
    },
    {
      shopifyEvent: "checkout_completed",
      destinations: [
        { platform: "meta", eventName: "Purchase", parameters: [...MONEY, "contents", "content_ids", "content_type", "num_items", "order_id"], valueDefinition: "subtotal" },
        { platform: "tiktok", eventName: "Purchase", parameters: [...MONEY, "contents", "content_type", "content_ids", "order_id"], valueDefinition: "subtotal" },
        { platform: "pinterest", eventName: "checkout", parameters: [...MONEY, "line_items", "order_quantity", "order_id"], valueDefinition: "subtotal" },
        { platform: "ga4", eventName: "purchase", parameters: ["transaction_id", "items", ...MONEY, "tax", "shipping", "coupon"], valueDefinition: "subtotal" },
      ],
    },
  ],
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPlan(value: unknown): value is PixelPlan {
  return isRecord(value) && value.version === 1 && typeof value.idScheme === "string" && Array.isArray(value.platforms) && Array.isArray(value.events);
}

/**
 * The plan from the pixel's `plan` setting when it holds a plan, else the embedded default. A plan
 * that does not parse must not silence tracking, so it falls back rather than throwing; the app
 * validates plans on save, so this only guards against a hand-edited setting.
 */
export function resolvePlan(setting: unknown): PixelPlan {
  if (typeof setting !== "string" || setting.trim() === "") return EMBEDDED_PLAN;
  try {
    const parsed: unknown = JSON.parse(setting);
    return isPlan(parsed) ? parsed : EMBEDDED_PLAN;
  } catch {
    return EMBEDDED_PLAN;
  }
}
