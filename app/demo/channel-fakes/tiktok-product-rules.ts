/**
 * The TikTok Shop fake's checks of a create / full-edit body (wire.md TikTok 4-5, channels.md §2.2),
 * written from the specs and NOT shared with Shelfcast's adapter: a fake that reused the adapter's
 * checks would agree with the adapter's bugs. TikTok refuses the whole request on the first problem
 * (code 12052700) with a message naming the field, e.g. "skus[0].price.amount: …"; so does this.
 */

/** Per-market rules the fake enforces (channels.md §2.2). */
export interface TikTokMarketRules {
  currency: string;
  priceMax: string;
  maxSkus: number;
  minTitleLength: number;
  packageDimensionsRequired: boolean;
  imperialUnits: boolean;
}

export const TIKTOK_MARKETS: Readonly<Record<string, TikTokMarketRules>> = {
  US: { currency: "USD", priceMax: "7600", maxSkus: 100, minTitleLength: 1, packageDimensionsRequired: true, imperialUnits: true },
  GB: { currency: "GBP", priceMax: "5600", maxSkus: 100, minTitleLength: 1, packageDimensionsRequired: true, imperialUnits: false },
  SG: { currency: "SGD", priceMax: "10000", maxSkus: 300, minTitleLength: 25, packageDimensionsRequired: true, imperialUnits: false },
  MY: { currency: "MYR", priceMax: "320000", maxSkus: 300, minTitleLength: 25, packageDimensionsRequired: true, imperialUnits: false },
};

export const TIKTOK_MAX_TITLE_LENGTH = 255;
export const TIKTOK_MAX_DESCRIPTION_LENGTH = 10_000;
export const TIKTOK_MAX_MAIN_IMAGES = 9;
export const TIKTOK_MAX_QUANTITY = 999_999;
export const TIKTOK_MAX_SALES_ATTRIBUTES = 3;

const PRODUCT_FIELDS: ReadonlySet<string> = new Set([
  "save_mode",
  "title",
  "description",
  "category_id",
  "category_version",
  "brand_id",
  "main_images",
  "video",
  "skus",
  "package_weight",
  "package_dimensions",
  "product_attributes",
  "certifications",
  "size_chart",
  "external_product_id",
  "is_cod_allowed",
  "delivery_option_ids",
  "manufacturer",
  "manufacturer_ids",
  "responsible_person_ids",
  "is_pre_owned",
  "is_not_for_sale",
  "minimum_order_quantity",
  "listing_platforms",
]);

const SKU_FIELDS: ReadonlySet<string> = new Set([
  "id",
  "seller_sku",
  "external_sku_id",
  "price",
  "list_price",
  "inventory",
  "sales_attributes",
  "identifier_code",
  "extra_identifier_codes",
  "pre_sale",
  "sku_unit_count",
  "combined_skus",
  "external_urls",
]);

/** Allowed code lengths per identifier type; ISBN may end in X. */
const IDENTIFIER_LENGTHS: Readonly<Record<string, readonly number[]>> = { GTIN: [14], EAN: [8, 13, 14], UPC: [12], ISBN: [13] };
const DECIMAL = /^\d+(\.\d{1,2})?$/;
const CATEGORY_ID = /^\d+$/;
const POSITIVE_NUMBER = /^\d+(\.\d+)?$/;
const WHOLE_NUMBER = /^\d+$/;

type Fields = Record<string, unknown>;

