import { describe, expect, it } from "vitest";
import { FAMILIES } from "../../../app/demo/catalog-data";
import { googleCategoryFor, taxonomyCategoryId } from "../../../app/domain/channels/taxonomy";

const category = (id: string, fullName = "") => ({ id: `gid://shopify/TaxonomyCategory/${id}`, fullName });

describe("googleCategoryFor", () => {
  it("maps a listed category exactly", () => {
    expect(googleCategoryFor(category("hg-11-10-5-5", "Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs"))).toEqual({
      id: "2169",
      path: "Home & Garden > Kitchen & Dining > Tableware > Drinkware > Mugs",
      exact: true,
    });
    expect(googleCategoryFor(category("aa-1-4"))).toEqual({ id: "2271", path: "Apparel & Accessories > Clothing > Dresses", exact: true });
  });

  it("falls back to the nearest listed ancestor by trimming the id", () => {
    expect(googleCategoryFor(category("aa-1-13-8", "Apparel & Accessories > Clothing > Clothing Tops > T-Shirts"))).toEqual({
      id: "212",
      path: "Apparel & Accessories > Clothing > Shirts & Tops",
      exact: false,
    });
    expect(googleCategoryFor(category("aa-8-8"))).toMatchObject({ id: "187", exact: false });
    expect(googleCategoryFor(category("el-99-1"))).toMatchObject({ id: "222", path: "Electronics", exact: false });
  });

  it("uses the full name when it places the category deeper than the id", () => {
    expect(googleCategoryFor(category("hb-1-5-6-6", "Health & Beauty > Personal Care > Cosmetics > Skin Care > Lotions & Moisturizers"))).toEqual({
      id: "567",
      path: "Health & Beauty > Personal Care > Cosmetics > Skin Care",
      exact: false,
    });
    expect(googleCategoryFor(category("hg-3-12", "Home & Garden > Decor > Home Fragrances > Candles"))).toMatchObject({ id: "588", exact: true });
    // An exact id wins over the name.
    expect(googleCategoryFor(category("aa-1-4", "Home & Garden > Decor"))).toMatchObject({ id: "2271", exact: true });
  });

  it("uses the vertical's name when the id cannot be read", () => {
    expect(googleCategoryFor({ id: "gid://shopify/TaxonomyCategory/zz-1", fullName: "Toys & Games > Puzzles" })).toMatchObject({ id: "1239", exact: false });
    expect(googleCategoryFor({ id: "", fullName: "Gift Cards" })).toMatchObject({ id: "53", exact: true });
  });

  it("returns null without a category or a placeable one", () => {
    expect(googleCategoryFor(null)).toBeNull();
    expect(googleCategoryFor({ id: "gid://shopify/TaxonomyCategory/zz-1", fullName: "Unknown > Thing" })).toBeNull();
  });

  it("places every category the demo catalog uses in its vertical or deeper", () => {
    const expected: Record<string, string> = {
      Shirts: "212", "T-Shirts": "212", Dresses: "2271", Outerwear: "5598", Sneakers: "187", Boots: "187", Sandals: "187",
      Rings: "200", Necklaces: "196", Earrings: "194", Cushions: "4454", Candles: "588", Mugs: "2169",
      Moisturizers: "2592", Cleansers: "2526", Serums: "567",
    };
    for (const family of FAMILIES) {
      for (const productType of family.productTypes) {
        expect(googleCategoryFor(productType.category)?.id, productType.productType).toBe(expected[productType.productType]);
      }
    }
  });

  it("accepts bare ids and ids with a query", () => {
    expect(taxonomyCategoryId("gid://shopify/TaxonomyCategory/AA-1-4?x=1")).toBe("aa-1-4");
    expect(googleCategoryFor({ id: "hb-3-2-9-10", fullName: "" })).toMatchObject({ id: "2592", exact: true });
  });
});
