import { compareDecimal } from "../channels/checks";
import type { Diagnostic } from "../channels/types";
import { channelShortName, type NewProductEvent } from "./events";

/**
 * Timeline events for what a channel did with a product: a publish outcome per record, a verdict the
 * channel changed on read-back, and (shop-wide) a feed build. Pure: summaries are worked out from the
 * payload that was sent, never by asking anything.
 */

/** One record a publish dealt with: what was wanted on the channel (null for a delete) and the answer. */
export interface PublishedRecord {
  key: string;
  productId: string;
  itemIds: string[];
  payload: Record<string, unknown> | null;
}

/** The channel's answer for one record, as ItemOutcome (app/.server/channels/publisher.ts) spells it. */
export type PublishAnswer =
  | { key: string; kind: "live"; diagnostics: readonly Diagnostic[] }
  | { key: string; kind: "rejected"; diagnostics: readonly Diagnostic[] }
  | { key: string; kind: "deleted" }
  | { key: string; kind: "retry"; reason: string }
  | { key: string; kind: "dead"; reason: string };

const NUMBER = new Intl.NumberFormat("en-US");

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** "price 25.00 USD, sale 19.50 USD, 4 in stock" from a flat record (Meta's items_batch data). */
function flatOfferWords(payload: Record<string, unknown>): string[] {
  const words: string[] = [];
  const price = text(payload.price);
  const sale = text(payload.sale_price);
  if (price) words.push(`price ${price}`);
  if (sale) words.push(`sale ${sale}`);
  const quantity = text(payload.quantity_to_sell_on_facebook) ?? (typeof payload.quantity_to_sell_on_facebook === "number" ? String(payload.quantity_to_sell_on_facebook) : null);
  const availability = text(payload.availability);
  if (quantity !== null && availability !== "out of stock") words.push(`${NUMBER.format(Number(quantity))} in stock`);
  else if (availability) words.push(availability);
  return words;
}

interface SkuShape {
  price?: { amount?: unknown; currency?: unknown };
  inventory?: { quantity?: unknown }[];
  pre_sale?: unknown;
}

/** "3 SKUs, 19.50–25.00 USD, 12 in stock" from a TikTok Shop product payload. */
function tiktokOfferWords(payload: Record<string, unknown>): string[] {
  const skus = Array.isArray(payload.skus) ? (payload.skus as SkuShape[]) : [];
  if (skus.length === 0) return [];
  const amounts = skus.flatMap((sku) => (typeof sku.price?.amount === "string" ? [sku.price.amount] : [])).sort(compareDecimal);
  const currency = skus.map((sku) => sku.price?.currency).find((c): c is string => typeof c === "string") ?? "";
  const stock = skus.reduce((sum, sku) => sum + (sku.inventory ?? []).reduce((s, level) => s + (typeof level.quantity === "number" ? level.quantity : 0), 0), 0);
  const words = [`${skus.length} ${skus.length === 1 ? "SKU" : "SKUs"}`];
  const low = amounts[0];
  const high = amounts[amounts.length - 1];
  if (low && high) words.push(`${low === high ? low : `${low}–${high}`}${currency ? ` ${currency}` : ""}`);
  words.push(`${NUMBER.format(stock)} in stock`);
  if (skus.some((sku) => sku.pre_sale)) words.push("pre-order");
  return words;
}

/** What was sent, in a few words: the price and stock a shopper would see. Empty when the payload says nothing of it. */
export function describeSentOffer(channel: string, payload: Record<string, unknown> | null): string {
  if (!payload) return "";
  const words = channel === "tiktok" ? tiktokOfferWords(payload) : flatOfferWords(payload);
  return words.join(", ");
}

function problemWords(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "error");
  const shown = errors[0] ?? diagnostics[0];
  if (!shown) return "no reason given";
  const more = (errors.length > 0 ? errors.length : diagnostics.length) - 1;
  return `${shown.message}${more > 0 ? ` (and ${more} more ${more === 1 ? "problem" : "problems"})` : ""}`;
}

function diagnosticDetails(diagnostics: readonly Diagnostic[]) {
  return diagnostics.map((d) => ({ code: d.code, severity: d.severity, field: d.field, message: d.message, itemId: d.itemId }));
}

/**
 * One event per record the channel answered for. Retries are left out (they are transient and the
 * run counts them); a record that finally fails shows as "publish.dead".
 */
