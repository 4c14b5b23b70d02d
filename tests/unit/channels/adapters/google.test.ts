import { describe, expect, it } from "vitest";
import { GOOGLE_ADAPTER } from "../../../../app/domain/channels/adapters";
import { GOOGLE_SPEC } from "../../../../app/domain/channels/specs";
import { codesIn, context, type DiagnosticCase, evaluate, EXTRA_IMAGE_CASES, GOLDEN_COMMON_FIELDS, GROUP_CASES, itReportsEachCase, LINK_AND_IMAGE_CASES, mappedItem, PRICE_CASES } from "./fixtures";

/** Every code the Google adapter produces (Shelfcast's `<field>_<problem>` names: Google publishes no codes). */
const GOOGLE_CODES = [
  ...codesIn([...GROUP_CASES, ...PRICE_CASES, ...LINK_AND_IMAGE_CASES, ...EXTRA_IMAGE_CASES]),
  "age_group_invalid",
  "availability_date_invalid",
  "availability_date_missing",
  "availability_date_too_far_ahead",
  "brand_missing",
  "brand_too_long",
  "color_too_long",
  "condition_invalid",
  "custom_label_2_truncated",
  "description_contains_html",
  "description_missing",
  "description_truncated",
  "description_uppercase",
  "gender_invalid",
  "gtin_invalid",
  "id_duplicate",
  "id_missing",
  "id_too_long",
  "image_link_below_upcoming_minimum",
  "image_link_too_small",
  "product_type_truncated",
  "title_contains_html",
  "title_missing",
  "title_promotional",
  "title_too_long",
  "title_uppercase",
];

describe("Google adapter: records", () => {
  it("maps a valid variant to exactly these fields (the RSS writer adds the g: prefix)", () => {
    const { records, diagnostics } = evaluate(GOOGLE_ADAPTER, [mappedItem({ title: "Linen Shirt - Navy / M" })]);
    expect(diagnostics).toEqual([]);
    expect(records).toEqual([
      {
        key: "45100000000101",
        itemIds: ["45100000000101"],
        fields: {
          ...GOLDEN_COMMON_FIELDS,
          id: "45100000000101",
          title: "Linen Shirt - Navy / M",
          availability: "in_stock",
        },
      },
    ]);
  });

  it("describes the feed: XML first, titles with the variant", () => {
    expect(GOOGLE_ADAPTER).toMatchObject({ channel: "google", formats: ["xml", "tsv"], titleIncludesVariant: true });
    expect(GOOGLE_ADAPTER.columns).toEqual(GOOGLE_SPEC.columns);
    expect(GOOGLE_ADAPTER.columns.every((column) => !column.startsWith("g:"))).toBe(true);
  });

  it("spells availability with underscores and sends a pre-order's date", () => {
    const spelled = (["in_stock", "out_of_stock"] as const).map((availability) => evaluate(GOOGLE_ADAPTER, [mappedItem({ availability })]).records[0]?.fields.availability);
    expect(spelled).toEqual(["in_stock", "out_of_stock"]);
    const preorder = evaluate(GOOGLE_ADAPTER, [mappedItem({ availability: "preorder", availabilityDate: "2027-03-01T09:00:00.000-08:00" })]).records[0]?.fields;
    expect(preorder).toMatchObject({ availability: "preorder", availability_date: "2027-03-01T17:00:00Z" });
    const backorder = evaluate(GOOGLE_ADAPTER, [mappedItem({ availability: "backorder", availabilityDate: "2026-12-25T13:00-0800" })]).records[0]?.fields;
    expect(backorder).toMatchObject({ availability: "backorder", availability_date: "2026-12-25T13:00-0800" });
  });

  it("accepts a ship date exactly one year ahead", () => {
    expect(evaluate(GOOGLE_ADAPTER, [mappedItem({ availability: "preorder", availabilityDate: "2027-11-22T12:00:00Z" })]).problems).toEqual([]);
  });

  it("says identifier_exists=no without a GTIN, or without both MPN and brand", () => {
    const noGtin = evaluate(GOOGLE_ADAPTER, [mappedItem({ gtin: null })]).records[0]?.fields;
    expect(noGtin?.identifier_exists).toBe("no");
    const mpnAndBrand = evaluate(GOOGLE_ADAPTER, [mappedItem({ gtin: null, mpn: "LS-100" })]).records[0]?.fields;
    expect(mpnAndBrand).not.toHaveProperty("identifier_exists");
    expect(evaluate(GOOGLE_ADAPTER, [mappedItem()]).records[0]?.fields).not.toHaveProperty("identifier_exists");
  });

  it("turns the 500 px warning into an error from 31 January 2027", () => {
    const item = mappedItem({ image: { url: "https://cdn.shopify.com/s/files/1/a.jpg", width: 400, height: 400, altText: null } });
    const before = GOOGLE_ADAPTER.evaluate([item], context("google"));
    expect(before.diagnostics.map((d) => [d.code, d.severity])).toEqual([["image_link_below_upcoming_minimum", "warning"]]);
    expect(before.diagnostics[0]?.message).toBe("The image is 400×400 px; from 2027-01-31 Google needs at least 500×500.");
    const after = GOOGLE_ADAPTER.evaluate([item], { ...context("google"), now: new Date("2027-01-31T00:00:00Z") });
    expect(after.diagnostics.map((d) => [d.code, d.severity])).toEqual([["image_link_too_small", "error"]]);
    expect(after.records).toEqual([]);
  });
});

