/**
 * The traffic checks of pixel-consent.md §(c) — 10, 13, 15, 16, 17, 19, 20, 21, 22, 26, plus 4 and 5 on
 * the names seen — over events decoded from a HAR or the collector log (har.ts). Pure: every time rule
 * uses the traffic's own times, never the clock.
 *
 * One finding per problem and sender, not per request: the same wrong currency on twenty requests is
 * one finding that points at the first and counts the rest.
 *
 * Windows:
 * - Double fire (22): the same platform, event and content (ids, value, order id) twice in the browser
 *   within 1 s. A user cannot repeat an action that fast; two code paths reacting to one action do
 *   (a theme and an AJAX cart library both reporting one add to cart). GA4 events batched into one
 *   request share its time, so identical events in one batch count as a double fire too.
 * - Browser/server copies (19, 20): paired within 48 h, the dedupe window of Meta, TikTok and Pinterest.
 * - Stale server events (21): Meta `event_time` more than 7 days before the request that carries it.
 */
import type { IdSchemeName } from "../channels/types";
import { isGid } from "../catalog/gid";
import { numericId } from "../channels/id-scheme";
import { trafficLocation, type TrafficSource } from "./har";
import {
  canonicalSpelling,
  EXPECTED_PURPOSE,
  GA4_ECOMMERCE_EVENTS,
  isIso4217,
  isPurchaseEvent,
  isTikTokCurrency,
  legacyTikTokEvent,
  looseEventKey,
  PLATFORM_LABELS,
} from "./platforms";
import { MAX_SERVER_EVENT_AGE_MS, SERVER_PLATFORMS } from "./server-forwarding";
import type { CatalogIds, Finding, FindingSeverity, ObservedConsent, Platform, TrackingPlan, TrafficEvent } from "./types";

export interface TrafficCheckOptions {
  /** The ids the shop's feeds carry (checks 13, 15); without it check 13 falls back to the id scheme's shape. */
  catalog?: CatalogIds;
  /** The feeds' id scheme; defaults to the plan's. */
  idScheme?: IdSchemeName;
  /** Server-side forwarding (19) and consent purposes (26) per platform. */
  plan?: TrackingPlan;
  /** Where the events came from, for the evidence wording; "har" unless told. */
  source?: TrafficSource;
}

/** Two identical browser events closer than this are one action reported twice (22). */
export const DOUBLE_FIRE_WINDOW_MS = 1000;
/** Meta, TikTok and Pinterest deduplicate browser and server copies within 48 hours (19, 20). */
export const DEDUPE_WINDOW_MS = 48 * 60 * 60 * 1000;

export function checkTraffic(events: readonly TrafficEvent[], options: TrafficCheckOptions = {}): Finding[] {
  const findings = new FindingList(options.source ?? "har");
  const facts = events.map(eventFacts);
  for (const fact of facts) {
    checkNames(fact, findings);
    checkMoney(fact, findings);
    checkCatalogIds(fact, options.catalog ?? null, options.idScheme ?? options.plan?.idScheme ?? null, findings);
    checkCatalogParameters(fact, findings);
    checkParameterKeys(fact, findings);
    checkStaleServerEvent(fact, findings);
  }
  checkDedupe(facts, options.plan ?? null, findings);
  checkDoubleFires(facts, findings);
  checkServerConsent(facts, options.plan ?? null, findings);
  return findings.toFindings();
}

// ---------------------------------------------------------------------------------------------------
// What the checks need to know about one event, worked out once
// ---------------------------------------------------------------------------------------------------

interface EventFacts {
  event: TrafficEvent;
  /** The standard spelling the name resolves to, or null for a non-standard name. */
  canonical: string | null;
  /** Name key shared by all spellings and by Pinterest's tag and CAPI names ("addtocart"). */
  nameKey: string;
  /** Request time in ms. */
  at: number;
  /** When the event happened in ms: the server's event_time, else the request time. */
  happenedAt: number;
  /** Product ids, in the order sent, without repeats. */
  contentIds: string[];
  /** Content ids sorted and joined, or null when none were sent: one side of "same content". */
  idsKey: string | null;
  value: number | null;
  orderId: string | null;
}

function eventFacts(event: TrafficEvent): EventFacts {
  const at = Date.parse(event.time);
  const eventTime = event.eventTime ? Date.parse(event.eventTime) : Number.NaN;
  const contentIds = collectContentIds(event.params);
  const orderId = event.params.order_id ?? event.params.transaction_id;
  return {
    event,
    canonical: canonicalSpelling(event.platform, event.eventName, event.channel),
    nameKey: looseEventKey(event.eventName),
    at,
    happenedAt: Number.isFinite(eventTime) ? eventTime : at,
    contentIds,
    idsKey: contentIds.length > 0 ? [...contentIds].sort().join(",") : null,
    value: plainNumber(event.params.value),
    orderId: typeof orderId === "string" || typeof orderId === "number" ? String(orderId) : null,
  };
}

