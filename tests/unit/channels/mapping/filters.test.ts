import { describe, expect, it } from "vitest";
import type { Product } from "../../../../app/domain/catalog/types";
import { compileMappingRules } from "../../../../app/domain/channels/mapping/evaluate";
import { selectItems } from "../../../../app/domain/channels/mapping/filters";
import type { Availability } from "../../../../app/domain/channels/types";
import { itemFor, rules, shirt } from "./fixtures";

/** Navy / S, Navy / M, Navy / L at the given prices, with the given availability per variant. */
function sizes(prices: string[], availability: Availability[], overrides: Partial<Omit<Product, "id" | "variants">> = {}) {
  const names = ["S", "M", "L", "XL"];
  const product = shirt(
    overrides,
    prices.map((price, index) => ({
      title: `Navy / ${names[index]}`,
      price,
      selectedOptions: [
        { name: "Color", value: "Navy" },
        { name: "Size", value: names[index] ?? "?" },
      ],
    })),
  );
  return product.variants.map((variant, index) => ({ product, variant, item: itemFor(product, variant, { availability: availability[index] ?? "in_stock" }) }));
}

function select(json: Record<string, unknown>, entries: ReturnType<typeof sizes>) {
  return selectItems(compileMappingRules(rules({ version: 1, ...json })), entries);
}

describe("selectItems", () => {
  it("keeps everything without filters or granularity", () => {
    const entries = sizes(["10.00", "12.00"], ["in_stock", "in_stock"]);
    expect(select({}, entries)).toEqual({ kept: entries, excluded: [] });
  });

  it("excludes items matching any exclude rule, saying which", () => {
    const entries = sizes(["10.00", "30.00"], ["in_stock", "in_stock"]);
    const result = select({ exclude: [{ on: "price", op: "lt", value: 20 }, { on: "tag", op: "has", value: "no-social" }] }, entries);
    expect(result.kept).toEqual([]);
    expect(result.excluded).toEqual([
      { itemId: "701", variantId: "gid://shopify/ProductVariant/701", reason: "excluded by rule: price < 20" },
      { itemId: "702", variantId: "gid://shopify/ProductVariant/702", reason: 'excluded by rule: tag has "no-social"' },
    ]);
  });

  it("keeps only items matching at least one include rule", () => {
    const entries = sizes(["10.00", "30.00"], ["in_stock", "in_stock"], { collectionIds: ["gid://shopify/Collection/9"] });
    const result = select({ include: [{ on: "price", op: "gte", value: 20 }, { on: "vendor", op: "equals", value: "Other" }] }, entries);
    expect(result.kept.map((entry) => entry.item.id)).toEqual(["702"]);
    expect(result.excluded).toEqual([
      { itemId: "701", variantId: "gid://shopify/ProductVariant/701", reason: 'not included: matches none of the include rules (price >= 20; vendor is "Other")' },
    ]);
    expect(select({ include: [{ on: "collection", op: "has", value: "9" }] }, entries).kept).toHaveLength(2);
  });

  it("keeps the first available variant by position, else the first", () => {
    const entries = sizes(["10.00", "12.00", "14.00"], ["out_of_stock", "backorder", "preorder"]);
    const result = select({ granularity: "first-available" }, entries);
    expect(result.kept.map((entry) => entry.variant.title)).toEqual(["Navy / L"]);
    expect(result.excluded.map((entry) => entry.reason)).toEqual([
      "one item per product: kept the first available variant (Navy / L)",
      "one item per product: kept the first available variant (Navy / L)",
    ]);

    const none = select({ granularity: "first-available" }, sizes(["10.00", "12.00"], ["out_of_stock", "out_of_stock"]));
    expect(none.kept.map((entry) => entry.variant.title)).toEqual(["Navy / S"]);
    expect(none.excluded[0]?.reason).toBe("one item per product: no variant is available, kept the first variant (Navy / S)");
  });

  it("orders by variant position, not input order", () => {
    const entries = sizes(["10.00", "12.00"], ["in_stock", "in_stock"]).reverse();
    expect(select({ granularity: "first-available" }, entries).kept.map((entry) => entry.variant.title)).toEqual(["Navy / S"]);
  });

  it("keeps the cheapest variant, ties going to the first position", () => {
    const entries = sizes(["14.00", "9.50", "9.50", "20.00"], ["in_stock", "in_stock", "in_stock", "in_stock"]);
    const result = select({ granularity: "cheapest" }, entries);
    expect(result.kept.map((entry) => entry.variant.title)).toEqual(["Navy / M"]);
    expect(result.excluded).toHaveLength(3);
    expect(result.excluded[0]).toEqual({ itemId: "701", variantId: "gid://shopify/ProductVariant/701", reason: "one item per product: kept the cheapest variant (Navy / M)" });
  });

  it("chooses among the variants the filters kept, one per product", () => {
    const first = sizes(["5.00", "12.00", "14.00"], ["in_stock", "in_stock", "in_stock"]);
    const other = shirt({}, [{ price: "3.00" }, { price: "4.00" }]);
    const otherProduct = { ...other, id: "gid://shopify/Product/8" };
    const otherEntries = otherProduct.variants.map((variant, index) => {
      const moved = { ...variant, id: `gid://shopify/ProductVariant/80${index + 1}`, productId: otherProduct.id, title: `Red / ${index + 1}` };
      return { product: otherProduct, variant: moved, item: itemFor(otherProduct, moved) };
    });
    const result = select({ granularity: "cheapest", exclude: [{ on: "price", op: "lt", value: 10 }, { on: "sku", op: "equals", value: "none" }] }, [...first, ...otherEntries]);
    expect(result.kept.map((entry) => entry.variant.title)).toEqual(["Navy / M"]);
    expect(result.excluded.map((entry) => entry.reason)).toEqual([
      "excluded by rule: price < 10",
      "one item per product: kept the cheapest variant (Navy / M)",
      "excluded by rule: price < 10",
      "excluded by rule: price < 10",
    ]);
  });
});
