import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkTraffic, DOUBLE_FIRE_WINDOW_MS, type TrafficCheckOptions } from "../../../app/domain/tracking/check-traffic";
import { parseCollectorLog, parseHar } from "../../../app/domain/tracking/har";
import type { Finding, PlanPlatformSettings, Platform, TrackingPlan, TrafficEvent } from "../../../app/domain/tracking/types";
import { buildCleanSessionHar, buildMixedSessionHar, SCENARIO_CATALOG } from "../../factories/har";

const T0 = "2025-06-02T10:00:00.000Z";
const UNKNOWN = { marketing: null, analytics: null, saleOfData: null };
const CATALOG = SCENARIO_CATALOG;
const ITEM = "45100000000123";
const ITEM_2 = "45100000000456";
const GROUP = "8100000000001";

type EventInput = Partial<TrafficEvent> & Pick<TrafficEvent, "platform" | "eventName">;

function event(input: EventInput): TrafficEvent {
  return { index: 0, channel: "browser", params: {}, eventId: null, time: T0, eventTime: null, consent: UNKNOWN, url: `https://example.test/${input.platform}`, ...input };
}

/** Events numbered in the order given, as HAR entries would be. */
function events(...inputs: EventInput[]): TrafficEvent[] {
  return inputs.map((input, index) => event({ index, ...input }));
}

function later(ms: number): string {
  return new Date(Date.parse(T0) + ms).toISOString();
}

/** What a finding says in brief: check, code, severity, platform, where. */
function brief(findings: readonly Finding[]): [number, string, string, Platform | null, string][] {
  return findings.map((finding) => [finding.check, finding.code, finding.severity, finding.platform, finding.evidence.location]);
}

function run(traffic: TrafficEvent[], options: TrafficCheckOptions = {}) {
  return brief(checkTraffic(traffic, options));
}

/** Only the findings of one check, so a fixture aimed at it is not disturbed by the others. */
function runCheck(check: number, traffic: TrafficEvent[], options: TrafficCheckOptions = {}) {
  return brief(checkTraffic(traffic, options).filter((finding) => finding.check === check));
}

function platformSettings(platform: Platform, overrides: Partial<PlanPlatformSettings> = {}): PlanPlatformSettings {
  return { platform, enabled: true, purpose: platform === "ga4" ? "analytics" : "marketing", serverSide: platform !== "ga4", contentType: "product", attributionWindow: { clickDays: 7, viewDays: 1 }, ...overrides };
}

