import { z } from "zod";
import { gidType, isGid } from "./gid";
import { normalizeMetafield, type MetafieldParseOptions } from "./metafields";
import type {
  Gid,
  InventoryLevel,
  MediaImage,
  Metafield,
  Product,
  SellingPlan,
  SellingPlanGroup,
  Variant,
} from "./types";
import { describeIssues } from "./zod-issues";

/**
 * Assembles the JSONL output of the catalog bulk queries (bulk-query.ts) into catalog Products.
 *
 * Bulk output is one object per line; each object of a nested connection is its own line whose
 * `__parentId` is the GID of the enclosing connection node. Shopify does not promise that a parent
 * precedes its children, so lines are only collected by `push`; relations are resolved, and each
 * product normalised once, in `finish`. Sibling lines of one kind keep their relative order (that is
 * the order of the connection, e.g. media order).
 *
 * The line kind is the type in the `id` GID. Lines read (one example each):
 *
 *   Product (top level; from CATALOG_BULK_QUERY):
 *     {"id":"gid://shopify/Product/1","handle":"linen-shirt","title":"Linen Shirt","descriptionHtml":"<p>Soft</p>",
 *      "vendor":"Maison Lin","productType":"Shirts","tags":["social:tiktok"],"status":"ACTIVE",
 *      "options":[{"name":"Size","position":1,"values":["S","M"]}],"onlineStoreUrl":null,
 *      "seo":{"title":null,"description":null},
 *      "category":{"id":"gid://shopify/TaxonomyCategory/aa-1-13-8","fullName":"Apparel & Accessories > Clothing > Shirts & Tops"},
 *      "createdAt":"2025-01-01T00:00:00Z","updatedAt":"2025-02-01T00:00:00Z"}
 *   Product, id only (top level; from CATALOG_RELATIONS_BULK_QUERY, merged into the line above):
 *     {"id":"gid://shopify/Product/1"}
 *   MediaImage (parent Product; Video, ExternalVideo and Model3d lines are skipped):
 *     {"id":"gid://shopify/MediaImage/5","alt":"Front","image":{"url":"https://cdn.shopify.com/.../a.jpg?v=1","width":2048,"height":2048},
 *      "__parentId":"gid://shopify/Product/1"}
 *   ProductVariant (parent Product):
 *     {"id":"gid://shopify/ProductVariant/2","title":"S","sku":"LS-S","barcode":"4006381333931","position":1,"price":"49.00",
 *      "compareAtPrice":null,"selectedOptions":[{"name":"Size","value":"S"}],"image":{"url":"https://cdn.shopify.com/.../a.jpg?v=1"},
 *      "inventoryPolicy":"DENY","inventoryItem":{"id":"gid://shopify/InventoryItem/3","tracked":true,"countryCodeOfOrigin":"PT",
 *      "harmonizedSystemCode":"620520","measurement":{"weight":{"value":0.3,"unit":"KILOGRAMS"}}},
 *      "__parentId":"gid://shopify/Product/1"}
 *   InventoryLevel (parent ProductVariant, because inventoryItem is not a connection):
 *     {"id":"gid://shopify/InventoryLevel/9?inventory_item_id=3","location":{"id":"gid://shopify/Location/7","name":"Warehouse"},
 *      "quantities":[{"name":"available","quantity":4}],"__parentId":"gid://shopify/ProductVariant/2"}
 *   Metafield (parent Product or ProductVariant):
 *     {"id":"gid://shopify/Metafield/11","namespace":"custom","key":"material","type":"single_line_text_field",
 *      "value":"Linen","__parentId":"gid://shopify/Product/1"}
 *   Collection (parent Product): {"id":"gid://shopify/Collection/12","__parentId":"gid://shopify/Product/1"}
 *   SellingPlanGroup (parent Product; a parent ProductVariant is also accepted and lists the variant's groups):
 *     {"id":"gid://shopify/SellingPlanGroup/13","name":"Pre-order","merchantCode":"preorder-march",
 *      "__parentId":"gid://shopify/Product/1"}
 *   SellingPlan (parent SellingPlanGroup; repeated under every product the group applies to):
 *     {"id":"gid://shopify/SellingPlan/14","name":"Ships 15 March","category":"PRE_ORDER",
 *      "deliveryPolicy":{"fulfillmentTrigger":"EXACT_TIME","fulfillmentExactTime":"2026-03-15T00:00:00Z"},
 *      "inventoryPolicy":{"reserve":"ON_FULFILLMENT"},"__parentId":"gid://shopify/SellingPlanGroup/13"}
 */

export interface BulkProblem {
  lineNumber: number;
  message: string;
}

