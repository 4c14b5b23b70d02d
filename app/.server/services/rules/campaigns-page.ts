import { calendarMonth, monthOf, type CalendarMonth } from "~/domain/campaigns/calendar";
import type { HoldLine } from "~/domain/campaigns/campaign-draft";
import { formatInZone, instantToWallTime } from "~/domain/campaigns/zoned-time";
import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { CHANNEL_IDS, isChannelId } from "~/domain/channels/types";
import type { OverReservation } from "~/domain/rules";
import { pickableProducts } from "../../repositories/catalog";
import { getSnapshotProducts, productIdsWithTag, productLabels, variantLabels } from "../../repositories/campaigns";
import type { Runtime } from "../../runtime";
import { loadChannelSetup } from "../channel-feeds/channel-setup";
import { listStoredCampaigns, getStoredCampaign, shopTimeZone, type StoredCampaign } from "./campaigns-store";
import { loadLowStockAlerts, type LowStockAlerts } from "./low-stock-alerts";
import { loadOfferSetup } from "./offer-setup";
import { collectOverReservations, loadReadinessBoard, MAX_TAGGED_PRODUCTS, type ReadinessBoard } from "./readiness-board";

/**
 * What the Campaigns pages show: the list and a month calendar of windows in the shop's time zone,
 * the over-reservations of every campaign, the low-stock alerts, and for one campaign its editor and
 * readiness board. Plain data for the browser.
 */

export type CampaignStatus = "upcoming" | "running" | "ended";

export interface CampaignListItem {
  id: string;
  kind: "post" | "campaign";
  name: string;
  channels: { channel: string; label: string }[];
  markets: string[];
  /** "1 Mar 2026, 09:00 – 15 Mar 2026, 23:59" in the shop's time zone. */
  window: string;
  status: CampaignStatus;
  /** Hold lines, and the units they hold in total (per covered variant). */
  lines: number;
  unitsHeld: number;
  problem: string | null;
}

export interface CampaignsPageView {
  timeZone: string;
  campaigns: CampaignListItem[];
  calendar: CalendarMonth;
  overReservations: OverReservation[];
  lowStock: LowStockAlerts;
  problems: string[];
}

function statusOf(campaign: StoredCampaign, now: Date): CampaignStatus {
  const start = Date.parse(campaign.startsAt);
  const end = Date.parse(campaign.endsAt);
  return end <= now.getTime() ? "ended" : start > now.getTime() ? "upcoming" : "running";
}

function channelLabel(channel: string): string {
  return isChannelId(channel) ? CHANNEL_ADAPTERS[channel].label : channel;
}

function listItem(campaign: StoredCampaign, timeZone: string, now: Date): CampaignListItem {
  return {
    id: campaign.id,
    kind: campaign.kind,
    name: campaign.name,
    channels: campaign.channels.map((channel) => ({ channel, label: channelLabel(channel) })),
    markets: campaign.markets,
    window: `${formatInZone(Date.parse(campaign.startsAt), timeZone)} – ${formatInZone(Date.parse(campaign.endsAt), timeZone)}`,
    status: statusOf(campaign, now),
    lines: campaign.holds.length,
    unitsHeld: campaign.holds.reduce((sum, line) => sum + line.units, 0),
    problem: campaign.problem,
  };
}

export async function loadCampaignsPage(runtime: Runtime, shop: string, options: { now: Date; month: string | null }): Promise<CampaignsPageView> {
  const { now } = options;
  const [timeZone, stored] = await Promise.all([shopTimeZone(runtime, shop), listStoredCampaigns(runtime, shop)]);
  const month = options.month ?? monthOf(now.getTime(), timeZone);
  const [overReservations, lowStock] = await Promise.all([loadOverReservations(runtime, shop, stored, now), loadLowStockAlerts(runtime, shop)]);
  const order = { running: 0, upcoming: 1, ended: 2 } as const;
  const campaigns = stored
    .map((campaign) => listItem(campaign, timeZone, now))
    .sort((a, b) => order[a.status] - order[b.status] || (a.status === "ended" ? b.window.localeCompare(a.window) : 0));
  return {
    timeZone,
    campaigns,
    calendar: calendarMonth(
      month,
      timeZone,
      stored.map((campaign) => ({ id: campaign.id, name: campaign.name, kind: campaign.kind, start: Date.parse(campaign.startsAt), end: Date.parse(campaign.endsAt) })),
    ),
    overReservations,
    lowStock,
    problems: stored.flatMap((campaign) => (campaign.problem ? [campaign.problem] : [])),
  };
}

