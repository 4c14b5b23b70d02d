/**
 * Stock rules and campaign reservations as data (ADR 0014). A merchant (or the app's screens) writes
 * them as JSON; they are validated here, once, into the normalised shapes the evaluation reads. Every
 * problem names the rule or campaign (by id, else by position) and the field:
 *
 *   rules[2] ("limited-edition").cap: expected a whole number of units (0 or more), got -1
 */
import { z } from "zod";
import { gidType, isGid, toGid } from "../catalog/gid";
import type { Gid } from "../catalog/types";
import { formatPath } from "../channels/mapping/schema";
import { PREORDER_DATE_METAFIELDS } from "../channels/offer";
import { CHANNEL_IDS, type ChannelId } from "../channels/types";
import { normalizeDate, parseInstant } from "./time";

export const RULES_FILE_VERSION = 1;
export const CAMPAIGNS_FILE_VERSION = 1;

/** Bounds that keep a pasted file's evaluation predictable. */
export const RULES_LIMITS = { rules: 1000, campaigns: 500, holdsPerCampaign: 1000, units: 1_000_000, idLength: 80 } as const;

/**
 * Scope levels from the most specific to the least: for each setting the most specific rule that sets
 * it wins (scope.ts). Within one level, the rule written later in the file wins.
 */
export const SCOPE_LEVELS = ["variant", "product", "tag", "productType", "collection", "shop"] as const;
export type ScopeLevel = (typeof SCOPE_LEVELS)[number];

export type Scope =
  | { level: "shop" }
  | { level: "collection"; id: Gid }
  | { level: "productType"; name: string }
  | { level: "tag"; tag: string }
  | { level: "product"; id: Gid }
  | { level: "variant"; id: Gid };

/** Shopify's "Pre-order / Available for order" choice for Meta (channels.md §5). */
export const META_PREORDER_SPELLINGS = ["preorder", "available for order"] as const;
export type MetaPreorderSpelling = (typeof META_PREORDER_SPELLINGS)[number];

/** The metafield that caps a variant's pre-orders when no rule does (`number_integer`). */
export const DEFAULT_PREORDER_CAP_METAFIELDS: readonly string[] = ["shelfcast.preorder_cap"];
/** The metafield that says when a sold-out, still-selling variant is back in stock. */
export const DEFAULT_RESTOCK_DATE_METAFIELDS: readonly string[] = ["shelfcast.restock_date"];

/**
 * Tags that mark a product as promoted on channels (the demo catalog tags `social:tiktok` and
 * `social:instagram`). Case does not matter. `campaign:<id>` tags name a campaign instead.
 */
export const DEFAULT_CHANNEL_TAGS: Readonly<Record<string, readonly ChannelId[]>> = {
  "social:tiktok": ["tiktok", "tiktok-ads"],
  "social:instagram": ["meta"],
  "social:facebook": ["meta"],
  "social:meta": ["meta"],
  "social:whatsapp": ["meta"],
  "social:pinterest": ["pinterest"],
  "social:google": ["google"],
  "social:youtube": ["google"],
};
export const DEFAULT_CAMPAIGN_TAG_PREFIX = "campaign:";
/** "Only 3 left" at or below this many units, and the promotion low-stock check's threshold. */
export const DEFAULT_LOW_STOCK_AT = 5;

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

const units = z
  .number({ error: (issue) => (issue.input === undefined ? "required" : `expected a whole number of units (0 or more), got ${describe(issue.input)}`) })
  .int({ error: (issue) => `expected a whole number of units (0 or more), got ${describe(issue.input)}` })
  .min(0, { error: (issue) => `expected a whole number of units (0 or more), got ${describe(issue.input)}` })
  .max(RULES_LIMITS.units, { error: `at most ${RULES_LIMITS.units.toLocaleString("en-US")} units` });

const percent = z
  .number({ error: (issue) => (issue.input === undefined ? "required" : `expected a percentage from 0 to 100, got ${describe(issue.input)}`) })
  .min(0, { error: (issue) => `expected a percentage from 0 to 100, got ${describe(issue.input)}` })
  .max(100, { error: (issue) => `expected a percentage from 0 to 100, got ${describe(issue.input)}` });

