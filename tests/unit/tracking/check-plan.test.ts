import { describe, expect, it } from "vitest";
import { checkPlan } from "../../../app/domain/tracking/check-plan";
import { createDefaultTrackingPlan } from "../../../app/domain/tracking/default-plan";
import type { Finding, Platform, PlanDestinationEvent, PlanPlatformSettings, TrackingPlan } from "../../../app/domain/tracking/types";

/** The default plan (which passes every check) with one deliberate change. */
function planWith(change: (plan: TrackingPlan) => void): TrackingPlan {
  const plan = createDefaultTrackingPlan();
  change(plan);
  return plan;
}

function eventIndex(plan: TrackingPlan, shopifyEvent: string): number {
  const index = plan.events.findIndex((event) => event.shopifyEvent === shopifyEvent);
  if (index < 0) throw new Error(`no ${shopifyEvent} in the plan`);
  return index;
}

function destinationIndex(plan: TrackingPlan, shopifyEvent: string, platform: Platform): number {
  const index = plan.events[eventIndex(plan, shopifyEvent)]?.destinations.findIndex((d) => d.platform === platform) ?? -1;
  if (index < 0) throw new Error(`no ${platform} destination for ${shopifyEvent}`);
  return index;
}

function destination(plan: TrackingPlan, shopifyEvent: string, platform: Platform): PlanDestinationEvent {
  const found = plan.events[eventIndex(plan, shopifyEvent)]?.destinations[destinationIndex(plan, shopifyEvent, platform)];
  if (!found) throw new Error("unreachable");
  return found;
}

function settings(plan: TrackingPlan, platform: Platform): PlanPlatformSettings {
  const found = plan.platforms.find((s) => s.platform === platform);
  if (!found) throw new Error(`no ${platform} settings`);
  return found;
}

function path(plan: TrackingPlan, shopifyEvent: string, platform: Platform, field: string): string {
  return `events[${eventIndex(plan, shopifyEvent)}].destinations[${destinationIndex(plan, shopifyEvent, platform)}].${field}`;
}

function ofCheck(plan: TrackingPlan, check: number): Finding[] {
  return checkPlan(plan).filter((f) => f.check === check);
}

function withoutParameter(d: PlanDestinationEvent, key: string): void {
  d.parameters = d.parameters.filter((p) => p !== key);
}

describe("checkPlan on the default plan", () => {
  it("finds nothing", () => {
    expect(checkPlan(createDefaultTrackingPlan())).toEqual([]);
  });
});

describe("check 3: destination event neither standard nor declared custom", () => {
  it("fails an unknown Meta name, suggesting the standard one", () => {
    const plan = planWith((p) => {
      destination(p, "product_added_to_cart", "meta").eventName = "AddToBasket";
    });
    const findings = ofCheck(plan, 3);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: "pixel.unknown_event_name",
      check: 3,
      severity: "error",
      platform: "meta",
      evidence: { source: "plan", location: path(plan, "product_added_to_cart", "meta", "eventName"), excerpt: "AddToBasket" },
    });
    expect(findings[0]?.fix).toContain('"AddToCart"');
  });

  it("fails a Meta server name that is TikTok's legacy name", () => {
    const plan = planWith((p) => {
      destination(p, "checkout_completed", "meta").serverEventName = "CompletePayment";
    });
    expect(ofCheck(plan, 3)).toMatchObject([{ code: "pixel.unknown_event_name", evidence: { location: path(plan, "checkout_completed", "meta", "serverEventName") } }]);
  });

  it("only warns for GA4, which still records custom events", () => {
    const plan = planWith((p) => {
      destination(p, "checkout_completed", "ga4").eventName = "order_completed";
    });
    expect(ofCheck(plan, 3)).toMatchObject([{ code: "pixel.unknown_event_name", severity: "warning", platform: "ga4" }]);
  });

  it("passes a name the plan declares custom", () => {
    const plan = planWith((p) => {
      p.events.push({ shopifyEvent: "shelfcast:wishlist_add", destinations: [{ platform: "meta", eventName: "WishlistAdd", parameters: [], valueDefinition: "none", custom: true }] });
    });
    expect(checkPlan(plan)).toEqual([]);
  });
});