/**
 * Over-reservations from now on among every campaign that holds units: each variant that a product
 * or variant line (or, up to a limit, a tag line) holds units for, in each of the shop's markets.
 */
export async function loadOverReservations(runtime: Runtime, shop: string, stored: readonly StoredCampaign[], now: Date): Promise<OverReservation[]> {
  const holding = stored.filter((campaign) => campaign.campaign && Date.parse(campaign.endsAt) > now.getTime() && campaign.holds.some((line) => line.units > 0));
  if (holding.length === 0) return [];
  const productIds = new Set<string>();
  const variantIds: string[] = [];
  for (const campaign of holding) {
    for (const line of campaign.holds) {
      if (line.units === 0) continue;
      if ("product" in line) productIds.add(line.product);
      else if ("variant" in line) variantIds.push(line.variant);
      else for (const id of await productIdsWithTag(runtime.db.sql, shop, line.tag, MAX_TAGGED_PRODUCTS)) productIds.add(id);
    }
  }
  for (const label of (await variantLabels(runtime.db.sql, shop, variantIds)).values()) productIds.add(label.productId);
  const [setup, offers, products] = await Promise.all([loadChannelSetup(runtime, shop), loadOfferSetup(runtime, shop, now), getSnapshotProducts(runtime.db.sql, shop, [...productIds])]);
  const found = setup.markets.flatMap((market) =>
    collectOverReservations(
      offers.rules,
      offers.campaigns,
      products.map((entry) => entry.product),
      market.code,
      now,
    ),
  );
  const seen = new Set<string>();
  return found.filter((item) => {
    const key = `${item.variantId}|${item.market}|${item.from}|${item.to}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A hold line as the editor shows it: what it targets, in words, and the choices it offers. */
export interface HoldLineView {
  kind: "product" | "variant" | "tag";
  /** The product GID (for product lines and variant lines), else null. */
  productId: string | null;
  /** The variant GID for a variant line. */
  variantId: string | null;
  tag: string | null;
  label: string;
  handle: string | null;
  units: number;
  /** The product's variants, so a product line can be narrowed to one. */
  variants: { id: string; title: string }[];
  /** The product is not (or no longer) in the catalog. */
  missing: boolean;
}

export interface CampaignEditorView {
  timeZone: string;
  /** Null for a new campaign. */
  campaign: null | {
    id: string;
    kind: "post" | "campaign";
    name: string;
    channels: string[];
    markets: string[];
    /** datetime-local values in the shop's time zone. */
    startsAt: string;
    endsAt: string;
    window: string;
    status: CampaignStatus;
    updatedAt: string;
    problem: string | null;
  };
  holds: HoldLineView[];
  channelChoices: { value: string; label: string }[];
  marketChoices: string[];
  /** Products matching the picker's search (the demo's picker; App Bridge's picker searches Shopify). */
  pickable: { id: string; title: string; variantCount: number }[];
  board: ReadinessBoard | null;
  overReservations: OverReservation[];
  lowStock: LowStockAlerts;
}

/** Hold lines with the names of what they hold. */
export async function describeHoldLines(runtime: Runtime, shop: string, holds: readonly HoldLine[]): Promise<HoldLineView[]> {
  const variantIds = holds.flatMap((line) => ("variant" in line ? [line.variant] : []));
  const variants = await variantLabels(runtime.db.sql, shop, variantIds);
  const productIds = [...new Set([...holds.flatMap((line) => ("product" in line ? [line.product] : [])), ...[...variants.values()].map((label) => label.productId)])];
  const [labels, snapshots] = await Promise.all([productLabels(runtime.db.sql, shop, productIds), getSnapshotProducts(runtime.db.sql, shop, productIds)]);
  const variantChoices = new Map(snapshots.map((entry) => [entry.product.id, entry.product.variants.map((variant) => ({ id: variant.id, title: variant.title }))]));
  return holds.map((line): HoldLineView => {
    if ("tag" in line) return { kind: "tag", productId: null, variantId: null, tag: line.tag, label: `Products tagged “${line.tag}”`, handle: null, units: line.units, variants: [], missing: false };
    if ("product" in line) {
      const label = labels.get(line.product);
      return {
        kind: "product",
        productId: line.product,
        variantId: null,
        tag: null,
        label: label?.title ?? line.product,
        handle: label?.handle ?? null,
        units: line.units,
        variants: variantChoices.get(line.product) ?? [],
        missing: !label,
      };
    }
    const variant = variants.get(line.variant);
    const product = variant ? labels.get(variant.productId) : undefined;
    return {
      kind: "variant",
      productId: variant?.productId ?? null,
      variantId: line.variant,
      tag: null,
      label: variant ? `${variant.productTitle} — ${variant.title}` : line.variant,
      handle: product?.handle ?? null,
      units: line.units,
      variants: variant ? (variantChoices.get(variant.productId) ?? []) : [],
      missing: !variant,
    };
  });
}

export async function loadCampaignEditor(runtime: Runtime, shop: string, id: string | null, options: { now: Date; search: string }): Promise<CampaignEditorView | null> {
  const { now } = options;
  const [timeZone, setup, pickable, lowStock] = await Promise.all([
    shopTimeZone(runtime, shop),
    loadChannelSetup(runtime, shop),
    pickableProducts(runtime.db.sql, shop, options.search, 20),
    loadLowStockAlerts(runtime, shop),
  ]);
  const base = {
    timeZone,
    channelChoices: CHANNEL_IDS.map((channel) => ({ value: channel, label: CHANNEL_ADAPTERS[channel].label })),
    marketChoices: setup.markets.map((market) => market.code),
    pickable,
    lowStock,
  };
  if (id === null) return { ...base, campaign: null, holds: [], board: null, overReservations: [] };
  const stored = await getStoredCampaign(runtime, shop, id);
  if (!stored) return null;
  const [holds, board, everyCampaign] = await Promise.all([
    describeHoldLines(runtime, shop, stored.holds),
    loadReadinessBoard(runtime, shop, id, now),
    listStoredCampaigns(runtime, shop),
  ]);
  const overReservations = (await loadOverReservations(runtime, shop, everyCampaign, now)).filter((found) => found.campaigns.some((held) => held.id === id));
  return {
    ...base,
    campaign: {
      id: stored.id,
      kind: stored.kind,
      name: stored.name,
      channels: stored.channels,
      markets: stored.markets,
      startsAt: instantToWallTime(Date.parse(stored.startsAt), timeZone),
      endsAt: instantToWallTime(Date.parse(stored.endsAt), timeZone),
      window: `${formatInZone(Date.parse(stored.startsAt), timeZone)} – ${formatInZone(Date.parse(stored.endsAt), timeZone)}`,
      status: statusOf(stored, now),
      updatedAt: stored.updatedAt,
      problem: stored.problem,
    },
    holds,
    board,
    overReservations,
  };
}

/** Products for the demo's tagging picker (App Bridge's resource picker searches Shopify itself). */
export async function searchPickableProducts(runtime: Runtime, shop: string, search: string): Promise<{ id: string; title: string; variantCount: number }[]> {
  return pickableProducts(runtime.db.sql, shop, search.trim().slice(0, 200), 20);
}
