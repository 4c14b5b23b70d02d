import { CUSTOM_LABEL_COUNT, type ImageRef, type MappedItem } from "../types";
import { describeCondition } from "./evaluate";
import { GRANULARITY_OPTIONS, MAPPABLE_FIELDS, type Condition, type FieldRule, type Granularity, type MappingRules } from "./schema";

/**
 * What a change to the mapping rules does, for the "what changes" panel before saving: field by
 * field differences of a mapped item, and a short description of the rule edits themselves.
 */

export interface ItemFieldChange {
  /** The item field ("title", "price", "customLabel0"). */
  field: string;
  before: string | null;
  after: string | null;
}

type Shown = string | null;

const imageText = (image: ImageRef): string => image.url;

/** How each item field reads in the panel; also fixes the order fields are listed in. */
const ITEM_FIELD_TEXT: Record<Exclude<keyof MappedItem, "customLabels">, (item: MappedItem) => Shown> = {
  id: (item) => item.id,
  groupId: (item) => item.groupId,
  productId: (item) => item.productId,
  variantId: (item) => item.variantId,
  handle: (item) => item.handle,
  sku: (item) => item.sku,
  title: (item) => item.title,
  description: (item) => item.description,
  richDescription: (item) => item.richDescription,
  link: (item) => item.link,
  image: (item) => (item.image ? imageText(item.image) : null),
  additionalImages: (item) => joined(item.additionalImages.map(imageText)),
  price: (item) => (item.price ? `${item.price.amount} ${item.price.currencyCode}` : null),
  salePrice: (item) => (item.salePrice ? `${item.salePrice.amount} ${item.salePrice.currencyCode}` : null),
  salePriceEffectiveDate: (item) => item.salePriceEffectiveDate,
  availability: (item) => item.availability,
  availabilityDate: (item) => item.availabilityDate,
  quantity: (item) => (item.quantity === null ? null : String(item.quantity)),
  brand: (item) => item.brand,
  gtin: (item) => item.gtin,
  mpn: (item) => item.mpn,
  condition: (item) => item.condition,
  color: (item) => item.color,
  size: (item) => item.size,
  material: (item) => item.material,
  pattern: (item) => item.pattern,
  gender: (item) => item.gender,
  ageGroup: (item) => item.ageGroup,
  variantAttributes: (item) => joined(item.variantAttributes.map((attribute) => `${attribute.name}: ${attribute.value}`)),
  googleProductCategory: (item) => item.googleProductCategory,
  shopifyCategoryId: (item) => item.shopifyCategoryId,
  productType: (item) => item.productType,
  channelCategoryId: (item) => item.channelCategoryId,
  packageDimensions: (item) => item.packageDimensions,
  shippingWeight: (item) => (item.shippingWeight ? `${item.shippingWeight.value} ${item.shippingWeight.unit}` : null),
  status: (item) => item.status,
  originCountry: (item) => item.originCountry,
  tags: (item) => joined(item.tags),
  vendor: (item) => item.vendor,
};

const ITEM_FIELDS = Object.keys(ITEM_FIELD_TEXT) as (keyof typeof ITEM_FIELD_TEXT)[];

function joined(values: readonly string[]): Shown {
  return values.length > 0 ? values.join(", ") : null;
}

/**
 * The fields that differ between two versions of an item, in a fixed order (custom labels last, as
 * customLabel0..4). Values are compared whole, so a changed image size or list order counts.
 */
export function diffItems(before: MappedItem, after: MappedItem): ItemFieldChange[] {
  const changes: ItemFieldChange[] = [];
  for (const field of ITEM_FIELDS) {
    if (sameValue(before[field], after[field])) continue;
    const show = ITEM_FIELD_TEXT[field];
    let shownBefore = show(before);
    let shownAfter = show(after);
    if (shownBefore === shownAfter) {
      // The difference is in a detail the short form leaves out (an image's size): show everything.
      shownBefore = stableJson(before[field]);
      shownAfter = stableJson(after[field]);
    }
    changes.push({ field, before: shownBefore, after: shownAfter });
  }
  const labels = Math.max(CUSTOM_LABEL_COUNT, before.customLabels.length, after.customLabels.length);
  for (let index = 0; index < labels; index += 1) {
    const was = before.customLabels[index] ?? null;
    const now = after.customLabels[index] ?? null;
    if (was !== now) changes.push({ field: `customLabel${index}`, before: was, after: now });
  }
  return changes;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return stableJson(a) === stableJson(b);
}

