/**
 * Shelfcast's defaults: the item a merchant would expect for one variant on one channel and market
 * before any mapping rule (../shared/specs/channels.md §1.2, §3, §4.1 and §5 "Shopify-side mapping
 * rules"). Channel-neutral: the adapters turn it into each channel's fields and check it.
 *
 * This runs for every variant × channel × market of catalogs with a million variants, so everything
 * that depends on the product alone (stripped and sanitised description, image lookup, category) is
 * worked out once per product, and everything that depends on the variant alone (attributes, GTIN,
 * metafields, images) once per variant, kept in WeakMaps keyed by the Product and Variant objects:
 * they go when the catalog snapshot goes. Products are snapshots: they must not be modified after
 * their first item is built.
 */
import type { Gid, MediaImage, Metafield, MetafieldValue, Money, Product, Variant, WeightUnit } from "../catalog/types";
import { coreAttributes, metafieldTexts, normalizeAgeGroup, normalizeGender, variantAttributes, type CoreAttributes } from "./attributes";
import { numericId } from "./id-scheme";
import { googleCategoryFor } from "./taxonomy";
import { META_RICH_TEXT_TAGS, sanitizeRichHtml, stripHtml } from "./text";
import { CUSTOM_LABEL_COUNT, type ChannelContext, type ImageRef, type MappedItem, type VariantAttribute } from "./types";

/** Namespace of the variant metafields Shopify's Google & YouTube channel writes (custom labels, MPN, ...). */
export const GOOGLE_SHOPPING_NAMESPACE = "mm-google-shopping";

/** Keys read from GOOGLE_SHOPPING_NAMESPACE; only custom_label_0 is confirmed, the rest are Shopify's conventions. */
export const GOOGLE_SHOPPING_KEYS = {
  mpn: "mpn",
  condition: "condition",
  gender: "gender",
  ageGroup: "age_group",
  googleProductCategory: "google_product_category",
  customLabels: Array.from({ length: CUSTOM_LABEL_COUNT }, (_, index) => `custom_label_${index}`),
} as const;

export interface DefaultItemOptions {
  /** Append the option values to the title ("Linen Shirt - Navy / M") when the product has variants. */
  includeVariantInTitle: boolean;
}

const CONDITIONS: ReadonlySet<string> = new Set(["new", "refurbished", "used"]);

const WEIGHT_UNITS: Record<WeightUnit, NonNullable<MappedItem["shippingWeight"]>["unit"]> = {
  GRAMS: "g",
  KILOGRAMS: "kg",
  OUNCES: "oz",
  POUNDS: "lb",
};

const BARCODE_SEPARATORS = /[\s-]+/g;

// ---------------------------------------------------------------------------------------------
// Per-product work, done once

interface ProductDefaults {
  title: string;
  description: string;
  richDescription: string | null;
  /** Media in order, without repeated URLs. */
  images: ImageRef[];
  imageIndexById: ReadonlyMap<Gid, number>;
  /** The other images for each main image, built on first use. */
  additionalByMain: Map<number, ImageRef[]>;
  googleCategoryId: string | null;
  productType: string | null;
  /** Text values of the product's GOOGLE_SHOPPING_NAMESPACE metafields (fallback for the variant's). */
  googleFields: ReadonlyMap<string, string>;
  /** The vendor, trimmed: the brand unless blank. */
  vendor: string;
}

const productDefaults = new WeakMap<Product, ProductDefaults>();

function imageRefOf(media: MediaImage): ImageRef {
  return Object.freeze({ url: media.url, width: media.width, height: media.height, altText: media.altText });
}

function uniqueImages(product: Product): { images: ImageRef[]; imageIndexById: Map<Gid, number> } {
  const images: ImageRef[] = [];
  const indexByUrl = new Map<string, number>();
  const imageIndexById = new Map<Gid, number>();
  for (const media of product.media) {
    if (!media.url) continue;
    let index = indexByUrl.get(media.url);
    if (index === undefined) {
      index = images.length;
      images.push(imageRefOf(media));
      indexByUrl.set(media.url, index);
    }
    imageIndexById.set(media.id, index);
  }
  return { images, imageIndexById };
}

/** A metafield's value as one line of text: lists joined, references and structured values left out. */
function metafieldText(value: MetafieldValue): string | null {
  const texts = metafieldTexts(value);
  return texts.length > 0 ? texts.join(", ") : null;
}

function googleFieldsOf(metafields: readonly Metafield[]): Map<string, string> | null {
  let fields: Map<string, string> | null = null;
  for (const metafield of metafields) {
    if (metafield.namespace !== GOOGLE_SHOPPING_NAMESPACE) continue;
    const text = metafieldText(metafield.value);
    if (text === null) continue;
    fields ??= new Map();
    if (!fields.has(metafield.key)) fields.set(metafield.key, text);
  }
  return fields;
}

const NO_FIELDS: ReadonlyMap<string, string> = new Map();

