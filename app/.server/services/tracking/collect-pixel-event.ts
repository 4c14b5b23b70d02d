import { z } from "zod";
import { formatPlanPath } from "~/domain/tracking/plan-schema";
import { decideServerForwarding, isForwarded, isForwardingOutcome } from "~/domain/tracking/server-forwarding";
import { PLATFORMS, type ObservedConsent, type TrackingPlan } from "~/domain/tracking/types";
import { logger } from "../../logger";
import { getCollectorTarget, insertPixelEvents, type PixelEventInsert } from "../../repositories/tracking";
import { hasPixelDestinations } from "../../repositories/pixel-destinations";
import type { Runtime } from "../../runtime";
import { requestPixelForwarding } from "./forward-pixel-events";
import { planFromStored } from "./tracking-plan";

/**
 * The collector: POST /pixel/collect. Storefronts (the Shelfcast web pixel) send a small JSON batch;
 * everything in it is untrusted. The request is size-limited and zod-validated, only installed shops
 * are accepted (an unknown and an uninstalled shop get the same 404, so the endpoint does not reveal
 * which shops use Shelfcast), personal data is dropped before anything is stored, and the answer is
 * 204 with no body. Each event's server-side forwarding decision is recorded beside it; events cleared
 * for forwarding are sent to Meta/TikTok by the "pixel-forward" job when the shop connected them
 * (forward-pixel-events.ts).
 */

/** A beacon carries a handful of events; 256 KB fits 50 checkout events with long line-item lists. */
export const MAX_COLLECT_BYTES = 256 * 1024;
export const MAX_EVENTS_PER_BATCH = 50;
/** The collector log is a debugging window: the newest events per shop, trimmed on insert. */
export const KEEP_EVENTS_PER_SHOP = 5_000;

/**
 * A beacon endpoint read by storefronts on any domain (the shop's own domain, its myshopify domain,
 * Shopify's checkout): any origin may post, and no credentials are involved, so `*` exposes nothing.
 */
export const COLLECTOR_CORS_HEADERS: Record<string, string> = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

const ShopSchema = z.string().trim().toLowerCase().regex(SHOP_DOMAIN, "must be the shop's myshopify.com domain");
const EventTimeSchema = z.iso.datetime({ offset: true });

/** Shopify's four purposes as the pixel saw them; null = unknown (treated as not granted). Unknown keys (preferences) are ignored. */
const ConsentSchema = z.object({
  marketing: z.boolean().nullable(),
  analytics: z.boolean().nullable(),
  saleOfData: z.boolean().nullable(),
});

/** Platform payloads nest three levels (contents[].id); anything much deeper is not a pixel's. */
export const MAX_PARAMS_DEPTH = 6;

/** Whether `value` nests no deeper than `depth` levels; stops at the limit, so hostile input costs nothing. */
function nestsWithin(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== "object") return true;
  if (depth === 0) return false;
  for (const entry of Array.isArray(value) ? value : Object.values(value)) if (!nestsWithin(entry, depth - 1)) return false;
  return true;
}

const PlatformEventSchema = z.object({
  platform: z.enum(PLATFORMS),
  eventName: z.string().trim().min(1).max(100),
  params: z.record(z.string().max(100), z.unknown()).refine((params) => nestsWithin(params, MAX_PARAMS_DEPTH), `nests deeper than ${MAX_PARAMS_DEPTH} levels`),
});

/**
 * Two shapes are accepted; unknown keys are ignored (a newer pixel may send more), never stored.
 *
 * A batch: `{shop, events: [{platform, eventName, eventId, params, time, consent, url?, clientId?}]}`,
 * up to 50 events, for senders that queue events (tests, server-side tools).
 */
