import { describe, expect, it } from "vitest";
import type { Product, Variant } from "../../../../app/domain/catalog/types";
import { applyMappingRules, compileMappingRules, formatMetafieldValue, truncateChars } from "../../../../app/domain/channels/mapping/evaluate";
import type { MappedItem } from "../../../../app/domain/channels/types";
import { itemFor, metafield, rules, shirt } from "./fixtures";

const ctx = { channel: "meta", market: "US" } as const;

/** Applies one rule set to the first variant of `product` and returns the mapped item and diagnostics. */
function map(json: Record<string, unknown>, product: Product = shirt(), variant: Variant = product.variants[0]!, item: MappedItem = itemFor(product, variant)) {
  return applyMappingRules(compileMappingRules(rules({ version: 1, ...json })), item, product, variant, ctx);
}

function mapField(field: string, rule: Record<string, unknown>, product?: Product, variant?: Variant, item?: MappedItem) {
  return map({ fields: { [field]: [rule] } }, product, variant, item);
}

describe("field sources", () => {
  it("reads product and variant fields", () => {
    const product = shirt({ seo: { title: "SEO Linen", description: null }, category: { id: "gid://shopify/TaxonomyCategory/aa-1", fullName: "Apparel > Shirts" } }, [
      { sku: "LS-NV-M", barcode: "4006381333931", price: "49.00", compareAtPrice: "59.00", weight: 0.25, weightUnit: "KILOGRAMS" },
    ]);
    const read = (path: string) => mapField("mpn", { source: { type: "field", path } }, product).item.mpn;
    expect(read("product.title")).toBe("Linen Shirt");
    expect(read("product.handle")).toBe("linen-shirt");
    expect(read("product.vendor")).toBe("Acme");
    expect(read("product.productType")).toBe("Shirts");
    expect(read("product.seoTitle")).toBe("SEO Linen");
    expect(read("product.category")).toBe("Apparel > Shirts");
    expect(read("product.categoryId")).toBe("gid://shopify/TaxonomyCategory/aa-1");
    expect(read("product.tags")).toBe("Summer, no-social");
    expect(read("variant.title")).toBe("Navy / M");
    expect(read("variant.sku")).toBe("LS-NV-M");
    expect(read("variant.barcode")).toBe("4006381333931");
    expect(read("variant.option1")).toBe("Navy");
    expect(read("variant.option2")).toBe("M");
    expect(read("variant.price")).toBe("49.00");
    expect(read("variant.compareAtPrice")).toBe("59.00");
    expect(read("variant.weight")).toBe("0.25 kg");
    expect(read("item.brand")).toBe("Acme");
  });

  it("falls through to the next rule when a source has no value, and keeps the default when none has", () => {
    const product = shirt({ seo: { title: "", description: null } });
    const fallback = map({ fields: { title: [{ source: { type: "field", path: "product.seoTitle" } }, { source: { type: "static", value: "Fallback" } }] } }, product);
    expect(fallback.item.title).toBe("Fallback");
    const none = map({ fields: { mpn: [{ source: { type: "field", path: "variant.option3" } }] } }, product);
    expect(none.item.mpn).toBeNull();
    expect(none.diagnostics).toEqual([]);
  });

  it("treats Shopify's Default Title option as no value", () => {
    const product = shirt({ options: [{ name: "Title", position: 1, values: ["Default Title"] }] }, [
      { title: "Default Title", selectedOptions: [{ name: "Title", value: "Default Title" }] },
    ]);
    const result = mapField("title", { source: { type: "template", template: "{{product.title}} - {{variant.option1}} {{variant.title}}" } }, product);
    expect(result.item.title).toBe("Linen Shirt");
  });

  it("reads a metafield from the variant first, then the product, formatting typed values", () => {
    const product = shirt({ metafields: [metafield("custom", "material", "single_line_text_field", "Linen")] }, [
      { metafields: [metafield("custom", "material", "single_line_text_field", "Linen blend")] },
    ]);
    const source = (scope?: string) => ({ source: { type: "metafield", key: "custom.material", ...(scope ? { scope } : {}) } });
    expect(mapField("material", source(), product).item.material).toBe("Linen blend");
    expect(mapField("material", source("product"), product).item.material).toBe("Linen");
    const productOnly = shirt({ metafields: [metafield("custom", "material", "single_line_text_field", "Linen")] });
    expect(mapField("material", source(), productOnly).item.material).toBe("Linen");
    expect(mapField("material", source("variant"), productOnly).item.material).toBeNull();
  });

  it("formats money, measurements, lists and rich text", () => {
    expect(formatMetafieldValue({ amount: "12.00", currencyCode: "USD" }, "")).toBe("12.00 USD");
    expect(formatMetafieldValue({ value: 12, unit: "cm" }, "")).toBe("12 cm");
    expect(formatMetafieldValue(["Linen", "Cotton", ""], "")).toBe("Linen, Cotton");
    expect(formatMetafieldValue([{ value: 1.5, unit: "kg" }, { value: 2, unit: "kg" }], "")).toBe("1.5 kg, 2 kg");
    expect(formatMetafieldValue(true, "true")).toBe("true");
    expect(formatMetafieldValue(4, "4")).toBe("4");
    expect(formatMetafieldValue({ value: 4.5, scaleMin: 1, scaleMax: 5 }, "")).toBe("4.5");
    const richText = { type: "root", children: [{ type: "paragraph", children: [{ type: "text", value: "Soft " }, { type: "text", value: "linen" }] }, { type: "paragraph", children: [{ type: "text", value: "Made in Portugal" }] }] };
    expect(formatMetafieldValue(richText, "")).toBe("Soft linen Made in Portugal");
    expect(formatMetafieldValue({ some: "json" }, '{"some":"json"}')).toBe('{"some":"json"}');
  });

  it("renders templates with metafields and default item values", () => {
    const product = shirt({ metafields: [metafield("custom", "fit", "single_line_text_field", "Relaxed fit")] });
    const result = mapField("title", { source: { type: "template", template: "{{item.brand}} {{product.title}}, {{metafield.custom.fit}} ({{variant.option1}})" } }, product);
    expect(result.item.title).toBe("Acme Linen Shirt, Relaxed fit (Navy)");
  });
});

