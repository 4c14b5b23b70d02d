/**
 * The part of a TrackingPlan the web pixel (extensions/shelfcast-pixel) needs at run time, and the
 * conversion from a saved plan. The app writes `JSON.stringify(toPixelPlan(plan))` into the pixel's
 * `plan` setting (webPixelCreate / webPixelUpdate) whenever the merchant saves their plan; without
 * it the pixel runs on its embedded copy of the default plan (extensions/shelfcast-pixel/src/plan.ts),
 * which a test keeps equal to toPixelPlan(DEFAULT_TRACKING_PLAN).
 *
 * Left out on purpose: attribution windows, currency source and server-side switches are the
 * collector's business; serverEventName too (the collector forwards server-side, the pixel only
 * names the browser copy).
 */
import type { IdSchemeName } from "../channels/types";
import type { ConsentPurpose, Platform, TrackingPlan, ValueDefinition } from "./types";

export interface PixelDestination {
  platform: Platform;
  eventName: string;
  parameters: readonly string[];
  valueDefinition: ValueDefinition;
}

export interface PixelPlanEvent {
  shopifyEvent: string;
  destinations: readonly PixelDestination[];
}

export interface PixelPlatform {
  platform: Platform;
  purpose: ConsentPurpose;
  /** "product": content ids are item (variant) ids; "product_group": product ids. */
  contentType: "product" | "product_group";
}

export interface PixelPlan {
  version: 1;
  idScheme: IdSchemeName;
  platforms: readonly PixelPlatform[];
  events: readonly PixelPlanEvent[];
}

/** Enabled platforms only; events keep only destinations on them, and events left empty go. */
export function toPixelPlan(plan: TrackingPlan): PixelPlan {
  const enabled = plan.platforms.filter((platform) => platform.enabled);
  const enabledNames = new Set<Platform>(enabled.map((platform) => platform.platform));
  const events: PixelPlanEvent[] = [];
  for (const event of plan.events) {
    const destinations = event.destinations
      .filter((destination) => enabledNames.has(destination.platform))
      .map(({ platform, eventName, parameters, valueDefinition }) => ({ platform, eventName, parameters: [...parameters], valueDefinition }));
    if (destinations.length > 0) events.push({ shopifyEvent: event.shopifyEvent, destinations });
  }
  return {
    version: 1,
    idScheme: plan.idScheme,
    platforms: enabled.map(({ platform, purpose, contentType }) => ({ platform, purpose, contentType })),
    events,
  };
}