function defaultsOf(product: Product): ProductDefaults {
  let defaults = productDefaults.get(product);
  if (!defaults) {
    const richDescription = sanitizeRichHtml(product.descriptionHtml, META_RICH_TEXT_TAGS);
    const productType = product.productType.trim();
    defaults = {
      title: product.title.trim(),
      // Never the title: Meta rejects an item whose description repeats its title.
      description: stripHtml(product.descriptionHtml) || stripHtml(product.seo.description ?? ""),
      richDescription: richDescription === "" ? null : richDescription,
      ...uniqueImages(product),
      additionalByMain: new Map(),
      googleCategoryId: googleCategoryFor(product.category)?.id ?? null,
      productType: productType !== "" ? productType : (product.category?.fullName ?? null),
      googleFields: googleFieldsOf(product.metafields) ?? NO_FIELDS,
      vendor: product.vendor.trim(),
    };
    productDefaults.set(product, defaults);
  }
  return defaults;
}

// ---------------------------------------------------------------------------------------------
// Per-variant work, done once for all channels and markets

interface VariantDefaults {
  sku: string | null;
  attributes: readonly VariantAttribute[];
  titleWithOptions: string;
  core: CoreAttributes;
  image: ImageRef | null;
  additionalImages: readonly ImageRef[];
  gtin: string | null;
  mpn: string | null;
  condition: MappedItem["condition"];
  gender: string | null;
  ageGroup: string | null;
  googleProductCategory: string | null;
  customLabels: readonly (string | null)[];
  shippingWeight: MappedItem["shippingWeight"];
  /** Prices in the shop's currency (the sale rule applied), built on first use. */
  shopPrices: { currency: string; price: Money | null; salePrice: Money | null } | null;
  /** The link and the storefront base it was built against. */
  link: { storefrontUrl: string; url: string | null } | null;
}

const variantDefaults = new WeakMap<Variant, VariantDefaults>();

/** The variant's own image (variant.imageId among the product's media) first, else the first image. */
function imagesFor(defaults: ProductDefaults, variant: Variant): { image: ImageRef | null; additionalImages: readonly ImageRef[] } {
  if (defaults.images.length === 0) return { image: null, additionalImages: [] };
  const main = (variant.imageId === null ? undefined : defaults.imageIndexById.get(variant.imageId)) ?? 0;
  let additional = defaults.additionalByMain.get(main);
  if (!additional) {
    additional = defaults.images.filter((_, index) => index !== main);
    defaults.additionalByMain.set(main, additional);
  }
  return { image: defaults.images[main] ?? null, additionalImages: additional };
}

function shippingWeightOf(variant: Variant): MappedItem["shippingWeight"] {
  if (variant.weight === null || variant.weightUnit === null || !(variant.weight > 0)) return null;
  return Object.freeze({ value: variant.weight, unit: WEIGHT_UNITS[variant.weightUnit] });
}

function gtinOf(barcode: string | null): string | null {
  if (barcode === null) return null;
  const gtin = barcode.replace(BARCODE_SEPARATORS, "");
  return gtin === "" ? null : gtin;
}

function titleWithOptions(title: string, attributes: readonly VariantAttribute[]): string {
  if (attributes.length === 0) return title;
  let values = "";
  for (const attribute of attributes) values += values === "" ? attribute.value : ` / ${attribute.value}`;
  return `${title} - ${values}`;
}

function variantDefaultsOf(product: Product, variant: Variant, defaults: ProductDefaults): VariantDefaults {
  let cached = variantDefaults.get(variant);
  if (cached) return cached;
  const fields = variant.metafields.length > 0 ? googleFieldsOf(variant.metafields) : null;
  const googleField = (key: string): string | null => fields?.get(key) ?? defaults.googleFields.get(key) ?? null;
  const attributes = variantAttributes(product, variant).map((attribute) => Object.freeze(attribute));
  const core = coreAttributes(product, variant, attributes);
  const condition = googleField(GOOGLE_SHOPPING_KEYS.condition)?.toLowerCase();
  const gender = googleField(GOOGLE_SHOPPING_KEYS.gender);
  const ageGroup = googleField(GOOGLE_SHOPPING_KEYS.ageGroup);
  const sku = variant.sku?.trim() ?? "";
  cached = {
    sku: sku === "" ? null : sku,
    attributes,
    titleWithOptions: titleWithOptions(defaults.title, attributes),
    core,
    ...imagesFor(defaults, variant),
    gtin: gtinOf(variant.barcode),
    mpn: googleField(GOOGLE_SHOPPING_KEYS.mpn),
    condition: condition !== undefined && CONDITIONS.has(condition) ? (condition as MappedItem["condition"]) : "new",
    // An explicit Google channel value wins; one we cannot read is passed on for the checks to report.
    gender: gender === null ? core.gender : (normalizeGender(gender) ?? gender.toLowerCase()),
    ageGroup: ageGroup === null ? core.ageGroup : (normalizeAgeGroup(ageGroup) ?? ageGroup.toLowerCase()),
    googleProductCategory: googleField(GOOGLE_SHOPPING_KEYS.googleProductCategory) ?? defaults.googleCategoryId,
    customLabels: GOOGLE_SHOPPING_KEYS.customLabels.map(googleField),
    shippingWeight: shippingWeightOf(variant),
    shopPrices: null,
    link: null,
  };
  variantDefaults.set(variant, cached);
  return cached;
}

