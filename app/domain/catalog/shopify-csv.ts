import { parse } from "csv-parse/sync";
import { normalizeMetafield, type MetafieldInput } from "./metafields";
import { normalizeRestProduct } from "./rest-product";
import type { Metafield, Product, ProductStatus } from "./types";

/**
 * Reads Shopify's product import/export CSV into catalog Products.
 *
 * Layout: one row per variant; rows with the same Handle are one product, its fields on the first
 * row; rows with only image columns add images. Columns are found by header name, case and spacing
 * ignored, under both the classic names ("Variant Price", "Image Src") and the renamed ones of newer
 * exports ("Price", "Product image URL"); unknown columns are ignored, missing ones read as blank.
 *
 * Rows are turned into the Admin REST product shape and normalised by normalizeRestProduct, so a
 * product read from a CSV is exactly what the same product's JSON export gives: media are ProductImage
 * ids, inventory is one total without locations, no collections or selling plans. On top of that the
 * CSV adds SEO title and description, the product category, and the "Google Shopping / ..." columns
 * as `mm-google-shopping` metafields (google_product_category, gender, age_group, mpn, condition,
 * custom_label_0..4). Those columns are product-level in older exports (first row only) and
 * variant-level in newer ones: when any row after a product's first has one, every row's values go to
 * its variant; otherwise the first row's go to the product (variants fall back to it).
 *
 * The CSV has no ids, so ids are made up, deterministically, so a feed built twice from the same file
 * has the same item ids: `gid://shopify/Product/<n>` with n a 53-bit hash of the handle, variants and
 * their inventory items of handle + variant position (1, 2, ... in row order), images of handle +
 * image position. They are never real Shopify ids; moving a variant to another row changes its id.
 *
 * Other choices, after Shopify's import: Status when present, else Published (TRUE or blank → ACTIVE,
 * FALSE → DRAFT); prices padded to two decimals as Shopify returns them ("50" → "50.00"); weight from
 * the grams column in the variant's display unit ("Variant Weight Unit"); a blank inventory tracker
 * means untracked; "Product Category" gives `category` with fullName set and id "" (the CSV carries the
 * name only), or with id set and fullName "" when the cell holds a taxonomy id ("aa-1-13-8").
 */

export interface ShopifyCsvOptions {
  /** The shop's currency: for `money` metafields written without one. */
  shopCurrency?: string;
}

export interface ShopifyCsvProblem {
  /** 1-based line of the file where the row starts (rows given as arrays: the row's index + 1). */
  line: number;
  message: string;
}

export interface ShopifyCsvResult {
  products: Product[];
  problems: ShopifyCsvProblem[];
}

/** The text is not a CSV Shopify could import: unbalanced quotes, or no Handle column. */
export class ShopifyCsvError extends Error {
  readonly line: number | null;

  constructor(message: string, line: number | null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = "ShopifyCsvError";
    this.line = line;
  }
}

// ---------------------------------------------------------------------------------------------
// Columns

/** Header names, normalised (see headerKey), under every name Shopify has exported them. */
const COLUMN_NAMES = {
  handle: ["handle", "url handle"],
  title: ["title"],
  body: ["body (html)", "description"],
  vendor: ["vendor"],
  category: ["product category"],
  type: ["type", "product type"],
  tags: ["tags"],
  published: ["published", "published on online store"],
  status: ["status"],
  option1Name: ["option1 name"],
  option1Value: ["option1 value"],
  option2Name: ["option2 name"],
  option2Value: ["option2 value"],
  option3Name: ["option3 name"],
  option3Value: ["option3 value"],
  sku: ["variant sku", "sku"],
  grams: ["variant grams", "weight value (grams)"],
  tracker: ["variant inventory tracker", "inventory tracker"],
  quantity: ["variant inventory qty", "inventory quantity"],
  policy: ["variant inventory policy", "continue selling when out of stock"],
  price: ["variant price", "price"],
  compareAtPrice: ["variant compare at price", "compare at price"],
  barcode: ["variant barcode", "barcode"],
  imageSrc: ["image src", "product image url"],
  imagePosition: ["image position"],
  imageAlt: ["image alt text"],
  seoTitle: ["seo title"],
  seoDescription: ["seo description"],
  variantImage: ["variant image", "variant image url"],
  weightUnit: ["variant weight unit", "weight unit for display"],
} as const;

