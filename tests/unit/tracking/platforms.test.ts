import { describe, expect, it } from "vitest";
import {
  CANONICAL_MAPPING,
  EVENT_VALUE_DEFINITION,
  EXPECTED_PURPOSE,
  LEGACY_TIKTOK_EVENTS,
  MARKETING_PLATFORMS,
  PINTEREST_CAPI_EVENTS,
  PINTEREST_TAG_EVENTS,
  PURCHASE_EVENTS,
  STANDARD_EVENT_NAMES,
  TIKTOK_CURRENCIES,
  canonicalSpelling,
  isIso4217,
  isMarketingPlatform,
  isPurchaseEvent,
  isStandardEventName,
  isTikTokCurrency,
  legacyTikTokEvent,
  looseEventKey,
  pinterestServerName,
} from "../../../app/domain/tracking/platforms";
import { PLATFORMS, SHOPIFY_STANDARD_EVENTS } from "../../../app/domain/tracking/types";

describe("standard event lists", () => {
  it("holds the spec's lists with exact casing", () => {
    expect(STANDARD_EVENT_NAMES.meta).toHaveLength(18);
    expect(STANDARD_EVENT_NAMES.meta).toContain("InitiateCheckout");
    expect(STANDARD_EVENT_NAMES.tiktok).toContain("Purchase");
    expect(STANDARD_EVENT_NAMES.tiktok).toContain("Lead");
    expect(STANDARD_EVENT_NAMES.tiktok).not.toContain("CompletePayment");
    expect(STANDARD_EVENT_NAMES.ga4).toContain("view_item_list");
    expect(STANDARD_EVENT_NAMES.pinterest).toEqual(expect.arrayContaining(["addtocart", "add_to_cart", "pagevisit", "page_visit", "checkout"]));
  });

  it("pairs every Pinterest tag code with its Conversions API name", () => {
    expect(PINTEREST_TAG_EVENTS).toHaveLength(PINTEREST_CAPI_EVENTS.length);
    expect(pinterestServerName("addtocart")).toBe("add_to_cart");
    expect(pinterestServerName("viewcategory")).toBe("view_category");
    expect(pinterestServerName("checkout")).toBe("checkout");
    expect(pinterestServerName("add_to_cart")).toBeNull();
  });

  it("tells standard names per side for Pinterest", () => {
    expect(isStandardEventName("pinterest", "addtocart", "browser")).toBe(true);
    expect(isStandardEventName("pinterest", "add_to_cart", "browser")).toBe(false);
    expect(isStandardEventName("pinterest", "add_to_cart", "server")).toBe(true);
    expect(isStandardEventName("pinterest", "add_to_cart")).toBe(true);
    expect(isStandardEventName("meta", "purchase")).toBe(false);
  });
});

describe("canonicalSpelling", () => {
  it.each([
    ["meta", "purchase", "Purchase"],
    ["meta", "Purchase", "Purchase"],
    ["meta", "add_to_cart", "AddToCart"],
    ["tiktok", "viewcontent", "ViewContent"],
    ["tiktok", "completepayment", "CompletePayment"],
    ["ga4", "addToCart", "add_to_cart"],
    ["ga4", "Purchase", "purchase"],
    ["ga4", "begin checkout", "begin_checkout"],
  ] as const)("%s %s → %s", (platform, name, expected) => {
    expect(canonicalSpelling(platform, name)).toBe(expected);
  });

  it("resolves Pinterest names to the tag code or the CAPI name by side", () => {
    expect(canonicalSpelling("pinterest", "AddToCart", "browser")).toBe("addtocart");
    expect(canonicalSpelling("pinterest", "add_to_cart", "browser")).toBe("addtocart");
    expect(canonicalSpelling("pinterest", "AddToCart", "server")).toBe("add_to_cart");
    expect(canonicalSpelling("pinterest", "PageVisit")).toBe("pagevisit");
    expect(canonicalSpelling("pinterest", "Page_Visit")).toBe("page_visit");
    expect(canonicalSpelling("pinterest", "add_to_cart")).toBe("add_to_cart");
  });

  it("returns null for names no list has", () => {
    expect(canonicalSpelling("meta", "AddToBasket")).toBeNull();
    expect(canonicalSpelling("meta", "CompletePayment")).toBeNull();
    expect(canonicalSpelling("ga4", "checkout_complete")).toBeNull();
  });

  it("ignores case and separators only", () => {
    expect(looseEventKey("Add-To Cart")).toBe("addtocart");
  });
});

