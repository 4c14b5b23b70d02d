/**
 * HAR 1.2 files built from the platforms' documented request formats, for the traffic checker's tests:
 * each builder writes one request the way the vendor's tag or API sends it.
 * - Meta Pixel: GET https://www.facebook.com/tr/?id=…&ev=…&eid=…&cd[…]=… (image-tag parameters; lists
 *   and objects JSON-encoded as fbevents.js does), Limited Data Use as dpo/dpoco/dpost.
 * - Meta Conversions API: POST https://graph.facebook.com/v<version>/<pixel id>/events, JSON { data }.
 * - TikTok Pixel: POST https://analytics.tiktok.com/api/v2/pixel, JSON { event, event_id, properties, context }.
 * - TikTok Events API: POST https://business-api.tiktok.com/open_api/v1.3/event/track/, JSON { event_source, event_source_id, data }.
 * - Pinterest Tag: GET https://ct.pinterest.com/v3/?event=…&ed=<JSON>&tid=… (or /user/).
 * - Pinterest Conversions API: POST https://api.pinterest.com/v5/ad_accounts/<id>/events, JSON { data }.
 * - GA4: https://region1.google-analytics.com/g/collect?v=2&tid=…&gcs=…&gcd=…, one event in the URL or
 *   several as body lines (en, ep.*, epn.*, cu, prN item strings).
 */

export interface HarEntry {
  startedDateTime: string;
  time: number;
  request: {
    method: string;
    url: string;
    httpVersion: string;
    cookies: never[];
    headers: { name: string; value: string }[];
    queryString: { name: string; value: string }[];
    postData?: { mimeType: string; text: string; params?: { name: string; value: string }[] };
    headersSize: number;
    bodySize: number;
  };
  response: { status: number; statusText: string; httpVersion: string; cookies: never[]; headers: never[]; content: { size: number; mimeType: string }; redirectURL: string; headersSize: number; bodySize: number };
  cache: Record<string, never>;
  timings: { send: number; wait: number; receive: number };
}

export interface Har {
  log: { version: "1.2"; creator: { name: string; version: string }; pages: never[]; entries: HarEntry[] };
}

export function buildHar(entries: HarEntry[]): Har {
  return { log: { version: "1.2", creator: { name: "shelfcast-tests", version: "1" }, pages: [], entries } };
}

const PAGE = "https://linen-and-co.myshopify.com/products/linen-shirt";

function entry(time: string, method: string, url: string, body?: { mimeType: string; text: string }): HarEntry {
  const query = URL.canParse(url) ? [...new URL(url).searchParams].map(([name, value]) => ({ name, value })) : [];
  return {
    startedDateTime: time,
    time: 42,
    request: {
      method,
      url,
      httpVersion: "HTTP/2",
      cookies: [],
      headers: body ? [{ name: "content-type", value: body.mimeType }] : [],
      queryString: query,
      ...(body ? { postData: body } : {}),
      headersSize: -1,
      bodySize: body ? body.text.length : 0,
    },
    response: { status: 200, statusText: "OK", httpVersion: "HTTP/2", cookies: [], headers: [], content: { size: 0, mimeType: "text/plain" }, redirectURL: "", headersSize: -1, bodySize: 0 },
    cache: {},
    timings: { send: 1, wait: 40, receive: 1 },
  };
}

function url(base: string, params: [string, string][]): string {
  const search = new URLSearchParams(params);
  return `${base}?${search.toString()}`;
}

function json(value: unknown): { mimeType: string; text: string } {
  return { mimeType: "application/json", text: JSON.stringify(value) };
}

/** Any request none of the platforms own (a page, an asset). */
export function otherRequest(time: string, address = PAGE): HarEntry {
  return entry(time, "GET", address);
}

/** A request to a recognised endpoint with a raw body, for undecodable-input tests. */
export function rawRequest(time: string, method: string, address: string, body?: { mimeType: string; text: string }): HarEntry {
  return entry(time, method, address, body);
}

// --- Meta ---------------------------------------------------------------------------------------------