/** A line that cannot be read at all: the file is not bulk output, so reading stops. */
export class BulkJsonlError extends Error {
  readonly lineNumber: number;

  constructor(lineNumber: number, message: string) {
    super(`line ${lineNumber}: ${message}`);
    this.name = "BulkJsonlError";
    this.lineNumber = lineNumber;
  }
}

export interface BulkCatalogAssemblerOptions {
  /** Used for `money` metafields written without a currency code. */
  shopCurrency?: string;
}

export interface BulkCatalogAssembler {
  push(line: string, lineNumber: number): void;
  finish(): { products: Product[]; problems: BulkProblem[] };
}

// ---------------------------------------------------------------------------------------------
// Line shapes (what CATALOG_BULK_QUERIES select). Strict on purpose: a field missing here means the
// query and this reader drifted apart, which must show up as a problem, not as a silent default.

const nullableString = z.string().nullable();

const ProductLineSchema = z.object({
  id: z.string(),
  handle: z.string(),
  title: z.string(),
  descriptionHtml: z.string(),
  vendor: z.string(),
  productType: z.string(),
  tags: z.array(z.string()),
  status: z.enum(["ACTIVE", "DRAFT", "ARCHIVED", "UNLISTED"]),
  options: z.array(z.object({ name: z.string(), position: z.number().int(), values: z.array(z.string()) })),
  onlineStoreUrl: nullableString,
  seo: z.object({ title: nullableString, description: nullableString }),
  category: z.object({ id: z.string(), fullName: z.string() }).nullable(),
  createdAt: nullableString,
  updatedAt: nullableString,
});

const VariantLineSchema = z.object({
  id: z.string(),
  title: z.string(),
  sku: nullableString,
  barcode: nullableString,
  position: z.number().int(),
  price: z.string(),
  compareAtPrice: nullableString,
  selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })),
  image: z.object({ url: z.string() }).nullable(),
  inventoryPolicy: z.enum(["DENY", "CONTINUE"]),
  inventoryItem: z.object({
    id: z.string(),
    tracked: z.boolean(),
    countryCodeOfOrigin: nullableString,
    harmonizedSystemCode: nullableString,
    measurement: z.object({
      weight: z.object({ value: z.number(), unit: z.enum(["GRAMS", "KILOGRAMS", "OUNCES", "POUNDS"]) }).nullable(),
    }),
  }),
});

const MediaImageLineSchema = z.object({
  id: z.string(),
  alt: nullableString,
  // null while Shopify is still processing the upload.
  image: z.object({ url: z.string(), width: z.number().int().nullable(), height: z.number().int().nullable() }).nullable(),
});

const MetafieldLineSchema = z.object({ id: z.string(), namespace: z.string(), key: z.string(), type: z.string(), value: z.string() });

const InventoryLevelLineSchema = z.object({
  id: z.string(),
  location: z.object({ id: z.string(), name: z.string() }),
  quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
});

const SellingPlanGroupLineSchema = z.object({ id: z.string(), name: z.string(), merchantCode: z.string() });

const SellingPlanLineSchema = z.object({
  id: z.string(),
  name: z.string(),
  category: z.enum(["PRE_ORDER", "TRY_BEFORE_YOU_BUY", "SUBSCRIPTION", "OTHER"]).nullable(),
  // Only the fixed policy's fields are selected, so a recurring policy arrives as {}.
  deliveryPolicy: z.object({ fulfillmentTrigger: z.string().optional(), fulfillmentExactTime: nullableString.optional() }),
  inventoryPolicy: z.object({ reserve: z.string() }).nullable(),
});

/** The JSON of each line kind (without `__parentId`); the demo generator writes exactly these. */
export type BulkProductLine = z.input<typeof ProductLineSchema>;
export type BulkVariantLine = z.input<typeof VariantLineSchema>;
export type BulkMediaImageLine = z.input<typeof MediaImageLineSchema>;
export type BulkMetafieldLine = z.input<typeof MetafieldLineSchema>;
export type BulkInventoryLevelLine = z.input<typeof InventoryLevelLineSchema>;
export type BulkSellingPlanGroupLine = z.input<typeof SellingPlanGroupLineSchema>;
export type BulkSellingPlanLine = z.input<typeof SellingPlanLineSchema>;

// ---------------------------------------------------------------------------------------------
// Which kinds may hang under which parent kind. Anything else is reported, never guessed at.

const PARENT_KINDS = ["Product", "ProductVariant", "SellingPlanGroup"] as const;