/** content_ids, TikTok's content_id, contents[].id / content_id, Pinterest line_items[].product_id, GA4 items[].item_id. */
function collectContentIds(params: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  addIds(ids, params.content_ids);
  addIds(ids, params.content_id);
  for (const item of records(params.contents)) addIds(ids, item.id ?? item.content_id);
  for (const item of records(params.line_items)) addIds(ids, item.product_id);
  for (const item of records(params.items)) addIds(ids, item.item_id);
  return [...ids];
}

function addIds(ids: Set<string>, value: unknown): void {
  if (Array.isArray(value)) for (const item of value) addIds(ids, item);
  else if (typeof value === "number" && Number.isFinite(value)) ids.add(String(value));
  else if (typeof value === "string" && value.trim() !== "") ids.add(value.trim());
}

function records(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => typeof item === "object" && item !== null && !Array.isArray(item)) : [];
}

/** A number as platforms read `value`: a finite number, or digits with an optional decimal point. */
function plainNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  return typeof value === "string" && PLAIN_DECIMAL.test(value) ? Number(value) : null;
}
const PLAIN_DECIMAL = /^\d+(\.\d+)?$/;

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  return !Array.isArray(value) || value.length > 0;
}

// ---------------------------------------------------------------------------------------------------
// Findings: one per problem and sender, counting the requests that repeat it
// ---------------------------------------------------------------------------------------------------

interface Draft {
  code: string;
  check: number;
  severity: FindingSeverity;
  event: TrafficEvent;
  message: string;
  fix: string;
  /** Indexes of the events that showed the same problem, in the order seen; the first is the evidence. */
  indexes: Set<number>;
}

class FindingList {
  private readonly drafts = new Map<string, Draft>();

  constructor(private readonly source: TrafficSource) {}

  /** `detail` separates problems of one code and sender that need their own finding (a key, an id). */
  add(draft: Omit<Draft, "indexes">, detail = ""): void {
    const { event } = draft;
    const key = `${draft.code}|${event.platform}|${event.channel}|${event.eventName}|${detail}`;
    const existing = this.drafts.get(key);
    if (existing) existing.indexes.add(event.index);
    else this.drafts.set(key, { ...draft, indexes: new Set([event.index]) });
  }

  /** Ordered by check, then by where the evidence is. */
  toFindings(): Finding[] {
    return [...this.drafts.values()]
      .sort((a, b) => a.check - b.check || a.event.index - b.event.index)
      .map((draft) => ({
        code: draft.code,
        check: draft.check,
        severity: draft.severity,
        platform: draft.event.platform,
        evidence: { source: "traffic", location: trafficLocation(draft.event.index, this.source), excerpt: excerpt(draft.event) },
        message: draft.indexes.size > 1 ? `${draft.message} ${this.repeats([...draft.indexes])}` : draft.message,
        fix: draft.fix,
      }));
  }

  private repeats(indexes: readonly number[]): string {
    const shown = indexes.slice(0, MAX_LISTED).map((index) => trafficLocation(index, this.source));
    return `Seen ${indexes.length} times: ${shown.join(", ")}${indexes.length > MAX_LISTED ? ", …" : ""}.`;
  }

  where(index: number): string {
    return trafficLocation(index, this.source);
  }
}
const MAX_LISTED = 5;
const MAX_EXCERPT = 300;

function excerpt(event: TrafficEvent): string {
  const text = event.url === "" ? `${event.platform} ${event.channel} ${event.eventName}` : event.url;
  return text.length > MAX_EXCERPT ? `${text.slice(0, MAX_EXCERPT - 1)}…` : text;
}

const SENDERS: Readonly<Record<Platform, Readonly<Record<TrafficEvent["channel"], string>>>> = {
  meta: { browser: "Meta Pixel", server: "Meta Conversions API" },
  tiktok: { browser: "TikTok Pixel", server: "TikTok Events API" },
  pinterest: { browser: "Pinterest Tag", server: "Pinterest Conversions API" },
  ga4: { browser: "GA4", server: "GA4 Measurement Protocol" },
};

/** `Meta Pixel "AddToCart"`: who sent which event, as the merchant sees it in the platform's tools. */
function describe(event: TrafficEvent): string {
  return `${SENDERS[event.platform][event.channel]} "${event.eventName}"`;
}

function quoteList(values: readonly string[], limit = 3): string {
  const shown = values.slice(0, limit).map((value) => JSON.stringify(value));
  return values.length > limit ? `${shown.join(", ")} and ${values.length - limit} more` : shown.join(", ");
}

/** Where a merchant changes what is sent: Shelfcast's plan for its own pixel, the code of anything else. */
const CHANGE_WHERE = "in Shelfcast › Pixels & consent › tracking plan (or, if another app or the theme sends this request, in its settings or code)";

// ---------------------------------------------------------------------------------------------------
// 4, 5: names
// ---------------------------------------------------------------------------------------------------