const nonEmptyText = z.string().trim().min(1, { error: "cannot be empty" }).max(255);

const identifier = z
  .string()
  .trim()
  .min(1, { error: "cannot be empty" })
  .max(RULES_LIMITS.idLength, { error: `at most ${RULES_LIMITS.idLength} characters` });

const marketCode = z.string().regex(/^[A-Z]{2}$/, { error: (issue) => `a market is an ISO 3166-1 alpha-2 country code such as US, got ${describe(issue.input)}` });

const channelId = z.enum(CHANNEL_IDS, { error: (issue) => `unknown channel ${describe(issue.input)}; use one of ${CHANNEL_IDS.join(", ")}` });

const channelList = z
  .array(channelId)
  .min(1, { error: "name at least one channel" })
  .refine((list) => new Set(list).size === list.length, { error: "each channel may appear once" });

const metafieldKey = z.string().regex(/^[\w-]+\.[\w-]+$/, { error: (issue) => `a metafield is written namespace.key, e.g. shelfcast.preorder_cap; got ${describe(issue.input)}` });

/** A Shopify id of one type: a GID, or the bare number a merchant copies from the admin URL. */
function shopifyId(type: string) {
  const help = `a ${type} id such as 4123456789 or gid://shopify/${type}/4123456789`;
  return z.unknown().transform((value, ctx): Gid => {
    if (typeof value === "number" && Number.isInteger(value) && value > 0) return toGid(type, value);
    if (typeof value === "string") {
      const text = value.trim();
      if (/^\d+$/.test(text)) return toGid(type, text);
      if (isGid(text) && gidType(text) === type) return text;
    }
    ctx.addIssue({ code: "custom", message: value === undefined ? `required: ${help}` : `expected ${help}, got ${describe(value)}` });
    return z.NEVER;
  });
}

/** An instant with its time zone offset: campaign windows are compared as instants, never local dates. */
const instant = z.unknown().transform((value, ctx): string => {
  if (typeof value === "string" && parseInstant(value) !== null) return value.trim();
  const hint = typeof value === "string" && /^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(value.trim()) ? " (add the time zone offset: Z or +01:00)" : "";
  ctx.addIssue({
    code: "custom",
    message: value === undefined ? "required: an ISO 8601 date-time with its offset, e.g. 2026-03-01T09:00:00-05:00" : `expected an ISO 8601 date-time with its offset, e.g. 2026-03-01T09:00:00-05:00, got ${describe(value)}${hint}`,
  });
  return z.NEVER;
});

/** A release or restock day ("2027-01-12", midnight UTC) or date-time with an offset. */
const releaseDate = z.unknown().transform((value, ctx): string => {
  const normalized = typeof value === "string" ? normalizeDate(value) : null;
  if (normalized) return normalized;
  ctx.addIssue({ code: "custom", message: `expected a date such as 2027-01-12 or a date-time with its offset such as 2027-01-12T09:00:00+01:00, got ${describe(value)}` });
  return z.NEVER;
});

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return Array.isArray(value) ? "a list" : "an object";
}

// ---------------------------------------------------------------------------------------------
// Stock rules
// ---------------------------------------------------------------------------------------------

const SCOPE_KEYS = ["shop", "collection", "productType", "tag", "product", "variant"] as const;

const ScopeInputSchema = z.strictObject(
  {
    shop: z.literal(true, { error: 'write "shop": true (or "scope": "shop")' }).optional(),
    collection: shopifyId("Collection").optional(),
    productType: nonEmptyText.optional(),
    tag: nonEmptyText.optional(),
    product: shopifyId("Product").optional(),
    variant: shopifyId("ProductVariant").optional(),
  },
  { error: (issue) => (issue.code === "invalid_type" ? `write "shop", or an object naming one thing such as {"tag": "limited"}; got ${describe(issue.input)}` : undefined) },
);

