import { parseBulkLine, type BulkProductLine } from "../../app/domain/catalog/bulk-jsonl";
import { gidType } from "../../app/domain/catalog/gid";
import { connection } from "./fake-shopify-schema";

/**
 * The catalog state of FakeShopifyShop, kept as the bulk JSONL lines it was given (the demo
 * generator's output: both catalog bulk queries' lines, see ~/domain/catalog/bulk-query.ts), so
 * a bulk download reproduces them byte for byte and in their order (children before parents
 * included). From the same lines it builds the GraphQL object graph that single-object queries
 * resolve against, and the REST/webhook payloads.
 */

type Gid = string;
type Fields = Record<string, unknown>;

/** Which of the two catalog bulk queries outputs a line. */
export type BulkQueryPart = "main" | "relations";

interface CatalogEntry {
  id: Gid;
  kind: string;
  parentId: Gid | null;
  /** The top-level product whose output block holds the line. */
  productId: Gid;
  part: BulkQueryPart;
  fields: Fields;
}

/** One product's lines: its CATALOG_BULK_QUERY lines, then its CATALOG_RELATIONS_BULK_QUERY lines. */
export interface FakeProductLines {
  id: Gid;
  lines: string[];
}

export interface FakeInventoryLevel {
  variantId: Gid;
  inventoryItemId: Gid;
  locationId: Gid;
  available: number;
}

export type ProductPatch = Partial<Omit<BulkProductLine, "id" | "createdAt" | "updatedAt">>;

const MEDIA_KINDS = ["MediaImage", "Video", "ExternalVideo", "Model3d"];
/** Kinds only CATALOG_BULK_QUERY selects; product metafields and the rest belong to the relations query. */
const MAIN_QUERY_KINDS = new Set([...MEDIA_KINDS, "ProductVariant", "InventoryLevel"]);
const REST_WEIGHT_UNITS: Record<string, string> = { GRAMS: "g", KILOGRAMS: "kg", OUNCES: "oz", POUNDS: "lb" };

function partOf(kind: string, parentId: Gid | null, fields: Fields): BulkQueryPart {
  if (kind === "Product") return Object.keys(fields).length > 1 ? "main" : "relations"; // the relations query selects only `id`
  if (kind === "Metafield") return parentId !== null && gidType(parentId) === "ProductVariant" ? "main" : "relations";
  return MAIN_QUERY_KINDS.has(kind) ? "main" : "relations";
}

/**
 * Reads bulk lines into entries. A line's product follows from its parent chain, except a
 * SellingPlan's: its parent group is shared by every product it applies to, so it belongs to the
 * product whose block it sits in (bulk output, and the generator, keep each product's lines together).
 */
function readEntries(lines: string[]): CatalogEntry[] {
  const parsed = lines.flatMap((line, index) => (line.trim() === "" ? [] : [parseBulkLine(line, index + 1)]));
  const productOfVariant = new Map(parsed.filter((line) => line.kind === "ProductVariant" && line.parentId).map((line) => [line.id, line.parentId!]));
  const productFromParents = (id: Gid, kind: string, parentId: Gid | null): Gid | null => {
    if (kind === "Product") return id;
    const parentKind = parentId === null ? null : gidType(parentId);
    if (parentKind === "Product") return parentId;
    if (parentKind === "ProductVariant") return productOfVariant.get(parentId!) ?? null;
    return null;
  };
  let blockProduct: Gid | null = null;
  return parsed.map(({ id, kind, parentId, fields }) => {
    const productId = productFromParents(id, kind, parentId) ?? blockProduct;
    if (productId === null) throw new Error(`FakeShopifyShop: cannot tell which product ${kind} ${id} belongs to`);
    blockProduct = productId;
    return { id, kind, parentId, productId, part: partOf(kind, parentId, fields), fields };
  });
}

function serialize(entry: CatalogEntry): string {
  return JSON.stringify(entry.parentId === null ? entry.fields : { ...entry.fields, __parentId: entry.parentId });
}

/** The number in a GID, as REST payloads carry ids. */
export function restId(gid: Gid): number {
  const match = /\/(\d+)(\?|$)/.exec(gid);
  if (!match) throw new Error(`not a numeric Shopify GID: ${gid}`);
  return Number(match[1]);
}

function withoutCacheBuster(url: string): string {
  return url.split("?")[0]!;
}