const BatchEventSchema = PlatformEventSchema.extend({
  eventId: z.string().max(200).nullable(),
  time: EventTimeSchema,
  consent: ConsentSchema,
  /** The page the event came from; its query string is dropped before storing (click ids, emails in newsletter links). */
  url: z.string().max(2_000).nullable().optional(),
  /** Shopify's per-browser client id: groups one visitor's session for the timeline. */
  clientId: z.string().max(200).optional(),
});
const BatchSchema = z.object({
  shop: ShopSchema,
  events: z.array(BatchEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

/**
 * An envelope, what the Shelfcast web pixel sends (extensions/shelfcast-pixel/src/index.ts,
 * CollectorEnvelope): one business event with one event id, time and consent, and its copy for each
 * platform under `destinations`.
 */
const EnvelopeSchema = z.object({
  v: z.literal(1),
  shop: ShopSchema,
  eventId: z.string().min(1).max(200),
  shopifyEvent: z.string().max(100).optional(),
  occurredAt: EventTimeSchema,
  clientId: z.string().max(200).optional(),
  pageUrl: z.string().max(2_000).nullable().optional(),
  consent: ConsentSchema,
  destinations: z.array(PlatformEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
});

/** Either shape, as one list of platform events. */
export interface CollectBody {
  shop: string;
  events: z.infer<typeof BatchEventSchema>[];
}

function fromEnvelope(envelope: z.infer<typeof EnvelopeSchema>): CollectBody {
  return {
    shop: envelope.shop,
    events: envelope.destinations.map((destination) => ({
      ...destination,
      eventId: envelope.eventId,
      time: envelope.occurredAt,
      consent: envelope.consent,
      url: envelope.pageUrl,
      clientId: envelope.clientId,
    })),
  };
}

// ---------------------------------------------------------------------------------------------
// Personal data
// ---------------------------------------------------------------------------------------------

/**
 * The rule: the collector never stores what identifies a visitor. A key is dropped, at any depth,
 * when its name (lower-cased, with `_`, `-` and `.` removed) is one of these — the hashed or plain
 * identifiers of Meta's `user_data`, TikTok's `user`, Pinterest's `user_data` and GA4's user-provided
 * data, plus IP addresses, user agents and the platforms' browser/click ids — or when it is one of
 * the containers those identifiers travel in (its whole value goes). A string value that is an email
 * address is dropped whatever its key. Commerce data (event names, ids, values, currencies, contents)
 * is kept: that is what the checks read.
 */
const PERSONAL_DATA_KEYS = new Set(
  [
    "em", "email", "emails", "emailaddress", "sha256email", "hashedemail",
    "ph", "phone", "phones", "phonenumber", "sha256phonenumber", "hashedphone",
    "fn", "ln", "firstname", "lastname", "fullname",
    "db", "dob", "dateofbirth", "birthday", "ge", "gender",
    "ct", "city", "st", "state", "zp", "zip", "zipcode", "postalcode", "street", "address", "address1", "address2",
    "externalid", "customerid", "userid", "subscriptionid", "fbloginid", "leadid", "hashedmaids", "madid",
    "ip", "ipaddress", "clientipaddress", "userip",
    "ua", "useragent", "clientuseragent",
    "fbp", "fbc", "fbclid", "ttp", "ttclid", "epik", "gclid", "wbraid", "gbraid", "dclid",
  ],
);
const PERSONAL_DATA_CONTAINERS = new Set(["userdata", "user", "customer", "visitor", "billingaddress", "shippingaddress", "userprovideddata"]);
const EMAIL_VALUE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[_.-]/g, "");
}

export function isPersonalDataKey(key: string): boolean {
  const normalized = normalizeKey(key);
  return PERSONAL_DATA_KEYS.has(normalized) || PERSONAL_DATA_CONTAINERS.has(normalized);
}

/** A deep copy of `value` without personal data (the rule above); `dropped` lists the paths removed. */
export function stripPersonalData(value: unknown, path = "", dropped: string[] = []): { value: unknown; dropped: string[] } {
  if (typeof value === "string") {
    if (EMAIL_VALUE.test(value.trim())) {
      dropped.push(path || "(root)");
      return { value: undefined, dropped };
    }
    return { value, dropped };
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    value.forEach((entry, index) => {
      const clean = stripPersonalData(entry, `${path}[${index}]`, dropped).value;
      if (clean !== undefined) out.push(clean);
    });
    return { value: out, dropped };
  }
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
      const at = path ? `${path}.${key}` : key;
      if (isPersonalDataKey(key)) {
        dropped.push(at);
        continue;
      }
      const clean = stripPersonalData(entry, at, dropped).value;
      if (clean !== undefined) out[key] = clean;
    }
    return { value: out, dropped };
  }
  return { value, dropped };
}

