import { describe, expect, it } from "vitest";
import type { Metafield, Product, SellingPlanGroup } from "../../../app/domain/catalog/types";
import { offerFromStock } from "../../../app/domain/channels/offer";
import type { Market } from "../../../app/domain/channels/types";
import { buildCatalogProduct, type VariantOverrides } from "../../factories/catalog";

const US: Market = { code: "US", currency: "USD", language: "en" };

function preOrderGroup(id: number, shipsAt: string | null, name = "Pre-order"): SellingPlanGroup {
  return {
    id: `gid://shopify/SellingPlanGroup/${id}`,
    name,
    merchantCode: `preorder-${id}`,
    sellingPlans: [
      { id: `gid://shopify/SellingPlan/${id}`, name, category: "PRE_ORDER", fulfillmentTrigger: shipsAt ? "EXACT_TIME" : "UNKNOWN", fulfillmentExactTime: shipsAt, inventoryReserve: "ON_FULFILLMENT" },
    ],
  };
}

const subscription: SellingPlanGroup = {
  id: "gid://shopify/SellingPlanGroup/9",
  name: "Subscribe & save",
  merchantCode: "subscribe",
  sellingPlans: [{ id: "gid://shopify/SellingPlan/9", name: "Monthly", category: "SUBSCRIPTION", fulfillmentTrigger: null, fulfillmentExactTime: null, inventoryReserve: null }],
};

function releaseMetafield(value: string, type = "date"): Metafield {
  return { namespace: "shelfcast", key: "preorder_release", type, raw: value, value };
}

function offerFor(variant: VariantOverrides, product: Partial<Omit<Product, "id" | "variants">> = {}) {
  const built = buildCatalogProduct(7001, product, [variant]);
  return offerFromStock(built, built.variants[0]!, "meta", US);
}