export function describePublishOutcomes(channel: string, market: string, records: readonly PublishedRecord[], answers: readonly PublishAnswer[], at: Date): NewProductEvent[] {
  const byKey = new Map(records.map((record) => [record.key, record]));
  const name = channelShortName(channel);
  const events: NewProductEvent[] = [];
  for (const answer of answers) {
    const record = byKey.get(answer.key);
    if (!record || answer.kind === "retry") continue;
    const base = { productId: record.productId, channel, at, details: { market, key: record.key, itemIds: record.itemIds } as Record<string, unknown> };
    if (answer.kind === "live") {
      const offer = describeSentOffer(channel, record.payload);
      const warnings = answer.diagnostics.length;
      const warningNote = warnings > 0 ? `; ${warnings} ${warnings === 1 ? "warning" : "warnings"}` : "";
      events.push({ ...base, kind: "publish.sent", summary: `Sent to ${name}${offer ? ` (${offer})` : ""}${warningNote}`, details: { ...base.details, warnings: diagnosticDetails(answer.diagnostics) } });
    } else if (answer.kind === "rejected") {
      events.push({ ...base, kind: "publish.rejected", summary: `${name} rejected it: ${problemWords(answer.diagnostics)}`, details: { ...base.details, problems: diagnosticDetails(answer.diagnostics) } });
    } else if (answer.kind === "deleted") {
      events.push({ ...base, kind: "publish.deleted", summary: `Removed from ${name}` });
    } else {
      events.push({ ...base, kind: "publish.dead", summary: `Gave up sending to ${name}: ${answer.reason}`, details: { ...base.details, reason: answer.reason } });
    }
  }
  return events;
}

/** A record whose state on the channel changed on read-back (review verdicts, TikTok's status). */
export interface StatusChange {
  key: string;
  productId: string;
  itemIds: string[];
  from: string | null;
  to: "live" | "rejected" | "missing";
  diagnostics: readonly Diagnostic[];
}

export function describeStatusChanges(channel: string, market: string, changes: readonly StatusChange[], at: Date): NewProductEvent[] {
  const name = channelShortName(channel);
  return changes.map((change) => {
    const summary =
      change.to === "missing"
        ? `Not found on ${name} any more`
        : change.to === "rejected"
          ? `${name} now refuses it: ${problemWords(change.diagnostics)}`
          : `${name} approved it: live${change.from === "rejected" ? " again" : ""}`;
    return {
      productId: change.productId,
      channel,
      at,
      kind: "channel.status" as const,
      summary,
      details: { market, key: change.key, itemIds: change.itemIds, from: change.from, to: change.to, problems: diagnosticDetails(change.diagnostics) },
    };
  });
}

export interface FeedTallyWords {
  itemsTotal: number;
  itemsReady: number;
  itemsWithErrors: number;
  itemsExcluded: number;
  itemsWithWarnings: number;
}

function countWithDelta(now: number, before: number | undefined, noun: string): string {
  const delta = before === undefined ? 0 : now - before;
  const change = delta === 0 ? "" : ` (${delta > 0 ? "+" : "−"}${NUMBER.format(Math.abs(delta))})`;
  return `${NUMBER.format(now)} ${noun}${change}`;
}

/**
 * The shop-wide "feed.built" event of one channel and market: "Meta feed (US) built: 2,031 ready
 * (+12), 62 with errors (−12)". `before`: the counts of the build it replaces, when there was one.
 */
export function describeFeedBuild(
  channel: string,
  market: string,
  tally: FeedTallyWords,
  before: Omit<FeedTallyWords, "itemsWithWarnings"> | null,
  details: Record<string, unknown>,
  at: Date,
): NewProductEvent {
  const parts = [countWithDelta(tally.itemsReady, before?.itemsReady, "ready"), countWithDelta(tally.itemsWithErrors, before?.itemsWithErrors, "with errors")];
  if (tally.itemsExcluded > 0 || (before?.itemsExcluded ?? 0) > 0) parts.push(countWithDelta(tally.itemsExcluded, before?.itemsExcluded, "excluded"));
  return {
    productId: null,
    channel,
    at,
    kind: "feed.built",
    summary: `${channelShortName(channel)} feed (${market}) built: ${parts.join(", ")}`,
    details: { market, ...tally, ...(before ? { before } : {}), ...details },
  };
}
