/**
 * TikTok Shop (Partner API 202309): ONE record per product, keyed by the group id, whose fields are
 * the body of `POST /product/202309/products` as far as it can be known offline. The publish step
 * completes it before sending:
 *   - main_images[] holds `{ source_url }`: the publish step uploads each image (images/upload,
 *     use_case MAIN_IMAGE), caches the returned `uri` and sends `{ uri }` instead;
 *   - brand holds `{ name }`: the publish step resolves it to `brand_id` (Get Brands / Create Custom
 *     Brand) and removes it;
 *   - skus[].inventory[] holds `{ quantity }`: the publish step adds `warehouse_id` (location →
 *     warehouse map);
 *   - category_id's leaf check needs TikTok's category tree, fetched when a shop connects: pass the
 *     leaf ids as the spec's leafCategoryIds to check them here, else only the id's form is checked.
 * Descriptions carry no images: TikTok accepts only images hosted by TikTok there, so images are
 * dropped (with a warning) rather than re-hosted.
 *
 * A SKU with an error is left out of skus[] (its diagnostics say why); a product-level error (no
 * category, no usable image, title, weight, too many SKUs…) leaves the whole product out. A full edit
 * replaces the SKU list, so the publish step must not send an edit that drops a live SKU by accident.
 */
import type { Money } from "../../catalog/types";
import {
  checkBarcode,
  checkImage,
  checkLength,
  checkMoney,
  checkTitle,
  checkVariantGroup,
  compareDecimal,
  imageLimits,
  reportMissing,
  Reporter,
  TextScanner,
  type ImageLimits,
} from "../checks";
import { TIKTOK_SHOP_SPEC, tiktokMarketRules, type TikTokMarketRules, type TikTokShopSpec } from "../specs";
import { sanitizeRichHtml, TIKTOK_DESCRIPTION_TAGS } from "../text";
import type { ChannelAdapter, ChannelContext, ChannelRecord, Diagnostic, ImageRef, MappedItem } from "../types";

export interface TikTokPrice {
  amount: string;
  currency: string;
}

export interface TikTokSku {
  seller_sku?: string;
  external_sku_id: string;
  price: TikTokPrice;
  inventory: { quantity: number }[];
  sales_attributes: { name: string; value_name: string }[];
  identifier_code?: { type: string; code: string };
  pre_sale?: { type: string; fulfillment_type: { release_date: number } };
}

/** A type alias (not an interface) so it is assignable to ChannelRecord's Record<string, unknown>. */
export type TikTokProductPayload = {
  title: string;
  description: string;
  category_id: string;
  brand?: { name: string };
  main_images: { source_url: string }[];
  skus: TikTokSku[];
  package_weight: { value: string; unit: string };
  package_dimensions?: { length: string; width: string; height: string; unit: string };
  external_product_id: string;
};

const SANITIZE_OPTIONS = { flattenNesting: true, allowImages: false } as const;
const IMAGE_TAG = /<img[\s/>]/i;
const HTML_SPECIAL = /[&<>]/g;
const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };
const LINE_BREAKS = /\n+/;

/** Plain text as paragraphs, for products without a rich description. */
function plainToParagraphs(text: string): string {
  return text
    .split(LINE_BREAKS)
    .filter((line) => line.trim() !== "")
    .map((line) => `<p>${line.replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c] ?? c)}</p>`)
    .join("");
}

// ---------------------------------------------------------------------------------------------
// Package weight and dimensions

const KILOGRAMS_PER_POUND = 0.45359237;
const TO_KILOGRAMS: Record<string, number> = { g: 0.001, kg: 1, oz: KILOGRAMS_PER_POUND / 16, lb: KILOGRAMS_PER_POUND };
const TO_CENTIMETRES: Record<string, number> = { mm: 0.1, cm: 1, m: 100, in: 2.54, inch: 2.54, inches: 2.54, '"': 2.54 };
const IMPERIAL_UNITS: ReadonlySet<string> = new Set(["oz", "lb", "in", "inch", "inches", '"']);
const NUMBER = "(\\d+(?:[.,]\\d+)?)";
const BY = "\\s*[x×*]\\s*";
const DIMENSIONS = new RegExp(`^\\s*${NUMBER}${BY}${NUMBER}${BY}${NUMBER}\\s*(mm|cm|m|inches|inch|in|")\\s*$`, "i");

