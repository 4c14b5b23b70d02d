/** Hand-built MappedItems and contexts for the channel adapter tests. */
import { expect, it } from "vitest";
import type { Product, Variant } from "../../../../app/domain/catalog/types";
import type { ChannelAdapter, ChannelContext, ChannelId, Diagnostic, ImageRef, MappedItem, Market, Offer } from "../../../../app/domain/channels/types";

export const NOW = new Date("2026-11-22T12:00:00Z");
export const PRODUCT_ID = "gid://shopify/Product/8100000001";

export const US: Market = { code: "US", currency: "USD", language: "en" };

export function context(channel: ChannelId, market: Market = US): ChannelContext {
  return {
    channel,
    market,
    shop: { domain: "shelfcast-demo.myshopify.com", name: "Shelfcast Demo", currency: "USD", storefrontUrl: "https://shelfcast-demo.com" },
    idScheme: {
      name: "variant-id",
      itemId: (_product: Product, variant: Variant) => variant.id.split("/").pop() ?? variant.id,
      groupId: (product: Product) => product.id.split("/").pop() ?? product.id,
    },
    offer: (): Offer => ({ availability: "in_stock", quantity: 1, availabilityDate: null, reason: "test" }),
    now: NOW,
  };
}

/** A Navy / M linen shirt that every channel accepts as it is. */
export function mappedItem(overrides: Partial<MappedItem> = {}): MappedItem {
  const id = overrides.id ?? "45100000000101";
  return {
    id,
    groupId: "8100000001",
    productId: PRODUCT_ID,
    variantId: `gid://shopify/ProductVariant/${id}`,
    handle: "linen-shirt",
    sku: "LS-NAVY-M",
    title: "Linen Shirt",
    description: "A relaxed shirt in washed European linen, cut for warm days.",
    richDescription: "<p>A relaxed shirt in washed <strong>European linen</strong>, cut for warm days.</p>",
    link: `https://shelfcast-demo.com/products/linen-shirt?variant=${id}`,
    image: { url: "https://cdn.shopify.com/s/files/1/linen-shirt-navy.jpg", width: 1200, height: 1200, altText: null },
    additionalImages: [{ url: "https://cdn.shopify.com/s/files/1/linen-shirt-back.jpg", width: 1200, height: 1200, altText: null }],
    price: { amount: "59.00", currencyCode: "USD" },
    salePrice: { amount: "49.00", currencyCode: "USD" },
    salePriceEffectiveDate: null,
    availability: "in_stock",
    availabilityDate: null,
    quantity: 12,
    brand: "Shelfcast Test",
    gtin: "4006381333931",
    mpn: null,
    condition: "new",
    color: "Navy",
    size: "M",
    material: null,
    pattern: null,
    gender: null,
    ageGroup: null,
    variantAttributes: [
      { name: "Color", value: "Navy", kind: "color" },
      { name: "Size", value: "M", kind: "size" },
    ],
    googleProductCategory: "212",
    shopifyCategoryId: "gid://shopify/TaxonomyCategory/aa-1-13-8",
    productType: "Shirts",
    channelCategoryId: "601226",
    packageDimensions: "30 x 20 x 5 cm",
    customLabels: [null, null, null, null, null],
    shippingWeight: { value: 0.3, unit: "kg" },
    status: "active",
    originCountry: "PT",
    tags: [],
    vendor: "Shelfcast Test",
    ...overrides,
  };
}

/** The Navy / L sibling of mappedItem(), with its own id, SKU and barcode. */
export function siblingItem(overrides: Partial<MappedItem> = {}): MappedItem {
  return mappedItem({
    id: "45100000000102",
    sku: "LS-NAVY-L",
    gtin: "0036000291452",
    size: "L",
    variantAttributes: [
      { name: "Color", value: "Navy", kind: "color" },
      { name: "Size", value: "L", kind: "size" },
    ],
    ...overrides,
  });
}

export interface Evaluated {
  records: ReturnType<ChannelAdapter["evaluate"]>["records"];
  diagnostics: Diagnostic[];
  /** "code field severity" of every diagnostic, for compact assertions. */
  problems: string[];
}

export function evaluate(adapter: ChannelAdapter, items: MappedItem[], market: Market = US): Evaluated {
  const { records, diagnostics } = adapter.evaluate(items, context(adapter.channel, market));
  return { records, diagnostics, problems: diagnostics.map((d) => `${d.code} ${d.field} ${d.severity}`) };
}

