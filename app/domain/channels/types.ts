/**
 * The contract between the stages of a channel catalog (ADR 0011):
 *
 *   Product + Variant ──defaults──▶ MappedItem ──merchant rules──▶ MappedItem ──channel adapter──▶
 *   ChannelRecord (+ Diagnostics) ──serializer──▶ feed bytes
 *
 * Everything here is plain data so every stage is a pure function that a test can drive directly.
 */
import type { Gid, Money, Product, Variant } from "../catalog/types";

export const CHANNEL_IDS = ["meta", "tiktok", "tiktok-ads", "pinterest", "google"] as const;
/**
 * meta: Meta catalog (Facebook Shops, Instagram Shopping, WhatsApp, Advantage+ catalog ads).
 * tiktok: TikTok Shop Partner API product payloads. tiktok-ads: TikTok ads Catalog Manager feed.
 */
export type ChannelId = (typeof CHANNEL_IDS)[number];

export function isChannelId(value: string): value is ChannelId {
  return (CHANNEL_IDS as readonly string[]).includes(value);
}

/** Where the shop sells: one feed per channel and market (country, currency, language). */
export interface Market {
  /** ISO 3166-1 alpha-2 country code, also the market's key ("US"). */
  code: string;
  currency: string;
  /** BCP 47 language of the feed's free text ("en"). */
  language: string;
}

/** Channel-neutral availability; each channel spells it its own way (Meta "in stock", Google "in_stock"). */
export type Availability = "in_stock" | "out_of_stock" | "preorder" | "backorder";

/**
 * What a variant is offered as on one channel and market. Until the rules issue lands this comes from
 * stock and inventory policy (offer.ts); reservation and pre-order rules will produce it instead.
 */
export interface Offer {
  availability: Availability;
  /**
   * Units a channel may sell; never negative. null when Shopify does not track the variant's stock:
   * the channel is then told "in stock" without a count, never a made-up number like 99,999.
   */
  quantity: number | null;
  /** ISO 8601 date-time the item ships or becomes available (pre-order and backorder). */
  availabilityDate: string | null;
  /** Why the offer is what it is, in words a merchant understands ("12 in stock at 2 locations"). */
  reason: string;
  /**
   * The short, honest line a shopper may read ("Pre-order: ships by 12 Jan 2027", "Only 3 left").
   * Always set by the stock rules (app/domain/rules, ADR 0014); absent from offerFromStock's offers.
   */
  message?: string;
  /** The arithmetic behind `quantity`, one step each; `reason` is these joined. Set by the stock rules. */
  reasons?: readonly string[];
}

export type OfferResolver = (product: Product, variant: Variant, channel: ChannelId, market: Market) => Offer;

/**
 * A check on one item's offer that runs after the channel's own checks: the stock rules' promotion
 * enforcement (ADR 0014: a promoted item needs a campaign hold, a web-store buffer or a dated
 * pre-order). Its error diagnostics keep the item out of feeds and pushes like any other error.
 */
export type PromotionCheck = (input: { product: Product; variant: Variant; channel: ChannelId; market: Market; offer: Offer; itemId: string }) => Diagnostic[];

/** Makes catalog ids. One scheme per shop, shared by every channel and (later) the pixels' content ids. */
export interface IdScheme {
  readonly name: IdSchemeName;
  itemId(product: Product, variant: Variant, market: Market): string;
  groupId(product: Product, market: Market): string;
}

/**
 * variant-id: the numeric Shopify variant id ("45100000000123"), the default.
 * sku: the variant SKU, falling back to the variant id when blank.
 * shopify-channel: `shopify_{COUNTRY}_{productId}_{variantId}`, the ids Shopify's own Facebook & Instagram
 * channel uses, so a merchant moving from it keeps their catalog, pixel history and ad sets.
 */
export type IdSchemeName = "variant-id" | "sku" | "shopify-channel";

