/**
 * A campaign as the Campaigns page (or anyone else) submits it, validated into the stock rules'
 * Campaign (ADR 0014) with messages that name the field: `holds[2].units: expected a whole number
 * of units (0 or more), got -1`. Window ends may be written as wall-clock times ("2026-03-01T09:00"),
 * read in the shop's time zone, or as instants with an offset.
 */
import type { ChannelId } from "../channels/types";
import { parseCampaigns, RULES_LIMITS, type Campaign, type Hold } from "../rules/schema";
import { wallTimeToInstant } from "./zoned-time";

export const CAMPAIGN_KINDS = ["post", "campaign"] as const;
export type CampaignKind = (typeof CAMPAIGN_KINDS)[number];

export interface CampaignDraft {
  /** Absent for a new campaign: a slug of the name is chosen. */
  id?: unknown;
  kind: unknown;
  name: unknown;
  channels: unknown;
  /** Absent or empty: every market. */
  markets?: unknown;
  startsAt: unknown;
  endsAt: unknown;
  /** CampaignSchema's lines: `{"product": gid, "units": 0}`, `{"variant": …}`, `{"tag": …}`. */
  holds: unknown;
}

/** A hold line as stored: the target's GID (or tag) and the units. */
export type HoldLine = { product: string; units: number } | { variant: string; units: number } | { tag: string; units: number };

/** What is stored for a valid draft. */
export interface CampaignRecordInput {
  id: string;
  kind: CampaignKind;
  name: string;
  channels: ChannelId[];
  markets: string[];
  startsAt: Date;
  endsAt: Date;
  holds: HoldLine[];
}

export interface FieldError {
  /** "name", "endsAt", "holds[2].units", "(form)". */
  field: string;
  message: string;
}

export type DraftResult = { ok: true; record: CampaignRecordInput; campaign: Campaign } | { ok: false; errors: FieldError[] };

/** "Spring Drop — TikTok!" → "spring-drop-tiktok". */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/g, "");
  return slug === "" ? "campaign" : slug;
}

/** `base`, else `base-2`, `base-3`…: the first id not taken. */
export function uniqueId(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

/** Ids the Campaigns pages' own URLs use (/app/campaigns/new, /app/campaigns/products): never a campaign's. */
export const RESERVED_CAMPAIGN_IDS: readonly string[] = ["new", "products"];

function toInstant(value: unknown, timeZone: string): unknown {
  if (typeof value !== "string") return value;
  // A wall-clock time without an offset is the shop's local time; anything else is left to the schema.
  return wallTimeToInstant(value, timeZone) ?? value;
}

export function holdLineOf(hold: Hold): HoldLine {
  switch (hold.target.kind) {
    case "product":
      return { product: hold.target.id, units: hold.units };
    case "variant":
      return { variant: hold.target.id, units: hold.units };
    case "tag":
      return { tag: hold.target.tag, units: hold.units };
  }
}

function targetKey(line: HoldLine): string {
  return "product" in line ? `product:${line.product}` : "variant" in line ? `variant:${line.variant}` : `tag:${line.tag.toLowerCase()}`;
}

/** Validates a draft; `id` is the id to store it under (the caller picks a free slug for a new one). */
export function validateCampaignDraft(draft: CampaignDraft, options: { id: string; timeZone: string }): DraftResult {
  const errors: FieldError[] = [];
  if (RESERVED_CAMPAIGN_IDS.includes(options.id)) errors.push({ field: "id", message: `"${options.id}" is reserved; choose another name` });
  else if (!ID_PATTERN.test(options.id) || options.id.length > RULES_LIMITS.idLength) {
    errors.push({ field: "id", message: `an id is lowercase letters, digits and dashes (at most ${RULES_LIMITS.idLength}), got ${JSON.stringify(options.id)}` });
  }
  const kind = typeof draft.kind === "string" && (CAMPAIGN_KINDS as readonly string[]).includes(draft.kind) ? (draft.kind as CampaignKind) : null;
  if (!kind) errors.push({ field: "kind", message: `choose "post" or "campaign", got ${JSON.stringify(draft.kind ?? null)}` });
  const markets = Array.isArray(draft.markets) && draft.markets.length === 0 ? undefined : draft.markets;
  const parsed = parseCampaigns({
    version: 1,
    campaigns: [
      {
        id: options.id,
        name: draft.name,
        channels: draft.channels,
        ...(markets === undefined ? {} : { markets }),
        startsAt: toInstant(draft.startsAt, options.timeZone),
        endsAt: toInstant(draft.endsAt, options.timeZone),
        holds: draft.holds,
      },
    ],
  });
  if (!parsed.ok) {
    for (const error of parsed.errors) {
      const field = error.path.replace(/^campaigns\[0\]\.?/, "") || "(form)";
      if (field === "id") continue; // reported above in the page's own words
      errors.push({ field, message: error.message });
    }
    return { ok: false, errors };
  }
  const campaign = parsed.value.campaigns[0] as Campaign;
  const holds = campaign.holds.map(holdLineOf);
  const seen = new Map<string, number>();
  holds.forEach((line, index) => {
    const key = targetKey(line);
    const first = seen.get(key);
    if (first !== undefined) errors.push({ field: `holds[${index}]`, message: `holds the same ${key.split(":")[0]} as holds[${first}]; change the units there instead` });
    else seen.set(key, index);
  });
  if (errors.length > 0 || !kind) return { ok: false, errors };
  return {
    ok: true,
    campaign,
    record: {
      id: campaign.id,
      kind,
      name: campaign.name,
      channels: [...campaign.channels],
      markets: campaign.markets ? [...campaign.markets] : [],
      startsAt: new Date(campaign.window.start),
      endsAt: new Date(campaign.window.end),
      holds,
    },
  };
}