/** The diagnostics of evaluating one item changed by `overrides`. */
export function problemsOf(adapter: ChannelAdapter, overrides: Partial<MappedItem>, market: Market = US): string[] {
  return evaluate(adapter, [mappedItem(overrides)], market).problems;
}

const image = (name: string, size = 1200): ImageRef => ({ url: `https://cdn.shopify.com/s/files/1/${name}.jpg`, width: size, height: size, altText: null });
const one = (overrides: Partial<MappedItem>) => (): MappedItem[] => [mappedItem(overrides)];
const pair = (overrides: Partial<MappedItem>) => (): MappedItem[] => [mappedItem(), siblingItem(overrides)];

/**
 * Problem inputs every channel is checked against; each channel's test says what it expects of
 * them. Lengths exceed every channel's limit (the longest: Pinterest's 500-character title,
 * 10,000-character description, 1,000-character labels).
 */
export const INPUTS = {
  "an empty id": one({ id: "" }),
  "an id of 128 characters": one({ id: "9".repeat(128) }),
  "two variants with one id": pair({ id: "45100000000101" }),
  "an item id equal to the group id": one({ groupId: "45100000000101" }),
  "a variant without group id": pair({ groupId: "" }),
  "a variant without options": pair({ variantAttributes: [] }),
  "two variants with the same options": pair({ variantAttributes: mappedItem().variantAttributes }),
  "five option dimensions": one({ variantAttributes: ["A", "B", "C", "D", "E"].map((name) => ({ name, value: "1", kind: null })) }),
  "no title": one({ title: " " }),
  "a title of 600 characters": one({ title: "Linen shirt ".repeat(50) }),
  "HTML in the title": one({ title: "Linen <b>Shirt</b>" }),
  "an ALL CAPS title": one({ title: "LINEN SHIRT FOR SUMMER" }),
  "promotional text in the title": one({ title: "Linen Shirt - Free Shipping" }),
  "no description": one({ description: "" }),
  "a description of 10,400 characters": one({ description: "Linen shirt. ".repeat(800) }),
  "an ALL CAPS description": one({ description: "WASHED EUROPEAN LINEN, CUT FOR WARM DAYS" }),
  "an entity in the description": one({ description: "Linen &amp; cotton" }),
  "an e-mail address in the description": one({ description: "Questions? Mail hello@shelfcast-demo.com" }),
  "a description repeating the title": one({ description: "Linen Shirt" }),
  "an unknown condition": one({ condition: "mint" as MappedItem["condition"] }),
  "no price": one({ price: null }),
  "no price at all": one({ price: null, salePrice: null }),
  "a negative price": one({ price: { amount: "-5.00", currencyCode: "USD" } }),
  "a price with a decimal comma": one({ price: { amount: "59,00", currencyCode: "USD" } }),
  "a zero price": one({ price: { amount: "0.00", currencyCode: "USD" }, salePrice: null }),
  "a price in another currency": one({ price: { amount: "59.00", currencyCode: "EUR" } }),
  "a sale price that is not a number": one({ salePrice: { amount: "49.OO", currencyCode: "USD" } }),
  "a negative sale price": one({ salePrice: { amount: "-49.00", currencyCode: "USD" } }),
  "a zero sale price": one({ salePrice: { amount: "0", currencyCode: "USD" } }),
  "a sale price equal to the price": one({ salePrice: { amount: "59.0", currencyCode: "USD" } }),
  "a sale price in another currency": one({ salePrice: { amount: "49.00", currencyCode: "CAD" } }),
  "unreadable sale dates": one({ salePriceEffectiveDate: "Black Friday" }),
  "no link": one({ link: null }),
  "a relative link": one({ link: "/products/linen-shirt" }),
  "a link of 2,100 characters": one({ link: `https://shelfcast-demo.com/products/${"x".repeat(2100)}` }),
  "no image": one({ image: null }),
  "a relative image URL": one({ image: { ...image("a"), url: "//cdn.shopify.com/a.jpg" } }),
  "a 50 px image": one({ image: image("tiny", 50) }),
  "a 280 px image": one({ image: image("small", 280) }),
  "a 400 px image": one({ image: image("medium", 400) }),
  "a 5,000 px image": one({ image: image("huge", 5000) }),
  "an image URL of 2,100 characters": one({ image: image("a".repeat(2100)) }),
  "a small extra image": one({ additionalImages: [image("tiny", 50)] }),
  "a relative extra image": one({ additionalImages: [{ ...image("a"), url: "a.jpg" }] }),
  "25 extra images": one({ additionalImages: Array.from({ length: 25 }, (_, i) => image(`extra-${i}`)) }),
  "a barcode with a wrong check digit": one({ gtin: "4006381333932" }),
  "no brand, GTIN or MPN": one({ brand: null, gtin: null }),
  "a brand of 128 characters": one({ brand: "B".repeat(128) }),
  "a colour of 250 characters": one({ color: "Navy ".repeat(50) }),
  "an unknown gender": one({ gender: "women" }),
  "an unknown age group": one({ ageGroup: "grown-ups" }),
  "the teen age group": one({ ageGroup: "teen" }),
  "a product type of 1,100 characters": one({ productType: "Apparel > ".repeat(110) }),
  "a custom label of 1,200 characters": one({ customLabels: [null, null, "label ".repeat(200), null, null] }),
  "in stock with 0 units": one({ quantity: 0 }),
  "a country name as origin": one({ originCountry: "Portugal" }),
  "a pre-order without a date": one({ availability: "preorder", availabilityDate: null }),
  "a backorder with an unreadable date": one({ availability: "backorder", availabilityDate: "soon" }),
  "a pre-order two years ahead": one({ availability: "preorder", availabilityDate: "2028-11-22T00:00:00Z" }),
  "an emoji in the title": one({ title: "Linen Shirt 🌊" }),
  "no brand": one({ brand: null }),
  // TikTok Shop's own rules.
  "no category": one({ channelCategoryId: null }),
  "a category name instead of its id": one({ channelCategoryId: "Shirts & Tops" }),
  "a Chinese title": one({ title: "亚麻衬衫 Linen Shirt" }),
  "no description at all": one({ description: "", richDescription: null }),
  "an image in the description": one({ richDescription: '<p>Linen.</p><p><img src="https://cdn.shopify.com/a.jpg" width="800" height="800"></p>' }),
  "no images at all": one({ image: null, additionalImages: [] }),
  "no package weight": one({ shippingWeight: null }),
  "no package size": one({ packageDimensions: null }),
  "an unreadable package size": one({ packageDimensions: "big box" }),
  "101 variants": () => Array.from({ length: 101 }, (_, i) => mappedItem({ id: `4510000000${1000 + i}`, sku: `LS-${i}`, gtin: null, variantAttributes: [{ name: "Size", value: `${i}`, kind: "size" }] })),
  "a product id of 1,000 characters": one({ productId: `gid://shopify/Product/${"1".repeat(1000)}` }),
  "a variant id of 1,000 characters": one({ variantId: `gid://shopify/ProductVariant/${"1".repeat(1000)}` }),
  "a price above the market's range": one({ price: { amount: "8000.00", currencyCode: "USD" }, salePrice: null }),
  "untracked stock": one({ quantity: null }),
  "a million units": one({ quantity: 1_000_000 }),
  "two variants with one barcode": pair({ gtin: "4006381333931" }),
  "a SKU of 60 characters": one({ sku: "S".repeat(60) }),
  "an option name of 25 characters": one({ variantAttributes: [{ name: "Colour of the embroidery", value: "Navy", kind: null }] }),
  "an option value of 60 characters": one({ variantAttributes: [{ name: "Size", value: "M ".repeat(30), kind: "size" }] }),
} satisfies Record<string, () => MappedItem[]>;

