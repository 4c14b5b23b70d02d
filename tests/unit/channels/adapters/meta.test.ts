import { describe, expect, it } from "vitest";
import { createMetaAdapter, META_ADAPTER } from "../../../../app/domain/channels/adapters";
import { META_SPEC, resolveChannelSpec } from "../../../../app/domain/channels/specs";
import type { ImageRef } from "../../../../app/domain/channels/types";
import { evaluate, GOLDEN_COMMON_FIELDS, itReportsEachCase, mappedItem, PRODUCT_ID, siblingItem, type DiagnosticCase } from "./fixtures";

const image = (name: string, size = 1200): ImageRef => ({ url: `https://cdn.shopify.com/s/files/1/${name}.jpg`, width: size, height: size, altText: null });

/** Every code the Meta adapter produces: Meta's own error types where it has one, else Shelfcast's. */
const META_CODES = [
  "additional_image_link_not_absolute_url",
  "additional_image_link_too_many",
  "age_group_invalid",
  "condition_invalid",
  "custom_label_2_truncated",
  "description_truncated",
  "duplicate_title_and_description",
  "empty_description",
  "empty_image_url",
  "empty_price",
  "empty_product_url",
  "empty_title",
  "gender_invalid",
  "gtin_invalid",
  "id_duplicate",
  "id_missing",
  "image_link_not_absolute_url",
  "image_resolution_low",
  "inventory_zero_availability_in_stock",
  "invalid_sale_price",
  "item_group_not_specified",
  "link_not_absolute_url",
  "negative_price",
  "origin_country_invalid",
  "price_currency_mismatch",
  "price_invalid",
  "price_not_positive",
  "product_type_truncated",
  "property_value_contains_html_tags",
  "property_value_description_contains_off_platform_link",
  "property_value_string_exceeds_length",
  "property_value_uppercase",
  "retailer_id_used_by_group",
  "sale_price_currency_mismatch",
  "sale_price_effective_date_invalid",
  "sale_price_invalid",
  "sale_price_negative",
  "sale_price_not_positive",
  "title_promotional",
  "unique_product_identifier_missing",
  "variant_attribute_issue",
  "variant_attributes_duplicate",
  "variant_dimensions_exceeded",
];

describe("Meta adapter: the golden record", () => {
  it("maps a valid variant to exactly these feed fields", () => {
    const { records, diagnostics } = evaluate(META_ADAPTER, [mappedItem()]);
    expect(diagnostics).toEqual([]);
    expect(records).toEqual([
      {
        key: "45100000000101",
        itemIds: ["45100000000101"],
        fields: {
          ...GOLDEN_COMMON_FIELDS,
          id: "45100000000101",
          title: "Linen Shirt",
          rich_text_description: "<p>A relaxed shirt in washed <strong>European linen</strong>, cut for warm days.</p>",
          availability: "in stock",
          quantity_to_sell_on_facebook: "12",
          status: "active",
          visibility: "published",
          origin_country: "PT",
        },
      },
    ]);
  });

  it("describes the feed: label, formats, columns and clean titles", () => {
    expect(META_ADAPTER).toMatchObject({ channel: "meta", formats: ["csv", "xml"], titleIncludesVariant: false });
    expect(META_ADAPTER.columns).toEqual(META_SPEC.columns);
    // A fully populated item fills every column, and nothing else.
    const { records } = evaluate(META_ADAPTER, [
      mappedItem({ salePriceEffectiveDate: "2026-11-27T00:00-05:00/2026-11-30T23:59-05:00", mpn: "LS-1", material: "Linen", pattern: "Plain", gender: "male", ageGroup: "adult", customLabels: ["a", "b", "c", "d", "e"], variantAttributes: [{ name: "Fit", value: "Slim", kind: null }] }),
    ]);
    expect(Object.keys(records[0]?.fields ?? {}).sort()).toEqual([...META_ADAPTER.columns].sort());
  });

  it("spells every availability Meta's way; backorder is available for order", () => {
    const spelled = (["in_stock", "out_of_stock", "preorder", "backorder"] as const).map(
      (availability) => evaluate(META_ADAPTER, [mappedItem({ availability })]).records[0]?.fields.availability,
    );
    expect(spelled).toEqual(["in stock", "out of stock", "preorder", "available for order"]);
  });

  it("leaves the quantity out when Shopify does not track stock, and keeps Shopify's decimal strings", () => {
    const fields = evaluate(META_ADAPTER, [mappedItem({ quantity: null, price: { amount: "1234567.10", currencyCode: "USD" }, salePrice: null })]).records[0]?.fields;
    expect(fields).not.toHaveProperty("quantity_to_sell_on_facebook");
    expect(fields).not.toHaveProperty("sale_price");
    expect(fields?.price).toBe("1234567.10 USD");
  });

  it("puts options that are not core variant fields into additional_variant_attribute without , or :", () => {
    const fields = evaluate(META_ADAPTER, [
      mappedItem({
        variantAttributes: [
          { name: "Color", value: "Navy", kind: "color" },
          { name: "Scent", value: "Fruity, Sweet", kind: null },
          { name: "Material", value: "Linen", kind: "material" },
          { name: "Ratio: Scale", value: "1:2", kind: null },
        ],
      }),
    ]).records[0]?.fields;
    expect(fields?.additional_variant_attribute).toBe("Scent:Fruity Sweet,Material:Linen,Ratio Scale:1 2");
  });

  it("sends archived products as archived and staging", () => {
    const fields = evaluate(META_ADAPTER, [mappedItem({ status: "archived" })]).records[0]?.fields;
    expect(fields).toMatchObject({ status: "archived", visibility: "staging" });
  });

  it("encodes commas in image URLs (feeds split image lists on commas)", () => {
    const fields = evaluate(META_ADAPTER, [mappedItem({ image: { ...image("a"), url: "https://cdn.shopify.com/s/files/1/a,b.jpg" } })]).records[0]?.fields;
    expect(fields?.image_link).toBe("https://cdn.shopify.com/s/files/1/a%2Cb.jpg");
  });
});