/** What the checks need to know about the shop and the fake's state. */
export interface ProductCheckContext {
  region: string;
  market: TikTokMarketRules | null;
  warehouseIds: ReadonlySet<string>;
  /** URIs the fake handed out from images/upload. */
  uploadedUris: ReadonlySet<string>;
  /** Leaf categories the fake knows; null: any numeric id is taken. */
  leafCategoryIds: ReadonlySet<string> | null;
  /** The product's current SKU ids on a full edit; null on create (a SKU id is then refused). */
  existingSkuIds: ReadonlySet<string> | null;
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function length(text: string): number {
  return [...text].length;
}

function unknownField(fields: Fields, allowed: ReadonlySet<string>, prefix: string): string | null {
  const name = Object.keys(fields).find((key) => !allowed.has(key));
  return name === undefined ? null : `${prefix}${name}: unknown field`;
}

/** Decimal amount in hundredths, for range checks without floating-point surprises. */
function hundredths(amount: string): number {
  const [whole = "0", fraction = ""] = amount.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** A price {amount, currency} for the shop's market (also used by prices/update). */
export function priceProblem(price: unknown, field: string, ctx: Pick<ProductCheckContext, "market" | "region">): string | null {
  if (!isObject(price)) return `${field}: required ({amount, currency})`;
  const max = ctx.market?.priceMax ?? null;
  const range = `between 0.01 and ${max ?? "any amount"}`;
  const amount = price.amount;
  if (typeof amount !== "string" || !DECIMAL.test(amount)) return `${field}.amount: must be a decimal string ${range}`;
  const value = hundredths(amount);
  if (value < 1 || (max !== null && value > hundredths(max))) return `${field}.amount: must be a decimal string ${range}`;
  if (typeof price.currency !== "string") return `${field}.currency: required`;
  const currency = ctx.market?.currency;
  if (currency !== undefined && price.currency !== currency) return `${field}.currency: must be ${currency} in a ${ctx.region} shop`;
  return null;
}

/** A stock quantity: a whole number 0..999,999 (also used by inventory/update). */
export function quantityProblem(quantity: unknown, field: string): string | null {
  if (typeof quantity === "number" && Number.isInteger(quantity) && quantity >= 0 && quantity <= TIKTOK_MAX_QUANTITY) return null;
  return `${field}: must be an integer between 0 and ${TIKTOK_MAX_QUANTITY}`;
}

function imageProblem(image: unknown, field: string, ctx: ProductCheckContext): string | null {
  if (!isObject(image)) return `${field}: must be {uri}`;
  if ("source_url" in image || "url" in image) return `${field}.uri: upload the image first`;
  if (typeof image.uri !== "string" || image.uri === "") return `${field}.uri: required`;
  if (!ctx.uploadedUris.has(image.uri)) return `${field}.uri: unknown image "${image.uri}" (upload it with images/upload first)`;
  return null;
}

function titleProblem(title: unknown, ctx: ProductCheckContext): string | null {
  const min = ctx.market?.minTitleLength ?? 25;
  if (typeof title !== "string") return "title: required";
  const count = length(title.trim());
  return count >= min && length(title) <= TIKTOK_MAX_TITLE_LENGTH ? null : `title: must be ${min} to ${TIKTOK_MAX_TITLE_LENGTH} characters`;
}

function descriptionProblem(description: unknown): string | null {
  if (typeof description !== "string" || description.trim() === "") return "description: required";
  return length(description) <= TIKTOK_MAX_DESCRIPTION_LENGTH ? null : `description: at most ${TIKTOK_MAX_DESCRIPTION_LENGTH} characters`;
}

function categoryProblem(categoryId: unknown, ctx: ProductCheckContext): string | null {
  if (typeof categoryId !== "string" || categoryId === "") return "category_id: required";
  if (!CATEGORY_ID.test(categoryId)) return `category_id: "${categoryId}" is not a category id`;
  if (ctx.leafCategoryIds && !ctx.leafCategoryIds.has(categoryId)) return `category_id: ${categoryId} is not a leaf category`;
  return null;
}

function mainImagesProblem(images: unknown, ctx: ProductCheckContext): string | null {
  if (!Array.isArray(images) || images.length === 0 || images.length > TIKTOK_MAX_MAIN_IMAGES) return `main_images: 1 to ${TIKTOK_MAX_MAIN_IMAGES} images`;
  for (const [index, image] of images.entries()) {
    const problem = imageProblem(image, `main_images[${index}]`, ctx);
    if (problem) return problem;
  }
  return null;
}

function inventoryProblem(inventory: unknown, field: string, ctx: ProductCheckContext): string | null {
  if (!Array.isArray(inventory) || inventory.length === 0) return `${field}: required ([{warehouse_id, quantity}])`;
  const seen = new Set<string>();
  for (const [index, entry] of inventory.entries()) {
    const at = `${field}[${index}]`;
    if (!isObject(entry)) return `${at}: must be {warehouse_id, quantity}`;
    if (typeof entry.warehouse_id !== "string" || entry.warehouse_id === "") return `${at}.warehouse_id: required`;
    if (!ctx.warehouseIds.has(entry.warehouse_id)) return `${at}.warehouse_id: unknown warehouse "${entry.warehouse_id}"`;
    if (seen.has(entry.warehouse_id)) return `${at}.warehouse_id: warehouse listed twice`;
    seen.add(entry.warehouse_id);
    const problem = quantityProblem(entry.quantity, `${at}.quantity`);
    if (problem) return problem;
  }
  return null;
}

function salesAttributeProblem(attribute: unknown, field: string, ctx: ProductCheckContext): string | null {
  if (!isObject(attribute)) return `${field}: must be {name, value_name}`;
  const name = attribute.name ?? attribute.id;
  if (typeof name !== "string" || length(name) < 1 || length(name) > 20) return `${field}.name: 1 to 20 characters`;
  const value = attribute.value_name ?? attribute.value_id;
  if (typeof value !== "string" || length(value) < 1 || length(value) > 50) return `${field}.value_name: 1 to 50 characters`;
  if (attribute.sku_img !== undefined) return imageProblem(attribute.sku_img, `${field}.sku_img`, ctx);
  return null;
}

function salesAttributesProblem(attributes: unknown, field: string, ctx: ProductCheckContext): string | null {
  if (attributes === undefined) return null;
  if (!Array.isArray(attributes)) return `${field}: must be a list`;
  if (attributes.length > TIKTOK_MAX_SALES_ATTRIBUTES) return `${field}: at most ${TIKTOK_MAX_SALES_ATTRIBUTES} attributes`;
  const names = new Set<string>();
  for (const [index, attribute] of attributes.entries()) {
    const problem = salesAttributeProblem(attribute, `${field}[${index}]`, ctx);
    if (problem) return problem;
    const name = String((attribute as Fields).name ?? (attribute as Fields).id).toLowerCase();
    if (names.has(name)) return `${field}[${index}].name: attribute named twice`;
    names.add(name);
  }
  if (attributes.filter((attribute) => (attribute as Fields).sku_img !== undefined).length > 1) return `${field}: only one attribute may have images`;
  return null;
}

function identifierProblem(identifier: unknown, field: string): string | null {
  if (identifier === undefined) return null;
  if (!isObject(identifier) || typeof identifier.type !== "string" || typeof identifier.code !== "string") return `${field}: must be {type, code}`;
  const lengths = IDENTIFIER_LENGTHS[identifier.type];
  if (!lengths) return `${field}.type: must be one of ${Object.keys(IDENTIFIER_LENGTHS).join(", ")}`;
  const pattern = identifier.type === "ISBN" ? /^\d+X?$/ : /^\d+$/;
  if (!pattern.test(identifier.code) || !lengths.includes(identifier.code.length)) return `${field}.code: a ${identifier.type} has ${lengths.join(" or ")} digits`;
  return null;
}

function optionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined) return null;
  return typeof value === "string" && length(value) <= max ? null : `${field}: a string of at most ${max} characters`;
}