/** Why a spelling that differs from the standard one loses the event, per platform (and Pinterest side). */
function spellingReason(event: TrafficEvent, canonical: string): string {
  switch (event.platform) {
    case "meta":
      return "Meta matches standard events and deduplicates browser and server copies on the exact name, so this counts as a separate custom event.";
    case "tiktok":
      return "TikTok event names are case-sensitive, so this is not counted as the standard event.";
    case "ga4":
      return "GA4 event names are case-sensitive, so this shows up as a separate custom event outside the ecommerce reports.";
    case "pinterest":
      if (event.channel === "server") return "Pinterest's Conversions API accepts only its snake_case event names.";
      return canonicalSpelling("pinterest", event.eventName, "server") === event.eventName
        ? `"${event.eventName}" is the Conversions API spelling; the Pinterest tag takes the code "${canonical}".`
        : "The Pinterest tag takes lower-case event codes without separators; other spellings become audience-only user-defined events.";
  }
}

function checkNames(fact: EventFacts, findings: FindingList): void {
  const { event, canonical } = fact;
  if (canonical !== null && canonical !== event.eventName) {
    findings.add({
      code: "pixel.event_name_spelling",
      check: 4,
      severity: "error",
      event,
      message: `${describe(event)} is not spelt like the standard event "${canonical}". ${spellingReason(event, canonical)}`,
      fix: `Send "${canonical}" exactly as written, ${CHANGE_WHERE}.`,
    });
  }
  if (event.platform !== "tiktok") return;
  const legacy = legacyTikTokEvent(canonical ?? event.eventName);
  if (!legacy) return;
  findings.add({
    code: "pixel.legacy_tiktok_event",
    check: 5,
    severity: legacy.severity,
    event,
    message: `${describe(event)} uses a legacy TikTok event name. ${legacy.note}`,
    fix: legacy.replacement
      ? `Send "${legacy.replacement}" instead, ${CHANGE_WHERE}.`
      : `Send the standard event that says what the click achieved (or a declared custom event) instead, ${CHANGE_WHERE}.`,
  });
}

// ---------------------------------------------------------------------------------------------------
// 10: currency and value
// ---------------------------------------------------------------------------------------------------

function checkMoney(fact: EventFacts, findings: FindingList): void {
  const { event } = fact;
  const currency = event.params.currency;
  if (isPresent(currency)) {
    if (typeof currency !== "string" || !isIso4217(currency)) {
      findings.add(
        {
          code: "pixel.invalid_currency",
          check: 10,
          severity: "error",
          event,
          message: `${describe(event)} sends currency ${JSON.stringify(currency)}, which is not a three-letter ISO 4217 code in capitals; ${PLATFORM_LABELS[event.platform]} drops the value or rejects the event.`,
          fix: `Send the currency code of the same price the value comes from (e.g. "USD", "EUR"), ${CHANGE_WHERE}.`,
        },
        String(currency),
      );
    } else if (event.platform === "tiktok" && !isTikTokCurrency(currency)) {
      findings.add(
        {
          code: "pixel.unsupported_currency",
          check: 10,
          severity: "error",
          event,
          message: `${describe(event)} sends currency "${currency}", which TikTok does not accept, so the event's value is lost.`,
          fix: `Convert the value to a currency TikTok supports (e.g. the shop's currency) before sending, ${CHANGE_WHERE}.`,
        },
        currency,
      );
    }
  }
  const value = event.params.value;
  const amount = plainNumber(value);
  if (!isPresent(value) || (amount !== null && amount >= 0)) return;
  const negative = (typeof value === "number" && value < 0) || (typeof value === "string" && value.trim().startsWith("-"));
  findings.add(
    {
      code: "pixel.invalid_value",
      check: 10,
      severity: "error",
      event,
      message: negative
        ? `${describe(event)} sends a negative value (${JSON.stringify(value)}); platforms reject it or count it against revenue.`
        : `${describe(event)} sends value ${JSON.stringify(value)}, which is not a plain number (no currency symbols, thousands separators or commas as decimal points); the platform ignores it.`,
      fix: `Send value as a number such as 49.9, taken from the price's amount rather than its formatted text, ${CHANGE_WHERE}.`,
    },
    negative ? "negative" : "not_numeric",
  );
}

// ---------------------------------------------------------------------------------------------------
// 13, 15: product ids against the catalog
// ---------------------------------------------------------------------------------------------------

const SCHEME_SHAPES: Readonly<Record<IdSchemeName, RegExp | null>> = {
  "variant-id": /^\d+$/,
  "shopify-channel": /^shopify_[A-Z]{2}_\d+(_\d+)?$/,
  // SKUs can be any text: only the catalog can tell.
  sku: null,
};

const SCHEME_LABELS: Readonly<Record<IdSchemeName, string>> = {
  "variant-id": "numeric variant ids",
  sku: "SKUs",
  "shopify-channel": "shopify_<country>_<product>_<variant> ids",
};

