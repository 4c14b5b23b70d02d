import { describe, expect, it } from "vitest";
import { DEMO_CATALOG_DEFAULTS, DEMO_MESS, generateCatalogJsonl } from "~/demo/generate-catalog";
import { checkGtin } from "~/domain/channels/gtin";
import { createBulkCatalogAssembler } from "~/domain/catalog/bulk-jsonl";
import type { Product } from "~/domain/catalog/types";

const NOW = "2026-11-22T09:00:00Z";

function generate(options: { seed: number; products: number }): string[] {
  return [...generateCatalogJsonl({ ...options, now: NOW })];
}

function assemble(lines: string[]) {
  const assembler = createBulkCatalogAssembler({ shopCurrency: "EUR" });
  lines.forEach((line, index) => assembler.push(line, index + 1));
  return assembler.finish();
}

/** Lines naming a parent that has not appeared yet. */
function countChildrenBeforeParents(lines: string[]): number {
  const seen = new Set<string>();
  let early = 0;
  for (const line of lines) {
    const { id, __parentId: parentId } = JSON.parse(line) as { id: string; __parentId?: string };
    if (parentId && !seen.has(parentId)) early += 1;
    seen.add(id);
  }
  return early;
}

function countIndices(total: number, rule: (index: number) => boolean): number {
  return Array.from({ length: total }, (_, index) => index).filter(rule).length;
}

/** The generator's invalid barcodes are exactly the ones whose check digit is wrong. */
function hasValidGtinCheckDigit(code: string): boolean {
  const check = checkGtin(code);
  return check.ok || check.problem !== "bad_check_digit";
}

