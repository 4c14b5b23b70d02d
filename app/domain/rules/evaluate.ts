/**
 * The single truth about what a variant is offered as on each channel (ADR 0014): quantity,
 * availability, availability date, the shopper's message and the reasons. Mappers, feeds, API
 * pushes and the storefront message all read this; nothing else decides availability.
 *
 * For one variant in one market at `now`, over the channels in play:
 *
 *  1. stock = units available at the market's locations (negative when Shopify sold beyond stock).
 *  2. mode: in stock (stock > 0) → sellable = stock; else a dated, future pre-order with a cap and
 *     "continue selling" → sellable = stock + pre-order cap; else "continue selling" with a rule's
 *     cap → backorder, sellable = stock + that cap; else out of stock. Never an unbounded number.
 *  3. per channel: can it say this at all (Google needs a date at most a year ahead, Pinterest and
 *     TikTok Shop need a date for anything that ships later)? In stock, is stock at or below its
 *     floor? Such channels get 0.
 *  4. web-store reserve = max(units, ⌈percent × sellable⌉), at most sellable; pool = the rest.
 *  5. campaign holds active at `now` are carved from the pool in start order, each split evenly
 *     between its channels in play (a held unit no channel can show stays held).
 *  6. what is left is divided between the channels by weight (largest remainder, allocation.ts),
 *     each up to its cap; what no channel can take stays with the web store.
 *
 * So the units exposed across the channels in play never add up to more than the sellable units.
 */
import type { Gid, InventoryPolicy, Product, Variant } from "../catalog/types";
import { GOOGLE_SPEC } from "../channels/specs/google";
import { CHANNEL_IDS, type Availability, type ChannelId, type Offer as ChannelOffer } from "../channels/types";
import { splitByWeight } from "./allocation";
import { activeHolds, findOverReservations, type OverReservation } from "./campaigns";
import { findPreorder, findRestockDate, type PreorderFacts } from "./preorder";
import type { Campaign, Rules } from "./schema";
import { resolveRules, type EffectiveRules } from "./scope";
import { formatDay, monthsAfter } from "./time";

/** The full offer: what the channels' Offer carries, with the shopper's message and the reasons always set. */
export interface Offer extends ChannelOffer {
  message: string;
  reasons: string[];
}

export interface InventoryLevelSnapshot {
  locationId: Gid;
  locationName: string;
  available: number;
}

/** Stock as the rules read it; inventoryOf(variant) takes it from the catalog. */
export interface InventorySnapshot {
  tracked: boolean;
  policy: InventoryPolicy;
  levels: readonly InventoryLevelSnapshot[];
  /** Units over all locations: used when the input has no per-location levels. */
  total: number;
}

export function inventoryOf(variant: Variant): InventorySnapshot {
  return { tracked: variant.inventoryItem.tracked, policy: variant.inventoryPolicy, levels: variant.inventoryItem.levels, total: variant.availableQuantity };
}

export interface VariantRef {
  product: Product;
  variant: Variant;
}

export type OfferMode = "inactive" | "untracked" | "in_stock" | "preorder" | "backorder" | "out_of_stock";

export interface HoldOutcome {
  campaignId: string;
  campaignName: string;
  channels: ChannelId[];
  /** Units the campaign asks to hold, and units it got (less when over-reserved). */
  asked: number;
  granted: number;
  /** Held units shown per channel in play (the rest of `granted` is held but shown nowhere). */
  byChannel: Partial<Record<ChannelId, number>>;
}

/** One variant's offers on every channel in play, with the arithmetic behind them. */
export interface ChannelAllocation {
  market: string;
  mode: OfferMode;
  /** Net units at the market's locations; null when Shopify does not track stock. */
  stock: number | null;
  /** Units the channels and the web store may sell between them; null when untracked. */
  sellable: number | null;
  reservedForWebStore: number;
  holds: HoldOutcome[];
  /** Units divided between channels after holds, and what no channel could take. */
  shared: number;
  unallocated: number;
  offers: Partial<Record<ChannelId, Offer>>;
}