interface ParsedDimensions {
  centimetres: [number, number, number];
  unit: string;
}

function parseDimensions(text: string): ParsedDimensions | null {
  const match = DIMENSIONS.exec(text);
  if (!match) return null;
  const unit = (match[4] ?? "").toLowerCase();
  const factor = TO_CENTIMETRES[unit];
  if (factor === undefined) return null;
  const sides = [match[1], match[2], match[3]].map((side) => Number((side ?? "").replace(",", ".")) * factor);
  if (sides.some((side) => !(side > 0))) return null;
  return { centimetres: [sides[0] ?? 0, sides[1] ?? 0, sides[2] ?? 0], unit };
}

/** Rounds up to 3 decimals ("0.001"): a package weight must stay above zero. */
function weightText(value: number): string {
  return String(Math.ceil(value * 1000 - 1e-9) / 1000);
}

interface PackageUnits {
  weight: string;
  dimension: string;
  /** Kilograms or centimetres → the chosen unit. */
  weightFactor: number;
  lengthFactor: number;
}

/**
 * CENTIMETER + KILOGRAM, or INCH + POUND where the market allows it and the merchant measures in
 * imperial units: TikTok rejects a product whose weight and dimension units do not pair up.
 */
function packageUnits(spec: TikTokShopSpec, market: TikTokMarketRules, weightUnit: string | null, dimensionUnit: string | null): PackageUnits {
  const imperial = market.imperialUnits && IMPERIAL_UNITS.has(dimensionUnit ?? weightUnit ?? "");
  return imperial
    ? { ...spec.units.imperial, weightFactor: 1 / KILOGRAMS_PER_POUND, lengthFactor: 1 / 2.54 }
    : { ...spec.units.metric, weightFactor: 1, lengthFactor: 1 };
}