// ---------------------------------------------------------------------------------------------
// Per channel and market

function linkFor(cached: VariantDefaults, product: Product, variant: Variant, storefrontUrl: string): string | null {
  if (cached.link?.storefrontUrl !== storefrontUrl) {
    const storefront = storefrontUrl.replace(/\/+$/, "");
    const base = product.onlineStoreUrl ?? (storefront !== "" ? `${storefront}/products/${encodeURIComponent(product.handle)}` : null);
    const url = base === null ? null : `${base}${base.includes("?") ? "&" : "?"}variant=${numericId(variant.id)}`;
    cached.link = { storefrontUrl, url };
  }
  return cached.link.url;
}

function money(amount: string | null, currencyCode: string): Money | null {
  if (amount === null) return null;
  const trimmed = amount.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? Object.freeze({ amount: trimmed, currencyCode }) : null;
}

/**
 * Price in the market's currency. In the shop's currency a compare-at price above the price is a
 * sale: the compare-at price becomes the price and the price the sale price. In other currencies the
 * market's price list gives the price (null when it has none) and there is no compare-at price.
 */
function pricesFor(cached: VariantDefaults, variant: Variant, ctx: ChannelContext): { price: Money | null; salePrice: Money | null } {
  const { currency, code } = ctx.market;
  if (currency !== ctx.shop.currency) return { price: variant.marketPrices[code] ?? null, salePrice: null };
  if (cached.shopPrices?.currency !== currency) {
    const price = money(variant.price, currency);
    const compareAt = money(variant.compareAtPrice, currency);
    const onSale = price !== null && compareAt !== null && Number(compareAt.amount) > Number(price.amount);
    cached.shopPrices = onSale ? { currency, price: compareAt, salePrice: price } : { currency, price, salePrice: null };
  }
  return cached.shopPrices;
}

/**
 * The default item for one variant on one channel and market: ids from the shop's id scheme,
 * availability from the channel context's offer, and every field a merchant would expect filled
 * from Shopify (title with options, stripped and sanitised description, variant link, variant image
 * first, sale price from the compare-at price, brand from vendor, GTIN from barcode, attributes from
 * options and category metafields, Google category from the Shopify category).
 *
 * Arrays are the item's own; the objects in them and the Money, image and weight objects are shared
 * between items and frozen.
 */
export function buildDefaultItem(product: Product, variant: Variant, ctx: ChannelContext, options: DefaultItemOptions): MappedItem {
  const defaults = defaultsOf(product);
  const cached = variantDefaultsOf(product, variant, defaults);
  const { price, salePrice } = pricesFor(cached, variant, ctx);
  const offer = ctx.offer(product, variant, ctx.channel, ctx.market);
  const { core } = cached;
  return {
    id: ctx.idScheme.itemId(product, variant, ctx.market),
    groupId: ctx.idScheme.groupId(product, ctx.market),
    productId: product.id,
    variantId: variant.id,
    handle: product.handle,
    sku: cached.sku,
    title: options.includeVariantInTitle ? cached.titleWithOptions : defaults.title,
    description: defaults.description,
    richDescription: defaults.richDescription,
    link: linkFor(cached, product, variant, ctx.shop.storefrontUrl),
    image: cached.image,
    additionalImages: cached.additionalImages.slice(),
    price,
    salePrice,
    salePriceEffectiveDate: null,
    availability: offer.availability,
    availabilityDate: offer.availabilityDate,
    quantity: offer.quantity,
    brand: defaults.vendor || ctx.shop.name.trim() || null,
    gtin: cached.gtin,
    mpn: cached.mpn,
    condition: cached.condition,
    color: core.color,
    size: core.size,
    material: core.material,
    pattern: core.pattern,
    gender: cached.gender,
    ageGroup: cached.ageGroup,
    variantAttributes: cached.attributes.slice(),
    googleProductCategory: cached.googleProductCategory,
    shopifyCategoryId: product.category?.id ?? null,
    productType: defaults.productType,
    channelCategoryId: (product.category && ctx.channelCategories?.[product.category.id]) || null,
    packageDimensions: null,
    customLabels: cached.customLabels.slice(),
    shippingWeight: cached.shippingWeight,
    status: product.status === "ACTIVE" ? "active" : "archived",
    originCountry: variant.inventoryItem.countryCodeOfOrigin,
    tags: product.tags,
    vendor: product.vendor,
  };
}
