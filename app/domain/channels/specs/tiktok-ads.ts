/**
 * TikTok ads Catalog Manager feed (catalog / Video Shopping Ads), separate from TikTok Shop:
 * channels.md §2.8. Nine required fields are documented; the optional ones and every limit are
 * unconfirmed, so all lengths here are assumptions to override once checked against a live account.
 */
import { AGE_GROUPS, CORE_CONDITIONS, CUSTOM_LABEL_COLUMNS, GENDERS, PRODUCT_DETAIL_COLUMNS, type FlatChannelSpec } from "./shared";

export type TikTokAdsSpec = FlatChannelSpec;

export const TIKTOK_ADS_SPEC: TikTokAdsSpec = {
  channel: "tiktok-ads",
  label: "TikTok ads",
  idField: "sku_id", // (doc) unique; reusing it replaces the item
  columns: [
    "sku_id",
    "item_group_id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "sale_price",
    "sale_price_effective_date",
    "link",
    "image_link",
    "additional_image_link",
    ...PRODUCT_DETAIL_COLUMNS,
    "shipping_weight",
    ...CUSTOM_LABEL_COLUMNS,
  ],
  maxLength: {
    sku_id: 100, // unconfirmed
    title: 150, // unconfirmed
    description: 5_000, // unconfirmed
    brand: 100, // unconfirmed
    item_group_id: 100, // unconfirmed
    link: 2_000, // unconfirmed
    image_link: 2_000, // unconfirmed
    additional_image_link: 2_000, // unconfirmed
    custom_label: 100, // unconfirmed
  },
  truncatedFields: ["description", "product_type", "custom_label"],
  text: {
    titleAllCaps: "warning", // no documented rule; advisory
    descriptionAllCaps: null,
    titlePromotional: "error", // (doc) "title: no emoji or promo text"
    htmlInPlainText: "warning",
    descriptionOffPlatformContact: null,
    titleCjk: null,
    descriptionSameAsTitle: null,
    removeEmojiFromTitle: true, // (doc) no emoji; channels.md §7.6 says remove emoji and control characters
  },
  gtinInvalid: "warning", // gtin is optional here (unconfirmed): a bad one is left out
  minImagePx: 500, // unconfirmed (assumed like Meta)
  maxImagePx: null,
  upcomingMinImage: null,
  maxAdditionalImages: 10, // unconfirmed
  maxVariantDimensions: null,
  maxItemsPerGroup: null,
  availability: {
    in_stock: "in stock", // (doc)
    out_of_stock: "out of stock",
    preorder: "preorder",
    backorder: "available for order", // (doc) the enum has it
  },
  conditions: CORE_CONDITIONS, // (doc)
  genders: GENDERS, // unconfirmed (assumed like Google)
  ageGroups: AGE_GROUPS, // unconfirmed (assumed like Google)
  brandRequired: "error", // (doc) one of the nine required fields
  identifierRequired: null,
  nativeCodes: {},
};