export type InputName = keyof typeof INPUTS;

/** [input, diagnostics expected as "code field severity", whether the reported item stays in the feed] */
export type DiagnosticCase = [input: InputName, expected: string[], kept: boolean];

/**
 * One test per case: exactly the expected diagnostics, and the reported item in or out of the feed;
 * then one test that the cases cover every code in `allCodes` (the channel's whole list).
 */
export function itReportsEachCase(adapter: ChannelAdapter, cases: DiagnosticCase[], allCodes: string[], market: Market = US): void {
  it.each(cases)("reports %s", (input, expected, kept) => {
    const items = INPUTS[input]();
    const { problems, records, diagnostics } = evaluate(adapter, items, market);
    expect(new Set(problems)).toEqual(new Set(expected));
    const reported = diagnostics[0]?.itemId ?? items[0]?.id ?? "";
    expect(records.some((record) => record.itemIds.includes(reported) || record.key === reported)).toBe(kept);
  });

  it(`covers every code the ${adapter.channel} adapter can produce`, () => {
    const covered = new Set(cases.flatMap(([, expected]) => expected.map((problem) => problem.split(" ")[0])));
    expect([...covered].sort()).toEqual([...allCodes].sort());
  });
}

// ---------------------------------------------------------------------------------------------
// Expectations shared by the flat channels that use Shelfcast's codes (Google, TikTok ads) or share
// a check's outcome (Pinterest too); each channel's test adds its own.

