import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CHANNEL_ADAPTERS } from "../../../../app/domain/channels/adapters";
import { CHANNEL_IDS, type Availability, type MappedItem, type Market } from "../../../../app/domain/channels/types";
import { context, mappedItem } from "./fixtures";

const amount = fc.oneof(
  fc.tuple(fc.nat({ max: 20_000 }), fc.nat({ max: 99 })).map(([units, cents]) => `${units}.${String(cents).padStart(2, "0")}`),
  fc.constantFrom("0", "0.00", "-5.00", "12,50", "", "abc", "7600.00", "7600.01"),
);
const money = fc.option(fc.record({ amount, currencyCode: fc.constantFrom("USD", "USD", "USD", "EUR") }), { nil: null });
const image = fc.option(
  fc.record({
    url: fc.constantFrom("https://cdn.shopify.com/s/files/1/a.jpg", "https://cdn.shopify.com/s/files/1/b,c.png", "/relative.jpg", ""),
    width: fc.option(fc.integer({ min: 1, max: 6000 }), { nil: null }),
    height: fc.option(fc.integer({ min: 1, max: 6000 }), { nil: null }),
    altText: fc.constant(null),
  }),
  { nil: null },
);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("Linen Shirt", "LINEN SHIRT FOR SUMMER", "Linen Shirt - Free Shipping", "亚麻衬衫", "Linen <b>Shirt</b> 🌊", "Call +44 20 7946 0958"),
  fc.string({ minLength: 140, maxLength: 700 }),
);
const attributes = fc.array(
  fc.record({ name: fc.constantFrom("Color", "Size", "Scent", "Material", "A very long option name"), value: fc.string({ maxLength: 60 }), kind: fc.constantFrom("color", "size", null) }),
  { maxLength: 5 },
);

const itemOverrides = fc.record(
  {
    id: fc.constantFrom("45100000000101", "45100000000102", "8100000001", ""),
    title: text,
    description: text,
    richDescription: fc.option(fc.constantFrom("<p>Linen</p>", '<p><img src="https://a.example/x.jpg"></p>', ""), { nil: null }),
    link: fc.option(fc.constantFrom("https://shelfcast-demo.com/products/a", "/products/a"), { nil: null }),
    image,
    additionalImages: fc.array(image.map((value) => value ?? { url: "https://cdn.shopify.com/s/files/1/z.jpg", width: null, height: null, altText: null }), { maxLength: 12 }),
    price: money,
    salePrice: money,
    availability: fc.constantFrom<Availability>("in_stock", "out_of_stock", "preorder", "backorder"),
    availabilityDate: fc.option(fc.constantFrom("2026-12-01T00:00:00Z", "2029-01-01T00:00:00Z", "soon"), { nil: null }),
    quantity: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null }),
    brand: fc.option(text, { nil: null }),
    gtin: fc.option(fc.oneof(fc.stringMatching(/^\d{7,15}$/), fc.constantFrom("4006381333931", "036000291452")), { nil: null }),
    gender: fc.option(fc.constantFrom("male", "Women", "unisex"), { nil: null }),
    ageGroup: fc.option(fc.constantFrom("adult", "teen", "grown-ups"), { nil: null }),
    variantAttributes: attributes,
    channelCategoryId: fc.option(fc.constantFrom("601226", "Shirts"), { nil: null }),
    packageDimensions: fc.option(fc.constantFrom("30 x 20 x 5 cm", "12 x 8 x 2 in", "big"), { nil: null }),
    shippingWeight: fc.option(fc.record({ value: fc.double({ min: 0, max: 50, noNaN: true }), unit: fc.constantFrom("g" as const, "kg" as const, "oz" as const, "lb" as const) }), { nil: null }),
    sku: fc.option(fc.string({ maxLength: 60 }), { nil: null }),
  },
  { requiredKeys: [] },
);

const product = fc.array(itemOverrides, { minLength: 1, maxLength: 4 }).map((overrides) =>
  overrides.map((override, index): MappedItem => mappedItem({ id: `4510000000${index}`, ...override, variantId: `gid://shopify/ProductVariant/${index}` })),
);
const market = fc.constantFrom<Market>({ code: "US", currency: "USD", language: "en" }, { code: "GB", currency: "GBP", language: "en" }, { code: "ES", currency: "EUR", language: "es" });

describe("every adapter, any items", () => {
  it.each(CHANNEL_IDS)("%s never lets an item with an error into a record, and leaves out no item without one", (channel) => {
    const adapter = CHANNEL_ADAPTERS[channel];
    fc.assert(
      fc.property(product, market, (items, feedMarket) => {
        const { records, diagnostics } = adapter.evaluate(items, context(channel, feedMarket));
        const errored = new Set(diagnostics.filter((d) => d.severity === "error").map((d) => d.itemId));
        for (const record of records) {
          expect(errored.has(record.key)).toBe(false);
          for (const id of record.itemIds) expect(errored.has(id)).toBe(false);
        }
        for (const diagnostic of diagnostics) {
          expect(diagnostic.code).toMatch(/^[a-z0-9]+(?:_[a-z0-9]+)*$/);
          expect(diagnostic.value === null || diagnostic.value.length <= 200).toBe(true);
          expect(diagnostic.fix.length).toBeGreaterThan(20);
        }
        if (channel === "tiktok") return;
        // Flat feeds: an item without an error is in the feed.
        const inFeed = new Set(records.flatMap((record) => record.itemIds));
        for (const item of items) expect(inFeed.has(item.id) || errored.has(item.id)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