function checkCatalogIds(fact: EventFacts, catalog: CatalogIds | null, scheme: IdSchemeName | null, findings: FindingList): void {
  const { event, contentIds } = fact;
  if (contentIds.length === 0) return;
  const gids = contentIds.filter(isGid);
  if (gids.length > 0) {
    findings.add({
      code: "pixel.gid_content_id",
      check: 15,
      severity: "error",
      event,
      message: `${describe(event)} sends Shopify GIDs as product ids (${quoteList(gids)}); the catalog's ids are never GIDs, so these match no product and catalog ads and reports lose the event.`,
      fix: `Send the numeric id after the last "/" (${JSON.stringify(numericId(gids[0] ?? ""))}) in the scheme the feeds use, ${CHANGE_WHERE}.`,
    });
  }
  const plain = contentIds.filter((id) => !isGid(id));
  if (plain.length === 0) return;
  const schemeNote = scheme ? ` The feeds use ${SCHEME_LABELS[scheme]} (id scheme "${scheme}").` : "";
  if (catalog) {
    const unknown = plain.filter((id) => !catalog.itemIds.has(id) && !catalog.groupIds.has(id));
    if (unknown.length === 0) return;
    findings.add({
      code: "pixel.content_id_not_in_catalog",
      check: 13,
      severity: "error",
      event,
      message: `${describe(event)} sends product ids that match no item or group id in the catalog (${quoteList(unknown)}), so ${PLATFORM_LABELS[event.platform]} cannot tie the event to a product.${schemeNote}`,
      fix: `Use the same id scheme for the pixel as for the feeds: set the plan's product id scheme in Shelfcast › Pixels & consent to the one in Channels › Feed settings (or fix the ids in the app or theme code that sends this request).`,
    });
    return;
  }
  const shape = scheme ? SCHEME_SHAPES[scheme] : null;
  if (!scheme || !shape) return;
  const mismatched = plain.filter((id) => !shape.test(id));
  if (mismatched.length === 0) return;
  findings.add({
    code: "pixel.content_id_scheme_mismatch",
    check: 13,
    severity: "warning",
    event,
    message: `${describe(event)} sends product ids (${quoteList(mismatched)}) that are not ${SCHEME_LABELS[scheme]}, the scheme the feeds use, so they cannot match catalog items.`,
    fix: `Send ids in the feeds' scheme ("${scheme}"): set the plan's product id scheme in Shelfcast › Pixels & consent to match Channels › Feed settings (or fix the app or theme code that sends this request).`,
  });
}

// ---------------------------------------------------------------------------------------------------
// 16: catalog parameters
// ---------------------------------------------------------------------------------------------------

const TIKTOK_CATALOG_EVENTS: ReadonlySet<string> = new Set(["ViewContent", "AddToCart", "Purchase", "CompletePayment", "PlaceAnOrder"]);
const GA4_CATALOG_EVENTS: ReadonlySet<string> = new Set(GA4_ECOMMERCE_EVENTS);

function checkCatalogParameters(fact: EventFacts, findings: FindingList): void {
  const { event } = fact;
  const name = fact.canonical ?? event.eventName;
  if (event.platform === "ga4") {
    checkGa4Ecommerce(fact, name, findings);
    return;
  }
  const missing = missingCatalogParameters(event, name);
  if (missing === null) return;
  findings.add(
    {
      code: "pixel.missing_catalog_parameters",
      check: 16,
      severity: "warning",
      event,
      message: `${describe(event)} is sent without ${missing.params}; ${missing.why}.`,
      fix: `Add ${missing.params} from the event's product lines, ${CHANGE_WHERE}.`,
    },
    missing.params,
  );
}

function missingCatalogParameters(event: TrafficEvent, name: string): { params: string; why: string } | null {
  const has = (key: string): boolean => isPresent(event.params[key]);
  switch (event.platform) {
    case "meta":
      if (name === "AddToCart" && !has("contents")) return { params: "contents", why: "Meta's Advantage+ catalog ads need contents on AddToCart" };
      if ((name === "ViewContent" || name === "Purchase") && !has("contents") && !(has("content_ids") && has("content_type")))
        return { params: "contents (or content_ids with content_type)", why: "Meta catalog ads cannot match the event to a product" };
      return null;
    case "tiktok": {
      if (!TIKTOK_CATALOG_EVENTS.has(name)) return null;
      const absent = ["content_type", "contents", "content_ids"].filter((key) => !has(key));
      return absent.length > 0 ? { params: joinAnd(absent), why: "TikTok Video Shopping Ads need content_type, contents and content_ids" } : null;
    }
    case "pinterest": {
      if (event.channel === "browser") {
        const withIds = records(event.params.line_items).some((item) => isPresent(item.product_id));
        return (name === "addtocart" || name === "checkout") && !withIds
          ? { params: "line_items with product_id", why: "Pinterest shopping and catalog features need the product ids" }
          : null;
      }
      return (name === "add_to_cart" || name === "checkout") && !has("content_ids") && !has("contents")
        ? { params: "content_ids (or contents)", why: "Pinterest shopping and catalog features need the product ids" }
        : null;
    }
    case "ga4":
      return null;
  }
}

