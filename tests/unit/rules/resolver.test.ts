import { describe, expect, it } from "vitest";
import { createIdScheme } from "../../../app/domain/channels/id-scheme";
import { evaluateProduct, planChannels } from "../../../app/domain/channels/pipeline";
import type { Market, OfferResolver } from "../../../app/domain/channels/types";
import { createOfferResolver } from "../../../app/domain/rules";
import { buildCatalogProduct } from "../../factories/catalog";
import { campaignsOf, NOW, rulesOf } from "./fixtures";

const US: Market = { code: "US", currency: "USD", language: "en" };
const shop = { domain: "shelfcast-demo.myshopify.com", name: "shelfcast-demo", currency: "USD", storefrontUrl: "https://shelfcast-demo.com" };

describe("createOfferResolver", () => {
  const rules = rulesOf({ channels: ["meta", "tiktok"], rules: [{ id: "shop", scope: "shop", reserve: { units: 2 } }] });
  const campaigns = campaignsOf([{ id: "spring", name: "Spring drop", channels: ["tiktok"], startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-10T00:00:00Z", holds: [{ product: "7001", units: 4 }] }]);
  const product = buildCatalogProduct(7001, {}, [{ availableQuantity: 20 }]);
  const variant = product.variants[0]!;

  it("answers the OfferResolver signature with the split offers", () => {
    const resolve: OfferResolver = createOfferResolver({ rules, campaigns, now: NOW });
    expect(resolve(product, variant, "meta", US)).toMatchObject({ availability: "in_stock", quantity: 7, message: "In stock" });
    expect(resolve(product, variant, "tiktok", US)).toMatchObject({ quantity: 4 + 7 });
    expect(resolve(product, variant, "tiktok", US).reasons).toContain("4 held for campaign 'Spring drop' on tiktok");
  });

  it("lets the caller name the channels in play", () => {
    const resolve = createOfferResolver({ rules, now: NOW, channelsInPlay: ["meta", "tiktok", "google"] });
    expect([resolve(product, variant, "meta", US).quantity, resolve(product, variant, "tiktok", US).quantity, resolve(product, variant, "google", US).quantity]).toEqual([6, 6, 6]);
  });

  it("plugs into the channel pipeline in place of offerFromStock", () => {
    const [plan] = planChannels({ channels: ["meta"], markets: [US], shop, idScheme: createIdScheme("variant-id"), offer: createOfferResolver({ rules, campaigns, now: NOW }), mappings: [], now: NOW });
    const evaluation = evaluateProduct(product, plan!);
    expect(evaluation.items[0]).toMatchObject({ availability: "in_stock", quantity: 7 });
  });
});
