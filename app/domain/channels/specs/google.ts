/** Google Merchant Center product data: channels.md §4. Field names without the g: prefix (the XML writer adds it). */
import { AGE_GROUPS, CORE_CONDITIONS, CUSTOM_LABEL_COLUMNS, GENDERS, PRODUCT_DETAIL_COLUMNS, type FlatChannelSpec } from "./shared";

export interface GoogleSpec extends FlatChannelSpec {
  /** Availabilities that need availability_date (doc). */
  availabilityNeedingDate: readonly string[];
  /** How far ahead availability_date may be, in months (doc: at most one year). */
  availabilityDateMaxMonthsAhead: number;
  /** identifier_exists value for an item with neither a GTIN nor brand + MPN (doc). */
  identifierExistsNo: string;
}

export const GOOGLE_SPEC: GoogleSpec = {
  channel: "google",
  label: "Google",
  idField: "id",
  columns: [
    "id",
    "item_group_id",
    "title",
    "description",
    "link",
    "image_link",
    "additional_image_link",
    "availability",
    "availability_date",
    "price",
    "sale_price",
    "sale_price_effective_date",
    "condition",
    ...PRODUCT_DETAIL_COLUMNS,
    "identifier_exists",
    "shipping_weight",
    ...CUSTOM_LABEL_COLUMNS,
  ],
  maxLength: {
    id: 50, // (doc)
    title: 150, // (doc)
    description: 5_000, // (doc)
    link: 2_000, // unconfirmed
    image_link: 2_000, // (doc)
    additional_image_link: 2_000, // (doc) same rules as image_link, per URL
    availability_date: 25, // (doc)
    brand: 70, // (3rd-party) mirror of the spec
    mpn: 70, // (doc); Google for WooCommerce enforces 70 (connector)
    item_group_id: 50, // (doc)
    color: 100, // (connector) Google for WooCommerce
    size: 100, // (connector)
    pattern: 100, // (connector)
    material: 200, // (connector)
    product_type: 750, // unconfirmed (commonly quoted)
    custom_label: 100, // unconfirmed (commonly quoted)
  },
  truncatedFields: ["description", "product_type", "custom_label"],
  text: {
    // Google disapproves "excessive capitalisation" and promotional text under its editorial policy,
    // but reviews them rather than rejecting on upload: warnings (exact rules unconfirmed).
    titleAllCaps: "warning",
    descriptionAllCaps: "warning",
    titlePromotional: "warning",
    htmlInPlainText: "warning", // (doc) plain text; Google strips markup itself
    descriptionOffPlatformContact: null,
    titleCjk: null,
    descriptionSameAsTitle: null,
    removeEmojiFromTitle: false,
  },
  gtinInvalid: "error", // (doc) an invalid GTIN disapproves the item
  minImagePx: 100, // (doc) 100×100 (250 for apparel: unconfirmed)
  maxImagePx: null,
  upcomingMinImage: { minPx: 500, effectiveFrom: "2027-01-31T00:00:00Z" }, // (doc) 500×500 from 31 Jan 2027
  maxAdditionalImages: 10, // (doc)
  maxVariantDimensions: null,
  maxItemsPerGroup: null,
  availability: {
    in_stock: "in_stock", // (doc) underscores
    out_of_stock: "out_of_stock",
    preorder: "preorder",
    backorder: "backorder",
  },
  conditions: CORE_CONDITIONS, // (doc)
  genders: GENDERS, // (doc)
  ageGroups: AGE_GROUPS, // (doc)
  brandRequired: "warning", // (doc) "required for most new products": Google decides which, so a warning
  identifierRequired: null, // identifier_exists=no covers items without identifiers (doc)
  availabilityNeedingDate: ["preorder", "backorder"], // (doc)
  availabilityDateMaxMonthsAhead: 12, // (doc) at most one year
  identifierExistsNo: "no", // (doc)
  nativeCodes: {},
};
