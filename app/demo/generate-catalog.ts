import type {
  BulkInventoryLevelLine,
  BulkMediaImageLine,
  BulkMetafieldLine,
  BulkProductLine,
  BulkSellingPlanGroupLine,
  BulkSellingPlanLine,
  BulkVariantLine,
} from "~/domain/catalog/bulk-jsonl";
import { toGid } from "~/domain/catalog/gid";
import {
  APPAREL_SIZES,
  BEAUTY_SIZES,
  CDN_FILES,
  FAMILIES,
  LOCATIONS,
  OPTION_LOCALES,
  RING_SIZES,
  SHOE_SIZES,
  STORE_DOMAIN,
  TAG_POOL,
  TITLE_ADJECTIVES,
  TITLE_KEYWORDS,
  type FamilySpec,
  type OptionLocale,
  type ProductTypeSpec,
  type VendorSpec,
} from "./catalog-data";
import { gtinCheckDigit } from "~/domain/channels/gtin";
import { createPrng, type Prng } from "./prng";

/**
 * A seeded demo catalog written as Shopify bulk-operation JSONL: the output of CATALOG_BULK_QUERY
 * followed by the output of CATALOG_RELATIONS_BULK_QUERY (see bulk-query.ts), in exactly the line
 * shapes `createBulkCatalogAssembler` reads. Same seed, same bytes.
 *
 * With `relations: "inline"` each product's relations lines follow its own main lines instead, as
 * in one combined export grouped by product: the layout the streaming assembler (bulk-stream.ts)
 * reads in one pass with bounded memory. Both layouts assemble to the same products.
 *
 * It is deliberately as messy as a real store, in known proportions (DEMO_MESS below), so every
 * stage downstream meets the problems it must handle. About 5% of lines are moved up to 3 places
 * earlier within their product's block, so children regularly precede their parents; lines of the
 * same kind under the same parent never pass each other, so media and variant order are kept.
 */

export const DEMO_CATALOG_DEFAULTS = { seed: 20261122, products: 400 } as const;

export interface GenerateCatalogOptions {
  seed: number;
  products: number;
  /** ISO time the catalog is generated "at": pre-order dates lie after it, creation dates before. */
  now: string;
  /**
   * Where each product's CATALOG_RELATIONS_BULK_QUERY lines go: "separate" (default) writes them all
   * after the main query's lines, as the two bulk downloads are; "inline" writes them right after the
   * product's main lines. Only the line order differs (the shuffle falls differently).
   */
  relations?: "separate" | "inline";
}

/**
 * Which products (index `i`, from 0) and variants (running index `v` over the whole catalog) carry
 * which mess. Exported so tests can count exactly what to expect.
 */
export const DEMO_MESS = {
  draft: (i: number) => i % 100 === 1,
  archived: (i: number) => i % 100 === 2,
  allCapsTitle: (i: number) => i % 25 === 3,
  emojiTitle: (i: number) => i % 20 === 5,
  /** Keyword-stuffed titles of more than 200 characters. */
  overlongTitle: (i: number) => i % 40 === 11,
  scriptInDescription: (i: number) => i % 30 === 7,
  entitiesInDescription: (i: number) => i % 8 === 2,
  emptyDescription: (i: number) => i % 37 === 36,
  noCategory: (i: number) => i % 13 === 0,
  soldOut: (i: number) => i % 9 === 2,
  untrackedInventory: (i: number) => i % 23 === 6,
  continueSelling: (i: number) => i % 15 === 0,
  onSale: (i: number) => i % 6 === 1,
  /** A "sale" whose compare-at price is below the price. */
  compareAtBelowPrice: (i: number) => i % 70 === 23,
  preOrder: (i: number) => i % 12 === 4,
  subscription: (i: number) => i % 17 === 9,
  /** Images of 400×400, under most channels' minimum. */
  smallImages: (i: number) => i % 19 === 0,
  video: (i: number) => i % 29 === 0,
  missingBarcode: (v: number) => v % 10 === 0,
  /** An empty string rather than null: Shopify returns both. */
  blankBarcode: (v: number) => v % 20 === 5,
  badCheckDigit: (v: number) => v % 17 === 3,
  duplicateSku: (v: number) => v % 50 === 7,
  blankSku: (v: number) => v % 40 === 19,
  negativeStock: (v: number) => v % 31 === 5,
  /**
   * Marketing copy that passes every check Shelfcast can make but that the channels' own review
   * refuses, as real stores write it: a health claim ("miracle cure") Meta's commerce policy
   * rejects, and a satisfaction guarantee TikTok Shop's audit counts as a prohibited claim. Indices
   * from 47 on, so the small generated catalogs of the golden files and tests stay as they were,
   * and never on products promoted on that channel (tags social:instagram, social:tiktok), which
   * Shelfcast holds back while nothing is reserved for them.
   */
  healthClaim: (i: number) => i % 90 === 47,
  guaranteeClaim: (i: number) => i % 100 === 83,
} as const;

