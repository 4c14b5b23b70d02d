/** Pinterest catalogs (data source feed and items batch API): channels.md §3. */
import { AGE_GROUPS, CORE_CONDITIONS, CUSTOM_LABEL_COLUMNS, GENDERS, PRODUCT_DETAIL_COLUMNS, type FlatChannelSpec } from "./shared";

export type PinterestSpec = FlatChannelSpec;

export const PINTEREST_SPEC: PinterestSpec = {
  channel: "pinterest",
  label: "Pinterest",
  idField: "id",
  columns: [
    "id",
    "item_group_id",
    "title",
    "description",
    "link",
    "image_link",
    "additional_image_link",
    "price",
    "sale_price",
    "availability",
    "condition",
    ...PRODUCT_DETAIL_COLUMNS,
    "shipping_weight",
    ...CUSTOM_LABEL_COLUMNS,
  ],
  maxLength: {
    id: 127, // (doc)
    title: 500, // (doc)
    description: 10_000, // (doc)
    link: 511, // (doc)
    image_link: 2_000, // (doc)
    additional_image_link: 2_000, // (doc) each
    item_group_id: 127, // (doc)
    product_type: 1_000, // (doc)
    custom_label: 1_000, // (doc)
    // brand, gtin, mpn, color, size, material, pattern: unconfirmed, so not checked (add them here to check).
  },
  truncatedFields: ["description", "product_type", "custom_label"],
  text: {
    // Pinterest publishes no text-style rules (channels.md §3); the common hygiene stays advisory.
    titleAllCaps: "warning",
    descriptionAllCaps: null,
    titlePromotional: "warning",
    htmlInPlainText: "warning", // (doc) description is plain text
    descriptionOffPlatformContact: null,
    titleCjk: null,
    descriptionSameAsTitle: null,
    removeEmojiFromTitle: false,
  },
  // GTIN is optional on Pinterest (doc): a bad one is left out with a warning (GTIN_INVALID) instead of losing the item.
  gtinInvalid: "warning",
  minImagePx: 75, // (doc) API minimum 75×75
  maxImagePx: null,
  upcomingMinImage: null,
  maxAdditionalImages: 10, // (doc)
  maxVariantDimensions: null,
  // (doc) MAX_ITEMS_PER_ITEM_GROUP_EXCEEDED exists but the number is unconfirmed: set it to check.
  maxItemsPerGroup: null,
  availability: {
    in_stock: "in stock", // (doc) any case accepted; written with spaces like Meta
    out_of_stock: "out of stock",
    preorder: "preorder",
    // "backorder" is unconfirmed on Pinterest; like WooCommerce's Pinterest plugin (connector) and
    // channels.md §5 we send a sellable-later item as preorder. Override when backorder is confirmed.
    backorder: "preorder",
  },
  conditions: CORE_CONDITIONS, // (doc)
  genders: GENDERS, // (doc)
  ageGroups: AGE_GROUPS, // (doc) no teen, no all ages
  brandRequired: null,
  identifierRequired: null,
  nativeCodes: {
    // Pinterest's item validation issues (SDK enum, doc), lower-cased.
    "missing:id": "itemid_missing",
    "missing:title": "title_missing",
    "missing:description": "description_missing",
    "missing:price": "price_missing",
    "missing:image_link": "image_link_missing",
    "missing:link": "product_link_missing",
    "invalid:availability": "availability_invalid",
    "invalid:price": "product_price_invalid",
    "not_positive:price": "product_price_invalid",
    "negative:price": "product_price_invalid",
    not_below_price: "sales_price_too_high",
    "invalid:gtin": "gtin_invalid",
    "not_absolute_url:link": "link_format_invalid",
    too_long: "{field}_length_too_long",
    too_many_items: "max_items_per_item_group_exceeded",
  },
};