/** The heaviest variant's weight in kilograms (a package must hold any of them), with its Shopify unit. */
function heaviest(items: readonly MappedItem[]): { kilograms: number; unit: string } | null {
  let best: { kilograms: number; unit: string } | null = null;
  for (const item of items) {
    const weight = item.shippingWeight;
    if (!weight) continue;
    const kilograms = weight.value * (TO_KILOGRAMS[weight.unit] ?? 0);
    if (kilograms > 0 && (!best || kilograms > best.kilograms)) best = { kilograms, unit: weight.unit };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Product level

interface ProductParts {
  title: string;
  description: string;
  categoryId: string;
  images: { source_url: string }[];
  package: Pick<TikTokProductPayload, "package_weight" | "package_dimensions"> | null;
}

function checkDescription(r: Reporter, first: MappedItem): string {
  const source = first.richDescription ?? plainToParagraphs(first.description);
  if (IMAGE_TAG.test(source)) {
    r.add({
      problem: "images_removed",
      severity: "warning",
      field: "description",
      value: source,
      message: "The description's images were left out: TikTok Shop shows only images hosted by TikTok in descriptions.",
      change: "Show those pictures as product images instead",
      source: "description",
    });
  }
  const description = sanitizeRichHtml(source, TIKTOK_DESCRIPTION_TAGS, SANITIZE_OPTIONS);
  if (description === "") {
    reportMissing(r, "description", "description", "a description");
    return description;
  }
  return checkLength(r, "description", description, "description");
}

function checkCategory(r: Reporter, spec: TikTokShopSpec, categoryId: string | null): string {
  if (!categoryId) {
    r.add({
      problem: "missing",
      severity: "error",
      field: "category_id",
      value: null,
      message: "TikTok Shop lists a product only in one of its leaf categories, and this product has none.",
      change: "Map the product's Shopify category to a TikTok Shop category (a lookup table from the Shopify category works for the whole catalog)",
      source: "channelCategoryId",
    });
    return "";
  }
  const base = { field: "category_id", severity: "error", value: categoryId, source: "channelCategoryId" } as const;
  if (!spec.categoryIdPattern.test(categoryId)) {
    r.add({ ...base, problem: "invalid", message: `"${categoryId}" is not a TikTok Shop category id (a number such as 601226).`, change: "Use the category's id, not its name" });
  } else if (spec.leafCategoryIds && !spec.leafCategoryIds.has(categoryId)) {
    r.add({
      ...base,
      problem: "not_leaf",
      message: `Category ${categoryId} is not a leaf of TikTok Shop's category tree; products go in the most specific category.`,
      change: "Choose a category with no sub-categories",
    });
  }
  return categoryId;
}

/** The product's images, each once: the first item's (its variant image first), then other variants' images. */
function productImages(items: readonly MappedItem[]): ImageRef[] {
  const seen = new Set<string>();
  const images: ImageRef[] = [];
  const add = (image: ImageRef | null): void => {
    if (image && !seen.has(image.url)) {
      seen.add(image.url);
      images.push(image);
    }
  };
  const [first] = items;
  if (first) {
    add(first.image);
    for (const image of first.additionalImages) add(image);
  }
  for (const item of items) add(item.image);
  return images;
}

function checkMainImages(r: Reporter, spec: TikTokShopSpec, items: readonly MappedItem[], limits: ImageLimits): { source_url: string }[] {
  const images = productImages(items);
  const kept: { source_url: string }[] = [];
  for (const image of images) {
    if (kept.length === spec.maxMainImages) {
      r.add({
        problem: "too_many",
        severity: "warning",
        field: "main_images",
        value: images.length,
        message: `The product has ${images.length} images; TikTok Shop takes ${spec.maxMainImages}, so the rest are left out.`,
        change: `Order the product's media so the best ${spec.maxMainImages} come first`,
        source: "images",
      });
      break;
    }
    const url = checkImage(r, "main_images", image, limits, "warning");
    if (url !== null) kept.push({ source_url: url });
  }
  if (kept.length === 0) reportMissing(r, "main_images", "images", images.length === 0 ? "an image" : "a usable image");
  return kept;
}

function checkPackage(r: Reporter, spec: TikTokShopSpec, market: TikTokMarketRules, items: readonly MappedItem[]): ProductParts["package"] {
  const weight = heaviest(items);
  const first = items[0];
  const dimensionsText = first?.packageDimensions ?? null;
  const dimensions = dimensionsText ? parseDimensions(dimensionsText) : null;
  if (!weight) reportMissing(r, "package_weight", "shippingWeight", "a package weight");
  if (dimensionsText && !dimensions) {
    r.add({
      problem: "invalid",
      severity: "error",
      field: "package_dimensions",
      value: dimensionsText,
      message: `"${dimensionsText}" is not a package size TikTok Shop understands.`,
      change: 'Write it as length x width x height with a unit, e.g. "30 x 20 x 10 cm"',
      source: "packageDimensions",
    });
  } else if (!dimensionsText && market.packageDimensionsRequired) {
    reportMissing(r, "package_dimensions", "packageDimensions", "the package size");
  }
  if (!weight) return null;
  const units = packageUnits(spec, market, weight.unit, dimensions?.unit ?? null);
  const parts: ProductParts["package"] = { package_weight: { value: weightText(weight.kilograms * units.weightFactor), unit: units.weight } };
  if (dimensions) {
    const [length, width, height] = dimensions.centimetres.map((side) => String(Math.ceil(side * units.lengthFactor - 1e-9)));
    parts.package_dimensions = { length: length ?? "", width: width ?? "", height: height ?? "", unit: units.dimension };
  }
  return parts;
}

function checkMarketCurrency(r: Reporter, market: TikTokMarketRules, ctx: ChannelContext): void {
  if (market.currency === null || market.currency === ctx.market.currency) return;
  r.add({
    problem: "currency_mismatch",
    severity: "error",
    field: "skus[].price",
    value: ctx.market.currency,
    message: `TikTok Shop sells in ${market.currency} in ${ctx.market.code}, but this market's prices are in ${ctx.market.currency}.`,
    change: `Set the ${ctx.market.code} market's currency to ${market.currency}`,
    source: "market",
  });
}

function checkProduct(r: Reporter, spec: TikTokShopSpec, market: TikTokMarketRules, items: readonly MappedItem[], first: MappedItem): ProductParts {
  checkMarketCurrency(r, market, r.ctx);
  if (items.length > market.maxSkus) {
    r.add({
      problem: "too_many",
      severity: "error",
      field: "skus",
      value: items.length,
      message: `The product has ${items.length} variants; TikTok Shop takes at most ${market.maxSkus} SKUs per product in ${r.ctx.market.code}.`,
      change: `Split the product into products of at most ${market.maxSkus} variants, or exclude some variants for TikTok Shop`,
      source: "options",
    });
  }
  const title = checkTitle(r, "title", first.title, new TextScanner(spec.text), market.minTitleLength);
  checkLength(r, "external_product_id", first.productId, "id");
  return {
    title,
    description: checkDescription(r, first),
    categoryId: checkCategory(r, spec, first.channelCategoryId),
    images: checkMainImages(r, spec, items, imageLimits(spec, r.ctx.now)),
    package: checkPackage(r, spec, market, items),
  };
}

// ---------------------------------------------------------------------------------------------
// SKU level

function checkSkuPrice(r: Reporter, market: TikTokMarketRules, item: MappedItem): TikTokPrice | null {
  // TikTok takes the selling price; strike-through prices go through its Promotion API.
  const selling: Money | null = item.salePrice ?? item.price;
  const source = item.salePrice ? "salePrice" : "price";
  if (!checkMoney(r, "skus[].price", selling, source, true)) return null;
  const { amount } = selling;
  if (compareDecimal(amount, market.priceMin) < 0 || (market.priceMax !== null && compareDecimal(amount, market.priceMax) > 0)) {
    const range = market.priceMax === null ? `at least ${market.priceMin}` : `${market.priceMin}–${market.priceMax}`;
    r.add({
      problem: "out_of_range",
      severity: "error",
      field: "skus[].price",
      value: selling,
      message: `TikTok Shop accepts SKU prices of ${range} ${selling.currencyCode} in ${r.ctx.market.code}; this one is ${amount}.`,
      change: `Set a price of ${range} ${selling.currencyCode}`,
      source,
    });
  }
  return { amount, currency: selling.currencyCode };
}

function checkInventory(r: Reporter, spec: TikTokShopSpec, item: MappedItem): number {
  if (item.quantity === null) {
    r.add({
      problem: "missing",
      severity: "error",
      field: "skus[].inventory",
      value: null,
      message: "Shopify does not track this variant's stock, and TikTok Shop needs a stock count for every SKU.",
      change: "Turn on inventory tracking for the variant",
      source: "quantity",
    });
    return 0;
  }
  if (item.quantity <= spec.maxInventoryQuantity) return item.quantity;
  r.add({
    problem: "capped",
    severity: "warning",
    field: "skus[].inventory",
    value: item.quantity,
    message: `TikTok Shop takes at most ${spec.maxInventoryQuantity} units per SKU; ${spec.maxInventoryQuantity} are sent instead of ${item.quantity}.`,
    change: "Nothing to do unless the difference matters",
    source: "quantity",
  });
  return spec.maxInventoryQuantity;
}

function salesAttributes(r: Reporter, item: MappedItem): TikTokSku["sales_attributes"] {
  return item.variantAttributes.map((attribute) => ({
    name: checkLength(r, "skus[].sales_attributes[].name", attribute.name, "options"),
    value_name: checkLength(r, "skus[].sales_attributes[].value_name", attribute.value, "options"),
  }));
}

function checkIdentifier(r: Reporter, spec: TikTokShopSpec, item: MappedItem, barcodes: Map<string, string>): TikTokSku["identifier_code"] {
  const code = checkBarcode(r, "skus[].identifier_code", item.gtin);
  if (code === null) return undefined;
  const owner = barcodes.get(code);
  if (owner !== undefined) {
    r.add({
      problem: "duplicate",
      severity: "error",
      field: "skus[].identifier_code",
      value: code,
      message: `Item ${owner} of this product has the same barcode; TikTok Shop needs a different one per SKU.`,
      change: "Give each variant its own barcode",
      source: "gtin",
    });
    return undefined;
  }
  barcodes.set(code, item.id);
  const type = spec.identifierTypeByLength[code.length];
  return type ? { type, code } : undefined;
}

function checkPreSale(r: Reporter, spec: TikTokShopSpec, item: MappedItem): TikTokSku["pre_sale"] {
  if (item.availability !== "preorder") return undefined;
  const releaseDate = item.availabilityDate ? Date.parse(item.availabilityDate) : Number.NaN;
  if (Number.isNaN(releaseDate)) {
    r.add({
      problem: "missing",
      severity: "error",
      field: "skus[].pre_sale",
      value: item.availabilityDate,
      message: "The variant is a pre-order without a valid release date; TikTok Shop needs one for pre-sale SKUs.",
      change: "Set the pre-order ship date (the selling plan's fulfillment date)",
      source: "availability",
    });
    return undefined;
  }
  return { type: spec.preSaleType, fulfillment_type: { release_date: Math.floor(releaseDate / 1000) } };
}

function buildSku(r: Reporter, spec: TikTokShopSpec, market: TikTokMarketRules, item: MappedItem, barcodes: Map<string, string>): TikTokSku | null {
  r.at(item);
  const price = checkSkuPrice(r, market, item);
  const sku: TikTokSku = {
    external_sku_id: checkLength(r, "skus[].external_sku_id", item.variantId, "id"),
    price: price ?? { amount: "", currency: "" },
    inventory: [{ quantity: checkInventory(r, spec, item) }],
    sales_attributes: salesAttributes(r, item),
  };
  if (item.sku) sku.seller_sku = checkLength(r, "skus[].seller_sku", item.sku, "sku");
  const identifier = checkIdentifier(r, spec, item, barcodes);
  if (identifier) sku.identifier_code = identifier;
  const preSale = checkPreSale(r, spec, item);
  if (preSale) sku.pre_sale = preSale;
  return r.subjectHasError ? null : sku;
}

// ---------------------------------------------------------------------------------------------

function evaluateProduct(spec: TikTokShopSpec, items: MappedItem[], ctx: ChannelContext): { records: ChannelRecord[]; diagnostics: Diagnostic[] } {
  const [first] = items;
  if (!first) return { records: [], diagnostics: [] };
  const r = new Reporter(spec, ctx);
  const market = tiktokMarketRules(spec, ctx.market.code);
  const key = first.groupId || first.productId;
  checkVariantGroup(r, items, {
    // Not sent to TikTok, but Shelfcast tracks SKUs by item id: two SKUs with one id cannot be told apart.
    idField: "id",
    attributesField: "skus[].sales_attributes",
    groupField: null,
    maxItemsPerGroup: null,
    productRecord: { key, productId: first.productId },
  });
  const barcodes = new Map<string, string>();
  const skus: TikTokSku[] = [];
  const itemIds: string[] = [];
  for (const item of items) {
    const sku = buildSku(r, spec, market, item, barcodes);
    if (sku && !r.hasError(item.id)) {
      skus.push(sku);
      itemIds.push(item.id);
    }
  }
  r.atProduct(key, first.productId);
  const parts = checkProduct(r, spec, market, items, first);
  if (skus.length === 0) {
    r.add({
      problem: "missing",
      severity: "error",
      field: "skus",
      value: null,
      message: "None of the product's variants can be listed on TikTok Shop; see each variant's problems.",
      change: "Fix the variants' problems",
      source: "options",
    });
  }
  if (r.hasError(key) || !parts.package) return { records: [], diagnostics: r.diagnostics };
  const fields: TikTokProductPayload = {
    title: parts.title,
    description: parts.description,
    category_id: parts.categoryId,
    main_images: parts.images,
    skus,
    ...parts.package,
    external_product_id: first.productId,
  };
  if (first.brand?.trim()) fields.brand = { name: first.brand.trim() };
  return { records: [{ key, itemIds, fields }], diagnostics: r.diagnostics };
}

export function createTikTokShopAdapter(spec: TikTokShopSpec = TIKTOK_SHOP_SPEC): ChannelAdapter {
  return {
    channel: spec.channel,
    label: "TikTok Shop",
    formats: ["json"],
    // SKUs carry the options as sales attributes; the product title stays the product's.
    titleIncludesVariant: false,
    columns: [],
    evaluate: (items, ctx) => evaluateProduct(spec, items, ctx),
  };
}

export const TIKTOK_SHOP_ADAPTER: ChannelAdapter = createTikTokShopAdapter();