const MAX_VARIANTS = 12;
const SHUFFLE_RATE = 0.05;
const SHUFFLE_WINDOW = 3;
const DAY_MS = 86_400_000;

/** Demo id ranges, shaped like real Shopify ids. */
const ID_BASE = {
  product: 8_200_000_000_000,
  variant: 45_100_000_000_000,
  inventoryItem: 47_300_000_000_000,
  media: 31_400_000_000_000,
  video: 31_900_000_000_000,
  metafield: 26_500_000_000_000,
  inventoryLevel: 121_000_000_000,
  collection: 610_000_000_000,
  sellingPlanGroup: 3_900_000_000,
  sellingPlan: 7_800_000_000,
} as const;

const COLLECTIONS = {
  sale: toGid("Collection", ID_BASE.collection + 10),
  newIn: toGid("Collection", ID_BASE.collection + 11),
  preOrder: toGid("Collection", ID_BASE.collection + 12),
  tiktokPicks: toGid("Collection", ID_BASE.collection + 13),
} as const;

interface Line {
  id: string;
  kind: string;
  parentId: string | null;
  json: object;
}

interface PlanGroup {
  group: BulkSellingPlanGroupLine;
  plans: BulkSellingPlanLine[];
  /** YYYY-MM-DD the pre-order ships, or null when the date is not known yet. */
  releaseDate: string | null;
}

interface Context {
  prng: Prng;
  nowMs: number;
  counters: { variant: number; media: number; metafield: number; level: number };
  handles: Set<string>;
  /** A SKU of an earlier product, reused to make duplicate SKUs. */
  earlierSku: string | null;
  preOrderGroups: PlanGroup[];
  subscriptionGroup: PlanGroup;
}

