import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseShopifyProductCsv, ShopifyCsvError } from "~/domain/catalog/shopify-csv";
import type { Product } from "~/domain/catalog/types";

const REAL_PRODUCTS = path.resolve(__dirname, "../../../../shared/data/real-products");
const readSample = (name: string) => readFileSync(path.join(REAL_PRODUCTS, name), "utf8");

function byHandle(products: Product[], handle: string): Product {
  const product = products.find((candidate) => candidate.handle === handle);
  if (!product) throw new Error(`no product ${handle}`);
  return product;
}

const variantCount = (products: Product[]) => products.reduce((sum, product) => sum + product.variants.length, 0);
const GID_TAIL = /^gid:\/\/shopify\/(Product|ProductVariant|InventoryItem|ProductImage)\/\d+$/;

describe("parseShopifyProductCsv on Shopify's sample apparel.csv", () => {
  const { products, problems } = parseShopifyProductCsv(readSample("apparel.csv"), { shopCurrency: "USD" });

  it("reads 20 products and 22 variants without problems", () => {
    expect(problems).toEqual([]);
    expect(products).toHaveLength(20);
    expect(variantCount(products)).toBe(22);
    expect(products.map((product) => product.handle).slice(0, 3)).toEqual(["ocean-blue-shirt", "classic-varsity-top", "yellow-wool-jumper"]);
  });

  it("groups the Size rows of one handle into one product with the options in row order", () => {
    const top = byHandle(products, "classic-varsity-top");
    expect(top.title).toBe("Classic Varsity Top");
    expect(top.options).toEqual([{ name: "Size", position: 1, values: ["Small", "Medium", "Large"] }]);
    expect(top.variants.map((variant) => [variant.position, variant.title, variant.price])).toEqual([
      [1, "Small", "60.00"],
      [2, "Medium", "60.00"],
      [3, "Large", "60.00"],
    ]);
    expect(top.variants[1]?.selectedOptions).toEqual([{ name: "Size", value: "Medium" }]);
    // The image is on the first row only; the other rows are variants without one.
    expect(top.media.map((image) => image.url)).toEqual(["https://burst.shopifycdn.com/photos/casual-fashion-woman_925x.jpg"]);
  });

  it("keeps Shopify's Default Title option and reads the product columns", () => {
    const shirt = byHandle(products, "ocean-blue-shirt");
    expect(shirt).toMatchObject({
      title: "Ocean Blue Shirt",
      vendor: "partners-demo",
      productType: "",
      tags: ["men"],
      status: "ACTIVE",
      options: [{ name: "Title", position: 1, values: ["Default Title"] }],
      seo: { title: null, description: null },
      category: null,
      collectionIds: [],
    });
    expect(shirt.descriptionHtml).toBe(
      "Ocean blue cotton shirt with a narrow collar and buttons down the front and long sleeves. Comfortable fit and tiled kalidoscope patterns. ",
    );
    expect(shirt.variants[0]).toMatchObject({
      title: "Default Title",
      sku: null,
      barcode: null,
      price: "50.00",
      compareAtPrice: null,
      weight: 0,
      weightUnit: "KILOGRAMS",
      inventoryPolicy: "DENY",
      availableQuantity: 1,
      // The sample leaves Variant Inventory Tracker blank: Shopify does not track these.
      inventoryItem: { tracked: false, levels: [] },
    });
  });

  it("makes the same ids on every read, digits only, one per product, variant and image", () => {
    const again = parseShopifyProductCsv(readSample("apparel.csv")).products;
    expect(again.map((product) => product.id)).toEqual(products.map((product) => product.id));
    const ids = products.flatMap((product) => [product.id, ...product.variants.flatMap((variant) => [variant.id, variant.inventoryItem.id]), ...product.media.map((image) => image.id)]);
    expect(ids.every((id) => GID_TAIL.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(products.every((product) => product.variants.every((variant) => variant.productId === product.id))).toBe(true);
  });
});

describe("parseShopifyProductCsv on Shopify's sample jewelery.csv", () => {
  const { products, problems } = parseShopifyProductCsv(readSample("jewelery.csv"), { shopCurrency: "USD" });

  it("reads 20 products and 23 variants from 41 rows, 18 of them image-only", () => {
    expect(problems).toEqual([]);
    expect(products).toHaveLength(20);
    expect(variantCount(products)).toBe(23);
    expect(products.reduce((sum, product) => sum + product.media.length, 0)).toBe(41);
  });

  it("reads both spellings of the colour option as they are written", () => {
    const optionNames = products.map((product) => product.options.map((option) => option.name).join("/"));
    expect(optionNames.filter((name) => name === "Color")).toHaveLength(2);
    expect(optionNames.filter((name) => name === "Colour")).toHaveLength(1);
    expect(optionNames.filter((name) => name === "Title")).toHaveLength(17);
    expect(byHandle(products, "gemstone").options).toEqual([{ name: "Colour", position: 1, values: ["Blue", "Purple"] }]);
    expect(byHandle(products, "leather-anchor").variants.map((variant) => [variant.title, variant.price, variant.compareAtPrice, variant.availableQuantity])).toEqual([
      ["Gold", "69.99", "85.00", 1],
      ["Silver", "55.00", "85.00", 0],
    ]);
  });

  it("orders images by Image Position and links each variant to its Variant Image", () => {
    const gemstone = byHandle(products, "gemstone");
    expect(gemstone.media.map((image) => image.url.replace("https://burst.shopifycdn.com/photos/", ""))).toEqual([
      "blue-gemstone-pendant_925x.jpg",
      "gemstone-necklace_925x.jpg",
      "womens-necklace_925x.jpg",
      "purple-gemstone-necklace_925x.jpg",
    ]);
    const [blue, purple] = gemstone.variants;
    expect(blue?.imageId).toBe(gemstone.media[0]?.id);
    expect(purple?.imageId).toBe(gemstone.media[3]?.id);
    const bracelet = byHandle(products, "chain-bracelet");
    // Blue shows the second image and Black the first: variant images need not follow the rows.
    expect(bracelet.variants.map((variant) => bracelet.media.findIndex((image) => image.id === variant.imageId))).toEqual([1, 0]);
  });

  it("keeps a multi-line HTML body and converts Variant Grams to the display unit", () => {
    expect(byHandle(products, "choker-with-gold-pendant").descriptionHtml).toContain("<ul>\n<li>14k yellow gold</li>\n<li>Leather</li>");
    expect(byHandle(products, "boho-earrings").variants[0]).toMatchObject({ weight: 0.988, weightUnit: "OUNCES" });
    expect(byHandle(products, "boho-earrings").tags).toEqual(["Silver", "Turquoise"]);
  });
});

/** A newer export's headers (renamed columns, Status, Product Category, Cost per item) as rows. */
const NEW_HEADER = [
  "URL handle",
  "Title",
  "Description",
  "Vendor",
  "Product category",
  "Type",
  "Tags",
  "Published on online store",
  "Status",
  "SKU",
  "Barcode",
  "Option1 name",
  "Option1 value",
  "Option2 name",
  "Option2 value",
  "Price",
  "Compare-at price",
  "Cost per item",
  "Inventory tracker",
  "Inventory quantity",
  "Continue selling when out of stock",
  "Weight value (grams)",
  "Weight unit for display",
  "Product image URL",
  "Image position",
  "Image alt text",
  "Variant image URL",
  "SEO title",
  "SEO description",
  "Google Shopping / Gender",
  "Google Shopping / Custom Label 0",
  "Google Shopping / MPN",
];

type NewRow = Partial<Record<(typeof NEW_HEADER)[number], string>>;
const row = (cells: NewRow) => NEW_HEADER.map((name) => cells[name] ?? "");

describe("parseShopifyProductCsv on a newer export's columns", () => {
  const rows = [
    NEW_HEADER,
    row({
      "URL handle": "linen-shirt",
      Title: "Linen Shirt",
      Description: "<p>Soft</p>",
      Vendor: "Maison Lin",
      "Product category": "Apparel & Accessories > Clothing > Shirts & Tops",
      Tags: "summer,  linen ,",
      "Published on online store": "TRUE",
      Status: "draft",
      SKU: "LS-S-SAGE",
      Barcode: "4006381333931",
      "Option1 name": "Size",
      "Option1 value": "S",
      "Option2 name": "Color",
      "Option2 value": "Sage",
      Price: "49.5",
      "Compare-at price": "59",
      "Cost per item": "12.00",
      "Inventory tracker": "shopify",
      "Inventory quantity": "4",
      "Continue selling when out of stock": "continue",
      "Weight value (grams)": "300",
      "Weight unit for display": "kg",
      "Product image URL": "https://cdn.shopify.com/files/linen-sage.jpg?v=1",
      "Image position": "1",
      "Image alt text": "Sage linen shirt",
      "SEO title": "Linen Shirt | Maison Lin",
      "Google Shopping / Gender": "female",
      "Google Shopping / Custom Label 0": "summer",
    }),
    row({ "URL handle": "linen-shirt", "Option1 value": "M", "Option2 value": "Sage", Price: "49.50", "Inventory tracker": "shopify", "Inventory quantity": "0", "Variant image URL": "https://cdn.shopify.com/files/linen-sage.jpg?v=2" }),
    row({ "URL handle": "linen-shirt", "Option1 value": "L", "Option2 value": "Sage", Price: "forty", "Inventory tracker": "shopify" }),
    row({ "URL handle": "wool-coat", Title: "Wool Coat", "Product category": "aa-1-10-2", "Published on online store": "FALSE", Price: "120", "Compare-at price": "lots", "Google Shopping / MPN": "WC-1" }),
    row({ "URL handle": "wool-coat", "Option1 value": "Navy", Price: "120", "Google Shopping / Custom Label 0": "winter" }),
    row({ Title: "No handle", Price: "5" }),
    row({ "URL handle": "linen-shirt", "Product image URL": "https://cdn.shopify.com/files/linen-back.jpg", "Image position": "2" }),
  ];
  const { products, problems } = parseShopifyProductCsv(rows, { shopCurrency: "EUR" });
  const [shirt, coat] = products;

  it("reads the renamed columns, pads prices and takes Status over Published", () => {
    expect(products.map((product) => product.handle)).toEqual(["linen-shirt", "wool-coat"]);
    expect(shirt).toMatchObject({
      title: "Linen Shirt",
      descriptionHtml: "<p>Soft</p>",
      status: "DRAFT",
      tags: ["summer", "linen"],
      category: { id: "", fullName: "Apparel & Accessories > Clothing > Shirts & Tops" },
      seo: { title: "Linen Shirt | Maison Lin", description: null },
      options: [
        { name: "Size", position: 1, values: ["S", "M"] },
        { name: "Color", position: 2, values: ["Sage"] },
      ],
    });
    expect(shirt?.variants[0]).toMatchObject({
      title: "S / Sage",
      sku: "LS-S-SAGE",
      barcode: "4006381333931",
      price: "49.50",
      compareAtPrice: "59.00",
      weight: 0.3,
      weightUnit: "KILOGRAMS",
      inventoryPolicy: "CONTINUE",
      availableQuantity: 4,
      inventoryItem: { tracked: true },
    });
  });

  it("adds image-only rows wherever they are, and links a variant image that differs only in ?v=", () => {
    expect(shirt?.media.map((image) => [image.url, image.altText])).toEqual([
      ["https://cdn.shopify.com/files/linen-sage.jpg?v=1", "Sage linen shirt"],
      ["https://cdn.shopify.com/files/linen-back.jpg", null],
    ]);
    expect(shirt?.variants[1]?.imageId).toBe(shirt?.media[0]?.id);
  });

  it("puts Google Shopping values on the variants when rows after the first carry them, else on the product", () => {
    // wool-coat's second row has a value, so both rows' values are variant metafields.
    expect(coat?.metafields).toEqual([]);
    expect(coat?.variants.map((variant) => variant.metafields.map((metafield) => `${metafield.namespace}.${metafield.key}=${String(metafield.value)}`))).toEqual([
      ["mm-google-shopping.mpn=WC-1"],
      ["mm-google-shopping.custom_label_0=winter"],
    ]);
    // linen-shirt has them on its first row only: product metafields.
    expect(shirt?.metafields.map((metafield) => [metafield.key, metafield.type, metafield.value])).toEqual([
      ["gender", "single_line_text_field", "female"],
      ["custom_label_0", "single_line_text_field", "summer"],
    ]);
    expect(shirt?.variants[0]?.metafields).toEqual([]);
  });

  it("reads a taxonomy id in Product category and FALSE in Published", () => {
    expect(coat?.category).toEqual({ id: "gid://shopify/TaxonomyCategory/aa-1-10-2", fullName: "" });
    expect(coat?.status).toBe("DRAFT");
  });

  it("reports each skipped or doubtful cell with its line and reads the rest", () => {
    expect(problems).toEqual([
      { line: 4, message: 'Variant Price "forty" is not a number like 19.99; the variant was skipped' },
      { line: 5, message: 'Variant Compare At Price "lots" is not a number like 19.99; it was ignored' },
      { line: 5, message: 'Option1 Value is set but Option1 Name is blank on the product\'s first row; the option is called "Option 1"' },
      { line: 7, message: "the row has no Handle, so it belongs to no product; it was skipped" },
    ]);
    expect(shirt?.variants.map((variant) => variant.title)).toEqual(["S / Sage", "M / Sage"]);
    expect(coat?.options).toEqual([{ name: "Option 1", position: 1, values: ["Navy"] }]);
  });
});

describe("parseShopifyProductCsv on broken input", () => {
  it("gives the line a row starts on, after a quoted cell spanning lines", () => {
    const text = ['Handle,Title,Body (HTML),Variant Price', 'a,A,"one', 'two', 'three",10', "", "b,B,,ten"].join("\n");
    const { products, problems } = parseShopifyProductCsv(text);
    expect(products.map((product) => product.descriptionHtml)).toEqual(["one\ntwo\nthree"]);
    expect(problems).toEqual([{ line: 6, message: 'Variant Price "ten" is not a number like 19.99; the variant was skipped' }]);
  });

  it("throws ShopifyCsvError without a Handle column or with an unclosed quote", () => {
    expect(() => parseShopifyProductCsv("Title,Variant Price\nA,10\n")).toThrow(ShopifyCsvError);
    expect(() => parseShopifyProductCsv("Title,Variant Price\nA,10\n")).toThrow('line 1: the header row has no "Handle" column');
    expect(() => parseShopifyProductCsv('Handle,Title\na,"unclosed\n')).toThrow(ShopifyCsvError);
  });

  it("skips a product whose image URL Shopify would refuse, and says why", () => {
    const { products, problems } = parseShopifyProductCsv("Handle,Title,Variant Price,Image Src\na,A,10,not a url\nb,B,12,\n");
    expect(products.map((product) => product.handle)).toEqual(["b"]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(2);
    expect(problems[0]?.message).toMatch(/^product "a": images\.0\.src: .*; it was skipped$/);
  });

  it("returns nothing for an empty file", () => {
    expect(parseShopifyProductCsv("")).toEqual({ products: [], problems: [] });
  });
});
