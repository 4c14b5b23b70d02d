import { z } from "zod";
import type { Metafield, MetafieldValue, Product, SellingPlanGroup } from "~/domain/catalog/types";
import {
  facetValues,
  getProductDetail,
  listProductsFiltered,
  PRODUCT_STATUSES,
  STOCK_FILTERS,
  type FacetValues,
  type ProductFilters,
  type ProductListRow,
} from "../repositories/catalog-queries";
import { getShop } from "../repositories/shops";
import { getRuntime } from "../runtime";
import { urlEnumList, urlPageNumber, urlSearchText, urlValueList } from "../http/url-state";

export const PRODUCTS_PAGE_SIZE = 50;

/**
 * The products list URL. It is the whole state of the page (so a filtered view is a link a
 * merchant can share) and it is typed by hand into address bars, so nothing in it is an error:
 * unknown values are dropped and a bad page number means page 1.
 */
export const ProductsQuerySchema = z.object({
  query: urlSearchText,
  status: urlEnumList(PRODUCT_STATUSES),
  vendor: urlValueList,
  productType: urlValueList,
  tag: urlValueList,
  collection: urlValueList,
  stock: z.enum(STOCK_FILTERS).nullable().catch(null),
  page: urlPageNumber,
});
export type ProductsQuery = z.infer<typeof ProductsQuerySchema>;

export function parseProductsQuery(searchParams: URLSearchParams): ProductsQuery {
  return ProductsQuerySchema.parse({
    query: searchParams.get("query"),
    status: searchParams.getAll("status"),
    vendor: searchParams.getAll("vendor"),
    productType: searchParams.getAll("productType"),
    tag: searchParams.getAll("tag"),
    collection: searchParams.getAll("collection"),
    stock: searchParams.get("stock"),
    page: searchParams.get("page") ?? 1,
  });
}

export interface ProductsPage {
  rows: ProductListRow[];
  total: number;
  page: number;
  pageCount: number;
  pageSize: number;
  filters: ProductsQuery;
  facets: FacetValues;
}

export async function loadProductsPage(shop: string, searchParams: URLSearchParams): Promise<ProductsPage> {
  const { db } = await getRuntime();
  const query = parseProductsQuery(searchParams);
  const filters: ProductFilters = {
    query: query.query || undefined,
    status: query.status,
    vendor: query.vendor,
    productType: query.productType,
    tag: query.tag,
    collection: query.collection,
    stock: query.stock ?? undefined,
  };
  const [facets, first] = await Promise.all([facetValues(db.prisma, shop), listProductsFiltered(db.prisma, shop, filters, { page: query.page, pageSize: PRODUCTS_PAGE_SIZE })]);
  let result = first;
  let page = query.page;
  const pageCount = Math.max(1, Math.ceil(result.total / PRODUCTS_PAGE_SIZE));
  // An old link (or a narrower filter) can point past the end; show the last page, not nothing.
  if (page > pageCount) {
    page = pageCount;
    result = await listProductsFiltered(db.prisma, shop, filters, { page, pageSize: PRODUCTS_PAGE_SIZE });
  }
  return { rows: result.rows, total: result.total, page, pageCount, pageSize: PRODUCTS_PAGE_SIZE, filters: { ...query, page }, facets };
}

// ---------------------------------------------------------------------------------------------
// Product detail

export interface MetafieldView {
  /** namespace.key */
  key: string;
  type: string;
  display: string;
}

export interface VariantView {
  id: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  available: number;
  inventoryPolicy: string;
  tracked: boolean;
  /** Available per location id. */
  levels: Record<string, number>;
  metafields: MetafieldView[];
  sellingPlanGroupIds: string[];
}

export interface SellingPlanView {
  id: string;
  name: string;
  category: string;
  /** "Ships Mar 4, 2026", "Ships when available", ... */
  delivery: string;
  reserve: string;
}

