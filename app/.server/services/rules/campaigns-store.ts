import { z } from "zod";
import { validateCampaignDraft, slugify, uniqueId, holdLineOf, CAMPAIGN_KINDS, RESERVED_CAMPAIGN_IDS, type CampaignDraft, type CampaignKind, type FieldError, type HoldLine } from "~/domain/campaigns/campaign-draft";
import { isTimeZone } from "~/domain/campaigns/zoned-time";
import { gidType } from "~/domain/catalog/gid";
import { parseCampaigns, type Campaign } from "~/domain/rules";
import { deleteCampaignRow, getCampaignRow, insertCampaign, listCampaignIds, listCampaignRows, updateCampaign, type CampaignRow } from "../../repositories/campaigns";
import { getShop } from "../../repositories/shops";
import type { Runtime } from "../../runtime";
import { requestFeedBuild } from "../channel-feeds/request-feed-build";

/**
 * The shop's campaigns and posts (migration 0008): what the stock rules hold units for (ADR 0014)
 * and what the Campaigns page lists. Every write is validated with the rules' CampaignSchema, with
 * messages naming the field, and asks for the feeds to be rebuilt: holds change what every channel
 * is offered, and a post's products become promoted (so protected, or blocked) on its channels.
 */

export interface StoredCampaign {
  id: string;
  kind: CampaignKind;
  name: string;
  channels: string[];
  /** Empty: every market. */
  markets: string[];
  /** ISO instants (UTC). */
  startsAt: string;
  endsAt: string;
  holds: HoldLine[];
  createdAt: string;
  /** The version an editor saves against. */
  updatedAt: string;
  /** The campaign as the stock rules read it; null when the stored row no longer validates. */
  campaign: Campaign | null;
  /** Why the stored row is ignored by the stock rules, when it is. */
  problem: string | null;
}

function kindOf(value: string): CampaignKind {
  return (CAMPAIGN_KINDS as readonly string[]).includes(value) ? (value as CampaignKind) : "campaign";
}

/** A stored row as the rules read it, or the reason it is left out. */
function parseRow(row: CampaignRow): { campaign: Campaign; problem: null } | { campaign: null; problem: string } {
  const parsed = parseCampaigns({
    version: 1,
    campaigns: [
      {
        id: row.id,
        name: row.name,
        channels: row.channels,
        ...(row.markets.length > 0 ? { markets: row.markets } : {}),
        startsAt: row.startsAt.toISOString(),
        endsAt: row.endsAt.toISOString(),
        holds: row.holds,
      },
    ],
  });
  if (parsed.ok) return { campaign: parsed.value.campaigns[0] as Campaign, problem: null };
  const details = parsed.errors.map((error) => `${error.path.replace(/^campaigns\[0\]\.?/, "") || "(campaign)"}: ${error.message}`).join("; ");
  return { campaign: null, problem: `campaign "${row.id}" (${row.name}) is ignored: ${details}` };
}

function storedOf(row: CampaignRow): StoredCampaign {
  const parsed = parseRow(row);
  const holds = parsed.campaign ? parsed.campaign.holds.map(holdLineOf) : Array.isArray(row.holds) ? (row.holds as HoldLine[]) : [];
  return {
    id: row.id,
    kind: kindOf(row.kind),
    name: row.name,
    channels: row.channels,
    markets: row.markets,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    holds,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    campaign: parsed.campaign,
    problem: parsed.problem,
  };
}

/**
 * The shop's campaigns, parsed for the stock rules' evaluation (offer-setup.ts). Campaigns that fail
 * validation are left out and named in `problems`.
 */
export async function loadCampaigns(runtime: Runtime, shop: string): Promise<{ campaigns: Campaign[]; problems: string[] }> {
  const rows = await listCampaignRows(runtime.db.sql, shop);
  const campaigns: Campaign[] = [];
  const problems: string[] = [];
  for (const row of rows) {
    const parsed = parseRow(row);
    if (parsed.campaign) campaigns.push(parsed.campaign);
    else problems.push(parsed.problem);
  }
  return { campaigns, problems };
}

/** Every campaign and post of the shop, in start order, as the Campaigns page shows them. */
export async function listStoredCampaigns(runtime: Runtime, shop: string): Promise<StoredCampaign[]> {
  return (await listCampaignRows(runtime.db.sql, shop)).map(storedOf);
}

export async function getStoredCampaign(runtime: Runtime, shop: string, id: string): Promise<StoredCampaign | null> {
  const row = await getCampaignRow(runtime.db.sql, shop, id);
  return row ? storedOf(row) : null;
}

/** The shop's time zone, in which wall-clock window ends are read; UTC when unknown. */
export async function shopTimeZone(runtime: Runtime, shop: string): Promise<string> {
  const row = await getShop(runtime.db.prisma, shop);
  const zone = row?.ianaTimezone ?? "UTC";
  return isTimeZone(zone) ? zone : "UTC";
}