describe("generateCatalogJsonl", () => {
  it("gives byte-identical output for the same seed and different output for another seed", () => {
    const first = generate({ seed: 7, products: 60 });
    expect(generate({ seed: 7, products: 60 })).toEqual(first);
    expect(generate({ seed: 8, products: 60 })).not.toEqual(first);
    expect(first.every((line) => !line.includes("\n"))).toBe(true);
  });

  it("rejects a `now` that is not a date", () => {
    expect(() => [...generateCatalogJsonl({ seed: 1, products: 1, now: "yesterday" })]).toThrow(RangeError);
  });

  describe("the default demo catalog", () => {
    const { seed, products: productCount } = DEMO_CATALOG_DEFAULTS;
    const lines = generate({ seed, products: productCount });
    const { products, problems } = assemble(lines);
    const variants = products.flatMap((product) => product.variants);
    const variantCount = variants.length;

    it("round-trips through the bulk assembler with the requested product count and no problems", () => {
      expect(problems).toEqual([]);
      expect(products).toHaveLength(productCount);
      expect(variantCount).toBeGreaterThanOrEqual(2000);
      expect(variantCount).toBeLessThanOrEqual(3000);
      expect(Math.max(...products.map((product) => product.variants.length))).toBeLessThanOrEqual(12);
      expect(Math.min(...products.map((product) => product.variants.length))).toBeGreaterThanOrEqual(1);
    });

    it("puts some children before their parents", () => {
      expect(countChildrenBeforeParents(lines)).toBeGreaterThan(0);
    });

    it("has the messy titles in their known proportions", () => {
      const allCaps = products.filter((product) => /[A-Z]/.test(product.title) && product.title === product.title.toUpperCase());
      expect(allCaps).toHaveLength(countIndices(productCount, DEMO_MESS.allCapsTitle));
      const overlong = products.filter((product) => product.title.length > 150);
      expect(overlong).toHaveLength(countIndices(productCount, DEMO_MESS.overlongTitle));
      expect(overlong.every((product) => product.title.length > 200)).toBe(true);
      expect(products.filter((product) => /\p{Extended_Pictographic}/u.test(product.title))).toHaveLength(countIndices(productCount, DEMO_MESS.emojiTitle));
    });

    it("has missing and invalid barcodes in their known proportions, and valid GTINs otherwise", () => {
      // Variants are numbered in generation order: products in order, variants by position.
      const missing = countIndices(variantCount, (v) => DEMO_MESS.missingBarcode(v) || DEMO_MESS.blankBarcode(v));
      const invalid = countIndices(variantCount, (v) => !DEMO_MESS.missingBarcode(v) && !DEMO_MESS.blankBarcode(v) && DEMO_MESS.badCheckDigit(v));
      expect(variants.filter((variant) => variant.barcode === null)).toHaveLength(missing);
      const present = variants.flatMap((variant) => (variant.barcode === null ? [] : [variant.barcode]));
      expect(present.filter((barcode) => !hasValidGtinCheckDigit(barcode))).toHaveLength(invalid);
      expect(present.every((barcode) => /^(\d{12}|\d{13})$/.test(barcode))).toBe(true);
      expect(invalid).toBeGreaterThan(0);
    });

    it("has duplicate SKUs, HTML with scripts and entities, a draft and an archived product", () => {
      const skus = variants.flatMap((variant) => (variant.sku ? [variant.sku] : []));
      expect(new Set(skus).size).toBeLessThan(skus.length);
      expect(products.some((product) => product.descriptionHtml.includes("<script>"))).toBe(true);
      expect(products.some((product) => product.descriptionHtml.includes("&amp;"))).toBe(true);
      expect(products.filter((product) => product.status === "DRAFT")).toHaveLength(countIndices(productCount, DEMO_MESS.draft));
      expect(products.filter((product) => product.status === "ARCHIVED")).toHaveLength(countIndices(productCount, DEMO_MESS.archived));
    });

    it("has option names in several languages and cdn images linked to variants", () => {
      const optionNames = new Set(products.flatMap((product) => product.options.map((option) => option.name)));
      for (const name of ["Color", "Colour", "Couleur", "Farbe", "Warna", "Size", "Taille", "Größe", "Ukuran", "Material"]) {
        expect(optionNames).toContain(name);
      }
      const media = products.flatMap((product) => product.media);
      expect(media.every((image) => image.url.startsWith("https://cdn.shopify.com/") && image.width !== null && image.height !== null)).toBe(true);
      const withImage = variants.filter((variant) => variant.imageId !== null);
      expect(withImage.length).toBeGreaterThan(0);
      const mediaIds = new Set(media.map((image) => image.id));
      expect(withImage.every((variant) => mediaIds.has(variant.imageId as string))).toBe(true);
    });

    it("has stock that is zero, negative, untracked, sold out, sold on CONTINUE and on sale", () => {
      const levels = variants.flatMap((variant) => variant.inventoryItem.levels);
      expect(levels.some((level) => level.available === 0)).toBe(true);
      expect(levels.some((level) => level.available < 0)).toBe(true);
      expect(new Set(levels.map((level) => level.locationName)).size).toBe(3);
      expect(variants.some((variant) => !variant.inventoryItem.tracked)).toBe(true);
      expect(variants.some((variant) => variant.inventoryPolicy === "CONTINUE")).toBe(true);
      const soldOut = (product: Product) => product.variants.every((variant) => variant.availableQuantity <= 0);
      expect(products.filter(soldOut).length).toBeGreaterThan(0);
      expect(variants.some((variant) => variant.compareAtPrice !== null && Number(variant.compareAtPrice) > Number(variant.price))).toBe(true);
    });

    it("has pre-order selling plans that ship after now, with the release metafield", () => {
      const preOrders = products.filter((product) =>
        product.sellingPlanGroups.some((group) => group.sellingPlans.some((plan) => plan.category === "PRE_ORDER" && plan.fulfillmentExactTime !== null && plan.fulfillmentExactTime > NOW)),
      );
      expect(preOrders.length).toBeGreaterThan(0);
      for (const product of preOrders) {
        const release = product.metafields.find((metafield) => metafield.namespace === "shelfcast" && metafield.key === "preorder_release");
        const plan = product.sellingPlanGroups.flatMap((group) => group.sellingPlans).find((candidate) => candidate.category === "PRE_ORDER");
        expect(release?.value).toBe(plan?.fulfillmentExactTime?.slice(0, 10));
      }
    });

    it("has product and variant metafields of several types, all valid", () => {
      const types = new Set(products.flatMap((product) => [...product.metafields, ...product.variants.flatMap((variant) => variant.metafields)]).map((metafield) => metafield.type));
      for (const type of ["single_line_text_field", "multi_line_text_field", "date", "weight", "list.single_line_text_field", "json", "boolean", "color", "rating"]) {
        expect(types).toContain(type);
      }
    });

    it("has taxonomy categories, some products without one, and campaign and social tags", () => {
      expect(products.some((product) => product.category?.fullName === "Apparel & Accessories > Clothing > Shirts & Tops")).toBe(true);
      expect(products.filter((product) => product.category === null)).toHaveLength(countIndices(productCount, DEMO_MESS.noCategory));
      const tags = new Set(products.flatMap((product) => product.tags));
      expect(tags).toContain("social:tiktok");
      expect(tags).toContain("campaign:spring-drop");
    });
  });
});