export interface EvaluateOptions {
  /**
   * Channels that share the stock; the channel asked about is always among them. Default: the rules'
   * `channels`, else every channel.
   */
  channelsInPlay?: readonly ChannelId[];
}

/** `evaluate(rules, variant, inventory, campaigns, channel, market, now)`: the variant's offer on one channel. */
export function evaluate(
  rules: Rules,
  target: VariantRef,
  inventory: InventorySnapshot,
  campaigns: readonly Campaign[],
  channel: ChannelId,
  market: string,
  now: Date,
  options: EvaluateOptions = {},
): Offer {
  const inPlay = channelsInPlayFor(rules, options.channelsInPlay);
  const channels = inPlay.includes(channel) ? inPlay : [...inPlay, channel];
  return evaluateChannels(rules, target, inventory, campaigns, channels, market, now).offers[channel] as Offer;
}

/** The channels in play: the given ones, else the rules' `channels`, else every channel; deduplicated. */
export function channelsInPlayFor(rules: Rules, channelsInPlay?: readonly ChannelId[]): ChannelId[] {
  return [...new Set(channelsInPlay ?? rules.channels ?? CHANNEL_IDS)];
}

// ---------------------------------------------------------------------------------------------

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function list(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? "") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}

function stockAt(rules: Rules, inventory: InventorySnapshot, market: string): { stock: number; text: string } {
  const locations = rules.markets?.[market]?.locations;
  if (inventory.levels.length === 0) {
    const note = locations ? ` (the input has no per-location stock, so every location counts for ${market})` : "";
    return { stock: inventory.total, text: `${inventory.total} available${note}` };
  }
  const levels = locations ? inventory.levels.filter((level) => locations.includes(level.locationId)) : inventory.levels;
  const stock = levels.reduce((sum, level) => sum + level.available, 0);
  const counted = levels.filter((level) => level.available !== 0).length;
  const where = counted > 0 ? ` at ${plural(counted, "location")}` : "";
  const serving = locations ? ` serving ${market}` : "";
  const oversold = stock < 0 ? ` (${-stock} sold beyond stock)` : "";
  return { stock, text: `${stock} available${where}${serving}${oversold}` };
}

function reserveOf(effective: EffectiveRules, sellable: number): { units: number; text: string | null } {
  const rule = effective.reserve;
  if (!rule || sellable <= 0) return { units: 0, text: null };
  const fromUnits = rule.value.units ?? 0;
  // Rounded up, so the web store keeps at least the share asked for; the epsilon absorbs float noise.
  const fromPercent = rule.value.percent === undefined ? 0 : Math.ceil((sellable * rule.value.percent) / 100 - 1e-9);
  const units = Math.min(sellable, Math.max(fromUnits, fromPercent));
  if (units === 0) return { units: 0, text: null };
  const how =
    rule.value.units !== undefined && rule.value.percent !== undefined
      ? `the larger of ${rule.value.units} units and ${rule.value.percent}% of ${sellable}`
      : rule.value.percent !== undefined
        ? `${rule.value.percent}% of ${sellable}`
        : `${rule.value.units} units`;
  return { units, text: `${units} reserved for the web store (${how}, rule '${rule.ruleId}')` };
}

interface Mode {
  mode: OfferMode;
  sellable: number;
  /** Release or restock date for preorder/backorder. */
  date: string | null;
  lines: string[];
}

function isFuture(date: string | null, now: Date): date is string {
  return date !== null && Date.parse(date) > now.getTime();
}

