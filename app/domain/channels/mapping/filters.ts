import type { Gid, Product, Variant } from "../../catalog/types";
import type { Availability, MappedItem } from "../types";
import { DEFAULT_OPTION_VALUE, firstHolding, type CompiledCondition, type CompiledMappingRules } from "./evaluate";

/**
 * The merchant's include and exclude filters and variant granularity: which mapped items go to the
 * channel. Every item left out gets a reason the merchant can read in the fix list.
 */

export interface MappingEntry {
  item: MappedItem;
  product: Product;
  variant: Variant;
}

export interface ExcludedItem {
  itemId: string;
  variantId: Gid;
  reason: string;
}

export interface Selection<E extends MappingEntry> {
  /** Entries that go on to the channel, in input order. */
  kept: E[];
  /** Entries left out, in input order. */
  excluded: ExcludedItem[];
}

/** Availabilities a shopper can order now; "first available" picks the first variant with one. */
const ORDERABLE: ReadonlySet<Availability> = new Set(["in_stock", "preorder"]);

/** Include conditions named in a reason before it is cut short. */
const CONDITIONS_NAMED = 3;

export function selectItems<E extends MappingEntry>(compiled: CompiledMappingRules, entries: readonly E[]): Selection<E> {
  const reasons: (string | null)[] = entries.map((entry) => filterReason(compiled, entry));
  if (compiled.granularity !== "all-variants") {
    for (const group of productGroups(entries, reasons)) chooseOnePerProduct(compiled.granularity, group, entries, reasons);
  }
  const kept: E[] = [];
  const excluded: ExcludedItem[] = [];
  entries.forEach((entry, index) => {
    const reason = reasons[index];
    if (reason) excluded.push({ itemId: entry.item.id, variantId: entry.variant.id, reason });
    else kept.push(entry);
  });
  return { kept, excluded };
}

function filterReason(compiled: CompiledMappingRules, { product, variant, item }: MappingEntry): string | null {
  if (compiled.include.length > 0 && firstHolding(compiled.include, product, variant, item) === null) {
    return `not included: matches none of the include rules (${nameConditions(compiled.include)})`;
  }
  const excludedBy = firstHolding(compiled.exclude, product, variant, item);
  return excludedBy ? `excluded by rule: ${excludedBy.description}` : null;
}

function nameConditions(conditions: readonly CompiledCondition[]): string {
  const named = conditions.slice(0, CONDITIONS_NAMED).map((condition) => condition.description);
  const more = conditions.length - named.length;
  return more > 0 ? `${named.join("; ")}; and ${more} more` : named.join("; ");
}

/** Indexes of the entries still in, grouped by product, in first-seen order. */
function productGroups(entries: readonly MappingEntry[], reasons: readonly (string | null)[]): number[][] {
  const groups = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    if (reasons[index]) return;
    const group = groups.get(entry.product.id);
    if (group) group.push(index);
    else groups.set(entry.product.id, [index]);
  });
  return [...groups.values()];
}

function chooseOnePerProduct(granularity: "first-available" | "cheapest", group: number[], entries: readonly MappingEntry[], reasons: (string | null)[]): void {
  if (group.length < 2) return;
  const byPosition = [...group].sort((a, b) => positionOf(entries, a) - positionOf(entries, b) || a - b);
  const choice = granularity === "cheapest" ? cheapest(byPosition, entries) : firstAvailable(byPosition, entries);
  const chosen = entries[choice.index];
  if (!chosen) return;
  const reason = `one item per product: ${choice.why} (${variantName(chosen)})`;
  for (const index of group) {
    if (index !== choice.index) reasons[index] = reason;
  }
}

function positionOf(entries: readonly MappingEntry[], index: number): number {
  return entries[index]?.variant.position ?? 0;
}

function firstAvailable(byPosition: readonly number[], entries: readonly MappingEntry[]): { index: number; why: string } {
  const available = byPosition.find((index) => {
    const availability = entries[index]?.item.availability;
    return availability !== undefined && ORDERABLE.has(availability);
  });
  if (available !== undefined) return { index: available, why: "kept the first available variant" };
  return { index: byPosition[0] ?? 0, why: "no variant is available, kept the first variant" };
}

/** Lowest price wins; `byPosition` order breaks ties. Items without a readable price come last. */
function cheapest(byPosition: readonly number[], entries: readonly MappingEntry[]): { index: number; why: string } {
  let best = byPosition[0] ?? 0;
  let bestPrice = priceOf(entries[best]);
  for (const index of byPosition) {
    const price = priceOf(entries[index]);
    if (price < bestPrice) {
      best = index;
      bestPrice = price;
    }
  }
  return { index: best, why: "kept the cheapest variant" };
}

function priceOf(entry: MappingEntry | undefined): number {
  const amount = entry?.item.price ? Number(entry.item.price.amount) : Number.NaN;
  return Number.isFinite(amount) ? amount : Number.POSITIVE_INFINITY;
}

/** "Navy / M" as Shopify names the variant; the option values or the item id when it has no name. */
function variantName({ variant, item }: MappingEntry): string {
  if (variant.title && variant.title !== DEFAULT_OPTION_VALUE) return variant.title;
  const values = item.variantAttributes.map((attribute) => attribute.value).filter((value) => value !== "");
  return values.length > 0 ? values.join(" / ") : `item ${item.id}`;
}
