import { describe, expect, it } from "vitest";
import { createTikTokShopAdapter, TIKTOK_SHOP_ADAPTER, type TikTokProductPayload } from "../../../../app/domain/channels/adapters";
import { resolveChannelSpec } from "../../../../app/domain/channels/specs";
import type { Market } from "../../../../app/domain/channels/types";
import { evaluate, itReportsEachCase, mappedItem, PRODUCT_ID, siblingItem, type DiagnosticCase } from "./fixtures";

const SPAIN: Market = { code: "ES", currency: "EUR", language: "es" };
const euros = { price: { amount: "59.00", currencyCode: "EUR" }, salePrice: null };

/** Every code the TikTok Shop adapter produces with the US market (Shelfcast's names: TikTok's codes are unconfirmed). */
const TIKTOK_CODES = [
  "category_id_invalid",
  "category_id_missing",
  "description_images_removed",
  "description_missing",
  "external_product_id_too_long",
  "id_duplicate",
  "main_images_missing",
  "main_images_not_absolute_url",
  "main_images_too_large",
  "main_images_too_many",
  "main_images_too_small",
  "package_dimensions_invalid",
  "package_dimensions_missing",
  "package_weight_missing",
  "skus_external_sku_id_too_long",
  "skus_identifier_code_duplicate",
  "skus_identifier_code_invalid",
  "skus_inventory_capped",
  "skus_inventory_missing",
  "skus_missing",
  "skus_pre_sale_missing",
  "skus_price_currency_mismatch",
  "skus_price_invalid",
  "skus_price_missing",
  "skus_price_negative",
  "skus_price_not_positive",
  "skus_price_out_of_range",
  "skus_sales_attributes_name_too_long",
  "skus_sales_attributes_value_name_too_long",
  "skus_seller_sku_too_long",
  "skus_too_many",
  "title_contains_chinese",
  "title_contains_html",
  "title_missing",
  "title_promotional",
  "title_too_long",
  "title_uppercase",
  "variant_attributes_duplicate",
  "variant_attributes_missing",
  "variant_dimensions_exceeded",
];

function payloadOf(items = [mappedItem(), siblingItem()], market?: Market): TikTokProductPayload | undefined {
  return evaluate(TIKTOK_SHOP_ADAPTER, items, market).records[0]?.fields as TikTokProductPayload | undefined;
}