export interface MetaPixelInput {
  time: string;
  event: string;
  eventId?: string;
  customData?: Record<string, unknown>;
  /** `fbq('dataProcessingOptions', ['LDU'], country, state)`. */
  limitedDataUse?: { country: number; state: number };
  pixelId?: string;
}

export function metaPixel(input: MetaPixelInput): HarEntry {
  const params: [string, string][] = [
    ["id", input.pixelId ?? "1234567890"],
    ["ev", input.event],
    ["dl", PAGE],
    ["rl", ""],
    ["if", "false"],
    ["ts", String(Date.parse(input.time))],
  ];
  for (const [key, value] of Object.entries(input.customData ?? {})) {
    params.push([`cd[${key}]`, typeof value === "string" ? value : JSON.stringify(value)]);
  }
  params.push(["sw", "1440"], ["sh", "900"], ["v", "2.9.179"], ["r", "stable"], ["ec", "1"], ["o", "4126"]);
  if (input.eventId !== undefined) params.push(["eid", input.eventId]);
  if (input.limitedDataUse) params.push(["dpo", "LDU"], ["dpoco", String(input.limitedDataUse.country)], ["dpost", String(input.limitedDataUse.state)]);
  params.push(["it", String(Date.parse(input.time) - 5000)], ["coo", "false"], ["rqm", "GET"]);
  return entry(input.time, "GET", url("https://www.facebook.com/tr/", params));
}

export interface ServerEventInput {
  event_name: string;
  event_id?: string;
  /** Unix seconds. */
  event_time: number;
  custom_data?: Record<string, unknown>;
  data_processing_options?: string[];
  data_processing_options_country?: number;
  data_processing_options_state?: number;
}

export function metaCapi(time: string, events: ServerEventInput[], pixelId = "1234567890"): HarEntry {
  const data = events.map((event) => ({ action_source: "website", event_source_url: PAGE, user_data: { client_ip_address: "203.0.113.7", client_user_agent: "Mozilla/5.0" }, ...event }));
  return entry(time, "POST", `https://graph.facebook.com/v21.0/${pixelId}/events`, json({ data }));
}

// --- TikTok -------------------------------------------------------------------------------------------

export interface TikTokPixelInput {
  time: string;
  event: string;
  eventId?: string;
  properties?: Record<string, unknown>;
}

export function tiktokPixel(input: TikTokPixelInput): HarEntry {
  const body = {
    event: input.event,
    ...(input.eventId === undefined ? {} : { event_id: input.eventId }),
    message_id: `messageId-${Date.parse(input.time)}`,
    timestamp: input.time,
    context: { page: { url: PAGE, referrer: "" }, library: { name: "pixel.js", version: "2.2.1" }, user: {} },
    properties: input.properties ?? {},
    pixel_code: "CABCDEFGHIJK1234",
  };
  return entry(input.time, "POST", "https://analytics.tiktok.com/api/v2/pixel", json(body));
}

export interface TikTokServerEventInput {
  event: string;
  event_id?: string;
  /** Unix seconds. */
  event_time: number;
  properties?: Record<string, unknown>;
  limited_data_use?: boolean;
}

export function tiktokEventsApi(time: string, events: TikTokServerEventInput[]): HarEntry {
  const data = events.map((event) => ({ user: { ip: "203.0.113.7", user_agent: "Mozilla/5.0" }, page: { url: PAGE }, ...event }));
  return entry(time, "POST", "https://business-api.tiktok.com/open_api/v1.3/event/track/", json({ event_source: "web", event_source_id: "CABCDEFGHIJK1234", data }));
}

// --- Pinterest ----------------------------------------------------------------------------------------

export interface PinterestTagInput {
  time: string;
  event: string;
  eventData?: Record<string, unknown>;
  endpoint?: "v3" | "user";
}