describe("check 4: casing or spelling mismatch", () => {
  it("fails Meta purchase in lower case", () => {
    const plan = planWith((p) => {
      destination(p, "checkout_completed", "meta").eventName = "purchase";
    });
    const findings = checkPlan(plan);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      code: "pixel.event_name_spelling",
      check: 4,
      severity: "error",
      platform: "meta",
      evidence: { location: path(plan, "checkout_completed", "meta", "eventName"), excerpt: "purchase" },
    });
    expect(findings[0]?.fix).toContain('"Purchase"');
  });

  it("fails the Pinterest CAPI spelling used as a tag code, and TitleCase on the CAPI", () => {
    const plan = planWith((p) => {
      const d = destination(p, "product_added_to_cart", "pinterest");
      d.eventName = "add_to_cart";
      d.serverEventName = "AddToCart";
    });
    const findings = ofCheck(plan, 4);
    expect(findings.map((f) => [f.code, f.evidence.location])).toEqual([
      ["pixel.event_name_spelling", path(plan, "product_added_to_cart", "pinterest", "eventName")],
      ["pixel.event_name_spelling", path(plan, "product_added_to_cart", "pinterest", "serverEventName")],
    ]);
    expect(findings[0]?.message).toContain('"addtocart"');
    expect(findings[1]?.fix).toContain('"add_to_cart"');
  });

  it("fails GA4 camelCase", () => {
    const plan = planWith((p) => {
      destination(p, "product_added_to_cart", "ga4").eventName = "addToCart";
    });
    expect(ofCheck(plan, 4)).toMatchObject([{ code: "pixel.event_name_spelling", platform: "ga4", fix: expect.stringContaining('"add_to_cart"') }]);
  });

  it("fails Pinterest forwarded server-side without a CAPI name", () => {
    const plan = planWith((p) => {
      settings(p, "pinterest").serverSide = true;
      delete destination(p, "product_added_to_cart", "pinterest").serverEventName;
    });
    expect(ofCheck(plan, 4)).toMatchObject([
      { code: "pixel.pinterest_server_name_missing", check: 4, severity: "error", evidence: { location: path(plan, "product_added_to_cart", "pinterest", "serverEventName") } },
    ]);
  });

  it("passes exact spellings, and a tag-only Pinterest destination when nothing is forwarded", () => {
    const plan = planWith((p) => {
      delete destination(p, "product_added_to_cart", "pinterest").serverEventName;
    });
    expect(ofCheck(plan, 4)).toEqual([]);
  });
});

describe("check 5: legacy TikTok names", () => {
  it("notes CompletePayment as info and nothing else", () => {
    const plan = planWith((p) => {
      destination(p, "checkout_completed", "tiktok").eventName = "CompletePayment";
    });
    expect(checkPlan(plan)).toMatchObject([
      { code: "pixel.legacy_tiktok_event", check: 5, severity: "info", platform: "tiktok", evidence: { location: path(plan, "checkout_completed", "tiktok", "eventName") } },
    ]);
    expect(checkPlan(plan)[0]?.fix).toContain('"Purchase"');
  });

  it("warns on PlaceAnOrder with the 2027 sunset", () => {
    const plan = planWith((p) => {
      destination(p, "checkout_completed", "tiktok").eventName = "PlaceAnOrder";
    });
    const [finding] = ofCheck(plan, 5);
    expect(finding).toMatchObject({ code: "pixel.legacy_tiktok_event", check: 5, severity: "warning" });
    expect(finding?.message).toContain("2027");
  });

  it("passes the 2025 name", () => {
    expect(ofCheck(createDefaultTrackingPlan(), 5)).toEqual([]);
  });
});