/** The page without its query string and fragment: they carry click ids, emails from newsletter links, checkout tokens. */
export function pageWithoutQuery(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return null;
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The request
// ---------------------------------------------------------------------------------------------

export type CollectOutcome =
  | { status: 204; stored: number }
  | { status: 400; error: string; issues?: { path: string; message: string }[] }
  | { status: 404; error: string }
  | { status: 413; error: string };

/** Reads at most `limit` bytes of the body; null when it is longer (the rest is not read). */
export async function readBodyWithLimit(request: Request, limit: number): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses and validates a body (a batch, or the pixel's envelope when it has `v`); the answer names the first bad fields. */
export function parseCollectBody(text: string): { ok: true; body: CollectBody } | { ok: false; error: string; issues?: { path: string; message: string }[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: "the body is not JSON" };
  }
  const isEnvelope = typeof json === "object" && json !== null && "v" in json;
  const parsed = isEnvelope ? EnvelopeSchema.safeParse(json) : BatchSchema.safeParse(json);
  if (parsed.success) return { ok: true, body: "v" in parsed.data ? fromEnvelope(parsed.data) : parsed.data };
  const issues = parsed.error.issues.slice(0, 10).map((issue) => ({ path: formatPlanPath(issue.path) || "(body)", message: issue.message }));
  return { ok: false, error: `invalid ${issues.map((issue) => issue.path).join(", ")}`, issues };
}

/** Turns a validated batch into rows: personal data dropped, the forwarding decision taken per event. */
export function pixelEventRows(body: CollectBody, plan: TrackingPlan, now: Date): PixelEventInsert[] {
  return body.events.map((event) => {
    const consent: ObservedConsent = event.consent;
    const settings = plan.platforms.find((platform) => platform.platform === event.platform) ?? null;
    const decision = decideServerForwarding({ platform: event.platform, settings, consent, eventId: event.eventId, eventTime: event.time, now });
    const params = stripPersonalData(event.params).value as Record<string, unknown>;
    return {
      eventTime: new Date(event.time),
      clientId: event.clientId ?? null,
      platform: event.platform,
      channel: "browser",
      eventName: event.eventName,
      eventId: event.eventId,
      params,
      consent: { ...consent },
      url: pageWithoutQuery(event.url),
      forwarding: decision.outcome,
    };
  });
}

export async function collectPixelEvents(runtime: Runtime, request: Request, now: Date): Promise<CollectOutcome> {
  const text = await readBodyWithLimit(request, MAX_COLLECT_BYTES);
  if (text === null) return { status: 413, error: `the body is larger than ${MAX_COLLECT_BYTES} bytes; send at most ${MAX_EVENTS_PER_BATCH} events per request` };
  const parsed = parseCollectBody(text);
  if (!parsed.ok) return { status: 400, error: parsed.error, issues: parsed.issues };
  const { body } = parsed;
  const target = await getCollectorTarget(runtime.db.sql, body.shop);
  if (!target?.active) return { status: 404, error: "unknown shop" };
  const { plan, problem } = planFromStored(target.plan);
  if (problem) logger.warn({ shop: body.shop }, `collector: ${problem}`);
  const rows = pixelEventRows(body, plan, now);
  await insertPixelEvents(runtime.db, body.shop, rows, KEEP_EVENTS_PER_SHOP);
  // Events cleared for server-side forwarding go out in a per-shop job, when the shop connected a platform.
  const forwardable = rows.some((row) => isForwardingOutcome(row.forwarding) && isForwarded(row.forwarding));
  if (forwardable && (await hasPixelDestinations(runtime.db.sql, body.shop))) await requestPixelForwarding(runtime, body.shop);
  return { status: 204, stored: rows.length };
}