describe("lookup sources", () => {
  const byType = (table: Record<string, string>, extra: Record<string, unknown> = {}) => ({
    source: { type: "lookup", from: { type: "field", path: "product.productType" }, table, ...extra },
  });

  it("maps a value through the table, exactly or ignoring case", () => {
    expect(mapField("googleProductCategory", byType({ Shirts: "212" })).item.googleProductCategory).toBe("212");
    expect(mapField("googleProductCategory", byType({ shirts: "212" })).item.googleProductCategory).toBeNull();
    expect(mapField("googleProductCategory", byType({ " SHIRTS ": "212" }, { caseInsensitive: true })).item.googleProductCategory).toBe("212");
  });

  it("uses the fallback on a miss, else leaves the default", () => {
    const item = itemFor(shirt(), shirt().variants[0]!, { googleProductCategory: "166" });
    expect(mapField("googleProductCategory", byType({ Pants: "204" }, { fallback: "1604" }), undefined, undefined, item).item.googleProductCategory).toBe("1604");
    expect(mapField("googleProductCategory", byType({ Pants: "204" }), undefined, undefined, item).item.googleProductCategory).toBe("166");
  });

  it("checks each tag in turn and each element of a list metafield", () => {
    const product = shirt({ tags: ["new-in", "SS25", "linen"], metafields: [metafield("custom", "seasons", "list.single_line_text_field", ["Autumn", "Spring"])] });
    const tags = { source: { type: "lookup", from: { type: "field", path: "product.tags" }, table: { ss25: "Spring/Summer 2025", linen: "Linen" }, caseInsensitive: true } };
    expect(mapField("customLabel0", tags, product).item.customLabels[0]).toBe("Spring/Summer 2025");
    const seasons = { source: { type: "lookup", from: { type: "metafield", key: "custom.seasons" }, table: { Spring: "spring", Autumn: "autumn" } } };
    expect(mapField("customLabel1", seasons, product).item.customLabels[1]).toBe("autumn");
  });

  it("translates merchant words into channel values", () => {
    const product = shirt({ productType: "Mens Shirts" });
    const gender = { source: { type: "lookup", from: { type: "field", path: "product.productType" }, table: { "Mens Shirts": "Men", "Womens Shirts": "women" } } };
    expect(mapField("gender", gender, product).item.gender).toBe("male");
  });
});

