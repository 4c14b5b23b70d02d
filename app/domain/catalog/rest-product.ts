import { z } from "zod";
import { toGid } from "./gid";
import { normalizeMetafield } from "./metafields";
import type { MediaImage, Metafield, Product, ProductOption, SelectedOption, Variant, WeightUnit } from "./types";
import { describeIssues } from "./zod-issues";

/**
 * Normalises the Admin REST product / `products/*` webhook payload into the catalog Product.
 *
 * What this shape cannot carry, so stays empty: per-location inventory levels (only the variant's
 * total `inventory_quantity`), collections, selling plan groups, SEO and the storefront URL. Media
 * ids are ProductImage GIDs (the REST image ids); the variant's imageId uses the same ids, so they
 * match within the product, but they differ from the MediaImage GIDs the bulk reader produces.
 */

export type RestProductResult =
  | { ok: true; product: Product; /** Non-blocking problems, e.g. a malformed metafield value. */ warnings: string[] }
  | { ok: false; problems: string[] };

const restId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]);
const optionalNullableString = z.string().nullable().optional();

/** REST weight units as Shopify writes them. */
const WEIGHT_UNITS: Record<string, WeightUnit> = { g: "GRAMS", kg: "KILOGRAMS", oz: "OUNCES", lb: "POUNDS" };

const RestVariantSchema = z.object({
  id: restId,
  title: z.string().optional(),
  sku: optionalNullableString,
  barcode: optionalNullableString,
  position: z.number().int(),
  price: z.string().regex(/^\d+(\.\d+)?$/, "expected a decimal string such as \"19.99\""),
  compare_at_price: optionalNullableString,
  option1: optionalNullableString,
  option2: optionalNullableString,
  option3: optionalNullableString,
  inventory_quantity: z.number().int().optional(),
  inventory_policy: z.enum(["deny", "continue"]),
  // "shopify" when Shopify tracks stock; null when not tracked. Absent in trimmed payloads.
  inventory_management: z.string().nullable().optional(),
  inventory_item_id: restId,
  weight: z.number().nullable().optional(),
  weight_unit: z.enum(["g", "kg", "oz", "lb"]).nullable().optional(),
  image_id: restId.nullable().optional(),
});

const RestImageSchema = z.object({
  id: restId,
  src: z.url(),
  alt: optionalNullableString,
  width: z.number().int().nullable().optional(),
  height: z.number().int().nullable().optional(),
  variant_ids: z.array(restId).optional(),
});

/** Present when the webhook subscription lists metafield namespaces. */
const RestMetafieldSchema = z.object({ namespace: z.string(), key: z.string(), type: z.string(), value: z.string() });

const RestProductSchema = z.object({
  id: restId,
  handle: z.string().min(1),
  title: z.string(),
  body_html: z.string().nullable().optional(),
  vendor: z.string().nullable().optional(),
  product_type: z.string().nullable().optional(),
  tags: z.string().optional(),
  status: z.enum(["active", "draft", "archived", "unlisted"]),
  variants: z.array(RestVariantSchema).min(1),
  options: z.array(z.object({ name: z.string(), position: z.number().int(), values: z.array(z.string()) })).optional(),
  images: z.array(RestImageSchema).optional(),
  category: z.object({ admin_graphql_api_id: z.string(), full_name: z.string() }).nullable().optional(),
  metafields: z.array(RestMetafieldSchema).optional(),
  created_at: optionalNullableString,
  updated_at: optionalNullableString,
});

type RestProduct = z.infer<typeof RestProductSchema>;
type RestVariant = z.infer<typeof RestVariantSchema>;
type RestImage = z.infer<typeof RestImageSchema>;

/** REST tags are one comma-separated string. */
function splitTags(tags: string | undefined): string[] {
  return (tags ?? "").split(",").map((tag) => tag.trim()).filter((tag) => tag !== "");
}

function blankToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === "" ? null : value;
}