const CHILD_KINDS: Record<(typeof PARENT_KINDS)[number], readonly string[]> & Record<string, readonly string[] | undefined> = {
  Product: ["ProductVariant", "MediaImage", "Metafield", "Collection", "SellingPlanGroup"],
  ProductVariant: ["Metafield", "InventoryLevel", "SellingPlanGroup"],
  SellingPlanGroup: ["SellingPlan"],
};

// These two run for every line: a short list compares strings directly, where a Set would first hash
// each freshly read kind.

/** Whether lines of this kind may have children (Product, ProductVariant, SellingPlanGroup). */
export function isBulkParentKind(kind: string): boolean {
  return (PARENT_KINDS as readonly string[]).includes(kind);
}

/** Media the catalog does not use yet; read past them rather than report them. */
const SKIPPED_KINDS: readonly string[] = ["Video", "ExternalVideo", "Model3d"];

export function isSkippedBulkKind(kind: string): boolean {
  return SKIPPED_KINDS.includes(kind);
}

/** One line as `parseBulkLine` reads it: its identity, and its fields. */
export interface BulkLine {
  id: Gid;
  /** The type named in the id GID ("Product", "ProductVariant", ...). */
  kind: string;
  parentId: Gid | null;
  /**
   * The parsed JSON object itself, `__parentId` included: copying it without that key costs more than
   * the rest of reading the line, and the line schemas ignore keys they do not name.
   */
  fields: Record<string, unknown>;
}

interface LineNode {
  kind: string;
  /** The line that brought the fields; a repeat (the id-only product line) is merged in. */
  lineNumber: number;
  fields: Record<string, unknown>;
  hasParent: boolean;
}

/** Where a line sits: enough to find its fields and to name it in a problem. */
interface LineRef {
  id: Gid;
  kind: string;
  lineNumber: number;
}

/**
 * Lines collected for assembly: every line of a file (createBulkCatalogAssembler), or of one product
 * (the streaming assembler in bulk-stream.ts). Treat as opaque outside this module.
 */
export interface BulkLineStore {
  nodes: Map<Gid, LineNode>;
  /** Children per parent GID, in line order, one entry per child id (its first line). */
  childrenByParent: Map<Gid, LineRef[]>;
}

/** What building needs beyond the lines; one per file, shared by every product built from it. */
export interface BulkBuildState {
  problems: BulkProblem[];
  metafieldOptions: MetafieldParseOptions;
  /** A selling plan group repeats under every product it applies to; built once, shared. */
  groupCache: Map<Gid, SellingPlanGroup | null>;
}

type BuildContext = BulkLineStore & BulkBuildState;