/** JSON with object keys sorted, so two equal values always serialise alike. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) => {
    if (typeof inner !== "object" || inner === null || Array.isArray(inner)) return inner;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(inner).sort()) sorted[key] = (inner as Record<string, unknown>)[key];
    return sorted;
  });
}

// ---------------------------------------------------------------------------------------------
// Rule changes in words
// ---------------------------------------------------------------------------------------------

/** Filter edits listed one by one before the rest are counted. */
const FILTER_CHANGES_LISTED = 5;

/**
 * Short sentences for the "what changes" panel ("Title: 1 rule added", "New exclude filter: tag has
 * \"no-social\""); empty when the two rule sets do the same thing. Either side may be null (no rules).
 */
export function describeRulesChange(before: MappingRules | null, after: MappingRules | null): string[] {
  const sentences: string[] = [];
  for (const { field, label } of MAPPABLE_FIELDS) {
    const sentence = describeFieldChange(label, before?.fields?.[field] ?? [], after?.fields?.[field] ?? []);
    if (sentence) sentences.push(sentence);
  }
  sentences.push(...describeFilterChange("include", before?.include ?? [], after?.include ?? []));
  sentences.push(...describeFilterChange("exclude", before?.exclude ?? [], after?.exclude ?? []));
  const granularityBefore = before?.granularity ?? "all-variants";
  const granularityAfter = after?.granularity ?? "all-variants";
  if (granularityBefore !== granularityAfter) {
    sentences.push(`Variants: ${granularityLabel(granularityAfter)} (was: ${granularityLabel(granularityBefore)})`);
  }
  return sentences;
}

function granularityLabel(granularity: Granularity): string {
  return GRANULARITY_OPTIONS.find((option) => option.value === granularity)?.label.toLowerCase() ?? granularity;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Values of `a` not matched one-for-one by an equal value of `b`. */
function unmatched<T>(a: readonly T[], b: readonly T[]): T[] {
  const remaining = new Map<string, number>();
  for (const value of b) {
    const key = stableJson(value);
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  return a.filter((value) => {
    const key = stableJson(value);
    const left = remaining.get(key) ?? 0;
    if (left === 0) return true;
    remaining.set(key, left - 1);
    return false;
  });
}

function describeFieldChange(label: string, before: readonly FieldRule[], after: readonly FieldRule[]): string | null {
  if (before.length === 0 && after.length === 0) return null;
  if (after.length === 0) return `${label}: ${plural(before.length, "rule")} removed, Shelfcast's default applies again`;
  if (before.length === 0) return `${label}: ${plural(after.length, "rule")} added`;
  const gone = unmatched(before, after).length;
  const fresh = unmatched(after, before).length;
  const changed = Math.min(gone, fresh);
  const counts: [number, string][] = [
    [fresh - changed, "added"],
    [changed, "changed"],
    [gone - changed, "removed"],
  ];
  const parts = counts.filter(([count]) => count > 0);
  if (parts.length === 0) {
    return stableJson(before) === stableJson(after) ? null : `${label}: rules reordered (the first rule that applies wins)`;
  }
  return `${label}: ${parts.map(([count, verb], index) => (index === 0 ? `${plural(count, "rule")} ${verb}` : `${count} ${verb}`)).join(", ")}`;
}

function describeFilterChange(kind: "include" | "exclude", before: readonly Condition[], after: readonly Condition[]): string[] {
  const name = kind === "include" ? "include filter" : "exclude filter";
  const sentences = [
    ...unmatched(after, before).map((condition) => `New ${name}: ${describeCondition(condition)}`),
    ...unmatched(before, after).map((condition) => `${name[0]?.toUpperCase()}${name.slice(1)} removed: ${describeCondition(condition)}`),
  ];
  if (sentences.length <= FILTER_CHANGES_LISTED) return sentences;
  const more = sentences.length - FILTER_CHANGES_LISTED;
  return [...sentences.slice(0, FILTER_CHANGES_LISTED), `…and ${plural(more, `more ${name} change`)}`];
}