describe("legacy TikTok names", () => {
  it("marks the renames info and the soft-deprecated names warning", () => {
    expect(legacyTikTokEvent("CompletePayment")).toMatchObject({ replacement: "Purchase", severity: "info" });
    expect(legacyTikTokEvent("SubmitForm")).toMatchObject({ replacement: "Lead", severity: "info" });
    expect(legacyTikTokEvent("PlaceAnOrder")?.severity).toBe("warning");
    expect(legacyTikTokEvent("ClickButton")).toMatchObject({ replacement: null, severity: "warning" });
    expect(legacyTikTokEvent("ClickButton")?.note).toContain("2027");
    expect(legacyTikTokEvent("Purchase")).toBeNull();
    expect(legacyTikTokEvent("toString")).toBeNull();
    expect(Object.keys(LEGACY_TIKTOK_EVENTS)).toHaveLength(4);
  });
});

describe("purchase events, purposes", () => {
  it("lists each platform's purchase-class events", () => {
    expect(PURCHASE_EVENTS.pinterest).toEqual(["checkout"]);
    expect(isPurchaseEvent("tiktok", "CompletePayment")).toBe(true);
    expect(isPurchaseEvent("ga4", "purchase")).toBe(true);
    expect(isPurchaseEvent("meta", "InitiateCheckout")).toBe(false);
  });

  it("treats the ad platforms as marketing and GA4 as analytics", () => {
    expect(MARKETING_PLATFORMS).toEqual(["meta", "tiktok", "pinterest"]);
    expect(isMarketingPlatform("ga4")).toBe(false);
    expect(EXPECTED_PURPOSE).toEqual({ meta: "marketing", tiktok: "marketing", pinterest: "marketing", ga4: "analytics" });
  });
});

describe("canonical mapping", () => {
  it("maps only to standard names, Pinterest with matching CAPI names", () => {
    for (const shopifyEvent of SHOPIFY_STANDARD_EVENTS) {
      for (const platform of PLATFORMS) {
        const expected = CANONICAL_MAPPING[shopifyEvent][platform].expected;
        if (!expected) continue;
        expect(isStandardEventName(platform, expected.eventName, "browser"), `${shopifyEvent} → ${platform}`).toBe(true);
        if (platform === "pinterest") expect(expected.serverEventName).toBe(pinterestServerName(expected.eventName));
      }
    }
  });

  it("follows the spec's table on the tricky rows", () => {
    expect(CANONICAL_MAPPING.checkout_started.pinterest.expected).toBeNull();
    expect(CANONICAL_MAPPING.checkout_completed.pinterest.expected?.eventName).toBe("checkout");
    expect(CANONICAL_MAPPING.product_viewed.ga4.expected?.eventName).toBe("view_item");
    expect(CANONICAL_MAPPING.collection_viewed.ga4.expected?.eventName).toBe("view_item_list");
    expect(CANONICAL_MAPPING.checkout_completed.ga4.expected?.required).toEqual(["transaction_id", "items", "value", "currency"]);
    expect(CANONICAL_MAPPING.product_added_to_cart.meta.expected?.required).toContain("contents");
    expect(CANONICAL_MAPPING.alert_displayed.meta.expected).toBeNull();
  });

  it("defines value as GA4 does: subtotal for checkouts, line total for cart lines", () => {
    expect(EVENT_VALUE_DEFINITION.checkout_completed).toBe("subtotal");
    expect(EVENT_VALUE_DEFINITION.product_added_to_cart).toBe("line_total");
    expect(EVENT_VALUE_DEFINITION.product_viewed).toBe("unit_price");
    expect(EVENT_VALUE_DEFINITION.page_viewed).toBe("none");
  });
});

describe("currencies", () => {
  it("accepts ISO 4217 codes exactly as written", () => {
    expect(isIso4217("EUR")).toBe(true);
    expect(isIso4217("JPY")).toBe(true);
    expect(isIso4217("eur")).toBe(false);
    expect(isIso4217("EURO")).toBe(false);
    expect(isIso4217("XXX")).toBe(false);
    expect(isIso4217("ABC")).toBe(false);
  });

  it("keeps TikTok's list within ISO 4217", () => {
    for (const code of TIKTOK_CURRENCIES) expect(isIso4217(code), code).toBe(true);
    expect(isTikTokCurrency("USD")).toBe(true);
    expect(isTikTokCurrency("AFN")).toBe(false);
  });
});