export interface ImageRef {
  url: string;
  width: number | null;
  height: number | null;
  altText: string | null;
}

/** A variant dimension ("Color: Navy") with the core attribute it was recognised as, if any. */
export interface VariantAttribute {
  name: string;
  value: string;
  kind: "color" | "size" | "material" | "pattern" | "gender" | "age_group" | null;
}

export const CUSTOM_LABEL_COUNT = 5;

/**
 * One sellable item (a variant) for one channel and market, after Shelfcast's defaults and the
 * merchant's mapping rules, before the channel's own field names and formats. Field names are the
 * targets a mapping rule may write (see MAPPABLE_FIELDS).
 */
export interface MappedItem {
  id: string;
  groupId: string;
  productId: Gid;
  variantId: Gid;
  /** Product handle, for messages and links. */
  handle: string;
  sku: string | null;
  title: string;
  description: string;
  /** Sanitised HTML for channels that take it (Meta rich_text_description, TikTok Shop description). */
  richDescription: string | null;
  link: string | null;
  image: ImageRef | null;
  additionalImages: ImageRef[];
  price: Money | null;
  salePrice: Money | null;
  /** `start/end` in ISO 8601, or null. */
  salePriceEffectiveDate: string | null;
  availability: Availability;
  availabilityDate: string | null;
  quantity: number | null;
  brand: string | null;
  gtin: string | null;
  mpn: string | null;
  condition: "new" | "refurbished" | "used";
  color: string | null;
  size: string | null;
  material: string | null;
  pattern: string | null;
  gender: string | null;
  ageGroup: string | null;
  /** Every option dimension of the product, in option order; single-variant "Title" options excluded. */
  variantAttributes: VariantAttribute[];
  /** Google product category: numeric id or ">"-separated path. */
  googleProductCategory: string | null;
  /** Shopify standard taxonomy category GID, kept for channels with their own taxonomies (TikTok). */
  shopifyCategoryId: Gid | null;
  productType: string | null;
  /**
   * The channel's own category id where it has a taxonomy of its own (TikTok Shop's leaf category_id).
   * No default exists: merchants set it with a lookup rule from the Shopify category.
   */
  channelCategoryId: string | null;
  /** Package size as "L x W x H unit" ("30 x 20 x 10 cm"); TikTok Shop needs it in several markets. */
  packageDimensions: string | null;
  customLabels: (string | null)[];
  shippingWeight: { value: number; unit: "g" | "kg" | "oz" | "lb" } | null;
  /** Product status on Shopify mapped to the channels' notion: only ACTIVE products are active. */
  status: "active" | "archived";
  originCountry: string | null;
  /** Shopify's own data the adapters may need (category metafields, option order); read-only. */
  tags: string[];
  vendor: string;
}

/** Fields a mapping rule may set, with the type of value it must produce. */
export type MappableField =
  | "title"
  | "description"
  | "richDescription"
  | "link"
  | "brand"
  | "gtin"
  | "mpn"
  | "condition"
  | "color"
  | "size"
  | "material"
  | "pattern"
  | "gender"
  | "ageGroup"
  | "googleProductCategory"
  | "productType"
  | "channelCategoryId"
  | "packageDimensions"
  | "customLabel0"
  | "customLabel1"
  | "customLabel2"
  | "customLabel3"
  | "customLabel4";

export type Severity = "error" | "warning";

/** Where a merchant goes to fix a problem. The UI turns it into a link; the CLI prints `fix`. */
export type FixTarget =
  | { kind: "shopify-product"; productId: Gid }
  | { kind: "shopify-variant"; productId: Gid; variantId: Gid }
  | { kind: "mapping"; channel: ChannelId; field: string }
  | { kind: "settings"; section: "channels" | "markets" | "ids" };

/**
 * One problem with one item (or product, for product-level channels) on one channel. `code` is stable:
 * tests, the UI and support scripts key on it. Errors keep the item out of the feed; warnings pass.
 */
