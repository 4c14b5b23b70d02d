import { describe, expect, it } from "vitest";
import { createPinterestAdapter, PINTEREST_ADAPTER } from "../../../../app/domain/channels/adapters";
import { PINTEREST_SPEC, resolveChannelSpec } from "../../../../app/domain/channels/specs";
import { codesIn, type DiagnosticCase, evaluate, EXTRA_IMAGE_CASES, GOLDEN_COMMON_FIELDS, GROUP_CASES, itReportsEachCase, mappedItem, siblingItem } from "./fixtures";

/** Every code the Pinterest adapter produces: Pinterest's validation issues lower-cased where it has one. */
const PINTEREST_CODES = [
  ...codesIn([...GROUP_CASES, ...EXTRA_IMAGE_CASES]),
  "age_group_invalid",
  "condition_invalid",
  "custom_label_2_truncated",
  "description_contains_html",
  "description_missing",
  "description_truncated",
  "gender_invalid",
  "gtin_invalid",
  "id_duplicate",
  "id_length_too_long",
  "image_link_length_too_long",
  "image_link_missing",
  "image_link_not_absolute_url",
  "image_link_too_small",
  "itemid_missing",
  "link_format_invalid",
  "link_length_too_long",
  "price_currency_mismatch",
  "price_missing",
  "product_link_missing",
  "product_price_invalid",
  "product_type_truncated",
  "sale_price_currency_mismatch",
  "sale_price_invalid",
  "sale_price_negative",
  "sale_price_not_positive",
  "sales_price_too_high",
  "title_contains_html",
  "title_length_too_long",
  "title_missing",
  "title_promotional",
  "title_uppercase",
];

describe("Pinterest adapter: records", () => {
  it("maps a valid variant to exactly these fields", () => {
    const { records, diagnostics } = evaluate(PINTEREST_ADAPTER, [mappedItem({ title: "Linen Shirt - Navy / M", ageGroup: "adult", gender: "Male" })]);
    expect(diagnostics).toEqual([]);
    expect(records).toEqual([
      {
        key: "45100000000101",
        itemIds: ["45100000000101"],
        fields: {
          ...GOLDEN_COMMON_FIELDS,
          id: "45100000000101",
          title: "Linen Shirt - Navy / M",
          availability: "in stock",
          gender: "male",
          age_group: "adult",
        },
      },
    ]);
  });

  it("describes the feed: TSV first, titles with the variant", () => {
    expect(PINTEREST_ADAPTER).toMatchObject({ channel: "pinterest", formats: ["tsv", "csv", "xml"], titleIncludesVariant: true });
    expect(PINTEREST_ADAPTER.columns).toEqual(PINTEREST_SPEC.columns);
  });

  it("sends a backorder as preorder: Pinterest has no backorder", () => {
    const spelled = (["in_stock", "out_of_stock", "preorder", "backorder"] as const).map(
      (availability) => evaluate(PINTEREST_ADAPTER, [mappedItem({ availability })]).records[0]?.fields.availability,
    );
    expect(spelled).toEqual(["in stock", "out of stock", "preorder", "preorder"]);
  });

  it("puts spaces around > in product_type", () => {
    expect(evaluate(PINTEREST_ADAPTER, [mappedItem({ productType: "Home>Kitchen  >Mugs" })]).records[0]?.fields.product_type).toBe("Home > Kitchen > Mugs");
  });

  it("caps items per group once the number is configured", () => {
    const adapter = createPinterestAdapter(resolveChannelSpec("pinterest", { maxItemsPerGroup: 1 }));
    const { records, problems } = evaluate(adapter, [mappedItem(), siblingItem()]);
    expect(problems).toEqual(["max_items_per_item_group_exceeded item_group_id error"]);
    expect(records.map((record) => record.key)).toEqual(["45100000000101"]);
  });
});

describe("Pinterest adapter: diagnostics", () => {
  const cases: DiagnosticCase[] = [
    ...GROUP_CASES,
    ...EXTRA_IMAGE_CASES,
    ["an empty id", ["itemid_missing id error"], false],
    ["an id of 128 characters", ["id_length_too_long id error"], false],
    ["two variants with one id", ["id_duplicate id error"], false],
    ["five option dimensions", [], true],
    ["no title", ["title_missing title error"], false],
    ["a title of 600 characters", ["title_length_too_long title error"], false],
    ["HTML in the title", ["title_contains_html title warning"], true],
    ["an ALL CAPS title", ["title_uppercase title warning"], true],
    ["promotional text in the title", ["title_promotional title warning"], true],
    ["no description", ["description_missing description error"], false],
    ["a description of 10,400 characters", ["description_truncated description warning"], true],
    ["an ALL CAPS description", [], true],
    ["an entity in the description", ["description_contains_html description warning"], true],
    ["an unknown condition", ["condition_invalid condition error"], false],
    ["no price", ["price_missing price error"], false],
    ["a negative price", ["product_price_invalid price error"], false],
    ["a price with a decimal comma", ["product_price_invalid price error"], false],
    ["a zero price", ["product_price_invalid price error"], false],
    ["a price in another currency", ["price_currency_mismatch price error"], false],
    ["a sale price that is not a number", ["sale_price_invalid sale_price error"], false],
    ["a negative sale price", ["sale_price_negative sale_price error"], false],
    ["a zero sale price", ["sale_price_not_positive sale_price error"], false],
    ["a sale price equal to the price", ["sales_price_too_high sale_price error"], false],
    ["a sale price in another currency", ["sale_price_currency_mismatch sale_price error"], false],
    ["unreadable sale dates", [], true],
    ["no link", ["product_link_missing link error"], false],
    ["a relative link", ["link_format_invalid link error"], false],
    ["a link of 2,100 characters", ["link_length_too_long link error"], false],
    ["no image", ["image_link_missing image_link error"], false],
    ["a relative image URL", ["image_link_not_absolute_url image_link error"], false],
    ["a 50 px image", ["image_link_too_small image_link error"], false],
    ["a 280 px image", [], true],
    ["an image URL of 2,100 characters", ["image_link_length_too_long image_link error"], false],
    ["a barcode with a wrong check digit", ["gtin_invalid gtin warning"], true],
    ["no brand, GTIN or MPN", [], true],
    ["an unknown gender", ["gender_invalid gender warning"], true],
    ["the teen age group", ["age_group_invalid age_group warning"], true],
    ["a product type of 1,100 characters", ["product_type_truncated product_type warning"], true],
    ["a custom label of 1,200 characters", ["custom_label_2_truncated custom_label_2 warning"], true],
    ["a pre-order without a date", [], true],
  ];

  itReportsEachCase(PINTEREST_ADAPTER, cases, PINTEREST_CODES);
});
