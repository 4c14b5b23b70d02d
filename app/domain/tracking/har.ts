/**
 * Recorded traffic → TrafficEvent[]: a HAR 1.2 file exported from the browser's devtools, or the lines
 * of Shelfcast's collector debug log. Pure: the caller reads the file; this only decodes.
 *
 * Recognised requests (formats as the vendors document them; pixel-consent.md §(e)):
 * - Meta Pixel: GET/POST www.facebook.com/tr — `ev` event, `eid` event id, `cd[...]` custom data,
 *   `dpo`/`dpoco`/`dpost` data processing options (Limited Data Use).
 * - Meta Conversions API: POST graph.facebook.com/v<version>/<pixel id>/events — JSON (or form with a
 *   `data` JSON field) `{ data: [{ event_name, event_id, event_time, custom_data, data_processing_options }] }`.
 * - TikTok Pixel: POST analytics.tiktok.com/api/v2/pixel… — `{ event, event_id, properties, context }`
 *   or `{ batch: [...] }`.
 * - TikTok Events API: POST business-api.tiktok.com/open_api/v1.3/event/track/ — `{ data: [{ event,
 *   event_id, event_time, properties, limited_data_use }] }`; also the older pixel/track and pixel/batch.
 * - Pinterest Tag: ct.pinterest.com/v3/ and /user/ — `event` code, `ed` JSON event data (value,
 *   currency, order_id, line_items, event_id).
 * - Pinterest Conversions API: POST api.pinterest.com/v5/ad_accounts/<id>/events — `{ data: [{
 *   event_name, event_id, event_time, custom_data, opt_out }] }`.
 * - GA4: (region1.|www.)google-analytics.com/g/collect — `en` event name, `ep.*`/`epn.*` parameters,
 *   `cu` currency, `pr1…prN` item strings, `gcs`/`gcd` consent mode signals; a POST body carries one
 *   event per line, each merged over the URL's shared parameters.
 * - Shelfcast's collector: a POST whose JSON body is a collector record (or a list of them), whatever
 *   the URL, since the collector's address depends on the shop's app URL.
 *
 * Parameters are flattened from the platform's container (cd[], custom_data, properties, ed, ep./epn.)
 * into `params` under the platform's own key names, so the checks see exactly what the platform reads.
 * The flags that carry consent (Meta `data_processing_options`, TikTok `limited_data_use`, Pinterest
 * `opt_out`) are kept in `params` under the server APIs' names; the pixel's `dpo` becomes
 * `data_processing_options` too.
 */
import { pinterestServerName } from "./platforms";
import { isForwarded, isForwardingOutcome, SERVER_PLATFORMS, type ForwardingOutcome } from "./server-forwarding";
import { PLATFORMS, type ObservedConsent, type Platform, type TrafficEvent } from "./types";

/** A request or line that looked like traffic Shelfcast knows but could not be decoded. */
export interface TrafficProblem {
  index: number;
  message: string;
}

export type HarParseResult =
  | { ok: true; events: TrafficEvent[]; skipped: number; problems: TrafficProblem[] }
  | { ok: false; error: string; entry: number | null };

export interface CollectorLogResult {
  events: TrafficEvent[];
  /** Blank lines are not counted; lines of events that were held (never sent) are. */
  skipped: number;
  problems: TrafficProblem[];
}

/** Where traffic came from, for the evidence a finding points at. */
export type TrafficSource = "har" | "collector-log";

/**
 * "har entry 12" names `log.entries[12]` (0-based, as in the HAR's JSON and the parse errors);
 * "log line 13" is the 13th line (1-based, as editors number lines) of the collector log.
 */
export function trafficLocation(index: number, source: TrafficSource): string {
  return source === "har" ? `har entry ${index}` : `log line ${index + 1}`;
}

const UNKNOWN_CONSENT: ObservedConsent = { marketing: null, analytics: null, saleOfData: null };

// ---------------------------------------------------------------------------------------------------
// HAR
// ---------------------------------------------------------------------------------------------------

