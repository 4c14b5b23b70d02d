/**
 * The plan a shop starts with: the canonical mapping of pixel-consent.md §(a) as it stands, so the
 * default is right by construction and stays in step when the mapping changes. One value definition
 * per event on every platform (GA4's: Σ price × quantity, no tax or shipping), currency from the same
 * presentment MoneyV2 as the value, variant-level ids in the feeds' default scheme, one consent purpose
 * per destination and each platform's default attribution window.
 */
import {
  CANONICAL_MAPPING,
  DEFAULT_ATTRIBUTION_WINDOWS,
  EVENT_VALUE_DEFINITION,
  EXPECTED_PURPOSE,
  type MappedEventSpec,
} from "./platforms";
import {
  PLATFORMS,
  SHOPIFY_STANDARD_EVENTS,
  type Platform,
  type PlanDestinationEvent,
  type PlanEvent,
  type PlanPlatformSettings,
  type ShopifyStandardEvent,
  type TrackingPlan,
} from "./types";

/** Shelfcast's collector forwards server-side to Meta's Conversions API and TikTok's Events API only. */
const SERVER_SIDE: Readonly<Record<Platform, boolean>> = { meta: true, tiktok: true, pinterest: false, ga4: false };

function destination(platform: Platform, shopifyEvent: ShopifyStandardEvent, spec: MappedEventSpec): PlanDestinationEvent {
  const parameters = [...new Set([...spec.required, ...spec.recommended])];
  const built: PlanDestinationEvent = {
    platform,
    eventName: spec.eventName,
    parameters,
    valueDefinition: parameters.includes("value") ? EVENT_VALUE_DEFINITION[shopifyEvent] : "none",
  };
  if (spec.serverEventName !== undefined) built.serverEventName = spec.serverEventName;
  return built;
}

function defaultEvents(): PlanEvent[] {
  const events: PlanEvent[] = [];
  for (const shopifyEvent of SHOPIFY_STANDARD_EVENTS) {
    const destinations: PlanDestinationEvent[] = [];
    for (const platform of PLATFORMS) {
      const expected = CANONICAL_MAPPING[shopifyEvent][platform].expected;
      if (expected) destinations.push(destination(platform, shopifyEvent, expected));
    }
    if (destinations.length > 0) events.push({ shopifyEvent, destinations });
  }
  return events;
}

function defaultPlatforms(): PlanPlatformSettings[] {
  return PLATFORMS.map((platform) => ({
    platform,
    enabled: true,
    purpose: EXPECTED_PURPOSE[platform],
    serverSide: SERVER_SIDE[platform],
    contentType: "product",
    attributionWindow: { ...DEFAULT_ATTRIBUTION_WINDOWS[platform] },
  }));
}

/** A fresh copy each call, so a caller editing its plan never changes the default. */
export function createDefaultTrackingPlan(): TrackingPlan {
  return {
    version: 1,
    idScheme: "variant-id",
    currencySource: "presentment",
    customEventPrefix: "shelfcast:",
    platforms: defaultPlatforms(),
    events: defaultEvents(),
  };
}

/** Frozen: read it, or call createDefaultTrackingPlan() for a copy to edit. */
export const DEFAULT_TRACKING_PLAN: TrackingPlan = deepFreeze(createDefaultTrackingPlan());

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object") {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
