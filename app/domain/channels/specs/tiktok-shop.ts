/** TikTok Shop Partner API product payloads (version 202309): channels.md §2.2–§2.4. */
import type { ChannelSpecBase } from "./shared";

/** What differs between TikTok Shop markets. Prices are decimal strings, compared without floats. */
export interface TikTokMarketRules {
  /** The one currency a market's shop sells in; null where unknown (then only the market's own currency is checked). */
  currency: string | null;
  priceMin: string;
  /** Highest SKU price; null where unknown. */
  priceMax: string | null;
  maxSkus: number;
  minTitleLength: number;
  /** package_dimensions required (US, UK, MY, SG local sellers; cross-border everywhere). */
  packageDimensionsRequired: boolean;
  /** INCH + POUND may be used (US only); elsewhere CENTIMETER + KILOGRAM. */
  imperialUnits: boolean;
}

export interface TikTokShopSpec extends ChannelSpecBase {
  /** Rules of markets that differ from defaultMarket, keyed by ISO country code. */
  markets: Readonly<Record<string, Partial<TikTokMarketRules>>>;
  defaultMarket: TikTokMarketRules;
  /** Market codes people use that are not ISO ("UK"). */
  marketAliases: Readonly<Record<string, string>>;
  maxMainImages: number;
  maxInventoryQuantity: number;
  /** identifier_code.type by digit count: 14 GTIN, 12 UPC, 13 and 8 EAN. */
  identifierTypeByLength: Readonly<Record<number, string>>;
  /** pre_sale.type for a pre-order SKU. */
  preSaleType: string;
  /** A category_id's shape; whether it is a leaf needs the category tree. */
  categoryIdPattern: RegExp;
  /**
   * Leaf category ids from TikTok's category tree (fetched when a shop connects). null: the tree is
   * not known here, so only the id's shape is checked and the publish step checks the leaf.
   */
  leafCategoryIds: ReadonlySet<string> | null;
  units: {
    metric: { weight: string; dimension: string };
    imperial: { weight: string; dimension: string };
  };
}

export const TIKTOK_SHOP_SPEC: TikTokShopSpec = {
  channel: "tiktok",
  label: "TikTok Shop",
  maxLength: {
    title: 255, // (doc) 1–255 US & UK, 25–255 elsewhere (minimum in markets)
    description: 10_000, // (doc)
    "skus[].seller_sku": 50, // (doc)
    "skus[].external_sku_id": 999, // (doc)
    external_product_id: 999, // (doc)
    "skus[].sales_attributes[].name": 20, // (doc) 1–20
    "skus[].sales_attributes[].value_name": 50, // (doc)
  },
  truncatedFields: [],
  text: {
    titleAllCaps: "warning", // not a documented rejection; advisory
    descriptionAllCaps: null,
    titlePromotional: "error", // (3rd-party) promo words are a common rejection (channels.md §6)
    htmlInPlainText: "error", // the title is plain text; the description is sanitised HTML
    descriptionOffPlatformContact: null,
    titleCjk: "error", // (doc) no Chinese characters in the title
    descriptionSameAsTitle: null,
    removeEmojiFromTitle: false,
  },
  gtinInvalid: "error", // (doc) identifier_code is typed and checked by TikTok
  minImagePx: 300, // (doc) 300–4,000 px per side (seller guides cite 600: 3rd-party)
  maxImagePx: 4_000, // (doc); the upload endpoint accepts up to 20,000 and resizes, so larger is a warning
  maxVariantDimensions: 3, // (doc) at most 3 sales attributes (names) per SKU
  maxMainImages: 9, // (doc) 1–9
  maxInventoryQuantity: 999_999, // (doc) on create
  identifierTypeByLength: { 8: "EAN", 12: "UPC", 13: "EAN", 14: "GTIN" }, // (doc) §2.2, §4.3
  preSaleType: "PRE_ORDER", // unconfirmed: pre_sale enums are not documented publicly
  categoryIdPattern: /^\d{1,20}$/, // (3rd-party) category ids are numeric strings
  leafCategoryIds: null,
  units: {
    metric: { weight: "KILOGRAM", dimension: "CENTIMETER" }, // (doc)
    imperial: { weight: "POUND", dimension: "INCH" }, // (doc) US only
  },
  marketAliases: { UK: "GB" },
  defaultMarket: {
    currency: null,
    priceMin: "0.01",
    priceMax: null, // unconfirmed outside the markets below
    maxSkus: 300, // (doc) outside the US and UK
    minTitleLength: 25, // (doc) outside the US and UK
    packageDimensionsRequired: false,
    imperialUnits: false,
  },
  markets: {
    US: { currency: "USD", priceMax: "7600", maxSkus: 100, minTitleLength: 1, packageDimensionsRequired: true, imperialUnits: true }, // (doc)
    GB: { currency: "GBP", priceMax: "5600", maxSkus: 100, minTitleLength: 1, packageDimensionsRequired: true }, // (doc)
    SG: { currency: "SGD", priceMax: "10000", packageDimensionsRequired: true }, // (doc)
    MY: { currency: "MYR", priceMax: "320000", packageDimensionsRequired: true }, // (doc)
    ID: { currency: "IDR" }, // (doc) currency; price range unconfirmed
    TH: { currency: "THB" }, // (doc) currency; price range unconfirmed
    PH: { currency: "PHP" }, // (doc) currency; price range unconfirmed
    VN: { currency: "VND" }, // (doc) currency; price range unconfirmed
  },
  nativeCodes: {},
};

/** The rules of one market: its own entry over the defaults. */
export function tiktokMarketRules(spec: TikTokShopSpec, marketCode: string): TikTokMarketRules {
  const code = spec.marketAliases[marketCode] ?? marketCode;
  return { ...spec.defaultMarket, ...spec.markets[code] };
}