export class FakeCatalog {
  private entries: CatalogEntry[];
  /** Inventory level `updated_at` per `${inventoryItemGid} ${locationGid}`, once changed. */
  private readonly levelUpdatedAt = new Map<string, string>();

  constructor(
    lines: string[],
    private readonly startedAt: string,
  ) {
    this.entries = readEntries(lines);
  }

  // -------------------------------------------------------------------------------------------
  // Lines

  /** The output of one catalog bulk query over the current state, in stored order. */
  bulkLines(part: BulkQueryPart): string[] {
    return this.entries.filter((entry) => entry.part === part).map(serialize);
  }

  products(): FakeProductLines[] {
    return [...this.entriesByProduct()].map(([id, entries]) => ({
      id,
      lines: [...entries.filter((e) => e.part === "main"), ...entries.filter((e) => e.part === "relations")].map(serialize),
    }));
  }

  inventoryLevels(productGid: Gid): FakeInventoryLevel[] {
    const mine = this.entries.filter((entry) => entry.productId === productGid);
    return mine
      .filter((entry) => entry.kind === "ProductVariant")
      .flatMap((variant) =>
        mine
          .filter((level) => level.kind === "InventoryLevel" && level.parentId === variant.id)
          .map((level) => ({
            variantId: variant.id,
            inventoryItemId: (variant.fields.inventoryItem as { id: Gid }).id,
            locationId: (level.fields.location as { id: Gid }).id,
            available: this.availableOf(level),
          })),
      );
  }

  // -------------------------------------------------------------------------------------------
  // Changes, as a merchant or Shopify makes them

  updateProduct(gid: Gid, patch: ProductPatch, nowIso: string): void {
    const product = this.productEntry(gid);
    if ("id" in patch) throw new Error("updateProduct cannot change a product's id");
    Object.assign(product.fields, patch, { updatedAt: nowIso });
  }

  setAvailable(inventoryItemGid: Gid, locationGid: Gid, quantity: number, nowIso: string): void {
    const level = this.levelEntry(inventoryItemGid, locationGid);
    const others = (level.fields.quantities as { name: string }[]).filter((q) => q.name !== "available");
    level.fields.quantities = [{ name: "available", quantity }, ...others];
    this.levelUpdatedAt.set(`${inventoryItemGid} ${locationGid}`, nowIso);
  }

  deleteProduct(gid: Gid): void {
    this.productEntry(gid);
    this.entries = this.entries.filter((entry) => entry.productId !== gid);
  }

  /** Adds one product given as bulk lines of both queries; the relations query's id-only line is added if missing. */
  createProduct(lines: string[]): Gid {
    const added = readEntries(lines);
    const productIds = new Set(added.map((entry) => entry.productId));
    const [productId] = productIds;
    if (productIds.size !== 1 || productId === undefined) throw new Error(`createProduct takes the lines of exactly one product, got ${productIds.size}`);
    if (this.entries.some((entry) => entry.productId === productId)) throw new Error(`product ${productId} already exists`);
    if (!added.some((entry) => entry.kind === "Product" && entry.part === "main")) throw new Error(`createProduct: no full product line for ${productId}`);
    if (!added.some((entry) => entry.kind === "Product" && entry.part === "relations")) {
      added.push({ id: productId, kind: "Product", parentId: null, productId, part: "relations", fields: { id: productId } });
    }
    this.entries.push(...added);
    return productId;
  }

  // -------------------------------------------------------------------------------------------
  // GraphQL objects for the executor: plain fields from the lines, connections as functions
  // of their arguments, abstract types tagged with __typename.

  productNode(gid: Gid): Fields | null {
    return this.productGraph(gid, this.entries.filter((entry) => entry.productId === gid))?.product ?? null;
  }

  /** Every product, in catalog order (the `products` connection; no search `query` support). */
  productNodes(): Fields[] {
    return [...this.entriesByProduct()].flatMap(([gid, entries]) => {
      const graph = this.productGraph(gid, entries);
      return graph ? [graph.product] : [];
    });
  }

  inventoryItemNode(gid: Gid): Fields | null {
    const variant = this.entries.find((entry) => entry.kind === "ProductVariant" && (entry.fields.inventoryItem as { id?: string }).id === gid);
    const node = variant && this.productGraph(variant.productId, this.entries.filter((entry) => entry.productId === variant.productId))?.variants.get(variant.id);
    return (node?.inventoryItem as Fields | undefined) ?? null;
  }