/** Accepts the parsed HAR (or its text). Never throws: structural errors name the entry. */
export function parseHar(json: unknown): HarParseResult {
  const root = typeof json === "string" ? parseJson(json) : json;
  const log = isRecord(root) ? root.log : undefined;
  const entries = isRecord(log) ? log.entries : undefined;
  if (!Array.isArray(entries)) return { ok: false, error: "Not a HAR 1.2 file: log.entries is missing or not a list.", entry: null };

  const events: TrafficEvent[] = [];
  const problems: TrafficProblem[] = [];
  let skipped = 0;
  for (let index = 0; index < entries.length; index += 1) {
    const request = readRequest(entries[index], index);
    if (typeof request === "string") return { ok: false, error: request, entry: index };

    const decoded = decodeRequest(request);
    if (decoded === null) {
      skipped += 1;
      continue;
    }
    const time = isoTime((entries[index] as Record<string, unknown>).startedDateTime);
    if (time === null) return { ok: false, error: `log.entries[${index}].startedDateTime is missing or not a date.`, entry: index };
    if (typeof decoded === "string") {
      problems.push({ index, message: decoded });
      skipped += 1;
      continue;
    }
    for (const event of decoded) events.push(completeEvent(event, index, time, request.url));
  }
  return { ok: true, events, skipped, problems };
}

interface HarRequest {
  method: string;
  url: string;
  /** Parsed URL, or null when the string is not an absolute URL (such a request is never a vendor's). */
  parsed: URL | null;
  bodyText: string | null;
  /** As sent: a multipart boundary is case-sensitive. */
  mimeType: string;
  bodyParams: [string, string][];
}

/** The request of one entry, or an error message naming it. */
function readRequest(entry: unknown, index: number): HarRequest | string {
  if (!isRecord(entry)) return `log.entries[${index}] is not an object.`;
  const request = entry.request;
  if (!isRecord(request)) return `log.entries[${index}].request is missing.`;
  if (typeof request.url !== "string") return `log.entries[${index}].request.url is missing or not a string.`;
  const postData = isRecord(request.postData) ? request.postData : null;
  const bodyParams: [string, string][] = [];
  if (postData && Array.isArray(postData.params)) {
    for (const param of postData.params) {
      if (isRecord(param) && typeof param.name === "string") bodyParams.push([param.name, typeof param.value === "string" ? param.value : ""]);
    }
  }
  return {
    method: typeof request.method === "string" ? request.method.toUpperCase() : "GET",
    url: request.url,
    parsed: parseUrl(request.url),
    bodyText: postData && typeof postData.text === "string" ? postData.text : null,
    mimeType: postData && typeof postData.mimeType === "string" ? postData.mimeType : "",
    bodyParams,
  };
}

/** An event before it is placed: the entry (or line) supplies index, time and url. */
type DecodedEvent = Omit<TrafficEvent, "index" | "time" | "url"> & { time?: string };

/** null = not a request Shelfcast recognises; string = recognised but undecodable (the reason). */
type DecodeResult = DecodedEvent[] | string | null;

/** A record's own time (collector records carry one) wins over the entry's. */
function completeEvent(decoded: DecodedEvent, index: number, time: string, url: string): TrafficEvent {
  const { time: ownTime, ...rest } = decoded;
  return { ...rest, index, time: ownTime ?? time, url };
}

function decodeRequest(request: HarRequest): DecodeResult {
  const url = request.parsed;
  if (url === null) return null;
  const host = url.hostname.toLowerCase();
  const path = url.pathname;
  if ((host === "www.facebook.com" || host === "facebook.com") && TR_PATH.test(path)) return decodeMetaPixel(request, url);
  if (host === "graph.facebook.com" && CAPI_PATH.test(path)) return decodeMetaCapi(request);
  if (host === "analytics.tiktok.com" && TIKTOK_PIXEL_PATH.test(path)) return decodeTikTokPixel(request);
  if (host === "business-api.tiktok.com" && TIKTOK_SERVER_PATH.test(path)) return decodeTikTokServer(request);
  if (host === "ct.pinterest.com" && PINTEREST_TAG_PATH.test(path)) return decodePinterestTag(request, url);
  if (host === "api.pinterest.com" && PINTEREST_CAPI_PATH.test(path)) return decodePinterestCapi(request);
  if (isGoogleAnalyticsHost(host) && path === "/g/collect") return decodeGa4(request, url);
  if (request.method === "POST") return decodeCollectorPost(request);
  return null;
}

