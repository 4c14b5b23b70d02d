// Acceptance: Meta items are checked against Meta's machine-readable spec (../shared/data/channel-samples,
// copied from Meta's SDK code generator): every field our Meta feed can carry has a Graph ProductItem
// field, and every availability, condition and visibility value we send is in ProductItem's enums.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Metafield, Product } from "../../../app/domain/catalog/types";
import { META_ADAPTER } from "../../../app/domain/channels/adapters";
import { buildDefaultItem } from "../../../app/domain/channels/default-item";
import { createIdScheme } from "../../../app/domain/channels/id-scheme";
import { offerFromStock } from "../../../app/domain/channels/offer";
import { META_SPEC } from "../../../app/domain/channels/specs";
import type { ChannelContext, FlatRecord } from "../../../app/domain/channels/types";
import { buildCatalogProduct } from "../../factories/catalog";

const SAMPLES = path.resolve(__dirname, "../../../../shared/data/channel-samples");

interface SpecField {
  name: string;
  type: string;
}
interface EnumType {
  name: string;
  values: string[];
}

const productItemFields = new Set((JSON.parse(readFileSync(path.join(SAMPLES, "ProductItem.json"), "utf8")) as { fields: SpecField[] }).fields.map((field) => field.name));
const enumTypes = JSON.parse(readFileSync(path.join(SAMPLES, "enum_types.json"), "utf8")) as EnumType[];

function enumValues(name: string): string[] {
  const found = enumTypes.find((type) => type.name === name);
  if (!found) throw new Error(`enum_types.json has no ${name}`);
  return found.values;
}

/**
 * Feed field (what we write; also what items_batch takes) → the Graph ProductItem field(s) Meta stores
 * it in. Names differ (title → name, link → url); a few feed fields split in two (sale dates, weight).
 */
const GRAPH_FIELDS_OF_FEED_FIELD: Record<string, string[]> = {
  id: ["retailer_id"],
  item_group_id: ["retailer_product_group_id"],
  title: ["name"],
  description: ["description"],
  rich_text_description: ["rich_text_description"],
  availability: ["availability"],
  condition: ["condition"],
  price: ["price", "currency"],
  sale_price: ["sale_price"],
  sale_price_effective_date: ["sale_price_start_date", "sale_price_end_date"],
  link: ["url"],
  image_link: ["image_url"],
  additional_image_link: ["additional_image_urls"],
  brand: ["brand"],
  gtin: ["gtin"],
  mpn: ["manufacturer_part_number"],
  google_product_category: ["category"],
  product_type: ["product_type"],
  color: ["color"],
  size: ["size"],
  material: ["material"],
  pattern: ["pattern"],
  gender: ["gender"],
  age_group: ["age_group"],
  additional_variant_attribute: ["additional_variant_attributes"],
  quantity_to_sell_on_facebook: ["quantity_to_sell_on_facebook"],
  shipping_weight: ["shipping_weight_value", "shipping_weight_unit"],
  custom_label_0: ["custom_label_0"],
  custom_label_1: ["custom_label_1"],
  custom_label_2: ["custom_label_2"],
  custom_label_3: ["custom_label_3"],
  custom_label_4: ["custom_label_4"],
  // The feed's active/archived; the Graph node reports it as its status.
  status: ["status"],
  visibility: ["visibility"],
  origin_country: ["origin_country"],
};

const NOW = new Date("2026-11-22T12:00:00Z");

function metaContext(): ChannelContext {
  return {
    channel: "meta",
    market: { code: "US", currency: "USD", language: "en" },
    shop: { domain: "shelfcast-demo.myshopify.com", name: "Shelfcast Demo", currency: "USD", storefrontUrl: "https://shelfcast-demo.com" },
    idScheme: createIdScheme("variant-id"),
    offer: offerFromStock,
    now: NOW,
  };
}

const releaseDate: Metafield = { namespace: "shelfcast", key: "preorder_release", type: "date", raw: "2027-01-15", value: "2027-01-15" };

