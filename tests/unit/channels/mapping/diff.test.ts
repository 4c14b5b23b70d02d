import { describe, expect, it } from "vitest";
import { describeRulesChange, diffItems } from "../../../../app/domain/channels/mapping/diff";
import { itemFor, rules, shirt } from "./fixtures";

describe("diffItems", () => {
  const product = shirt();
  const before = itemFor(product, product.variants[0]!);

  it("is empty for equal items, even when they are different objects", () => {
    expect(diffItems(before, structuredClone(before))).toEqual([]);
  });

  it("lists changed fields in a stable order with readable values", () => {
    const after = {
      ...before,
      customLabels: [null, "summer", null, null, null],
      title: "Acme Linen Shirt",
      gender: "male",
      price: { amount: "39.00", currencyCode: "USD" },
      condition: "used" as const,
    };
    expect(diffItems(before, after)).toEqual([
      { field: "title", before: "Linen Shirt", after: "Acme Linen Shirt" },
      { field: "price", before: "24.00 USD", after: "39.00 USD" },
      { field: "condition", before: "new", after: "used" },
      { field: "gender", before: null, after: "male" },
      { field: "customLabel1", before: null, after: "summer" },
    ]);
  });

  it("compares lists and objects by value, showing details the short form hides", () => {
    const withImage = { ...before, image: { url: "https://cdn.example/a.jpg", width: 800, height: 800, altText: null } };
    const resized = { ...withImage, image: { url: "https://cdn.example/a.jpg", width: 1200, height: 1200, altText: null } };
    expect(diffItems(withImage, { ...withImage, image: { ...withImage.image } })).toEqual([]);
    expect(diffItems(withImage, resized)).toEqual([
      {
        field: "image",
        before: '{"altText":null,"height":800,"url":"https://cdn.example/a.jpg","width":800}',
        after: '{"altText":null,"height":1200,"url":"https://cdn.example/a.jpg","width":1200}',
      },
    ]);
    expect(diffItems(before, { ...before, tags: ["b", "a"] }, )).toEqual([{ field: "tags", before: "Summer, no-social", after: "b, a" }]);
  });
});

describe("describeRulesChange", () => {
  const staticRule = (value: string) => ({ source: { type: "static", value } });

  it("says nothing when nothing changes", () => {
    const same = rules({ version: 1, fields: { title: [staticRule("A")] }, exclude: [{ on: "tag", op: "has", value: "x" }] });
    expect(describeRulesChange(same, structuredClone(same))).toEqual([]);
    expect(describeRulesChange(null, rules({ version: 1 }))).toEqual([]);
  });

  it("counts rules added, changed and removed per field", () => {
    const before = rules({ version: 1, fields: { title: [staticRule("A"), staticRule("B")], brand: [staticRule("X")], mpn: [staticRule("M1"), staticRule("M2")] } });
    const after = rules({
      version: 1,
      fields: { title: [staticRule("A"), staticRule("B2"), staticRule("C")], customLabel0: [staticRule("L")], mpn: [staticRule("M2"), staticRule("M1")] },
    });
    expect(describeRulesChange(before, after)).toEqual([
      "Title: 1 rule added, 1 changed",
      "Brand: 1 rule removed, Shelfcast's default applies again",
      "MPN: rules reordered (the first rule that applies wins)",
      "Custom label 0: 1 rule added",
    ]);
  });

  it("describes filter and granularity edits in words", () => {
    const before = rules({ version: 1, exclude: [{ on: "tag", op: "has", value: "no-social" }] });
    const after = rules({
      version: 1,
      include: [{ on: "collection", op: "has", value: "gid://shopify/Collection/42" }],
      exclude: [{ on: "stock", op: "lt", value: 1 }],
      granularity: "cheapest",
    });
    expect(describeRulesChange(before, after)).toEqual([
      "New include filter: collection has 42",
      "New exclude filter: stock < 1",
      'Exclude filter removed: tag has "no-social"',
      "Variants: one item per product: cheapest (was: every variant)",
    ]);
  });

  it("summarises long lists of filter edits", () => {
    const after = rules({ version: 1, exclude: Array.from({ length: 8 }, (_, index) => ({ on: "sku", op: "equals", value: `S${index}` })) });
    const sentences = describeRulesChange(null, after);
    expect(sentences).toHaveLength(6);
    expect(sentences[0]).toBe('New exclude filter: SKU is "S0"');
    expect(sentences[5]).toBe("…and 3 more exclude filter changes");
  });
});