describe("transforms", () => {
  const withTransforms = (value: string, transforms: unknown[], field = "mpn") =>
    mapField(field, { source: { type: "static", value }, transforms }).item[field as "mpn"];

  it("truncates at a word boundary without splitting emoji", () => {
    expect(withTransforms("Linen shirt with pockets", [{ type: "truncate", max: 14, atWord: true }])).toBe("Linen shirt");
    expect(withTransforms("Sunny 🌞🌞 shirt", [{ type: "truncate", max: 8, atWord: true }])).toBe("Sunny 🌞🌞");
    expect(withTransforms("🌞🌞🌞🌞", [{ type: "truncate", max: 3 }])).toBe("🌞🌞🌞");
    expect(withTransforms("Linen shirt", [{ type: "truncate", max: 8 }])).toBe("Linen sh");
    expect(truncateChars("a🌞b", 2)).toBe("a🌞");
    expect(truncateChars("short", 10)).toBe("short");
  });

  it("strips HTML, changes case, trims", () => {
    expect(withTransforms("<p>Soft <b>linen</b>&nbsp;shirt</p>", [{ type: "stripHtml" }])).toBe("Soft linen shirt");
    expect(withTransforms("linen shirt", [{ type: "case", to: "upper" }])).toBe("LINEN SHIRT");
    expect(withTransforms("LINEN Shirt", [{ type: "case", to: "lower" }])).toBe("linen shirt");
    expect(withTransforms("LINEN SHIRT WITH POCKET", [{ type: "case", to: "title" }])).toBe("Linen Shirt with Pocket");
    expect(withTransforms("LINEN SHIRT. MADE IN PORTUGAL.", [{ type: "case", to: "sentence" }])).toBe("Linen shirt. Made in portugal.");
    expect(withTransforms("ab", [{ type: "prefix", value: "  " }, { type: "trim" }, { type: "suffix", value: "c" }])).toBe("abc");
  });

  it("adds a prefix or suffix", () => {
    expect(withTransforms("Shirt", [{ type: "prefix", value: "Acme " }, { type: "suffix", value: " | Free returns" }])).toBe("Acme Shirt | Free returns");
  });

  it("replaces literal text only, the first or every occurrence", () => {
    expect(withTransforms("a.b.c", [{ type: "replace", find: ".", with: "-" }])).toBe("a-b.c");
    expect(withTransforms("a.b.c", [{ type: "replace", find: ".", with: "-", all: true }])).toBe("a-b-c");
    expect(withTransforms("(x)+", [{ type: "replace", find: "(x)+", with: "$& $1", all: true }])).toBe("$& $1");
    expect(withTransforms("abc", [{ type: "replace", find: "z", with: "y" }])).toBe("abc");
  });

  it("applies transforms in order", () => {
    expect(withTransforms("<b>linen shirt</b>", [{ type: "stripHtml" }, { type: "case", to: "upper" }, { type: "truncate", max: 5 }])).toBe("LINEN");
  });
});

