/**
 * What each ad/analytics platform expects, as data: standard event names with their exact spelling,
 * the canonical Shopify → platform mapping of pixel-consent.md §(a), purchase-class events, consent
 * purposes per §(b), attribution windows per §(c) 29 and currency lists. Shared by the plan, extension
 * and traffic checks so a name is judged the same way wherever it appears.
 */
import type {
  AttributionWindow,
  ConsentPurpose,
  FindingSeverity,
  Platform,
  ShopifyStandardEvent,
  ValueDefinition,
} from "./types";

// ---------------------------------------------------------------------------------------------------
// Standard event names (exact casing)
// ---------------------------------------------------------------------------------------------------

export const META_STANDARD_EVENTS = [
  "AddPaymentInfo",
  "AddToCart",
  "AddToWishlist",
  "CompleteRegistration",
  "Contact",
  "CustomizeProduct",
  "Donate",
  "FindLocation",
  "InitiateCheckout",
  "Lead",
  "PageView",
  "Purchase",
  "Schedule",
  "Search",
  "StartTrial",
  "SubmitApplication",
  "Subscribe",
  "ViewContent",
] as const;

/**
 * TikTok's 2025 list, plus "Pageview": the event `ttq.page()` sends. It is not an optimisation
 * event, but it is what every TikTok pixel sends on page load, so it must not read as unknown.
 */
export const TIKTOK_STANDARD_EVENTS = [
  "AddPaymentInfo",
  "AddToCart",
  "AddToWishlist",
  "ApplicationApproval",
  "CompleteRegistration",
  "Contact",
  "CustomizeProduct",
  "Download",
  "FindLocation",
  "InitiateCheckout",
  "Lead",
  "Purchase",
  "Schedule",
  "Search",
  "StartTrial",
  "SubmitApplication",
  "Subscribe",
  "ViewContent",
  "Pageview",
] as const;

/** Pinterest Tag event codes, as `pintrk('track', code)` takes them (lower case, no separators). */
export const PINTEREST_TAG_EVENTS = [
  "pagevisit",
  "viewcategory",
  "search",
  "addtocart",
  "checkout",
  "watchvideo",
  "signup",
  "lead",
  "custom",
] as const;

/** Pinterest Conversions API `event_name` values (snake_case), in the same order as the tag codes. */
export const PINTEREST_CAPI_EVENTS = [
  "page_visit",
  "view_category",
  "search",
  "add_to_cart",
  "checkout",
  "watch_video",
  "signup",
  "lead",
  "custom",
] as const;

/** GA4's ecommerce events that carry the `items` a catalog is matched on (the traffic check's catalog parameters). */
export const GA4_ECOMMERCE_EVENTS = [
  "view_item_list",
  "select_item",
  "view_item",
  "add_to_wishlist",
  "add_to_cart",
  "remove_from_cart",
  "view_cart",
  "begin_checkout",
  "add_shipping_info",
  "add_payment_info",
  "purchase",
] as const;

/**
 * GA4's recommended events, plus `view_search_results` (enhanced measurement's search event) and
 * Google Ads' `conversion` (the Ads tag shares gtag and is audited under the "ga4" platform).
 */
export const GA4_STANDARD_EVENTS = [
  "page_view",
  ...GA4_ECOMMERCE_EVENTS,
  "refund",
  "view_promotion",
  "select_promotion",
  "search",
  "view_search_results",
  "sign_up",
  "login",
  "generate_lead",
  "conversion",
] as const;

/** Every standard name per platform; Pinterest lists its tag codes and its CAPI names (both valid). */
export const STANDARD_EVENT_NAMES: Readonly<Record<Platform, readonly string[]>> = {
  meta: META_STANDARD_EVENTS,
  tiktok: TIKTOK_STANDARD_EVENTS,
  pinterest: [...new Set<string>([...PINTEREST_TAG_EVENTS, ...PINTEREST_CAPI_EVENTS])],
  ga4: GA4_STANDARD_EVENTS,
};

/** Which side sends a name: only Pinterest spells the same event differently on each side. */
export type SendChannel = "browser" | "server";

// ---------------------------------------------------------------------------------------------------
// Legacy TikTok names (§(c) 5)
// ---------------------------------------------------------------------------------------------------

export interface LegacyTikTokEvent {
  /** The 2025 standard name to send instead; null when TikTok has no standard equivalent. */
  replacement: string | null;
  severity: FindingSeverity;
  note: string;
}

