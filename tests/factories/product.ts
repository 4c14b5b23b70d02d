import type { Product, Variant } from "../../app/domain/catalog/types";

/** A plain, valid product with one variant; override what a test cares about. */
export function buildProduct(overrides: Partial<Product> & { id: string }): Product {
  const numericId = overrides.id.split("/").pop() ?? "1";
  const variant: Variant = {
    id: `gid://shopify/ProductVariant/${numericId}01`,
    productId: overrides.id,
    title: "Default Title",
    sku: `SKU-${numericId}`,
    barcode: null,
    position: 1,
    price: "24.00",
    compareAtPrice: null,
    selectedOptions: [{ name: "Title", value: "Default Title" }],
    imageId: null,
    weight: null,
    weightUnit: null,
    inventoryPolicy: "DENY",
    inventoryItem: { id: `gid://shopify/InventoryItem/${numericId}01`, tracked: true, countryCodeOfOrigin: null, harmonizedSystemCode: null, levels: [] },
    availableQuantity: 5,
    sellingPlanGroupIds: [],
    metafields: [],
    marketPrices: {},
  };
  return {
    handle: `product-${numericId}`,
    title: `Product ${numericId}`,
    descriptionHtml: "",
    vendor: "Shelfcast Test",
    productType: "Shirts",
    category: null,
    tags: [],
    status: "ACTIVE",
    options: [{ name: "Title", position: 1, values: ["Default Title"] }],
    media: [],
    onlineStoreUrl: null,
    seo: { title: null, description: null },
    collectionIds: [],
    createdAt: null,
    updatedAt: null,
    metafields: [],
    variants: [variant],
    sellingPlanGroups: [],
    ...overrides,
  };
}