type Column = keyof typeof COLUMN_NAMES;

const OPTION_COLUMNS = [
  { name: "option1Name", value: "option1Value" },
  { name: "option2Name", value: "option2Value" },
  { name: "option3Name", value: "option3Value" },
] as const satisfies readonly { name: Column; value: Column }[];

/** Columns that make a row a variant row; a row with none of them only adds an image. */
const VARIANT_COLUMNS: readonly Column[] = ["option1Value", "option2Value", "option3Value", "sku", "price", "compareAtPrice", "barcode", "grams", "quantity"];

/** Shopify's option of a product without options. */
const DEFAULT_OPTION = { name: "Title", value: "Default Title" } as const;

const GOOGLE_NAMESPACE = "mm-google-shopping";
const GOOGLE_PREFIX = "google shopping /";
/** "Google Shopping / <label>" → metafield key, by normalised label. */
const GOOGLE_KEYS: Readonly<Record<string, string>> = {
  "google product category": "google_product_category",
  gender: "gender",
  "age group": "age_group",
  mpn: "mpn",
  "manufacturer part number (mpn)": "mpn",
  condition: "condition",
  "custom label 0": "custom_label_0",
  "custom label 1": "custom_label_1",
  "custom label 2": "custom_label_2",
  "custom label 3": "custom_label_3",
  "custom label 4": "custom_label_4",
};

/** Display units of "Variant Weight Unit" → grams per unit; the REST shape spells units the same way. */
const GRAMS_PER_UNIT: Readonly<Record<string, number>> = { g: 1, kg: 1000, lb: 453.59237, oz: 28.349523125 };
const REST_STATUSES = new Set(["active", "draft", "archived", "unlisted"]);
const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE_NUMBER = /^-?\d+$/;
const TAXONOMY_ID = /^(gid:\/\/shopify\/TaxonomyCategory\/)?([a-z]{2}(-\d+)*)$/;

/** Lower case, hyphens as spaces, one space between words: "Compare-at price" = "Variant Compare At Price" minus the prefix. */
function headerKey(name: string): string {
  return name.trim().toLowerCase().replace(/-/g, " ").replace(/\s+/g, " ");
}

interface ColumnIndex {
  byColumn: Map<Column, number>;
  /** Column index → metafield key, for the Google Shopping columns present. */
  google: { index: number; key: string }[];
}

function indexColumns(header: readonly string[]): ColumnIndex {
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    const key = headerKey(name);
    if (!positions.has(key)) positions.set(key, index);
  });
  const byColumn = new Map<Column, number>();
  for (const [column, names] of Object.entries(COLUMN_NAMES) as [Column, readonly string[]][]) {
    const index = names.map((name) => positions.get(name)).find((found) => found !== undefined);
    if (index !== undefined) byColumn.set(column, index);
  }
  const google: ColumnIndex["google"] = [];
  header.forEach((name, index) => {
    const key = headerKey(name);
    const metafieldKey = key.startsWith(GOOGLE_PREFIX) ? GOOGLE_KEYS[key.slice(GOOGLE_PREFIX.length).trim()] : undefined;
    if (metafieldKey) google.push({ index, key: metafieldKey });
  });
  return { byColumn, google };
}

// ---------------------------------------------------------------------------------------------
// Rows

interface Row {
  line: number;
  cells: readonly string[];
}

interface RowReader {
  /** The trimmed cell, "" when the column is missing. Body (HTML) keeps its spacing. */
  (row: Row, column: Column): string;
}

function rowReader(columns: ColumnIndex): RowReader {
  return (row, column) => {
    const index = columns.byColumn.get(column);
    const cell = index === undefined ? undefined : row.cells[index];
    if (cell === undefined) return "";
    return column === "body" ? cell : cell.trim();
  };
}

interface ParsedRecord {
  record: string[];
  /** `lines`: the line the record ends on; `empty_lines`: empty lines skipped so far. */
  info: { lines: number; empty_lines: number };
}

/** Parses with csv-parse; each row knows the line it starts on (a quoted cell may span lines). */
function parseRows(text: string): Row[] {
  let records: ParsedRecord[];
  try {
    // With `info`, each record comes as {record, info}; csv-parse's types do not model that overload.
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as ParsedRecord[];
  } catch (error) {
    const line = (error as { lines?: unknown }).lines;
    throw new ShopifyCsvError(`not valid CSV (${(error as Error).message})`, typeof line === "number" ? line : null);
  }
  let previousEnd = 0;
  let previousEmpty = 0;
  return records.map(({ record, info }) => {
    // Lines up to the previous record's end, plus the empty lines skipped since.
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    return { line, cells: record };
  });
}