/** TikTok's renames of May 2025 (web, offline and CRM events). Names are case-sensitive. */
export const LEGACY_TIKTOK_EVENTS: Readonly<Record<string, LegacyTikTokEvent>> = {
  CompletePayment: {
    replacement: "Purchase",
    severity: "info",
    note: "TikTok renamed CompletePayment to Purchase in May 2025; the old name is still accepted and reported as Purchase.",
  },
  SubmitForm: {
    replacement: "Lead",
    severity: "info",
    note: "TikTok renamed SubmitForm to Lead in May 2025; the old name is still accepted and reported as Lead.",
  },
  PlaceAnOrder: {
    replacement: "Purchase",
    severity: "warning",
    note: "TikTok soft-deprecated PlaceAnOrder in 2025 and documents support only until 2027.",
  },
  ClickButton: {
    replacement: null,
    severity: "warning",
    note: "TikTok soft-deprecated ClickButton in 2025 and documents support only until 2027; it has no standard replacement.",
  },
};

export function legacyTikTokEvent(name: string): LegacyTikTokEvent | null {
  return Object.hasOwn(LEGACY_TIKTOK_EVENTS, name) ? (LEGACY_TIKTOK_EVENTS[name] ?? null) : null;
}

// ---------------------------------------------------------------------------------------------------
// Canonical spelling (§(c) 4)
// ---------------------------------------------------------------------------------------------------

/**
 * The key two spellings of one event share: lower case without separators, so "purchase", "Add To
 * Cart", "add_to_cart" and "addToCart" all meet their standard spelling.
 */
export function looseEventKey(name: string): string {
  return name.toLowerCase().replace(SEPARATORS, "");
}
const SEPARATORS = /[\s_\-.]+/g;

function spellingIndex(names: readonly string[]): ReadonlyMap<string, string> {
  const index = new Map<string, string>();
  for (const name of names) index.set(looseEventKey(name), name);
  return index;
}

/** Legacy TikTok names are spellings too: "completepayment" is a casing error before it is a legacy one. */
const SPELLINGS = {
  meta: spellingIndex(META_STANDARD_EVENTS),
  tiktok: spellingIndex([...TIKTOK_STANDARD_EVENTS, ...Object.keys(LEGACY_TIKTOK_EVENTS)]),
  pinterestTag: spellingIndex(PINTEREST_TAG_EVENTS),
  pinterestCapi: spellingIndex(PINTEREST_CAPI_EVENTS),
  ga4: spellingIndex(GA4_STANDARD_EVENTS),
} as const;

const PINTEREST_TAG_SET: ReadonlySet<string> = new Set(PINTEREST_TAG_EVENTS);
const PINTEREST_CAPI_SET: ReadonlySet<string> = new Set(PINTEREST_CAPI_EVENTS);

function pinterestSpelling(name: string, channel: SendChannel | undefined): string | null {
  const key = looseEventKey(name);
  if (channel === "browser") return SPELLINGS.pinterestTag.get(key) ?? null;
  if (channel === "server") return SPELLINGS.pinterestCapi.get(key) ?? null;
  // Side unknown: a name already valid on either side is its own spelling; otherwise an underscore
  // suggests the CAPI spelling was meant, anything else the tag code.
  if (PINTEREST_TAG_SET.has(name) || PINTEREST_CAPI_SET.has(name)) return name;
  const [first, second] = name.includes("_")
    ? [SPELLINGS.pinterestCapi, SPELLINGS.pinterestTag]
    : [SPELLINGS.pinterestTag, SPELLINGS.pinterestCapi];
  return first.get(key) ?? second.get(key) ?? null;
}

/**
 * The standard spelling a name resolves to when casing and separators are ignored ("purchase" →
 * "Purchase" on Meta, "AddToCart" → "addtocart" on the Pinterest tag, "addToCart" → "add_to_cart" on
 * GA4), or null when it matches no standard (or legacy TikTok) name. Equal to `name` when already right.
 * `channel` picks Pinterest's tag codes ("browser") or CAPI names ("server").
 */
export function canonicalSpelling(platform: Platform, name: string, channel?: SendChannel): string | null {
  if (platform === "pinterest") return pinterestSpelling(name, channel);
  return SPELLINGS[platform].get(looseEventKey(name)) ?? null;
}

/** Whether `name` is exactly a standard name of the platform (for Pinterest, of the given side). */
export function isStandardEventName(platform: Platform, name: string, channel?: SendChannel): boolean {
  if (platform === "pinterest") {
    if (channel === "browser") return PINTEREST_TAG_SET.has(name);
    if (channel === "server") return PINTEREST_CAPI_SET.has(name);
  }
  return STANDARD_SETS[platform].has(name);
}
const STANDARD_SETS: Readonly<Record<Platform, ReadonlySet<string>>> = {
  meta: new Set(STANDARD_EVENT_NAMES.meta),
  tiktok: new Set(STANDARD_EVENT_NAMES.tiktok),
  pinterest: new Set(STANDARD_EVENT_NAMES.pinterest),
  ga4: new Set(STANDARD_EVENT_NAMES.ga4),
};