describe("Google adapter: diagnostics", () => {
  const cases: DiagnosticCase[] = [
    ...GROUP_CASES,
    ...PRICE_CASES,
    ...LINK_AND_IMAGE_CASES,
    ...EXTRA_IMAGE_CASES,
    ["an empty id", ["id_missing id error"], false],
    ["an id of 128 characters", ["id_too_long id error"], false],
    ["two variants with one id", ["id_duplicate id error"], false],
    ["five option dimensions", [], true],
    ["no title", ["title_missing title error"], false],
    ["a title of 600 characters", ["title_too_long title error"], false],
    ["HTML in the title", ["title_contains_html title warning"], true],
    ["an ALL CAPS title", ["title_uppercase title warning"], true],
    ["promotional text in the title", ["title_promotional title warning"], true],
    ["no description", ["description_missing description error"], false],
    ["a description of 10,400 characters", ["description_truncated description warning"], true],
    ["an ALL CAPS description", ["description_uppercase description warning"], true],
    ["an entity in the description", ["description_contains_html description warning"], true],
    ["an e-mail address in the description", [], true],
    ["a description repeating the title", [], true],
    ["an unknown condition", ["condition_invalid condition error"], false],
    ["a 50 px image", ["image_link_too_small image_link error"], false],
    ["a 280 px image", ["image_link_below_upcoming_minimum image_link warning"], true],
    ["a barcode with a wrong check digit", ["gtin_invalid gtin error"], false],
    ["no brand", ["brand_missing brand warning"], true],
    ["no brand, GTIN or MPN", ["brand_missing brand warning"], true],
    ["a brand of 128 characters", ["brand_too_long brand error"], false],
    ["a colour of 250 characters", ["color_too_long color error"], false],
    ["an unknown gender", ["gender_invalid gender warning"], true],
    ["an unknown age group", ["age_group_invalid age_group warning"], true],
    ["the teen age group", ["age_group_invalid age_group warning"], true],
    ["a product type of 1,100 characters", ["product_type_truncated product_type warning"], true],
    ["a custom label of 1,200 characters", ["custom_label_2_truncated custom_label_2 warning"], true],
    ["a pre-order without a date", ["availability_date_missing availability_date error"], false],
    ["a backorder with an unreadable date", ["availability_date_invalid availability_date error"], false],
    ["a pre-order two years ahead", ["availability_date_too_far_ahead availability_date error"], false],
  ];

  itReportsEachCase(GOOGLE_ADAPTER, cases, GOOGLE_CODES);
});