function skuProblem(sku: unknown, index: number, ctx: ProductCheckContext): string | null {
  const at = `skus[${index}]`;
  if (!isObject(sku)) return `${at}: must be an object`;
  const unknown = unknownField(sku, SKU_FIELDS, `${at}.`);
  if (unknown) return unknown;
  if (sku.id !== undefined) {
    if (ctx.existingSkuIds === null) return `${at}.id: not allowed when creating a product`;
    if (typeof sku.id !== "string" || !ctx.existingSkuIds.has(sku.id)) return `${at}.id: not a SKU of this product`;
  }
  return (
    optionalText(sku.seller_sku, `${at}.seller_sku`, 50) ??
    optionalText(sku.external_sku_id, `${at}.external_sku_id`, 999) ??
    priceProblem(sku.price, `${at}.price`, ctx) ??
    inventoryProblem(sku.inventory, `${at}.inventory`, ctx) ??
    salesAttributesProblem(sku.sales_attributes, `${at}.sales_attributes`, ctx) ??
    identifierProblem(sku.identifier_code, `${at}.identifier_code`) ??
    (sku.pre_sale === undefined || isObject(sku.pre_sale) ? null : `${at}.pre_sale: must be an object`)
  );
}

function attributeKey(sku: Fields): { names: string; values: string } {
  const attributes = (Array.isArray(sku.sales_attributes) ? sku.sales_attributes : []) as Fields[];
  const pairs = attributes.map((attribute) => [String(attribute.name ?? attribute.id).toLowerCase(), String(attribute.value_name ?? attribute.value_id).toLowerCase()]);
  return { names: pairs.map(([name]) => name).sort().join("|"), values: pairs.map((pair) => pair.join("=")).sort().join("|") };
}

