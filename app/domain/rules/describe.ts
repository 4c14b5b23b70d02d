/**
 * Stock rules in words, for the Rules screen's list: what a rule covers ("Tag “limited”") and what it
 * does ("keeps 10% for the web store; 0 at 2 or fewer; TikTok Shop double share"). Pure; reads the
 * parsed rule, so the words always match what the evaluation does.
 */
import type { ChannelId } from "../channels/types";
import type { Scope, StockRule } from "./schema";
import { formatDay } from "./time";

/** Short channel names for sentences (the adapters' labels are for headings). */
export const CHANNEL_NAMES: Record<ChannelId, string> = {
  meta: "Meta",
  tiktok: "TikTok Shop",
  "tiktok-ads": "TikTok ads",
  pinterest: "Pinterest",
  google: "Google",
};

function numericTail(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

/** What a rule covers; `titles` names products and variants by id when the caller knows them. */
export function describeScope(scope: Scope, titles: Readonly<Record<string, string>> = {}): string {
  switch (scope.level) {
    case "shop":
      return "Whole shop";
    case "collection":
      return `Collection ${titles[scope.id] ? `“${titles[scope.id]}”` : numericTail(scope.id)}`;
    case "productType":
      return `Product type “${scope.name}”`;
    case "tag":
      return `Tag “${scope.tag}”`;
    case "product":
      return `Product ${titles[scope.id] ? `“${titles[scope.id]}”` : numericTail(scope.id)}`;
    case "variant":
      return `Variant ${titles[scope.id] ? `“${titles[scope.id]}”` : numericTail(scope.id)}`;
  }
}

function units(count: number): string {
  return `${count} ${count === 1 ? "unit" : "units"}`;
}

const SHARE_WORDS: Record<number, string> = { 0.5: "half share", 2: "double share", 3: "triple share", 4: "quadruple share" };

function share(weight: number): string {
  if (weight === 0) return "campaign holds only";
  if (weight === 1) return "normal share";
  return SHARE_WORDS[weight] ?? `${weight}× share`;
}

/** What a rule does, one clause per setting, in the order the evaluation applies them. */
export function describeRuleEffects(rule: StockRule): string[] {
  const clauses: string[] = [];
  const reserve = rule.reserve;
  if (reserve) {
    const kept =
      reserve.units !== undefined && reserve.percent !== undefined
        ? `the larger of ${units(reserve.units)} and ${reserve.percent}%`
        : reserve.percent !== undefined
          ? `${reserve.percent}%`
          : units(reserve.units ?? 0);
    clauses.push(`keeps ${kept} for the web store`);
  }
  if (rule.floor !== undefined) clauses.push(`0 at ${rule.floor} or fewer`);
  if (rule.cap !== undefined) clauses.push(`at most ${rule.cap} per channel`);
  for (const [channel, override] of Object.entries(rule.channels ?? {}) as [ChannelId, NonNullable<StockRule["channels"]>[ChannelId]][]) {
    if (!override) continue;
    const name = CHANNEL_NAMES[channel];
    if (override.weight !== undefined) clauses.push(`${name} ${share(override.weight)}`);
    if (override.cap !== undefined) clauses.push(`${name} at most ${override.cap}`);
    if (override.floor !== undefined) clauses.push(`${name} 0 at ${override.floor} or fewer`);
  }
  if (rule.continueSelling) {
    const back = rule.continueSelling.restockDate ? `, back by ${formatDay(rule.continueSelling.restockDate)}` : "";
    clauses.push(`sells up to ${rule.continueSelling.cap} past zero${back}`);
  }
  if (rule.preorder) {
    const cap = rule.preorder.cap !== undefined ? `up to ${rule.preorder.cap} pre-orders` : "pre-orders";
    const date = rule.preorder.releaseDate ? ` shipping ${formatDay(rule.preorder.releaseDate)}` : "";
    clauses.push(`${cap}${date}`);
  }
  if (clauses.length === 0) clauses.push("changes nothing yet");
  if (rule.markets) clauses.push(`only in ${rule.markets.join(", ")}`);
  return clauses;
}

/** describeRuleEffects as one line: "keeps 10% for the web store; 0 at 2 or fewer; TikTok Shop double share". */
export function describeRule(rule: StockRule): string {
  return describeRuleEffects(rule).join("; ");
}