const TR_PATH = /^\/tr\/?$/;
const CAPI_PATH = /^\/(v\d+(\.\d+)?\/)?[^/]+\/events\/?$/;
const TIKTOK_PIXEL_PATH = /^\/api\/v2\/pixel(\/[a-z_]*)?\/?$/;
const TIKTOK_SERVER_PATH = /^\/open_api\/v1\.\d+\/(event\/track|pixel\/track|pixel\/batch)\/?$/;
const PINTEREST_TAG_PATH = /^\/(v3|user)\/?$/;
const PINTEREST_CAPI_PATH = /^\/v5\/ad_accounts\/[^/]+\/events\/?$/;

function isGoogleAnalyticsHost(host: string): boolean {
  return host === "google-analytics.com" || host.endsWith(".google-analytics.com") || host === "analytics.google.com";
}

// --- Meta -------------------------------------------------------------------------------------------

function decodeMetaPixel(request: HarRequest, url: URL): DecodeResult {
  let eventName: string | null = null;
  let eventId: string | null = null;
  const params: Record<string, unknown> = {};
  for (const [name, value] of requestParams(request, url)) {
    if (name === "ev") eventName = value;
    else if (name === "eid") eventId = value === "" ? null : value;
    else if (name === "dpo") params.data_processing_options = value === "" ? [] : value.split(",");
    else if (name === "dpoco") params.data_processing_options_country = numberOrText(value);
    else if (name === "dpost") params.data_processing_options_state = numberOrText(value);
    else if (name.startsWith("cd[") && name.endsWith("]")) params[name.slice(3, -1)] = jsonOrText(value);
  }
  if (!eventName) return "Meta Pixel request without an event name (ev).";
  return [{ platform: "meta", channel: "browser", eventName, params, eventId, eventTime: null, consent: ldu(params.data_processing_options) }];
}

function decodeMetaCapi(request: HarRequest): DecodeResult {
  // The Graph API takes JSON, or a form whose `data` field holds the JSON array.
  const body = jsonBody(request);
  const data = isRecord(body) ? body.data : parseJson(formValue(request, "data") ?? "");
  if (!Array.isArray(data)) return "Meta Conversions API request without a data list.";
  const events: DecodedEvent[] = [];
  for (const [position, item] of data.entries()) {
    if (!isRecord(item) || typeof item.event_name !== "string") return `Meta Conversions API data[${position}] has no event_name.`;
    const params: Record<string, unknown> = { ...(isRecord(item.custom_data) ? item.custom_data : {}) };
    copyPresent(item, params, ["data_processing_options", "data_processing_options_country", "data_processing_options_state"]);
    events.push({
      platform: "meta",
      channel: "server",
      eventName: item.event_name,
      params,
      eventId: idText(item.event_id),
      eventTime: isoTime(item.event_time),
      consent: ldu(item.data_processing_options),
    });
  }
  return events;
}

/** Limited Data Use tells that the visitor refused the sale of data; its absence tells nothing. */
function ldu(options: unknown): ObservedConsent {
  return Array.isArray(options) && options.includes("LDU") ? { ...UNKNOWN_CONSENT, saleOfData: false } : UNKNOWN_CONSENT;
}

// --- TikTok -----------------------------------------------------------------------------------------

function decodeTikTokPixel(request: HarRequest): DecodeResult {
  const body = jsonBody(request);
  if (!isRecord(body)) return "TikTok Pixel request whose body is not a JSON object.";
  const items = Array.isArray(body.batch) ? body.batch : [body];
  return decodeTikTokItems(items, "browser", "TikTok Pixel");
}

