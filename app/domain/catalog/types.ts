/**
 * The normalised catalog: what every input shape (bulk-operation JSONL, webhook payloads, REST
 * product exports, single-product reads) becomes. Plain data, identified by Shopify GIDs.
 */

export type Gid = string;

export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED" | "UNLISTED";
export type InventoryPolicy = "DENY" | "CONTINUE";
export type WeightUnit = "GRAMS" | "KILOGRAMS" | "OUNCES" | "POUNDS";

export interface Money {
  /** Decimal string as Shopify sends it ("19.99"), never a float. */
  amount: string;
  currencyCode: string;
}

/** A metafield with its declared type parsed into a JS value (see normalizeMetafieldValue). */
export interface Metafield {
  namespace: string;
  key: string;
  type: string;
  /** The raw string Shopify stores. */
  raw: string;
  value: MetafieldValue;
}

export type MetafieldValue =
  | string
  | number
  | boolean
  | null
  | { value: number; unit: string }
  | Money
  | MetafieldValue[]
  | { [key: string]: unknown };

export interface MediaImage {
  id: Gid;
  url: string;
  altText: string | null;
  width: number | null;
  height: number | null;
}

export interface ProductOption {
  name: string;
  position: number;
  values: string[];
}

export interface SelectedOption {
  name: string;
  value: string;
}

export interface InventoryLevel {
  locationId: Gid;
  locationName: string;
  available: number;
}

export interface InventoryItem {
  id: Gid;
  tracked: boolean;
  countryCodeOfOrigin: string | null;
  harmonizedSystemCode: string | null;
  levels: InventoryLevel[];
}

export type SellingPlanCategory = "PRE_ORDER" | "TRY_BEFORE_YOU_BUY" | "SUBSCRIPTION" | "OTHER";

export interface SellingPlan {
  id: Gid;
  name: string;
  category: SellingPlanCategory;
  /** ASAP | EXACT_TIME | UNKNOWN (Shopify's SellingPlanFulfillmentTrigger). */
  fulfillmentTrigger: string | null;
  /** ISO time when fulfillmentTrigger is EXACT_TIME: the pre-order ship date. */
  fulfillmentExactTime: string | null;
  /** ON_FULFILLMENT | ON_SALE (SellingPlanReserve). */
  inventoryReserve: string | null;
}

export interface SellingPlanGroup {
  id: Gid;
  name: string;
  merchantCode: string;
  sellingPlans: SellingPlan[];
}

export interface Variant {
  id: Gid;
  productId: Gid;
  title: string;
  sku: string | null;
  barcode: string | null;
  position: number;
  price: string;
  compareAtPrice: string | null;
  selectedOptions: SelectedOption[];
  imageId: Gid | null;
  weight: number | null;
  weightUnit: WeightUnit | null;
  inventoryPolicy: InventoryPolicy;
  inventoryItem: InventoryItem;
  /** Sum of `available` over every location. */
  availableQuantity: number;
  sellingPlanGroupIds: Gid[];
  metafields: Metafield[];
  /** Per-market prices, keyed by market handle or country code, where the shop uses Markets. */
  marketPrices: Record<string, Money>;
}

export interface Product {
  id: Gid;
  handle: string;
  title: string;
  descriptionHtml: string;
  vendor: string;
  productType: string;
  /** Shopify Standard Product Taxonomy category (GID and full name), when set. */
  category: { id: Gid; fullName: string } | null;
  tags: string[];
  status: ProductStatus;
  options: ProductOption[];
  media: MediaImage[];
  onlineStoreUrl: string | null;
  seo: { title: string | null; description: string | null };
  collectionIds: Gid[];
  createdAt: string | null;
  updatedAt: string | null;
  metafields: Metafield[];
  variants: Variant[];
  sellingPlanGroups: SellingPlanGroup[];
}

export interface Catalog {
  shopCurrency: string;
  products: Product[];
}