/** Across SKUs: the same attribute names on each, distinct value combinations, distinct seller SKUs and barcodes. */
function skuSetProblem(skus: Fields[]): string | null {
  const first = skus[0];
  if (!first || skus.length === 1) return null;
  const names = attributeKey(first).names;
  const combinations = new Map<string, number>();
  const sellerSkus = new Map<string, number>();
  const barcodes = new Map<string, number>();
  for (const [index, sku] of skus.entries()) {
    const key = attributeKey(sku);
    if (key.values === "") return `skus[${index}].sales_attributes: required when a product has several SKUs`;
    if (key.names !== names) return `skus[${index}].sales_attributes: must name the same attributes as skus[0]`;
    const twin = combinations.get(key.values);
    if (twin !== undefined) return `skus[${index}].sales_attributes: same values as skus[${twin}]`;
    combinations.set(key.values, index);
    if (typeof sku.seller_sku === "string" && sku.seller_sku !== "") {
      const other = sellerSkus.get(sku.seller_sku);
      if (other !== undefined) return `skus[${index}].seller_sku: same as skus[${other}]`;
      sellerSkus.set(sku.seller_sku, index);
    }
    const code = isObject(sku.identifier_code) ? sku.identifier_code.code : undefined;
    if (typeof code === "string") {
      const other = barcodes.get(code);
      if (other !== undefined) return `skus[${index}].identifier_code.code: same as skus[${other}]`;
      barcodes.set(code, index);
    }
  }
  return null;
}

function skusProblem(skus: unknown, ctx: ProductCheckContext): string | null {
  const max = ctx.market?.maxSkus ?? 300;
  if (!Array.isArray(skus) || skus.length === 0 || skus.length > max) return `skus: 1 to ${max} SKUs`;
  for (const [index, sku] of skus.entries()) {
    const problem = skuProblem(sku, index, ctx);
    if (problem) return problem;
  }
  return skuSetProblem(skus as Fields[]);
}

function positive(value: unknown, pattern: RegExp): boolean {
  if (typeof value === "number") return value > 0 && (pattern !== WHOLE_NUMBER || Number.isInteger(value));
  return typeof value === "string" && pattern.test(value) && Number(value) > 0;
}

function packageProblem(body: Fields, ctx: ProductCheckContext): string | null {
  const weight = body.package_weight;
  if (!isObject(weight)) return "package_weight: required ({value, unit})";
  if (!positive(weight.value, POSITIVE_NUMBER)) return "package_weight.value: must be a number above 0";
  if (weight.unit !== "KILOGRAM" && weight.unit !== "POUND") return "package_weight.unit: must be KILOGRAM or POUND";
  if (weight.unit === "POUND" && ctx.market?.imperialUnits !== true) return `package_weight.unit: POUND is not accepted in a ${ctx.region} shop (use KILOGRAM)`;
  const dimensions = body.package_dimensions;
  if (dimensions === undefined) return ctx.market?.packageDimensionsRequired ? `package_dimensions: required in a ${ctx.region} shop` : null;
  if (!isObject(dimensions)) return "package_dimensions: must be {length, width, height, unit}";
  for (const side of ["length", "width", "height"] as const) {
    if (!positive(dimensions[side], WHOLE_NUMBER)) return `package_dimensions.${side}: must be a whole number above 0`;
  }
  if (dimensions.unit !== "CENTIMETER" && dimensions.unit !== "INCH") return "package_dimensions.unit: must be CENTIMETER or INCH";
  const paired = (dimensions.unit === "INCH") === (weight.unit === "POUND");
  return paired ? null : "package_dimensions.unit: CENTIMETER goes with KILOGRAM, INCH with POUND";
}

/** The first problem of a create or full-edit body, or null when TikTok takes it. */
export function productProblem(body: unknown, ctx: ProductCheckContext): string | null {
  if (!isObject(body)) return "body: must be a JSON object";
  return (
    unknownField(body, PRODUCT_FIELDS, "") ??
    (body.save_mode === undefined || body.save_mode === "AS_DRAFT" || body.save_mode === "LISTING" ? null : "save_mode: must be AS_DRAFT or LISTING") ??
    titleProblem(body.title, ctx) ??
    descriptionProblem(body.description) ??
    categoryProblem(body.category_id, ctx) ??
    (body.brand_id === undefined || typeof body.brand_id === "string" ? null : "brand_id: must be a string") ??
    mainImagesProblem(body.main_images, ctx) ??
    skusProblem(body.skus, ctx) ??
    packageProblem(body, ctx) ??
    optionalText(body.external_product_id, "external_product_id", 999)
  );
}