function decodeTikTokServer(request: HarRequest): DecodeResult {
  const body = jsonBody(request);
  if (!isRecord(body)) return "TikTok Events API request whose body is not a JSON object.";
  const items = Array.isArray(body.data) ? body.data : Array.isArray(body.batch) ? body.batch : [body];
  return decodeTikTokItems(items, "server", "TikTok Events API");
}

function decodeTikTokItems(items: unknown[], channel: TrafficEvent["channel"], label: string): DecodeResult {
  const events: DecodedEvent[] = [];
  for (const [position, item] of items.entries()) {
    if (!isRecord(item) || typeof item.event !== "string") return `${label} event ${position} has no event name.`;
    const params: Record<string, unknown> = { ...(isRecord(item.properties) ? item.properties : {}) };
    copyPresent(item, params, ["limited_data_use"]);
    events.push({
      platform: "tiktok",
      channel,
      eventName: item.event,
      params,
      eventId: idText(item.event_id),
      eventTime: isoTime(item.event_time ?? item.timestamp),
      consent: item.limited_data_use === true ? { ...UNKNOWN_CONSENT, saleOfData: false } : UNKNOWN_CONSENT,
    });
  }
  return events;
}

// --- Pinterest --------------------------------------------------------------------------------------

function decodePinterestTag(request: HarRequest, url: URL): DecodeResult {
  let eventName: string | null = null;
  let eventId: string | null = null;
  let params: Record<string, unknown> = {};
  for (const [name, value] of requestParams(request, url)) {
    if (name === "event") eventName = value;
    else if (name === "event_id") eventId = value === "" ? null : value;
    else if (name === "ed") {
      const data = parseJson(value);
      if (!isRecord(data)) return "Pinterest Tag request whose event data (ed) is not a JSON object.";
      params = { ...data };
    }
  }
  if (!eventName) return "Pinterest Tag request without an event code (event).";
  // pintrk('track', code, { event_id }) puts the dedupe id inside the event data.
  if ("event_id" in params) {
    eventId = idText(params.event_id) ?? eventId;
    delete params.event_id;
  }
  return [{ platform: "pinterest", channel: "browser", eventName, params, eventId, eventTime: null, consent: UNKNOWN_CONSENT }];
}

function decodePinterestCapi(request: HarRequest): DecodeResult {
  const body = jsonBody(request);
  const data = isRecord(body) ? body.data : undefined;
  if (!Array.isArray(data)) return "Pinterest Conversions API request without a data list.";
  const events: DecodedEvent[] = [];
  for (const [position, item] of data.entries()) {
    if (!isRecord(item) || typeof item.event_name !== "string") return `Pinterest Conversions API data[${position}] has no event_name.`;
    const params: Record<string, unknown> = { ...(isRecord(item.custom_data) ? item.custom_data : {}) };
    copyPresent(item, params, ["opt_out"]);
    events.push({
      platform: "pinterest",
      channel: "server",
      eventName: item.event_name,
      params,
      eventId: idText(item.event_id),
      eventTime: isoTime(item.event_time),
      consent: item.opt_out === true ? { ...UNKNOWN_CONSENT, saleOfData: false } : UNKNOWN_CONSENT,
    });
  }
  return events;
}

// --- GA4 --------------------------------------------------------------------------------------------

function decodeGa4(request: HarRequest, url: URL): DecodeResult {
  const shared = [...url.searchParams];
  const lines = (request.bodyText ?? "").split(LINE_BREAK).filter((line) => line.trim() !== "");
  const hits = lines.length > 0 ? lines.map((line) => [...shared, ...new URLSearchParams(line)]) : [shared];
  const events: DecodedEvent[] = [];
  for (const [position, hit] of hits.entries()) {
    const fields = new Map(hit);
    const eventName = fields.get("en");
    if (!eventName) return `GA4 hit ${position} without an event name (en).`;
    events.push({
      platform: "ga4",
      channel: "browser",
      eventName,
      params: ga4Params(fields),
      eventId: null,
      eventTime: null,
      consent: decodeGoogleConsent(fields.get("gcs") ?? null, fields.get("gcd") ?? null).observed,
    });
  }
  return events;
}

