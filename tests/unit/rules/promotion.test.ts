import { describe, expect, it } from "vitest";
import type { ChannelId } from "../../../app/domain/channels/types";
import { checkLowStock, checkPromotion, evaluate, inventoryOf, promotionReasons, type Campaign, type Rules } from "../../../app/domain/rules";
import { campaignsOf, item, NOW, preOrderPlan, rulesOf, type ItemSpec } from "./fixtures";

function verdict(spec: ItemSpec, channel: ChannelId, rules: Rules = rulesOf(), campaigns: Campaign[] = []) {
  const { product, variant } = item(spec);
  const offer = evaluate(rules, { product, variant }, inventoryOf(variant), campaigns, channel, "US", NOW, { channelsInPlay: [channel] });
  return checkPromotion({ rules, campaigns, product, variant, channel, market: "US", now: NOW, offer });
}

const RUNNING = { startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-10T00:00:00Z" };

describe("checkPromotion", () => {
  it("blocks a product tagged for TikTok with nothing reserved", () => {
    const result = verdict({ levels: [40], tags: ["social:tiktok"] }, "tiktok");
    expect(result.verdict).toBe("blocked");
    expect(result.promotedBy).toEqual(["tag 'social:tiktok'"]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        code: "rules.promoted_without_reservation",
        severity: "error",
        channel: "tiktok",
        market: "US",
        itemId: "900101",
        productId: "gid://shopify/Product/9001",
        variantId: "gid://shopify/ProductVariant/900101",
        field: "inventory",
        value: "40",
        source: "shelfcast",
      }),
    ]);
    expect(result.diagnostics[0]?.message).toMatch(/Promoted on TikTok Shop \(tag 'social:tiktok'\) with nothing reserved/);
  });

  it("does not check a channel the tag does not promote on", () => {
    expect(verdict({ levels: [40], tags: ["social:tiktok"] }, "google")).toEqual({ verdict: "not_promoted", promotedBy: [], protectedBy: [], diagnostics: [] });
  });

  it("passes with a campaign hold running on that channel", () => {
    const campaigns = campaignsOf([{ id: "spring-drop", name: "Spring drop", channels: ["tiktok"], ...RUNNING, holds: [{ tag: "campaign:spring-drop", units: 5 }] }]);
    const result = verdict({ levels: [40], tags: ["campaign:spring-drop"] }, "tiktok", rulesOf(), campaigns);
    expect(result).toMatchObject({ verdict: "ok", promotedBy: ["tag 'campaign:spring-drop' (campaign 'Spring drop')"], protectedBy: ["campaign 'Spring drop' holds 5"], diagnostics: [] });
  });

  it("counts a running campaign's hold line as a promotion, and blocks it when it holds 0", () => {
    const campaigns = campaignsOf([{ id: "creator", name: "Creator post", channels: ["meta"], ...RUNNING, holds: [{ product: "9001", units: 0 }] }]);
    const result = verdict({ levels: [40] }, "meta", rulesOf(), campaigns);
    expect(result.verdict).toBe("blocked");
    expect(result.promotedBy).toEqual(["campaign 'Creator post'"]);
  });

  it("ignores a campaign tag whose campaign has not started or is on other channels", () => {
    const campaigns = campaignsOf([{ id: "summer", name: "Summer", channels: ["tiktok"], startsAt: "2026-06-01T00:00:00Z", endsAt: "2026-06-10T00:00:00Z", holds: [] }]);
    expect(verdict({ levels: [40], tags: ["campaign:summer"] }, "tiktok", rulesOf(), campaigns).verdict).toBe("not_promoted");
    expect(verdict({ levels: [40], tags: ["campaign:summer"] }, "meta", rulesOf(), campaigns).verdict).toBe("not_promoted");
  });

  it("treats a campaign tag naming no known campaign as promoted everywhere", () => {
    const result = verdict({ levels: [40], tags: ["campaign:mystery"] }, "pinterest");
    expect(result.verdict).toBe("blocked");
    expect(result.promotedBy[0]).toMatch(/no campaign 'mystery' is planned/);
  });

  it("passes with a web-store buffer: a reserve, or a floor on that channel", () => {
    expect(verdict({ levels: [40], tags: ["social:instagram"] }, "meta", rulesOf({ rules: [{ id: "shop", scope: "shop", reserve: { percent: 10 } }] }))).toMatchObject({
      verdict: "ok",
      protectedBy: ["web-store reserve (rule 'shop')"],
    });
    expect(verdict({ levels: [40], tags: ["social:instagram"] }, "meta", rulesOf({ rules: [{ id: "meta-floor", scope: { tag: "social:instagram" }, channels: { meta: { floor: 3 } } }] })).protectedBy).toEqual([
      "floor of 3 on meta (rule 'meta-floor')",
    ]);
    expect(verdict({ levels: [40], tags: ["social:instagram"] }, "meta", rulesOf({ rules: [{ id: "zero", scope: "shop", reserve: { units: 0 }, floor: 0 }] })).verdict).toBe("blocked");
  });

  it("passes a dated pre-order: its message is the protection", () => {
    const rules = rulesOf({ rules: [{ id: "pre", scope: "shop", preorder: { cap: 10 } }] });
    const result = verdict({ levels: [0], policy: "CONTINUE", tags: ["social:pinterest"], sellingPlanGroups: [preOrderPlan("2026-12-16T00:00:00Z")] }, "pinterest", rules);
    expect(result).toMatchObject({ verdict: "ok", protectedBy: ['pre-order message "Pre-order: ships by 16 Dec 2026"'] });
  });

  it("warns when a promoted item runs low, even when protected", () => {
    const result = verdict({ levels: [4], tags: ["social:instagram"] }, "meta", rulesOf({ rules: [{ id: "shop", scope: "shop", reserve: { units: 1 } }] }));
    expect(result.verdict).toBe("ok");
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "rules.low_stock", severity: "warning", value: "3" })]);
    expect(result.diagnostics[0]?.message).toBe("Only 3 units are offered on Meta while promoted (tag 'social:instagram'): at or below the low-stock threshold of 5.");
  });

  it("uses the rules' channel tags instead of the defaults when given", () => {
    const rules = rulesOf({ promotion: { channelTags: { "tiktok-live": ["tiktok"] } } });
    const { product, variant } = item({ tags: ["tiktok-live", "social:instagram"] });
    expect(promotionReasons(rules, [], product, variant, "tiktok", "US", NOW)).toEqual(["tag 'tiktok-live'"]);
    expect(promotionReasons(rules, [], product, variant, "meta", "US", NOW)).toEqual([]);
  });
});

describe("checkLowStock", () => {
  const { product, variant } = item();
  const base = { product, variant, channel: "tiktok" as const, market: "US", threshold: 5 };

  it("warns at or below the threshold, and says when nothing is offered", () => {
    expect(checkLowStock({ ...base, offer: { availability: "in_stock", quantity: 6, availabilityDate: null, reason: "" } })).toEqual([]);
    expect(checkLowStock({ ...base, offer: { availability: "in_stock", quantity: 5, availabilityDate: null, reason: "" } })[0]?.message).toMatch(/^Only 5 units are offered on TikTok Shop/);
    expect(checkLowStock({ ...base, offer: { availability: "out_of_stock", quantity: 0, availabilityDate: null, reason: "" } })[0]?.message).toMatch(/^Nothing is offered on TikTok Shop/);
  });

  it("says nothing without a count", () => {
    expect(checkLowStock({ ...base, offer: { availability: "in_stock", quantity: null, availabilityDate: null, reason: "" } })).toEqual([]);
  });
});
