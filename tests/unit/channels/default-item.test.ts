import { describe, expect, it } from "vitest";
import { DEMO_MESS, generateCatalogJsonl } from "~/demo/generate-catalog";
import { createBulkCatalogAssembler } from "~/domain/catalog/bulk-jsonl";
import type { MediaImage, Metafield, Product } from "~/domain/catalog/types";
import { buildDefaultItem } from "~/domain/channels/default-item";
import { createIdScheme } from "~/domain/channels/id-scheme";
import { offerFromStock } from "~/domain/channels/offer";
import { CHANNEL_IDS, type ChannelContext, type Market } from "~/domain/channels/types";
import { buildCatalogProduct, type VariantOverrides } from "../../factories/catalog";

const US: Market = { code: "US", currency: "USD", language: "en" };
const DE: Market = { code: "DE", currency: "EUR", language: "de" };

function context(overrides: Partial<ChannelContext> = {}): ChannelContext {
  return {
    channel: "meta",
    market: US,
    shop: { domain: "shelfcast-demo.myshopify.com", name: "Shelfcast Demo", currency: "USD", storefrontUrl: "https://shelfcast-demo.com" },
    idScheme: createIdScheme("variant-id"),
    offer: offerFromStock,
    now: new Date("2026-11-22T09:00:00Z"),
    ...overrides,
  };
}

function image(id: number, url = `https://cdn.shopify.com/files/${id}.jpg`): MediaImage {
  return { id: `gid://shopify/MediaImage/${id}`, url, altText: `Image ${id}`, width: 1200, height: 1200 };
}

function metafield(namespace: string, key: string, value: Metafield["value"], type = "single_line_text_field"): Metafield {
  return { namespace, key, type, raw: String(value), value };
}

const BLACK_M = [
  { name: "Farbe", value: "Schwarz" },
  { name: "Größe", value: "M" },
];

/** A shirt in two colours and two sizes, option names in German. */
function shirt(overrides: Partial<Omit<Product, "id" | "variants">> = {}, variants?: VariantOverrides[]): Product {
  const combos = [["Schwarz", "M"], ["Schwarz", "L"], ["Weiß", "M"]];
  return buildCatalogProduct(
    8200000000004,
    {
      title: "  Relaxed Linen Shirt ",
      handle: "relaxed-linen-shirt",
      vendor: " Maison Lin ",
      productType: "Shirts",
      descriptionHtml: "<p>Soft &amp; breathable linen.</p><ul><li>Relaxed fit</li></ul><script>track()</script>",
      options: [
        { name: "Farbe", position: 1, values: ["Schwarz", "Weiß"] },
        { name: "Größe", position: 2, values: ["M", "L"] },
      ],
      media: [image(1), image(2), image(3), image(4, "https://cdn.shopify.com/files/1.jpg")],
      onlineStoreUrl: "https://shelfcast-demo.com/products/relaxed-linen-shirt",
      category: { id: "gid://shopify/TaxonomyCategory/aa-1-13-8", fullName: "Apparel & Accessories > Clothing > Clothing Tops > T-Shirts" },
      ...overrides,
    },
    variants ??
      combos.map(([color, size]) => ({
        selectedOptions: [
          { name: "Farbe", value: color! },
          { name: "Größe", value: size! },
        ],
      })),
  );
}