export type SaveCampaignResult = { ok: true; id: string; message: string } | { ok: false; message: string; errors: FieldError[] };

export interface SaveCampaignOptions {
  /** Editing: the campaign's id and the version the editor was opened on. Absent: a new campaign. */
  existing?: { id: string; updatedAt: string };
  now?: Date;
}

const CHANGED_MEANWHILE = "This campaign changed since you opened it: reload to see the saved version, then make your change again.";

/**
 * Creates or replaces a campaign. Nothing is stored unless the whole draft is valid; a second
 * editor saving over a newer version is refused rather than overwriting it.
 */
export async function saveCampaign(runtime: Runtime, shop: string, draft: CampaignDraft, options: SaveCampaignOptions = {}): Promise<SaveCampaignResult> {
  const now = options.now ?? new Date();
  const timeZone = await shopTimeZone(runtime, shop);
  const existing = options.existing;
  let id: string;
  if (existing) id = existing.id;
  else {
    const taken = new Set([...(await listCampaignIds(runtime.db.sql, shop)), ...RESERVED_CAMPAIGN_IDS]);
    id = uniqueId(slugify(typeof draft.name === "string" ? draft.name : ""), taken);
  }
  const validated = validateCampaignDraft(draft, { id, timeZone });
  if (!validated.ok) return { ok: false, message: "Nothing was saved: fix the fields marked below.", errors: validated.errors };
  const { record } = validated;

  if (existing) {
    const expected = new Date(existing.updatedAt);
    if (Number.isNaN(expected.getTime())) return { ok: false, message: CHANGED_MEANWHILE, errors: [] };
    const saved = await updateCampaign(runtime.db.sql, shop, record, expected, now);
    if (!saved) {
      const still = await getCampaignRow(runtime.db.sql, shop, id);
      return { ok: false, message: still ? CHANGED_MEANWHILE : "This campaign was deleted meanwhile; nothing was saved.", errors: [] };
    }
  } else if (!(await insertCampaign(runtime.db.sql, shop, record, now))) {
    return { ok: false, message: "Another campaign was just created with the same name; save again.", errors: [] };
  }
  await requestFeedBuild(runtime, shop, `campaign ${id} ${existing ? "changed" : "created"}`);
  const noun = record.kind === "post" ? "Post" : "Campaign";
  return { ok: true, id, message: `${noun} “${record.name}” saved` };
}

export async function deleteCampaign(runtime: Runtime, shop: string, id: string): Promise<boolean> {
  const deleted = await deleteCampaignRow(runtime.db.sql, shop, id);
  if (deleted) await requestFeedBuild(runtime, shop, `campaign ${id} deleted`);
  return deleted;
}

const GID = z.string().trim().max(200);
/** What the page (or App Bridge's resource picker) tags: a whole product, or some of its variants. */
export const TagTargetSchema = z.union([
  z.object({ product: GID.refine((id) => gidType(id) === "Product", "expected a product id such as gid://shopify/Product/1"), units: z.number().int().min(0).default(0) }),
  z.object({ variant: GID.refine((id) => gidType(id) === "ProductVariant", "expected a variant id such as gid://shopify/ProductVariant/1"), units: z.number().int().min(0).default(0) }),
]);
export type TagTarget = z.infer<typeof TagTargetSchema>;

function sameTarget(line: HoldLine, target: TagTarget): boolean {
  return "product" in target ? "product" in line && line.product === target.product : "variant" in line && line.variant === target.variant;
}

/**
 * Tags products or variants for a campaign (a hold line each; a target already there keeps its
 * units unless new ones are given), or untags them. Saved like any edit: validated, against the
 * version the page shows, then the feeds are rebuilt.
 */
export async function tagCampaignTargets(
  runtime: Runtime,
  shop: string,
  input: { id: string; updatedAt: string; add?: TagTarget[]; remove?: TagTarget[] },
  now: Date = new Date(),
): Promise<SaveCampaignResult> {
  const stored = await getStoredCampaign(runtime, shop, input.id);
  if (!stored) return { ok: false, message: "This campaign no longer exists.", errors: [] };
  let holds = stored.holds.filter((line) => !(input.remove ?? []).some((target) => sameTarget(line, target)));
  for (const target of input.add ?? []) {
    const index = holds.findIndex((line) => sameTarget(line, target));
    const line: HoldLine = "product" in target ? { product: target.product, units: target.units } : { variant: target.variant, units: target.units };
    if (index >= 0) holds = holds.map((existing, at) => (at === index ? { ...existing, units: target.units } : existing));
    else holds = [...holds, line];
  }
  return saveCampaign(
    runtime,
    shop,
    { kind: stored.kind, name: stored.name, channels: stored.channels, markets: stored.markets, startsAt: stored.startsAt, endsAt: stored.endsAt, holds },
    { existing: { id: stored.id, updatedAt: input.updatedAt }, now },
  );
}
