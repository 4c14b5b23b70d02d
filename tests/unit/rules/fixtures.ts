import type { InventoryLevel, InventoryPolicy, Metafield, Product, ProductStatus, SellingPlanGroup, Variant } from "../../../app/domain/catalog/types";
import { parseCampaigns, parseRules, type Campaign, type CampaignsInput, type Rules, type RulesInput } from "../../../app/domain/rules";
import { buildCatalogProduct } from "../../factories/catalog";

/** Shared by the rules tests: "now" is Monday 2 March 2026, noon UTC. */
export const NOW = new Date("2026-03-02T12:00:00Z");

export function rulesOf(input: Omit<RulesInput, "version"> = {}): Rules {
  const parsed = parseRules({ version: 1, ...input });
  if (!parsed.ok) throw new Error(parsed.errors.map((error) => error.text).join("\n"));
  return parsed.value;
}

export function campaignsOf(campaigns: CampaignsInput["campaigns"]): Campaign[] {
  const parsed = parseCampaigns({ version: 1, campaigns });
  if (!parsed.ok) throw new Error(parsed.errors.map((error) => error.text).join("\n"));
  return parsed.value.campaigns;
}

export interface ItemSpec {
  /** Units per location (Location/1, Location/2, …); the sum is the variant's availableQuantity. */
  levels?: number[];
  tracked?: boolean;
  policy?: InventoryPolicy;
  status?: ProductStatus;
  tags?: string[];
  productType?: string;
  collectionIds?: string[];
  sellingPlanGroups?: SellingPlanGroup[];
  productMetafields?: Metafield[];
  variantMetafields?: Metafield[];
}

/** A one-variant product (gid://shopify/Product/9001, variant …/ProductVariant/900101). */
export function item(spec: ItemSpec = {}, numericId = 9001): { product: Product; variant: Variant } {
  const levels: InventoryLevel[] = (spec.levels ?? [10]).map((available, index) => ({
    locationId: `gid://shopify/Location/${index + 1}`,
    locationName: `Location ${index + 1}`,
    available,
  }));
  const total = levels.reduce((sum, level) => sum + level.available, 0);
  const product = buildCatalogProduct(
    numericId,
    {
      status: spec.status ?? "ACTIVE",
      tags: spec.tags ?? [],
      productType: spec.productType ?? "Shirts",
      collectionIds: spec.collectionIds ?? [],
      sellingPlanGroups: spec.sellingPlanGroups ?? [],
      metafields: spec.productMetafields ?? [],
    },
    [
      {
        availableQuantity: total,
        inventoryPolicy: spec.policy ?? "DENY",
        inventoryItem: { id: `gid://shopify/InventoryItem/${numericId}01`, tracked: spec.tracked ?? true, countryCodeOfOrigin: null, harmonizedSystemCode: null, levels },
        metafields: spec.variantMetafields ?? [],
      },
    ],
  );
  return { product, variant: product.variants[0] as Variant };
}

export function preOrderPlan(shipsAt: string | null, reserve: "ON_SALE" | "ON_FULFILLMENT" = "ON_SALE", name = "Pre-order"): SellingPlanGroup {
  return {
    id: "gid://shopify/SellingPlanGroup/1",
    name,
    merchantCode: "preorder",
    sellingPlans: [
      { id: "gid://shopify/SellingPlan/1", name, category: "PRE_ORDER", fulfillmentTrigger: shipsAt ? "EXACT_TIME" : "UNKNOWN", fulfillmentExactTime: shipsAt, inventoryReserve: reserve },
    ],
  };
}

export function metafield(qualified: string, value: string, type = "date"): Metafield {
  const [namespace, key] = qualified.split(".") as [string, string];
  return { namespace, key, type, raw: value, value: type === "number_integer" ? Number(value) : value };
}