/** Step 2: what kind of offer this is and how many units it covers, channels aside. */
function modeOf(rules: Rules, effective: EffectiveRules, ref: VariantRef, inventory: InventorySnapshot, stock: number, now: Date): Mode {
  if (stock > 0) {
    const preorder = findPreorder(rules, effective, ref.product, ref.variant);
    const note = preorder && isFuture(preorder.releaseDate, now) ? [`sells from stock before ${preorder.origin}`] : [];
    return { mode: "in_stock", sellable: stock, date: null, lines: note };
  }
  const preorder = findPreorder(rules, effective, ref.product, ref.variant);
  if (preorder && isFuture(preorder.releaseDate, now)) return preorderMode(preorder, inventory, stock);

  const lines: string[] = [];
  if (preorder && preorder.releaseDate === null) lines.push(`${preorder.origin} has no ship date, so it is not offered as a pre-order (set the date)`);
  else if (preorder?.releaseDate) lines.push(`${preorder.origin} released on ${formatDay(preorder.releaseDate)}, so it is no longer a pre-order`);
  if (inventory.policy === "DENY") return { mode: "out_of_stock", sellable: 0, date: null, lines: [...lines, "sold out, and Shopify stops selling it at 0"] };

  const rule = effective.continueSelling;
  if (!rule) {
    lines.push('sold out; Shopify keeps selling it ("Continue selling when out of stock") but no rule caps how many (continueSelling.cap), so channels get 0');
    return { mode: "out_of_stock", sellable: 0, date: null, lines };
  }
  const sellable = Math.max(0, stock + rule.value.cap);
  const taken = Math.max(0, -stock);
  const arithmetic = `continue selling capped at ${rule.value.cap} (rule '${rule.ruleId}')${taken > 0 ? ` − ${taken} already sold` : ""} = ${sellable}`;
  if (sellable === 0) return { mode: "out_of_stock", sellable: 0, date: null, lines: [...lines, `sold out; ${arithmetic}: the continue-selling cap is used up`] };
  const restock = findRestockDate(rules, effective, ref.product, ref.variant);
  const date = restock && isFuture(restock.date, now) ? restock.date : null;
  const when = date && restock ? `back by ${formatDay(date)} (${restock.source})` : restock ? `the restock date ${formatDay(restock.date)} has passed` : "no restock date";
  return { mode: "backorder", sellable, date, lines: [...lines, `sold out; ${arithmetic} sellable; ${when}`] };
}

function preorderMode(preorder: PreorderFacts, inventory: InventorySnapshot, stock: number): Mode {
  const release = preorder.releaseDate as string;
  const head = `pre-order until ${formatDay(release)} (${preorder.dateSource})`;
  if (inventory.policy === "DENY") {
    return { mode: "out_of_stock", sellable: 0, date: null, lines: [`${head}, but Shopify stops selling it at 0: turn on "Continue selling when out of stock" to take pre-orders`] };
  }
  if (!preorder.cap) {
    return { mode: "out_of_stock", sellable: 0, date: null, lines: [`${head}, but no pre-order cap is set (preorder.cap in a rule, or a cap metafield), so channels get 0 rather than an unbounded number`] };
  }
  const taken = Math.max(0, -stock);
  const sellable = Math.max(0, stock + preorder.cap.value);
  const onFulfillment = preorder.plan?.reserve === "ON_FULFILLMENT" ? " (the plan takes stock on fulfilment, so pre-orders not yet shipped are not subtracted)" : "";
  const arithmetic = `pre-order cap ${preorder.cap.value} (${preorder.cap.source})${taken > 0 ? ` − ${taken} already pre-ordered` : ""} = ${sellable} sellable${onFulfillment}`;
  if (sellable === 0) return { mode: "out_of_stock", sellable: 0, date: null, lines: [`${head}; ${arithmetic}: the pre-order cap is used up`] };
  return { mode: "preorder", sellable, date: release, lines: [`${head}; ${arithmetic}`] };
}

/**
 * Step 3: how a channel says "ships later", or why it cannot. One meaning across channels: Meta
 * `preorder` (or `available for order`, as configured), Google `preorder`/`backorder` with a date at
 * most a year ahead, Pinterest `preorder` (with a date), TikTok Shop `pre_sale` (with a release date).
 */
