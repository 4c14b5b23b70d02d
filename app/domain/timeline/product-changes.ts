import { stableStringify } from "../catalog/content-hash";
import type { Product, Variant } from "../catalog/types";
import type { NewProductEvent } from "./events";

/**
 * The timeline event for a product the snapshot took in: added, changed (naming what changed where
 * that is cheap to see: price, stock, title, status, variants) or deleted. Pure: the caller passes
 * the stored version (null when new), the incoming one (null when deleted) and `at`.
 */
export interface ProductChange {
  field: string;
  variantId?: string;
  variantTitle?: string;
  before?: string | number | null;
  after?: string | number | null;
}

/** How many changes the one-line summary names before "and N more". */
const SUMMARY_CHANGES = 4;

/** Product fields worth naming when they change, in the words of Shopify Admin. */
const PRODUCT_FIELDS: [keyof Product, string][] = [
  ["descriptionHtml", "description"],
  ["vendor", "vendor"],
  ["productType", "product type"],
  ["category", "category"],
  ["tags", "tags"],
  ["options", "options"],
  ["media", "images"],
  ["handle", "handle"],
  ["seo", "SEO"],
  ["collectionIds", "collections"],
  ["metafields", "metafields"],
  ["sellingPlanGroups", "selling plans"],
  ["onlineStoreUrl", "online store URL"],
];

const VARIANT_FIELDS: [keyof Variant, string][] = [
  ["compareAtPrice", "compare-at price"],
  ["sku", "SKU"],
  ["barcode", "barcode"],
  ["inventoryPolicy", "when sold out"],
  ["selectedOptions", "options"],
  ["imageId", "image"],
  ["weight", "weight"],
  ["metafields", "metafields"],
  ["sellingPlanGroupIds", "selling plans"],
  ["marketPrices", "market prices"],
];

const STATUS_WORDS: Record<string, string> = { ACTIVE: "Active", DRAFT: "Draft", ARCHIVED: "Archived", UNLISTED: "Unlisted" };

/** Equal as the content hash sees it: a stored product comes back from JSONB with its keys reordered. */
function same(a: unknown, b: unknown): boolean {
  return a === b || stableStringify(a) === stableStringify(b);
}

function formatAmount(amount: string, currency: string | null): string {
  return currency ? `${amount} ${currency}` : amount;
}

/** The changes between two versions of a product, product fields first, then variant by variant. */
export function listProductChanges(before: Product, after: Product): ProductChange[] {
  const changes: ProductChange[] = [];
  if (before.title !== after.title) changes.push({ field: "title", before: before.title, after: after.title });
  if (before.status !== after.status) changes.push({ field: "status", before: before.status, after: after.status });
  for (const [key, label] of PRODUCT_FIELDS) if (!same(before[key], after[key])) changes.push({ field: label });

  const previous = new Map(before.variants.map((variant) => [variant.id, variant]));
  const current = new Set(after.variants.map((variant) => variant.id));
  for (const variant of after.variants) {
    const old = previous.get(variant.id);
    const about = { variantId: variant.id, variantTitle: variant.title };
    if (!old) {
      changes.push({ field: "variant added", ...about });
      continue;
    }
    if (old.price !== variant.price) changes.push({ field: "price", ...about, before: old.price, after: variant.price });
    if (old.availableQuantity !== variant.availableQuantity) changes.push({ field: "stock", ...about, before: old.availableQuantity, after: variant.availableQuantity });
    if (old.title !== variant.title) changes.push({ field: "variant title", ...about, before: old.title, after: variant.title });
    for (const [key, label] of VARIANT_FIELDS) if (!same(old[key], variant[key])) changes.push({ field: label, ...about });
    // Stock per location moves without the total moving (a transfer): still a change the channels may see.
    if (old.availableQuantity === variant.availableQuantity && !same(old.inventoryItem, variant.inventoryItem)) changes.push({ field: "inventory", ...about });
  }
  for (const old of before.variants) if (!current.has(old.id)) changes.push({ field: "variant removed", variantId: old.id, variantTitle: old.title });
  return changes;
}