export interface ProductDetailView {
  product: {
    id: string;
    title: string;
    handle: string;
    status: string;
    vendor: string;
    productType: string;
    category: string | null;
    tags: string[];
    collectionIds: string[];
    onlineStoreUrl: string | null;
    updatedAt: string | null;
    options: { name: string; values: string[] }[];
    metafields: MetafieldView[];
  };
  variants: VariantView[];
  locations: { id: string; name: string }[];
  /** variantIds: the variants a group was attached to one by one; empty when it covers the whole product. */
  sellingPlanGroups: { id: string; name: string; merchantCode: string; variantIds: string[]; plans: SellingPlanView[] }[];
  currencyCode: string;
  syncedAt: string;
}

/** The product of this shop with that GID, shaped for the detail page; a 404 Response when there is none. */
export async function loadProductDetail(shop: string, productId: string): Promise<ProductDetailView> {
  const { db } = await getRuntime();
  const [detail, shopRow] = await Promise.all([getProductDetail(db.prisma, shop, productId), getShop(db.prisma, shop)]);
  if (!detail) throw new Response("Product not found", { status: 404, statusText: "Not Found" });
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  const { product } = detail;

  const locations = new Map<string, string>();
  const variants = detail.variants.map((row): VariantView => {
    const levels: Record<string, number> = {};
    for (const level of row.data.inventoryItem?.levels ?? []) {
      locations.set(level.locationId, level.locationName);
      levels[level.locationId] = level.available;
    }
    return {
      id: row.id,
      title: row.title,
      sku: row.sku,
      barcode: row.barcode,
      price: row.price,
      compareAtPrice: row.compareAtPrice,
      available: row.available,
      inventoryPolicy: row.inventoryPolicy,
      tracked: row.data.inventoryItem?.tracked ?? true,
      levels,
      metafields: (row.data.metafields ?? []).map((m) => metafieldView(m, timeZone)),
      sellingPlanGroupIds: row.data.sellingPlanGroupIds ?? [],
    };
  });

  return {
    product: {
      id: product.id,
      title: product.title,
      handle: product.handle,
      status: product.status,
      vendor: product.vendor,
      productType: product.productType,
      category: product.category?.fullName ?? null,
      tags: product.tags,
      collectionIds: product.collectionIds,
      onlineStoreUrl: product.onlineStoreUrl,
      updatedAt: product.updatedAt ? formatDateTime(product.updatedAt, timeZone) : null,
      options: product.options.map((o) => ({ name: o.name, values: o.values })),
      metafields: product.metafields.map((m) => metafieldView(m, timeZone)),
    },
    variants,
    locations: [...locations].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name)),
    sellingPlanGroups: sellingPlanGroupViews(product, timeZone),
    currencyCode: shopRow?.currencyCode ?? variantCurrency(product) ?? "USD",
    syncedAt: formatDateTime(detail.syncedAt.toISOString(), timeZone),
  };
}

function variantCurrency(product: Product): string | null {
  for (const variant of product.variants) {
    const first = Object.values(variant.marketPrices ?? {})[0];
    if (first) return first.currencyCode;
  }
  return null;
}

function sellingPlanGroupViews(product: Product, timeZone: string) {
  return (product.sellingPlanGroups ?? []).map((group: SellingPlanGroup) => ({
    id: group.id,
    name: group.name,
    merchantCode: group.merchantCode,
    // Groups attached to the product itself list no variants: they apply to every variant.
    variantIds: product.variants.filter((v) => v.sellingPlanGroupIds.includes(group.id)).map((v) => v.id),
    plans: group.sellingPlans.map(
      (plan): SellingPlanView => ({
        id: plan.id,
        name: plan.name,
        category: plan.category,
        delivery:
          plan.fulfillmentTrigger === "EXACT_TIME" && plan.fulfillmentExactTime
            ? `Ships ${formatShipTime(plan.fulfillmentExactTime, timeZone)}`
            : plan.fulfillmentTrigger === "ASAP"
              ? "Ships as soon as possible"
              : "Ship date not set",
        reserve:
          plan.inventoryReserve === "ON_SALE"
            ? "Reserves stock when sold"
            : plan.inventoryReserve === "ON_FULFILLMENT"
              ? "Reserves stock when fulfilled"
              : "Not set",
      }),
    ),
  }));
}