function laterAvailability(rules: Rules, channel: ChannelId, mode: "preorder" | "backorder", date: string | null, now: Date): { availability: Availability } | { refused: string } {
  const needsDate = channel === "google" || channel === "pinterest" || channel === "tiktok";
  if (needsDate && date === null) {
    const why =
      channel === "google"
        ? "Google needs an availability date for a backorder"
        : channel === "pinterest"
          ? "Pinterest shows a backorder as a pre-order, and a pre-order needs a date"
          : "TikTok Shop sells items that ship later only as a pre-sale with a release date";
    return { refused: `${why} and none is set (a restock metafield or continueSelling.restockDate), so ${channel} gets 0` };
  }
  if (channel === "google" && date !== null && Date.parse(date) > monthsAfter(now, GOOGLE_SPEC.availabilityDateMaxMonthsAhead)) {
    return { refused: `Google takes availability dates at most ${GOOGLE_SPEC.availabilityDateMaxMonthsAhead} months ahead and ${formatDay(date)} is further, so google gets 0 until then` };
  }
  if (mode === "preorder") return { availability: channel === "meta" && rules.preorder.meta === "available for order" ? "backorder" : "preorder" };
  // TikTok Shop has no backorder: an item that ships later is a pre-sale with the restock date.
  return { availability: channel === "tiktok" ? "preorder" : "backorder" };
}

/** The shopper's message for an offer ("Only 3 left", "Pre-order: ships by 12 Jan 2027"); the storefront block uses it too. */
export function messageFor(availability: Availability, quantity: number | null, date: string | null, mode: OfferMode, rules: Rules): string {
  if (availability === "out_of_stock") return "Out of stock";
  if (mode === "preorder") return `Pre-order: ships by ${formatDay(date as string)}`;
  if (mode === "backorder") return date ? `Backorder: ships by ${formatDay(date)}` : "Available for order";
  return quantity !== null && quantity <= rules.lowStockAt ? `Only ${quantity} left` : "In stock";
}

function finish(availability: Availability, quantity: number | null, date: string | null, mode: OfferMode, rules: Rules, reasons: string[]): Offer {
  const offered = availability === "out_of_stock" ? null : date;
  return { availability, quantity, availabilityDate: offered, message: messageFor(availability, quantity, offered, mode, rules), reasons, reason: `${reasons.join("; ")}.` };
}