function joinAnd(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words[words.length - 1] ?? ""}`;
}

function checkGa4Ecommerce(fact: EventFacts, name: string, findings: FindingList): void {
  const { event } = fact;
  if (name === "purchase" && !isPresent(event.params.transaction_id)) {
    findings.add({
      code: "pixel.missing_transaction_id",
      check: 16,
      severity: "error",
      event,
      message: `${describe(event)} has no transaction_id; GA4 requires it for purchases and uses it to drop duplicate purchases.`,
      fix: `Send the order id as transaction_id, ${CHANGE_WHERE}.`,
    });
  }
  if (!GA4_CATALOG_EVENTS.has(name)) return;
  const items = Array.isArray(event.params.items) ? records(event.params.items) : [];
  if (items.length === 0) {
    findings.add({
      code: "pixel.missing_items",
      check: 16,
      severity: "error",
      event,
      message: `${describe(event)} has no items; GA4 requires items on ecommerce events, so the event is missing from the ecommerce reports.`,
      fix: `Send items (item_id, item_name, price, quantity per product line), ${CHANGE_WHERE}.`,
    });
    return;
  }
  const anonymous = items.filter((item) => !isPresent(item.item_id) && !isPresent(item.item_name)).length;
  if (anonymous === 0) return;
  findings.add({
    code: "pixel.item_without_id",
    check: 16,
    severity: "error",
    event,
    message: `${describe(event)} has ${anonymous} of ${items.length} items without item_id or item_name; GA4 drops such items.`,
    fix: `Give every item an item_id (the catalog id) and item_name, ${CHANGE_WHERE}.`,
  });
}

// ---------------------------------------------------------------------------------------------------
// 17: misspelt parameter keys
// ---------------------------------------------------------------------------------------------------

/** Keys each platform reads at the top level of the event's data, as the vendors document them. */
const KNOWN_KEYS: Readonly<Record<Platform, ReadonlySet<string>>> = {
  meta: new Set([
    "value",
    "currency",
    "content_ids",
    "content_type",
    "contents",
    "content_name",
    "content_category",
    "num_items",
    "predicted_ltv",
    "search_string",
    "status",
    "order_id",
    "delivery_category",
    "data_processing_options",
    "data_processing_options_country",
    "data_processing_options_state",
  ]),
  tiktok: new Set([
    "contents",
    "content_type",
    "content_ids",
    "value",
    "currency",
    "content_name",
    "content_category",
    "query",
    "search_string",
    "description",
    "status",
    "delivery_category",
    "order_id",
    "shop_id",
    "price",
    "quantity",
    "limited_data_use",
  ]),
  pinterest: new Set([
    "value",
    "currency",
    "order_id",
    "order_quantity",
    "line_items",
    "promo_code",
    "coupon",
    "property",
    "search_query",
    "video_title",
    "lead_type",
    "content_ids",
    "contents",
    "num_items",
    "search_string",
    "content_name",
    "content_category",
    "content_brand",
    "opt_out_type",
    "opt_out",
    "np",
  ]),
  ga4: new Set([
    "value",
    "currency",
    "transaction_id",
    "tax",
    "shipping",
    "coupon",
    "items",
    "item_list_id",
    "item_list_name",
    "search_term",
    "payment_type",
    "shipping_tier",
    "affiliation",
    "method",
    "promotion_id",
    "promotion_name",
    "creative_name",
    "creative_slot",
    "location_id",
    "send_to",
    "page_location",
    "page_title",
    "page_referrer",
    "content_group",
    "debug_mode",
  ]),
};

/** Keys of the product lines inside a list parameter. GA4 items are decoded from fixed codes, so never misspelt. */
const ITEM_KEYS: Readonly<Record<Platform, Readonly<Record<string, ReadonlySet<string>>>>> = {
  meta: { contents: new Set(["id", "quantity", "item_price", "delivery_category"]) },
  tiktok: { contents: new Set(["content_id", "content_type", "content_name", "content_category", "quantity", "price", "brand"]) },
  pinterest: {
    line_items: new Set(["product_name", "product_id", "product_category", "product_variant_id", "product_variant", "product_price", "product_quantity", "product_brand"]),
    contents: new Set(["id", "item_price", "quantity", "item_name", "item_category", "item_brand"]),
  },
  ga4: {},
};

function checkParameterKeys(fact: EventFacts, findings: FindingList): void {
  const { event } = fact;
  for (const key of Object.keys(event.params)) reportMisspelling(event, key, key, KNOWN_KEYS[event.platform], findings);
  for (const [list, known] of Object.entries(ITEM_KEYS[event.platform])) {
    const seen = new Set<string>();
    for (const item of records(event.params[list])) {
      for (const key of Object.keys(item)) {
        if (seen.has(key)) continue;
        seen.add(key);
        reportMisspelling(event, key, `${list}[].${key}`, known, findings);
      }
    }
  }
}

function reportMisspelling(event: TrafficEvent, key: string, path: string, known: ReadonlySet<string>, findings: FindingList): void {
  if (known.has(key)) return;
  const meant = likelyMeant(key, known);
  if (meant === null) return;
  const meantPath = path.slice(0, path.length - key.length) + meant;
  findings.add(
    {
      code: "pixel.misspelt_parameter",
      check: 17,
      severity: "warning",
      event,
      message: `${describe(event)} sends "${path}", which ${PLATFORM_LABELS[event.platform]} does not read; "${meantPath}" was probably meant. Unknown keys are ignored without an error.`,
      fix: `Rename "${path}" to "${meantPath}", ${CHANGE_WHERE}.`,
    },
    path,
  );
}

/**
 * The known key an unknown one most likely meant: its snake_case form ("contentIds"), else the nearest
 * key at edit distance 1 (2 for keys of 8+ characters) — "content_id" for "content_ids", "contend_ids".
 * Short or distant keys are custom parameters, which platforms allow.
 */
function likelyMeant(key: string, known: ReadonlySet<string>): string | null {
  const snake = key.replace(CAMEL_HUMP, "$1_$2").toLowerCase();
  if (snake !== key && known.has(snake)) return snake;
  if (key.length < 4) return null;
  const limit = key.length >= 8 ? 2 : 1;
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate, bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
const CAMEL_HUMP = /([a-z0-9])([A-Z])/g;

/** Levenshtein distance, or limit + 1 as soon as it must exceed `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const cell = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      current.push(cell);
      if (cell < rowMin) rowMin = cell;
    }
    if (rowMin > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

// ---------------------------------------------------------------------------------------------------
// 19, 20: one shared, deterministic, unique event id per business event
// ---------------------------------------------------------------------------------------------------

/** Two facts agree when either side lacks them or both say the same. */
function agree<T>(a: T | null, b: T | null, same: (x: T, y: T) => boolean = (x, y) => x === y): boolean {
  return a === null || b === null || same(a, b);
}

function sameValue(a: number, b: number): boolean {
  return Math.abs(a - b) < 0.005;
}

/** Whether two events can be one business event: same name, no conflicting order id, products or value. */
function sameBusinessEvent(a: EventFacts, b: EventFacts): boolean {
  return a.nameKey === b.nameKey && agree(a.orderId, b.orderId) && agree(a.idsKey, b.idsKey) && agree(a.value, b.value, sameValue);
}

function checkDedupe(facts: readonly EventFacts[], plan: TrackingPlan | null, findings: FindingList): void {
  const reportedBrowser = new Set<EventFacts>();
  for (const platform of SERVER_PLATFORMS) {
    const browser = facts.filter((fact) => fact.event.platform === platform && fact.event.channel === "browser");
    const server = facts.filter((fact) => fact.event.platform === platform && fact.event.channel === "server").sort(byHappened);
    for (const [copy, original] of pairCopies(browser, server)) {
      if (copy.event.eventId !== null && copy.event.eventId === original.event.eventId) continue;
      reportedBrowser.add(original);
      reportUnsharedId(original, copy, findings);
    }
  }
  if (plan) reportMissingIdsForForwarding(facts, plan, reportedBrowser, findings);
  reportReusedIds(facts, findings);
}

function byHappened(a: EventFacts, b: EventFacts): number {
  return a.happenedAt - b.happenedAt || a.event.index - b.event.index;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const name = key(item);
    if (name === null) continue;
    const group = groups.get(name);
    if (group) group.push(item);
    else groups.set(name, [item]);
  }
  return groups;
}

