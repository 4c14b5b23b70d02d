import type { Product, Variant } from "../../app/domain/catalog/types";
import { buildProduct } from "./product";

export type VariantOverrides = Partial<Omit<Variant, "id" | "productId" | "position">>;

/**
 * A product with numeric id `numericId` (GID gid://shopify/Product/<numericId>) and one variant per
 * entry of `variants`, numbered and positioned in order; each variant's inventory sits at one
 * location unless it brings its own inventoryItem.
 */
export function buildCatalogProduct(numericId: number, overrides: Partial<Omit<Product, "id" | "variants">> = {}, variants: VariantOverrides[] = [{}]): Product {
  const id = `gid://shopify/Product/${numericId}`;
  const base = buildProduct({ id, ...overrides });
  const template = base.variants[0]!;
  return {
    ...base,
    variants: variants.map((variant, index): Variant => {
      const variantNumber = `${numericId}${String(index + 1).padStart(2, "0")}`;
      const available = variant.availableQuantity ?? template.availableQuantity;
      return {
        ...template,
        id: `gid://shopify/ProductVariant/${variantNumber}`,
        productId: id,
        position: index + 1,
        title: variants.length > 1 ? `Variant ${index + 1}` : template.title,
        sku: `SKU-${variantNumber}`,
        availableQuantity: available,
        inventoryItem: {
          ...template.inventoryItem,
          id: `gid://shopify/InventoryItem/${variantNumber}`,
          levels: [{ locationId: "gid://shopify/Location/1", locationName: "Warehouse", available }],
        },
        ...variant,
      };
    }),
  };
}