// ---------------------------------------------------------------------------------------------
// Synthetic ids

/** FNV-1a over UTF-16 code units with the given offset basis. */
function fnv1a(text: string, basis: number): number {
  let hash = basis;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A 53-bit number from the parts, as decimal text (exact in a double, digits only like Shopify's ids). */
function syntheticId(...parts: (string | number)[]): string {
  const text = parts.join("\u0000");
  const high = fnv1a(text, 0x811c9dc5) & 0x1fffff;
  const low = fnv1a(text, 0x050c5d1f);
  return String(high * 2 ** 32 + low || 1);
}

// ---------------------------------------------------------------------------------------------
// Cells

/** Shopify returns prices with two decimals; a CSV edited by hand often has "50". */
function normalizePrice(text: string): string | null {
  if (!DECIMAL.test(text)) return null;
  const [whole, fraction = ""] = text.split(".");
  return `${whole}.${fraction.padEnd(2, "0")}`;
}

function statusOf(read: RowReader, row: Row, problems: ShopifyCsvProblem[]): ProductStatus {
  const status = read(row, "status").toLowerCase();
  if (REST_STATUSES.has(status)) return status.toUpperCase() as ProductStatus;
  if (status !== "") problems.push({ line: row.line, message: `Status "${status}" is not active, draft, archived or unlisted; Published is used instead` });
  // Shopify publishes a product whose Published cell is blank.
  return read(row, "published").toLowerCase() === "false" ? "DRAFT" : "ACTIVE";
}

function categoryOf(value: string): Product["category"] {
  if (value === "") return null;
  const taxonomyId = TAXONOMY_ID.exec(value)?.[2];
  return taxonomyId ? { id: `gid://shopify/TaxonomyCategory/${taxonomyId}`, fullName: "" } : { id: "", fullName: value };
}

/** Compares image URLs without the query (Shopify's `?v=` cache-buster). */
function imageKey(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

function googleMetafields(columns: ColumnIndex, row: Row): MetafieldInput[] {
  return columns.google.flatMap(({ index, key }) => {
    const value = (row.cells[index] ?? "").trim();
    return value === "" ? [] : [{ namespace: GOOGLE_NAMESPACE, key, type: "single_line_text_field", value }];
  });
}

// ---------------------------------------------------------------------------------------------
// Products

interface ProductRows {
  handle: string;
  rows: Row[];
}

/** Rows grouped by handle, in order of first appearance; rows without a handle are reported. */
function groupByHandle(rows: Row[], read: RowReader, problems: ShopifyCsvProblem[]): ProductRows[] {
  const byHandle = new Map<string, ProductRows>();
  for (const row of rows) {
    if (row.cells.every((cell) => cell.trim() === "")) continue;
    const handle = read(row, "handle");
    if (handle === "") {
      problems.push({ line: row.line, message: "the row has no Handle, so it belongs to no product; it was skipped" });
      continue;
    }
    const group = byHandle.get(handle) ?? { handle, rows: [] };
    group.rows.push(row);
    byHandle.set(handle, group);
  }
  return [...byHandle.values()];
}

interface RestImage {
  id: string;
  src: string;
  alt: string | null;
  position: number;
}

/** Image rows in Image Position order (row order when blank), one per URL; variant images not listed are added. */
function imagesOf(handle: string, rows: Row[], variantRows: Row[], read: RowReader): RestImage[] {
  const listed = rows
    .map((row, order) => ({ src: read(row, "imageSrc"), alt: read(row, "imageAlt"), position: Number.parseInt(read(row, "imagePosition"), 10), order }))
    .filter((image) => image.src !== "")
    .sort((a, b) => (Number.isNaN(a.position) ? Infinity : a.position) - (Number.isNaN(b.position) ? Infinity : b.position) || a.order - b.order);
  const images: RestImage[] = [];
  const seen = new Set<string>();
  const add = (src: string, alt: string) => {
    if (seen.has(imageKey(src))) return;
    seen.add(imageKey(src));
    images.push({ id: syntheticId(handle, "image", images.length + 1), src, alt: alt === "" ? null : alt, position: images.length + 1 });
  };
  for (const image of listed) add(image.src, image.alt);
  for (const row of variantRows) if (read(row, "variantImage") !== "") add(read(row, "variantImage"), "");
  return images;
}

interface VariantDraft {
  row: Row;
  payload: Record<string, unknown>;
}

function variantOf(ctx: ProductContext, row: Row, position: number, images: RestImage[]): VariantDraft | null {
  const { read, problems, handle } = ctx;
  const price = normalizePrice(read(row, "price"));
  if (price === null) {
    const cell = read(row, "price");
    problems.push({ line: row.line, message: cell === "" ? "the variant has no Variant Price; it was skipped" : `Variant Price "${cell}" is not a number like 19.99; the variant was skipped` });
    return null;
  }
  const compareAtCell = read(row, "compareAtPrice");
  const compareAtPrice = compareAtCell === "" ? null : normalizePrice(compareAtCell);
  if (compareAtCell !== "" && compareAtPrice === null) problems.push({ line: row.line, message: `Variant Compare At Price "${compareAtCell}" is not a number like 19.99; it was ignored` });
  const quantityCell = read(row, "quantity");
  if (quantityCell !== "" && !WHOLE_NUMBER.test(quantityCell)) problems.push({ line: row.line, message: `Variant Inventory Qty "${quantityCell}" is not a whole number; 0 was used` });
  const policy = read(row, "policy").toLowerCase();
  const variantImage = imageKey(read(row, "variantImage"));
  return {
    row,
    payload: {
      id: syntheticId(handle, "variant", position),
      sku: read(row, "sku"),
      barcode: read(row, "barcode"),
      position,
      price,
      compare_at_price: compareAtPrice,
      option1: read(row, "option1Value") || null,
      option2: read(row, "option2Value") || null,
      option3: read(row, "option3Value") || null,
      inventory_quantity: WHOLE_NUMBER.test(quantityCell) ? Number(quantityCell) : 0,
      inventory_policy: policy === "continue" || policy === "true" ? "continue" : "deny",
      // Absent column: the REST reading of an absent field (tracked). Blank cell: not tracked.
      inventory_management: ctx.hasTrackerColumn ? read(row, "tracker") || null : undefined,
      inventory_item_id: syntheticId(handle, "inventory-item", position),
      ...weightOf(read, row),
      image_id: variantImage === "" ? null : (images.find((image) => imageKey(image.src) === variantImage)?.id ?? null),
    },
  };
}

/** "Variant Grams" is always grams; the REST shape wants the weight in the display unit. */
function weightOf(read: RowReader, row: Row): { weight?: number; weight_unit?: string } {
  const grams = Number(read(row, "grams"));
  if (read(row, "grams") === "" || !Number.isFinite(grams)) return {};
  const unit = read(row, "weightUnit").toLowerCase();
  const gramsPerUnit = GRAMS_PER_UNIT[unit];
  if (gramsPerUnit === undefined) return { weight: grams, weight_unit: "g" };
  return { weight: Math.round((grams / gramsPerUnit) * 1000) / 1000, weight_unit: unit };
}

/** Option names from the first row; values in the order the variants use them. */
function optionsOf(first: Row, variants: VariantDraft[], read: RowReader, problems: ShopifyCsvProblem[]) {
  return OPTION_COLUMNS.flatMap(({ name: nameColumn }, k) => {
    const optionKey = `option${k + 1}` as const;
    const values = [...new Set(variants.map((variant) => variant.payload[optionKey]).filter((value): value is string => typeof value === "string"))];
    let name = read(first, nameColumn);
    if (name === "" && values.length === 0) return [];
    if (name === "") {
      name = `Option ${k + 1}`;
      problems.push({ line: first.line, message: `Option${k + 1} Value is set but Option${k + 1} Name is blank on the product's first row; the option is called "${name}"` });
    }
    return [{ name, position: k + 1, values }];
  });
}

interface ProductContext {
  handle: string;
  read: RowReader;
  columns: ColumnIndex;
  problems: ShopifyCsvProblem[];
  hasTrackerColumn: boolean;
  options: ShopifyCsvOptions;
}

function isVariantRow(read: RowReader, row: Row): boolean {
  return VARIANT_COLUMNS.some((column) => read(row, column) !== "");
}

function normalizeVariantMetafields(inputs: MetafieldInput[], line: number, ctx: ProductContext): Metafield[] {
  return inputs.map((input) => {
    const { metafield, problem } = normalizeMetafield(input, { defaultCurrency: ctx.options.shopCurrency });
    if (problem) ctx.problems.push({ line, message: problem });
    return metafield;
  });
}

function productOf(ctx: ProductContext, rows: Row[]): Product | null {
  const { read, handle, problems, columns } = ctx;
  const [first] = rows as [Row, ...Row[]];
  const variantRows = rows.filter((row) => isVariantRow(read, row));
  if (variantRows.length === 0) {
    problems.push({ line: first.line, message: `product "${handle}" has no variant rows (no price, SKU or option values); it was skipped` });
    return null;
  }
  const images = imagesOf(handle, rows, variantRows, read);
  const variants = variantRows.flatMap((row, index) => variantOf(ctx, row, index + 1, images) ?? []);
  if (variants.length === 0) return null;
  const googleOnVariants = variantRows.slice(1).some((row) => googleMetafields(columns, row).length > 0);
  let options = optionsOf(first, variants, read, problems);
  if (options.length === 0) {
    // Shopify's own representation of a product without options.
    options = [{ name: DEFAULT_OPTION.name, position: 1, values: [DEFAULT_OPTION.value] }];
    for (const variant of variants) variant.payload.option1 = DEFAULT_OPTION.value;
    if (variants.length > 1) problems.push({ line: first.line, message: `product "${handle}" has ${variants.length} variants but no Option1 Name or values, so they cannot be told apart` });
  }
  const payload = {
    id: syntheticId(handle, "product"),
    handle,
    title: read(first, "title"),
    body_html: read(first, "body"),
    vendor: read(first, "vendor"),
    product_type: read(first, "type"),
    tags: read(first, "tags"),
    status: statusOf(read, first, problems).toLowerCase(),
    variants: variants.map((variant) => variant.payload),
    options,
    images: images.map(({ id, src, alt, position }) => ({ id, src, alt, position })),
    metafields: googleOnVariants ? [] : googleMetafields(columns, first),
  };
  const result = normalizeRestProduct(payload, ctx.options.shopCurrency);
  if (!result.ok) {
    for (const problem of result.problems) problems.push({ line: first.line, message: `product "${handle}": ${problem}; it was skipped` });
    return null;
  }
  for (const warning of result.warnings) problems.push({ line: first.line, message: `product "${handle}": ${warning}` });
  const linesByPosition = new Map(variants.map((variant) => [variant.payload.position as number, variant.row]));
  return {
    ...result.product,
    category: categoryOf(read(first, "category")),
    seo: { title: read(first, "seoTitle") || null, description: read(first, "seoDescription") || null },
    variants: result.product.variants.map((variant) => {
      const row = linesByPosition.get(variant.position);
      if (!googleOnVariants || !row) return variant;
      return { ...variant, metafields: normalizeVariantMetafields(googleMetafields(columns, row), row.line, ctx) };
    }),
  };
}

function toRows(input: string | readonly (readonly string[])[]): Row[] {
  if (typeof input === "string") return parseRows(input);
  return input.map((cells, index) => ({ line: index + 1, cells }));
}

/**
 * Reads a Shopify product CSV (text, or rows with the header first). Throws ShopifyCsvError when the
 * text is not CSV or has no Handle column; anything else wrong is a problem, and the rest is read.
 */
export function parseShopifyProductCsv(input: string | readonly (readonly string[])[], options: ShopifyCsvOptions = {}): ShopifyCsvResult {
  const [header, ...rows] = toRows(input);
  if (!header) return { products: [], problems: [] };
  const columns = indexColumns(header.cells);
  if (!columns.byColumn.has("handle")) throw new ShopifyCsvError('the header row has no "Handle" column', header.line);
  const read = rowReader(columns);
  const problems: ShopifyCsvProblem[] = [];
  const products = groupByHandle(rows, read, problems).flatMap(({ handle, rows: productRows }) => {
    const ctx: ProductContext = { handle, read, columns, problems, hasTrackerColumn: columns.byColumn.has("tracker"), options };
    return productOf(ctx, productRows) ?? [];
  });
  problems.sort((a, b) => a.line - b.line);
  return { products, problems };
}