export interface Diagnostic {
  code: string;
  severity: Severity;
  channel: ChannelId;
  market: string;
  itemId: string;
  productId: Gid;
  variantId: Gid | null;
  /** The channel's field name ("title", "skus[].price"), or the Shopify field when no channel field exists. */
  field: string;
  /** The offending value, shortened to 200 characters; null when the value is missing. */
  value: string | null;
  message: string;
  fix: string;
  fixTarget: FixTarget;
  /**
   * Who found the problem: Shelfcast's own checks (absent or "shelfcast"), or the channel itself
   * (batch results, read-back, audit webhooks).
   */
  source?: DiagnosticSource;
}

export type DiagnosticSource = "shelfcast" | "meta" | "tiktok";

/** A value in a channel record. Arrays become repeated XML elements or a joined cell in CSV/TSV. */
export type FeedValue = string | string[];

/** One row of a flat feed (Meta, TikTok ads, Pinterest, Google): channel field name → value. */
export type FlatRecord = Record<string, FeedValue>;

/** What a channel adapter produces for one product's items. */
export interface ChannelRecord {
  /** Row key in the feed: the item id, or the product's group id for product-level channels. */
  key: string;
  /** Items contained in this record (one for flat feeds, the SKUs for TikTok Shop). */
  itemIds: string[];
  /** Flat feed row, or the JSON payload for TikTok Shop. */
  fields: FlatRecord | Record<string, unknown>;
}

export interface ShopContext {
  /** myshopify domain, e.g. shelfcast-demo.myshopify.com. */
  domain: string;
  name: string;
  currency: string;
  /** Public storefront base URL without a trailing slash, e.g. https://shelfcast-demo.com. */
  storefrontUrl: string;
}

export interface ChannelContext {
  channel: ChannelId;
  market: Market;
  shop: ShopContext;
  idScheme: IdScheme;
  offer: OfferResolver;
  /** Checks each item's offer after the channel's checks (promotion enforcement); none when absent. */
  promotion?: PromotionCheck;
  /** "Now" for date rules (pre-order dates at most a year ahead); passed in so results are reproducible. */
  now: Date;
  /**
   * The merchant's Shopify category → channel category map (TikTok Shop's leaf ids, chosen in Settings →
   * Channels): the default channelCategoryId, which a mapping rule may still override.
   */
  channelCategories?: Readonly<Record<Gid, string>>;
}

/** The result of evaluating one product for one channel and market. */
export interface ProductEvaluation {
  channel: ChannelId;
  market: string;
  productId: Gid;
  /** Items after defaults and rules, before filters; the preview shows these. */
  items: MappedItem[];
  /** Item ids left out by the merchant's include/exclude filters or variant granularity, with the reason. */
  excluded: { itemId: string; variantId: Gid; reason: string }[];
  /** Records that go into the feed: never contain an item with an error diagnostic. */
  records: ChannelRecord[];
  diagnostics: Diagnostic[];
}

export type FeedFormat = "csv" | "tsv" | "xml" | "json";

/** One channel's mapping and validation: the only place that knows the channel's field names. */
export interface ChannelAdapter {
  channel: ChannelId;
  /** Human name for screens ("Meta (Facebook & Instagram)"). */
  label: string;
  /** Formats a feed can be written in; the first is the default. */
  formats: readonly FeedFormat[];
  /** Whether titles carry the variant's option values by default ("Linen Shirt - Navy / M"). */
  titleIncludesVariant: boolean;
  /** Column order of flat feeds (every key a FlatRecord may have); empty for JSON-only channels. */
  columns: readonly string[];
  /**
   * Maps and validates the items of one product (already filtered by the merchant's rules). Records
   * never contain an item that has an error-level diagnostic.
   */
  evaluate(items: MappedItem[], ctx: ChannelContext): { records: ChannelRecord[]; diagnostics: Diagnostic[] };
}