/** Every channel in play at once: the split needs them all. */
export function evaluateChannels(
  rules: Rules,
  target: VariantRef,
  inventory: InventorySnapshot,
  campaigns: readonly Campaign[],
  channelsInPlay: readonly ChannelId[],
  market: string,
  now: Date,
): ChannelAllocation {
  const channels = [...new Set(channelsInPlay)];
  const { product } = target;
  const empty = (mode: OfferMode, offers: Partial<Record<ChannelId, Offer>>, stock: number | null, sellable: number | null): ChannelAllocation => ({
    market,
    mode,
    stock,
    sellable,
    reservedForWebStore: 0,
    holds: [],
    shared: 0,
    unallocated: 0,
    offers,
  });

  if (product.status !== "ACTIVE") {
    const reasons = [`the product is ${product.status.toLowerCase()} in Shopify, so it is offered as out of stock`];
    return empty("inactive", Object.fromEntries(channels.map((channel) => [channel, finish("out_of_stock", 0, null, "inactive", rules, [...reasons])])), null, 0);
  }

  const effective = resolveRules(rules, product, target.variant, market);
  if (!inventory.tracked) return untracked(rules, effective, target, channels, market, now, empty);

  const { stock, text: stockText } = stockAt(rules, inventory, market);
  const mode = modeOf(rules, effective, target, inventory, stock, now);
  const head = [stockText, ...mode.lines];
  if (mode.mode === "out_of_stock") {
    return empty("out_of_stock", Object.fromEntries(channels.map((channel) => [channel, finish("out_of_stock", 0, null, "out_of_stock", rules, [...head])])), stock, 0);
  }

  // Step 3: which channels can take part, and why not.
  const refused = new Map<ChannelId, string>();
  const later = new Map<ChannelId, Availability>();
  for (const channel of channels) {
    if (mode.mode === "in_stock") {
      const floor = effective.channels[channel].floor;
      if (floor && stock <= floor.value) refused.set(channel, `${stock} in stock is at or below the floor of ${floor.value} (rule '${floor.ruleId}'), so ${channel} gets 0`);
      continue;
    }
    const how = laterAvailability(rules, channel, mode.mode as "preorder" | "backorder", mode.date, now);
    if ("refused" in how) refused.set(channel, how.refused);
    else later.set(channel, how.availability);
  }
  const open = channels.filter((channel) => !refused.has(channel));
  const capOf = (channel: ChannelId) => effective.channels[channel].cap?.value ?? Number.POSITIVE_INFINITY;

  // Step 4: the web store's reserve.
  const reserve = reserveOf(effective, mode.sellable);
  let pool = mode.sellable - reserve.units;
  const assigned = new Map<ChannelId, number>(channels.map((channel) => [channel, 0]));

  // Step 5: campaign holds, in start order.
  const holds: HoldOutcome[] = [];
  const holdLines: string[] = [];
  for (const hold of activeHolds(campaigns, product, target.variant, market, now)) {
    if (hold.units === 0) continue;
    const granted = Math.min(hold.units, pool);
    pool -= granted;
    const takers = hold.campaign.channels.filter((channel) => open.includes(channel));
    const split = splitByWeight(
      granted,
      takers.map((channel) => ({ key: channel, weight: 1, capacity: Math.max(0, capOf(channel) - (assigned.get(channel) as number)) })),
    );
    const byChannel: Partial<Record<ChannelId, number>> = {};
    for (const [channel, units] of split) {
      byChannel[channel] = units;
      assigned.set(channel, (assigned.get(channel) as number) + units);
    }
    holds.push({ campaignId: hold.campaign.id, campaignName: hold.campaign.name, channels: [...hold.campaign.channels], asked: hold.units, granted, byChannel });
    const amount = granted < hold.units ? `${granted} of ${hold.units}` : `${granted}`;
    const perChannel = takers.length > 1 ? ` (${takers.map((channel) => `${channel} ${byChannel[channel] ?? 0}`).join(", ")})` : "";
    const shown = [...split.values()].reduce((sum, units) => sum + units, 0);
    const unshown = granted - shown > 0 ? `, ${granted - shown} of them shown on no channel in play` : "";
    const over = granted < hold.units ? ` (over-reserved: only ${granted} ${granted === 1 ? "was" : "were"} left)` : "";
    holdLines.push(`${amount} held for campaign '${hold.campaign.name}' on ${list(hold.campaign.channels)}${perChannel}${over}${unshown}`);
  }

  // Step 6: the rest, divided by weight up to each cap.
  const claimants = open
    .map((channel) => ({ key: channel, weight: effective.channels[channel].weight?.value ?? 1, capacity: Math.max(0, capOf(channel) - (assigned.get(channel) as number)) }))
    .filter((claimant) => claimant.weight > 0);
  const shares = splitByWeight(pool, claimants);
  const shared = pool;
  const handedOut = [...shares.values()].reduce((sum, units) => sum + units, 0);
  const unallocated = pool - handedOut;
  const weighted = claimants.some((claimant) => claimant.weight !== 1) ? ` by weight (${claimants.map((claimant) => `${claimant.key} ${claimant.weight}`).join(", ")})` : "";

  const offers: Partial<Record<ChannelId, Offer>> = {};
  for (const channel of channels) {
    const held = assigned.get(channel) as number;
    const share = shares.get(channel) ?? 0;
    const quantity = held + share;
    const reasons = [...head];
    if (refused.has(channel)) reasons.push(refused.get(channel) as string);
    if (reserve.text) reasons.push(reserve.text);
    reasons.push(...holdLines);
    if (shared === 0) reasons.push("nothing left to share");
    else if (shares.has(channel)) reasons.push(`${shared} shared across ${plural(claimants.length, "channel")}${weighted} → ${share}`);
    else if (!refused.has(channel)) reasons.push(`${shared} shared across ${plural(claimants.length, "other channel")}; ${channel} has weight 0`);
    const cap = effective.channels[channel].cap;
    if (cap && quantity >= cap.value && !refused.has(channel)) reasons.push(`capped at ${cap.value} on ${channel} (rule '${cap.ruleId}')`);
    if (unallocated > 0) reasons.push(`${unallocated} stay with the web store (no channel can take more)`);
    if (held > 0 && share > 0) reasons.push(`${channel}: ${held} held + ${share} shared = ${quantity}`);
    const availability: Availability = quantity <= 0 ? "out_of_stock" : mode.mode === "in_stock" ? "in_stock" : (later.get(channel) as Availability);
    offers[channel] = finish(availability, Math.max(0, quantity), mode.date, mode.mode, rules, reasons);
  }
  return { market, mode: mode.mode, stock, sellable: mode.sellable, reservedForWebStore: reserve.units, holds, shared, unallocated, offers };
}