const LINE_BREAK = /\r?\n/;

/** ep.* are string parameters, epn.* numeric ones, cu the currency, prN the Nth item. */
function ga4Params(fields: ReadonlyMap<string, string>): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  const items: { position: number; item: Record<string, unknown> }[] = [];
  for (const [name, value] of fields) {
    if (name.startsWith("ep.")) params[name.slice(3)] = value;
    else if (name.startsWith("epn.")) params[name.slice(4)] = numberOrText(value);
    else if (name === "cu") params.currency = value;
    else if (ITEM_FIELD.test(name)) items.push({ position: Number(name.slice(2)), item: decodeGa4Item(value) });
  }
  if (items.length > 0) params.items = items.sort((a, b) => a.position - b.position).map(({ item }) => item);
  return params;
}
const ITEM_FIELD = /^pr\d+$/;

/** Two-letter codes of an item string ("idSKU1~nmShirt~pr12.5~qt1"). */
const GA4_ITEM_CODES: Readonly<Record<string, { key: string; numeric: boolean }>> = {
  id: { key: "item_id", numeric: false },
  nm: { key: "item_name", numeric: false },
  br: { key: "item_brand", numeric: false },
  ca: { key: "item_category", numeric: false },
  c2: { key: "item_category2", numeric: false },
  c3: { key: "item_category3", numeric: false },
  c4: { key: "item_category4", numeric: false },
  c5: { key: "item_category5", numeric: false },
  va: { key: "item_variant", numeric: false },
  pr: { key: "price", numeric: true },
  qt: { key: "quantity", numeric: true },
  ds: { key: "discount", numeric: true },
  cp: { key: "coupon", numeric: false },
  ln: { key: "item_list_name", numeric: false },
  li: { key: "item_list_id", numeric: false },
  lp: { key: "index", numeric: true },
  af: { key: "affiliation", numeric: false },
  lo: { key: "location_id", numeric: false },
};
const CUSTOM_ITEM_KEY = /^k(\d+)$/;

function decodeGa4Item(text: string): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  const customKeys = new Map<string, string>();
  const customValues = new Map<string, string>();
  for (const segment of text.split("~")) {
    if (segment.length < 2) continue;
    const code = segment.slice(0, 2);
    const value = segment.slice(2);
    const known = GA4_ITEM_CODES[code];
    if (known) item[known.key] = known.numeric ? numberOrText(value) : value;
    else if (CUSTOM_ITEM_KEY.test(code)) customKeys.set(code.slice(1), value);
    else if (code.startsWith("v") && CUSTOM_ITEM_KEY.test(`k${code.slice(1)}`)) customValues.set(code.slice(1), value);
    else item[code] = value;
  }
  for (const [slot, key] of customKeys) item[key] = customValues.get(slot) ?? "";
  return item;
}

export type ConsentSignal = "granted" | "denied" | null;

export interface GoogleConsent {
  adStorage: ConsentSignal;
  analyticsStorage: ConsentSignal;
  adUserData: ConsentSignal;
  adPersonalization: ConsentSignal;
  /** Shopify purposes as far as the signals tell them. */
  observed: ObservedConsent;
}

/**
 * gcd letters (secondary sources; Google does not document them): each encodes the default and the
 * update state of one signal; the update wins when set. l = neither set; p/q/u/m = denied in the end
 * (p default denied, q denied then denied, u granted then denied, m update denied); t/r/v/n = granted
 * (t default granted, r denied then granted, v granted then granted, n update granted).
 */
const GCD_LETTERS: Readonly<Record<string, ConsentSignal>> = {
  l: null,
  p: "denied",
  q: "denied",
  u: "denied",
  m: "denied",
  t: "granted",
  r: "granted",
  v: "granted",
  n: "granted",
};