export function pinterestTag(input: PinterestTagInput): HarEntry {
  const params: [string, string][] = [
    ["event", input.event],
    ["ed", JSON.stringify(input.eventData ?? {})],
    ["tid", "2612345678901"],
    ["pd", JSON.stringify({ np: "shelfcast" })],
    ["cb", String(Date.parse(input.time))],
  ];
  return entry(input.time, "GET", url(`https://ct.pinterest.com/${input.endpoint ?? "v3"}/`, params));
}

export interface PinterestServerEventInput {
  event_name: string;
  event_id?: string;
  /** Unix seconds. */
  event_time: number;
  custom_data?: Record<string, unknown>;
  opt_out?: boolean;
}

export function pinterestCapi(time: string, events: PinterestServerEventInput[], adAccountId = "549755885175"): HarEntry {
  const data = events.map((event) => ({ action_source: "web", event_source_url: PAGE, user_data: { em: ["hash"] }, ...event }));
  return entry(time, "POST", `https://api.pinterest.com/v5/ad_accounts/${adAccountId}/events`, json({ data }));
}

// --- GA4 ----------------------------------------------------------------------------------------------

export interface Ga4Item {
  item_id?: string;
  item_name?: string;
  price?: number;
  quantity?: number;
  item_brand?: string;
  item_variant?: string;
}

export interface Ga4EventInput {
  name: string;
  /** String parameters (ep.*). */
  params?: Record<string, string>;
  /** Numeric parameters (epn.*). */
  numbers?: Record<string, number>;
  currency?: string;
  items?: Ga4Item[];
}

export interface Ga4RequestInput {
  time: string;
  events: Ga4EventInput[];
  /** Consent mode: gcs "G1xy" and gcd (v2). Default: everything granted. */
  gcs?: string;
  gcd?: string;
  host?: string;
}

const ITEM_CODES: Record<keyof Ga4Item, string> = { item_id: "id", item_name: "nm", price: "pr", quantity: "qt", item_brand: "br", item_variant: "va" };

function ga4Item(item: Ga4Item): string {
  return Object.entries(item)
    .map(([key, value]) => `${ITEM_CODES[key as keyof Ga4Item]}${String(value)}`)
    .join("~");
}

function ga4EventParams(event: Ga4EventInput): [string, string][] {
  const params: [string, string][] = [["en", event.name]];
  if (event.currency !== undefined) params.push(["cu", event.currency]);
  (event.items ?? []).forEach((item, index) => params.push([`pr${index + 1}`, ga4Item(item)]));
  for (const [key, value] of Object.entries(event.params ?? {})) params.push([`ep.${key}`, value]);
  for (const [key, value] of Object.entries(event.numbers ?? {})) params.push([`epn.${key}`, String(value)]);
  params.push(["_et", "120"]);
  return params;
}

/** One event goes in the URL; several go as body lines (gtag's batching), the URL keeping what they share. */
export function ga4(input: Ga4RequestInput): HarEntry {
  const shared: [string, string][] = [
    ["v", "2"],
    ["tid", "G-ABC123XYZ"],
    ["gtm", "45je5651v9"],
    ["_p", String(Date.parse(input.time))],
    ["gcs", input.gcs ?? "G111"],
    ["gcd", input.gcd ?? "13t3t3t3t5l1"],
    ["cid", "1234567890.1717315200"],
    ["ul", "en-us"],
    ["sr", "1440x900"],
    ["dl", PAGE],
    ["dt", "Linen Shirt"],
    ["sid", "1717315200"],
    ["sct", "1"],
    ["seg", "1"],
  ];
  const base = `https://${input.host ?? "region1.google-analytics.com"}/g/collect`;
  const [only] = input.events;
  if (input.events.length === 1 && only) return entry(input.time, "POST", url(base, [...shared, ...ga4EventParams(only)]));
  const lines = input.events.map((event) => new URLSearchParams(ga4EventParams(event)).toString()).join("\r\n");
  return entry(input.time, "POST", url(base, shared), { mimeType: "text/plain;charset=UTF-8", text: lines });
}

// --- Shelfcast collector ------------------------------------------------------------------------------

export function collectorPost(time: string, records: Record<string, unknown>[]): HarEntry {
  return entry(time, "POST", "https://shelfcast.example.app/collect/linen-and-co", json({ events: records }));
}