/** Fields of mappedItem() that every flat feed writes the same way. */
export const GOLDEN_COMMON_FIELDS = {
  item_group_id: "8100000001",
  description: "A relaxed shirt in washed European linen, cut for warm days.",
  condition: "new",
  price: "59.00 USD",
  sale_price: "49.00 USD",
  link: "https://shelfcast-demo.com/products/linen-shirt?variant=45100000000101",
  image_link: "https://cdn.shopify.com/s/files/1/linen-shirt-navy.jpg",
  additional_image_link: ["https://cdn.shopify.com/s/files/1/linen-shirt-back.jpg"],
  brand: "Shelfcast Test",
  gtin: "4006381333931",
  google_product_category: "212",
  product_type: "Shirts",
  color: "Navy",
  size: "M",
  shipping_weight: "0.3 kg",
};

/** Variant-group problems on Google, Pinterest and TikTok ads. */
export const GROUP_CASES: DiagnosticCase[] = [
  ["an item id equal to the group id", ["group_id_equals_item_id item_group_id error"], false],
  ["a variant without group id", ["item_group_missing item_group_id error"], false],
  ["a variant without options", ["variant_attributes_missing options error"], false],
  ["two variants with the same options", ["variant_attributes_duplicate options error"], false],
];

/** Price problems with Shelfcast's codes (Google, TikTok ads). */
export const PRICE_CASES: DiagnosticCase[] = [
  ["no price", ["price_missing price error"], false],
  ["a negative price", ["price_negative price error"], false],
  ["a price with a decimal comma", ["price_invalid price error"], false],
  ["a zero price", ["price_not_positive price error"], false],
  ["a price in another currency", ["price_currency_mismatch price error"], false],
  ["a sale price that is not a number", ["sale_price_invalid sale_price error"], false],
  ["a negative sale price", ["sale_price_negative sale_price error"], false],
  ["a zero sale price", ["sale_price_not_positive sale_price error"], false],
  ["a sale price equal to the price", ["sale_price_not_below_price sale_price error"], false],
  ["a sale price in another currency", ["sale_price_currency_mismatch sale_price error"], false],
  ["unreadable sale dates", ["sale_price_effective_date_invalid sale_price_effective_date warning"], true],
];

/** Link and main-image problems with Shelfcast's codes (Google, TikTok ads). */
export const LINK_AND_IMAGE_CASES: DiagnosticCase[] = [
  ["no link", ["link_missing link error"], false],
  ["a relative link", ["link_not_absolute_url link error"], false],
  ["a link of 2,100 characters", ["link_too_long link error"], false],
  ["no image", ["image_link_missing image_link error"], false],
  ["a relative image URL", ["image_link_not_absolute_url image_link error"], false],
  ["an image URL of 2,100 characters", ["image_link_too_long image_link error"], false],
];

/** Extra images left out with a warning (Google, Pinterest, TikTok ads). */
export const EXTRA_IMAGE_CASES: DiagnosticCase[] = [
  ["a small extra image", ["additional_image_link_too_small additional_image_link warning"], true],
  ["a relative extra image", ["additional_image_link_not_absolute_url additional_image_link warning"], true],
  ["25 extra images", ["additional_image_link_too_many additional_image_link warning"], true],
];

/** The codes a list of cases expects. */
export function codesIn(cases: readonly DiagnosticCase[]): string[] {
  return [...new Set(cases.flatMap(([, expected]) => expected.map((problem) => problem.split(" ")[0] ?? "")))];
}