/**
 * Google consent mode signals of a GA4 hit. `gcs` is "G1" + ad_storage + analytics_storage (1 granted,
 * 0 denied); `gcd` (Consent Mode v2) holds a letter per signal at positions 2, 4, 6 and 8: ad_storage,
 * analytics_storage, ad_user_data, ad_personalization ("11p1p1p1p5", "13r3r3r3r5l1"). gcd wins where both
 * speak. Marketing follows ad_storage, analytics analytics_storage; sale of data is refused when ads
 * storage is granted but ad_personalization denied (§(b): refusing the sale of data denies
 * personalisation), and granted with ad_personalization; otherwise unknown.
 */
export function decodeGoogleConsent(gcs: string | null, gcd: string | null): GoogleConsent {
  const fromGcs = gcs !== null && GCS_PATTERN.test(gcs) ? [gcsSignal(gcs[2]), gcsSignal(gcs[3])] : [null, null];
  const fromGcd = gcd !== null && gcd.length >= 9 ? [gcd[2], gcd[4], gcd[6], gcd[8]].map(gcdSignal) : [null, null, null, null];
  const adStorage = fromGcd[0] ?? fromGcs[0] ?? null;
  const analyticsStorage = fromGcd[1] ?? fromGcs[1] ?? null;
  const adUserData = fromGcd[2] ?? null;
  const adPersonalization = fromGcd[3] ?? null;
  const saleOfData = adPersonalization === "granted" ? true : adPersonalization === "denied" && adStorage === "granted" ? false : null;
  return {
    adStorage,
    analyticsStorage,
    adUserData,
    adPersonalization,
    observed: { marketing: signalAllowed(adStorage), analytics: signalAllowed(analyticsStorage), saleOfData },
  };
}
const GCS_PATTERN = /^G1[01-][01-]$/;

function gcsSignal(digit: string | undefined): ConsentSignal {
  return digit === "1" ? "granted" : digit === "0" ? "denied" : null;
}

function gcdSignal(letter: string | undefined): ConsentSignal {
  return letter !== undefined && Object.hasOwn(GCD_LETTERS, letter) ? (GCD_LETTERS[letter] ?? null) : null;
}

function signalAllowed(signal: ConsentSignal): boolean | null {
  return signal === null ? null : signal === "granted";
}

// --- Shelfcast collector ----------------------------------------------------------------------------

/**
 * A POST to the collector: one record, a list, `{ events: [...] }`, or the pixel's own envelope (one
 * business event with its `destinations`, one per platform).
 */
function decodeCollectorPost(request: HarRequest): DecodeResult {
  const body = jsonBody(request);
  const records = Array.isArray(body)
    ? body
    : isRecord(body) && Array.isArray(body.events)
      ? body.events
      : isRecord(body) && Array.isArray(body.destinations)
        ? recordsOfEnvelope(body)
        : [body];
  if (records.length === 0 || !records.every(looksLikeCollectorRecord)) return null;
  const events: DecodedEvent[] = [];
  for (const [position, value] of records.entries()) {
    const record = readCollectorRecord(value);
    if (typeof record === "string") return `Shelfcast collector record ${position}: ${record}`;
    events.push(...collectorEvents(record));
  }
  return events;
}

/** The pixel's envelope as collector records: the shared id, time, consent and page go on each destination. */
function recordsOfEnvelope(envelope: Record<string, unknown>): unknown[] {
  const destinations = envelope.destinations as unknown[];
  return destinations.map((destination) =>
    isRecord(destination)
      ? { ...destination, eventId: envelope.eventId, time: envelope.occurredAt, consent: envelope.consent, url: envelope.pageUrl, channel: "browser" }
      : destination,
  );
}

function looksLikeCollectorRecord(value: unknown): boolean {
  return isRecord(value) && "platform" in value && "eventName" in value;
}

interface CollectorRecord {
  platform: Platform;
  channel: TrafficEvent["channel"];
  eventName: string;
  params: Record<string, unknown>;
  eventId: string | null;
  time: string | null;
  eventTime: string | null;
  consent: ObservedConsent;
  url: string | null;
  forwarding: ForwardingOutcome | null;
}

