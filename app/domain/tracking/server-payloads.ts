/**
 * The request bodies Shelfcast sends server-side: Meta Conversions API (`POST /{pixel_id}/events`)
 * and TikTok Events API (`POST /open_api/v1.3/event/track/`). Pure: stored pixel events in, JSON out.
 *
 * - The server copy carries the browser copy's event id and name, so each platform deduplicates the
 *   two (pixel-consent.md check 19).
 * - Only commerce parameters travel, from an allow-list: the collector already dropped personal data,
 *   and the allow-list makes sure a key it did not know about is not forwarded either. `user_data` is
 *   therefore empty: Shelfcast never holds visitor identifiers.
 * - A limited event (sale of data refused or unknown) carries Meta's Limited Data Use options
 *   (country/state 0 = let Meta geolocate) or TikTok's `limited_data_use`.
 */

/** A stored event due for forwarding, as the builders need it. */
export interface ForwardableEvent {
  eventName: string;
  eventId: string;
  /** When the event happened (the pixel's time, else when the collector received it). */
  eventTime: Date;
  url: string | null;
  params: Record<string, unknown>;
  limited: boolean;
}

/** Meta accepts at most 1,000 events per request. */
export const META_MAX_EVENTS_PER_REQUEST = 1_000;
/** TikTok's documented batch size for `event/track` is unconfirmed here; 1,000 mirrors Meta's and stays well under the body limits. */
export const TIKTOK_MAX_EVENTS_PER_REQUEST = 1_000;

/** Meta `custom_data` keys Shelfcast forwards (commerce only). */
const META_CUSTOM_DATA_KEYS = ["value", "currency", "content_ids", "content_type", "content_name", "content_category", "contents", "num_items", "search_string", "order_id", "predicted_ltv", "status"] as const;
/** TikTok `properties` keys Shelfcast forwards (commerce only). */
const TIKTOK_PROPERTY_KEYS = ["value", "currency", "content_ids", "content_type", "content_name", "content_category", "contents", "num_items", "query", "order_id", "description"] as const;

export interface MetaServerEvent {
  event_name: string;
  event_time: number;
  event_id: string;
  action_source: "website";
  event_source_url?: string;
  user_data: Record<string, never>;
  custom_data: Record<string, unknown>;
  data_processing_options?: ["LDU"];
  data_processing_options_country?: 0;
  data_processing_options_state?: 0;
}

export interface MetaEventsBody {
  data: MetaServerEvent[];
  test_event_code?: string;
}

export interface TikTokServerEvent {
  event: string;
  event_time: number;
  event_id: string;
  page?: { url: string };
  properties: Record<string, unknown>;
  limited_data_use?: true;
}

export interface TikTokEventsBody {
  event_source: "web";
  event_source_id: string;
  test_event_code?: string;
  data: TikTokServerEvent[];
}

function unixSeconds(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/** The allow-listed keys of `params`, with a numeric `value` (pixels sometimes send "12.50"). */
function pickCommerce(params: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const entry = params[key];
    if (entry === undefined || entry === null) continue;
    out[key] = key === "value" ? toNumber(entry) : entry;
  }
  if (out.value === null) delete out.value;
  if (typeof out.currency === "string") out.currency = out.currency.toUpperCase();
  return out;
}

function toNumber(value: unknown): number | null {
  const number = typeof value === "number" ? value : typeof value === "string" ? Number(value) : Number.NaN;
  return Number.isFinite(number) ? number : null;
}

export function metaServerEvent(event: ForwardableEvent): MetaServerEvent {
  const out: MetaServerEvent = {
    event_name: event.eventName,
    event_time: unixSeconds(event.eventTime),
    event_id: event.eventId,
    action_source: "website",
    user_data: {},
    custom_data: pickCommerce(event.params, META_CUSTOM_DATA_KEYS),
  };
  if (event.url) out.event_source_url = event.url;
  if (event.limited) {
    out.data_processing_options = ["LDU"];
    out.data_processing_options_country = 0;
    out.data_processing_options_state = 0;
  }
  return out;
}

export function tiktokServerEvent(event: ForwardableEvent): TikTokServerEvent {
  const out: TikTokServerEvent = {
    event: event.eventName,
    event_time: unixSeconds(event.eventTime),
    event_id: event.eventId,
    properties: pickCommerce(event.params, TIKTOK_PROPERTY_KEYS),
  };
  if (event.url) out.page = { url: event.url };
  if (event.limited) out.limited_data_use = true;
  return out;
}