describe("TikTok Shop adapter: the product payload", () => {
  it("builds one Partner API 202309 create payload per product, keyed by the group id", () => {
    const { records, diagnostics } = evaluate(TIKTOK_SHOP_ADAPTER, [mappedItem(), siblingItem({ availability: "preorder", availabilityDate: "2027-01-15T00:00:00Z", quantity: 0 })]);
    expect(diagnostics).toEqual([]);
    expect(records).toEqual([
      {
        key: "8100000001",
        itemIds: ["45100000000101", "45100000000102"],
        fields: {
          title: "Linen Shirt",
          description: "<p>A relaxed shirt in washed <strong>European linen</strong>, cut for warm days.</p>",
          category_id: "601226",
          brand: { name: "Shelfcast Test" },
          main_images: [
            { source_url: "https://cdn.shopify.com/s/files/1/linen-shirt-navy.jpg" },
            { source_url: "https://cdn.shopify.com/s/files/1/linen-shirt-back.jpg" },
          ],
          skus: [
            {
              seller_sku: "LS-NAVY-M",
              external_sku_id: "gid://shopify/ProductVariant/45100000000101",
              price: { amount: "49.00", currency: "USD" },
              inventory: [{ quantity: 12 }],
              sales_attributes: [
                { name: "Color", value_name: "Navy" },
                { name: "Size", value_name: "M" },
              ],
              identifier_code: { type: "EAN", code: "4006381333931" },
            },
            {
              seller_sku: "LS-NAVY-L",
              external_sku_id: "gid://shopify/ProductVariant/45100000000102",
              price: { amount: "49.00", currency: "USD" },
              inventory: [{ quantity: 0 }],
              sales_attributes: [
                { name: "Color", value_name: "Navy" },
                { name: "Size", value_name: "L" },
              ],
              identifier_code: { type: "EAN", code: "0036000291452" },
              pre_sale: { type: "PRE_ORDER", fulfillment_type: { release_date: 1_799_971_200 } },
            },
          ],
          package_weight: { value: "0.3", unit: "KILOGRAM" },
          package_dimensions: { length: "30", width: "20", height: "5", unit: "CENTIMETER" },
          external_product_id: PRODUCT_ID,
        },
      },
    ]);
  });

  it("describes the channel: JSON only, clean titles, no columns", () => {
    expect(TIKTOK_SHOP_ADAPTER).toMatchObject({ channel: "tiktok", formats: ["json"], titleIncludesVariant: false, columns: [] });
  });

  it("types identifier codes by length: 8 and 13 EAN, 12 UPC, 14 GTIN", () => {
    const codes = ["96385074", "036000291452", "4006381333931", "00012345600012"].map(
      (gtin) => payloadOf([mappedItem({ gtin })])?.skus[0]?.identifier_code?.type,
    );
    expect(codes).toEqual(["EAN", "UPC", "EAN", "GTIN"]);
  });

  it("sells at the selling price: the sale price when there is one", () => {
    expect(payloadOf([mappedItem({ salePrice: null })])?.skus[0]?.price).toEqual({ amount: "59.00", currency: "USD" });
  });

  it("sends inch and pound in the US when the merchant measures in imperial units", () => {
    const payload = payloadOf([mappedItem({ shippingWeight: { value: 10, unit: "oz" }, packageDimensions: "12 x 8.5 x 2 in" })]);
    expect(payload).toMatchObject({ package_weight: { value: "0.625", unit: "POUND" }, package_dimensions: { length: "12", width: "9", height: "2", unit: "INCH" } });
  });

  it("converts to kilogram and centimetre outside the US, rounding up, and uses the heaviest variant", () => {
    const payload = payloadOf(
      [mappedItem({ ...euros, shippingWeight: { value: 1, unit: "lb" }, packageDimensions: "12 x 8 x 2 in", title: "Linen Shirt with Pocket, Navy" }), siblingItem({ ...euros, shippingWeight: { value: 300, unit: "g" } })],
      SPAIN,
    );
    expect(payload).toMatchObject({ package_weight: { value: "0.454", unit: "KILOGRAM" }, package_dimensions: { length: "31", width: "21", height: "6", unit: "CENTIMETER" } });
  });

  it("flattens the description to TikTok's tags and wraps plain descriptions in paragraphs", () => {
    const nested = payloadOf([mappedItem({ richDescription: "<div><h2>Linen</h2><ul><li>Soft<ul><li>Washed</li></ul></li></ul><script>x()</script></div>" })]);
    expect(nested?.description).not.toMatch(/<(div|h2|script)/);
    expect(nested?.description).not.toMatch(/<li>[^<]*<ul>/);
    const plain = payloadOf([mappedItem({ richDescription: null, description: "Washed linen & cotton.\nCut <loose>." })]);
    expect(plain?.description).toBe("<p>Washed linen &amp; cotton.</p><p>Cut &lt;loose&gt;.</p>");
  });

  it("leaves out only the SKU in error and lists it", () => {
    const { records, diagnostics } = evaluate(TIKTOK_SHOP_ADAPTER, [mappedItem(), siblingItem({ quantity: null })]);
    expect(records.map((record) => record.itemIds)).toEqual([["45100000000101"]]);
    expect(diagnostics.map((d) => [d.code, d.itemId, d.variantId])).toEqual([["skus_inventory_missing", "45100000000102", "gid://shopify/ProductVariant/45100000000102"]]);
  });

  it("reports product-level problems against the product, with no variant", () => {
    const [diagnostic] = evaluate(TIKTOK_SHOP_ADAPTER, [mappedItem({ channelCategoryId: null })]).diagnostics;
    expect(diagnostic).toMatchObject({
      code: "category_id_missing",
      itemId: "8100000001",
      variantId: null,
      fixTarget: { kind: "mapping", channel: "tiktok", field: "channelCategoryId" },
    });
    expect(diagnostic?.fix).toContain("Shelfcast → Channels → TikTok Shop → Mapping");
  });

  it("needs 25 title characters outside the US and UK", () => {
    expect(evaluate(TIKTOK_SHOP_ADAPTER, [mappedItem({ ...euros, title: "Linen Shirt" })], SPAIN).problems).toEqual(["title_too_short title error"]);
    expect(evaluate(TIKTOK_SHOP_ADAPTER, [mappedItem({ ...euros, title: "Linen Shirt with Pocket, Navy" })], SPAIN).problems).toEqual([]);
  });

  it("needs the market's own currency (GBP in the UK)", () => {
    const { problems, records } = evaluate(TIKTOK_SHOP_ADAPTER, [mappedItem()], { code: "GB", currency: "USD", language: "en" });
    expect(problems).toEqual(["skus_price_currency_mismatch skus[].price error"]);
    expect(records).toEqual([]);
  });

  it("checks leaf categories once the shop's category tree is known", () => {
    const adapter = createTikTokShopAdapter(resolveChannelSpec("tiktok", { leafCategoryIds: new Set(["601300"]) }));
    expect(evaluate(adapter, [mappedItem()]).problems).toEqual(["category_id_not_leaf category_id error"]);
    expect(evaluate(adapter, [mappedItem({ channelCategoryId: "601300" })]).problems).toEqual([]);
  });

  it("keeps 300 SKUs outside the US and UK", () => {
    const items = Array.from({ length: 150 }, (_, i) => mappedItem({ ...euros, title: "Linen Shirt with Pocket, Navy", id: `4510000000${1000 + i}`, gtin: null, variantAttributes: [{ name: "Size", value: `${i}`, kind: "size" }] }));
    expect(evaluate(TIKTOK_SHOP_ADAPTER, items, SPAIN).records[0]?.itemIds).toHaveLength(150);
  });
});

