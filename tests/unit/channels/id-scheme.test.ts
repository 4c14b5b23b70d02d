import { describe, expect, it } from "vitest";
import type { Market } from "../../../app/domain/channels/types";
import { createIdScheme, isIdSafe, numericId } from "../../../app/domain/channels/id-scheme";
import { buildCatalogProduct } from "../../factories/catalog";

const US: Market = { code: "US", currency: "USD", language: "en" };
const DE: Market = { code: "DE", currency: "EUR", language: "de" };

describe("numericId", () => {
  it("takes the id out of a GID, without a query", () => {
    expect(numericId("gid://shopify/ProductVariant/45100000000123")).toBe("45100000000123");
    expect(numericId("gid://shopify/InventoryLevel/7?inventory_item_id=9")).toBe("7");
    expect(numericId("123")).toBe("123");
  });
});

describe("createIdScheme", () => {
  const product = buildCatalogProduct(8200000000001, {}, [{ sku: "  ML-0001-BLK-M " }, { sku: "" }, { sku: "TEE,BLACK" }, { sku: "TEE\nBLK" }, { sku: null }]);
  const [withSku, blank, comma, newline, missing] = product.variants as [typeof product.variants[0], ...typeof product.variants];

  it("variant-id: numeric variant id, numeric product id as group", () => {
    const scheme = createIdScheme("variant-id");
    expect(scheme.name).toBe("variant-id");
    expect(scheme.itemId(product, withSku, US)).toBe("820000000000101");
    expect(scheme.groupId(product, US)).toBe("8200000000001");
  });

  it("sku: trimmed SKU, else the variant id when blank or unsafe in CSV", () => {
    const scheme = createIdScheme("sku");
    expect(scheme.itemId(product, withSku, US)).toBe("ML-0001-BLK-M");
    expect(scheme.itemId(product, blank!, US)).toBe("820000000000102");
    expect(scheme.itemId(product, comma!, US)).toBe("820000000000103");
    expect(scheme.itemId(product, newline!, US)).toBe("820000000000104");
    expect(scheme.itemId(product, missing!, US)).toBe("820000000000105");
    expect(scheme.groupId(product, US)).toBe("8200000000001");
  });

  it("shopify-channel: the ids Shopify's own Facebook & Instagram channel uses, per market", () => {
    const scheme = createIdScheme("shopify-channel");
    expect(scheme.itemId(product, withSku, US)).toBe("shopify_US_8200000000001_820000000000101");
    expect(scheme.groupId(product, US)).toBe("shopify_US_8200000000001");
    expect(scheme.itemId(product, withSku, DE)).toBe("shopify_DE_8200000000001_820000000000101");
  });

  it("is deterministic and never equals a group id", () => {
    for (const name of ["variant-id", "sku", "shopify-channel"] as const) {
      const first = createIdScheme(name);
      const second = createIdScheme(name);
      const ids = product.variants.map((variant) => first.itemId(product, variant, US));
      expect(product.variants.map((variant) => second.itemId(product, variant, US))).toEqual(ids);
      expect(ids).not.toContain(first.groupId(product, US));
    }
  });

  it("rejects unknown scheme names", () => {
    expect(() => createIdScheme("nope" as never)).toThrow(RangeError);
  });
});

describe("isIdSafe", () => {
  it("refuses commas, line breaks, tabs and control characters", () => {
    expect(isIdSafe("ML-0001/BLK M")).toBe(true);
    expect(["A,B", "A\nB", "A\rB", "A\tB", "A\u0000B", "A\u2028B", ""].map(isIdSafe)).toEqual([false, false, false, false, false, false, false]);
  });
});