/** `"shop"`, or an object with exactly one of shop, collection, productType, tag, product, variant. */
export const ScopeSchema = z
  .preprocess((value) => (value === "shop" ? { shop: true } : value), ScopeInputSchema)
  .transform((input, ctx): Scope => {
    const given = SCOPE_KEYS.filter((key) => input[key] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: "custom",
        message: given.length === 0 ? `say what the rule covers: "shop", or one of ${SCOPE_KEYS.slice(1).join(", ")}` : `a rule covers one thing; got ${given.join(" and ")} (write one rule each)`,
      });
      return z.NEVER;
    }
    if (input.collection !== undefined) return { level: "collection", id: input.collection };
    if (input.productType !== undefined) return { level: "productType", name: input.productType };
    if (input.tag !== undefined) return { level: "tag", tag: input.tag };
    if (input.product !== undefined) return { level: "product", id: input.product };
    if (input.variant !== undefined) return { level: "variant", id: input.variant };
    return { level: "shop" };
  });

export const ReserveSchema = z
  .strictObject({
    /** Units kept for the web store. */
    units: units.optional(),
    /** Share of the sellable units kept for the web store, rounded up. With `units` too, the larger wins. */
    percent: percent.optional(),
  })
  .refine((reserve) => reserve.units !== undefined || reserve.percent !== undefined, { error: 'give "units", "percent" or both' });
export type Reserve = z.infer<typeof ReserveSchema>;

export const ChannelOverrideSchema = z.strictObject({
  cap: units.optional(),
  floor: units.optional(),
  /** Share of the common pool relative to the other channels (default 1; 0 = campaign holds only). */
  weight: z.number({ error: "expected a number (0 or more)" }).min(0, { error: "expected a number (0 or more)" }).max(1000, { error: "at most 1000" }).optional(),
});
export type ChannelOverride = z.infer<typeof ChannelOverrideSchema>;

export const ContinueSellingSchema = z.strictObject({
  /**
   * Units sellable past zero when Shopify keeps selling ("Continue selling when out of stock"). Without
   * it such a variant is out of stock on channels: never an unbounded number.
   */
  cap: units,
  /** When it is back in stock, if no restock metafield says so. */
  restockDate: releaseDate.optional(),
});
export type ContinueSelling = z.infer<typeof ContinueSellingSchema>;

export const PreorderRuleSchema = z
  .strictObject({
    /** Units sellable before release, beyond stock on hand. Without a cap a pre-order is not offered. */
    cap: units.optional(),
    /** The release date when no selling plan or metafield gives one. */
    releaseDate: releaseDate.optional(),
  })
  .refine((preorder) => preorder.cap !== undefined || preorder.releaseDate !== undefined, { error: 'give "cap", "releaseDate" or both' });
export type PreorderRule = z.infer<typeof PreorderRuleSchema>;

export const StockRuleSchema = z.strictObject({
  id: identifier,
  description: z.string().max(500).optional(),
  scope: ScopeSchema,
  /** Only in these markets; every market when absent. */
  markets: z.array(marketCode).min(1, { error: "name at least one market, or leave markets out" }).optional(),
  reserve: ReserveSchema.optional(),
  /** At or below this many units in stock, channels get 0 (the rest stays for the web store). */
  floor: units.optional(),
  /** Never expose more than this many units on any one channel. */
  cap: units.optional(),
  /** Per-channel cap, floor and weight; they beat this rule's own cap and floor for that channel. */
  channels: z.partialRecord(channelId, ChannelOverrideSchema).optional(),
  continueSelling: ContinueSellingSchema.optional(),
  preorder: PreorderRuleSchema.optional(),
});
export type StockRule = z.infer<typeof StockRuleSchema>;

