import { describe, expect, it } from "vitest";
import type { Metafield, Product } from "../../../app/domain/catalog/types";
import {
  SHOPIFY_CATEGORY_METAFIELD_KINDS,
  coreAttributes,
  normalizeAgeGroup,
  normalizeGender,
  normalizeLabel,
  recognizeAttributeKind,
  variantAttributes,
} from "../../../app/domain/channels/attributes";
import { buildCatalogProduct } from "../../factories/catalog";

function metafield(namespace: string, key: string, type: string, value: Metafield["value"]): Metafield {
  return { namespace, key, type, raw: typeof value === "string" ? value : JSON.stringify(value), value };
}

function productWithOptions(options: { name: string; values: string[] }[], selected: Record<string, string>[], extra: Partial<Product> = {}): Product {
  return buildCatalogProduct(
    9001,
    { options: options.map((option, index) => ({ ...option, position: index + 1 })), ...extra },
    selected.map((values) => ({ selectedOptions: Object.entries(values).map(([name, value]) => ({ name, value })) })),
  );
}

describe("recognizeAttributeKind", () => {
  it.each([
    ["Color", "color"], ["Colour", "color"], ["Couleur", "color"], ["Farbe", "color"], ["Warna", "color"], ["Colore", "color"],
    ["Kleur", "color"], ["Cor", "color"], ["Färg", "color"], ["Farge", "color"], ["Väri", "color"], ["Kolor", "color"],
    ["颜色", "color"], ["カラー", "color"], ["색상", "color"], ["Renk", "color"], ["Цвет", "color"],
    ["Size", "size"], ["Taille", "size"], ["Größe", "size"], ["Groesse", "size"], ["GRÖSSE", "size"], ["Ukuran", "size"],
    ["Taglia", "size"], ["Talla", "size"], ["Maat", "size"], ["Tamanho", "size"], ["Storlek", "size"], ["Størrelse", "size"],
    ["Rozmiar", "size"], ["サイズ", "size"], ["尺码", "size"], ["Shoe Size", "size"],
    ["Material", "material"], ["Matière", "material"], ["Stoff", "material"], ["Bahan", "material"], ["Materiale", "material"], ["Metal", "material"],
    ["Pattern", "pattern"], ["Motif", "pattern"], ["Muster", "pattern"], ["Motivo", "pattern"],
    ["Gender", "gender"], ["Geschlecht", "gender"], ["Age group", "age_group"], ["Altersgruppe", "age_group"],
  ])("%s is %s", (name, kind) => {
    expect(recognizeAttributeKind(name)).toBe(kind);
  });

  it("normalises case, accents, trailing colons, qualifiers and whitespace", () => {
    expect(recognizeAttributeKind("  couleur : ")).toBe("color");
    expect(recognizeAttributeKind("MATIÈRE")).toBe("material");
    expect(recognizeAttributeKind("Size (EU)")).toBe("size");
    expect(recognizeAttributeKind("Colour*")).toBe("color");
    expect(normalizeLabel("  Größe:  ")).toBe("grosse");
  });

  it("returns null for other dimensions", () => {
    expect(recognizeAttributeKind("Scent")).toBeNull();
    expect(recognizeAttributeKind("Title")).toBeNull();
    expect(recognizeAttributeKind("Genre")).toBeNull();
  });
});

describe("normalizeGender and normalizeAgeGroup", () => {
  it("maps multilingual values to channel-neutral words", () => {
    expect(["Women", "Damen", "Femme", "Wanita", "Mujer", "women's"].map(normalizeGender)).toEqual(["female", "female", "female", "female", "female", "female"]);
    expect(["Men", "Herren", "Homme", "Pria"].map(normalizeGender)).toEqual(["male", "male", "male", "male"]);
    expect(normalizeGender("Unisex")).toBe("unisex");
    expect(normalizeGender("Girls")).toBe("female");
    expect(normalizeGender("Petite")).toBeNull();
    expect(["Baby", "Kinder", "Anak", "Teen", "Adult", "Erwachsene", "All ages", "Girls", "Newborn", "Toddler"].map(normalizeAgeGroup)).toEqual([
      "infant", "kids", "kids", "teen", "adult", "adult", "all ages", "kids", "newborn", "toddler",
    ]);
    expect(normalizeAgeGroup("Women")).toBeNull();
  });
});

