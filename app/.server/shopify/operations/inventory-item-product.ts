import type { AdminApi } from "../graphql-client";

/**
 * Which product an inventory item belongs to. `inventory_levels/update` webhooks name only the
 * inventory item and location, and the catalog is refreshed per product.
 */
export const INVENTORY_ITEM_PRODUCT_QUERY = `#graphql
  query InventoryItemProduct($id: ID!) {
    inventoryItem(id: $id) {
      id
      variant {
        id
        product {
          id
        }
      }
    }
  }
`;

interface InventoryItemProductData {
  inventoryItem: { id: string; variant: { id: string; product: { id: string } | null } | null } | null;
}

/** The product GID, or null when the item (or its variant) no longer exists. */
export async function fetchProductIdForInventoryItem(api: AdminApi, inventoryItemGid: string): Promise<string | null> {
  const data = await api.request<InventoryItemProductData>("InventoryItemProduct", INVENTORY_ITEM_PRODUCT_QUERY, { id: inventoryItemGid });
  return data.inventoryItem?.variant?.product?.id ?? null;
}
