import { z } from "zod";
import { toGid } from "~/domain/catalog/gid";
import { getProductVersions } from "../repositories/catalog";
import { requestProductRefresh } from "../services/refresh-product";
import { enqueueSyncStep } from "../services/catalog-sync/start-catalog-sync";
import { adminApiForShop } from "../shopify/admin-api-for-shop";
import { fetchProductIdForInventoryItem } from "../shopify/operations/inventory-item-product";
import type { WebhookHandler, WebhookJobContext } from "./types";

/**
 * Catalog webhooks. Each one only works out which products it touches and asks for them to be
 * re-read (coalesced per product); the refresh brings Shopify's current truth. That makes
 * duplicates, retries and out-of-order deliveries harmless by construction.
 */

const numericOrGid = z.union([z.number().int(), z.string().min(1)]);
const ProductPayloadSchema = z.object({ id: numericOrGid, updated_at: z.string().optional() });
const InventoryLevelPayloadSchema = z.object({ inventory_item_id: numericOrGid });
const InventoryItemPayloadSchema = z.object({ id: numericOrGid });
const SellingPlanGroupPayloadSchema = z.object({
  admin_graphql_api_id: z.string().optional(),
  id: numericOrGid.optional(),
  product_ids: z.array(numericOrGid).optional(),
});
const BulkFinishPayloadSchema = z.object({ admin_graphql_api_id: z.string(), status: z.string().optional() });

function parse<S extends z.ZodType>(topic: string, schema: S, payload: unknown): z.infer<S> {
  const result = schema.safeParse(payload);
  if (!result.success) throw new Error(`${topic} payload: ${result.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`);
  return result.data;
}

function gidOf(type: string, id: number | string): string {
  return typeof id === "string" && id.startsWith("gid://") ? id : toGid(type, id);
}

function productWebhook(topic: string): WebhookHandler {
  return {
    topic,
    runsForInactiveShop: false,
    async handle({ runtime, shop, payload }) {
      const { id, updated_at: updatedAt } = parse(topic, ProductPayloadSchema, payload);
      const productId = gidOf("Product", id);
      // A payload older than the product we hold is a late retry of a change already applied.
      if (updatedAt && topic !== "products/delete") {
        const stored = (await getProductVersions(runtime.db.sql, shop, [productId])).get(productId);
        if (stored?.shopifyUpdatedAt && stored.shopifyUpdatedAt.getTime() > Date.parse(updatedAt)) return `stale hint for ${productId} ignored`;
      }
      await requestProductRefresh(runtime, shop, productId);
      return `refresh of ${productId} requested`;
    },
  };
}

/** The product that owns an inventory item: from the snapshot, or from Shopify for a new one. */
async function productForInventoryItem(context: WebhookJobContext, inventoryItemId: string): Promise<string | null> {
  const variant = await context.runtime.db.prisma.variant.findFirst({
    where: { shop: context.shop, inventoryItemId },
    select: { productId: true },
  });
  if (variant) return variant.productId;
  return fetchProductIdForInventoryItem(await adminApiForShop(context.runtime, context.shop), inventoryItemId);
}

function inventoryWebhook(topic: string, readItemId: (payload: unknown) => number | string): WebhookHandler {
  return {
    topic,
    runsForInactiveShop: false,
    async handle(context) {
      const inventoryItemId = gidOf("InventoryItem", readItemId(context.payload));
      const productId = await productForInventoryItem(context, inventoryItemId);
      if (!productId) return `inventory item ${inventoryItemId} belongs to no product`;
      await requestProductRefresh(context.runtime, context.shop, productId);
      return `refresh of ${productId} requested for ${inventoryItemId}`;
    },
  };
}

function sellingPlanGroupWebhook(topic: string): WebhookHandler {
  return {
    topic,
    runsForInactiveShop: false,
    async handle({ runtime, shop, payload }) {
      const parsed = parse(topic, SellingPlanGroupPayloadSchema, payload);
      const groupId = parsed.admin_graphql_api_id ?? (parsed.id !== undefined ? gidOf("SellingPlanGroup", parsed.id) : null);
      const named = (parsed.product_ids ?? []).map((id) => gidOf("Product", id));
      // Products that carried the group before this change (it may have been removed from them).
      const { rows } = groupId
        ? await runtime.db.sql.query<{ id: string }>(
            `SELECT "id" FROM "product" WHERE "shop" = $1 AND "data"->'sellingPlanGroups' @> $2::jsonb`,
            [shop, JSON.stringify([{ id: groupId }])],
          )
        : { rows: [] };
      const productIds = [...new Set([...named, ...rows.map((row) => row.id)])];
      for (const productId of productIds) await requestProductRefresh(runtime, shop, productId);
      return `refresh of ${productIds.length} product(s) requested for ${groupId ?? "an unnamed group"}`;
    },
  };
}

/** Shopify finished a bulk query: wake the sync that waits for it instead of waiting for its next poll. */
export const bulkOperationsFinish: WebhookHandler = {
  topic: "bulk_operations/finish",
  runsForInactiveShop: false,
  async handle({ runtime, shop, payload }) {
    const { admin_graphql_api_id: operationId } = parse("bulk_operations/finish", BulkFinishPayloadSchema, payload);
    const sync = await runtime.db.prisma.catalogSync.findFirst({ where: { shop, bulkOperationIds: { has: operationId }, status: { in: ["queued", "running"] } } });
    if (!sync) return `no running sync waits for ${operationId}`;
    await enqueueSyncStep(runtime, shop, sync.id);
    return `sync ${sync.id} woken`;
  },
};

export const CATALOG_WEBHOOK_HANDLERS: WebhookHandler[] = [
  productWebhook("products/create"),
  productWebhook("products/update"),
  productWebhook("products/delete"),
  inventoryWebhook("inventory_levels/update", (payload) => parse("inventory_levels/update", InventoryLevelPayloadSchema, payload).inventory_item_id),
  inventoryWebhook("inventory_items/update", (payload) => parse("inventory_items/update", InventoryItemPayloadSchema, payload).id),
  sellingPlanGroupWebhook("selling_plan_groups/create"),
  sellingPlanGroupWebhook("selling_plan_groups/update"),
  sellingPlanGroupWebhook("selling_plan_groups/delete"),
  bulkOperationsFinish,
];
