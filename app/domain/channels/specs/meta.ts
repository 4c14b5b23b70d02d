/** Meta catalog (Facebook Shops, Instagram Shopping, WhatsApp, Advantage+ catalog ads): channels.md §1. */
import { AGE_GROUPS, CORE_CONDITIONS, CUSTOM_LABEL_COLUMNS, GENDERS, PRODUCT_DETAIL_COLUMNS, type FlatChannelSpec } from "./shared";

export interface MetaSpec extends FlatChannelSpec {
  /**
   * Variant dimensions Meta shows as its own fields; every other option goes to
   * additional_variant_attribute ("Scent:Fruity") (doc §1.5).
   */
  coreVariantKinds: readonly string[];
  /** status (feed) and visibility (feed and Graph ProductItem) for active and archived products. */
  status: { active: string; archived: string };
  visibility: { active: string; archived: string };
}

export const META_SPEC: MetaSpec = {
  channel: "meta",
  label: "Meta",
  idField: "id",
  columns: [
    "id",
    "item_group_id",
    "title",
    "description",
    "rich_text_description",
    "availability",
    "condition",
    "price",
    "sale_price",
    "sale_price_effective_date",
    "link",
    "image_link",
    "additional_image_link",
    ...PRODUCT_DETAIL_COLUMNS,
    "additional_variant_attribute",
    "quantity_to_sell_on_facebook",
    "shipping_weight",
    ...CUSTOM_LABEL_COLUMNS,
    "status",
    "visibility",
    "origin_country",
  ],
  maxLength: {
    id: 100, // (doc)
    // (doc) 150 in the commerce template and WooCommerce, 200 in the API reference: validate at the stricter.
    title: 150,
    description: 9_999, // (doc); the older 5,000 is still enforced by WooCommerce
    brand: 100, // (doc)
    item_group_id: 100, // (doc)
    color: 200, // (doc)
    size: 200, // (doc)
    material: 200, // (doc)
    pattern: 100, // (doc)
    additional_image_link: 2_000, // (doc) "2,000 chars"; whether per URL or for the whole list is unconfirmed: applied per URL
    mpn: 100, // unconfirmed (assumed like brand)
    custom_label: 100, // unconfirmed (100 assumed)
    product_type: 750, // unconfirmed (Google's commonly quoted 750 assumed)
    link: 2_000, // unconfirmed (assumed like image URLs)
    image_link: 2_000, // unconfirmed (assumed like additional_image_link)
  },
  truncatedFields: ["description", "product_type", "custom_label"],
  text: {
    titleAllCaps: "error", // (doc) "No ALL CAPS"; Meta's error type property_value_uppercase
    descriptionAllCaps: "error", // (doc) "Not all caps"; WooCommerce rejects it too (connector)
    titlePromotional: "error", // (doc) "No … promo text"
    htmlInPlainText: "error", // (doc) property_value_contains_html_tags
    descriptionOffPlatformContact: "error", // (doc) property_value_description_contains_off_platform_link
    titleCjk: null,
    descriptionSameAsTitle: "warning", // (doc) duplicate_title_and_description is a policy flag, not a rejection
    removeEmojiFromTitle: false,
  },
  // A bad barcode is not a rejection on Meta when brand identifies the item (brand or gtin or mpn, doc):
  // the barcode is left out with a warning rather than losing the item.
  gtinInvalid: "warning",
  minImagePx: 500, // (doc) ≥500×500
  maxImagePx: null,
  upcomingMinImage: null,
  maxAdditionalImages: 20, // (doc)
  maxVariantDimensions: 4, // (connector) WooCommerce enforces 4
  maxItemsPerGroup: null,
  availability: {
    in_stock: "in stock", // (doc) enum with spaces
    out_of_stock: "out of stock",
    preorder: "preorder",
    // (doc) Shopify "continue selling when out of stock" is an order Meta takes now and ships later.
    backorder: "available for order",
  },
  conditions: CORE_CONDITIONS, // (doc) the API adds cpo, open_box_new, used_* which Shopify has no field for
  genders: GENDERS, // (doc)
  ageGroups: [...AGE_GROUPS, "teen", "all ages"], // (doc)
  brandRequired: null, // brand is required unless gtin or mpn is given (doc): see identifierRequired
  identifierRequired: "error", // (doc)
  coreVariantKinds: ["color", "size", "pattern", "gender", "age_group"], // (doc) §1.5
  status: { active: "active", archived: "archived" }, // (doc) feed status
  visibility: { active: "published", archived: "staging" }, // (doc) ProductItem_visibility
  nativeCodes: {
    // Meta's own error types (SDK enum, doc) so a merchant can match them with Commerce Manager.
    "missing:title": "empty_title",
    "missing:description": "empty_description",
    "missing:price": "empty_price",
    "missing:image_link": "empty_image_url",
    "missing:link": "empty_product_url",
    "missing:brand": "empty_brand",
    identifier_missing: "unique_product_identifier_missing",
    too_long: "property_value_string_exceeds_length",
    uppercase: "property_value_uppercase",
    contains_html: "property_value_contains_html_tags",
    off_platform_contact: "property_value_description_contains_off_platform_link",
    not_below_price: "invalid_sale_price",
    "negative:price": "negative_price",
    too_small: "image_resolution_low",
    same_as_title: "duplicate_title_and_description",
    item_group_missing: "item_group_not_specified",
    variant_attributes_missing: "variant_attribute_issue",
    group_id_equals_item_id: "retailer_id_used_by_group",
    zero_quantity_in_stock: "inventory_zero_availability_in_stock",
  },
};