function readCollectorRecord(value: unknown): CollectorRecord | string {
  if (!isRecord(value)) return "not a JSON object.";
  const platform = value.platform;
  if (typeof platform !== "string" || !(PLATFORMS as readonly string[]).includes(platform)) return `platform ${JSON.stringify(platform)} is not one of ${PLATFORMS.join(", ")}.`;
  if (typeof value.eventName !== "string" || value.eventName === "") return "eventName is missing.";
  const channel = value.channel ?? "browser";
  if (channel !== "browser" && channel !== "server") return `channel ${JSON.stringify(channel)} is neither browser nor server.`;
  if (value.params !== undefined && value.params !== null && !isRecord(value.params)) return "params is not an object.";
  const forwarding = typeof value.forwarding === "string" && isForwardingOutcome(value.forwarding) ? value.forwarding : null;
  return {
    platform: platform as Platform,
    channel,
    eventName: value.eventName,
    params: isRecord(value.params) ? { ...value.params } : {},
    eventId: idText(value.eventId),
    time: isoTime(value.time ?? value.receivedAt),
    eventTime: isoTime(value.eventTime),
    consent: readConsent(value.consent),
    url: typeof value.url === "string" ? value.url : null,
    forwarding,
  };
}

/** Accepts ObservedConsent's names or Shopify's customerPrivacy names. */
function readConsent(value: unknown): ObservedConsent {
  if (!isRecord(value)) return UNKNOWN_CONSENT;
  return {
    marketing: booleanOrNull(value.marketing ?? value.marketingAllowed),
    analytics: booleanOrNull(value.analytics ?? value.analyticsProcessingAllowed),
    saleOfData: booleanOrNull(value.saleOfData ?? value.saleOfDataAllowed),
  };
}

/**
 * The events one record stands for. A browser record whose forwarding decision sent a server copy
 * also yields that copy (same id and parameters, the CAPI spelling on Pinterest, and the limited data
 * use flag when the decision was "forward_limited"), so dedupe and consent checks see both sides. A
 * server record whose decision held it yields nothing: it was never sent.
 */
function collectorEvents(record: CollectorRecord): DecodedEvent[] {
  const sent = record.forwarding === null || isForwarded(record.forwarding);
  const base: DecodedEvent = {
    platform: record.platform,
    channel: record.channel,
    eventName: record.eventName,
    params: record.params,
    eventId: record.eventId,
    eventTime: record.eventTime,
    consent: record.consent,
    ...(record.time === null ? {} : { time: record.time }),
  };
  if (record.channel === "server") return sent ? [base] : [];
  if (record.forwarding === null || !sent || !SERVER_PLATFORMS.includes(record.platform)) return [base];
  const serverName = record.platform === "pinterest" ? (pinterestServerName(record.eventName) ?? record.eventName) : record.eventName;
  const limited = record.forwarding === "forward_limited" ? LIMITED_DATA_USE_PARAMS[record.platform] : {};
  return [base, { ...base, channel: "server", eventName: serverName, params: { ...record.params, ...limited } }];
}

/** The server request fields that carry Limited Data Use, as the collector sets them. */
const LIMITED_DATA_USE_PARAMS: Readonly<Record<Platform, Record<string, unknown>>> = {
  meta: { data_processing_options: ["LDU"], data_processing_options_country: 0, data_processing_options_state: 0 },
  tiktok: { limited_data_use: true },
  pinterest: { opt_out: true },
  ga4: {},
};

/**
 * The collector's debug log: one record per line, as JSON text or already parsed. Blank lines are
 * ignored; a line that is not a record is reported (with its 0-based index) and skipped.
 */
export function readCollectorLog(lines: readonly unknown[]): CollectorLogResult {
  const events: TrafficEvent[] = [];
  const problems: TrafficProblem[] = [];
  let skipped = 0;
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index];
    if (typeof line === "string" && line.trim() === "") continue;
    const value = typeof line === "string" ? parseJson(line) : line;
    const record = value === undefined ? "not valid JSON." : readCollectorRecord(value);
    if (typeof record === "string") {
      problems.push({ index, message: record });
      skipped += 1;
      continue;
    }
    if (record.time === null) {
      problems.push({ index, message: "time is missing or not a date." });
      skipped += 1;
      continue;
    }
    const decoded = collectorEvents(record);
    if (decoded.length === 0) skipped += 1;
    for (const event of decoded) events.push(completeEvent(event, index, record.time, record.url ?? ""));
  }
  return { events, skipped, problems };
}