/**
 * Server events paired with the browser event they copy: first by equal event id, then — for the
 * rest — the nearest unpaired browser event within the dedupe window that can be the same business
 * event. Server events with no browser counterpart are server-only, which needs no dedupe.
 */
function pairCopies(browser: readonly EventFacts[], server: readonly EventFacts[]): [EventFacts, EventFacts][] {
  const used = new Set<EventFacts>();
  const pairs: [EventFacts, EventFacts][] = [];
  const unpaired: EventFacts[] = [];
  const byId = groupBy(browser, (fact) => (fact.event.eventId === null ? null : `${fact.nameKey}|${fact.event.eventId}`));
  for (const copy of server) {
    const sameId = copy.event.eventId === null ? undefined : byId.get(`${copy.nameKey}|${copy.event.eventId}`);
    const original = sameId?.find((candidate) => !used.has(candidate));
    if (original) {
      used.add(original);
      pairs.push([copy, original]);
    } else unpaired.push(copy);
  }
  const byName = groupBy(browser, (fact) => fact.nameKey);
  for (const copy of unpaired) {
    let best: EventFacts | null = null;
    let bestGap = DEDUPE_WINDOW_MS;
    for (const candidate of byName.get(copy.nameKey) ?? []) {
      const gap = Math.abs(candidate.at - copy.happenedAt);
      if (gap > bestGap || (best !== null && gap === bestGap) || used.has(candidate) || !sameBusinessEvent(candidate, copy)) continue;
      best = candidate;
      bestGap = gap;
    }
    if (best) {
      used.add(best);
      pairs.push([copy, best]);
    }
  }
  return pairs;
}

function reportUnsharedId(original: EventFacts, copy: EventFacts, findings: FindingList): void {
  const platform = PLATFORM_LABELS[copy.event.platform];
  const sides = `the browser copy (${findings.where(original.event.index)}) and the server copy (${findings.where(copy.event.index)})`;
  if (original.event.eventId === null || copy.event.eventId === null) {
    const which = original.event.eventId === null && copy.event.eventId === null ? "neither carries an event id" : original.event.eventId === null ? "the browser copy has no event id" : "the server copy has no event id";
    findings.add({
      code: "pixel.missing_event_id",
      check: 19,
      severity: "error",
      event: copy.event,
      message: `${describe(copy.event)}: ${sides} are one business event, but ${which}, so ${platform} cannot deduplicate them and counts the event twice.`,
      fix: "Send the same event id on both sides: Shopify's event id, or the order id for purchases (the Shelfcast pixel and collector do this; another app must pass its browser event id to its server call).",
    });
    return;
  }
  findings.add({
    code: "pixel.event_id_not_shared",
    check: 20,
    severity: "error",
    event: copy.event,
    message: `${describe(copy.event)}: ${sides} are one business event with different event ids (${JSON.stringify(original.event.eventId)} and ${JSON.stringify(copy.event.eventId)}), so ${platform} counts it twice. The ids look generated separately on each side.`,
    fix: "Make the id deterministic and shared: forward the browser's id (Shopify's event id, or the order id for purchases) to the server instead of generating a new one there.",
  });
}