describe("variantAttributes", () => {
  it("lists every option in option order with its kind", () => {
    const product = productWithOptions(
      [{ name: "Farbe", values: ["Schwarz"] }, { name: "Größe", values: ["M"] }, { name: "Duft", values: ["Zeder"] }],
      [{ Größe: "M", Duft: "Zeder", Farbe: "Schwarz" }],
    );
    expect(variantAttributes(product, product.variants[0]!)).toEqual([
      { name: "Farbe", value: "Schwarz", kind: "color" },
      { name: "Größe", value: "M", kind: "size" },
      { name: "Duft", value: "Zeder", kind: null },
    ]);
  });

  it("leaves out Shopify's single-variant Title option", () => {
    const product = buildCatalogProduct(9002);
    expect(product.variants[0]!.selectedOptions).toEqual([{ name: "Title", value: "Default Title" }]);
    expect(variantAttributes(product, product.variants[0]!)).toEqual([]);
  });

  it("falls back to the variant's selected options when the product lists none", () => {
    const product = buildCatalogProduct(9003, { options: [] }, [{ selectedOptions: [{ name: "Couleur", value: "Noir" }] }]);
    expect(variantAttributes(product, product.variants[0]!)).toEqual([{ name: "Couleur", value: "Noir", kind: "color" }]);
  });
});

describe("coreAttributes", () => {
  it("reads color and size from options named in several languages", () => {
    const product = productWithOptions([{ name: "Warna", values: ["Hitam", "Putih"] }, { name: "Ukuran", values: ["S"] }], [{ Warna: "Hitam", Ukuran: "S" }, { Warna: "Putih", Ukuran: "S" }]);
    expect(coreAttributes(product, product.variants[1]!)).toEqual({ color: "Putih", size: "S", material: null, pattern: null, gender: null, ageGroup: null });
  });

  it("maps gender and age options to channel-neutral words", () => {
    const product = productWithOptions([{ name: "Gender", values: ["Damen"] }, { name: "Age group", values: ["Kinder"] }], [{ Gender: "Damen", "Age group": "Kinder" }]);
    expect(coreAttributes(product, product.variants[0]!)).toMatchObject({ gender: "female", ageGroup: "kids" });
  });

  it("reads Shopify category metafields, ignoring metaobject references", () => {
    const product = productWithOptions([{ name: "Couleur", values: ["Noir"] }], [{ Couleur: "Noir" }], {
      metafields: [
        metafield("shopify", "color-pattern", "list.metaobject_reference", ["gid://shopify/Metaobject/1"]),
        metafield("shopify", "fabric", "list.single_line_text_field", ["Cotton", "Elastane"]),
        metafield("shopify", "pattern", "single_line_text_field", "Striped"),
        metafield("shopify", "target-gender", "list.metaobject_reference", ["gid://shopify/Metaobject/7"]),
        metafield("shopify", "age-group", "single_line_text_field", "Adults"),
        metafield("shopify", "size", "list.single_line_text_field", ["S", "M", "L"]),
      ],
    });
    expect(coreAttributes(product, product.variants[0]!)).toEqual({ color: "Noir", size: null, material: "Cotton/Elastane", pattern: "Striped", gender: null, ageGroup: "adult" });
  });

  it("lets option values win over metafields, and variant metafields over product ones", () => {
    const product = productWithOptions([{ name: "Material", values: ["Linen"] }], [{ Material: "Linen" }], {
      metafields: [metafield("shopify", "material", "single_line_text_field", "Cotton"), metafield("shopify", "color", "single_line_text_field", "Blue")],
    });
    product.variants[0]!.metafields = [metafield("shopify", "color", "single_line_text_field", "Navy")];
    expect(coreAttributes(product, product.variants[0]!)).toMatchObject({ material: "Linen", color: "Navy" });
  });

  it("keeps the metafield key table in one exported constant", () => {
    expect(SHOPIFY_CATEGORY_METAFIELD_KINDS["color-pattern"]).toBe("color");
    expect(SHOPIFY_CATEGORY_METAFIELD_KINDS["target-gender"]).toBe("gender");
    expect(SHOPIFY_CATEGORY_METAFIELD_KINDS["age-group"]).toBe("age_group");
  });
});