function plan(overrides: Partial<TrackingPlan> = {}): TrackingPlan {
  return {
    version: 1,
    idScheme: "variant-id",
    currencySource: "presentment",
    customEventPrefix: "shelfcast:",
    platforms: [platformSettings("meta"), platformSettings("tiktok"), platformSettings("pinterest"), platformSettings("ga4")],
    events: [
      {
        shopifyEvent: "product_added_to_cart",
        destinations: [
          { platform: "meta", eventName: "AddToCart", parameters: ["content_ids", "contents", "value", "currency"], valueDefinition: "line_total" },
          { platform: "pinterest", eventName: "addtocart", serverEventName: "add_to_cart", parameters: ["line_items", "value", "currency"], valueDefinition: "line_total" },
        ],
      },
    ],
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------------
// Acceptance: a HAR built from the platforms' documented formats yields exactly the planted findings
// ---------------------------------------------------------------------------------------------------

describe("checkTraffic on a HAR mixing Meta, TikTok, Pinterest and GA4", () => {
  function findingsOf(har: unknown): Finding[] {
    const parsed = parseHar(JSON.parse(JSON.stringify(har)) as unknown);
    if (!parsed.ok) throw new Error(parsed.error);
    return checkTraffic(parsed.events, { catalog: CATALOG, idScheme: "variant-id" });
  }

  it("finds exactly the planted problems, each at its entry", () => {
    expect(brief(findingsOf(buildMixedSessionHar()))).toEqual([
      [4, "pixel.event_name_spelling", "error", "pinterest", "har entry 11"],
      [5, "pixel.legacy_tiktok_event", "warning", "tiktok", "har entry 12"],
      [10, "pixel.invalid_currency", "error", "ga4", "har entry 10"],
      [10, "pixel.invalid_value", "error", "meta", "har entry 14"],
      [13, "pixel.content_id_not_in_catalog", "error", "meta", "har entry 14"],
      [15, "pixel.gid_content_id", "error", "pinterest", "har entry 11"],
      [16, "pixel.missing_catalog_parameters", "warning", "tiktok", "har entry 4"],
      [16, "pixel.missing_catalog_parameters", "warning", "tiktok", "har entry 9"],
      [16, "pixel.missing_items", "error", "ga4", "har entry 15"],
      [16, "pixel.missing_transaction_id", "error", "ga4", "har entry 20"],
      [17, "pixel.misspelt_parameter", "warning", "tiktok", "har entry 9"],
      [19, "pixel.missing_event_id", "error", "meta", "har entry 21"],
      [20, "pixel.event_id_reused", "error", "meta", "har entry 16"],
      [20, "pixel.event_id_not_shared", "error", "tiktok", "har entry 23"],
      [21, "pixel.stale_server_event", "error", "meta", "har entry 21"],
      [22, "pixel.double_fire", "warning", "meta", "har entry 8"],
      [26, "pixel.server_event_without_limited_data_use", "error", "tiktok", "har entry 23"],
      [26, "pixel.server_event_without_consent", "error", "pinterest", "har entry 25"],
    ]);
  });

  it("says what is wrong with which value, and excerpts the request URL", () => {
    const findings = findingsOf(buildMixedSessionHar());
    const currency = findings.find((finding) => finding.code === "pixel.invalid_currency");
    expect(currency?.message).toContain('currency "usd"');
    expect(currency?.evidence).toMatchObject({ source: "traffic", location: "har entry 10" });
    expect(currency?.evidence.excerpt).toMatch(/^https:\/\/region1\.google-analytics\.com\/g\/collect\?v=2&/);
    expect(findings.find((finding) => finding.code === "pixel.misspelt_parameter")?.message).toContain('"content_id"');
    expect(findings.find((finding) => finding.code === "pixel.event_id_not_shared")?.message).toContain("har entry 17");
    for (const finding of findings) expect(finding.fix.length).toBeGreaterThan(20);
  });

  it("finds nothing in the same session done right", () => {
    expect(findingsOf(buildCleanSessionHar())).toEqual([]);
  });

  it("ships both sessions as HAR fixture files identical to what the builder makes", () => {
    for (const [file, build] of [
      ["mixed-session.har", buildMixedSessionHar],
      ["clean-session.har", buildCleanSessionHar],
    ] as const) {
      const onDisk = JSON.parse(readFileSync(new URL(`../../fixtures/tracking/${file}`, import.meta.url), "utf8")) as unknown;
      expect(onDisk).toEqual(JSON.parse(JSON.stringify(build())));
    }
  });
});

// ---------------------------------------------------------------------------------------------------
// Check by check: a fixture that fails and one that passes
// ---------------------------------------------------------------------------------------------------

describe("check 4: event name spelling", () => {
  it("fails a name that only differs in casing or separators from the standard one", () => {
    expect(runCheck(4, events({ platform: "meta", eventName: "purchase" }, { platform: "ga4", eventName: "addToCart" }, { platform: "pinterest", channel: "server", eventName: "addtocart" }))).toEqual([
      [4, "pixel.event_name_spelling", "error", "meta", "har entry 0"],
      [4, "pixel.event_name_spelling", "error", "ga4", "har entry 1"],
      [4, "pixel.event_name_spelling", "error", "pinterest", "har entry 2"],
    ]);
    const [finding] = checkTraffic(events({ platform: "pinterest", eventName: "add_to_cart" }));
    expect(finding?.message).toContain('"add_to_cart" is the Conversions API spelling; the Pinterest tag takes the code "addtocart"');
  });

  it("passes standard spellings (each Pinterest side its own) and custom names", () => {
    expect(
      runCheck(
        4,
        events(
          { platform: "meta", eventName: "Purchase" },
          { platform: "ga4", eventName: "add_to_cart", params: { items: [{ item_id: ITEM }] } },
          { platform: "pinterest", eventName: "addtocart", params: { line_items: [{ product_id: ITEM }] } },
          { platform: "pinterest", channel: "server", eventName: "add_to_cart", params: { content_ids: [ITEM] } },
          { platform: "meta", eventName: "shelfcast_wishlist_shared" },
        ),
      ),
    ).toEqual([]);
  });
});

describe("check 5: legacy TikTok names", () => {
  it("fails CompletePayment (info) and PlaceAnOrder (warning), also when miscased", () => {
    const catalogParams = { content_ids: [ITEM], contents: [{ content_id: ITEM }], content_type: "product" };
    expect(
      run(
        events(
          { platform: "tiktok", eventName: "CompletePayment", params: catalogParams },
          { platform: "tiktok", eventName: "PlaceAnOrder", params: catalogParams },
          { platform: "tiktok", eventName: "completepayment", params: catalogParams, time: later(60_000) },
        ),
      ),
    ).toEqual([
      [4, "pixel.event_name_spelling", "error", "tiktok", "har entry 2"],
      [5, "pixel.legacy_tiktok_event", "info", "tiktok", "har entry 0"],
      [5, "pixel.legacy_tiktok_event", "warning", "tiktok", "har entry 1"],
      [5, "pixel.legacy_tiktok_event", "info", "tiktok", "har entry 2"],
    ]);
  });

  it("passes the 2025 names, and legacy TikTok names are no concern on other platforms", () => {
    expect(run(events({ platform: "tiktok", eventName: "Lead" }, { platform: "tiktok", eventName: "Pageview" }, { platform: "meta", eventName: "SubmitForm" }))).toEqual([]);
  });
});

describe("check 10: currency and value", () => {
  it("fails currencies that are not ISO 4217 in capitals, and TikTok currencies TikTok does not accept", () => {
    expect(
      runCheck(
        10,
        events(
          { platform: "meta", eventName: "Purchase", params: { value: "10.00", currency: "usd" } },
          { platform: "ga4", eventName: "purchase", params: { value: 10, currency: "US$" } },
          { platform: "pinterest", channel: "server", eventName: "checkout", params: { value: "10", currency: 840 } },
          { platform: "tiktok", eventName: "Purchase", params: { value: 10, currency: "BAM" } },
        ),
      ),
    ).toEqual([
      [10, "pixel.invalid_currency", "error", "meta", "har entry 0"],
      [10, "pixel.invalid_currency", "error", "ga4", "har entry 1"],
      [10, "pixel.invalid_currency", "error", "pinterest", "har entry 2"],
      [10, "pixel.unsupported_currency", "error", "tiktok", "har entry 3"],
    ]);
  });

  it("fails values with symbols, separators or a minus sign", () => {
    const findings = checkTraffic(
      events(
        { platform: "meta", eventName: "Purchase", params: { value: "€49,90", currency: "EUR" } },
        { platform: "tiktok", eventName: "Purchase", params: { value: "1,299.00", currency: "USD" } },
        { platform: "meta", channel: "server", eventName: "Purchase", params: { value: -5, currency: "USD" } },
        { platform: "ga4", eventName: "refund", params: { value: "-5", currency: "USD" } },
      ),
    ).filter((finding) => finding.check === 10);
    expect(brief(findings)).toEqual([
      [10, "pixel.invalid_value", "error", "meta", "har entry 0"],
      [10, "pixel.invalid_value", "error", "tiktok", "har entry 1"],
      [10, "pixel.invalid_value", "error", "meta", "har entry 2"],
      [10, "pixel.invalid_value", "error", "ga4", "har entry 3"],
    ]);
    expect(findings[0]?.message).toContain('value "€49,90", which is not a plain number');
    expect(findings[2]?.message).toContain("negative value (-5)");
  });

  it("passes ISO codes TikTok supports and plain numbers, as numbers or text", () => {
    expect(
      runCheck(
        10,
        events(
          { platform: "meta", eventName: "Purchase", params: { value: "49.90", currency: "USD" } },
          { platform: "tiktok", eventName: "Purchase", params: { value: 49.9, currency: "EUR" } },
          { platform: "pinterest", channel: "server", eventName: "checkout", params: { value: "99.80", currency: "GBP" } },
          { platform: "ga4", eventName: "page_view" },
        ),
      ),
    ).toEqual([]);
  });
});

describe("check 13: product ids against the catalog", () => {
  const withIds = (ids: string[]): EventInput => ({ platform: "meta", eventName: "ViewContent", params: { content_ids: ids, content_type: "product" } });

  it("fails ids the catalog does not hold", () => {
    const findings = checkTraffic(events(withIds(["SKU-LINEN-M", ITEM])), { catalog: CATALOG, idScheme: "variant-id" });
    expect(brief(findings)).toEqual([[13, "pixel.content_id_not_in_catalog", "error", "meta", "har entry 0"]]);
    expect(findings[0]?.message).toContain('("SKU-LINEN-M")');
    expect(findings[0]?.message).toContain('id scheme "variant-id"');
  });

  it("reads ids from every platform's place for them", () => {
    expect(
      runCheck(
        13,
        events(
          { platform: "tiktok", eventName: "ViewContent", params: { contents: [{ content_id: "x1" }] } },
          { platform: "pinterest", eventName: "addtocart", params: { line_items: [{ product_id: "x2" }] } },
          { platform: "ga4", eventName: "view_item", params: { items: [{ item_id: "x3" }] } },
          { platform: "meta", channel: "server", eventName: "AddToCart", params: { contents: [{ id: 42 }] } },
        ),
        { catalog: CATALOG },
      ),
    ).toEqual([
      [13, "pixel.content_id_not_in_catalog", "error", "tiktok", "har entry 0"],
      [13, "pixel.content_id_not_in_catalog", "error", "pinterest", "har entry 1"],
      [13, "pixel.content_id_not_in_catalog", "error", "ga4", "har entry 2"],
      [13, "pixel.content_id_not_in_catalog", "error", "meta", "har entry 3"],
    ]);
  });

  it("passes item ids and group ids the catalog holds", () => {
    expect(runCheck(13, events(withIds([ITEM, ITEM_2]), { platform: "meta", eventName: "ViewContent", params: { content_ids: [GROUP], content_type: "product_group" } }), { catalog: CATALOG })).toEqual([]);
  });

  it("without a catalog, fails ids that do not have the id scheme's shape (from the options or the plan)", () => {
    expect(runCheck(13, events(withIds(["SKU-LINEN-M"])), { idScheme: "variant-id" })).toEqual([[13, "pixel.content_id_scheme_mismatch", "warning", "meta", "har entry 0"]]);
    expect(runCheck(13, events(withIds([ITEM])), { plan: plan({ idScheme: "shopify-channel" }) })).toEqual([[13, "pixel.content_id_scheme_mismatch", "warning", "meta", "har entry 0"]]);
  });

  it("without a catalog, passes ids of the scheme's shape, and cannot judge SKUs or an unknown scheme", () => {
    expect(runCheck(13, events(withIds([ITEM])), { idScheme: "variant-id" })).toEqual([]);
    expect(runCheck(13, events(withIds([`shopify_US_${GROUP}_${ITEM}`])), { idScheme: "shopify-channel" })).toEqual([]);
    expect(runCheck(13, events(withIds(["SKU-LINEN-M"])), { idScheme: "sku" })).toEqual([]);
    expect(runCheck(13, events(withIds(["SKU-LINEN-M"])))).toEqual([]);
  });
});

describe("check 15: GIDs as product ids", () => {
  it("fails GIDs, wherever the platform carries ids, and leaves them out of check 13", () => {
    const findings = checkTraffic(events({ platform: "meta", eventName: "AddToCart", params: { contents: [{ id: `gid://shopify/ProductVariant/${ITEM}` }], content_ids: [ITEM] } }), { catalog: CATALOG });
    expect(brief(findings)).toEqual([[15, "pixel.gid_content_id", "error", "meta", "har entry 0"]]);
    expect(findings[0]?.fix).toContain(`"${ITEM}"`);
  });

  it("passes numeric ids", () => {
    expect(runCheck(15, events({ platform: "ga4", eventName: "view_item", params: { items: [{ item_id: ITEM }] } }), { catalog: CATALOG })).toEqual([]);
  });
});

describe("check 16: catalog parameters", () => {
  it("fails Meta AddToCart without contents and ViewContent/Purchase without contents or ids with a type", () => {
    expect(
      runCheck(
        16,
        events(
          { platform: "meta", eventName: "AddToCart", params: { content_ids: [ITEM], content_type: "product" } },
          { platform: "meta", eventName: "ViewContent", params: { content_ids: [ITEM] } },
          { platform: "meta", channel: "server", eventName: "Purchase", params: { value: 1, currency: "USD" } },
        ),
      ),
    ).toEqual([
      [16, "pixel.missing_catalog_parameters", "warning", "meta", "har entry 0"],
      [16, "pixel.missing_catalog_parameters", "warning", "meta", "har entry 1"],
      [16, "pixel.missing_catalog_parameters", "warning", "meta", "har entry 2"],
    ]);
  });

  it("fails TikTok catalog events without content_type, contents and content_ids, naming the missing ones", () => {
    const findings = checkTraffic(events({ platform: "tiktok", eventName: "AddToCart", params: { contents: [{ content_id: ITEM }] } })).filter((finding) => finding.check === 16);
    expect(brief(findings)).toEqual([[16, "pixel.missing_catalog_parameters", "warning", "tiktok", "har entry 0"]]);
    expect(findings[0]?.message).toContain("without content_type and content_ids");
  });

  it("fails Pinterest addtocart/checkout without product ids", () => {
    expect(
      runCheck(16, events({ platform: "pinterest", eventName: "checkout", params: { value: 1, currency: "USD", line_items: [{ product_name: "Shirt" }] } }, { platform: "pinterest", channel: "server", eventName: "add_to_cart", params: {} })),
    ).toEqual([
      [16, "pixel.missing_catalog_parameters", "warning", "pinterest", "har entry 0"],
      [16, "pixel.missing_catalog_parameters", "warning", "pinterest", "har entry 1"],
    ]);
  });

  it("fails GA4 ecommerce events without items, items without id or name, and purchases without transaction_id", () => {
    expect(
      runCheck(
        16,
        events(
          { platform: "ga4", eventName: "add_to_cart", params: { value: 1, currency: "USD" } },
          { platform: "ga4", eventName: "view_item", params: { items: [{ item_id: ITEM }, { price: 3 }] } },
          { platform: "ga4", eventName: "purchase", params: { items: [{ item_name: "Shirt" }] } },
        ),
      ),
    ).toEqual([
      [16, "pixel.missing_items", "error", "ga4", "har entry 0"],
      [16, "pixel.item_without_id", "error", "ga4", "har entry 1"],
      [16, "pixel.missing_transaction_id", "error", "ga4", "har entry 2"],
    ]);
  });

  it("passes events with their catalog parameters, and events that need none", () => {
    expect(
      runCheck(
        16,
        events(
          { platform: "meta", eventName: "AddToCart", params: { contents: [{ id: ITEM, quantity: 1 }] } },
          { platform: "meta", eventName: "ViewContent", params: { content_ids: [ITEM], content_type: "product" } },
          { platform: "tiktok", eventName: "Purchase", params: { content_ids: [ITEM], contents: [{ content_id: ITEM }], content_type: "product" } },
          { platform: "tiktok", eventName: "Search", params: { search_string: "linen" } },
          { platform: "pinterest", eventName: "addtocart", params: { line_items: [{ product_id: ITEM }] } },
          { platform: "pinterest", channel: "server", eventName: "checkout", params: { contents: [{ id: ITEM }] } },
          { platform: "ga4", eventName: "purchase", params: { transaction_id: "1001", items: [{ item_id: ITEM }] } },
          { platform: "ga4", eventName: "page_view" },
        ),
      ),
    ).toEqual([]);
  });
});

describe("check 17: misspelt parameter keys", () => {
  it("fails keys that are a known key misspelt, in camelCase, or singular where the plural is read", () => {
    const findings = checkTraffic(
      events(
        { platform: "tiktok", eventName: "Search", params: { content_id: ITEM, searchString: "linen" } },
        { platform: "meta", eventName: "Search", params: { contend_ids: [ITEM], contents: [{ id: ITEM, itemPrice: 3 }] } },
        { platform: "ga4", eventName: "search", params: { search_trem: "linen" } },
        { platform: "pinterest", eventName: "search", params: { line_items: [{ product_ids: ITEM }] } },
      ),
    ).filter((finding) => finding.check === 17);
    expect(findings.map((finding) => [finding.code, finding.platform, finding.evidence.location, finding.fix.slice(0, finding.fix.indexOf(","))])).toEqual([
      ["pixel.misspelt_parameter", "tiktok", "har entry 0", 'Rename "content_id" to "content_ids"'],
      ["pixel.misspelt_parameter", "tiktok", "har entry 0", 'Rename "searchString" to "search_string"'],
      ["pixel.misspelt_parameter", "meta", "har entry 1", 'Rename "contend_ids" to "content_ids"'],
      ["pixel.misspelt_parameter", "meta", "har entry 1", 'Rename "contents[].itemPrice" to "contents[].item_price"'],
      ["pixel.misspelt_parameter", "ga4", "har entry 2", 'Rename "search_trem" to "search_term"'],
      ["pixel.misspelt_parameter", "pinterest", "har entry 3", 'Rename "line_items[].product_ids" to "line_items[].product_id"'],
    ]);
    expect(findings.every((finding) => finding.check === 17 && finding.severity === "warning")).toBe(true);
  });

  it("passes known keys and custom parameters that resemble none", () => {
    expect(
      runCheck(
        17,
        events(
          { platform: "tiktok", eventName: "AddToCart", params: { content_ids: [ITEM], contents: [{ content_id: ITEM, price: 3 }], shelfcast_source: "pixel" } },
          { platform: "meta", eventName: "SubscribedButtonClick", params: { buttonText: "Add to cart", formFeatures: [] } },
          { platform: "ga4", eventName: "purchase", params: { transaction_id: "1", shelfcast_version: "1.2", items: [{ item_id: ITEM }] } },
        ),
      ),
    ).toEqual([]);
  });
});

describe("check 19: a shared event id between browser and server copies", () => {
  const purchase = { content_ids: [ITEM], value: 49.9, currency: "USD", order_id: "1001" };

  it("fails a browser/server pair of one business event where either copy has no id", () => {
    const findings = checkTraffic(
      events(
        { platform: "meta", eventName: "Purchase", eventId: "order-1001", params: purchase },
        { platform: "meta", channel: "server", eventName: "Purchase", params: purchase, time: later(60_000) },
        { platform: "tiktok", eventName: "Purchase", params: purchase },
        { platform: "tiktok", channel: "server", eventName: "Purchase", eventId: "order-1001", params: purchase, time: later(60_000) },
      ),
    ).filter((finding) => finding.check === 19);
    expect(brief(findings)).toEqual([
      [19, "pixel.missing_event_id", "error", "meta", "har entry 1"],
      [19, "pixel.missing_event_id", "error", "tiktok", "har entry 3"],
    ]);
    expect(findings[0]?.message).toContain("the server copy has no event id");
    expect(findings[1]?.message).toContain("the browser copy has no event id");
  });

  it("pairs Pinterest's tag code with its Conversions API name", () => {
    expect(
      runCheck(19, events({ platform: "pinterest", eventName: "addtocart", params: { line_items: [{ product_id: ITEM }] } }, { platform: "pinterest", channel: "server", eventName: "add_to_cart", params: { content_ids: [ITEM] } })),
    ).toEqual([[19, "pixel.missing_event_id", "error", "pinterest", "har entry 1"]]);
  });

  it("fails browser events without an id when the plan forwards them server-side (the server copy is not in a browser HAR)", () => {
    const findings = checkTraffic(events({ platform: "meta", eventName: "AddToCart", params: { contents: [{ id: ITEM }] } }, { platform: "pinterest", eventName: "addtocart", params: { line_items: [{ product_id: ITEM }] } }), { plan: plan() });
    expect(brief(findings.filter((finding) => finding.check === 19))).toEqual([
      [19, "pixel.missing_event_id", "error", "meta", "har entry 0"],
      [19, "pixel.missing_event_id", "error", "pinterest", "har entry 1"],
    ]);
  });

  it("passes copies sharing the id, server-only events, and events the plan does not forward", () => {
    expect(
      runCheck(
        19,
        events(
          { platform: "meta", eventName: "Purchase", eventId: "order-1001", params: purchase },
          { platform: "meta", channel: "server", eventName: "Purchase", eventId: "order-1001", params: purchase, time: later(60_000) },
          { platform: "tiktok", channel: "server", eventName: "Purchase", params: purchase },
          { platform: "meta", eventName: "ViewContent", params: { content_ids: [ITEM], content_type: "product" } },
        ),
        { plan: plan() },
      ),
    ).toEqual([]);
    const noForwarding = plan({ platforms: [platformSettings("meta", { serverSide: false })] });
    expect(runCheck(19, events({ platform: "meta", eventName: "AddToCart", params: { contents: [{ id: ITEM }] } }), { plan: noForwarding })).toEqual([]);
  });

  it("does not pair copies of different business events, or copies further apart than 48 hours", () => {
    expect(
      runCheck(
        19,
        events(
          { platform: "meta", eventName: "Purchase", params: purchase },
          { platform: "meta", channel: "server", eventName: "Purchase", params: { ...purchase, order_id: "1002" }, time: later(60_000) },
          { platform: "meta", channel: "server", eventName: "Purchase", params: purchase, time: later(49 * 3600_000), eventTime: later(49 * 3600_000) },
        ),
      ),
    ).toEqual([]);
  });
});

describe("check 20: deterministic and unique event ids", () => {
  const cart = (ids: string[], value: number) => ({ content_ids: ids, contents: ids.map((id) => ({ id })), value, currency: "USD" });

  it("fails a browser/server pair whose ids were generated separately", () => {
    const findings = checkTraffic(
      events(
        { platform: "meta", eventName: "AddToCart", eventId: "3f1c9b52-aaaa", params: cart([ITEM], 49.9) },
        { platform: "meta", channel: "server", eventName: "AddToCart", eventId: "98d2e771-bbbb", params: cart([ITEM], 49.9), time: later(5_000) },
      ),
    );
    expect(brief(findings)).toEqual([[20, "pixel.event_id_not_shared", "error", "meta", "har entry 1"]]);
    expect(findings[0]?.message).toContain('("3f1c9b52-aaaa" and "98d2e771-bbbb")');
  });

  it("fails one id reused for different business events (a checkout token for two carts)", () => {
    expect(
      runCheck(
        20,
        events(
          { platform: "meta", eventName: "InitiateCheckout", eventId: "token-abc", params: cart([ITEM], 49.9) },
          { platform: "meta", eventName: "InitiateCheckout", eventId: "token-abc", params: cart([ITEM, ITEM_2], 99.8), time: later(600_000) },
          { platform: "meta", eventName: "InitiateCheckout", eventId: "token-abc", params: cart([ITEM_2], 49.9), time: later(900_000) },
        ),
      ),
    ).toEqual([[20, "pixel.event_id_reused", "error", "meta", "har entry 1"]]);
  });

  it("passes shared ids, and distinct ids for distinct events", () => {
    expect(
      runCheck(
        20,
        events(
          { platform: "meta", eventName: "AddToCart", eventId: "evt-1", params: cart([ITEM], 49.9) },
          { platform: "meta", channel: "server", eventName: "AddToCart", eventId: "evt-1", params: { ...cart([ITEM], 49.9), value: "49.90" }, time: later(5_000) },
          { platform: "meta", eventName: "AddToCart", eventId: "evt-2", params: cart([ITEM_2], 49.9), time: later(60_000) },
          // Same id on another event name is no merge: platforms dedupe on name and id together.
          { platform: "meta", eventName: "ViewContent", eventId: "evt-1", params: { content_ids: [ITEM_2], content_type: "product" } },
        ),
      ),
    ).toEqual([]);
  });
});

describe("check 21: stale server events", () => {
  const capi = (ageDays: number): EventInput => ({ platform: "meta", channel: "server", eventName: "Lead", eventId: "l-1", time: T0, eventTime: later(-ageDays * 24 * 3600_000) });

  it("fails a Meta server event whose event_time is more than 7 days before its request", () => {
    const findings = checkTraffic(events(capi(8)));
    expect(brief(findings)).toEqual([[21, "pixel.stale_server_event", "error", "meta", "har entry 0"]]);
    expect(findings[0]?.message).toContain(`event_time ${later(-8 * 24 * 3600_000)}, more than 7 days before the request (${T0})`);
  });

  it("passes events up to 7 days old, events without event_time, and other platforms (no documented limit here)", () => {
    expect(run(events(capi(6.9), { ...capi(7), index: 1 }, { platform: "meta", channel: "server", eventName: "Lead", eventId: "l-2" }, { ...capi(30), platform: "tiktok" }))).toEqual([]);
  });
});

describe("check 22: double firing in the browser", () => {
  const atc = { content_ids: [ITEM], contents: [{ id: ITEM }], value: 49.9, currency: "USD" };

  it(`fails the same event and content twice within ${DOUBLE_FIRE_WINDOW_MS} ms (an error for purchases)`, () => {
    const findings = checkTraffic(
      events(
        { platform: "meta", eventName: "AddToCart", eventId: "a", params: atc },
        { platform: "meta", eventName: "AddToCart", eventId: "b", params: atc, time: later(999) },
        { platform: "ga4", eventName: "purchase", params: { transaction_id: "1", value: 49.9, items: [{ item_id: ITEM }] }, time: later(5_000) },
        { platform: "ga4", eventName: "purchase", params: { transaction_id: "1", value: 49.9, items: [{ item_id: ITEM }] }, time: later(5_000) },
      ),
    );
    expect(brief(findings)).toEqual([
      [22, "pixel.double_fire", "warning", "meta", "har entry 1"],
      [22, "pixel.double_fire", "error", "ga4", "har entry 3"],
    ]);
    expect(findings[0]?.message).toContain("999ms apart (har entry 0 and har entry 1)");
  });

  it("counts every repeat of one double-firing event in one finding", () => {
    const findings = checkTraffic(
      events(
        { platform: "meta", eventName: "PageView" },
        { platform: "meta", eventName: "PageView", time: later(100) },
        { platform: "meta", eventName: "PageView", time: later(60_000) },
        { platform: "meta", eventName: "PageView", time: later(60_200) },
      ),
    );
    expect(brief(findings)).toEqual([[22, "pixel.double_fire", "warning", "meta", "har entry 1"]]);
    expect(findings[0]?.message).toContain("Seen 2 times: har entry 1, har entry 3.");
  });

  it("passes repeats more than a second apart, different products, other platforms, and server copies", () => {
    expect(
      run(
        events(
          { platform: "meta", eventName: "AddToCart", eventId: "a", params: atc },
          { platform: "meta", eventName: "AddToCart", eventId: "b", params: atc, time: later(1_001) },
          { platform: "meta", eventName: "AddToCart", eventId: "c", params: { ...atc, content_ids: [ITEM_2], contents: [{ id: ITEM_2 }] }, time: later(1_100) },
          { platform: "tiktok", eventName: "AddToCart", eventId: "a", params: { content_ids: [ITEM], contents: [{ content_id: ITEM }], content_type: "product" }, time: later(1_100) },
          { platform: "meta", channel: "server", eventName: "AddToCart", eventId: "c", params: { ...atc, content_ids: [ITEM_2], contents: [{ id: ITEM_2 }] }, time: later(1_200) },
        ),
      ),
    ).toEqual([]);
  });
});

describe("check 26: server side gated by the browser's consent", () => {
  const denied = { marketing: false, analytics: false, saleOfData: null };
  const saleRefused = { marketing: true, analytics: true, saleOfData: false };
  const ga4Hit = (consent: TrafficEvent["consent"]): EventInput => ({ platform: "ga4", eventName: "user_engagement", consent });
  const server = (platform: Platform, params: Record<string, unknown> = {}): EventInput => ({ platform, channel: "server", eventName: platform === "pinterest" ? "lead" : "Lead", params, time: later(1_000) });

  it("fails server events sent after the visitor refused marketing", () => {
    const findings = checkTraffic(events(ga4Hit(denied), server("meta"), server("tiktok"), server("pinterest")));
    expect(brief(findings)).toEqual([
      [26, "pixel.server_event_without_consent", "error", "meta", "har entry 1"],
      [26, "pixel.server_event_without_consent", "error", "tiktok", "har entry 2"],
      [26, "pixel.server_event_without_consent", "error", "pinterest", "har entry 3"],
    ]);
    expect(findings[0]?.message).toContain("refused marketing consent (har entry 0)");
  });

  it("fails server events without their platform's limited data use flag after the visitor refused the sale of data", () => {
    expect(run(events(ga4Hit(saleRefused), server("meta"), server("tiktok", { limited_data_use: false }), server("pinterest")))).toEqual([
      [26, "pixel.server_event_without_limited_data_use", "error", "meta", "har entry 1"],
      [26, "pixel.server_event_without_limited_data_use", "error", "tiktok", "har entry 2"],
      [26, "pixel.server_event_without_limited_data_use", "error", "pinterest", "har entry 3"],
    ]);
  });

  it("judges a collector log line by the consent it carries, and names log lines", () => {
    const log = parseCollectorLog([
      JSON.stringify({ platform: "meta", channel: "server", eventName: "Lead", eventId: "l-1", time: T0, consent: { marketingAllowed: false, analyticsProcessingAllowed: true, saleOfDataAllowed: true } }),
    ]);
    expect(run(log, { source: "collector-log" })).toEqual([[26, "pixel.server_event_without_consent", "error", "meta", "log line 1"]]);
  });

  it("uses the plan's purpose for the platform", () => {
    const analyticsPurpose = plan({ platforms: [platformSettings("meta", { purpose: "analytics" })] });
    expect(run(events(ga4Hit({ marketing: false, analytics: true, saleOfData: null }), server("meta")), { plan: analyticsPurpose })).toEqual([]);
    expect(run(events(ga4Hit({ marketing: true, analytics: false, saleOfData: null }), server("meta")), { plan: analyticsPurpose })).toEqual([[26, "pixel.server_event_without_consent", "error", "meta", "har entry 1"]]);
  });

  it("passes flagged events, Pinterest opt_out without marketing consent, granted or unknown consent, and refusals after the send", () => {
    expect(
      run(
        events(
          ga4Hit(saleRefused),
          server("meta", { data_processing_options: ["LDU"], data_processing_options_country: 0, data_processing_options_state: 0 }),
          server("tiktok", { limited_data_use: true }),
          server("pinterest", { opt_out: true }),
        ),
      ),
    ).toEqual([]);
    expect(run(events(ga4Hit(denied), server("pinterest", { opt_out: true })))).toEqual([]);
    expect(run(events(ga4Hit({ marketing: true, analytics: true, saleOfData: true }), server("meta")))).toEqual([]);
    expect(run(events(server("meta"), { ...ga4Hit(denied), time: later(2_000) }))).toEqual([]);
    expect(run(events(server("tiktok")))).toEqual([]);
  });
});

describe("evidence", () => {
  it("points at the first request and counts the others when one sender repeats a problem", () => {
    const findings = checkTraffic(events({ platform: "ga4", eventName: "view_item", params: { currency: "usd", items: [{ item_id: ITEM }] } }, { platform: "ga4", eventName: "view_item", params: { currency: "usd", items: [{ item_id: ITEM_2 }] }, time: later(5_000) }));
    expect(brief(findings)).toEqual([[10, "pixel.invalid_currency", "error", "ga4", "har entry 0"]]);
    expect(findings[0]?.message).toMatch(/Seen 2 times: har entry 0, har entry 1\.$/);
  });

  it("excerpts the URL, or names the event when a log line has none", () => {
    const [fromHar] = checkTraffic(events({ platform: "meta", eventName: "purchase", url: `https://www.facebook.com/tr/?${"x".repeat(400)}` }));
    expect(fromHar?.evidence.excerpt).toHaveLength(300);
    const [fromLog] = checkTraffic(parseCollectorLog([{ platform: "meta", eventName: "purchase", time: T0 }]), { source: "collector-log" });
    expect(fromLog?.evidence).toEqual({ source: "traffic", location: "log line 1", excerpt: "meta browser purchase" });
  });

  it("returns nothing for no traffic", () => {
    expect(checkTraffic([])).toEqual([]);
  });
});
