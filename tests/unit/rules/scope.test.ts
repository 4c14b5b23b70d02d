import { describe, expect, it } from "vitest";
import { matchingRules, resolveRules } from "../../../app/domain/rules";
import { item, rulesOf } from "./fixtures";

const subject = item({ tags: ["Limited", "social:tiktok"], productType: "Shirts", collectionIds: ["gid://shopify/Collection/501"] });
const { product, variant } = subject;

describe("resolveRules", () => {
  it("lets the most specific scope win, setting by setting", () => {
    const rules = rulesOf({
      rules: [
        { id: "variant", scope: { variant: "900101" }, cap: 1 },
        { id: "product", scope: { product: "9001" }, cap: 2, floor: 7 },
        { id: "tag", scope: { tag: "limited" }, cap: 3, reserve: { units: 4 } },
        { id: "type", scope: { productType: "shirts" }, cap: 4, continueSelling: { cap: 9 } },
        { id: "collection", scope: { collection: "501" }, cap: 5, preorder: { cap: 11 } },
        { id: "shop", scope: "shop", cap: 6, floor: 1, reserve: { percent: 10 }, preorder: { cap: 12, releaseDate: "2027-01-12" } },
      ],
    });
    const effective = resolveRules(rules, product, variant, "US");
    expect(effective.matches.map((match) => match.rule.id)).toEqual(["variant", "product", "tag", "type", "collection", "shop"]);
    expect(effective.channels.meta.cap).toEqual({ value: 1, ruleId: "variant" });
    expect(effective.channels.meta.floor).toEqual({ value: 7, ruleId: "product" });
    expect(effective.reserve).toEqual({ value: { units: 4 }, ruleId: "tag" });
    expect(effective.continueSelling).toEqual({ value: { cap: 9 }, ruleId: "type" });
    expect(effective.preorderCap).toEqual({ value: 11, ruleId: "collection" });
    expect(effective.preorderReleaseDate).toEqual({ value: "2027-01-12T00:00:00Z", ruleId: "shop" });
    expect(effective.channels.meta.weight).toBeNull();
  });

  it("lets the later rule win within one level", () => {
    const rules = rulesOf({
      rules: [
        { id: "first-tag", scope: { tag: "limited" }, cap: 3 },
        { id: "second-tag", scope: { tag: "social:tiktok" }, cap: 8 },
      ],
    });
    expect(resolveRules(rules, product, variant, "US").channels.tiktok.cap).toEqual({ value: 8, ruleId: "second-tag" });
  });

  it("prefers a rule's per-channel value to its general one, but not to a more specific rule", () => {
    const rules = rulesOf({
      rules: [
        { id: "shop", scope: "shop", cap: 20, channels: { tiktok: { cap: 10, weight: 2 } } },
        { id: "product", scope: { product: "9001" }, cap: 3 },
      ],
    });
    const effective = resolveRules(rules, product, variant, "US");
    expect(effective.channels.tiktok.cap).toEqual({ value: 3, ruleId: "product" });
    expect(effective.channels.tiktok.weight).toEqual({ value: 2, ruleId: "shop" });
    const shopOnly = resolveRules(rulesOf({ rules: [{ id: "shop", scope: "shop", cap: 20, channels: { tiktok: { cap: 10 } } }] }), product, variant, "US");
    expect(shopOnly.channels.tiktok.cap?.value).toBe(10);
    expect(shopOnly.channels.meta.cap?.value).toBe(20);
  });

  it("applies a rule with markets only in those markets, and ignores rules for other products", () => {
    const rules = rulesOf({
      rules: [
        { id: "eu-only", scope: "shop", markets: ["DE", "FR"], cap: 2 },
        { id: "other-product", scope: { product: "1" }, cap: 1 },
        { id: "other-collection", scope: { collection: "502" }, cap: 1 },
        { id: "other-type", scope: { productType: "Lamps" }, cap: 1 },
      ],
    });
    expect(matchingRules(rules, product, variant, "US")).toEqual([]);
    expect(matchingRules(rules, product, variant, "DE").map((match) => match.rule.id)).toEqual(["eu-only"]);
  });
});
