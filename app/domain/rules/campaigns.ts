/**
 * Campaign reservations: units held for a social post or campaign on its channels during its
 * window, released after. Windows are instants, start included and end excluded, so a campaign
 * ending at 18:00Z and one starting at 18:00Z never overlap, whatever offsets they were written in.
 *
 * A campaign holds units for a variant through its most specific line: a `variant` line beats a
 * `product` line, which beats a `tag` line. Holds are granted in start order (then campaign id): when
 * campaigns together hold more than there is, the later ones get what is left, and the overlap is
 * reported by findOverReservations before it happens.
 */
import type { Gid, Product, Variant } from "../catalog/types";
import type { ChannelId } from "../channels/types";
import type { Campaign, HoldTarget } from "./schema";
import { hasTag } from "./scope";

export interface CampaignHold {
  campaign: Campaign;
  /** Units the campaign asks to hold for this variant. */
  units: number;
  target: HoldTarget;
}

const TARGET_RANK: Record<HoldTarget["kind"], number> = { variant: 0, product: 1, tag: 2 };

function targets(target: HoldTarget, product: Product, variant: Variant): boolean {
  switch (target.kind) {
    case "variant":
      return target.id === variant.id;
    case "product":
      return target.id === product.id;
    case "tag":
      return hasTag(product, target.tag);
  }
}

/** The campaign's hold on the variant (its most specific line), or null when it does not cover it. */
export function campaignHoldOn(campaign: Campaign, product: Product, variant: Variant, market: string): CampaignHold | null {
  if (campaign.markets && !campaign.markets.includes(market)) return null;
  let best: CampaignHold | null = null;
  for (const hold of campaign.holds) {
    if (!targets(hold.target, product, variant)) continue;
    if (!best || TARGET_RANK[hold.target.kind] < TARGET_RANK[best.target.kind]) best = { campaign, units: hold.units, target: hold.target };
  }
  return best;
}

export function isActiveAt(campaign: Campaign, now: Date): boolean {
  const at = now.getTime();
  return campaign.window.start <= at && at < campaign.window.end;
}

function byStart(a: CampaignHold, b: CampaignHold): number {
  return a.campaign.window.start - b.campaign.window.start || (a.campaign.id < b.campaign.id ? -1 : a.campaign.id > b.campaign.id ? 1 : 0);
}

/** Every campaign's hold on the variant in the market, in grant order (start, then id). */
export function holdsOn(campaigns: readonly Campaign[], product: Product, variant: Variant, market: string): CampaignHold[] {
  const holds: CampaignHold[] = [];
  for (const campaign of campaigns) {
    const hold = campaignHoldOn(campaign, product, variant, market);
    if (hold) holds.push(hold);
  }
  return holds.sort(byStart);
}

/** The holds in force at `now`, in grant order. */
export function activeHolds(campaigns: readonly Campaign[], product: Product, variant: Variant, market: string, now: Date): CampaignHold[] {
  return holdsOn(campaigns, product, variant, market).filter((hold) => isActiveAt(hold.campaign, now));
}

export interface OverReservation {
  productId: Gid;
  variantId: Gid;
  market: string;
  /** The stretch of time when the holds together exceed what there is: ISO instants (UTC). */
  from: string;
  to: string;
  /** Units the overlapping campaigns ask for, and units channels can have now. */
  held: number;
  available: number;
  campaigns: { id: string; name: string; units: number; channels: ChannelId[] }[];
  message: string;
}

/**
 * Stretches of time (from `now` on) when the campaigns holding the variant ask for more than
 * `available` units: the units channels can have at today's stock, after the web store's reserve.
 * Consecutive stretches with the same campaigns are merged.
 */
export function findOverReservations(input: {
  campaigns: readonly Campaign[];
  product: Product;
  variant: Variant;
  market: string;
  now: Date;
  available: number;
  variantLabel?: string;
}): OverReservation[] {
  const { product, variant, market, now, available } = input;
  const holds = holdsOn(input.campaigns, product, variant, market).filter((hold) => hold.units > 0 && hold.campaign.window.end > now.getTime());
  if (holds.length === 0) return [];
  const edges = [...new Set(holds.flatMap((hold) => [Math.max(hold.campaign.window.start, now.getTime()), hold.campaign.window.end]))].sort((a, b) => a - b);
  const found: { from: number; to: number; holds: CampaignHold[] }[] = [];
  for (let i = 0; i + 1 < edges.length; i += 1) {
    const from = edges[i] as number;
    const to = edges[i + 1] as number;
    const during = holds.filter((hold) => hold.campaign.window.start <= from && to <= hold.campaign.window.end);
    const held = during.reduce((sum, hold) => sum + hold.units, 0);
    if (held <= available) continue;
    const previous = found.at(-1);
    if (previous && previous.to === from && sameCampaigns(previous.holds, during)) previous.to = to;
    else found.push({ from, to, holds: during });
  }
  const label = input.variantLabel ?? `${product.title}${variant.title && variant.title !== "Default Title" ? ` (${variant.title})` : ""}`;
  return found.map(({ from, to, holds: during }) => {
    const held = during.reduce((sum, hold) => sum + hold.units, 0);
    const who = during.map((hold) => `'${hold.campaign.name}' (${hold.units})`);
    const names = who.length === 1 ? `Campaign ${who[0]} holds` : `Campaigns ${who.slice(0, -1).join(", ")} and ${who.at(-1)} hold`;
    return {
      productId: product.id,
      variantId: variant.id,
      market,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      held,
      available,
      campaigns: during.map((hold) => ({ id: hold.campaign.id, name: hold.campaign.name, units: hold.units, channels: [...hold.campaign.channels] })),
      message: `${names} ${held} units of ${label} from ${new Date(from).toISOString()} to ${new Date(to).toISOString()}, but only ${available} can go to channels: ${held - available} over-reserved`,
    };
  });
}

function sameCampaigns(a: readonly CampaignHold[], b: readonly CampaignHold[]): boolean {
  return a.length === b.length && a.every((hold, index) => hold.campaign.id === b[index]?.campaign.id);
}