export const RulesSchema = z
  .strictObject({
    version: z.literal(RULES_FILE_VERSION, { error: `version must be ${RULES_FILE_VERSION}: start the file with "version": ${RULES_FILE_VERSION}` }),
    /**
     * The channels that share the stock. Every channel in play takes part in the split, so list only
     * those the shop sells on; all channels when absent.
     */
    channels: channelList.optional(),
    lowStockAt: units.default(DEFAULT_LOW_STOCK_AT),
    /** Locations that stock each market; every location when a market is not listed. */
    markets: z.record(marketCode, z.strictObject({ locations: z.array(shopifyId("Location")).min(1, { error: "name at least one location" }) })).optional(),
    preorder: z
      .strictObject({
        releaseDateMetafields: z.array(metafieldKey).default([...PREORDER_DATE_METAFIELDS]),
        capMetafields: z.array(metafieldKey).default([...DEFAULT_PREORDER_CAP_METAFIELDS]),
        /** How Meta shows a pre-order: "preorder", or "available for order". */
        meta: z.enum(META_PREORDER_SPELLINGS, { error: `use "preorder" or "available for order"` }).default("preorder"),
      })
      .prefault({}),
    continueSelling: z.strictObject({ restockDateMetafields: z.array(metafieldKey).default([...DEFAULT_RESTOCK_DATE_METAFIELDS]) }).prefault({}),
    promotion: z
      .strictObject({
        /** Tag → channels it promotes the product on. Replaces the defaults when given. */
        channelTags: z.record(nonEmptyText, channelList).default({ ...DEFAULT_CHANNEL_TAGS } as Record<string, ChannelId[]>),
        /** `campaign:<id>` promotes the product on that campaign's channels. */
        campaignTagPrefix: nonEmptyText.default(DEFAULT_CAMPAIGN_TAG_PREFIX),
      })
      .prefault({}),
    rules: z.array(StockRuleSchema).max(RULES_LIMITS.rules, { error: `at most ${RULES_LIMITS.rules} rules` }).default([]),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.rules.forEach((rule, index) => {
      const first = seen.get(rule.id);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["rules", index, "id"], message: `"${rule.id}" is already the id of rules[${first}]; ids must be unique` });
      else seen.set(rule.id, index);
    });
  });
export type Rules = z.infer<typeof RulesSchema>;
/** What a merchant writes (defaults not yet filled in). */
export type RulesInput = z.input<typeof RulesSchema>;

// ---------------------------------------------------------------------------------------------
// Campaign reservations
// ---------------------------------------------------------------------------------------------

export type HoldTarget = { kind: "variant"; id: Gid } | { kind: "product"; id: Gid } | { kind: "tag"; tag: string };

const HoldInputSchema = z.strictObject({
  variant: shopifyId("ProductVariant").optional(),
  product: shopifyId("Product").optional(),
  tag: nonEmptyText.optional(),
  /** Units held for each variant the target covers. */
  units,
});

/** One line of a campaign: `{"variant": …, "units": 10}`, `{"product": …}` or `{"tag": "campaign:spring-drop"}`. */
export const HoldSchema = HoldInputSchema.transform((input, ctx): { target: HoldTarget; units: number } => {
  const given = (["variant", "product", "tag"] as const).filter((key) => input[key] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({ code: "custom", message: given.length === 0 ? 'say what is held: "variant", "product" or "tag"' : `a hold covers one thing; got ${given.join(" and ")}` });
    return z.NEVER;
  }
  if (input.variant !== undefined) return { target: { kind: "variant", id: input.variant }, units: input.units };
  if (input.product !== undefined) return { target: { kind: "product", id: input.product }, units: input.units };
  return { target: { kind: "tag", tag: input.tag as string }, units: input.units };
});
export type Hold = z.output<typeof HoldSchema>;

export const CampaignSchema = z
  .strictObject({
    id: identifier,
    name: nonEmptyText,
    /** The channels the held units are for. */
    channels: channelList,
    /** Only in these markets; every market when absent. */
    markets: z.array(marketCode).min(1, { error: "name at least one market, or leave markets out" }).optional(),
    /** The window, start included and end excluded, as instants with offsets. */
    startsAt: instant,
    endsAt: instant,
    holds: z.array(HoldSchema).max(RULES_LIMITS.holdsPerCampaign, { error: `at most ${RULES_LIMITS.holdsPerCampaign} holds` }),
  })
  .transform((campaign, ctx) => {
    const start = parseInstant(campaign.startsAt) as number;
    const end = parseInstant(campaign.endsAt) as number;
    if (end <= start) {
      ctx.addIssue({ code: "custom", path: ["endsAt"], message: `must be after startsAt (${campaign.startsAt})` });
      return z.NEVER;
    }
    return { ...campaign, window: { start, end } };
  });
export type Campaign = z.output<typeof CampaignSchema>;