describe("conditions", () => {
  const labelWhen = (when: unknown[], product?: Product, variant?: Variant, item?: MappedItem) =>
    mapField("customLabel0", { when, source: { type: "static", value: "hit" } }, product, variant, item).item.customLabels[0];

  it("tests tags ignoring case", () => {
    expect(labelWhen([{ on: "tag", op: "has", value: "SUMMER" }])).toBe("hit");
    expect(labelWhen([{ on: "tag", op: "has", value: "winter" }])).toBeNull();
    expect(labelWhen([{ on: "tag", op: "lacks", value: "winter" }])).toBe("hit");
  });

  it("tests collections by numeric id or GID", () => {
    const product = shirt({ collectionIds: ["gid://shopify/Collection/411"] });
    expect(labelWhen([{ on: "collection", op: "has", value: "411" }], product)).toBe("hit");
    expect(labelWhen([{ on: "collection", op: "has", value: "gid://shopify/Collection/411" }], product)).toBe("hit");
    expect(labelWhen([{ on: "collection", op: "lacks", value: "411" }], product)).toBeNull();
    expect(labelWhen([{ on: "collection", op: "has", value: "41" }], product)).toBeNull();
  });

  it("compares the item's price in the market's currency", () => {
    const product = shirt({}, [{ price: "49.00" }]);
    const variant = product.variants[0]!;
    const euroItem = itemFor(product, variant, { price: { amount: "45.00", currencyCode: "EUR" } });
    expect(labelWhen([{ on: "price", op: "lt", value: 50 }], product)).toBe("hit");
    expect(labelWhen([{ on: "price", op: "gte", value: 49 }], product)).toBe("hit");
    expect(labelWhen([{ on: "price", op: "gt", value: 49 }], product)).toBeNull();
    expect(labelWhen([{ on: "price", op: "equals", value: 45 }], product, variant, euroItem)).toBe("hit");
    expect(labelWhen([{ on: "price", op: "lte", value: 44.99 }], product, variant, euroItem)).toBeNull();
  });

  it("compares stock, counting untracked variants as unlimited", () => {
    const low = shirt({}, [{ availableQuantity: 2 }]);
    expect(labelWhen([{ on: "stock", op: "lt", value: 3 }], low)).toBe("hit");
    expect(labelWhen([{ on: "stock", op: "equals", value: 2 }], low)).toBe("hit");
    const untracked = shirt({}, [{ availableQuantity: 0, inventoryItem: { id: "gid://shopify/InventoryItem/1", tracked: false, countryCodeOfOrigin: null, harmonizedSystemCode: null, levels: [] } }]);
    expect(labelWhen([{ on: "stock", op: "lt", value: 1 }], untracked)).toBeNull();
    expect(labelWhen([{ on: "stock", op: "gt", value: 1000 }], untracked)).toBe("hit");
  });

  it("tests text fields ignoring case", () => {
    const product = shirt({ vendor: "Acme Co", title: "Linen Shirt" }, [{ sku: "LS-001" }]);
    expect(labelWhen([{ on: "vendor", op: "equals", value: "acme co" }], product)).toBe("hit");
    expect(labelWhen([{ on: "vendor", op: "notEquals", value: "acme co" }], product)).toBeNull();
    expect(labelWhen([{ on: "title", op: "contains", value: "SHIRT" }], product)).toBe("hit");
    expect(labelWhen([{ on: "sku", op: "startsWith", value: "ls-" }], product)).toBe("hit");
    expect(labelWhen([{ on: "productType", op: "in", value: ["Pants", "shirts"] }], product)).toBe("hit");
  });

  it("needs every condition of a rule to hold, and the first matching rule wins", () => {
    const both = [{ on: "tag", op: "has", value: "summer" }, { on: "vendor", op: "equals", value: "Other" }];
    expect(labelWhen(both)).toBeNull();
    const result = map({
      fields: {
        customLabel0: [
          { when: [{ on: "price", op: "gt", value: 100 }], source: { type: "static", value: "premium" } },
          { when: [{ on: "tag", op: "has", value: "summer" }], source: { type: "static", value: "summer" } },
          { source: { type: "static", value: "other" } },
        ],
      },
    });
    expect(result.item.customLabels).toEqual(["summer", null, null, null, null]);
  });
});