/** The Pinterest CAPI name of a tag code ("addtocart" → "add_to_cart"), or null for a non-standard code. */
export function pinterestServerName(tagCode: string): string | null {
  const index = (PINTEREST_TAG_EVENTS as readonly string[]).indexOf(tagCode);
  return index >= 0 ? (PINTEREST_CAPI_EVENTS[index] ?? null) : null;
}

// ---------------------------------------------------------------------------------------------------
// Purchase-class events, purposes
// ---------------------------------------------------------------------------------------------------

/**
 * Events that count an order (§(c) 9), in their standard spelling. TikTok's legacy names count too:
 * TikTok still reports them as purchases. Pinterest's `checkout` is the same on tag and CAPI.
 */
export const PURCHASE_EVENTS: Readonly<Record<Platform, readonly string[]>> = {
  meta: ["Purchase"],
  tiktok: ["Purchase", "CompletePayment", "PlaceAnOrder"],
  pinterest: ["checkout"],
  ga4: ["purchase"],
};

export function isPurchaseEvent(platform: Platform, name: string): boolean {
  return PURCHASE_EVENTS[platform].includes(name);
}

/** Ad platforms: they may only fire with marketing permission (§(b)). */
export const MARKETING_PLATFORMS: readonly Platform[] = ["meta", "tiktok", "pinterest"];

export function isMarketingPlatform(platform: Platform): boolean {
  return MARKETING_PLATFORMS.includes(platform);
}

/** The one Shopify purpose each destination is gated on (§(b); Google Ads rides on GA4's gtag but is marketing). */
export const EXPECTED_PURPOSE: Readonly<Record<Platform, ConsentPurpose>> = {
  meta: "marketing",
  tiktok: "marketing",
  pinterest: "marketing",
  ga4: "analytics",
};

export const PLATFORM_LABELS: Readonly<Record<Platform, string>> = {
  meta: "Meta",
  tiktok: "TikTok",
  pinterest: "Pinterest",
  ga4: "Google Analytics 4",
};

// ---------------------------------------------------------------------------------------------------
// Canonical mapping (§(a))
// ---------------------------------------------------------------------------------------------------

export interface MappedEventSpec {
  /** Browser name (Pinterest: tag code). */
  eventName: string;
  /** Server name where it differs (Pinterest CAPI). */
  serverEventName?: string;
  /** Parameters the platform (or the catalog/ROAS feature merchants use) requires. */
  required: readonly string[];
  recommended: readonly string[];
}

export interface CanonicalMapping {
  /** The expected destination event, or null when the platform has no standard event for it. */
  expected: MappedEventSpec | null;
  /** Other standard names that are acceptable for this Shopify event (not a mis-mapping). */
  alternatives?: readonly string[];
  note?: string;
}

const NO_EVENT: CanonicalMapping = { expected: null };

function spec(eventName: string, required: readonly string[], recommended: readonly string[], serverEventName?: string): MappedEventSpec {
  return serverEventName === undefined ? { eventName, required, recommended } : { eventName, serverEventName, required, recommended };
}

function only(mapping: Partial<Record<Platform, CanonicalMapping>>): Readonly<Record<Platform, CanonicalMapping>> {
  return {
    meta: mapping.meta ?? NO_EVENT,
    tiktok: mapping.tiktok ?? NO_EVENT,
    pinterest: mapping.pinterest ?? NO_EVENT,
    ga4: mapping.ga4 ?? NO_EVENT,
  };
}

/** Diagnostics events: useful for monitoring, never a conversion on any platform. */
const DIAGNOSTIC: CanonicalMapping = { expected: null, note: "a diagnostics event; never map it to a conversion" };
const DIAGNOSTIC_ONLY = { meta: DIAGNOSTIC, tiktok: DIAGNOSTIC, pinterest: DIAGNOSTIC, ga4: DIAGNOSTIC };
/** Contact and address steps: a shopper already in checkout is not a lead (Lead / generate_lead are not equivalent). */
const CHECKOUT_STEP: CanonicalMapping = { expected: null, note: "a checkout step is not a lead; send a declared custom event if you need it" };
const CHECKOUT_STEP_ONLY = { meta: CHECKOUT_STEP, tiktok: CHECKOUT_STEP, pinterest: CHECKOUT_STEP, ga4: CHECKOUT_STEP };