describe("Meta adapter: diagnostics", () => {
  it("gives a complete diagnostic: code, field, value, message, fix and where to fix it", () => {
    const title = "Linen Shirt ".repeat(13).trim();
    const { records, diagnostics } = evaluate(META_ADAPTER, [mappedItem({ title })]);
    expect(records).toEqual([]);
    expect(diagnostics).toEqual([
      {
        code: "property_value_string_exceeds_length",
        severity: "error",
        channel: "meta",
        market: "US",
        itemId: "45100000000101",
        productId: PRODUCT_ID,
        variantId: "gid://shopify/ProductVariant/45100000000101",
        field: "title",
        value: title,
        message: "title has 155 characters; Meta accepts at most 150.",
        fix: "Shorten title to 150 characters or fewer: edit the product title in the Shopify product editor, or add a truncate transform to the title rule in Shelfcast → Channels → Meta → Mapping.",
        fixTarget: { kind: "shopify-product", productId: PRODUCT_ID },
      },
    ]);
  });

  it("shortens the reported value to 200 characters", () => {
    const [diagnostic] = evaluate(META_ADAPTER, [mappedItem({ title: "x".repeat(500) })]).diagnostics;
    expect(diagnostic?.value).toHaveLength(200);
  });

  it("counts characters, not UTF-16 units: 150 emoji fit", () => {
    expect(evaluate(META_ADAPTER, [mappedItem({ title: "Shirt " + "🌊".repeat(144) })]).problems).toEqual([]);
  });

  it("points variant problems at the variant and mapping-only fields at the mapping rule", () => {
    const { diagnostics } = evaluate(META_ADAPTER, [mappedItem({ price: { amount: "-1.00", currencyCode: "USD" }, gender: "women" })]);
    expect(diagnostics.map((d) => d.fixTarget)).toEqual([
      { kind: "shopify-variant", productId: PRODUCT_ID, variantId: "gid://shopify/ProductVariant/45100000000101" },
      { kind: "mapping", channel: "meta", field: "gender" },
    ]);
  });

  const cases: DiagnosticCase[] = [
    ["an empty id", ["id_missing id error"], false],
    ["an id of 128 characters", ["property_value_string_exceeds_length id error"], false],
    ["two variants with one id", ["id_duplicate id error"], false],
    ["an item id equal to the group id", ["retailer_id_used_by_group item_group_id error"], false],
    ["a variant without group id", ["item_group_not_specified item_group_id error"], false],
    ["a variant without options", ["variant_attribute_issue options error"], false],
    ["two variants with the same options", ["variant_attributes_duplicate options error"], false],
    ["five option dimensions", ["variant_dimensions_exceeded options error"], false],
    ["no title", ["empty_title title error"], false],
    ["a title of 600 characters", ["property_value_string_exceeds_length title error"], false],
    ["HTML in the title", ["property_value_contains_html_tags title error"], false],
    ["an ALL CAPS title", ["property_value_uppercase title error"], false],
    ["promotional text in the title", ["title_promotional title error"], false],
    ["an emoji in the title", [], true],
    ["no description", ["empty_description description error"], false],
    ["a description of 10,400 characters", ["description_truncated description warning"], true],
    ["an ALL CAPS description", ["property_value_uppercase description error"], false],
    ["an entity in the description", ["property_value_contains_html_tags description error"], false],
    ["an e-mail address in the description", ["property_value_description_contains_off_platform_link description error"], false],
    ["a description repeating the title", ["duplicate_title_and_description description warning"], true],
    ["an unknown condition", ["condition_invalid condition error"], false],
    ["no price", ["empty_price price error"], false],
    ["a negative price", ["negative_price price error"], false],
    ["a price with a decimal comma", ["price_invalid price error"], false],
    ["a zero price", ["price_not_positive price error"], false],
    ["a price in another currency", ["price_currency_mismatch price error"], false],
    ["a sale price that is not a number", ["sale_price_invalid sale_price error"], false],
    ["a negative sale price", ["sale_price_negative sale_price error"], false],
    ["a zero sale price", ["sale_price_not_positive sale_price error"], false],
    ["a sale price equal to the price", ["invalid_sale_price sale_price error"], false],
    ["a sale price in another currency", ["sale_price_currency_mismatch sale_price error"], false],
    ["unreadable sale dates", ["sale_price_effective_date_invalid sale_price_effective_date warning"], true],
    ["no link", ["empty_product_url link error"], false],
    ["a relative link", ["link_not_absolute_url link error"], false],
    ["a link of 2,100 characters", ["property_value_string_exceeds_length link error"], false],
    ["no image", ["empty_image_url image_link error"], false],
    ["a relative image URL", ["image_link_not_absolute_url image_link error"], false],
    ["a 400 px image", ["image_resolution_low image_link error"], false],
    ["a 5,000 px image", [], true],
    ["an image URL of 2,100 characters", ["property_value_string_exceeds_length image_link error"], false],
    ["a small extra image", ["image_resolution_low additional_image_link warning"], true],
    ["a relative extra image", ["additional_image_link_not_absolute_url additional_image_link warning"], true],
    ["25 extra images", ["additional_image_link_too_many additional_image_link warning"], true],
    ["a barcode with a wrong check digit", ["gtin_invalid gtin warning"], true],
    ["no brand", [], true],
    ["no brand, GTIN or MPN", ["unique_product_identifier_missing brand error"], false],
    ["a brand of 128 characters", ["property_value_string_exceeds_length brand error"], false],
    ["a colour of 250 characters", ["property_value_string_exceeds_length color error"], false],
    ["an unknown gender", ["gender_invalid gender warning"], true],
    ["an unknown age group", ["age_group_invalid age_group warning"], true],
    ["the teen age group", [], true],
    ["a product type of 1,100 characters", ["product_type_truncated product_type warning"], true],
    ["a custom label of 1,200 characters", ["custom_label_2_truncated custom_label_2 warning"], true],
    ["in stock with 0 units", ["inventory_zero_availability_in_stock quantity_to_sell_on_facebook warning"], true],
    ["a country name as origin", ["origin_country_invalid origin_country warning"], true],
    // Meta takes pre-orders without a date (availability_date is unconfirmed there).
    ["a pre-order without a date", [], true],
  ];

  itReportsEachCase(META_ADAPTER, cases, META_CODES);

  it("cuts an over-long description at a word boundary within the limit", () => {
    const description = evaluate(META_ADAPTER, [mappedItem({ description: "Linen shirt. ".repeat(800) })]).records[0]?.fields.description;
    expect(typeof description === "string" && description.length <= 9_999 && description.endsWith("Linen shirt")).toBe(true);
  });

  it("keeps 20 extra images and leaves out the barcode it rejected", () => {
    const fields = evaluate(META_ADAPTER, [mappedItem({ gtin: "123", additionalImages: Array.from({ length: 25 }, (_, i) => image(`extra-${i}`)) })]).records[0]?.fields;
    expect(fields?.additional_image_link).toHaveLength(20);
    expect(fields).not.toHaveProperty("gtin");
  });

  it("fails only the variant in error and keeps its siblings", () => {
    const { records } = evaluate(META_ADAPTER, [mappedItem(), siblingItem({ price: null })]);
    expect(records.map((record) => record.key)).toEqual(["45100000000101"]);
  });

  it("takes overrides of unconfirmed limits", () => {
    const adapter = createMetaAdapter(resolveChannelSpec("meta", { maxLength: { title: 200 } }));
    const title = "Linen Shirt ".repeat(15).trim();
    expect(evaluate(adapter, [mappedItem({ title })]).problems).toEqual([]);
    expect(evaluate(META_ADAPTER, [mappedItem({ title })]).problems).toEqual(["property_value_string_exceeds_length title error"]);
    expect(META_SPEC.maxLength.title).toBe(150);
  });
});
