/**
 * The tracking plan as merchants edit and save it: validated here before any check reads it. The
 * schema only guards shape and size (it is user input); whether the plan is *right* is for checkPlan,
 * which can explain the problem instead of refusing to save.
 */
import { z } from "zod";
import { ID_SCHEME_NAMES } from "../channels/settings";
import { PLATFORMS, type TrackingPlan } from "./types";

/** Sizes far beyond any real plan (15 standard events, a few custom ones, four platforms). */
export const PLAN_LIMITS = {
  maxJsonChars: 256 * 1024,
  maxEvents: 100,
  maxDestinationsPerEvent: 16,
  maxParameters: 50,
  maxNameLength: 100,
  maxParameterLength: 64,
  maxNoteLength: 300,
  maxAttributionDays: 365,
} as const;

/** Printable, no whitespace at the ends, no control characters: what survives every platform's API. */
const NAME = /^[^\s\p{Cc}](?:[^\p{Cc}]*[^\s\p{Cc}])?$/u;
/** Parameter keys as the platforms define them: letters, digits, underscores. */
const PARAMETER_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** "shelfcast:" — a namespace ending in a separator so custom names read "shelfcast:wishlist_add". */
const CUSTOM_PREFIX = /^[A-Za-z][A-Za-z0-9_-]*[:_.-]$/;

const eventName = (what: string) =>
  z
    .string()
    .min(1, `${what} is empty`)
    .max(PLAN_LIMITS.maxNameLength, `${what} is longer than ${PLAN_LIMITS.maxNameLength} characters`)
    .regex(NAME, `${what} must not start or end with spaces or contain control characters`);

const days = z.number().int("days must be a whole number").min(0).max(PLAN_LIMITS.maxAttributionDays).nullable();

export const AttributionWindowSchema = z.object({
  clickDays: days,
  viewDays: days,
  note: z.string().max(PLAN_LIMITS.maxNoteLength).optional(),
});

export const PlanDestinationEventSchema = z.object({
  platform: z.enum(PLATFORMS),
  eventName: eventName("the event name"),
  serverEventName: eventName("the server event name").optional(),
  parameters: z
    .array(
      z
        .string()
        .max(PLAN_LIMITS.maxParameterLength)
        .regex(PARAMETER_KEY, "a parameter key uses letters, digits and underscores, starting with a letter"),
    )
    .max(PLAN_LIMITS.maxParameters)
    .refine((keys) => new Set(keys).size === keys.length, "each parameter may be listed once"),
  valueDefinition: z.enum(["subtotal", "total", "line_total", "unit_price", "none"]),
  custom: z.boolean().optional(),
});

export const PlanEventSchema = z.object({
  shopifyEvent: eventName("the Shopify event"),
  destinations: z.array(PlanDestinationEventSchema).max(PLAN_LIMITS.maxDestinationsPerEvent),
});

export const PlanPlatformSettingsSchema = z.object({
  platform: z.enum(PLATFORMS),
  enabled: z.boolean(),
  purpose: z.enum(["analytics", "marketing", "preferences", "sale_of_data"]),
  serverSide: z.boolean(),
  contentType: z.enum(["product", "product_group"]),
  attributionWindow: AttributionWindowSchema.nullable(),
});

export const TrackingPlanSchema = z
  .object({
    version: z.literal(1),
    idScheme: z.enum(ID_SCHEME_NAMES),
    currencySource: z.enum(["presentment", "shop"]),
    customEventPrefix: z
      .string()
      .min(2)
      .max(40)
      .regex(CUSTOM_PREFIX, 'the custom event prefix is a name ending in ":" or "_", such as "shelfcast:"'),
    platforms: z.array(PlanPlatformSettingsSchema).max(PLATFORMS.length),
    events: z.array(PlanEventSchema).max(PLAN_LIMITS.maxEvents),
  })
  .superRefine((plan, ctx) => {
    const seen = new Set<string>();
    plan.platforms.forEach((settings, index) => {
      if (seen.has(settings.platform)) {
        ctx.addIssue({ code: "custom", path: ["platforms", index, "platform"], message: `${settings.platform} has settings twice; keep one entry` });
      }
      seen.add(settings.platform);
    });
    plan.events.forEach((event, eventIndex) => {
      event.destinations.forEach((destination, destinationIndex) => {
        if (!seen.has(destination.platform)) {
          ctx.addIssue({
            code: "custom",
            path: ["events", eventIndex, "destinations", destinationIndex, "platform"],
            message: `${destination.platform} has no entry under platforms, so its consent purpose is unknown; add one`,
          });
        }
      });
    });
  }) satisfies z.ZodType<TrackingPlan>;

export interface PlanParseError {
  /** Plan path of the offending value ("events[3].destinations[1].eventName"); "" for the whole plan. */
  path: string;
  message: string;
}

export type PlanParseResult = { ok: true; plan: TrackingPlan } | { ok: false; errors: PlanParseError[] };

/** ["events", 3, "destinations", 1, "eventName"] → "events[3].destinations[1].eventName". */
export function formatPlanPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else text += text === "" ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

/** Validates a saved or uploaded plan: JSON text or an already parsed value. */
export function parseTrackingPlan(json: unknown): PlanParseResult {
  let value = json;
  if (typeof json === "string") {
    if (json.length > PLAN_LIMITS.maxJsonChars) {
      return { ok: false, errors: [{ path: "", message: `the plan is larger than ${PLAN_LIMITS.maxJsonChars / 1024} KB` }] };
    }
    try {
      value = JSON.parse(json);
    } catch (error) {
      return { ok: false, errors: [{ path: "", message: `the plan is not valid JSON (${error instanceof Error ? error.message : String(error)})` }] };
    }
  }
  const result = TrackingPlanSchema.safeParse(value);
  if (result.success) return { ok: true, plan: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => ({ path: formatPlanPath(issue.path), message: issue.message })) };
}