interface Axis {
  kind: "color" | "size" | "material";
  name: string;
  values: string[];
  /** Swatch hex per value, for colour axes. */
  hex: Map<string, string>;
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(".000Z", "Z");
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function formatCents(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

function asciiFold(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/ß/g, "ss");
}

function slugify(text: string): string {
  return asciiFold(text).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

/** `count` consecutive items from a random start, wrapping around. */
function consecutive<T>(prng: Prng, items: readonly T[], count: number): T[] {
  const start = prng.int(0, items.length - 1);
  return Array.from({ length: Math.min(count, items.length) }, (_, k) => items[(start + k) % items.length] as T);
}

function pickFamily(prng: Prng): FamilySpec {
  const total = FAMILIES.reduce((sum, family) => sum + family.weight, 0);
  let roll = prng.next() * total;
  for (const family of FAMILIES) {
    roll -= family.weight;
    if (roll < 0) return family;
  }
  return FAMILIES[FAMILIES.length - 1] as FamilySpec;
}

// ---------------------------------------------------------------------------------------------
// Selling plan groups (shop level; attached to products in the relations part)

function planGroup(id: number, name: string, merchantCode: string, plan: Omit<BulkSellingPlanLine, "id">, releaseDate: string | null): PlanGroup {
  return {
    group: { id: toGid("SellingPlanGroup", ID_BASE.sellingPlanGroup + id), name, merchantCode },
    plans: [{ id: toGid("SellingPlan", ID_BASE.sellingPlan + id), ...plan }],
    releaseDate,
  };
}

/** Three pre-order waves after `now`, one with the date still unknown. */
function createPreOrderGroups(nowMs: number): PlanGroup[] {
  const today = Math.floor(nowMs / DAY_MS) * DAY_MS;
  const waves = [
    { days: 21, reserve: "ON_FULFILLMENT" },
    { days: 45, reserve: "ON_SALE" },
    { days: 75, reserve: "ON_FULFILLMENT" },
  ];
  const dated = waves.map(({ days, reserve }, k) => {
    const date = isoDate(today + days * DAY_MS);
    return planGroup(k + 1, `Pre-order: ships ${date}`, `preorder-${date}`, {
      name: `Pre-order, ships ${date}`,
      category: "PRE_ORDER",
      deliveryPolicy: { fulfillmentTrigger: "EXACT_TIME", fulfillmentExactTime: isoSeconds(today + days * DAY_MS) },
      inventoryPolicy: { reserve },
    }, date);
  });
  const undated = planGroup(4, "Pre-order: date to be confirmed", "preorder-tbc", {
    name: "Pre-order, ships when available",
    category: "PRE_ORDER",
    deliveryPolicy: { fulfillmentTrigger: "UNKNOWN", fulfillmentExactTime: null },
    inventoryPolicy: { reserve: "ON_FULFILLMENT" },
  }, null);
  return [...dated, undated];
}

/** A recurring delivery policy: only the fixed policy's fields are selected, so it arrives as {}. */
function createSubscriptionGroup(): PlanGroup {
  return planGroup(9, "Subscribe & save", "subscribe-save", {
    name: "Delivered every month, 10% off",
    category: "SUBSCRIPTION",
    deliveryPolicy: {},
    inventoryPolicy: { reserve: "ON_FULFILLMENT" },
  }, null);
}

// ---------------------------------------------------------------------------------------------
// Product text

function titleFor(index: number, base: string, prng: Prng): string {
  if (DEMO_MESS.allCapsTitle(index)) return base.toUpperCase();
  if (DEMO_MESS.emojiTitle(index)) return `✨ ${base} 🌸`;
  if (!DEMO_MESS.overlongTitle(index)) return base;
  let title = base;
  while (title.length <= 200) title += ` | ${prng.pick(TITLE_KEYWORDS)}`;
  return title;
}

function uniqueHandle(ctx: Context, base: string): string {
  const slug = slugify(base);
  let handle = slug;
  for (let n = 1; ctx.handles.has(handle); n += 1) handle = `${slug}-${n}`;
  ctx.handles.add(handle);
  return handle;
}

/** The line a store's copywriter adds that a channel's review refuses (DEMO_MESS.healthClaim / guaranteeClaim). */
const HEALTH_CLAIM: Record<FamilySpec["kind"], string> = {
  apparel: "Customers call it a miracle cure for a rainy Monday.",
  footwear: "Our customers call them a miracle cure for tired feet.",
  jewelry: "A little miracle cure for a grey day.",
  home: "A miracle cure for stress after a long day.",
  beauty: "A miracle cure for dry, tired skin.",
};
const GUARANTEE_CLAIM = "30-day satisfaction guarantee: love it or send it back.";

function claimFor(index: number, kind: FamilySpec["kind"]): string {
  if (DEMO_MESS.healthClaim(index)) return `<p>${HEALTH_CLAIM[kind]}</p>`;
  if (DEMO_MESS.guaranteeClaim(index)) return `<p>${GUARANTEE_CLAIM}</p>`;
  return "";
}

function descriptionFor(index: number, kind: FamilySpec["kind"], title: string, material: string, features: string[]): string {
  if (DEMO_MESS.emptyDescription(index)) return "";
  const list = `<ul>${features.map((feature) => `<li>${feature}</li>`).join("")}</ul>`;
  const claim = claimFor(index, kind);
  if (DEMO_MESS.scriptInDescription(index)) {
    return `<p>${title} in ${material}.</p>${list}${claim}<script>window.dataLayer=window.dataLayer||[];dataLayer.push({event:"view_item"});</script>`;
  }
  if (DEMO_MESS.entitiesInDescription(index)) {
    return `<p><span style="font-weight: 400;" data-mce-fragment="1">${material} &amp; care&nbsp;&ndash; finished by hand in our atelier&hellip;</span></p><p>Caf&eacute; au lait tones. 100&nbsp;% &quot;slow made&quot;.<br>${list}</p>${claim}`;
  }
  return `<p>${title} in ${material}, made to last.</p>${list}${claim}`;
}

function tagsFor(index: number, family: FamilySpec, prng: Prng): string[] {
  const tags = new Set<string>([family.kind]);
  if (index % 4 === 0) tags.add("social:tiktok");
  if (index % 3 === 0) tags.add("social:instagram");
  if (index % 7 === 0) tags.add("campaign:spring-drop");
  if (index % 11 === 0) tags.add("campaign:black-friday");
  if (DEMO_MESS.preOrder(index)) tags.add("pre-order");
  for (let k = prng.int(0, 3); k > 0; k -= 1) tags.add(prng.pick(TAG_POOL));
  return [...tags];
}

// ---------------------------------------------------------------------------------------------
// Options and variants

function axesFor(family: FamilySpec, productType: ProductTypeSpec, locale: OptionLocale, prng: Prng): Axis[] {
  const colorAxis = (count: number): Axis => {
    const colors = consecutive(prng, locale.colors, count);
    return { kind: "color", name: locale.color, values: colors.map((c) => c.name), hex: new Map(colors.map((c) => [c.name, c.hex])) };
  };
  const sizeAxis = (sizes: readonly string[], count: number): Axis => {
    const start = prng.int(0, Math.max(0, sizes.length - count));
    return { kind: "size", name: locale.size, values: sizes.slice(start, start + count), hex: new Map() };
  };
  const materialAxis = (count: number): Axis => ({ kind: "material", name: locale.material, values: consecutive(prng, family.materials, count), hex: new Map() });

  switch (family.kind) {
    case "apparel":
      return [colorAxis(prng.int(1, 4)), sizeAxis(APPAREL_SIZES, prng.int(3, 5))];
    case "footwear":
      return [colorAxis(prng.int(1, 2)), sizeAxis(SHOE_SIZES, prng.int(4, 7))];
    case "jewelry":
      return productType.productType === "Rings" ? [materialAxis(prng.int(1, 3)), sizeAxis(RING_SIZES, 3)] : [materialAxis(prng.int(1, 3))];
    case "home":
      return prng.chance(0.6) ? [colorAxis(prng.int(1, 3))] : [];
    case "beauty":
      return prng.chance(0.7) ? [sizeAxis(BEAUTY_SIZES, prng.int(1, 3))] : [];
  }
}

/** Every combination of option values, in Shopify's order, capped at MAX_VARIANTS. */
function combinations(axes: Axis[]): string[][] {
  let combos: string[][] = [[]];
  for (const axis of axes) combos = combos.flatMap((combo) => axis.values.map((value) => [...combo, value]));
  return combos.slice(0, MAX_VARIANTS);
}

/** Shopify's representation of a product without options. */
const DEFAULT_OPTION = { name: "Title", value: "Default Title" } as const;

function optionsFor(axes: Axis[], combos: string[][]): BulkProductLine["options"] {
  if (axes.length === 0) return [{ name: DEFAULT_OPTION.name, position: 1, values: [DEFAULT_OPTION.value] }];
  // Only values a kept variant uses: the cap may have cut some.
  return axes.map((axis, k) => ({ name: axis.name, position: k + 1, values: axis.values.filter((value) => combos.some((combo) => combo[k] === value)) }));
}

function barcodeFor(v: number, vendor: VendorSpec): string | null {
  if (DEMO_MESS.missingBarcode(v)) return null;
  if (DEMO_MESS.blankBarcode(v)) return "";
  const body = vendor.barcode === "EAN13" ? `40${String(1_000_000_000 + v).slice(-10)}` : `8${String(10_000_000_000 + v).slice(-10)}`;
  const check = gtinCheckDigit(body);
  return `${body}${DEMO_MESS.badCheckDigit(v) ? (check + 1) % 10 : check}`;
}

function skuFor(ctx: Context, v: number, vendor: VendorSpec, index: number, values: string[]): string {
  if (DEMO_MESS.duplicateSku(v) && ctx.earlierSku) return ctx.earlierSku;
  if (DEMO_MESS.blankSku(v)) return "";
  const codes = values.map((value) => asciiFold(value).replace(/[^A-Za-z0-9]/g, "").slice(0, 3).toUpperCase());
  return [vendor.code, String(index).padStart(4, "0"), ...codes].join("-");
}

function priceCentsFor(family: FamilySpec, prng: Prng): number {
  const whole = prng.int(family.priceRange[0], family.priceRange[1]);
  return whole * 100 + prng.pick([0, 0, 95, 99]);
}

function compareAtFor(index: number, priceCents: number): string | null {
  if (DEMO_MESS.compareAtBelowPrice(index)) return formatCents(priceCents - 500);
  if (DEMO_MESS.onSale(index)) return formatCents(Math.round((priceCents * 1.3) / 100) * 100);
  return null;
}

function quantityFor(index: number, v: number, levelIndex: number, prng: Prng): number {
  if (DEMO_MESS.soldOut(index) || DEMO_MESS.preOrder(index) || DEMO_MESS.untrackedInventory(index)) return 0;
  if (levelIndex === 0 && DEMO_MESS.negativeStock(v)) return -prng.int(1, 3);
  return prng.chance(0.25) ? 0 : prng.int(1, 25);
}

// ---------------------------------------------------------------------------------------------
// Lines

function metafieldLine(ctx: Context, parentId: string, namespace: string, key: string, type: string, value: string): Line {
  ctx.counters.metafield += 1;
  const json: BulkMetafieldLine = { id: toGid("Metafield", ID_BASE.metafield + ctx.counters.metafield), namespace, key, type, value };
  return { id: json.id, kind: "Metafield", parentId, json };
}

interface ProductDraft {
  index: number;
  id: string;
  family: FamilySpec;
  vendor: VendorSpec;
  productType: ProductTypeSpec;
  title: string;
  handle: string;
  material: string;
  features: string[];
  createdMs: number;
  tags: string[];
  preOrderGroup: PlanGroup | null;
}

function draftProduct(ctx: Context, index: number): ProductDraft {
  const { prng } = ctx;
  const family = pickFamily(prng);
  const productType = prng.pick(family.productTypes);
  const material = prng.pick(family.materials);
  const base = `${prng.pick(TITLE_ADJECTIVES)} ${prng.chance(0.5) ? `${material} ` : ""}${prng.pick(productType.nouns)}`;
  const preOrderWave = Math.floor(index / 12) % ctx.preOrderGroups.length;
  return {
    index,
    id: toGid("Product", ID_BASE.product + index),
    family,
    vendor: prng.pick(family.vendors),
    productType,
    title: titleFor(index, base, prng),
    handle: uniqueHandle(ctx, base),
    material,
    features: consecutive(prng, family.features, prng.int(2, 4)),
    createdMs: ctx.nowMs - prng.int(30, 900) * DAY_MS - prng.int(0, DAY_MS / 1000) * 1000,
    tags: tagsFor(index, family, prng),
    preOrderGroup: DEMO_MESS.preOrder(index) ? (ctx.preOrderGroups[preOrderWave] ?? null) : null,
  };
}

function statusFor(index: number): BulkProductLine["status"] {
  if (DEMO_MESS.draft(index)) return "DRAFT";
  if (DEMO_MESS.archived(index)) return "ARCHIVED";
  return "ACTIVE";
}

function productLine(ctx: Context, draft: ProductDraft, options: BulkProductLine["options"]): Line {
  const status = statusFor(draft.index);
  const updatedMs = draft.createdMs + ctx.prng.int(0, Math.floor((ctx.nowMs - draft.createdMs) / 1000)) * 1000;
  const json: BulkProductLine = {
    id: draft.id,
    handle: draft.handle,
    title: draft.title,
    descriptionHtml: descriptionFor(draft.index, draft.family.kind, draft.title, draft.material, draft.features),
    vendor: draft.vendor.name,
    productType: draft.productType.productType,
    tags: draft.tags,
    status,
    options,
    onlineStoreUrl: status === "ACTIVE" && draft.index % 26 !== 25 ? `https://${STORE_DOMAIN}/products/${draft.handle}` : null,
    seo: draft.index % 10 === 4 ? { title: `${draft.title} | Shelfcast Demo`, description: `Shop the ${draft.title}.` } : { title: null, description: null },
    category: DEMO_MESS.noCategory(draft.index) ? null : draft.productType.category,
    createdAt: isoSeconds(draft.createdMs),
    updatedAt: isoSeconds(updatedMs),
  };
  return { id: json.id, kind: "Product", parentId: null, json };
}

/** One image per colour plus lifestyle shots; returns the lines and the image URL of each colour. */
function mediaLines(ctx: Context, draft: ProductDraft, colorAxis: Axis | undefined): { lines: Line[]; urlByColor: Map<string, string> } {
  const { prng } = ctx;
  const [width, height] = DEMO_MESS.smallImages(draft.index) ? [400, 400] : prng.pick([[2048, 2048], [1600, 2000], [1200, 1200]] as const);
  const names = [...(colorAxis?.values ?? []).map((color) => slugify(color)), ...Array.from({ length: prng.int(1, colorAxis ? 2 : 4) }, (_, k) => `lifestyle-${k + 1}`)];
  const urlByColor = new Map<string, string>();
  const lines: Line[] = names.map((name, k) => {
    ctx.counters.media += 1;
    const url = `${CDN_FILES}/${draft.handle}-${name}.jpg?v=${1_700_000_000 + ctx.counters.media}`;
    const color = colorAxis?.values[k];
    if (color !== undefined) urlByColor.set(color, url);
    const json: BulkMediaImageLine = {
      id: toGid("MediaImage", ID_BASE.media + ctx.counters.media),
      alt: ctx.counters.media % 4 === 0 ? null : `${draft.title}${color ? ` - ${color}` : ""}`,
      image: { url, width, height },
    };
    return { id: json.id, kind: "MediaImage", parentId: draft.id, json };
  });
  if (DEMO_MESS.video(draft.index)) {
    const id = toGid("Video", ID_BASE.video + draft.index);
    lines.push({ id, kind: "Video", parentId: draft.id, json: { id, alt: null } });
  }
  return { lines, urlByColor };
}

function inventoryLevelLines(ctx: Context, draft: ProductDraft, variantId: string, inventoryItemNumber: number, v: number, locationCount: number): Line[] {
  return LOCATIONS.slice(0, locationCount).map((location, levelIndex) => {
    ctx.counters.level += 1;
    const json: BulkInventoryLevelLine = {
      id: `${toGid("InventoryLevel", ID_BASE.inventoryLevel + ctx.counters.level)}?inventory_item_id=${inventoryItemNumber}`,
      location: { id: location.id, name: location.name },
      quantities: [{ name: "available", quantity: quantityFor(draft.index, v, levelIndex, ctx.prng) }],
    };
    return { id: json.id, kind: "InventoryLevel", parentId: variantId, json };
  });
}

function variantMetafieldLines(ctx: Context, draft: ProductDraft, variantId: string, axes: Axis[], values: string[]): Line[] {
  const lines: Line[] = [];
  axes.forEach((axis, k) => {
    const hex = axis.hex.get(values[k] ?? "");
    if (hex) lines.push(metafieldLine(ctx, variantId, "custom", "swatch", "color", hex));
    const millilitres = axis.kind === "size" && draft.family.kind === "beauty" ? Number.parseInt(values[k] ?? "", 10) : NaN;
    if (!Number.isNaN(millilitres)) lines.push(metafieldLine(ctx, variantId, "custom", "volume", "volume", JSON.stringify({ value: millilitres, unit: "ml" })));
  });
  if (draft.family.kind === "home") {
    lines.push(metafieldLine(ctx, variantId, "custom", "width", "dimension", JSON.stringify({ value: ctx.prng.int(30, 60), unit: "cm" })));
  }
  return lines;
}

function inventoryPolicyFor(draft: ProductDraft): BulkVariantLine["inventoryPolicy"] {
  // Every third pre-order product keeps DENY: a plan it cannot actually sell on.
  if (draft.preOrderGroup) return draft.index % 36 === 28 ? "DENY" : "CONTINUE";
  return DEMO_MESS.continueSelling(draft.index) ? "CONTINUE" : "DENY";
}

function variantLines(ctx: Context, draft: ProductDraft, axes: Axis[], combos: string[][], urlByColor: Map<string, string>): Line[] {
  const { prng } = ctx;
  const basePriceCents = priceCentsFor(draft.family, prng);
  const locationCount = prng.int(2, 3);
  const weightValue = draft.index % 33 === 32 ? null : round(draft.family.weightRange[0] + prng.next() * (draft.family.weightRange[1] - draft.family.weightRange[0]), 2);
  const colorIndex = axes.findIndex((axis) => axis.kind === "color");
  const rows = axes.length === 0 ? [[DEFAULT_OPTION.value]] : combos;
  const lines: Line[] = [];
  let firstSku: string | null = null;
  rows.forEach((values, k) => {
    const v = ctx.counters.variant;
    ctx.counters.variant += 1;
    // The biggest sizes cost a little more, as in many apparel stores.
    const priceCents = basePriceCents + (values.some((value) => value === "XL" || value === "XXL") ? 500 : 0);
    const imageUrl = colorIndex >= 0 ? urlByColor.get(values[colorIndex] ?? "") : undefined;
    const sku = skuFor(ctx, v, draft.vendor, draft.index, values);
    firstSku ??= sku || null;
    const json: BulkVariantLine = {
      id: toGid("ProductVariant", ID_BASE.variant + v),
      title: values.join(" / "),
      sku,
      barcode: barcodeFor(v, draft.vendor),
      position: k + 1,
      price: formatCents(priceCents),
      compareAtPrice: compareAtFor(draft.index, priceCents),
      selectedOptions: axes.length === 0 ? [{ ...DEFAULT_OPTION }] : axes.map((axis, a) => ({ name: axis.name, value: values[a] ?? "" })),
      image: imageUrl ? { url: imageUrl } : null,
      inventoryPolicy: inventoryPolicyFor(draft),
      inventoryItem: {
        id: toGid("InventoryItem", ID_BASE.inventoryItem + v),
        tracked: !DEMO_MESS.untrackedInventory(draft.index),
        countryCodeOfOrigin: draft.index % 7 === 3 ? null : draft.vendor.countryOfOrigin,
        harmonizedSystemCode: draft.index % 5 === 4 ? null : draft.family.harmonizedSystemCode,
        measurement: { weight: weightValue === null ? null : { value: weightValue, unit: draft.family.weightUnit } },
      },
    };
    lines.push({ id: json.id, kind: "ProductVariant", parentId: draft.id, json });
    lines.push(...inventoryLevelLines(ctx, draft, json.id, ID_BASE.inventoryItem + v, v, locationCount));
    lines.push(...variantMetafieldLines(ctx, draft, json.id, axes, values));
  });
  if (firstSku) ctx.earlierSku = firstSku;
  return lines;
}

/** Lines of CATALOG_BULK_QUERY for one product. */
function mainLines(ctx: Context, draft: ProductDraft): Line[] {
  const axes = axesFor(draft.family, draft.productType, OPTION_LOCALES[draft.index % OPTION_LOCALES.length] as OptionLocale, ctx.prng);
  const combos = combinations(axes);
  const media = mediaLines(ctx, draft, axes.find((axis) => axis.kind === "color"));
  return [productLine(ctx, draft, optionsFor(axes, combos)), ...media.lines, ...variantLines(ctx, draft, axes, combos, media.urlByColor)];
}

function productMetafieldLines(ctx: Context, draft: ProductDraft): Line[] {
  const { prng } = ctx;
  const { id, family, index } = draft;
  const lines = [
    metafieldLine(ctx, id, "custom", "material", "single_line_text_field", draft.material),
    metafieldLine(ctx, id, "custom", "launch_date", "date", isoDate(draft.createdMs)),
    metafieldLine(ctx, id, "custom", "features", "list.single_line_text_field", JSON.stringify(draft.features)),
  ];
  if (family.kind === "apparel" || family.kind === "footwear") {
    lines.push(metafieldLine(ctx, id, "custom", "care_guide", "multi_line_text_field", "Machine wash cold, 30°C\nDo not tumble dry\nIron on low heat"));
  }
  if (index % 3 === 0) {
    const kilograms = family.weightUnit === "GRAMS" ? round(family.weightRange[1] / 1000, 3) : family.weightRange[1];
    lines.push(metafieldLine(ctx, id, "custom", "weight_kg", "weight", JSON.stringify({ value: kilograms, unit: "kg" })));
  }
  if (index % 4 === 1) {
    const specs = { fit: prng.pick(["relaxed", "regular", "slim"]), origin: draft.vendor.countryOfOrigin, certifications: index % 8 === 1 ? ["OEKO-TEX", "GOTS"] : [] };
    lines.push(metafieldLine(ctx, id, "custom", "specs", "json", JSON.stringify(specs)));
  }
  if (index % 5 === 2) lines.push(metafieldLine(ctx, id, "custom", "gift", "boolean", index % 10 === 2 ? "true" : "false"));
  if (index % 6 === 0) {
    lines.push(metafieldLine(ctx, id, "reviews", "rating", "rating", JSON.stringify({ value: String(round(3 + prng.next() * 2, 1)), scale_min: "1.0", scale_max: "5.0" })));
  }
  if (draft.preOrderGroup?.releaseDate) {
    lines.push(metafieldLine(ctx, id, "shelfcast", "preorder_release", "date", draft.preOrderGroup.releaseDate));
  }
  return lines;
}

function collectionIdsFor(draft: ProductDraft): string[] {
  const ids = [toGid("Collection", ID_BASE.collection + 1 + FAMILIES.indexOf(draft.family))];
  if (DEMO_MESS.onSale(draft.index)) ids.push(COLLECTIONS.sale);
  if (draft.index % 5 === 0) ids.push(COLLECTIONS.newIn);
  if (draft.preOrderGroup) ids.push(COLLECTIONS.preOrder);
  if (draft.tags.includes("social:tiktok")) ids.push(COLLECTIONS.tiktokPicks);
  return ids;
}

function planGroupLines(productId: string, planGroupSpec: PlanGroup): Line[] {
  const { group, plans } = planGroupSpec;
  return [
    { id: group.id, kind: "SellingPlanGroup", parentId: productId, json: group },
    ...plans.map((plan) => ({ id: plan.id, kind: "SellingPlan", parentId: group.id, json: plan })),
  ];
}

/** Lines of CATALOG_RELATIONS_BULK_QUERY for one product. */
function relationLines(ctx: Context, draft: ProductDraft): Line[] {
  const groups = [draft.preOrderGroup, DEMO_MESS.subscription(draft.index) ? ctx.subscriptionGroup : null].filter((group): group is PlanGroup => group !== null);
  return [
    { id: draft.id, kind: "Product", parentId: null, json: { id: draft.id } },
    ...productMetafieldLines(ctx, draft),
    ...collectionIdsFor(draft).map((id): Line => ({ id, kind: "Collection", parentId: draft.id, json: { id } })),
    ...groups.flatMap((group) => planGroupLines(draft.id, group)),
  ];
}

// ---------------------------------------------------------------------------------------------
// Ordering and output

/** Same kind under the same parent: their relative order is the connection's order. */
function areSiblings(a: Line, b: Line): boolean {
  return a.kind === b.kind && a.parentId === b.parentId;
}

/** Moves ~5% of lines up to SHUFFLE_WINDOW places earlier, never past a sibling. */
function shuffleBlock(lines: Line[], prng: Prng): Line[] {
  const block = [...lines];
  for (let i = 1; i < block.length; i += 1) {
    if (!prng.chance(SHUFFLE_RATE)) continue;
    for (let j = i, steps = prng.int(1, SHUFFLE_WINDOW); steps > 0 && j > 0; steps -= 1, j -= 1) {
      const [earlier, later] = [block[j - 1] as Line, block[j] as Line];
      if (areSiblings(earlier, later)) break;
      [block[j - 1], block[j]] = [later, earlier];
    }
  }
  return block;
}

function serialize(line: Line): string {
  return JSON.stringify(line.parentId === null ? line.json : { ...line.json, __parentId: line.parentId });
}

function createContext(options: GenerateCatalogOptions): Context {
  const nowMs = Date.parse(options.now);
  if (Number.isNaN(nowMs)) throw new RangeError(`now must be an ISO date-time, got ${JSON.stringify(options.now)}`);
  if (!Number.isInteger(options.products) || options.products < 0) throw new RangeError(`products must be a whole number >= 0`);
  if (options.relations !== undefined && options.relations !== "separate" && options.relations !== "inline") {
    throw new RangeError(`relations must be "separate" or "inline", got ${JSON.stringify(options.relations)}`);
  }
  return {
    prng: createPrng(options.seed),
    nowMs,
    counters: { variant: 0, media: 0, metafield: 0, level: 0 },
    handles: new Set(),
    earlierSku: null,
    preOrderGroups: createPreOrderGroups(nowMs),
    subscriptionGroup: createSubscriptionGroup(),
  };
}

export function* generateCatalogJsonl(options: GenerateCatalogOptions): Generator<string> {
  const ctx = createContext(options);
  // A separate stream, so the shuffle does not change the data drawn from the main one.
  const shuffle = createPrng(options.seed ^ 0x9e3779b9);
  const inline = options.relations === "inline";
  // Held to the end in the separate layout only: inline output holds no lines between products.
  const relationBlocks: Line[][] = [];
  for (let index = 0; index < options.products; index += 1) {
    const draft = draftProduct(ctx, index);
    yield* shuffleBlock(mainLines(ctx, draft), shuffle).map(serialize);
    // Built here in both layouts: it draws from the main stream, so the data must not depend on the layout.
    const relations = relationLines(ctx, draft);
    if (inline) yield* shuffleBlock(relations, shuffle).map(serialize);
    else relationBlocks.push(relations);
  }
  for (const block of relationBlocks) yield* shuffleBlock(block, shuffle).map(serialize);
}