describe("buildDefaultItem", () => {
  it("fills the fields a merchant expects from Shopify", () => {
    const product = shirt({}, [
      {
        selectedOptions: [
          { name: "Farbe", value: "Weiß" },
          { name: "Größe", value: "M" },
        ],
        price: "49.00",
        barcode: " 4006-381 333931 ",
        imageId: "gid://shopify/MediaImage/3",
        weight: 0.35,
        weightUnit: "KILOGRAMS",
        inventoryItem: { id: "gid://shopify/InventoryItem/1", tracked: true, countryCodeOfOrigin: "PT", harmonizedSystemCode: null, levels: [{ locationId: "gid://shopify/Location/1", locationName: "Rotterdam", available: 5 }] },
      },
    ]);
    const item = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: true });
    expect(item).toEqual({
      id: "820000000000401",
      groupId: "8200000000004",
      productId: "gid://shopify/Product/8200000000004",
      variantId: "gid://shopify/ProductVariant/820000000000401",
      handle: "relaxed-linen-shirt",
      sku: "SKU-820000000000401",
      title: "Relaxed Linen Shirt - Weiß / M",
      description: "Soft & breathable linen.\n• Relaxed fit",
      richDescription: "<p>Soft &amp; breathable linen.</p><ul><li>Relaxed fit</li></ul>",
      link: "https://shelfcast-demo.com/products/relaxed-linen-shirt?variant=820000000000401",
      image: { url: "https://cdn.shopify.com/files/3.jpg", width: 1200, height: 1200, altText: "Image 3" },
      additionalImages: [
        { url: "https://cdn.shopify.com/files/1.jpg", width: 1200, height: 1200, altText: "Image 1" },
        { url: "https://cdn.shopify.com/files/2.jpg", width: 1200, height: 1200, altText: "Image 2" },
      ],
      price: { amount: "49.00", currencyCode: "USD" },
      salePrice: null,
      salePriceEffectiveDate: null,
      availability: "in_stock",
      availabilityDate: null,
      quantity: 5,
      brand: "Maison Lin",
      gtin: "4006381333931",
      mpn: null,
      condition: "new",
      color: "Weiß",
      size: "M",
      material: null,
      pattern: null,
      gender: null,
      ageGroup: null,
      variantAttributes: [
        { name: "Farbe", value: "Weiß", kind: "color" },
        { name: "Größe", value: "M", kind: "size" },
      ],
      googleProductCategory: "212",
      shopifyCategoryId: "gid://shopify/TaxonomyCategory/aa-1-13-8",
      productType: "Shirts",
      channelCategoryId: null,
      packageDimensions: null,
      customLabels: [null, null, null, null, null],
      shippingWeight: { value: 0.35, unit: "kg" },
      status: "active",
      originCountry: "PT",
      tags: [],
      vendor: " Maison Lin ",
    });
  });

  it("adds option values to the title only when asked and when the product has variants", () => {
    const product = shirt();
    expect(buildDefaultItem(product, product.variants[1]!, context(), { includeVariantInTitle: true }).title).toBe("Relaxed Linen Shirt - Schwarz / L");
    expect(buildDefaultItem(product, product.variants[1]!, context(), { includeVariantInTitle: false }).title).toBe("Relaxed Linen Shirt");
    const single = buildCatalogProduct(5, { title: "Candle" });
    expect(buildDefaultItem(single, single.variants[0]!, context(), { includeVariantInTitle: true }).title).toBe("Candle");
  });

  it("falls back to the SEO description, never to the title", () => {
    const withSeo = shirt({ descriptionHtml: "<p> </p><script>x()</script>", seo: { title: null, description: "Shop the linen &amp; cotton shirt." } });
    const item = buildDefaultItem(withSeo, withSeo.variants[0]!, context(), { includeVariantInTitle: false });
    expect(item.description).toBe("Shop the linen & cotton shirt.");
    expect(item.richDescription).toBeNull();
    const bare = shirt({ descriptionHtml: "" });
    expect(buildDefaultItem(bare, bare.variants[0]!, context(), { includeVariantInTitle: false }).description).toBe("");
  });

  describe("link", () => {
    it("builds the storefront URL from the handle when Shopify gives none, and appends to an existing query", () => {
      const unpublished = shirt({ onlineStoreUrl: null });
      expect(buildDefaultItem(unpublished, unpublished.variants[0]!, context({ shop: { ...context().shop, storefrontUrl: "https://shop.example/" } }), { includeVariantInTitle: false }).link).toBe(
        "https://shop.example/products/relaxed-linen-shirt?variant=820000000000401",
      );
      const tracked = shirt({ onlineStoreUrl: "https://shop.example/products/x?utm_source=feed" });
      expect(buildDefaultItem(tracked, tracked.variants[2]!, context(), { includeVariantInTitle: false }).link).toBe("https://shop.example/products/x?utm_source=feed&variant=820000000000403");
    });

    it("is null without a storefront URL and without a storefront base", () => {
      const product = shirt({ onlineStoreUrl: null });
      expect(buildDefaultItem(product, product.variants[0]!, context({ shop: { ...context().shop, storefrontUrl: "" } }), { includeVariantInTitle: false }).link).toBeNull();
    });
  });

  describe("images", () => {
    it("leads with the first image when the variant has none, without repeating URLs", () => {
      const product = shirt();
      const item = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false });
      expect(item.image?.url).toBe("https://cdn.shopify.com/files/1.jpg");
      expect(item.additionalImages.map((ref) => ref.url)).toEqual(["https://cdn.shopify.com/files/2.jpg", "https://cdn.shopify.com/files/3.jpg"]);
    });

    it("gives each item its own additional images array", () => {
      const product = shirt();
      const first = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false });
      first.additionalImages.pop();
      expect(buildDefaultItem(product, product.variants[1]!, context(), { includeVariantInTitle: false }).additionalImages).toHaveLength(2);
    });

    it("has no image when the product has no media", () => {
      const product = shirt({ media: [] });
      const item = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false });
      expect(item.image).toBeNull();
      expect(item.additionalImages).toEqual([]);
    });
  });

  describe("price", () => {
    it("turns a compare-at price above the price into a sale", () => {
      const product = shirt({}, [{ price: "39.99", compareAtPrice: "52.00" }]);
      const item = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false });
      expect(item.price).toEqual({ amount: "52.00", currencyCode: "USD" });
      expect(item.salePrice).toEqual({ amount: "39.99", currencyCode: "USD" });
    });

    it("ignores a compare-at price at or below the price", () => {
      const product = shirt({}, [{ price: "39.99", compareAtPrice: "34.99" }, { price: "39.99", compareAtPrice: "39.99" }]);
      for (const variant of product.variants) {
        const item = buildDefaultItem(product, variant, context(), { includeVariantInTitle: false });
        expect(item.price).toEqual({ amount: "39.99", currencyCode: "USD" });
        expect(item.salePrice).toBeNull();
      }
    });

    it("uses the market's price list in another currency, and null when it has no price", () => {
      const product = shirt({}, [{ price: "39.99", compareAtPrice: "52.00", marketPrices: { DE: { amount: "37.00", currencyCode: "EUR" } } }, { price: "39.99" }]);
      const inGermany = context({ market: DE });
      const priced = buildDefaultItem(product, product.variants[0]!, inGermany, { includeVariantInTitle: false });
      expect(priced.price).toEqual({ amount: "37.00", currencyCode: "EUR" });
      expect(priced.salePrice).toBeNull();
      const missing = buildDefaultItem(product, product.variants[1]!, inGermany, { includeVariantInTitle: false });
      expect(missing.price).toBeNull();
      expect(missing.salePrice).toBeNull();
    });
  });

  it("takes brand from the vendor, else the shop name; GTIN null when the barcode is blank", () => {
    const product = shirt({ vendor: "  " }, [{ barcode: " - " }, { barcode: null }]);
    const items = product.variants.map((variant) => buildDefaultItem(product, variant, context(), { includeVariantInTitle: false }));
    expect(items.map((item) => item.brand)).toEqual(["Shelfcast Demo", "Shelfcast Demo"]);
    expect(items.map((item) => item.gtin)).toEqual([null, null]);
  });

  it("reads Shopify's Google channel metafields, variant first, then product", () => {
    const product = shirt(
      {
        metafields: [
          metafield("mm-google-shopping", "custom_label_1", "bestseller"),
          metafield("mm-google-shopping", "google_product_category", 2271, "number_integer"),
          metafield("mm-google-shopping", "condition", "refurbished"),
          metafield("mm-google-shopping", "gender", "Damen"),
        ],
      },
      [
        {
          metafields: [
            metafield("mm-google-shopping", "mpn", " ML-SHIRT-01 "),
            metafield("mm-google-shopping", "condition", "Used"),
            metafield("mm-google-shopping", "age_group", "Adult"),
            metafield("mm-google-shopping", "custom_label_0", "spring-drop"),
            metafield("mm-google-shopping", "custom_label_4", "  "),
          ],
        },
        { metafields: [metafield("mm-google-shopping", "condition", "mint"), metafield("mm-google-shopping", "gender", "robots")] },
      ],
    );
    const first = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false });
    expect(first).toMatchObject({ mpn: "ML-SHIRT-01", condition: "used", gender: "female", ageGroup: "adult", googleProductCategory: "2271" });
    expect(first.customLabels).toEqual(["spring-drop", "bestseller", null, null, null]);
    const second = buildDefaultItem(product, product.variants[1]!, context(), { includeVariantInTitle: false });
    // An unknown condition falls back to new; an unknown gender is passed on for the checks to report.
    expect(second).toMatchObject({ condition: "new", gender: "robots", mpn: null });
  });

  it("takes colour, size, material and pattern from options and category metafields", () => {
    const product = shirt({ metafields: [metafield("shopify", "fabric", ["Linen", "Cotton"], "list.single_line_text_field"), metafield("shopify", "color-pattern", ["gid://shopify/Metaobject/1"], "list.metaobject_reference")] });
    const item = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false });
    expect(item).toMatchObject({ color: "Schwarz", size: "M", material: "Linen/Cotton", pattern: null });
  });

  it("falls back to the category's full name for the product type, and has no Google category without a category", () => {
    const product = shirt({ productType: " ", category: null });
    const item = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false });
    expect(item.productType).toBeNull();
    expect(item.googleProductCategory).toBeNull();
    const typed = shirt({ productType: "" });
    expect(buildDefaultItem(typed, typed.variants[0]!, context(), { includeVariantInTitle: false }).productType).toBe("Apparel & Accessories > Clothing > Clothing Tops > T-Shirts");
  });

  it("converts Shopify weight units", () => {
    const product = shirt({}, [
      { weight: 250, weightUnit: "GRAMS" },
      { weight: 1.5, weightUnit: "POUNDS" },
      { weight: 12, weightUnit: "OUNCES" },
      { weight: 0, weightUnit: "KILOGRAMS" },
      { weight: null, weightUnit: null },
    ]);
    expect(product.variants.map((variant) => buildDefaultItem(product, variant, context(), { includeVariantInTitle: false }).shippingWeight)).toEqual([
      { value: 250, unit: "g" },
      { value: 1.5, unit: "lb" },
      { value: 12, unit: "oz" },
      null,
      null,
    ]);
  });

  it("takes availability from the context's offer and ids from its id scheme", () => {
    const product = shirt({}, [{ availableQuantity: 0, inventoryPolicy: "CONTINUE" }]);
    const ctx = context({
      market: DE,
      idScheme: createIdScheme("shopify-channel"),
      offer: () => ({ availability: "preorder", quantity: 0, availabilityDate: "2026-12-16T00:00:00Z", reason: "test" }),
    });
    const item = buildDefaultItem(product, product.variants[0]!, ctx, { includeVariantInTitle: false });
    expect(item).toMatchObject({ id: "shopify_DE_8200000000004_820000000000401", groupId: "shopify_DE_8200000000004", availability: "preorder", quantity: 0, availabilityDate: "2026-12-16T00:00:00Z" });
  });

  it("answers each market and storefront correctly for the same variant (per-variant work is cached)", () => {
    const product = shirt({ onlineStoreUrl: null }, [{ selectedOptions: BLACK_M, price: "39.99", compareAtPrice: "52.00", marketPrices: { DE: { amount: "37.00", currencyCode: "EUR" } } }]);
    const variant = product.variants[0]!;
    const us = buildDefaultItem(product, variant, context(), { includeVariantInTitle: false });
    const de = buildDefaultItem(product, variant, context({ market: DE, shop: { ...context().shop, storefrontUrl: "https://shop.example.de" } }), { includeVariantInTitle: false });
    const usAgain = buildDefaultItem(product, variant, context(), { includeVariantInTitle: true });
    expect([us.price?.amount, us.salePrice?.amount, us.link]).toEqual(["52.00", "39.99", "https://shelfcast-demo.com/products/relaxed-linen-shirt?variant=820000000000401"]);
    expect([de.price?.amount, de.salePrice, de.link]).toEqual(["37.00", null, "https://shop.example.de/products/relaxed-linen-shirt?variant=820000000000401"]);
    expect([usAgain.price?.amount, usAgain.salePrice?.amount, usAgain.link, usAgain.title]).toEqual([
      "52.00",
      "39.99",
      "https://shelfcast-demo.com/products/relaxed-linen-shirt?variant=820000000000401",
      "Relaxed Linen Shirt - Schwarz / M",
    ]);
  });

  it("gives every item arrays of its own and freezes the values it shares", () => {
    const product = shirt({ metafields: [metafield("mm-google-shopping", "custom_label_0", "summer")] }, [{ selectedOptions: BLACK_M, weight: 200, weightUnit: "GRAMS" }]);
    const meta = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false });
    meta.customLabels[0] = "changed";
    meta.variantAttributes.length = 0;
    const google = buildDefaultItem(product, product.variants[0]!, context({ channel: "google" }), { includeVariantInTitle: false });
    expect(google.customLabels[0]).toBe("summer");
    expect(google.variantAttributes).toHaveLength(2);
    for (const shared of [google.price, google.image, google.shippingWeight, google.variantAttributes[0]]) expect(Object.isFrozen(shared)).toBe(true);
  });

  it("marks products that are not active as archived", () => {
    const product = shirt({ status: "DRAFT" });
    expect(buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: false })).toMatchObject({ status: "archived", availability: "out_of_stock" });
  });
});