// Dates are formatted here, on the server, in the shop's time zone: the merchant sees shop time
// as in Shopify Admin, and server and browser render the same text (no hydration mismatch).
function formatDateTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso));
}

/** With the zone named: a ship date stored as midnight UTC is the evening before in New York. */
function formatShipTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(iso)) + ` ${zoneName(iso, timeZone)}`;
}

function zoneName(iso: string, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }).formatToParts(new Date(iso));
  return parts.find((part) => part.type === "timeZoneName")?.value ?? timeZone;
}

function formatDate(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone }).format(new Date(iso));
}

const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 6 });
const MAX_DISPLAY = 300;

function metafieldView(metafield: Metafield, timeZone: string): MetafieldView {
  const display = displayMetafieldValue(metafield.type.replace(/^list\./, ""), metafield.value, timeZone) || metafield.raw;
  return { key: `${metafield.namespace}.${metafield.key}`, type: metafield.type, display: display.length > MAX_DISPLAY ? `${display.slice(0, MAX_DISPLAY - 1)}…` : display };
}

/** Metafields store units as "kg" or, from some apps, as GraphQL enum names; both read as "kg". */
const UNIT_LABEL: Record<string, string> = {
  GRAMS: "g",
  KILOGRAMS: "kg",
  OUNCES: "oz",
  POUNDS: "lb",
  MILLIMETERS: "mm",
  CENTIMETERS: "cm",
  METERS: "m",
  INCHES: "in",
  FEET: "ft",
  MILLILITERS: "ml",
  LITERS: "l",
  FLUID_OUNCES: "fl oz",
  us_fl_oz: "fl oz",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Plain text of a rich_text_field document: the text nodes, blocks separated by spaces. */
function richText(node: unknown): string {
  if (!isRecord(node)) return "";
  if (typeof node.value === "string") return node.value;
  return Array.isArray(node.children) ? node.children.map(richText).filter(Boolean).join(" ") : "";
}

/** A metafield value in words a merchant reads: "12.5 kg", "$19.99", "4.5 of 5", "Yes". */
export function displayMetafieldValue(type: string, value: MetafieldValue, timeZone = "UTC"): string {
  if (value === null) return "";
  if (Array.isArray(value)) return value.map((item) => displayMetafieldValue(type, item, timeZone)).join(", ");
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "number") return NUMBER.format(value);
  if (typeof value === "string") {
    // A `date` has no time of day: formatting it in UTC keeps it the same calendar day.
    if (type === "date" && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(`${value}T00:00:00Z`, "UTC");
    if (type === "date_time" && !Number.isNaN(Date.parse(value))) return formatDateTime(value, timeZone);
    return value;
  }
  if (type === "rich_text_field") return richText(value);
  return displayObject(value as Record<string, unknown>);
}

/** Money, measurements and ratings are objects; anything else (json metafields) shows as JSON. */
function displayObject(value: Record<string, unknown>): string {
  if (typeof value.amount === "string" && typeof value.currencyCode === "string") {
    try {
      return new Intl.NumberFormat("en-US", { style: "currency", currency: value.currencyCode }).format(Number(value.amount));
    } catch {
      return `${value.amount} ${value.currencyCode}`;
    }
  }
  if (typeof value.value === "number" && typeof value.unit === "string") return `${NUMBER.format(value.value)} ${UNIT_LABEL[value.unit] ?? value.unit.toLowerCase()}`;
  if (typeof value.value === "number" && typeof value.scaleMax === "number") return `${NUMBER.format(value.value)} of ${NUMBER.format(value.scaleMax)}`;
  return JSON.stringify(value);
}
