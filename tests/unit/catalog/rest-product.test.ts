import { describe, expect, it } from "vitest";
import { normalizeRestProduct } from "~/domain/catalog/rest-product";

/** Trimmed from a real `products/update` webhook body (API 2025-01). */
function restPayload() {
  return {
    id: 8_123_456_789_012,
    title: "Linen Shirt",
    body_html: "<p>Soft &amp; light</p>",
    vendor: "Maison Lin",
    product_type: "Shirts",
    created_at: "2025-01-01T10:00:00+01:00",
    handle: "linen-shirt",
    updated_at: "2025-02-01T10:00:00+01:00",
    published_at: "2025-01-02T10:00:00+01:00",
    template_suffix: null,
    published_scope: "global",
    tags: "social:tiktok, campaign:spring-drop,  bestseller ,",
    status: "active",
    admin_graphql_api_id: "gid://shopify/Product/8123456789012",
    variants: [
      {
        id: 45_000_000_000_002,
        product_id: 8_123_456_789_012,
        title: "Sage / M",
        price: "49.00",
        sku: "ML-SAG-M",
        position: 2,
        inventory_policy: "continue",
        compare_at_price: "",
        fulfillment_service: "manual",
        inventory_management: null,
        option1: "Sage",
        option2: "M",
        option3: null,
        barcode: "",
        grams: 300,
        image_id: null,
        weight: 0.3,
        weight_unit: "kg",
        inventory_item_id: 47_000_000_000_002,
        inventory_quantity: -2,
        requires_shipping: true,
      },
      {
        id: 45_000_000_000_001,
        product_id: 8_123_456_789_012,
        title: "Sage / S",
        price: "49.00",
        sku: "ML-SAG-S",
        position: 1,
        inventory_policy: "deny",
        compare_at_price: "59.00",
        inventory_management: "shopify",
        option1: "Sage",
        option2: "S",
        option3: null,
        barcode: "4006381333931",
        image_id: 31_000_000_000_001,
        weight: 300,
        weight_unit: "g",
        inventory_item_id: 47_000_000_000_001,
        inventory_quantity: 7,
      },
    ],
    options: [
      { id: 1, product_id: 8_123_456_789_012, name: "Size", position: 2, values: ["S", "M"] },
      { id: 2, product_id: 8_123_456_789_012, name: "Colour", position: 1, values: ["Sage"] },
    ],
    images: [
      { id: 31_000_000_000_001, position: 1, alt: "Front", width: 2048, height: 2048, src: "https://cdn.shopify.com/s/files/1/1/files/front.jpg?v=1", variant_ids: [] },
      { id: 31_000_000_000_003, position: 2, alt: null, width: 1200, height: 1600, src: "https://cdn.shopify.com/s/files/1/1/files/back.jpg?v=1", variant_ids: [45_000_000_000_002] },
    ],
    metafields: [
      { namespace: "custom", key: "launch_date", type: "date", value: "2026-03-01" },
      { namespace: "custom", key: "price_floor", type: "money", value: '{"amount":"30.00"}' },
      { namespace: "custom", key: "gift", type: "boolean", value: "maybe" },
    ],
  };
}

describe("normalizeRestProduct", () => {
  it("turns a realistic webhook payload into a catalog Product with GIDs", () => {
    const result = normalizeRestProduct(restPayload(), "EUR");
    if (!result.ok) throw new Error(result.problems.join("\n"));
    const { product } = result;
    expect(product).toMatchObject({
      id: "gid://shopify/Product/8123456789012",
      handle: "linen-shirt",
      title: "Linen Shirt",
      descriptionHtml: "<p>Soft &amp; light</p>",
      status: "ACTIVE",
      tags: ["social:tiktok", "campaign:spring-drop", "bestseller"],
      options: [
        { name: "Colour", position: 1, values: ["Sage"] },
        { name: "Size", position: 2, values: ["S", "M"] },
      ],
      media: [
        { id: "gid://shopify/ProductImage/31000000000001", altText: "Front", width: 2048 },
        { id: "gid://shopify/ProductImage/31000000000003", altText: null, height: 1600 },
      ],
    });
    const [small, medium] = product.variants;
    expect(small).toMatchObject({
      id: "gid://shopify/ProductVariant/45000000000001",
      productId: product.id,
      position: 1,
      selectedOptions: [
        { name: "Colour", value: "Sage" },
        { name: "Size", value: "S" },
      ],
      barcode: "4006381333931",
      compareAtPrice: "59.00",
      imageId: "gid://shopify/ProductImage/31000000000001",
      weight: 300,
      weightUnit: "GRAMS",
      inventoryPolicy: "DENY",
      inventoryItem: { id: "gid://shopify/InventoryItem/47000000000001", tracked: true, levels: [] },
      availableQuantity: 7,
    });
    expect(medium).toMatchObject({
      barcode: null,
      compareAtPrice: null,
      // Linked only through the image's variant_ids.
      imageId: "gid://shopify/ProductImage/31000000000003",
      weightUnit: "KILOGRAMS",
      inventoryPolicy: "CONTINUE",
      inventoryItem: { tracked: false },
      availableQuantity: -2,
    });
  });

  it("parses metafields with the shop currency and reports malformed ones as warnings", () => {
    const result = normalizeRestProduct(restPayload(), "EUR");
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(result.product.metafields.map((metafield) => metafield.value)).toEqual(["2026-03-01", { amount: "30.00", currencyCode: "EUR" }, "maybe"]);
    expect(result.warnings).toEqual([expect.stringMatching(/^metafield custom\.gift: .*not a valid boolean/)]);
  });

  it("names the bad field of an invalid payload", () => {
    const payload = restPayload();
    (payload.variants[0] as { price: unknown }).price = 49;
    const result = normalizeRestProduct({ ...payload, handle: undefined, status: "published" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^handle: /),
        expect.stringMatching(/^status: /),
        expect.stringMatching(/^variants\.0\.price: /),
      ]),
    );
    expect(result.problems).toHaveLength(3);
  });

  it("rejects something that is not a product at all", () => {
    expect(normalizeRestProduct("not a product")).toEqual({ ok: false, problems: [expect.stringMatching(/^\(root\): /)] });
  });
});