describe("buildDefaultItem on the demo catalog", () => {
  const NOW = "2026-11-22T09:00:00Z";
  const assembler = createBulkCatalogAssembler({ shopCurrency: "USD" });
  [...generateCatalogJsonl({ seed: 20261122, products: 120, now: NOW })].forEach((line, index) => assembler.push(line, index + 1));
  const { products } = assembler.finish();
  const indexOf = (product: Product) => Number(product.id.split("/").pop()) - 8_200_000_000_000;

  it("builds an item for every variant on every channel without leaking HTML or entities", () => {
    for (const channel of CHANNEL_IDS) {
      for (const product of products) {
        for (const variant of product.variants) {
          const item = buildDefaultItem(product, variant, context({ channel }), { includeVariantInTitle: channel !== "tiktok" });
          expect(item.description).not.toMatch(/<[a-z/]|&[a-z]+;|dataLayer/i);
          expect(item.richDescription ?? "").not.toMatch(/<(script|span)|style=/);
          expect(item.id).not.toBe(item.groupId);
        }
      }
    }
  });

  it("turns the demo's dated pre-orders into pre-orders with their ship date", () => {
    const preOrders = products.filter((product) => {
      const variant = product.variants[0]!;
      return DEMO_MESS.preOrder(indexOf(product)) && product.status === "ACTIVE" && variant.inventoryPolicy === "CONTINUE" && variant.inventoryItem.tracked;
    });
    expect(preOrders.length).toBeGreaterThan(0);
    for (const product of preOrders) {
      const item = buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: true });
      const dated = product.sellingPlanGroups.some((group) => group.sellingPlans.some((plan) => plan.fulfillmentExactTime !== null));
      expect(item.availability, product.handle).toBe(dated ? "preorder" : "backorder");
      if (dated) expect(item.availabilityDate).toMatch(/^2026-12-|^2027-0[12]-/);
    }
  });

  it("recognises the demo's multilingual option names as colour and size", () => {
    const withColour = products.filter((product) => product.options.some((option) => ["Color", "Colour", "Couleur", "Farbe", "Warna"].includes(option.name)));
    expect(withColour.length).toBeGreaterThan(5);
    for (const product of withColour) {
      expect(buildDefaultItem(product, product.variants[0]!, context(), { includeVariantInTitle: true }).color, product.handle).not.toBeNull();
    }
  });

  it("is cheap per variant once the product's work is cached", () => {
    const rounds = 5;
    const started = performance.now();
    let built = 0;
    for (let round = 0; round < rounds; round += 1) {
      for (const channel of CHANNEL_IDS) {
        const ctx = context({ channel });
        for (const product of products) {
          for (const variant of product.variants) {
            buildDefaultItem(product, variant, ctx, { includeVariantInTitle: true });
            built += 1;
          }
        }
      }
    }
    const microsPerItem = ((performance.now() - started) * 1000) / built;
    expect(built).toBeGreaterThan(5_000);
    expect(microsPerItem).toBeLessThan(50);
  });
});