/**
 * With server-side forwarding in the plan, the server copy travels from Shelfcast's collector and does
 * not show in a browser HAR; a browser event without an id still cannot be deduplicated against it.
 */
function reportMissingIdsForForwarding(facts: readonly EventFacts[], plan: TrackingPlan, reported: ReadonlySet<EventFacts>, findings: FindingList): void {
  const forwarded = new Map<Platform, Set<string>>();
  for (const settings of plan.platforms) {
    if (settings.enabled && settings.serverSide && SERVER_PLATFORMS.includes(settings.platform)) forwarded.set(settings.platform, new Set());
  }
  for (const planEvent of plan.events) {
    for (const destination of planEvent.destinations) forwarded.get(destination.platform)?.add(looseEventKey(destination.eventName));
  }
  for (const fact of facts) {
    const { event } = fact;
    if (event.channel !== "browser" || event.eventId !== null || reported.has(fact)) continue;
    if (!forwarded.get(event.platform)?.has(fact.nameKey)) continue;
    findings.add({
      code: "pixel.missing_event_id",
      check: 19,
      severity: "error",
      event,
      message: `${describe(event)} carries no event id, but the plan forwards ${PLATFORM_LABELS[event.platform]} events server-side too; without a shared id the browser and server copies cannot be deduplicated.`,
      fix: "Send Shopify's event id (the order id for purchases) as the event id on the browser request; the Shelfcast pixel does this, another app must be configured to.",
    });
  }
}