const META_CATALOG_PARAMS = ["content_ids", "content_type", "contents"] as const;
const TIKTOK_CATALOG_PARAMS = ["content_ids", "content_type", "contents"] as const;
const MONEY = ["value", "currency"] as const;

/**
 * Shopify standard event → per platform the event to send and its parameters (pixel-consent.md §(a)).
 * "Required" includes what catalog ads / value optimisation need, since that is why merchants send them.
 */
export const CANONICAL_MAPPING: Readonly<Record<ShopifyStandardEvent, Readonly<Record<Platform, CanonicalMapping>>>> = {
  page_viewed: only({
    meta: { expected: spec("PageView", [], []) },
    tiktok: { expected: spec("Pageview", [], []), note: "sent by ttq.page()" },
    pinterest: { expected: null, note: "the base code's pintrk('page') records page views; pagevisit is for key pages such as product pages" },
    ga4: { expected: spec("page_view", [], ["page_location", "page_title"]), note: "sent by the gtag config" },
  }),
  collection_viewed: only({
    meta: { expected: null, alternatives: ["ViewContent"], note: "ViewContent with content_type product_group only if the plan says so" },
    pinterest: { expected: spec("viewcategory", [], ["product_category", "line_items"], "view_category") },
    ga4: { expected: spec("view_item_list", ["items"], ["item_list_id", "item_list_name"]) },
  }),
  search_submitted: only({
    meta: { expected: spec("Search", [], ["search_string", "content_ids", "content_type"]) },
    tiktok: { expected: spec("Search", [], ["search_string"]) },
    pinterest: { expected: spec("search", [], ["search_query"], "search") },
    ga4: { expected: spec("search", ["search_term"], []), alternatives: ["view_search_results"] },
  }),
  product_viewed: only({
    meta: { expected: spec("ViewContent", ["content_ids", "content_type"], ["contents", ...MONEY]) },
    tiktok: { expected: spec("ViewContent", TIKTOK_CATALOG_PARAMS, MONEY) },
    pinterest: { expected: spec("pagevisit", [], ["line_items"], "page_visit") },
    ga4: { expected: spec("view_item", ["items"], MONEY) },
  }),
  product_added_to_cart: only({
    meta: { expected: spec("AddToCart", META_CATALOG_PARAMS, MONEY) },
    tiktok: { expected: spec("AddToCart", TIKTOK_CATALOG_PARAMS, MONEY) },
    pinterest: { expected: spec("addtocart", [], ["value", "order_quantity", "currency", "line_items"], "add_to_cart") },
    ga4: { expected: spec("add_to_cart", ["items"], MONEY) },
  }),
  product_removed_from_cart: only({ ga4: { expected: spec("remove_from_cart", ["items"], MONEY) } }),
  cart_viewed: only({ ga4: { expected: spec("view_cart", ["items"], MONEY) } }),
  checkout_started: only({
    meta: { expected: spec("InitiateCheckout", [], ["content_ids", "content_type", "contents", "num_items", ...MONEY]) },
    tiktok: { expected: spec("InitiateCheckout", [], ["contents", "content_type", ...MONEY]) },
    pinterest: { expected: null, note: "Pinterest's checkout means a completed transaction" },
    ga4: { expected: spec("begin_checkout", ["items"], [...MONEY, "coupon"]) },
  }),
  checkout_contact_info_submitted: only(CHECKOUT_STEP_ONLY),
  checkout_address_info_submitted: only(CHECKOUT_STEP_ONLY),
  checkout_shipping_info_submitted: only({ ga4: { expected: spec("add_shipping_info", ["items"], ["shipping_tier", ...MONEY]) } }),
  payment_info_submitted: only({
    meta: { expected: spec("AddPaymentInfo", [], ["content_ids", "content_type", "contents", ...MONEY]) },
    tiktok: { expected: spec("AddPaymentInfo", [], ["contents", "content_type", ...MONEY]) },
    ga4: { expected: spec("add_payment_info", ["items"], ["payment_type", ...MONEY]) },
  }),
  checkout_completed: only({
    meta: { expected: spec("Purchase", MONEY, ["contents", "content_ids", "content_type", "num_items", "order_id"]) },
    tiktok: { expected: spec("Purchase", MONEY, ["contents", "content_type", "content_ids", "order_id"]) },
    pinterest: { expected: spec("checkout", [...MONEY, "line_items"], ["order_quantity", "order_id"], "checkout") },
    ga4: { expected: spec("purchase", ["transaction_id", "items", ...MONEY], ["tax", "shipping", "coupon"]) },
  }),
  alert_displayed: only(DIAGNOSTIC_ONLY),
  ui_extension_errored: only(DIAGNOSTIC_ONLY),
};