describe("TikTok Shop adapter: diagnostics", () => {
  const failsSku = (code: string, field: string): string[] => [`${code} ${field} error`, "skus_missing skus error"];
  const cases: DiagnosticCase[] = [
    ["a variant without options", ["variant_attributes_missing skus[].sales_attributes error"], false],
    ["two variants with the same options", ["variant_attributes_duplicate skus[].sales_attributes error"], false],
    ["five option dimensions", ["variant_dimensions_exceeded skus[].sales_attributes error"], false],
    ["101 variants", ["skus_too_many skus error"], false],
    ["two variants with one id", ["id_duplicate id error", "skus_missing skus error"], false],
    ["no title", ["title_missing title error"], false],
    ["a title of 600 characters", ["title_too_long title error"], false],
    ["HTML in the title", ["title_contains_html title error"], false],
    ["an ALL CAPS title", ["title_uppercase title warning"], true],
    ["promotional text in the title", ["title_promotional title error"], false],
    ["a Chinese title", ["title_contains_chinese title error"], false],
    ["no description at all", ["description_missing description error"], false],
    ["an image in the description", ["description_images_removed description warning"], true],
    ["no category", ["category_id_missing category_id error"], false],
    ["a category name instead of its id", ["category_id_invalid category_id error"], false],
    ["no images at all", ["main_images_missing main_images error"], false],
    ["a relative image URL", ["main_images_not_absolute_url main_images warning"], true],
    ["a 280 px image", ["main_images_too_small main_images warning"], true],
    ["a 5,000 px image", ["main_images_too_large main_images warning"], true],
    ["25 extra images", ["main_images_too_many main_images warning"], true],
    ["no package weight", ["package_weight_missing package_weight error"], false],
    ["no package size", ["package_dimensions_missing package_dimensions error"], false],
    ["an unreadable package size", ["package_dimensions_invalid package_dimensions error"], false],
    ["a product id of 1,000 characters", ["external_product_id_too_long external_product_id error"], false],
    ["no price at all", failsSku("skus_price_missing", "skus[].price"), false],
    ["no price", [], true], // the sale price is the selling price
    ["a zero price", failsSku("skus_price_not_positive", "skus[].price"), false],
    ["a sale price that is not a number", failsSku("skus_price_invalid", "skus[].price"), false],
    ["a negative sale price", failsSku("skus_price_negative", "skus[].price"), false],
    ["a sale price in another currency", failsSku("skus_price_currency_mismatch", "skus[].price"), false],
    ["a price above the market's range", failsSku("skus_price_out_of_range", "skus[].price"), false],
    ["untracked stock", failsSku("skus_inventory_missing", "skus[].inventory"), false],
    ["a million units", ["skus_inventory_capped skus[].inventory warning"], true],
    ["a barcode with a wrong check digit", failsSku("skus_identifier_code_invalid", "skus[].identifier_code"), false],
    ["two variants with one barcode", ["skus_identifier_code_duplicate skus[].identifier_code error"], false],
    ["a SKU of 60 characters", failsSku("skus_seller_sku_too_long", "skus[].seller_sku"), false],
    ["a variant id of 1,000 characters", failsSku("skus_external_sku_id_too_long", "skus[].external_sku_id"), false],
    ["an option name of 25 characters", failsSku("skus_sales_attributes_name_too_long", "skus[].sales_attributes[].name"), false],
    ["an option value of 60 characters", failsSku("skus_sales_attributes_value_name_too_long", "skus[].sales_attributes[].value_name"), false],
    ["a pre-order without a date", failsSku("skus_pre_sale_missing", "skus[].pre_sale"), false],
    // What other channels check and TikTok Shop does not send, or takes as it is.
    ["no link", [], true],
    ["a negative price", [], true],
    ["a sale price equal to the price", [], true],
    ["no brand", [], true],
    ["an unknown condition", [], true],
    ["a pre-order two years ahead", [], true],
  ];

  itReportsEachCase(TIKTOK_SHOP_ADAPTER, cases, TIKTOK_CODES);
});