describe("check 6: one business event, one name per platform", () => {
  it("fails Purchase in the browser and CompletePayment on the server", () => {
    const plan = planWith((p) => {
      destination(p, "checkout_completed", "tiktok").serverEventName = "CompletePayment";
    });
    expect(ofCheck(plan, 6)).toMatchObject([
      { code: "pixel.browser_server_name_mismatch", check: 6, severity: "error", platform: "tiktok", evidence: { location: path(plan, "checkout_completed", "tiktok", "serverEventName") } },
    ]);
    expect(ofCheck(plan, 6)[0]?.fix).toBe('Set the server-side name to "Purchase".');
  });

  it("fails one Shopify event sent twice to the same platform", () => {
    const plan = planWith((p) => {
      p.events[eventIndex(p, "checkout_completed")]?.destinations.push({
        platform: "tiktok",
        eventName: "CompletePayment",
        parameters: ["value", "currency"],
        valueDefinition: "subtotal",
      });
    });
    const completed = eventIndex(plan, "checkout_completed");
    const sentTwice = ofCheck(plan, 6).filter((f) => f.code === "pixel.event_sent_twice");
    expect(sentTwice).toMatchObject([{ check: 6, severity: "error", platform: "tiktok", evidence: { location: `events[${completed}].destinations[4]` } }]);
    expect(sentTwice[0]?.message).toContain('"Purchase" and "CompletePayment"');
  });

  it("fails InitiateCheckout sent from both checkout_started and payment_info_submitted", () => {
    const plan = planWith((p) => {
      destination(p, "payment_info_submitted", "tiktok").eventName = "InitiateCheckout";
    });
    expect(ofCheck(plan, 6)).toMatchObject([
      { code: "pixel.event_name_shared", check: 6, severity: "error", platform: "tiktok", evidence: { location: path(plan, "payment_info_submitted", "tiktok", "eventName") } },
    ]);
    expect(ofCheck(plan, 6)[0]?.fix).toContain('map payment_info_submitted to "AddPaymentInfo"');
  });

  it("passes matching browser and server names (Pinterest tag code and its CAPI name)", () => {
    const plan = planWith((p) => {
      destination(p, "checkout_completed", "meta").serverEventName = "Purchase";
    });
    expect(destination(plan, "product_added_to_cart", "pinterest")).toMatchObject({ eventName: "addtocart", serverEventName: "add_to_cart" });
    expect(ofCheck(plan, 6)).toEqual([]);
  });
});

describe("check 7: semantic mis-mapping", () => {
  it("fails checkout_started sent to Pinterest as checkout (a completed transaction)", () => {
    const plan = planWith((p) => {
      p.events[eventIndex(p, "checkout_started")]?.destinations.push({
        platform: "pinterest",
        eventName: "checkout",
        serverEventName: "checkout",
        parameters: ["value", "currency", "line_items"],
        valueDefinition: "subtotal",
      });
    });
    const findings = ofCheck(plan, 7);
    expect(findings).toMatchObject([
      { code: "pixel.event_mismapped", check: 7, severity: "error", platform: "pinterest", evidence: { location: path(plan, "checkout_started", "pinterest", "eventName") } },
    ]);
    expect(findings[0]?.message).toContain("completed transaction");
  });

  it("warns on product_viewed sent to GA4 as view_item_list", () => {
    const plan = planWith((p) => {
      destination(p, "product_viewed", "ga4").eventName = "view_item_list";
    });
    const findings = ofCheck(plan, 7);
    expect(findings).toMatchObject([{ code: "pixel.event_mismapped", check: 7, severity: "warning", platform: "ga4" }]);
    expect(findings[0]?.fix).toBe('Change the event name to "view_item".');
  });

  it("fails a purchase sent to Meta as a custom event", () => {
    const plan = planWith((p) => {
      const d = destination(p, "checkout_completed", "meta");
      d.eventName = "ShelfcastOrder";
      d.custom = true;
    });
    expect(ofCheck(plan, 7)).toMatchObject([{ code: "pixel.standard_event_sent_as_custom", check: 7, severity: "error", platform: "meta" }]);
  });

  it("passes the documented alternatives: Meta ViewContent for collections, TikTok CompletePayment for purchases", () => {
    const plan = planWith((p) => {
      p.events[eventIndex(p, "collection_viewed")]?.destinations.push({ platform: "meta", eventName: "ViewContent", parameters: ["content_ids", "content_type"], valueDefinition: "none" });
      destination(p, "checkout_completed", "tiktok").eventName = "CompletePayment";
    });
    expect(ofCheck(plan, 7)).toEqual([]);
  });
});

