import { describe, expect, it } from "vitest";
import { TIKTOK_ADS_ADAPTER } from "../../../../app/domain/channels/adapters";
import { TIKTOK_ADS_SPEC } from "../../../../app/domain/channels/specs";
import { codesIn, type DiagnosticCase, evaluate, EXTRA_IMAGE_CASES, GOLDEN_COMMON_FIELDS, GROUP_CASES, itReportsEachCase, LINK_AND_IMAGE_CASES, mappedItem, PRICE_CASES } from "./fixtures";

/** Every code the TikTok ads adapter produces (Shelfcast's names: TikTok publishes no feed error codes). */
const TIKTOK_ADS_CODES = [
  ...codesIn([...GROUP_CASES, ...PRICE_CASES, ...LINK_AND_IMAGE_CASES, ...EXTRA_IMAGE_CASES]),
  "age_group_invalid",
  "brand_missing",
  "brand_too_long",
  "condition_invalid",
  "custom_label_2_truncated",
  "description_contains_html",
  "description_missing",
  "description_truncated",
  "gender_invalid",
  "gtin_invalid",
  "id_duplicate",
  "image_link_too_small",
  "sku_id_missing",
  "sku_id_too_long",
  "title_contains_html",
  "title_emoji_removed",
  "title_missing",
  "title_promotional",
  "title_too_long",
  "title_uppercase",
];

describe("TikTok ads adapter: records", () => {
  it("maps a valid variant to exactly these fields, keyed by sku_id", () => {
    const { records, diagnostics } = evaluate(TIKTOK_ADS_ADAPTER, [mappedItem({ title: "Linen Shirt - Navy / M", availability: "backorder" })]);
    expect(diagnostics).toEqual([]);
    expect(records).toEqual([
      {
        key: "45100000000101",
        itemIds: ["45100000000101"],
        fields: {
          ...GOLDEN_COMMON_FIELDS,
          sku_id: "45100000000101",
          title: "Linen Shirt - Navy / M",
          availability: "available for order",
        },
      },
    ]);
  });

  it("describes the feed: CSV, titles with the variant, sku_id first", () => {
    expect(TIKTOK_ADS_ADAPTER).toMatchObject({ channel: "tiktok-ads", formats: ["csv"], titleIncludesVariant: true });
    expect(TIKTOK_ADS_ADAPTER.columns).toEqual(TIKTOK_ADS_SPEC.columns);
    expect(TIKTOK_ADS_ADAPTER.columns[0]).toBe("sku_id");
  });

  it("removes emoji and control characters from the title and keeps the item", () => {
    const { records, diagnostics } = evaluate(TIKTOK_ADS_ADAPTER, [mappedItem({ title: "Linen 🌊 Shirt\u0007 🏳️‍🌈" })]);
    expect(records[0]?.fields.title).toBe("Linen Shirt");
    expect(diagnostics.map((d) => [d.code, d.severity, d.value])).toEqual([["title_emoji_removed", "warning", "Linen 🌊 Shirt\u0007 🏳️‍🌈"]]);
  });
});

describe("TikTok ads adapter: diagnostics", () => {
  const cases: DiagnosticCase[] = [
    ...GROUP_CASES,
    ...PRICE_CASES,
    ...LINK_AND_IMAGE_CASES,
    ...EXTRA_IMAGE_CASES,
    ["an empty id", ["sku_id_missing sku_id error"], false],
    ["an id of 128 characters", ["sku_id_too_long sku_id error"], false],
    ["two variants with one id", ["id_duplicate sku_id error"], false],
    ["no title", ["title_missing title error"], false],
    ["a title of 600 characters", ["title_too_long title error"], false],
    ["HTML in the title", ["title_contains_html title warning"], true],
    ["an ALL CAPS title", ["title_uppercase title warning"], true],
    ["promotional text in the title", ["title_promotional title error"], false],
    ["an emoji in the title", ["title_emoji_removed title warning"], true],
    ["no description", ["description_missing description error"], false],
    ["a description of 10,400 characters", ["description_truncated description warning"], true],
    ["an entity in the description", ["description_contains_html description warning"], true],
    ["an e-mail address in the description", [], true],
    ["an unknown condition", ["condition_invalid condition error"], false],
    ["a 400 px image", ["image_link_too_small image_link error"], false],
    ["a barcode with a wrong check digit", ["gtin_invalid gtin warning"], true],
    ["no brand", ["brand_missing brand error"], false],
    ["a brand of 128 characters", ["brand_too_long brand error"], false],
    ["an unknown gender", ["gender_invalid gender warning"], true],
    ["the teen age group", ["age_group_invalid age_group warning"], true],
    ["a custom label of 1,200 characters", ["custom_label_2_truncated custom_label_2 warning"], true],
    ["a pre-order without a date", [], true],
  ];

  itReportsEachCase(TIKTOK_ADS_ADAPTER, cases, TIKTOK_ADS_CODES);
});
