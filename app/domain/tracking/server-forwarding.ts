/**
 * Whether the collector may forward one pixel event server-side (Meta Conversions API, TikTok
 * Events API, Pinterest Conversions API), and how. Pure: the collector records the decision per event
 * ("would forward", "held: no consent"); the actual sending needs the channel credentials that the
 * publishing issue adds, and will obey the same decision.
 *
 * The rules (pixel-consent.md §(b)):
 * - Ad platforms are marketing destinations: without `marketing` permission (denied or unknown)
 *   nothing with identifiers may be sent, so the event is held. Meta's browser consent switch does
 *   not govern CAPI, which is why the server gates separately.
 * - When the visitor refused the sale or sharing of data (or it is unknown), the event still goes,
 *   flagged: Meta Limited Data Use, TikTok `limited_data_use`, Pinterest `opt_out`.
 * - Without an event id the server copy could not be deduplicated against the browser's and would
 *   count twice, so it is held.
 * - Meta rejects a whole batch that holds an event older than 7 days, so such an event is held.
 */
import type { ObservedConsent, PlanPlatformSettings, Platform } from "./types";

/** Platforms Shelfcast can reach server-side; GA4 has no server path here (Measurement Protocol is out of scope). */
export const SERVER_PLATFORMS: readonly Platform[] = ["meta", "tiktok", "pinterest"];

/** Meta's limit on `event_time` age for server events. */
export const MAX_SERVER_EVENT_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export type ForwardingOutcome = "forward" | "forward_limited" | "held_no_consent" | "held_no_event_id" | "held_stale" | "not_server_side";

export interface ForwardingDecision {
  outcome: ForwardingOutcome;
  /** The flag the server request carries when sale of data was refused; null when none applies. */
  limitedDataUse: LimitedDataUse | null;
}

/** How each platform's server API is told that data must not be sold or shared. */
export type LimitedDataUse =
  | { platform: "meta"; dataProcessingOptions: ["LDU"]; country: 0; state: 0 }
  | { platform: "tiktok"; limitedDataUse: true }
  | { platform: "pinterest"; optOut: true };

export interface ForwardingInput {
  platform: Platform;
  /** The plan's settings for the platform; null when the plan does not list it. */
  settings: PlanPlatformSettings | null;
  consent: ObservedConsent;
  eventId: string | null;
  /** When the event happened (ISO 8601), or null when the pixel did not say. */
  eventTime: string | null;
  now: Date;
}

/** Country and state 0 ask Meta to geolocate the visitor for LDU, as the pixel's `dataProcessingOptions` does. */
const LIMITED_DATA_USE: Record<Platform, LimitedDataUse | null> = {
  meta: { platform: "meta", dataProcessingOptions: ["LDU"], country: 0, state: 0 },
  tiktok: { platform: "tiktok", limitedDataUse: true },
  pinterest: { platform: "pinterest", optOut: true },
  ga4: null,
};

export function decideServerForwarding(input: ForwardingInput): ForwardingDecision {
  const { platform, settings, consent } = input;
  if (!SERVER_PLATFORMS.includes(platform) || !settings?.enabled || !settings.serverSide) return { outcome: "not_server_side", limitedDataUse: null };
  if (consent.marketing !== true) return { outcome: "held_no_consent", limitedDataUse: null };
  if (!input.eventId) return { outcome: "held_no_event_id", limitedDataUse: null };
  if (platform === "meta" && isStale(input.eventTime, input.now)) return { outcome: "held_stale", limitedDataUse: null };
  if (consent.saleOfData !== true) return { outcome: "forward_limited", limitedDataUse: LIMITED_DATA_USE[platform] };
  return { outcome: "forward", limitedDataUse: null };
}

function isStale(eventTime: string | null, now: Date): boolean {
  if (!eventTime) return false;
  const at = Date.parse(eventTime);
  return Number.isFinite(at) && now.getTime() - at > MAX_SERVER_EVENT_AGE_MS;
}

/** Whether the outcome sends a server copy. */
export function isForwarded(outcome: ForwardingOutcome): boolean {
  return outcome === "forward" || outcome === "forward_limited";
}

/** The outcome as the collector log and the timeline show it. */
export const FORWARDING_LABELS: Record<ForwardingOutcome, string> = {
  forward: "would forward",
  forward_limited: "would forward (limited data use)",
  held_no_consent: "held: no consent",
  held_no_event_id: "held: no event id to deduplicate with",
  held_stale: "held: older than 7 days",
  not_server_side: "browser only",
};

export function isForwardingOutcome(value: string): value is ForwardingOutcome {
  return Object.hasOwn(FORWARDING_LABELS, value);
}