describe("check 9: purchase without value and currency", () => {
  it("fails a Meta Purchase without currency", () => {
    const plan = planWith((p) => withoutParameter(destination(p, "checkout_completed", "meta"), "currency"));
    const findings = ofCheck(plan, 9);
    expect(findings).toMatchObject([
      { code: "pixel.purchase_missing_value_currency", check: 9, severity: "error", platform: "meta", evidence: { location: path(plan, "checkout_completed", "meta", "parameters") } },
    ]);
    expect(findings[0]?.message).toContain("without currency");
  });

  it("fails a Pinterest checkout without value and currency", () => {
    const plan = planWith((p) => {
      const d = destination(p, "checkout_completed", "pinterest");
      withoutParameter(d, "currency");
      withoutParameter(d, "value");
      d.valueDefinition = "none";
    });
    expect(ofCheck(plan, 9)).toMatchObject([{ code: "pixel.purchase_missing_value_currency", platform: "pinterest", fix: expect.stringContaining("value and currency") }]);
  });

  it("warns on a value sent without its currency", () => {
    const plan = planWith((p) => withoutParameter(destination(p, "product_viewed", "ga4"), "currency"));
    expect(ofCheck(plan, 9)).toMatchObject([{ code: "pixel.value_without_currency", check: 9, severity: "warning", platform: "ga4" }]);
  });

  it("passes purchases carrying both", () => {
    expect(ofCheck(createDefaultTrackingPlan(), 9)).toEqual([]);
  });
});

describe("check 11: one value definition per event", () => {
  it("fails TikTok reporting the total where the others report the subtotal", () => {
    const plan = planWith((p) => {
      destination(p, "checkout_completed", "tiktok").valueDefinition = "total";
    });
    const findings = ofCheck(plan, 11);
    expect(findings).toMatchObject([
      { code: "pixel.value_definition_differs", check: 11, severity: "warning", platform: null, evidence: { location: `events[${eventIndex(plan, "checkout_completed")}]` } },
    ]);
    expect(findings[0]?.message).toContain("subtotal on Meta, Pinterest and Google Analytics 4; total on TikTok");
    expect(findings[0]?.fix).toContain('"subtotal"');
  });

  it("flags GA4 value with tax and shipping", () => {
    const plan = planWith((p) => {
      for (const d of p.events[eventIndex(p, "checkout_completed")]?.destinations ?? []) d.valueDefinition = "total";
    });
    expect(ofCheck(plan, 11)).toMatchObject([
      { code: "pixel.value_includes_tax_shipping", check: 11, platform: "ga4", evidence: { location: path(plan, "checkout_completed", "ga4", "valueDefinition") } },
    ]);
  });

  it("flags a unit price where the line total belongs", () => {
    const plan = planWith((p) => {
      for (const d of p.events[eventIndex(p, "product_added_to_cart")]?.destinations ?? []) d.valueDefinition = "unit_price";
      destination(p, "product_added_to_cart", "pinterest").valueDefinition = "unit_price";
    });
    const codes = ofCheck(plan, 11).map((f) => `${f.code}:${f.platform ?? ""}`);
    expect(codes).toEqual(["pixel.value_is_unit_price:meta", "pixel.value_is_unit_price:tiktok", "pixel.value_is_unit_price:pinterest", "pixel.value_is_unit_price:ga4"]);
  });

  it("flags a value whose meaning the plan does not state", () => {
    const plan = planWith((p) => {
      for (const d of p.events[eventIndex(p, "cart_viewed")]?.destinations ?? []) d.valueDefinition = "none";
    });
    expect(ofCheck(plan, 11)).toMatchObject([{ code: "pixel.value_definition_missing", check: 11, platform: "ga4", fix: expect.stringContaining('"subtotal"') }]);
  });

  it("passes one definition per event", () => {
    expect(ofCheck(createDefaultTrackingPlan(), 11)).toEqual([]);
  });
});

