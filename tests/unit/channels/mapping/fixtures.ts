import type { Metafield, Product, Variant } from "../../../../app/domain/catalog/types";
import { parseMappingRules, type MappingRules } from "../../../../app/domain/channels/mapping/schema";
import type { MappedItem } from "../../../../app/domain/channels/types";
import { buildCatalogProduct, type VariantOverrides } from "../../../factories/catalog";

/** A default item as buildDefaultItem would make it, reduced to what the mapping tests read. */
export function itemFor(product: Product, variant: Variant, overrides: Partial<MappedItem> = {}): MappedItem {
  const variantNumber = variant.id.split("/").pop() ?? variant.id;
  return {
    id: variantNumber,
    groupId: product.id.split("/").pop() ?? product.id,
    productId: product.id,
    variantId: variant.id,
    handle: product.handle,
    sku: variant.sku,
    title: product.title,
    description: "Default description",
    richDescription: null,
    link: `https://shop.example/products/${product.handle}?variant=${variantNumber}`,
    image: null,
    additionalImages: [],
    price: { amount: variant.price, currencyCode: "USD" },
    salePrice: null,
    salePriceEffectiveDate: null,
    availability: variant.availableQuantity > 0 ? "in_stock" : "out_of_stock",
    availabilityDate: null,
    quantity: variant.availableQuantity,
    brand: product.vendor,
    gtin: variant.barcode,
    mpn: null,
    condition: "new",
    color: null,
    size: null,
    material: null,
    pattern: null,
    gender: null,
    ageGroup: null,
    variantAttributes: variant.selectedOptions
      .filter((option) => option.name !== "Title")
      .map((option) => ({ name: option.name, value: option.value, kind: null })),
    googleProductCategory: null,
    shopifyCategoryId: product.category?.id ?? null,
    productType: product.productType || null,
    channelCategoryId: null,
    packageDimensions: null,
    customLabels: [null, null, null, null, null],
    shippingWeight: null,
    status: "active",
    originCountry: null,
    tags: product.tags,
    vendor: product.vendor,
    ...overrides,
  };
}

export function metafield(namespace: string, key: string, type: string, value: Metafield["value"], raw = typeof value === "string" ? value : JSON.stringify(value)): Metafield {
  return { namespace, key, type, raw, value };
}

/** A "Linen Shirt" with Color / Size options and one variant per entry of `variants` (default Navy / M). */
export function shirt(overrides: Partial<Omit<Product, "id" | "variants">> = {}, variants: VariantOverrides[] = [{}]): Product {
  return buildCatalogProduct(
    7,
    {
      title: "Linen Shirt",
      handle: "linen-shirt",
      vendor: "Acme",
      productType: "Shirts",
      tags: ["Summer", "no-social"],
      options: [
        { name: "Color", position: 1, values: ["Navy"] },
        { name: "Size", position: 2, values: ["M"] },
      ],
      ...overrides,
    },
    variants.map((variant) => ({
      title: "Navy / M",
      selectedOptions: [
        { name: "Color", value: "Navy" },
        { name: "Size", value: "M" },
      ],
      ...variant,
    })),
  );
}

/** Parses rules that a test knows to be valid, failing loudly with the parse errors otherwise. */
export function rules(json: unknown): MappingRules {
  const parsed = parseMappingRules(json);
  if (!parsed.ok) throw new Error(`test rules do not parse: ${JSON.stringify(parsed.errors)}`);
  return parsed.rules;
}