export function parseCollectorLog(lines: readonly unknown[]): TrafficEvent[] {
  return readCollectorLog(lines).events;
}

// ---------------------------------------------------------------------------------------------------
// Small readers
// ---------------------------------------------------------------------------------------------------

/** Query string, then the form body (urlencoded text, HAR params, or multipart fields). */
function requestParams(request: HarRequest, url: URL): [string, string][] {
  const pairs: [string, string][] = [...url.searchParams];
  if (request.bodyParams.length > 0) pairs.push(...request.bodyParams);
  else if (request.bodyText !== null) {
    const type = request.mimeType.toLowerCase();
    if (type.startsWith("multipart/form-data")) pairs.push(...multipartFields(request.bodyText, request.mimeType));
    else if (!type.includes("json")) pairs.push(...new URLSearchParams(request.bodyText));
  }
  return pairs;
}

function formValue(request: HarRequest, name: string): string | null {
  const url = request.parsed;
  if (url === null) return null;
  for (const [key, value] of requestParams(request, url)) if (key === name) return value;
  return null;
}

const MULTIPART_NAME = /name="([^"]*)"/;
const MULTIPART_BOUNDARY = /boundary=("?)([^";]+)\1/i;

/** Text fields of a multipart/form-data body (the pixel posts this way when the URL would be too long). */
function multipartFields(body: string, mimeType: string): [string, string][] {
  const boundary = MULTIPART_BOUNDARY.exec(mimeType)?.[2];
  if (!boundary) return [];
  const fields: [string, string][] = [];
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf("\r\n\r\n") >= 0 ? part.indexOf("\r\n\r\n") : part.indexOf("\n\n");
    if (split < 0) continue;
    const name = MULTIPART_NAME.exec(part.slice(0, split))?.[1];
    if (name === undefined) continue;
    const separator = part.startsWith("\r\n\r\n", split) ? 4 : 2;
    fields.push([name, part.slice(split + separator).replace(/\r?\n$/, "")]);
  }
  return fields;
}

function jsonBody(request: HarRequest): unknown {
  return request.bodyText === null ? undefined : parseJson(request.bodyText);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/** Pixels JSON-encode lists and objects inside query parameters (cd[contents], cd[content_ids]). */
function jsonOrText(value: string): unknown {
  const first = value.trimStart()[0];
  if (first !== "[" && first !== "{") return value;
  return parseJson(value) ?? value;
}

/** GA4 sends numeric parameters as text; keep the text when it is not a number, so a check can say so. */
function numberOrText(value: string): number | string {
  const number = Number(value);
  return value.trim() !== "" && Number.isFinite(number) ? number : value;
}

function copyPresent(from: Record<string, unknown>, to: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) if (from[key] !== undefined) to[key] = from[key];
}

function idText(value: unknown): string | null {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return typeof value === "string" && value !== "" ? value : null;
}

function booleanOrNull(value: unknown): boolean | null {
  return typeof value === "boolean" ? value : null;
}

/**
 * ISO 8601 text, or a Unix time: seconds below 10^11 (until the year 5138), milliseconds above, so
 * CAPI's seconds and JavaScript's milliseconds both read right.
 */
function isoTime(value: unknown): string | null {
  let ms: number;
  if (typeof value === "number") ms = value < 1e11 ? value * 1000 : value;
  else if (typeof value === "string" && value.trim() !== "") {
    const number = Number(value);
    ms = Number.isFinite(number) ? (number < 1e11 ? number * 1000 : number) : Date.parse(value);
  } else return null;
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? new Date(ms).toISOString() : null;
}

/** The largest time a Date can hold. */
const MAX_DATE_MS = 8.64e15;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