describe("check 12: currency drift", () => {
  it("fails the shop currency as the source", () => {
    const plan = planWith((p) => {
      p.currencySource = "shop";
    });
    expect(checkPlan(plan)).toMatchObject([
      { code: "pixel.currency_source_drift", check: 12, severity: "error", platform: null, evidence: { source: "plan", location: "currencySource", excerpt: "shop" } },
    ]);
  });

  it("passes the presentment currency", () => {
    expect(createDefaultTrackingPlan().currencySource).toBe("presentment");
    expect(ofCheck(createDefaultTrackingPlan(), 12)).toEqual([]);
  });
});

describe("check 14: content_type vs id granularity", () => {
  it("fails product groups on Pinterest, which matches item ids only", () => {
    const plan = planWith((p) => {
      settings(p, "pinterest").contentType = "product_group";
    });
    expect(ofCheck(plan, 14)).toMatchObject([
      { code: "pixel.content_type_not_supported", check: 14, severity: "error", platform: "pinterest", evidence: { location: `platforms[${plan.platforms.findIndex((s) => s.platform === "pinterest")}].contentType` } },
    ]);
  });

  it("warns on Meta content ids sent without content_type", () => {
    const plan = planWith((p) => withoutParameter(destination(p, "checkout_started", "meta"), "content_type"));
    expect(ofCheck(plan, 14)).toMatchObject([
      { code: "pixel.content_type_missing", check: 14, severity: "warning", platform: "meta", evidence: { location: path(plan, "checkout_started", "meta", "parameters") } },
    ]);
  });

  it("passes product groups on Meta, which knows them", () => {
    const plan = planWith((p) => {
      settings(p, "meta").contentType = "product_group";
    });
    expect(ofCheck(plan, 14)).toEqual([]);
  });
});

describe("check 28: consent purpose per destination", () => {
  it("fails Meta gated on analytics", () => {
    const plan = planWith((p) => {
      settings(p, "meta").purpose = "analytics";
    });
    const findings = checkPlan(plan);
    expect(findings).toMatchObject([{ code: "pixel.purpose_mismatch", check: 28, severity: "error", platform: "meta", evidence: { location: "platforms[0].purpose", excerpt: "analytics" } }]);
    expect(findings[0]?.fix).toContain('"marketing"');
  });

  it("warns on GA4 gated on marketing (over-restrictive)", () => {
    const plan = planWith((p) => {
      settings(p, "ga4").purpose = "marketing";
    });
    expect(ofCheck(plan, 28)).toMatchObject([{ code: "pixel.purpose_mismatch", check: 28, severity: "warning", platform: "ga4" }]);
  });

  it("passes the purposes of the consent table, and ignores disabled platforms", () => {
    const plan = planWith((p) => {
      const tiktok = settings(p, "tiktok");
      tiktok.enabled = false;
      tiktok.purpose = "preferences";
    });
    expect(ofCheck(plan, 28)).toEqual([]);
  });
});

describe("check 29: attribution window recorded", () => {
  it("fails a purchase platform without a window", () => {
    const plan = planWith((p) => {
      settings(p, "meta").attributionWindow = null;
    });
    expect(checkPlan(plan)).toMatchObject([
      { code: "pixel.attribution_window_missing", check: 29, severity: "warning", platform: "meta", evidence: { location: "platforms[0].attributionWindow" } },
    ]);
    expect(checkPlan(plan)[0]?.fix).toContain("7-day click, 1-day view");
  });

  it("notes a window the platform does not offer", () => {
    const plan = planWith((p) => {
      settings(p, "tiktok").attributionWindow = { clickDays: 30, viewDays: 1 };
    });
    const findings = ofCheck(plan, 29);
    expect(findings).toMatchObject([{ code: "pixel.attribution_window_unusual", check: 29, severity: "info", platform: "tiktok" }]);
    expect(findings[0]?.message).toContain("30-day click window");
  });

  it("passes recorded windows, and a platform that counts no purchases", () => {
    const plan = planWith((p) => {
      settings(p, "pinterest").attributionWindow = null;
      const completed = p.events[eventIndex(p, "checkout_completed")];
      if (completed) completed.destinations = completed.destinations.filter((d) => d.platform !== "pinterest");
    });
    expect(ofCheck(plan, 29)).toEqual([]);
  });
});
