import { describe, expect, it } from "vitest";
import { evaluate } from "../../../app/domain/rules";
import { offerMessageValue, storefrontOffer } from "../../../app/domain/storefront/offer-message";
import { campaignsOf, item, metafield, NOW, preOrderPlan, rulesOf } from "../rules/fixtures";

describe("the storefront's offer message", () => {
  const rules = rulesOf({ lowStockAt: 5, rules: [{ id: "keep", scope: "shop", reserve: { units: 2 } }, { id: "candles", scope: { productType: "Candles" }, continueSelling: { cap: 12 } }] });

  it.each([
    ["plenty in stock", item({ levels: [40] }), { message: "In stock", availability: "in_stock", date: null }],
    // The web store sells the whole stock, so "Only N left" counts it, not a channel's share.
    ["a few left", item({ levels: [2, 1] }), { message: "Only 3 left", availability: "in_stock", date: null }],
    ["sold out", item({ levels: [0] }), { message: "Out of stock", availability: "out_of_stock", date: null }],
    [
      "a dated pre-order",
      item({ levels: [0], policy: "CONTINUE", sellingPlanGroups: [preOrderPlan("2027-01-12T00:00:00Z")], variantMetafields: [metafield("shelfcast.preorder_cap", "30", "number_integer")] }),
      { message: "Pre-order: ships by 12 Jan 2027", availability: "preorder", date: "2027-01-12" },
    ],
    ["kept selling without a date", item({ levels: [0], policy: "CONTINUE", productType: "Candles" }), { message: "Available for order", availability: "backorder", date: null }],
    ["a draft", item({ levels: [40], status: "DRAFT" }), { message: "Out of stock", availability: "out_of_stock", date: null }],
  ])("%s", (_name, target, expected) => {
    expect(storefrontOffer({ rules, campaigns: [], ...target, market: "US", now: NOW })).toEqual(expected);
  });

  it("says what the channels say about ships-later offers", () => {
    const target = item({ levels: [0], policy: "CONTINUE", sellingPlanGroups: [preOrderPlan("2027-01-12T00:00:00Z")], variantMetafields: [metafield("shelfcast.preorder_cap", "30", "number_integer")] });
    const channel = evaluate(rules, target, { tracked: true, policy: "CONTINUE", levels: target.variant.inventoryItem.levels, total: 0 }, [], "meta", "US", NOW);
    expect(storefrontOffer({ rules, campaigns: [], ...target, market: "US", now: NOW }).message).toBe(channel.message);
  });

  it("is not changed by campaign holds: they share out the channels' units, not the store's stock", () => {
    const campaigns = campaignsOf([{ id: "drop", name: "Drop", channels: ["tiktok"], startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-10T00:00:00Z", holds: [{ product: "9001", units: 30 }] }]);
    const target = item({ levels: [4] });
    expect(storefrontOffer({ rules, campaigns, ...target, market: "US", now: NOW }).message).toBe("Only 4 left");
  });

  it("serialises the same offer to the same value", () => {
    const value = offerMessageValue({ availability: "preorder", date: "2027-01-12", message: "Pre-order: ships by 12 Jan 2027" });
    expect(value).toBe('{"message":"Pre-order: ships by 12 Jan 2027","availability":"preorder","date":"2027-01-12"}');
  });
});