function selectedOptionsOf(variant: RestVariant, options: ProductOption[]): SelectedOption[] {
  const values = [variant.option1, variant.option2, variant.option3];
  return options.flatMap((option, index) => {
    const value = values[index];
    return value ? [{ name: option.name, value }] : [];
  });
}

/** Older payloads link images to variants only through the image's `variant_ids`. */
function imageIdOf(variant: RestVariant, images: RestImage[]): string | null {
  const imageId = variant.image_id ?? images.find((image) => image.variant_ids?.some((id) => String(id) === String(variant.id)))?.id;
  return imageId ? toGid("ProductImage", imageId) : null;
}

function variantOf(variant: RestVariant, productId: string, options: ProductOption[], images: RestImage[]): Variant {
  const selectedOptions = selectedOptionsOf(variant, options);
  // A weight means nothing without its unit, so both or neither.
  const weightUnit = variant.weight_unit ? WEIGHT_UNITS[variant.weight_unit] : undefined;
  const weight = weightUnit && typeof variant.weight === "number" ? variant.weight : null;
  return {
    id: toGid("ProductVariant", variant.id),
    productId,
    title: variant.title ?? selectedOptions.map((option) => option.value).join(" / "),
    sku: blankToNull(variant.sku),
    barcode: blankToNull(variant.barcode),
    position: variant.position,
    price: variant.price,
    compareAtPrice: blankToNull(variant.compare_at_price),
    selectedOptions,
    imageId: imageIdOf(variant, images),
    weight,
    weightUnit: weight === null ? null : (weightUnit ?? null),
    inventoryPolicy: variant.inventory_policy === "continue" ? "CONTINUE" : "DENY",
    inventoryItem: {
      id: toGid("InventoryItem", variant.inventory_item_id),
      tracked: variant.inventory_management === undefined ? true : variant.inventory_management !== null,
      countryCodeOfOrigin: null,
      harmonizedSystemCode: null,
      levels: [],
    },
    availableQuantity: variant.inventory_quantity ?? 0,
    sellingPlanGroupIds: [],
    metafields: [],
    marketPrices: {},
  };
}

function mediaOf(payload: RestProduct): MediaImage[] {
  return (payload.images ?? []).map((image) => ({
    id: toGid("ProductImage", image.id),
    url: image.src,
    altText: blankToNull(image.alt),
    width: image.width ?? null,
    height: image.height ?? null,
  }));
}

function metafieldsOf(payload: RestProduct, shopCurrency: string | undefined, warnings: string[]): Metafield[] {
  return (payload.metafields ?? []).map((input) => {
    const { metafield, problem } = normalizeMetafield(input, { defaultCurrency: shopCurrency });
    if (problem) warnings.push(problem);
    return metafield;
  });
}

export function normalizeRestProduct(payload: unknown, shopCurrency?: string): RestProductResult {
  const parsed = RestProductSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, problems: describeIssues(parsed.error) };
  const rest = parsed.data;
  const id = toGid("Product", rest.id);
  const options = [...(rest.options ?? [])].sort((a, b) => a.position - b.position);
  const warnings: string[] = [];
  const product: Product = {
    id,
    handle: rest.handle,
    title: rest.title,
    descriptionHtml: rest.body_html ?? "",
    vendor: rest.vendor ?? "",
    productType: rest.product_type ?? "",
    category: rest.category ? { id: rest.category.admin_graphql_api_id, fullName: rest.category.full_name } : null,
    tags: splitTags(rest.tags),
    status: rest.status.toUpperCase() as Product["status"],
    options,
    media: mediaOf(rest),
    onlineStoreUrl: null,
    seo: { title: null, description: null },
    collectionIds: [],
    createdAt: rest.created_at ?? null,
    updatedAt: rest.updated_at ?? null,
    metafields: metafieldsOf(rest, shopCurrency, warnings),
    variants: rest.variants
      .map((variant) => variantOf(variant, id, options, rest.images ?? []))
      .sort((a, b) => a.position - b.position),
    sellingPlanGroups: [],
  };
  return { ok: true, product, warnings };
}