describe("applyMappingRules", () => {
  it("never changes the input item and returns it when no rule applies", () => {
    const product = shirt();
    const variant = product.variants[0]!;
    const item = itemFor(product, variant);
    const snapshot = structuredClone(item);
    const compiled = compileMappingRules(rules({ version: 1, fields: { title: [{ source: { type: "static", value: "New" } }], customLabel2: [{ source: { type: "static", value: "x" } }] } }));
    const result = applyMappingRules(compiled, item, product, variant, ctx);
    expect(item).toEqual(snapshot);
    expect(result.item).not.toBe(item);
    expect(result.item.title).toBe("New");
    expect(result.item.customLabels).toEqual([null, null, "x", null, null]);

    const nothing = compileMappingRules(rules({ version: 1, fields: { title: [{ when: [{ on: "tag", op: "has", value: "nope" }], source: { type: "static", value: "New" } }] } }));
    expect(applyMappingRules(nothing, item, product, variant, ctx).item).toBe(item);
  });

  it("lets rules read the default item, not each other's output", () => {
    const result = map({
      fields: {
        title: [{ source: { type: "static", value: "Mapped title" } }],
        description: [{ source: { type: "template", template: "{{item.title}}: {{item.description}}" } }],
      },
    });
    expect(result.item.title).toBe("Mapped title");
    expect(result.item.description).toBe("Linen Shirt: Default description");
  });

  it("normalises enum values and clears optional fields with an empty static value", () => {
    const item = itemFor(shirt(), shirt().variants[0]!, { gtin: "4006381333931" });
    const result = map({ fields: { condition: [{ source: { type: "static", value: "Refurbished" } }], gtin: [{ source: { type: "static", value: "" } }] } }, undefined, undefined, item);
    expect(result.item.condition).toBe("refurbished");
    expect(result.item.gtin).toBeNull();
    expect(result.diagnostics).toEqual([]);
  });

  it("keeps the default and warns when a rule produces a value the field cannot take", () => {
    const product = shirt({ productType: "Boys" });
    const result = mapField("gender", { source: { type: "field", path: "product.productType" }, transforms: [{ type: "trim" }] }, product);
    expect(result.item.gender).toBeNull();
    expect(result.diagnostics).toEqual([
      {
        code: "mapping_rule_invalid_value",
        severity: "warning",
        channel: "meta",
        market: "US",
        itemId: "701",
        productId: "gid://shopify/Product/7",
        variantId: "gid://shopify/ProductVariant/701",
        field: "gender",
        value: "Boys",
        message: 'Mapping rule 1 for Gender produced a value the field cannot take: "Boys" is not a valid gender; use one of female, male, unisex. The default (no value) was used.',
        fix: "Change rule 1 for Gender in Shelfcast → Channels → Meta → Mapping so it produces one of female, male, unisex; a lookup table can translate your own words.",
        fixTarget: { kind: "mapping", channel: "meta", field: "gender" },
      },
    ]);
  });

  it("keeps the default title and warns when a rule empties it", () => {
    const rule = { source: { type: "field", path: "product.descriptionHtml" }, transforms: [{ type: "stripHtml" }] };
    // A blank source is no value at all: the rule does not apply and the default stays, silently.
    const blank = mapField("title", rule, shirt({ descriptionHtml: "  " }));
    expect(blank.item.title).toBe("Linen Shirt");
    expect(blank.diagnostics).toHaveLength(0);

    const emptied = mapField("title", rule, shirt({ descriptionHtml: "<p> <img src=x> </p>" }));
    expect(emptied.item.title).toBe("Linen Shirt");
    expect(emptied.diagnostics).toMatchObject([
      {
        code: "mapping_rule_empty_result",
        field: "title",
        value: null,
        message: 'Mapping rule 1 for Title produced an empty value for this item, so the default ("Linen Shirt") was used.',
        fixTarget: { kind: "mapping", channel: "meta", field: "title" },
      },
    ]);
  });

  it("refuses links that are not full web addresses", () => {
    const result = mapField("link", { source: { type: "template", template: "shop.example/{{product.handle}}" } });
    expect(result.item.link).toBe("https://shop.example/products/linen-shirt?variant=701");
    expect(result.diagnostics[0]).toMatchObject({ code: "mapping_rule_invalid_value", value: "shop.example/linen-shirt" });
    const good = mapField("link", { source: { type: "template", template: "https://shop.example/{{product.handle}}?utm_source=meta" } });
    expect(good.item.link).toBe("https://shop.example/linen-shirt?utm_source=meta");
  });
});