describe("offerFromStock", () => {
  it("offers stock on hand as in stock with the quantity and where it is", () => {
    const built = buildCatalogProduct(7002, {}, [
      {
        availableQuantity: 12,
        inventoryItem: {
          id: "gid://shopify/InventoryItem/1",
          tracked: true,
          countryCodeOfOrigin: null,
          harmonizedSystemCode: null,
          levels: [
            { locationId: "gid://shopify/Location/1", locationName: "Rotterdam", available: 9 },
            { locationId: "gid://shopify/Location/2", locationName: "Paris", available: 3 },
            { locationId: "gid://shopify/Location/3", locationName: "Berlin", available: 0 },
          ],
        },
      },
    ]);
    expect(offerFromStock(built, built.variants[0]!, "google", US)).toEqual({ availability: "in_stock", quantity: 12, availabilityDate: null, reason: "12 in stock at 2 locations." });
  });

  it("offers untracked inventory as in stock with no quantity", () => {
    const offer = offerFor({ availableQuantity: 0, inventoryItem: { id: "gid://shopify/InventoryItem/2", tracked: false, countryCodeOfOrigin: null, harmonizedSystemCode: null, levels: [] } });
    expect(offer.availability).toBe("in_stock");
    expect(offer.quantity).toBeNull();
    expect(offer.availabilityDate).toBeNull();
    expect(offer.reason).toMatch(/does not track/);
  });

  it("is out of stock at 0 (or below) when Shopify stops selling", () => {
    expect(offerFor({ availableQuantity: -2, inventoryPolicy: "DENY" })).toMatchObject({ availability: "out_of_stock", quantity: 0, availabilityDate: null });
  });

  it("is a backorder without a date when selling continues and nothing gives a date", () => {
    const offer = offerFor({ availableQuantity: 0, inventoryPolicy: "CONTINUE" }, { sellingPlanGroups: [subscription] });
    expect(offer).toMatchObject({ availability: "backorder", quantity: 0, availabilityDate: null });
    expect(offer.reason).toMatch(/no release date/);
  });

  it("is a pre-order with the plan's ship date when the product has a dated pre-order plan", () => {
    const offer = offerFor({ availableQuantity: 0, inventoryPolicy: "CONTINUE" }, { sellingPlanGroups: [subscription, preOrderGroup(1, "2026-12-16T00:00:00Z", "Ships 16 Dec")] });
    expect(offer).toMatchObject({ availability: "preorder", quantity: 0, availabilityDate: "2026-12-16T00:00:00Z" });
    expect(offer.reason).toBe('Pre-order: sold out, still selling, and the pre-order plan "Ships 16 Dec" ships on 2026-12-16.');
  });

  it("takes the earliest dated pre-order plan", () => {
    const offer = offerFor(
      { availableQuantity: 0, inventoryPolicy: "CONTINUE" },
      { sellingPlanGroups: [preOrderGroup(1, null), preOrderGroup(2, "2027-02-01T00:00:00Z"), preOrderGroup(3, "2026-12-01T00:00:00Z")] },
    );
    expect(offer.availabilityDate).toBe("2026-12-01T00:00:00Z");
  });

  it("applies a group listed on other variants only to those variants", () => {
    const built = buildCatalogProduct(7003, { sellingPlanGroups: [preOrderGroup(1, "2026-12-16T00:00:00Z")] }, [
      { availableQuantity: 0, inventoryPolicy: "CONTINUE", sellingPlanGroupIds: ["gid://shopify/SellingPlanGroup/1"] },
      { availableQuantity: 0, inventoryPolicy: "CONTINUE", sellingPlanGroupIds: [] },
    ]);
    expect(offerFromStock(built, built.variants[0]!, "meta", US).availability).toBe("preorder");
    expect(offerFromStock(built, built.variants[1]!, "meta", US).availability).toBe("backorder");
  });

  it("uses the release-date metafield when no plan has a date (the demo's shelfcast.preorder_release)", () => {
    const offer = offerFor({ availableQuantity: 0, inventoryPolicy: "CONTINUE" }, { sellingPlanGroups: [preOrderGroup(4, null)], metafields: [releaseMetafield("2026-11-30")] });
    expect(offer).toMatchObject({ availability: "preorder", availabilityDate: "2026-11-30T00:00:00Z" });
    expect(offer.reason).toMatch(/shelfcast\.preorder_release metafield gives the release date 2026-11-30/);
    // The variant's own metafield wins over the product's.
    const variantFirst = offerFor({ availableQuantity: 0, inventoryPolicy: "CONTINUE", metafields: [releaseMetafield("2026-10-01")] }, { metafields: [releaseMetafield("2026-11-30")] });
    expect(variantFirst.availabilityDate).toBe("2026-10-01T00:00:00Z");
  });

  it("ignores a release-date metafield that is not a date", () => {
    expect(offerFor({ availableQuantity: 0, inventoryPolicy: "CONTINUE" }, { metafields: [releaseMetafield("soon", "single_line_text_field")] }).availability).toBe("backorder");
  });

  it("is a backorder, saying why, when the pre-order plan has no date", () => {
    const offer = offerFor({ availableQuantity: 0, inventoryPolicy: "CONTINUE" }, { sellingPlanGroups: [preOrderGroup(4, null, "Date to be confirmed")] });
    expect(offer).toMatchObject({ availability: "backorder", availabilityDate: null });
    expect(offer.reason).toMatch(/"Date to be confirmed" has no ship date/);
  });

  it("still sells from stock when a pre-order plan covers an in-stock variant", () => {
    expect(offerFor({ availableQuantity: 4, inventoryPolicy: "CONTINUE" }, { sellingPlanGroups: [preOrderGroup(1, "2026-12-16T00:00:00Z")] })).toMatchObject({ availability: "in_stock", quantity: 4 });
  });

  it("is out of stock when a pre-order plan cannot sell because the policy is DENY", () => {
    const offer = offerFor({ availableQuantity: 0, inventoryPolicy: "DENY" }, { sellingPlanGroups: [preOrderGroup(1, "2026-12-16T00:00:00Z", "Winter drop")] });
    expect(offer).toMatchObject({ availability: "out_of_stock", quantity: 0 });
    expect(offer.reason).toMatch(/pre-order plan "Winter drop", but Shopify stops selling it at 0/);
  });

  it("offers products that are not active as out of stock, whatever the stock", () => {
    expect(offerFor({ availableQuantity: 30 }, { status: "DRAFT" })).toEqual({
      availability: "out_of_stock",
      quantity: 0,
      availabilityDate: null,
      reason: "The product is draft in Shopify, so it is offered as out of stock.",
    });
    expect(offerFor({ availableQuantity: 30 }, { status: "ARCHIVED" }).availability).toBe("out_of_stock");
  });
});