  /** `node(id:)` for the catalog's own types. */
  node(gid: Gid): Fields | null {
    switch (gidType(gid)) {
      case "Product":
        return this.productNode(gid);
      case "InventoryItem":
        return this.inventoryItemNode(gid);
      default:
        return null;
    }
  }

  /** The product's object graph from its entries, with its variant nodes by id (variants link back to it). */
  private productGraph(gid: Gid, mine: CatalogEntry[]): { product: Fields; variants: Map<Gid, Fields> } | null {
    const line = mine.find((entry) => entry.kind === "Product" && entry.part === "main");
    if (!line) return null;
    const childrenOf = (parentId: Gid, kinds: string[]) => mine.filter((entry) => entry.parentId === parentId && kinds.includes(entry.kind));
    const variants = new Map<Gid, Fields>();
    const product: Fields = {
      __typename: "Product",
      ...line.fields,
      media: connection(childrenOf(gid, MEDIA_KINDS).map((entry) => ({ __typename: entry.kind, ...entry.fields }))),
      metafields: connection(childrenOf(gid, ["Metafield"]).map((entry) => ({ ...entry.fields }))),
      collections: connection(childrenOf(gid, ["Collection"]).map((entry) => ({ ...entry.fields }))),
      sellingPlanGroups: connection(
        childrenOf(gid, ["SellingPlanGroup"]).map((group) => ({
          ...group.fields,
          sellingPlans: connection(childrenOf(group.id, ["SellingPlan"]).map((plan) => this.sellingPlanNode(plan))),
        })),
      ),
    };
    for (const variant of childrenOf(gid, ["ProductVariant"])) variants.set(variant.id, this.variantNode(variant, product, childrenOf));
    product.variants = connection([...variants.values()]);
    return { product, variants };
  }

  private sellingPlanNode(plan: CatalogEntry): Fields {
    const policy = plan.fields.deliveryPolicy as Fields;
    // Only the fixed policy's fields are selected, so a recurring policy is stored as {}.
    const deliveryType = "fulfillmentTrigger" in policy ? "SellingPlanFixedDeliveryPolicy" : "SellingPlanRecurringDeliveryPolicy";
    return { ...plan.fields, deliveryPolicy: { __typename: deliveryType, ...policy } };
  }

  private variantNode(variant: CatalogEntry, product: Fields, childrenOf: (parentId: Gid, kinds: string[]) => CatalogEntry[]): Fields {
    const levels = childrenOf(variant.id, ["InventoryLevel"]).map((level) => ({
      ...level.fields,
      quantities: ({ names }: { names: string[] }) => (level.fields.quantities as { name: string }[]).filter((q) => names.includes(q.name)),
    }));
    const node: Fields = {
      __typename: "ProductVariant",
      ...variant.fields,
      product,
      metafields: connection(childrenOf(variant.id, ["Metafield"]).map((entry) => ({ ...entry.fields }))),
    };
    node.inventoryItem = { ...(variant.fields.inventoryItem as Fields), __typename: "InventoryItem", variant: () => node, inventoryLevels: connection(levels) };
    return node;
  }

  // -------------------------------------------------------------------------------------------
  // REST / webhook payloads