/** A shirt whose variants are in stock, sold out, on backorder, on pre-order and untracked. */
function shirt(status: Product["status"] = "ACTIVE"): Product {
  const options = (color: string, size: string, scent: string) => [
    { name: "Color", value: color },
    { name: "Size", value: size },
    { name: "Scent", value: scent },
  ];
  return buildCatalogProduct(
    8100000001,
    {
      title: "Linen Shirt",
      status,
      descriptionHtml: "<p>A relaxed shirt in <strong>washed linen</strong>.</p><ul><li>Breathable</li></ul>",
      vendor: "Shelfcast Test",
      onlineStoreUrl: "https://shelfcast-demo.com/products/linen-shirt",
      options: [
        { name: "Color", position: 1, values: ["Navy", "Sand"] },
        { name: "Size", position: 2, values: ["M", "L"] },
        { name: "Scent", position: 3, values: ["Sea", "Cedar"] },
      ],
      media: [
        { id: "gid://shopify/MediaImage/1", url: "https://cdn.shopify.com/s/files/1/navy.jpg", altText: null, width: 1200, height: 1200 },
        { id: "gid://shopify/MediaImage/2", url: "https://cdn.shopify.com/s/files/1/sand.jpg", altText: null, width: 1200, height: 1200 },
      ],
    },
    [
      { selectedOptions: options("Navy", "M", "Sea"), price: "49.00", compareAtPrice: "59.00", barcode: "4006381333931", weight: 300, weightUnit: "GRAMS", availableQuantity: 5 },
      { selectedOptions: options("Navy", "L", "Sea"), availableQuantity: 0, inventoryPolicy: "DENY" },
      { selectedOptions: options("Sand", "M", "Cedar"), availableQuantity: 0, inventoryPolicy: "CONTINUE" },
      { selectedOptions: options("Sand", "L", "Cedar"), availableQuantity: 0, inventoryPolicy: "CONTINUE", metafields: [releaseDate] },
    ],
  );
}

function metaRecords(product: Product): FlatRecord[] {
  const ctx = metaContext();
  const items = product.variants.map((variant) => buildDefaultItem(product, variant, ctx, { includeVariantInTitle: META_ADAPTER.titleIncludesVariant }));
  const { records, diagnostics } = META_ADAPTER.evaluate(items, ctx);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return records.map((record) => record.fields as FlatRecord);
}

describe("Meta feed fields against Meta's ProductItem spec", () => {
  it("reads the spec files (fields and enums are there to check against)", () => {
    expect(productItemFields.size).toBeGreaterThan(80);
    expect(enumValues("ProductItem_availability")).toContain("in stock");
  });

  it("maps every column of the Meta feed to ProductItem fields that exist", () => {
    expect(Object.keys(GRAPH_FIELDS_OF_FEED_FIELD).sort()).toEqual([...META_ADAPTER.columns].sort());
    const missing = Object.values(GRAPH_FIELDS_OF_FEED_FIELD)
      .flat()
      .filter((field) => !productItemFields.has(field));
    expect(missing).toEqual([]);
  });

  it("emits only fields that have a ProductItem counterpart, from Shopify products through the defaults", () => {
    const records = [...metaRecords(shirt()), ...metaRecords(shirt("ARCHIVED"))];
    expect(records).toHaveLength(8);
    for (const record of records) {
      for (const field of Object.keys(record)) expect(GRAPH_FIELDS_OF_FEED_FIELD).toHaveProperty(field);
    }
    // The Scent option is not a core variant field: it travels as an additional variant attribute.
    expect(records[0]).toMatchObject({ additional_variant_attribute: "Scent:Sea", color: "Navy", size: "M", shipping_weight: "300 g" });
  });

  it("sends availability, condition and visibility values from ProductItem's enums", () => {
    const records = [...metaRecords(shirt()), ...metaRecords(shirt("ARCHIVED"))];
    const sent = (field: string) => [...new Set(records.map((record) => record[field]))].sort();
    // The products cover every availability a Shopify variant can have.
    expect(sent("availability")).toEqual(["available for order", "in stock", "out of stock", "preorder"]);
    expect(sent("visibility")).toEqual(["published", "staging"]);
    for (const value of sent("availability")) expect(enumValues("ProductItem_availability")).toContain(value);
    for (const value of sent("condition")) expect(enumValues("ProductItem_condition")).toContain(value);
    for (const value of sent("visibility")) expect(enumValues("ProductItem_visibility")).toContain(value);
  });

  it("can only ever produce enum values Meta knows", () => {
    expect(enumValues("ProductItem_availability")).toEqual(expect.arrayContaining(Object.values(META_SPEC.availability)));
    expect(enumValues("ProductItem_condition")).toEqual(expect.arrayContaining([...META_SPEC.conditions]));
    expect(enumValues("ProductItem_visibility")).toEqual(expect.arrayContaining(Object.values(META_SPEC.visibility)));
    expect(enumValues("ProductItem_gender")).toEqual(expect.arrayContaining([...META_SPEC.genders]));
    expect(enumValues("ProductItem_age_group")).toEqual(expect.arrayContaining([...META_SPEC.ageGroups]));
    expect(enumValues("ProductItem_shipping_weight_unit")).toEqual(expect.arrayContaining(["g", "kg", "oz", "lb"]));
  });
});
