/**
 * Where a variant's pre-order (and restock) facts come from, first source first:
 *
 * - release date: the variant's PRE_ORDER selling plan (its fulfillment exact time: what Shopify's
 *   checkout promises the buyer), then the release-date metafields (`preorder.releaseDateMetafields`,
 *   variant before product), then the winning rule's `preorder.releaseDate`;
 * - pre-order cap (units sellable before release, beyond stock): the cap metafields
 *   (`preorder.capMetafields`), then the winning rule's `preorder.cap`;
 * - restock date of a sold-out, still-selling variant: the restock metafields, then the winning
 *   rule's `continueSelling.restockDate`.
 *
 * A source without a date is still reported (so the reason can say "set the date"), but the
 * evaluation never turns it into a pre-order: never a pre-order without a date.
 */
import type { MetafieldValue, Product, Variant } from "../catalog/types";
import { firstMetafieldValue, preOrderPlanOf } from "../channels/offer";
import type { Rules } from "./schema";
import type { EffectiveRules } from "./scope";
import { normalizeDate } from "./time";

export type InventoryReserve = "ON_SALE" | "ON_FULFILLMENT";

export interface PreorderFacts {
  /** ISO date-time it ships, or null when no source gives one. */
  releaseDate: string | null;
  /** Where the date comes from, for reasons: `the pre-order plan "Ships 12 Jan"`. */
  dateSource: string | null;
  /** The PRE_ORDER selling plan, when there is one. */
  plan: { name: string; reserve: InventoryReserve | null } | null;
  /** What makes this a pre-order at all, for reasons. */
  origin: string;
  cap: { value: number; source: string } | null;
}

function readDate(value: MetafieldValue): string | null {
  return typeof value === "string" ? normalizeDate(value) : null;
}

function readUnits(value: MetafieldValue): number | null {
  if (typeof value === "number") return Number.isInteger(value) && value >= 0 ? value : null;
  if (typeof value === "string" && /^\s*\d+\s*$/.test(value)) return Number(value);
  return null;
}

function reserveOf(value: string | null): InventoryReserve | null {
  return value === "ON_SALE" || value === "ON_FULFILLMENT" ? value : null;
}

/** The variant's pre-order facts, or null when nothing makes it a pre-order. */
export function findPreorder(rules: Rules, effective: EffectiveRules, product: Product, variant: Variant): PreorderFacts | null {
  const found = preOrderPlanOf(product, variant);
  const plan = found ? { name: found.plan.name, reserve: reserveOf(found.plan.inventoryReserve) } : null;
  const planDate = found?.shipsAt ? normalizeDate(found.shipsAt) : null;
  const metafieldDate = firstMetafieldValue(product, variant, rules.preorder.releaseDateMetafields, readDate);
  const ruleDate = effective.preorderReleaseDate;
  if (!plan && !metafieldDate && !ruleDate) return null;

  const cap = capOf(rules, effective, product, variant);
  const origin = plan ? `the pre-order plan "${plan.name}"` : metafieldDate ? `the ${metafieldDate.source} metafield` : `rule '${ruleDate?.ruleId}'`;
  if (planDate) return { releaseDate: planDate, dateSource: `the pre-order plan "${plan?.name}"`, plan, origin, cap };
  if (metafieldDate) return { releaseDate: metafieldDate.value, dateSource: `the ${metafieldDate.source} metafield`, plan, origin, cap };
  if (ruleDate) return { releaseDate: ruleDate.value, dateSource: `rule '${ruleDate.ruleId}'`, plan, origin, cap };
  return { releaseDate: null, dateSource: null, plan, origin, cap };
}

function capOf(rules: Rules, effective: EffectiveRules, product: Product, variant: Variant): PreorderFacts["cap"] {
  const metafield = firstMetafieldValue(product, variant, rules.preorder.capMetafields, readUnits);
  if (metafield) return { value: metafield.value, source: `the ${metafield.source} metafield` };
  return effective.preorderCap ? { value: effective.preorderCap.value, source: `rule '${effective.preorderCap.ruleId}'` } : null;
}

/** When a sold-out variant that Shopify keeps selling is back, and where that date comes from. */
export function findRestockDate(rules: Rules, effective: EffectiveRules, product: Product, variant: Variant): { date: string; source: string } | null {
  const metafield = firstMetafieldValue(product, variant, rules.continueSelling.restockDateMetafields, readDate);
  if (metafield) return { date: metafield.value, source: `the ${metafield.source} metafield` };
  const rule = effective.continueSelling;
  return rule?.value.restockDate ? { date: rule.value.restockDate, source: `rule '${rule.ruleId}'` } : null;
}
