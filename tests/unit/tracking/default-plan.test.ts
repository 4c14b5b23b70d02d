import { describe, expect, it } from "vitest";
import { checkPlan } from "../../../app/domain/tracking/check-plan";
import { DEFAULT_TRACKING_PLAN, createDefaultTrackingPlan } from "../../../app/domain/tracking/default-plan";
import { PLAN_LIMITS, formatPlanPath, parseTrackingPlan } from "../../../app/domain/tracking/plan-schema";
import { isStandardEventName, legacyTikTokEvent } from "../../../app/domain/tracking/platforms";
import type { Platform, TrackingPlan } from "../../../app/domain/tracking/types";

function destinationsOf(plan: TrackingPlan, shopifyEvent: string) {
  return plan.events.find((event) => event.shopifyEvent === shopifyEvent)?.destinations ?? [];
}

function nameOn(plan: TrackingPlan, shopifyEvent: string, platform: Platform) {
  const found = destinationsOf(plan, shopifyEvent).find((d) => d.platform === platform);
  return found ? [found.eventName, found.serverEventName ?? null] : null;
}

describe("DEFAULT_TRACKING_PLAN", () => {
  it("passes every plan check with zero errors (and zero findings)", () => {
    const findings = checkPlan(DEFAULT_TRACKING_PLAN);
    expect(findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(findings).toEqual([]);
  });

  it("is a valid plan by the save-time schema", () => {
    expect(parseTrackingPlan(JSON.stringify(DEFAULT_TRACKING_PLAN))).toEqual({ ok: true, plan: DEFAULT_TRACKING_PLAN });
  });

  it("follows the mapping table: TikTok 2025 names, Pinterest tag codes with CAPI names, GA4", () => {
    const plan = DEFAULT_TRACKING_PLAN;
    expect(nameOn(plan, "checkout_completed", "meta")).toEqual(["Purchase", null]);
    expect(nameOn(plan, "checkout_completed", "tiktok")).toEqual(["Purchase", null]);
    expect(nameOn(plan, "checkout_completed", "pinterest")).toEqual(["checkout", "checkout"]);
    expect(nameOn(plan, "checkout_completed", "ga4")).toEqual(["purchase", null]);
    expect(nameOn(plan, "product_added_to_cart", "pinterest")).toEqual(["addtocart", "add_to_cart"]);
    expect(nameOn(plan, "collection_viewed", "pinterest")).toEqual(["viewcategory", "view_category"]);
    expect(nameOn(plan, "product_viewed", "ga4")).toEqual(["view_item", null]);
    expect(nameOn(plan, "checkout_started", "pinterest")).toBeNull();
    expect(nameOn(plan, "product_removed_from_cart", "meta")).toBeNull();
    for (const event of plan.events) {
      for (const d of event.destinations) {
        expect(isStandardEventName(d.platform, d.eventName, "browser"), `${event.shopifyEvent} → ${d.platform}`).toBe(true);
        if (d.platform === "tiktok") expect(legacyTikTokEvent(d.eventName)).toBeNull();
      }
    }
  });

  it("uses one value definition per event on every platform (GA4's subtotal for checkouts)", () => {
    for (const event of DEFAULT_TRACKING_PLAN.events) {
      const definitions = new Set(event.destinations.filter((d) => d.valueDefinition !== "none").map((d) => d.valueDefinition));
      expect(definitions.size, event.shopifyEvent).toBeLessThanOrEqual(1);
    }
    expect(new Set(destinationsOf(DEFAULT_TRACKING_PLAN, "checkout_completed").map((d) => d.valueDefinition))).toEqual(new Set(["subtotal"]));
    expect(new Set(destinationsOf(DEFAULT_TRACKING_PLAN, "product_added_to_cart").map((d) => d.valueDefinition))).toEqual(new Set(["line_total"]));
  });

  it("carries the purchase parameters each platform requires", () => {
    const purchase = destinationsOf(DEFAULT_TRACKING_PLAN, "checkout_completed");
    for (const d of purchase) expect(d.parameters, d.platform).toEqual(expect.arrayContaining(["value", "currency"]));
    expect(purchase.find((d) => d.platform === "ga4")?.parameters).toEqual(expect.arrayContaining(["transaction_id", "items"]));
    expect(purchase.find((d) => d.platform === "meta")?.parameters).toEqual(expect.arrayContaining(["content_ids", "content_type", "contents"]));
  });

  it("uses presentment currency, variant-level ids in the feeds' default scheme, purposes and windows per platform", () => {
    const plan = DEFAULT_TRACKING_PLAN;
    expect(plan).toMatchObject({ version: 1, idScheme: "variant-id", currencySource: "presentment", customEventPrefix: "shelfcast:" });
    expect(plan.platforms.map((s) => [s.platform, s.purpose, s.contentType, s.enabled])).toEqual([
      ["meta", "marketing", "product", true],
      ["tiktok", "marketing", "product", true],
      ["pinterest", "marketing", "product", true],
      ["ga4", "analytics", "product", true],
    ]);
    expect(plan.platforms.find((s) => s.platform === "meta")?.attributionWindow).toMatchObject({ clickDays: 7, viewDays: 1 });
    expect(plan.platforms.find((s) => s.platform === "tiktok")?.attributionWindow).toMatchObject({ clickDays: 7, viewDays: 1 });
    expect(plan.platforms.find((s) => s.platform === "ga4")?.attributionWindow?.note).toContain("90-day");
    expect(plan.platforms.filter((s) => s.serverSide).map((s) => s.platform)).toEqual(["meta", "tiktok"]);
  });

  it("is frozen, and createDefaultTrackingPlan gives an independent copy", () => {
    expect(Object.isFrozen(DEFAULT_TRACKING_PLAN.events[0]?.destinations)).toBe(true);
    const copy = createDefaultTrackingPlan();
    copy.events[0]?.destinations.pop();
    expect(copy.events[0]?.destinations.length).toBe((DEFAULT_TRACKING_PLAN.events[0]?.destinations.length ?? 0) - 1);
  });
});

describe("parseTrackingPlan", () => {
  function invalid(change: (plan: Record<string, unknown> & TrackingPlan) => void) {
    const plan = JSON.parse(JSON.stringify(DEFAULT_TRACKING_PLAN)) as Record<string, unknown> & TrackingPlan;
    change(plan);
    const result = parseTrackingPlan(plan);
    if (result.ok) throw new Error("expected the plan to be rejected");
    return result.errors;
  }

  it("rejects text that is not JSON and text over the size limit", () => {
    expect(parseTrackingPlan("{oops")).toMatchObject({ ok: false, errors: [{ path: "", message: expect.stringContaining("not valid JSON") }] });
    expect(parseTrackingPlan(" ".repeat(PLAN_LIMITS.maxJsonChars + 1))).toMatchObject({ ok: false, errors: [{ path: "" }] });
  });

  it("reports the path of a bad value", () => {
    const errors = invalid((plan) => {
      const destination = plan.events[3]?.destinations[1];
      if (destination) destination.eventName = " ViewContent";
    });
    expect(errors).toEqual([{ path: "events[3].destinations[1].eventName", message: expect.stringContaining("spaces") }]);
  });

  it("rejects unknown platforms, schemes and purposes", () => {
    const errors = invalid((plan) => {
      (plan as { idScheme: string }).idScheme = "handle";
      (plan.platforms[0] as { purpose: string }).purpose = "ads";
    });
    expect(errors.map((e) => e.path)).toEqual(["idScheme", "platforms[0].purpose"]);
  });

  it("bounds sizes: parameter lists, events, day counts", () => {
    expect(invalid((plan) => {
      const destination = plan.events[0]?.destinations[0];
      if (destination) destination.parameters = Array.from({ length: PLAN_LIMITS.maxParameters + 1 }, (_, i) => `p${i}`);
    }).map((e) => e.path)).toEqual(["events[0].destinations[0].parameters"]);
    expect(invalid((plan) => {
      plan.events = Array.from({ length: PLAN_LIMITS.maxEvents + 1 }, () => ({ shopifyEvent: "page_viewed", destinations: [] }));
    }).map((e) => e.path)).toEqual(["events"]);
    expect(invalid((plan) => {
      const settings = plan.platforms[0];
      if (settings) settings.attributionWindow = { clickDays: 7.5, viewDays: 1000 };
    }).map((e) => e.path)).toEqual(["platforms[0].attributionWindow.clickDays", "platforms[0].attributionWindow.viewDays"]);
  });

  it("rejects a platform listed twice and a destination whose platform has no settings", () => {
    const errors = invalid((plan) => {
      const ga4 = plan.platforms[3];
      if (ga4) plan.platforms = [plan.platforms[0]!, plan.platforms[1]!, plan.platforms[2]!, { ...ga4, platform: "meta" }];
    });
    expect(errors.map((e) => e.path)).toContain("platforms[3].platform");
    expect(errors.some((e) => /^events\[\d+\]\.destinations\[\d+\]\.platform$/.test(e.path) && e.message.includes("ga4"))).toBe(true);
  });

  it("rejects parameter keys that are not identifiers and a custom prefix without a separator", () => {
    const errors = invalid((plan) => {
      const destination = plan.events[0]?.destinations[0];
      if (destination) destination.parameters = ["content ids"];
      plan.customEventPrefix = "shelfcast";
    });
    expect(errors.map((e) => e.path)).toEqual(["customEventPrefix", "events[0].destinations[0].parameters[0]"]);
  });

  it("formats paths the way findings cite them", () => {
    expect(formatPlanPath(["events", 3, "destinations", 1, "eventName"])).toBe("events[3].destinations[1].eventName");
    expect(formatPlanPath([])).toBe("");
  });
});