export const CampaignsSchema = z
  .strictObject({
    version: z.literal(CAMPAIGNS_FILE_VERSION, { error: `version must be ${CAMPAIGNS_FILE_VERSION}: start the file with "version": ${CAMPAIGNS_FILE_VERSION}` }),
    campaigns: z.array(CampaignSchema).max(RULES_LIMITS.campaigns, { error: `at most ${RULES_LIMITS.campaigns} campaigns` }),
  })
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.campaigns.forEach((campaign, index) => {
      const first = seen.get(campaign.id);
      if (first !== undefined) ctx.addIssue({ code: "custom", path: ["campaigns", index, "id"], message: `"${campaign.id}" is already the id of campaigns[${first}]; ids must be unique` });
      else seen.set(campaign.id, index);
    });
  });
export type Campaigns = z.output<typeof CampaignsSchema>;
export type CampaignsInput = z.input<typeof CampaignsSchema>;

// ---------------------------------------------------------------------------------------------
// Parsing with messages that name the rule and the field
// ---------------------------------------------------------------------------------------------

export interface RulesFileError {
  /** The id of the rule or campaign the problem is in, when it has one. */
  entryId: string | null;
  /** Path of the bad field from the root of the file: "rules[2].cap", "(root)". */
  path: string;
  message: string;
  /** One line for people: `rules[2] ("limited-edition").cap: expected …`. */
  text: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: RulesFileError[] };

const MAX_REPORTED_ERRORS = 50;

/** Reads a rules file (already JSON-parsed). */
export function parseRules(json: unknown): ParseResult<Rules> {
  return parseWith(RulesSchema, json, "rules");
}

/** Reads a campaigns file (already JSON-parsed). */
export function parseCampaigns(json: unknown): ParseResult<Campaigns> {
  return parseWith(CampaignsSchema, json, "campaigns");
}

function parseWith<T>(schema: z.ZodType<T>, json: unknown, listKey: "rules" | "campaigns"): ParseResult<T> {
  const parsed = schema.safeParse(json, { error: friendlyMessage });
  if (parsed.success) return { ok: true, value: parsed.data };
  const entries = typeof json === "object" && json !== null ? (json as Record<string, unknown>)[listKey] : undefined;
  const errors = parsed.error.issues.slice(0, MAX_REPORTED_ERRORS).map((issue) => describeIssue(issue.path, issue.message, listKey, entries));
  const hidden = parsed.error.issues.length - errors.length;
  if (hidden > 0) errors.push({ entryId: null, path: "(root)", message: `${hidden} more problems not shown; fix the ones above first`, text: `${hidden} more problems not shown; fix the ones above first` });
  return { ok: false, errors };
}

function describeIssue(path: readonly PropertyKey[], message: string, listKey: string, entries: unknown): RulesFileError {
  const [first, index, ...rest] = path;
  if (first === listKey && typeof index === "number") {
    const entry = Array.isArray(entries) ? (entries[index] as unknown) : undefined;
    const rawId = typeof entry === "object" && entry !== null ? (entry as { id?: unknown }).id : undefined;
    const entryId = typeof rawId === "string" && rawId.trim() !== "" ? rawId.trim() : null;
    const field = rest.length > 0 ? formatPath(rest) : "";
    const head = `${listKey}[${index}]${entryId ? ` (${JSON.stringify(entryId)})` : ""}`;
    const fieldText = field === "" ? "" : field.startsWith("[") ? field : `.${field}`;
    return { entryId, path: formatPath(path), message, text: `${head}${fieldText}: ${message}` };
  }
  const where = formatPath(path);
  return { entryId: null, path: where, message, text: `${where}: ${message}` };
}

/** zod's generic wording → what to write instead. Messages set on the schema above win. */
const friendlyMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "required";
      return `expected ${TYPE_WORDS[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    case "unrecognized_keys": {
      // The only keyed records here are per-channel settings; an object schema knows its own keys.
      const known = knownKeys(issue.inst);
      const allowed = known.length > 0 ? `; allowed keys are ${known.join(", ")}` : `; channels are ${CHANNEL_IDS.join(", ")}`;
      return `${issue.keys.map((key) => `unknown key "${key}"`).join("; ")}${allowed}`;
    }
    case "too_big":
      return issue.origin === "string" ? `too long: at most ${String(issue.maximum)} characters` : undefined;
    default:
      return undefined;
  }
};

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object ({...})",
  array: "a list ([...])",
  record: "an object ({...})",
};

function knownKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}