/** Unix seconds of an ISO time, as server APIs take event_time. */
export function unixSeconds(time: string): number {
  return Math.floor(Date.parse(time) / 1000);
}

// --- Scenarios ----------------------------------------------------------------------------------------

/** Variant and product ids of the scenarios' catalog (variant-id scheme). */
export const SCENARIO_CATALOG = {
  itemIds: new Set(["45100000000123", "45100000000456"]),
  groupIds: new Set(["8100000000001", "8100000000002"]),
};

const SHIRT = { id: "45100000000123", name: "Linen Shirt - Navy / M", price: 49.9 };
const TROUSERS = { id: "45100000000456", name: "Linen Trousers - Sand / 32", price: 49.9 };

function at(minute: number, second = 0, ms = 0): string {
  return new Date(Date.UTC(2025, 5, 2, 10, minute, second, ms)).toISOString();
}

const ORDER_VALUE = 99.8;
const ORDER_CONTENTS_META = [
  { id: SHIRT.id, quantity: 1, item_price: SHIRT.price },
  { id: TROUSERS.id, quantity: 1, item_price: TROUSERS.price },
];
const ORDER_CONTENTS_TIKTOK = [
  { content_id: SHIRT.id, quantity: 1, price: SHIRT.price },
  { content_id: TROUSERS.id, quantity: 1, price: TROUSERS.price },
];
const ORDER_LINE_ITEMS = [
  { product_id: SHIRT.id, product_name: SHIRT.name, product_price: SHIRT.price, product_quantity: 1 },
  { product_id: TROUSERS.id, product_name: TROUSERS.name, product_price: TROUSERS.price, product_quantity: 1 },
];
const ORDER_ITEMS: Ga4Item[] = [
  { item_id: SHIRT.id, item_name: SHIRT.name, price: SHIRT.price, quantity: 1 },
  { item_id: TROUSERS.id, item_name: TROUSERS.name, price: TROUSERS.price, quantity: 1 },
];

/**
 * A shopping session (product view → add to cart → checkout → purchase) sent to Meta (pixel + CAPI),
 * TikTok (pixel + Events API), Pinterest (tag + CAPI) and GA4, with problems planted on purpose; the
 * comment on each entry says which. Entry numbers are `log.entries` indexes.
 */