/** Untracked stock: in stock (or a dated pre-order) without a count, unless a cap gives one. */
function untracked(
  rules: Rules,
  effective: EffectiveRules,
  target: VariantRef,
  channels: readonly ChannelId[],
  market: string,
  now: Date,
  empty: (mode: OfferMode, offers: Partial<Record<ChannelId, Offer>>, stock: number | null, sellable: number | null) => ChannelAllocation,
): ChannelAllocation {
  const head = ["Shopify does not track this variant's stock, so there is no count to share"];
  const preorder = findPreorder(rules, effective, target.product, target.variant);
  const release = preorder && isFuture(preorder.releaseDate, now) ? preorder.releaseDate : null;
  if (preorder && release) head.push(`pre-order until ${formatDay(release)} (${preorder.dateSource})`);
  const mode: OfferMode = release ? "preorder" : "untracked";
  const offers: Partial<Record<ChannelId, Offer>> = {};
  for (const channel of channels) {
    const reasons = [...head];
    const cap = effective.channels[channel].cap;
    const preorderCap = release ? preorder?.cap : null;
    let quantity: number | null = null;
    if (preorderCap) {
      quantity = preorderCap.value;
      reasons.push(`pre-order cap ${preorderCap.value} (${preorderCap.source})`);
    }
    if (cap && (quantity === null || cap.value < quantity)) {
      quantity = cap.value;
      reasons.push(`capped at ${cap.value} on ${channel} (rule '${cap.ruleId}')`);
    }
    let availability: Availability = "in_stock";
    if (release) {
      const how = laterAvailability(rules, channel, "preorder", release, now);
      if ("refused" in how) {
        reasons.push(how.refused);
        availability = "out_of_stock";
        quantity = 0;
      } else availability = how.availability;
    }
    if (quantity === 0) availability = "out_of_stock";
    offers[channel] = finish(availability, quantity, release, mode, rules, reasons);
  }
  return empty(mode, offers, null, null);
}

// ---------------------------------------------------------------------------------------------

/**
 * Over-reservations of one variant from `now` on: stretches of time when the campaigns holding it ask
 * for more than channels can have at today's stock (sellable units after the web store's reserve).
 */
export function overReservationsFor(rules: Rules, target: VariantRef, inventory: InventorySnapshot, campaigns: readonly Campaign[], market: string, now: Date): OverReservation[] {
  if (campaigns.length === 0 || target.product.status !== "ACTIVE" || !inventory.tracked) return [];
  const effective = resolveRules(rules, target.product, target.variant, market);
  const { stock } = stockAt(rules, inventory, market);
  const mode = modeOf(rules, effective, target, inventory, stock, now);
  const available = mode.sellable - reserveOf(effective, mode.sellable).units;
  return findOverReservations({ campaigns, product: target.product, variant: target.variant, market, now, available });
}
