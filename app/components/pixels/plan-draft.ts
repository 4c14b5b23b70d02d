import { EVENT_VALUE_DEFINITION } from "~/domain/tracking/platforms";
import {
  SHOPIFY_STANDARD_EVENTS,
  type Platform,
  type PlanDestinationEvent,
  type PlanPlatformSettings,
  type TrackingPlan,
  type ValueDefinition,
} from "~/domain/tracking/types";

/**
 * Immutable edits of a draft tracking plan for the plan table. The table shows one row per Shopify
 * event (the plan's events in order, then standard events the plan does not map yet) and one cell per
 * platform; a cell edits the event's first destination on that platform. The server validates the
 * result on save and answers errors by plan path ("events[3].destinations[1].eventName"), which
 * `cellErrors` and `platformErrors` hand back to the control they belong to.
 */

export interface PathError {
  path: string;
  message: string;
}

export interface PlanRow {
  shopifyEvent: string;
  /** Index in plan.events, or null for a standard event the plan does not map yet. */
  eventIndex: number | null;
}

export function planRows(plan: TrackingPlan): PlanRow[] {
  const rows: PlanRow[] = plan.events.map((event, eventIndex) => ({ shopifyEvent: event.shopifyEvent, eventIndex }));
  const mapped = new Set(plan.events.map((event) => event.shopifyEvent));
  for (const shopifyEvent of SHOPIFY_STANDARD_EVENTS) if (!mapped.has(shopifyEvent)) rows.push({ shopifyEvent, eventIndex: null });
  return rows;
}

export interface CellRef {
  eventIndex: number;
  destinationIndex: number;
  destination: PlanDestinationEvent;
  /** More destinations on the same platform for this event (edit those in JSON). */
  others: number;
}

export function cellOf(plan: TrackingPlan, row: PlanRow, platform: Platform): CellRef | null {
  if (row.eventIndex === null) return null;
  const destinations = plan.events[row.eventIndex]?.destinations ?? [];
  const destinationIndex = destinations.findIndex((destination) => destination.platform === platform);
  const destination = destinations[destinationIndex];
  if (!destination) return null;
  const others = destinations.filter((d) => d.platform === platform).length - 1;
  return { eventIndex: row.eventIndex, destinationIndex, destination, others };
}

function defaultValueDefinition(shopifyEvent: string): ValueDefinition {
  return (EVENT_VALUE_DEFINITION as Record<string, ValueDefinition | undefined>)[shopifyEvent] ?? "none";
}

/**
 * Sets a cell's destination (creating the event and the destination when needed); `null` removes it,
 * and an event left without destinations leaves the plan.
 */
export function setCell(plan: TrackingPlan, row: PlanRow, platform: Platform, change: Partial<PlanDestinationEvent> | null): TrackingPlan {
  const events = [...plan.events];
  let eventIndex = row.eventIndex;
  if (eventIndex === null) {
    if (change === null) return plan;
    events.push({ shopifyEvent: row.shopifyEvent, destinations: [] });
    eventIndex = events.length - 1;
  }
  const event = events[eventIndex];
  if (!event) return plan;
  const destinations = [...event.destinations];
  const at = destinations.findIndex((destination) => destination.platform === platform);
  if (change === null) {
    if (at >= 0) destinations.splice(at, 1);
  } else if (at >= 0) {
    destinations[at] = { ...(destinations[at] as PlanDestinationEvent), ...change };
  } else {
    destinations.push({ platform, eventName: "", parameters: [], valueDefinition: defaultValueDefinition(row.shopifyEvent), ...change });
  }
  if (destinations.length === 0) events.splice(eventIndex, 1);
  else events[eventIndex] = { ...event, destinations };
  return { ...plan, events };
}

export function setPlatform(plan: TrackingPlan, platform: Platform, change: Partial<PlanPlatformSettings>): TrackingPlan {
  return { ...plan, platforms: plan.platforms.map((settings) => (settings.platform === platform ? { ...settings, ...change } : settings)) };
}

/** Destinations whose name was emptied are "not sent": they leave the plan when it is saved. */
export function withoutEmptyDestinations(plan: TrackingPlan): TrackingPlan {
  const events = plan.events
    .map((event) => ({ ...event, destinations: event.destinations.filter((destination) => destination.eventName.trim() !== "") }))
    .filter((event) => event.destinations.length > 0);
  return { ...plan, events };
}

/** "content_ids, contents value" → ["content_ids", "contents", "value"]. */
export function parseParameterList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((key) => key.trim())
    .filter((key) => key !== "");
}

/** The errors whose path lies under `prefix`, with the rest of the path ("" when the error is the prefix itself). */
export function errorsUnder(errors: readonly PathError[], prefix: string): PathError[] {
  return errors
    .filter((error) => error.path === prefix || error.path.startsWith(`${prefix}.`) || error.path.startsWith(`${prefix}[`))
    .map((error) => ({ path: error.path.slice(prefix.length).replace(/^\./, ""), message: error.message }));
}

export function cellErrors(errors: readonly PathError[], cell: CellRef | null): PathError[] {
  return cell ? errorsUnder(errors, `events[${cell.eventIndex}].destinations[${cell.destinationIndex}]`) : [];
}

export function platformErrors(errors: readonly PathError[], plan: TrackingPlan, platform: Platform): PathError[] {
  const index = plan.platforms.findIndex((settings) => settings.platform === platform);
  return index >= 0 ? errorsUnder(errors, `platforms[${index}]`) : [];
}

/** Stable text for "has the draft changed?" comparisons. */
export function planJson(plan: TrackingPlan): string {
  return JSON.stringify(plan, null, 2);
}
