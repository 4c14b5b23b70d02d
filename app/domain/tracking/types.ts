/**
 * The contract of the pixel and consent checker (issue 7; facts in ../shared/specs/pixel-consent.md).
 *
 *   TrackingPlan (data, zod-validated) ─┐
 *   extension source + TOML ────────────┼─▶ checks (pure) ─▶ Finding[]
 *   traffic (HAR or collector log) ─────┘
 *
 * Everything is plain data so each check is a pure function a fixture can drive.
 */
import type { IdSchemeName } from "../channels/types";

export const PLATFORMS = ["meta", "tiktok", "pinterest", "ga4"] as const;
/** Destinations: Meta Pixel + Conversions API, TikTok Pixel + Events API, Pinterest Tag + CAPI, Google Analytics 4 (and Ads). */
export type Platform = (typeof PLATFORMS)[number];

/** The 15 standard events of @shopify/web-pixels-extension 2.18.0 (pinned; re-diff on upgrade). */
export const SHOPIFY_STANDARD_EVENTS = [
  "page_viewed",
  "collection_viewed",
  "search_submitted",
  "product_viewed",
  "product_added_to_cart",
  "product_removed_from_cart",
  "cart_viewed",
  "checkout_started",
  "checkout_contact_info_submitted",
  "checkout_address_info_submitted",
  "checkout_shipping_info_submitted",
  "payment_info_submitted",
  "checkout_completed",
  "alert_displayed",
  "ui_extension_errored",
] as const;
export type ShopifyStandardEvent = (typeof SHOPIFY_STANDARD_EVENTS)[number];

/** Shopify's customer privacy purposes; a destination belongs to exactly one. */
export type ConsentPurpose = "analytics" | "marketing" | "preferences" | "sale_of_data";

/** What `value` means for an event: comparable revenue needs one definition per event across platforms. */
export type ValueDefinition = "subtotal" | "total" | "line_total" | "unit_price" | "none";

/** Where the currency comes from: the presentment currency of the same MoneyV2 as the value, or the shop's. */
export type CurrencySource = "presentment" | "shop";

export interface AttributionWindow {
  /** Days after a click; null when the platform reports no click window. */
  clickDays: number | null;
  /** Days after a view; 0 when view-through is off. */
  viewDays: number | null;
  /** Free text for what the numbers cannot say ("data-driven, 90-day lookback"). */
  note?: string;
}

/** One Shopify event sent to one platform under one name with these parameters. */
export interface PlanDestinationEvent {
  platform: Platform;
  /** Exact casing as the platform expects it ("Purchase", "addtocart", "add_to_cart", "purchase"). */
  eventName: string;
  /** Also the server-side name where it differs (Pinterest CAPI snake_case). */
  serverEventName?: string;
  /** Parameter keys sent (content_ids, contents, value, currency, ...). */
  parameters: string[];
  valueDefinition: ValueDefinition;
  /** Declared custom (not a platform standard event): allowed, but audiences only on some platforms. */
  custom?: boolean;
}

export interface PlanEvent {
  /** A Shopify standard event, or a declared custom event (prefixed with the app's namespace). */
  shopifyEvent: string;
  destinations: PlanDestinationEvent[];
}

export interface PlanPlatformSettings {
  platform: Platform;
  enabled: boolean;
  purpose: ConsentPurpose;
  /** Forward server-side (Meta CAPI, TikTok Events API, Pinterest CAPI) from Shelfcast's collector. */
  serverSide: boolean;
  /** "product" = variant-level ids (content_type product), "product_group" = product-level ids. */
  contentType: "product" | "product_group";
  attributionWindow: AttributionWindow | null;
}

export interface TrackingPlan {
  version: 1;
  /** The same IdScheme the shop's feeds use, so content ids match catalog ids. */
  idScheme: IdSchemeName;
  currencySource: CurrencySource;
  /** Namespace prefix for custom events ("shelfcast:"). */
  customEventPrefix: string;
  platforms: PlanPlatformSettings[];
  events: PlanEvent[];
}

/** The web pixel extension as the checker reads it: its TOML and its source files, as text. */
export interface ExtensionSource {
  /** Path of the extension folder, for evidence ("extensions/shelfcast-pixel"). */
  path: string;
  toml: string;
  /** Relative path → file text (src/index.ts, ...). */
  files: Record<string, string>;
}

/** Consent as a request or log line shows it; null = unknown. */
export interface ObservedConsent {
  marketing: boolean | null;
  analytics: boolean | null;
  saleOfData: boolean | null;
}

/** One event seen in traffic: a browser request to a platform, or a server-side forward in the collector log. */
export interface TrafficEvent {
  /** Index of the HAR entry or log line: the evidence a finding points at. */
  index: number;
  platform: Platform;
  channel: "browser" | "server";
  eventName: string;
  /** Decoded parameters (query string, form or JSON body), flattened where the platform nests them. */
  params: Record<string, unknown>;
  eventId: string | null;
  /** ISO 8601 time of the request (HAR startedDateTime) or the event time it carries. */
  time: string;
  /** Time the event claims to have happened (CAPI event_time), when different from `time`. */
  eventTime?: string | null;
  consent: ObservedConsent;
  url: string;
}

export type FindingSeverity = "error" | "warning" | "info";

/**
 * One problem the checker found. `code` is stable ("pixel.casing_mismatch"); `check` is the number of
 * the check in pixel-consent.md §(c) (1–29) so every finding traces back to its rule.
 */
export interface Finding {
  code: string;
  check: number;
  severity: FindingSeverity;
  platform: Platform | null;
  /** Where: the plan path ("events[3].destinations[1].eventName"), the file and line, or the HAR entry. */
  evidence: { source: "plan" | "extension" | "traffic" | "catalog"; location: string; excerpt?: string };
  message: string;
  fix: string;
}

/** Catalog ids for the id-scheme checks: the item ids and group ids the shop's feeds carry. */
export interface CatalogIds {
  itemIds: ReadonlySet<string>;
  groupIds: ReadonlySet<string>;
}