export function buildMixedSessionHar(): Har {
  return buildHar([
    /* 0 */ otherRequest(at(0)),
    /* 1 */ ga4({ time: at(0, 1), events: [{ name: "page_view" }] }),
    /* 2 */ metaPixel({ time: at(0, 1, 200), event: "PageView", eventId: "evt-pv-1" }),
    /* 3 */ metaPixel({ time: at(0, 10), event: "ViewContent", eventId: "evt-vc-1", customData: { content_ids: [SHIRT.id], content_type: "product", value: "49.90", currency: "USD" } }),
    // TikTok VSA needs content_ids besides contents (check 16).
    /* 4 */ tiktokPixel({ time: at(0, 10, 100), event: "ViewContent", eventId: "evt-vc-1", properties: { contents: [{ content_id: SHIRT.id, quantity: 1, price: SHIRT.price }], content_type: "product", value: SHIRT.price, currency: "USD" } }),
    /* 5 */ pinterestTag({ time: at(0, 10, 200), event: "pagevisit", eventData: { line_items: [{ product_id: SHIRT.id, product_name: SHIRT.name, product_price: SHIRT.price }], event_id: "evt-vc-1" } }),
    /* 6 */ ga4({ time: at(0, 10, 300), events: [{ name: "view_item", currency: "USD", numbers: { value: SHIRT.price }, items: [{ item_id: SHIRT.id, item_name: SHIRT.name, price: SHIRT.price, quantity: 1 }] }] }),
    /* 7 */ metaPixel({ time: at(1), event: "AddToCart", eventId: "evt-atc-1", customData: { content_ids: [SHIRT.id], content_type: "product", contents: [{ id: SHIRT.id, quantity: 1, item_price: SHIRT.price }], value: "49.90", currency: "USD" } }),
    // The theme's AJAX cart reports the same add to cart again 350 ms later (check 22).
    /* 8 */ metaPixel({ time: at(1, 0, 350), event: "AddToCart", eventId: "evt-atc-2", customData: { content_ids: [SHIRT.id], content_type: "product", contents: [{ id: SHIRT.id, quantity: 1, item_price: SHIRT.price }], value: "49.90", currency: "USD" } }),
    // content_id instead of content_ids at the top level (check 17), no contents or content_ids (check 16).
    /* 9 */ tiktokPixel({ time: at(1, 0, 500), event: "AddToCart", eventId: "evt-atc-1", properties: { content_id: SHIRT.id, content_type: "product", value: SHIRT.price, currency: "USD" } }),
    // Lower-case currency (check 10).
    /* 10 */ ga4({ time: at(1, 0, 600), events: [{ name: "add_to_cart", currency: "usd", numbers: { value: SHIRT.price }, items: [{ item_id: SHIRT.id, item_name: SHIRT.name, price: SHIRT.price, quantity: 1 }] }] }),
    // TitleCase tag code (check 4) and a GID as product id (check 15).
    /* 11 */ pinterestTag({ time: at(1, 0, 700), event: "AddToCart", eventData: { value: SHIRT.price, currency: "USD", order_quantity: 1, line_items: [{ product_id: `gid://shopify/ProductVariant/${SHIRT.id}`, product_quantity: 1 }], event_id: "evt-atc-1" } }),
    // A theme snippet still sends the soft-deprecated ClickButton (check 5).
    /* 12 */ tiktokPixel({ time: at(1, 5), event: "ClickButton", properties: {} }),
    /* 13 */ otherRequest(at(2), "https://cdn.shopify.com/s/files/1/0000/0001/t/1/assets/theme.js"),
    // A SKU where the feeds use variant ids (check 13), a formatted price as value (check 10), a checkout token as event id.
    /* 14 */ metaPixel({ time: at(2, 10), event: "InitiateCheckout", eventId: "checkout-token-abc", customData: { content_ids: ["SKU-LINEN-M"], value: "€49,90", currency: "EUR", num_items: "1" } }),
    // gtag batches begin_checkout with add_payment_info, which lacks items (check 16).
    /* 15 */ ga4({ time: at(3, 0), events: [{ name: "begin_checkout", currency: "USD", numbers: { value: ORDER_VALUE }, items: ORDER_ITEMS }, { name: "add_payment_info", currency: "USD", numbers: { value: ORDER_VALUE } }] }),
    // The checkout token again, now for a different cart (check 20).
    /* 16 */ metaPixel({ time: at(3, 30), event: "InitiateCheckout", eventId: "checkout-token-abc", customData: { content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", value: "99.80", currency: "USD", num_items: "2" } }),
    /* 17 */ tiktokPixel({ time: at(4), event: "Purchase", eventId: "order-1001", properties: { contents: ORDER_CONTENTS_TIKTOK, content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", value: ORDER_VALUE, currency: "USD", order_id: "1001" } }),
    /* 18 */ metaPixel({ time: at(4, 0, 100), event: "Purchase", eventId: "order-1001", customData: { content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", contents: ORDER_CONTENTS_META, value: "99.80", currency: "USD", num_items: "2", order_id: "1001" } }),
    /* 19 */ pinterestTag({ time: at(4, 0, 200), event: "checkout", eventData: { value: ORDER_VALUE, currency: "USD", order_id: "1001", order_quantity: 2, line_items: ORDER_LINE_ITEMS, event_id: "order-1001" } }),
    // No transaction_id (check 16).
    /* 20 */ ga4({ time: at(4, 0, 300), events: [{ name: "purchase", currency: "USD", numbers: { value: ORDER_VALUE }, items: ORDER_ITEMS }] }),
    // Meta CAPI batch: the purchase (same id as the pixel: fine), the add to cart without event_id
    // (check 19) and a retried purchase from 9 days ago (check 21).
    /* 21 */ metaCapi(at(5), [
      { event_name: "Purchase", event_id: "order-1001", event_time: unixSeconds(at(4)), custom_data: { content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", contents: ORDER_CONTENTS_META, value: ORDER_VALUE, currency: "USD", order_id: "1001" } },
      { event_name: "AddToCart", event_time: unixSeconds(at(1)), custom_data: { content_ids: [SHIRT.id], content_type: "product", contents: [{ id: SHIRT.id, quantity: 1, item_price: SHIRT.price }], value: SHIRT.price, currency: "USD" } },
      { event_name: "Purchase", event_id: "order-0990", event_time: unixSeconds(at(5)) - 9 * 24 * 3600, custom_data: { content_ids: [TROUSERS.id], content_type: "product", value: 49.9, currency: "USD", order_id: "990" } },
    ]),
    // The visitor refuses the sale of their data: ads storage stays granted, ad_personalization denied.
    /* 22 */ ga4({ time: at(5, 30), gcd: "13t3t3t3p5l1", events: [{ name: "user_engagement" }] }),
    // TikTok server copy: a fresh UUID instead of the browser's id (check 20), and no limited_data_use
    // although the sale of data was refused (check 26).
    /* 23 */ tiktokEventsApi(at(6), [{ event: "Purchase", event_id: "5c1d0f3e-8b7a-4f3c-9e2d-1a2b3c4d5e6f", event_time: unixSeconds(at(4)), properties: { contents: ORDER_CONTENTS_TIKTOK, content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", value: ORDER_VALUE, currency: "USD", order_id: "1001" } }]),
    // The visitor withdraws consent (gcs G100, every v2 signal denied).
    /* 24 */ ga4({ time: at(7), gcs: "G100", gcd: "13q3q3q3q5l1", events: [{ name: "user_engagement" }] }),
    // Pinterest CAPI still sends the purchase, without opt_out (check 26).
    /* 25 */ pinterestCapi(at(8), [{ event_name: "checkout", event_id: "order-1001", event_time: unixSeconds(at(4)), custom_data: { currency: "USD", value: "99.80", content_ids: [SHIRT.id, TROUSERS.id], num_items: 2, order_id: "1001" } }]),
    // A TikTok pixel request whose body is cut off: reported as undecodable, not fatal.
    /* 26 */ rawRequest(at(8, 10), "POST", "https://analytics.tiktok.com/api/v2/pixel", { mimeType: "application/json", text: '{"event":"Pagev' }),
  ]);
}

/** The same session done right: every check passes. */
export function buildCleanSessionHar(): Har {
  return buildHar([
    otherRequest(at(0)),
    ga4({ time: at(0, 1), events: [{ name: "page_view" }] }),
    metaPixel({ time: at(0, 1, 200), event: "PageView", eventId: "evt-pv-1" }),
    metaPixel({ time: at(0, 10), event: "ViewContent", eventId: "evt-vc-1", customData: { content_ids: [SHIRT.id], content_type: "product", value: "49.90", currency: "USD" } }),
    tiktokPixel({ time: at(0, 10, 100), event: "ViewContent", eventId: "evt-vc-1", properties: { contents: [{ content_id: SHIRT.id, quantity: 1, price: SHIRT.price }], content_ids: [SHIRT.id], content_type: "product", value: SHIRT.price, currency: "USD" } }),
    pinterestTag({ time: at(0, 10, 200), event: "pagevisit", eventData: { line_items: [{ product_id: SHIRT.id, product_name: SHIRT.name, product_price: SHIRT.price }], event_id: "evt-vc-1" } }),
    ga4({ time: at(0, 10, 300), events: [{ name: "view_item", currency: "USD", numbers: { value: SHIRT.price }, items: [{ item_id: SHIRT.id, item_name: SHIRT.name, price: SHIRT.price, quantity: 1 }] }] }),
    metaPixel({ time: at(1), event: "AddToCart", eventId: "evt-atc-1", customData: { content_ids: [SHIRT.id], content_type: "product", contents: [{ id: SHIRT.id, quantity: 1, item_price: SHIRT.price }], value: "49.90", currency: "USD" } }),
    tiktokPixel({ time: at(1, 0, 500), event: "AddToCart", eventId: "evt-atc-1", properties: { contents: [{ content_id: SHIRT.id, quantity: 1, price: SHIRT.price }], content_ids: [SHIRT.id], content_type: "product", value: SHIRT.price, currency: "USD" } }),
    ga4({ time: at(1, 0, 600), events: [{ name: "add_to_cart", currency: "USD", numbers: { value: SHIRT.price }, items: [{ item_id: SHIRT.id, item_name: SHIRT.name, price: SHIRT.price, quantity: 1 }] }] }),
    pinterestTag({ time: at(1, 0, 700), event: "addtocart", eventData: { value: SHIRT.price, currency: "USD", order_quantity: 1, line_items: [{ product_id: SHIRT.id, product_quantity: 1 }], event_id: "evt-atc-1" } }),
    metaPixel({ time: at(2, 10), event: "InitiateCheckout", eventId: "evt-ic-1", customData: { content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", value: "99.80", currency: "USD", num_items: "2" } }),
    ga4({ time: at(3, 0), events: [{ name: "begin_checkout", currency: "USD", numbers: { value: ORDER_VALUE }, items: ORDER_ITEMS }, { name: "add_payment_info", currency: "USD", numbers: { value: ORDER_VALUE }, items: ORDER_ITEMS }] }),
    tiktokPixel({ time: at(4), event: "Purchase", eventId: "order-1001", properties: { contents: ORDER_CONTENTS_TIKTOK, content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", value: ORDER_VALUE, currency: "USD", order_id: "1001" } }),
    metaPixel({ time: at(4, 0, 100), event: "Purchase", eventId: "order-1001", customData: { content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", contents: ORDER_CONTENTS_META, value: "99.80", currency: "USD", num_items: "2", order_id: "1001" } }),
    pinterestTag({ time: at(4, 0, 200), event: "checkout", eventData: { value: ORDER_VALUE, currency: "USD", order_id: "1001", order_quantity: 2, line_items: ORDER_LINE_ITEMS, event_id: "order-1001" } }),
    ga4({ time: at(4, 0, 300), events: [{ name: "purchase", currency: "USD", numbers: { value: ORDER_VALUE }, params: { transaction_id: "1001" }, items: ORDER_ITEMS }] }),
    metaCapi(at(5), [
      { event_name: "Purchase", event_id: "order-1001", event_time: unixSeconds(at(4)), custom_data: { content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", contents: ORDER_CONTENTS_META, value: ORDER_VALUE, currency: "USD", order_id: "1001" } },
      { event_name: "AddToCart", event_id: "evt-atc-1", event_time: unixSeconds(at(1)), custom_data: { content_ids: [SHIRT.id], content_type: "product", contents: [{ id: SHIRT.id, quantity: 1, item_price: SHIRT.price }], value: SHIRT.price, currency: "USD" } },
    ]),
    ga4({ time: at(5, 30), gcd: "13t3t3t3p5l1", events: [{ name: "user_engagement" }] }),
    tiktokEventsApi(at(6), [{ event: "Purchase", event_id: "order-1001", event_time: unixSeconds(at(4)), limited_data_use: true, properties: { contents: ORDER_CONTENTS_TIKTOK, content_ids: [SHIRT.id, TROUSERS.id], content_type: "product", value: ORDER_VALUE, currency: "USD", order_id: "1001" } }]),
    ga4({ time: at(7), gcs: "G100", gcd: "13q3q3q3q5l1", events: [{ name: "user_engagement" }] }),
    pinterestCapi(at(8), [{ event_name: "checkout", event_id: "order-1001", event_time: unixSeconds(at(4)), opt_out: true, custom_data: { currency: "USD", value: "99.80", content_ids: [SHIRT.id, TROUSERS.id], num_items: 2, order_id: "1001" } }]),
  ]);
}