function describeChange(change: ProductChange, currency: string | null, variantCount: number): string {
  const where = change.variantTitle && variantCount > 1 ? ` (${change.variantTitle})` : "";
  switch (change.field) {
    case "title":
      return `title “${String(change.before)}” → “${String(change.after)}”`;
    case "status":
      return `status ${STATUS_WORDS[String(change.before)] ?? String(change.before)} → ${STATUS_WORDS[String(change.after)] ?? String(change.after)}`;
    case "price":
      return `price ${String(change.before)} → ${formatAmount(String(change.after), currency)}${where}`;
    case "stock":
      return `stock ${String(change.before)} → ${String(change.after)}${where}`;
    case "variant added":
    case "variant removed":
      return `${change.field}: ${change.variantTitle ?? change.variantId ?? "?"}`;
    default:
      return `${change.field}${where}`;
  }
}

/** "price 25.00 → 19.50 USD (Medium); stock 5 → 0 (Large); description; and 2 more". */
export function summarizeChanges(changes: readonly ProductChange[], currency: string | null, variantCount: number): string {
  if (changes.length === 0) return "no visible change";
  // The same field on many variants reads better once: "price (4 variants)".
  const byField = new Map<string, ProductChange[]>();
  for (const change of changes) byField.set(change.field, [...(byField.get(change.field) ?? []), change]);
  const parts: string[] = [];
  for (const [field, group] of byField) {
    if (group.length > 2 && group[0]?.variantId) parts.push(`${field} (${group.length} variants)`);
    else for (const change of group) parts.push(describeChange(change, currency, variantCount));
  }
  const shown = parts.slice(0, SUMMARY_CHANGES);
  return parts.length > SUMMARY_CHANGES ? `${shown.join("; ")}; and ${parts.length - SUMMARY_CHANGES} more` : shown.join("; ");
}

function stockLine(product: Product): string {
  const variants = product.variants.length;
  const stock = product.variants.reduce((sum, variant) => sum + Math.max(0, variant.availableQuantity), 0);
  return `${variants} ${variants === 1 ? "variant" : "variants"}, ${stock} in stock`;
}

export interface DescribeOptions {
  at: Date;
  /** The shop's currency, for prices in summaries; null leaves amounts bare. */
  currency: string | null;
}

/**
 * The event for one product the snapshot took in. `before` null: new to the snapshot (a first sync
 * finds every product "added"). `after` null: deleted in Shopify. Null when nothing visible changed.
 */
export function describeProductChange(before: Product | null, after: Product | null, options: DescribeOptions): NewProductEvent | null {
  if (after === null) return before === null ? null : (describeRemovals([before], options.at)[0] ?? null);
  if (before === null) {
    return {
      productId: after.id,
      at: options.at,
      kind: "shopify.created",
      summary: `Added from Shopify: “${after.title}” (${stockLine(after)})`,
      details: { title: after.title, status: after.status, variants: after.variants.length, shopifyUpdatedAt: after.updatedAt },
    };
  }
  const changes = listProductChanges(before, after);
  if (changes.length === 0) return null;
  const variantIds = [...new Set(changes.flatMap((change) => (change.variantId ? [change.variantId] : [])))];
  // A product-level change concerns every variant; otherwise name the variants for the variant filter.
  const productLevel = changes.some((change) => !change.variantId);
  const details: Record<string, unknown> = { changes, shopifyUpdatedAt: after.updatedAt };
  if (!productLevel) details.variantIds = variantIds;
  return {
    productId: after.id,
    variantId: !productLevel && variantIds.length === 1 ? variantIds[0] : null,
    at: options.at,
    kind: "shopify.updated",
    summary: `Changed in Shopify: ${summarizeChanges(changes, options.currency, after.variants.length)}`,
    details,
  };
}

/**
 * The events of one write to the snapshot: `written` are the products being stored, `previous` the
 * stored versions of those that already existed (the others are new). Products whose change is not
 * visible (only fields no summary names) still get an event: their content hash moved.
 */
export function describeSnapshotWrites(previous: ReadonlyMap<string, Product>, written: readonly Product[], options: DescribeOptions): NewProductEvent[] {
  return written.flatMap((product) => {
    const event = describeProductChange(previous.get(product.id) ?? null, product, options);
    if (event) return [event];
    return [{ productId: product.id, at: options.at, kind: "shopify.updated" as const, summary: "Changed in Shopify (details Shelfcast does not show)", details: { shopifyUpdatedAt: product.updatedAt } }];
  });
}

/** Events for products removed from the snapshot because Shopify no longer has them. */
export function describeRemovals(removed: readonly { id: string; title: string }[], at: Date): NewProductEvent[] {
  return removed.map((product) => ({ productId: product.id, at, kind: "shopify.deleted" as const, summary: `Deleted in Shopify: “${product.title}”`, details: { title: product.title } }));
}