  /** The product as the REST Admin API and `products/update` webhooks send it (read by rest-product.ts). */
  restPayload(gid: Gid): Record<string, unknown> {
    const product = this.productEntry(gid).fields as BulkProductLine;
    const mine = this.entries.filter((entry) => entry.productId === gid);
    const images = mine.filter((entry) => entry.kind === "MediaImage" && entry.parentId === gid && entry.fields.image);
    const variants = mine.filter((entry) => entry.kind === "ProductVariant");
    const imageIdFor = (url: string | undefined) =>
      url === undefined ? null : (images.find((image) => withoutCacheBuster((image.fields.image as { url: string }).url) === withoutCacheBuster(url)) ?? null);
    const productId = restId(gid);
    return {
      id: productId,
      admin_graphql_api_id: gid,
      title: product.title,
      handle: product.handle,
      body_html: product.descriptionHtml,
      vendor: product.vendor,
      product_type: product.productType,
      status: product.status.toLowerCase(),
      tags: product.tags.join(", "),
      created_at: product.createdAt,
      updated_at: product.updatedAt,
      category: product.category
        ? { admin_graphql_api_id: product.category.id, name: product.category.fullName.split(" > ").pop(), full_name: product.category.fullName }
        : null,
      options: product.options.map((option) => ({ product_id: productId, name: option.name, position: option.position, values: option.values })),
      variants: variants.map((entry) => {
        const variant = entry.fields as Fields & {
          selectedOptions: { name: string; value: string }[];
          inventoryItem: { id: string; tracked: boolean; measurement: { weight: { value: number; unit: string } | null } };
          image: { url: string } | null;
        };
        const levels = mine.filter((level) => level.kind === "InventoryLevel" && level.parentId === entry.id);
        const optionValue = (position: number) => {
          const name = product.options.find((option) => option.position === position)?.name;
          return variant.selectedOptions.find((selected) => selected.name === name)?.value ?? null;
        };
        const weight = variant.inventoryItem.measurement.weight;
        const image = imageIdFor(variant.image?.url);
        return {
          id: restId(entry.id),
          admin_graphql_api_id: entry.id,
          product_id: productId,
          title: variant.title,
          sku: variant.sku,
          barcode: variant.barcode,
          position: variant.position,
          price: variant.price,
          compare_at_price: variant.compareAtPrice,
          option1: optionValue(1),
          option2: optionValue(2),
          option3: optionValue(3),
          inventory_policy: String(variant.inventoryPolicy).toLowerCase(),
          inventory_management: variant.inventoryItem.tracked ? "shopify" : null,
          inventory_item_id: restId(variant.inventoryItem.id),
          inventory_quantity: levels.reduce((sum, level) => sum + this.availableOf(level), 0),
          weight: weight?.value ?? null,
          weight_unit: weight ? REST_WEIGHT_UNITS[weight.unit] : null,
          image_id: image ? restId(image.id) : null,
        };
      }),
      images: images.map((entry, index) => {
        const image = entry.fields.image as { url: string; width: number | null; height: number | null };
        return {
          id: restId(entry.id),
          product_id: productId,
          position: index + 1,
          alt: entry.fields.alt ?? null,
          width: image.width,
          height: image.height,
          src: image.url,
          variant_ids: variants.filter((variant) => imageIdFor((variant.fields.image as { url: string } | null)?.url) === entry).map((variant) => restId(variant.id)),
        };
      }),
    };
  }

  /** The `inventory_levels/update` webhook payload. */
  inventoryLevelPayload(inventoryItemGid: Gid, locationGid: Gid): Record<string, unknown> {
    const level = this.levelEntry(inventoryItemGid, locationGid);
    return {
      inventory_item_id: restId(inventoryItemGid),
      location_id: restId(locationGid),
      available: this.availableOf(level),
      updated_at: this.levelUpdatedAt.get(`${inventoryItemGid} ${locationGid}`) ?? this.startedAt,
      admin_graphql_api_id: level.id,
    };
  }

  // -------------------------------------------------------------------------------------------

  private entriesByProduct(): Map<Gid, CatalogEntry[]> {
    const byProduct = new Map<Gid, CatalogEntry[]>();
    for (const entry of this.entries) {
      const list = byProduct.get(entry.productId) ?? [];
      list.push(entry);
      byProduct.set(entry.productId, list);
    }
    return byProduct;
  }

  private productEntry(gid: Gid): CatalogEntry {
    const entry = this.entries.find((e) => e.kind === "Product" && e.id === gid && e.part === "main");
    if (!entry) throw new Error(`FakeShopifyShop has no product ${gid}`);
    return entry;
  }

  private levelEntry(inventoryItemGid: Gid, locationGid: Gid): CatalogEntry {
    const variant = this.entries.find((e) => e.kind === "ProductVariant" && (e.fields.inventoryItem as { id?: string }).id === inventoryItemGid);
    const level = variant && this.entries.find((e) => e.kind === "InventoryLevel" && e.parentId === variant.id && (e.fields.location as { id?: string }).id === locationGid);
    if (!level) throw new Error(`FakeShopifyShop: inventory item ${inventoryItemGid} is not stocked at ${locationGid}`);
    return level;
  }

  private availableOf(level: CatalogEntry): number {
    return (level.fields.quantities as { name: string; quantity: number }[]).find((q) => q.name === "available")?.quantity ?? 0;
  }
}
