/**
 * The default offer: availability and quantity from Shopify stock, inventory policy and pre-order
 * selling plans (../shared/specs/channels.md §5, "Availability"). The stock rules (app/domain/rules,
 * ADR 0014) replace it behind the same `OfferResolver` signature (`createOfferResolver`), so channels
 * and markets are accepted here but do not change the answer. The rules reuse this module's pre-order
 * plan and metafield lookups.
 */
import type { Metafield, Product, SellingPlan, SellingPlanGroup, Variant } from "../catalog/types";
import type { ChannelId, Market, Offer } from "./types";

/**
 * Metafields (namespace.key, variant first, then product) that give a pre-order's release date when no
 * selling plan does. The demo catalog writes `shelfcast.preorder_release`.
 */
export const PREORDER_DATE_METAFIELDS: readonly string[] = ["shelfcast.preorder_release", "shelfcast.preorder_date", "shelfcast.release_date"];

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** An ISO 8601 date-time for a date or date-time value, or null when it is not one. */
function toDateTime(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const text = value.trim();
  const dateTime = DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text;
  return Number.isNaN(Date.parse(dateTime)) ? null : dateTime;
}

export interface PreOrderPlan {
  group: SellingPlanGroup;
  plan: SellingPlan;
  /** When the plan ships (fulfillmentExactTime), or null when its date is not set. */
  shipsAt: string | null;
}

/**
 * A group applies to a variant that lists it, and to every variant when none lists it: the bulk
 * catalog knows groups per product only, and a group on the product covers all its variants.
 */
function groupApplies(group: SellingPlanGroup, product: Product, variant: Variant): boolean {
  if (variant.sellingPlanGroupIds.includes(group.id)) return true;
  return !product.variants.some((other) => other.sellingPlanGroupIds.includes(group.id));
}

/** The variant's pre-order plan: the earliest dated one, else an undated one, else null. */
export function preOrderPlanOf(product: Product, variant: Variant): PreOrderPlan | null {
  let best: PreOrderPlan | null = null;
  for (const group of product.sellingPlanGroups) {
    if (!group.sellingPlans.some((plan) => plan.category === "PRE_ORDER") || !groupApplies(group, product, variant)) continue;
    for (const plan of group.sellingPlans) {
      if (plan.category !== "PRE_ORDER") continue;
      const shipsAt = toDateTime(plan.fulfillmentExactTime);
      const candidate = { group, plan, shipsAt };
      if (!best || (shipsAt !== null && (best.shipsAt === null || Date.parse(shipsAt) < Date.parse(best.shipsAt)))) best = candidate;
    }
  }
  return best;
}

function findMetafield(metafields: readonly Metafield[], namespace: string, key: string): Metafield | undefined {
  for (const metafield of metafields) {
    if (metafield.key === key && metafield.namespace === namespace) return metafield;
  }
  return undefined;
}

/**
 * The first of `qualifiedKeys` (namespace.key, in order; the variant's metafield before the product's)
 * whose value `read` accepts, with the metafield's name for reasons. The rules issue reads its
 * configurable pre-order and restock keys through this too.
 */
export function firstMetafieldValue<T>(
  product: Product,
  variant: Variant,
  qualifiedKeys: readonly string[],
  read: (value: Metafield["value"]) => T | null,
): { value: T; source: string } | null {
  for (const qualified of qualifiedKeys) {
    const dot = qualified.indexOf(".");
    const namespace = qualified.slice(0, dot);
    const key = qualified.slice(dot + 1);
    const metafield = findMetafield(variant.metafields, namespace, key) ?? findMetafield(product.metafields, namespace, key);
    const value = metafield ? read(metafield.value) : null;
    if (value !== null) return { value, source: qualified };
  }
  return null;
}

/** The release date a metafield gives, with the metafield's name for the reason. */
function releaseDateOf(product: Product, variant: Variant): { at: string; source: string } | null {
  const found = firstMetafieldValue(product, variant, PREORDER_DATE_METAFIELDS, toDateTime);
  return found ? { at: found.value, source: found.source } : null;
}

function day(dateTime: string): string {
  return dateTime.slice(0, 10);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

function inStockReason(quantity: number, variant: Variant): string {
  const locations = variant.inventoryItem.levels.filter((level) => level.available > 0).length;
  return locations > 0 ? `${quantity} in stock at ${plural(locations, "location")}.` : `${quantity} in stock.`;
}

/**
 * The answer depends on the product and variant alone, and every channel and market asks for it:
 * it is worked out once per variant (catalog snapshots are not modified) and shared, frozen.
 */
const offers = new WeakMap<Variant, Offer>();

/**
 * What a variant is offered as, from its stock:
 * - products that are not active in Shopify: out of stock;
 * - untracked inventory: in stock, with no quantity (never an invented one);
 * - stock above 0: in stock (a pre-order plan still sells from stock first);
 * - none left and inventory policy DENY: out of stock;
 * - none left and CONTINUE: pre-order when a pre-order selling plan or a release-date metafield gives
 *   the date, otherwise backorder without a date.
 */
export function offerFromStock(product: Product, variant: Variant, _channel: ChannelId, _market: Market): Offer {
  let offer = offers.get(variant);
  if (!offer) {
    offer = Object.freeze(offerOf(product, variant));
    offers.set(variant, offer);
  }
  return offer;
}

function offerOf(product: Product, variant: Variant): Offer {
  if (product.status !== "ACTIVE") {
    return {
      availability: "out_of_stock",
      quantity: 0,
      availabilityDate: null,
      reason: `The product is ${product.status.toLowerCase()} in Shopify, so it is offered as out of stock.`,
    };
  }
  if (!variant.inventoryItem.tracked) {
    return {
      availability: "in_stock",
      quantity: null,
      availabilityDate: null,
      reason: "Shopify does not track this variant's inventory, so it is offered as in stock without a quantity.",
    };
  }
  const quantity = Math.max(0, variant.availableQuantity);
  if (quantity > 0) return { availability: "in_stock", quantity, availabilityDate: null, reason: inStockReason(quantity, variant) };

  const preOrder = preOrderPlanOf(product, variant);
  if (variant.inventoryPolicy === "DENY") {
    const reason = preOrder
      ? `Sold out. It is in the pre-order plan "${preOrder.plan.name}", but Shopify stops selling it at 0; turn on "Continue selling when out of stock" to take pre-orders.`
      : "Sold out: none available, and Shopify stops selling it at 0.";
    return { availability: "out_of_stock", quantity: 0, availabilityDate: null, reason };
  }
  if (preOrder?.shipsAt) {
    return {
      availability: "preorder",
      quantity: 0,
      availabilityDate: preOrder.shipsAt,
      reason: `Pre-order: sold out, still selling, and the pre-order plan "${preOrder.plan.name}" ships on ${day(preOrder.shipsAt)}.`,
    };
  }
  const release = releaseDateOf(product, variant);
  if (release) {
    return {
      availability: "preorder",
      quantity: 0,
      availabilityDate: release.at,
      reason: `Pre-order: sold out, still selling, and the ${release.source} metafield gives the release date ${day(release.at)}.`,
    };
  }
  const reason = preOrder
    ? `Backorder: sold out but still selling; the pre-order plan "${preOrder.plan.name}" has no ship date yet, so channels get no availability date. Set the date on the plan in Shopify.`
    : "Backorder: sold out, but Shopify keeps selling it (continue selling when out of stock); no release date is set.";
  return { availability: "backorder", quantity: 0, availabilityDate: null, reason };
}