/** Reads one JSONL line's identity; throws BulkJsonlError (with the line number) on anything unreadable. */
export function parseBulkLine(line: string, lineNumber: number): BulkLine {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new BulkJsonlError(lineNumber, `invalid JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new BulkJsonlError(lineNumber, "expected a JSON object");
  }
  const fields = parsed as Record<string, unknown>;
  const { id, __parentId: parentId } = fields;
  if (typeof id !== "string" || id === "") throw new BulkJsonlError(lineNumber, "object has no id");
  const kind = gidType(id);
  if (kind === null) throw new BulkJsonlError(lineNumber, `id ${JSON.stringify(id)} is not a Shopify GID`);
  if (parentId !== undefined && (typeof parentId !== "string" || !isGid(parentId))) {
    throw new BulkJsonlError(lineNumber, "__parentId is not a Shopify GID");
  }
  return { id, kind, parentId: parentId ?? null, fields };
}

/** Compares image URLs without the `?v=` cache-buster, which may differ between fields. */
function imageKey(url: string): string {
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

/** Shopify returns both null and "" for an empty SKU or barcode; the catalog uses null. */
function blankToNull(value: string | null): string | null {
  return value === null || value.trim() === "" ? null : value;
}

function report(ctx: BuildContext, lineNumber: number, message: string): void {
  ctx.problems.push({ lineNumber, message });
}

function children(ctx: BuildContext, parentId: Gid, kind: string): LineRef[] {
  return ctx.childrenByParent.get(parentId)?.filter((ref) => ref.kind === kind) ?? [];
}

/** The line's fields in the shape the query promised, or null after reporting what is wrong. */
function validateLine<T>(ctx: BuildContext, schema: z.ZodType<T>, ref: LineRef): T | null {
  const result = schema.safeParse(ctx.nodes.get(ref.id)?.fields ?? {});
  if (result.success) return result.data;
  report(ctx, ref.lineNumber, `${ref.kind} ${ref.id}: ${describeIssues(result.error).join("; ")}`);
  return null;
}

function metafieldsOf(ctx: BuildContext, ownerId: Gid): Metafield[] {
  return children(ctx, ownerId, "Metafield").flatMap((ref) => {
    const line = validateLine(ctx, MetafieldLineSchema, ref);
    if (!line) return [];
    const { metafield, problem } = normalizeMetafield(line, ctx.metafieldOptions);
    if (problem) report(ctx, ref.lineNumber, `${ownerId} ${problem}`);
    return [metafield];
  });
}

function levelsOf(ctx: BuildContext, variantId: Gid): InventoryLevel[] {
  return children(ctx, variantId, "InventoryLevel").flatMap((ref) => {
    const line = validateLine(ctx, InventoryLevelLineSchema, ref);
    if (!line) return [];
    const available = line.quantities.find((quantity) => quantity.name === "available")?.quantity ?? 0;
    return [{ locationId: line.location.id, locationName: line.location.name, available }];
  });
}

function sellingPlanOf(ctx: BuildContext, ref: LineRef): SellingPlan[] {
  const line = validateLine(ctx, SellingPlanLineSchema, ref);
  if (!line) return [];
  return [
    {
      id: line.id,
      name: line.name,
      category: line.category ?? "OTHER",
      fulfillmentTrigger: line.deliveryPolicy.fulfillmentTrigger ?? null,
      fulfillmentExactTime: line.deliveryPolicy.fulfillmentExactTime ?? null,
      inventoryReserve: line.inventoryPolicy?.reserve ?? null,
    },
  ];
}

function sellingPlanGroupOf(ctx: BuildContext, ref: LineRef): SellingPlanGroup[] {
  if (!ctx.groupCache.has(ref.id)) {
    const line = validateLine(ctx, SellingPlanGroupLineSchema, ref);
    const sellingPlans = line ? children(ctx, ref.id, "SellingPlan").flatMap((plan) => sellingPlanOf(ctx, plan)) : [];
    ctx.groupCache.set(ref.id, line ? { id: line.id, name: line.name, merchantCode: line.merchantCode, sellingPlans } : null);
  }
  const group = ctx.groupCache.get(ref.id);
  return group ? [group] : [];
}

function mediaOf(ctx: BuildContext, productId: Gid): MediaImage[] {
  return children(ctx, productId, "MediaImage").flatMap((ref) => {
    const line = validateLine(ctx, MediaImageLineSchema, ref);
    if (!line?.image) return [];
    return [{ id: line.id, url: line.image.url, altText: line.alt, width: line.image.width, height: line.image.height }];
  });
}

function variantOf(ctx: BuildContext, ref: LineRef, productId: Gid, media: MediaImage[]): Variant[] {
  const line = validateLine(ctx, VariantLineSchema, ref);
  if (!line) return [];
  const levels = levelsOf(ctx, line.id);
  const weight = line.inventoryItem.measurement.weight;
  const wantedImage = line.image ? imageKey(line.image.url) : null;
  return [
    {
      id: line.id,
      productId,
      title: line.title,
      sku: blankToNull(line.sku),
      barcode: blankToNull(line.barcode),
      position: line.position,
      price: line.price,
      compareAtPrice: line.compareAtPrice,
      selectedOptions: line.selectedOptions,
      // ProductVariant.image and MediaImage.image are the same file but carry different ids.
      imageId: media.find((image) => imageKey(image.url) === wantedImage)?.id ?? null,
      weight: weight?.value ?? null,
      weightUnit: weight?.unit ?? null,
      inventoryPolicy: line.inventoryPolicy,
      inventoryItem: {
        id: line.inventoryItem.id,
        tracked: line.inventoryItem.tracked,
        countryCodeOfOrigin: line.inventoryItem.countryCodeOfOrigin,
        harmonizedSystemCode: line.inventoryItem.harmonizedSystemCode,
        levels,
      },
      availableQuantity: levels.reduce((sum, level) => sum + level.available, 0),
      sellingPlanGroupIds: children(ctx, line.id, "SellingPlanGroup").map((group) => group.id),
      metafields: metafieldsOf(ctx, line.id),
      marketPrices: {},
    },
  ];
}

function productOf(ctx: BuildContext, ref: LineRef): Product | null {
  if (!("title" in (ctx.nodes.get(ref.id)?.fields ?? {}))) {
    report(ctx, ref.lineNumber, `Product ${ref.id} appeared only as an id-only line; its full line (CATALOG_BULK_QUERY) is missing`);
    return null;
  }
  const line = validateLine(ctx, ProductLineSchema, ref);
  if (!line) return null;
  const media = mediaOf(ctx, ref.id);
  const variants = children(ctx, ref.id, "ProductVariant").flatMap((variant) => variantOf(ctx, variant, ref.id, media));
  return {
    ...line,
    media,
    collectionIds: children(ctx, ref.id, "Collection").map((collection) => collection.id),
    metafields: metafieldsOf(ctx, ref.id),
    variants: variants.sort((a, b) => a.position - b.position),
    sellingPlanGroups: children(ctx, ref.id, "SellingPlanGroup").flatMap((group) => sellingPlanGroupOf(ctx, group)),
  };
}

/** Children of parents that never came, children under the wrong kind, and stray top-level lines. */
function reportMisplacedLines(ctx: BuildContext): void {
  for (const [parentId, refs] of ctx.childrenByParent) {
    const parentKind = ctx.nodes.get(parentId)?.kind;
    for (const ref of refs) {
      if (parentKind === undefined) {
        report(ctx, ref.lineNumber, `${ref.kind} ${ref.id} names parent ${parentId}, which never appeared in the file`);
      } else if (!CHILD_KINDS[parentKind]?.includes(ref.kind)) {
        report(ctx, ref.lineNumber, `${ref.kind} ${ref.id} is not expected under ${parentKind} ${parentId}`);
      }
    }
  }
  for (const [id, node] of ctx.nodes) {
    if (!node.hasParent && node.kind !== "Product") report(ctx, node.lineNumber, `${node.kind} ${id} has no __parentId`);
  }
}

/** The line, or null for a blank line or a kind the catalog skips; throws BulkJsonlError when unreadable. */
export function readBulkLine(line: string, lineNumber: number): BulkLine | null {
  // A trailing newline at the end of the file; the first test spares trimming every line.
  if (line.length === 0 || (line.charCodeAt(0) <= 0x20 && line.trim() === "")) return null;
  const parsed = parseBulkLine(line, lineNumber);
  return SKIPPED_KINDS.includes(parsed.kind) ? null : parsed;
}

export function createBulkLineStore(): BulkLineStore {
  return { nodes: new Map(), childrenByParent: new Map() };
}

export function addBulkLine(store: BulkLineStore, line: BulkLine, lineNumber: number): void {
  const { id, kind, parentId, fields } = line;
  let node = store.nodes.get(id);
  const repeated = node !== undefined;
  if (node === undefined) {
    node = { kind, lineNumber, fields, hasParent: false };
    store.nodes.set(id, node);
  } else {
    // The id-only product line may come first; problems should then name the full line.
    if (Object.keys(node.fields).length <= 1) node.lineNumber = lineNumber;
    node.fields = { ...node.fields, ...fields };
  }
  if (parentId === null) return;
  node.hasParent = true;
  const siblings = store.childrenByParent.get(parentId);
  if (siblings === undefined) store.childrenByParent.set(parentId, [{ id, kind, lineNumber }]);
  // Only an id seen before can already be listed (a selling plan repeated under each product).
  else if (!repeated || !siblings.some((ref) => ref.id === id)) siblings.push({ id, kind, lineNumber });
}

export function createBulkBuildState(options: BulkCatalogAssemblerOptions = {}): BulkBuildState {
  return { problems: [], metafieldOptions: { defaultCurrency: options.shopCurrency }, groupCache: new Map() };
}

/**
 * Resolves the relations of the lines in `store` and normalises each product in it once, in the order
 * their lines first appeared; reports lines that hang nowhere. Problems go to `state` (unsorted).
 */
export function buildBulkProducts(store: BulkLineStore, state: BulkBuildState): Product[] {
  const ctx: BuildContext = { ...store, ...state };
  const products: Product[] = [];
  for (const [id, node] of store.nodes) {
    if (node.kind !== "Product") continue;
    const product = productOf(ctx, { id, kind: node.kind, lineNumber: node.lineNumber });
    if (product) products.push(product);
  }
  reportMisplacedLines(ctx);
  return products;
}

/** The problems in line order; the sort is stable, so problems of one line keep their order. */
export function problemsInLineOrder(state: BulkBuildState): BulkProblem[] {
  return [...state.problems].sort((a, b) => a.lineNumber - b.lineNumber);
}

export function createBulkCatalogAssembler(options: BulkCatalogAssemblerOptions = {}): BulkCatalogAssembler {
  const store = createBulkLineStore();

  function push(line: string, lineNumber: number): void {
    const parsed = readBulkLine(line, lineNumber);
    if (parsed) addBulkLine(store, parsed, lineNumber);
  }

  /** Resolves every relation and normalises each product once. */
  function finish(): { products: Product[]; problems: BulkProblem[] } {
    const state = createBulkBuildState(options);
    const products = buildBulkProducts(store, state);
    return { products, problems: problemsInLineOrder(state) };
  }

  return { push, finish };
}