/**
 * What `value` means per Shopify event, the same on every platform so revenue compares. GA4's rule
 * (Σ price × quantity, no tax or shipping) sets it: a product view is one unit, a cart line its line
 * total, carts and checkouts their subtotal.
 */
export const EVENT_VALUE_DEFINITION: Readonly<Record<ShopifyStandardEvent, ValueDefinition>> = {
  page_viewed: "none",
  collection_viewed: "none",
  search_submitted: "none",
  product_viewed: "unit_price",
  product_added_to_cart: "line_total",
  product_removed_from_cart: "line_total",
  cart_viewed: "subtotal",
  checkout_started: "subtotal",
  checkout_contact_info_submitted: "none",
  checkout_address_info_submitted: "none",
  checkout_shipping_info_submitted: "subtotal",
  payment_info_submitted: "subtotal",
  checkout_completed: "subtotal",
  alert_displayed: "none",
  ui_extension_errored: "none",
};

// ---------------------------------------------------------------------------------------------------
// Attribution windows (§(c) 29)
// ---------------------------------------------------------------------------------------------------

/** Each platform's default window, recorded beside its purchase metric so reports say what they count. */
export const DEFAULT_ATTRIBUTION_WINDOWS: Readonly<Record<Platform, AttributionWindow>> = {
  meta: { clickDays: 7, viewDays: 1, note: "Meta default: 7-day click, 1-day view" },
  tiktok: { clickDays: 7, viewDays: 1, note: "TikTok web default: 7-day click, 1-day view" },
  // Secondary sources only: verify against the Pinterest ads account.
  pinterest: { clickDays: 30, viewDays: 1, note: "Pinterest default: 30-day click, 30-day engagement, 1-day view (verify in the ads account)" },
  ga4: { clickDays: 90, viewDays: null, note: "GA4 data-driven attribution, 90-day lookback for key events (30 for acquisition)" },
};

/**
 * Windows each platform lets an advertiser choose. Meta: 28-day click ended 2021, view windows beyond
 * 1 day removed Jan 2026 (secondary source). Pinterest: from secondary sources, verify. GA4: the key
 * event lookback options; GA4 has no view window for web (null).
 */
export const ATTRIBUTION_WINDOW_OPTIONS: Readonly<Record<Platform, { clickDays: readonly number[]; viewDays: readonly (number | null)[] }>> = {
  meta: { clickDays: [1, 7], viewDays: [0, 1] },
  tiktok: { clickDays: [1, 7, 14, 28], viewDays: [0, 1, 7] },
  pinterest: { clickDays: [1, 7, 14, 30, 60], viewDays: [0, 1, 7, 14, 30, 60] },
  ga4: { clickDays: [30, 60, 90], viewDays: [null, 0, 3] },
};

// ---------------------------------------------------------------------------------------------------
// Currencies
// ---------------------------------------------------------------------------------------------------

/**
 * ISO 4217 codes of circulating currencies (fund codes, precious metals, test and "no currency" codes
 * left out: nobody prices a product in them). Codes recently replaced (ANG, SLL, ZWL) stay while shops
 * may still report them.
 */
const ISO_4217_CURRENCIES: ReadonlySet<string> = new Set(
  (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD " +
    "CAD CDF CHF CLP CNY COP CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP " +
    "GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD " +
    "KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK " +
    "NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS " +
    "SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST " +
    "XAF XCD XCG XOF XPF YER ZAR ZMW ZWG ZWL"
  ).split(" "),
);

/** Whether `code` is an ISO 4217 code of a circulating currency, exactly as written (upper case). */
export function isIso4217(code: string): boolean {
  return ISO_4217_CURRENCIES.has(code);
}

/**
 * Currencies TikTok accepts for `currency` (its "supported currencies" list). VERIFY against TikTok's
 * current help page before this drives an error: written from the list as last read, which changes.
 */
export const TIKTOK_CURRENCIES: ReadonlySet<string> = new Set(
  (
    "AED ARS AUD BDT BHD BIF BOB BRL CAD CHF CLP CNY COP CRC CZK DKK DZD EGP EUR GBP GTQ HKD HNL HUF IDR " +
    "ILS INR IQD ISK JOD JPY KES KHR KRW KWD KZT LBP MAD MOP MXN MYR NGN NIO NOK NZD OMR PEN PHP PKR PLN " +
    "PYG QAR RON RUB SAR SEK SGD THB TRY TWD UAH USD UYU VES VND ZAR"
  ).split(" "),
);

export function isTikTokCurrency(code: string): boolean {
  return TIKTOK_CURRENCIES.has(code);
}