/** Splits `items` into consecutive chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/** Meta request bodies, at most 1,000 events each. */
export function metaEventsBodies(events: readonly ForwardableEvent[], testEventCode: string | null): MetaEventsBody[] {
  return chunk(events, META_MAX_EVENTS_PER_REQUEST).map((batch) => ({
    data: batch.map(metaServerEvent),
    ...(testEventCode ? { test_event_code: testEventCode } : {}),
  }));
}

/** TikTok request bodies for one pixel code. */
export function tiktokEventsBodies(events: readonly ForwardableEvent[], pixelCode: string, testEventCode: string | null): TikTokEventsBody[] {
  return chunk(events, TIKTOK_MAX_EVENTS_PER_REQUEST).map((batch) => ({
    event_source: "web",
    event_source_id: pixelCode,
    ...(testEventCode ? { test_event_code: testEventCode } : {}),
    data: batch.map(tiktokServerEvent),
  }));
}

// ---------------------------------------------------------------------------------------------
// Responses: retry, give up, or ask the merchant to reconnect
// ---------------------------------------------------------------------------------------------

export type SendVerdict = { kind: "ok" } | { kind: "retry"; reason: string } | { kind: "reconnect"; reason: string } | { kind: "rejected"; reason: string };

/**
 * Meta Graph API error codes that mean "try again later": 1 unknown, 2 service, 4 app rate limit,
 * 17 user rate limit, 32 page rate limit, 613 call rate limit (Graph API error and rate-limiting
 * docs). 190 is an invalid or expired token; 10 and 200-299 are permission errors: a new token is needed.
 */
const META_TRANSIENT_CODES = new Set([1, 2, 4, 17, 32, 613]);
const META_TOKEN_CODES = new Set([190, 102, 10]);

/** Classifies a Meta response from its HTTP status and `error.code`; reasons never contain the token. */
export function metaVerdict(status: number, body: unknown): SendVerdict {
  if (status >= 200 && status < 300) return { kind: "ok" };
  const error = typeof body === "object" && body !== null && "error" in body ? (body as { error?: { code?: unknown; message?: unknown } }).error : undefined;
  const code = typeof error?.code === "number" ? error.code : null;
  const reason = `Meta answered HTTP ${status}${code !== null ? ` (code ${code})` : ""}${typeof error?.message === "string" ? `: ${error.message.slice(0, 300)}` : ""}`;
  if (code !== null && (META_TOKEN_CODES.has(code) || (code >= 200 && code < 300))) return { kind: "reconnect", reason };
  if (status === 401) return { kind: "reconnect", reason };
  if (status >= 500 || status === 429 || (code !== null && META_TRANSIENT_CODES.has(code))) return { kind: "retry", reason };
  return { kind: "rejected", reason };
}

/**
 * TikTok Business API answers HTTP 200 with `code` 0 on success and a non-zero `code` otherwise.
 * Rate limiting is 40100 and 5xxxx codes are TikTok-side faults (both retried); 40001/40104/40105
 * are authorisation faults (missing, invalid or expired Access-Token). The exact code list is from
 * secondary sources, unconfirmed against TikTok's current reference; HTTP 429/5xx are retried and
 * HTTP 401 asks for a new token whatever the code.
 */
const TIKTOK_TOKEN_CODES = new Set([40001, 40104, 40105]);
const TIKTOK_TRANSIENT_CODES = new Set([40100]);

export function tiktokVerdict(status: number, body: unknown): SendVerdict {
  const fields = typeof body === "object" && body !== null ? (body as { code?: unknown; message?: unknown }) : {};
  const code = typeof fields.code === "number" ? fields.code : null;
  if (status >= 200 && status < 300 && code === 0) return { kind: "ok" };
  const reason = `TikTok answered HTTP ${status}${code !== null ? ` (code ${code})` : ""}${typeof fields.message === "string" ? `: ${fields.message.slice(0, 300)}` : ""}`;
  if (status === 401 || (code !== null && TIKTOK_TOKEN_CODES.has(code))) return { kind: "reconnect", reason };
  if (status >= 500 || status === 429 || (code !== null && (TIKTOK_TRANSIENT_CODES.has(code) || code >= 50000))) return { kind: "retry", reason };
  return { kind: "rejected", reason };
}