/** One id for distinct business events (a checkout token or session id reused) merges them into one. */
function reportReusedIds(facts: readonly EventFacts[], findings: FindingList): void {
  const groups = groupBy(facts, (fact) => (fact.event.eventId === null ? null : `${fact.event.platform}|${fact.nameKey}|${fact.event.eventId}`));
  for (const group of groups.values()) {
    const ordered = [...group].sort(byHappened);
    for (let i = 1; i < ordered.length; i += 1) {
      const later = ordered[i];
      const earlier = later ? ordered.slice(0, i).find((fact) => !sameBusinessEvent(fact, later)) : undefined;
      if (!later || !earlier) continue;
      findings.add(
        {
          code: "pixel.event_id_reused",
          check: 20,
          severity: "error",
          event: later.event,
          message: `${describe(later.event)} reuses event id ${JSON.stringify(later.event.eventId)} of a different business event (${findings.where(earlier.event.index)}: other products, value or order), so ${PLATFORM_LABELS[later.event.platform]} merges the two and drops one.`,
          fix: "Use an id unique to each business event: Shopify's event id, or the order id for purchases — not a checkout token, session or client id.",
        },
        later.event.eventId ?? "",
      );
      break;
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// 21: stale server events
// ---------------------------------------------------------------------------------------------------

/** Meta documents the 7-day limit (and rejects the whole batch); other platforms are not checked. */
function checkStaleServerEvent(fact: EventFacts, findings: FindingList): void {
  const { event } = fact;
  if (event.platform !== "meta" || event.channel !== "server" || !event.eventTime) return;
  const age = fact.at - fact.happenedAt;
  if (!(age > MAX_SERVER_EVENT_AGE_MS)) return;
  findings.add({
    code: "pixel.stale_server_event",
    check: 21,
    severity: "error",
    event,
    message: `${describe(event)} has event_time ${event.eventTime}, more than 7 days before the request (${event.time}); Meta rejects such an event together with the whole batch that carries it.`,
    fix: "Send server events within 7 days of the event (Shelfcast holds older ones); drop older events from the queue or retry job that sends them.",
  });
}

// ---------------------------------------------------------------------------------------------------
// 22: double firing in the browser
// ---------------------------------------------------------------------------------------------------

/** Same name, products, value and order id — both present and equal, or both absent. */
function sameContent(a: EventFacts, b: EventFacts): boolean {
  return a.nameKey === b.nameKey && a.idsKey === b.idsKey && a.orderId === b.orderId && (a.value === null ? b.value === null : b.value !== null && sameValue(a.value, b.value));
}

function checkDoubleFires(facts: readonly EventFacts[], findings: FindingList): void {
  const byPlatform = groupBy(facts, (fact) => (fact.event.channel === "browser" && Number.isFinite(fact.at) ? fact.event.platform : null));
  for (const list of byPlatform.values()) {
    list.sort((a, b) => a.at - b.at || a.event.index - b.event.index);
    let windowStart = 0;
    for (let i = 0; i < list.length; i += 1) {
      const fact = list[i];
      if (!fact) continue;
      while ((list[windowStart]?.at ?? fact.at) < fact.at - DOUBLE_FIRE_WINDOW_MS) windowStart += 1;
      const first = list.slice(windowStart, i).find((earlier) => sameContent(earlier, fact));
      if (first) reportDoubleFire(first, fact, findings);
    }
  }
}

function reportDoubleFire(first: EventFacts, repeat: EventFacts, findings: FindingList): void {
  const { event } = repeat;
  const gap = repeat.at - first.at;
  const purchase = isPurchaseEvent(event.platform, repeat.canonical ?? event.eventName);
  findings.add({
    code: "pixel.double_fire",
    check: 22,
    severity: purchase ? "error" : "warning",
    event,
    message: `${describe(event)} fired twice with the same content ${gap}ms apart (${findings.where(first.event.index)} and ${findings.where(event.index)}): one action reported by two code paths, so ${PLATFORM_LABELS[event.platform]} counts it twice.`,
    fix: "Keep one sender for this event: remove the theme snippet or app that sends it besides the Shelfcast pixel (or turn off this event in the plan if the other sender stays).",
  });
}

// ---------------------------------------------------------------------------------------------------
// 26: server side gated on the same consent as the browser
// ---------------------------------------------------------------------------------------------------

type ConsentField = keyof ObservedConsent;
const CONSENT_FIELDS: readonly ConsentField[] = ["marketing", "analytics", "saleOfData"];
const PURPOSE_FIELDS: Readonly<Record<string, ConsentField>> = { marketing: "marketing", analytics: "analytics", sale_of_data: "saleOfData" };

interface KnownConsent {
  value: boolean;
  index: number;
}

/**
 * Consent is known only where traffic shows it (GA4 consent signals, collector records, a pixel's LDU
 * flag). A server event is judged by the state its own record carries, else the latest state the
 * browser showed before it; a server request's own flags speak only for itself, since a server may
 * flag every event. Unknown consent is not judged: only a send against a known refusal is a finding.
 */
function checkServerConsent(facts: readonly EventFacts[], plan: TrackingPlan | null, findings: FindingList): void {
  const known: Partial<Record<ConsentField, KnownConsent>> = {};
  const ordered = facts.filter((fact) => Number.isFinite(fact.at)).sort((a, b) => a.at - b.at || a.event.index - b.event.index);
  for (const fact of ordered) {
    const { event } = fact;
    if (event.channel === "browser") {
      for (const field of CONSENT_FIELDS) {
        const value = event.consent[field];
        if (value !== null) known[field] = { value, index: event.index };
      }
      continue;
    }
    if (!SERVER_PLATFORMS.includes(event.platform)) continue;
    const consent = { ...known };
    for (const field of CONSENT_FIELDS) {
      const value = event.consent[field];
      if (value !== null) consent[field] = { value, index: event.index };
    }
    const purpose = plan?.platforms.find((settings) => settings.platform === event.platform)?.purpose ?? EXPECTED_PURPOSE[event.platform];
    const purposeField = PURPOSE_FIELDS[purpose];
    const gate = purposeField ? consent[purposeField] : undefined;
    if (gate?.value === false && !(event.platform === "pinterest" && event.params.opt_out === true)) {
      findings.add({
        code: "pixel.server_event_without_consent",
        check: 26,
        severity: "error",
        event,
        message: `${describe(event)} was sent although the visitor had refused ${purpose.replace("_", " ")} consent (${findings.where(gate.index)}). The browser pixel's consent switch does not govern the server copy; it must be gated separately.`,
        fix: `Hold server events unless Shopify's customer privacy allows ${purpose.replace("_", " ")} (Shelfcast's collector does); if another app sends this, make it check the visitor's consent first.`,
      });
      continue;
    }
    const sale = consent.saleOfData;
    if (sale?.value === false && !hasLimitedDataUse(event)) {
      findings.add({
        code: "pixel.server_event_without_limited_data_use",
        check: 26,
        severity: "error",
        event,
        message: `${describe(event)} was sent without ${LIMITED_DATA_USE_FLAGS[event.platform]} although the visitor refused the sale of their data (${findings.where(sale.index)}).`,
        fix: `When saleOfDataAllowed is false, send the event with ${LIMITED_DATA_USE_FLAGS[event.platform]} or not at all (Shelfcast's collector adds the flag); if another app sends this, configure its limited data use setting.`,
      });
    }
  }
}

const LIMITED_DATA_USE_FLAGS: Readonly<Record<Platform, string>> = {
  meta: 'data_processing_options ["LDU"] (Limited Data Use)',
  tiktok: "limited_data_use: true",
  pinterest: "opt_out: true",
  ga4: "ad_personalization denied",
};

function hasLimitedDataUse(event: TrafficEvent): boolean {
  const { params } = event;
  switch (event.platform) {
    case "meta":
      return Array.isArray(params.data_processing_options) && params.data_processing_options.includes("LDU");
    case "tiktok":
      return params.limited_data_use === true;
    case "pinterest":
      return params.opt_out === true;
    case "ga4":
      return false;
  }
}
