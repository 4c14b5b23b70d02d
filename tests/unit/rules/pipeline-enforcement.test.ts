import { describe, expect, it } from "vitest";
import type { Product } from "../../../app/domain/catalog/types";
import { createIdScheme } from "../../../app/domain/channels/id-scheme";
import type { ChannelMappingSet } from "../../../app/domain/channels/mapping/schema";
import { offerFromStock } from "../../../app/domain/channels/offer";
import { evaluateProduct, planChannels, type CountedEvaluation } from "../../../app/domain/channels/pipeline";
import type { ChannelId, Market, OfferResolver, PromotionCheck } from "../../../app/domain/channels/types";
import { PROMOTED_WITHOUT_RESERVATION } from "../../../app/domain/rules";
import { createOfferPolicy } from "../../../app/domain/rules/offer-policy";
import { buildCatalogProduct } from "../../factories/catalog";
import { NOW, rulesOf } from "./fixtures";

const US: Market = { code: "US", currency: "USD", language: "en" };
const shop = { domain: "shelfcast-demo.myshopify.com", name: "shelfcast-demo", currency: "USD", storefrontUrl: "https://shelfcast-demo.com" };
/** TikTok Shop needs its own category and a package size; without them nothing would be ready there anyway. */
const TIKTOK_MAPPING: ChannelMappingSet = [
  {
    channel: "tiktok",
    market: "*",
    rules: {
      version: 1,
      fields: {
        channelCategoryId: [{ source: { type: "static", value: "601226" } }],
        packageDimensions: [{ source: { type: "static", value: "30 x 20 x 5 cm" } }],
      },
    } as ChannelMappingSet[number]["rules"],
  },
];

function product(tags: string[], stock = 10): Product {
  return buildCatalogProduct(
    7001,
    {
      tags,
      productType: "Shirts",
      descriptionHtml: "<p>Washed linen, relaxed fit.</p>",
      media: [{ id: "gid://shopify/MediaImage/7001", url: "https://cdn.shopify.com/s/files/shirt.jpg", altText: null, width: 1200, height: 1200 }],
    },
    [{ availableQuantity: stock, weight: 300, weightUnit: "GRAMS" }],
  );
}

function evaluate(subject: Product, channel: ChannelId, offer: OfferResolver, promotion?: PromotionCheck): CountedEvaluation {
  const [plan] = planChannels({ channels: [channel], markets: [US], shop, idScheme: createIdScheme("variant-id"), offer, promotion, mappings: TIKTOK_MAPPING, now: NOW });
  return evaluateProduct(subject, plan!);
}

const itemIdOf = (subject: Product) => subject.variants[0]!.id.split("/").pop()!;
const recordHolds = (evaluation: CountedEvaluation, itemId: string) => evaluation.records.some((record) => record.key === itemId || record.itemIds.includes(itemId));

describe("promotion enforcement in the channel pipeline", () => {
  const tagged = product(["social:tiktok"]);
  const itemId = itemIdOf(tagged);

  it("is ready on TikTok without the check (so the blocking below is the check's doing)", () => {
    for (const channel of ["tiktok", "tiktok-ads"] as const) {
      const evaluation = evaluate(tagged, channel, offerFromStock);
      expect(evaluation.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      expect(recordHolds(evaluation, itemId)).toBe(true);
    }
  });

  it("blocks a product tagged social:tiktok on TikTok when no rule protects it, and keeps it out of the records", () => {
    const policy = createOfferPolicy({ rules: null, now: NOW });
    for (const channel of ["tiktok", "tiktok-ads"] as const) {
      const evaluation = evaluate(tagged, channel, policy.resolver, policy.promotion);
      const blocking = evaluation.diagnostics.filter((d) => d.code === PROMOTED_WITHOUT_RESERVATION);
      expect(blocking).toHaveLength(1);
      expect(blocking[0]).toMatchObject({ severity: "error", channel, itemId, productId: tagged.id, variantId: tagged.variants[0]!.id, source: "shelfcast" });
      expect(blocking[0]!.message).toMatch(/Promoted on TikTok.* \(tag 'social:tiktok'\) with nothing reserved/);
      expect(recordHolds(evaluation, itemId)).toBe(false);
      expect(evaluation.counts).toMatchObject({ itemsReady: 0, itemsWithErrors: 1 });
    }
  });

  it("uses the item id of the shop's id scheme, so the safety net finds the blocked item under any scheme", () => {
    const policy = createOfferPolicy({ rules: null, now: NOW });
    const [plan] = planChannels({ channels: ["tiktok-ads"], markets: [US], shop, idScheme: createIdScheme("sku"), offer: policy.resolver, promotion: policy.promotion, mappings: [], now: NOW });
    const evaluation = evaluateProduct(tagged, plan!);
    expect(evaluation.diagnostics.find((d) => d.code === PROMOTED_WITHOUT_RESERVATION)?.itemId).toBe(tagged.variants[0]!.sku);
    expect(evaluation.records).toEqual([]);
  });

  it("lets it through with a shop-wide reserve rule, quantities buffered", () => {
    const policy = createOfferPolicy({ rules: rulesOf({ channels: ["tiktok"], rules: [{ id: "shop-buffer", scope: "shop", reserve: { units: 3 } }] }), now: NOW });
    const evaluation = evaluate(tagged, "tiktok", policy.resolver, policy.promotion);
    expect(evaluation.diagnostics.filter((d) => d.code === PROMOTED_WITHOUT_RESERVATION)).toEqual([]);
    expect(recordHolds(evaluation, itemId)).toBe(true);
    expect(evaluation.items[0]).toMatchObject({ quantity: 7, availability: "in_stock" });
  });

  it("leaves other channels and untagged products alone", () => {
    const policy = createOfferPolicy({ rules: null, now: NOW });
    expect(evaluate(tagged, "google", policy.resolver, policy.promotion).diagnostics.filter((d) => d.code.startsWith("rules."))).toEqual([]);
    const untagged = product([]);
    for (const channel of ["tiktok", "meta", "google"] as const) {
      const withCheck = evaluate(untagged, channel, policy.resolver, policy.promotion);
      const without = evaluate(untagged, channel, offerFromStock);
      expect(withCheck).toEqual(without);
    }
  });
});

describe("createOfferPolicy", () => {
  const subject = product([], 10);
  const variant = subject.variants[0]!;

  it("without rules or campaigns answers exactly as offerFromStock", () => {
    const policy = createOfferPolicy({ rules: null, now: NOW });
    expect(policy.source).toBe("stock");
    expect(policy.resolver).toBe(offerFromStock);
    expect(policy.rules.rules).toEqual([]);
  });

  it("with rules evaluates them: the channels in play share what the reserve leaves", () => {
    const policy = createOfferPolicy({ rules: rulesOf({ channels: ["meta", "tiktok"], rules: [{ id: "keep-3", scope: "shop", reserve: { units: 3 } }] }), now: NOW });
    expect(policy.source).toBe("rules");
    const meta = policy.resolver(subject, variant, "meta", US);
    const tiktok = policy.resolver(subject, variant, "tiktok", US);
    expect([meta.quantity, tiktok.quantity]).toEqual([4, 3]);
    expect(meta.reasons).toContain("3 reserved for the web store (3 units, rule 'keep-3')");
  });
});
