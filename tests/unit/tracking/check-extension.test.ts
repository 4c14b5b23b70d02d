import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadExtensionSource } from "../../../app/.server/services/tracking/load-extension-source";
import { createIdScheme } from "../../../app/domain/channels/id-scheme";
import { checkExtension, readExtensionToml } from "../../../app/domain/tracking/check-extension";
import { createDefaultTrackingPlan, DEFAULT_TRACKING_PLAN } from "../../../app/domain/tracking/default-plan";
import { toPixelPlan } from "../../../app/domain/tracking/extension-plan";
import type { ExtensionSource, Finding } from "../../../app/domain/tracking/types";
import { fromCheckout, normaliseId } from "../../../extensions/shelfcast-pixel/src/commerce";
import { buildParameters } from "../../../extensions/shelfcast-pixel/src/payloads";
import { EMBEDDED_PLAN, resolvePlan } from "../../../extensions/shelfcast-pixel/src/plan";
import { buildProduct } from "../../factories/product";

const PIXEL_TOML = `name = "Test pixel"
type = "web_pixel_extension"
runtime_context = "strict"

[customer_privacy]
analytics = true
marketing = true
preferences = false
sale_of_data = "enabled"
`;

/** A pixel that gates correctly and maps one event: the baseline every passing fixture builds on. */
const GATED = `
import { register } from "@shopify/web-pixels-extension";
register(({ analytics, init, customerPrivacy }) => {
  let consent = init.customerPrivacy;
  customerPrivacy.subscribe("visitorConsentCollected", (event) => {
    consent = event.customerPrivacy;
  });
  const allowed = () => consent.marketingAllowed && consent.analyticsProcessingAllowed;
  BODY
});
`;

function extension(body: string, toml = PIXEL_TOML): ExtensionSource {
  return { path: "extensions/test-pixel", toml, files: { "src/index.ts": GATED.replace("BODY", body) } };
}

function rawExtension(source: string, toml = PIXEL_TOML): ExtensionSource {
  return { path: "extensions/test-pixel", toml, files: { "src/index.ts": source } };
}

function ofCheck(findings: Finding[], check: number): { code: string; severity: string; platform: string | null }[] {
  return findings.filter((finding) => finding.check === check).map(({ code, severity, platform }) => ({ code, severity, platform }));
}

describe("check 1: unknown Shopify subscriptions", () => {
  it("fails a typo of a standard event and names the event it meant", () => {
    const findings = checkExtension(extension(`analytics.subscribe("checkout_complete", () => {});`));
    expect(ofCheck(findings, 1)).toEqual([{ code: "pixel.unknown_subscription", severity: "error", platform: null }]);
    expect(findings[0]?.message).toContain('Did you mean "checkout_completed"?');
    expect(findings[0]?.evidence).toEqual({ source: "extension", location: "extensions/test-pixel/src/index.ts:9", excerpt: 'analytics.subscribe("checkout_complete", () => {});' });
  });

  it("fails a custom event the plan does not declare, passes it once declared", () => {
    const source = extension(`analytics.subscribe("shelfcast:wishlist_add", () => {});`);
    expect(ofCheck(checkExtension(source, DEFAULT_TRACKING_PLAN), 1)).toEqual([{ code: "pixel.unknown_subscription", severity: "error", platform: null }]);
    const plan = createDefaultTrackingPlan();
    plan.events.push({ shopifyEvent: "shelfcast:wishlist_add", destinations: [] });
    expect(ofCheck(checkExtension(source, plan), 1)).toEqual([]);
  });

  it("flags advanced DOM events as info", () => {
    expect(ofCheck(checkExtension(extension(`analytics.subscribe("advanced_dom_clicked", () => {});`)), 1)).toEqual([
      { code: "pixel.advanced_dom_subscription", severity: "info", platform: null },
    ]);
  });

  it("passes standard, DOM and aggregate names, and ignores commented-out code", () => {
    const source = extension(`
      analytics.subscribe("checkout_completed", () => {});
      analytics.subscribe('clicked', () => {});
      analytics.subscribe(\`all_standard_events\`, () => {});
      // analytics.subscribe("checkout_complete", () => {});
      /* analytics.subscribe("cart_view", () => {}); */`);
    expect(ofCheck(checkExtension(source), 1)).toEqual([]);
  });
});

describe("check 2: custom events", () => {
  it("fails publishing a standard name, or one that reads as one", () => {
    const findings = checkExtension(extension(`analytics.publish("checkout_completed", {}); analytics.publish("Checkout Completed", {});`));
    expect(ofCheck(findings, 2)).toEqual([
      { code: "pixel.custom_event_shadows_standard", severity: "error", platform: null },
      { code: "pixel.custom_event_shadows_standard", severity: "error", platform: null },
    ]);
  });

  it("warns on a custom event without the plan's prefix", () => {
    const findings = checkExtension(extension(`analytics.publish("wishlist_add", { id: 1 });`), DEFAULT_TRACKING_PLAN);
    expect(ofCheck(findings, 2)).toEqual([{ code: "pixel.custom_event_unprefixed", severity: "warning", platform: null }]);
    expect(findings.find((f) => f.check === 2)?.fix).toContain('"shelfcast:wishlist_add"');
  });

  it("passes a prefixed custom event", () => {
    expect(ofCheck(checkExtension(extension(`analytics.publish("shelfcast:wishlist_add", {});`), DEFAULT_TRACKING_PLAN), 2)).toEqual([]);
  });
});

describe("check 8: mapping constants in code", () => {
  it("fails a mis-cased vendor call inside a subscription", () => {
    const findings = checkExtension(
      extension(`
        fbq("consent", "revoke");
        analytics.subscribe("checkout_completed", (event) => { if (allowed()) fbq("track", "purchase", {}); });`),
    );
    expect(ofCheck(findings, 8)).toEqual([{ code: "pixel.mapping_constant_misspelt", severity: "error", platform: "meta" }]);
  });

  it("fails checkout_started mapped to Pinterest's checkout (a completed transaction)", () => {
    const findings = checkExtension(extension(`const PLAN = [{ shopifyEvent: "checkout_started", destinations: [{ platform: "pinterest", eventName: "checkout" }] }];`));
    expect(ofCheck(findings, 8)).toEqual([{ code: "pixel.mapping_constant_wrong_event", severity: "error", platform: "pinterest" }]);
  });

  it("reports legacy TikTok names with TikTok's severity", () => {
    const findings = checkExtension(extension(`const MAP = { checkout_completed: { tiktok: "CompletePayment" }, payment_info_submitted: { "tiktok": "PlaceAnOrder" } };`));
    expect(ofCheck(findings, 8)).toEqual([
      { code: "pixel.mapping_constant_legacy", severity: "info", platform: "tiktok" },
      { code: "pixel.mapping_constant_legacy", severity: "warning", platform: "tiktok" },
    ]);
  });

  it("fails a name that is no standard event", () => {
    const findings = checkExtension(extension(`pintrk("setconsent", false); pintrk("track", "signup_complete");`));
    expect(ofCheck(findings, 8)).toEqual([{ code: "pixel.mapping_constant_not_standard", severity: "error", platform: "pinterest" }]);
  });

  it("fails code that disagrees with the plan, and code the plan does not know", () => {
    const source = extension(`const PLAN = [
      { shopifyEvent: "product_viewed", destinations: [{ platform: "ga4", eventName: "view_item_list" }] },
      { shopifyEvent: "cart_viewed", destinations: [{ platform: "meta", eventName: "ViewContent" }] },
    ];`);
    expect(ofCheck(checkExtension(source, DEFAULT_TRACKING_PLAN), 8)).toEqual([
      { code: "pixel.mapping_constant_wrong_event", severity: "error", platform: "ga4" },
      { code: "pixel.mapping_constant_differs_from_plan", severity: "error", platform: "ga4" },
      { code: "pixel.mapping_constant_wrong_event", severity: "error", platform: "meta" },
      { code: "pixel.mapping_constant_not_in_plan", severity: "warning", platform: "meta" },
    ]);
  });

  it("passes the canonical mapping", () => {
    const source = extension(`const PLAN = [{ shopifyEvent: "checkout_completed", destinations: [
      { platform: "meta", eventName: "Purchase" }, { platform: "tiktok", eventName: "Purchase" },
      { platform: "pinterest", eventName: "checkout", serverEventName: "checkout" }, { platform: "ga4", eventName: "purchase" },
    ] }];`);
    expect(ofCheck(checkExtension(source, DEFAULT_TRACKING_PLAN), 8)).toEqual([]);
  });
});

describe("check 18: payload paths against the pinned typedef", () => {
  it("fails a path the typedef does not have (a productVariant under cartLine.merchandise)", () => {
    const findings = checkExtension(extension(`analytics.subscribe("product_added_to_cart", (event) => { send(event.data.cartLine?.merchandise.productVariant.id); });`));
    expect(ofCheck(findings, 18)).toEqual([{ code: "pixel.payload_path_unknown", severity: "error", platform: null }]);
    expect(findings[0]?.message).toContain('"productVariant" does not exist');
  });

  it("fails searchResult read at the event root instead of under data", () => {
    const findings = checkExtension(extension(`analytics.subscribe("search_submitted", (event) => send(event.searchResult.query));`));
    expect(ofCheck(findings, 18)).toEqual([{ code: "pixel.payload_path_unknown", severity: "error", platform: null }]);
  });

  it("warns on the order id read outside checkout_completed, also through a destructured alias", () => {
    const findings = checkExtension(
      extension(`analytics.subscribe("checkout_started", (event) => {
        const { checkout } = event.data;
        send(checkout.order?.id);
      });`),
    );
    expect(ofCheck(findings, 18)).toEqual([{ code: "pixel.order_id_outside_checkout_completed", severity: "warning", platform: null }]);
    expect(findings[0]?.evidence.location).toBe("extensions/test-pixel/src/index.ts:11");
  });

  it("fails a misspelt consent flag on init", () => {
    const findings = checkExtension(extension(`const marketing = init.customerPrivacy.marketing;`));
    expect(ofCheck(findings, 18)).toEqual([{ code: "pixel.payload_path_unknown", severity: "error", platform: null }]);
  });

  it("leaves an unrelated `init` alone (a fetch init outside register)", () => {
    expect(ofCheck(checkExtension(rawExtension(`function request(url, init) { return fetch(url, { method: init.method }); }`)), 18)).toEqual([]);
  });

  it("passes paths that exist, array access and method calls", () => {
    const source = extension(`
      analytics.subscribe("checkout_completed", (event) => {
        const orderId = event.data.checkout.order?.id;
        const ids = event.data.checkout.lineItems.map((line) => line.variant?.id);
        const first = event.data.checkout.lineItems[0]?.variant!.product.id;
        const total = event.data.checkout.totalPrice?.amount.toFixed(2);
        send(orderId, ids, first, total, event.context.document.location.href, event.id);
      });
      analytics.subscribe("product_viewed", ({ data }) => send(data.productVariant.price.currencyCode));
      analytics.subscribe("all_standard_events", (event) => send(event.data));`);
    expect(ofCheck(checkExtension(source), 18)).toEqual([]);
  });
});

describe("check 23: the consent declaration", () => {
  const marketingSender = `analytics.subscribe("checkout_completed", () => { if (allowed()) send({ platform: "meta", eventName: "Purchase" }); });`;

  it("fails a pixel that sends to Meta with no [customer_privacy] block", () => {
    const toml = 'name = "x"\ntype = "web_pixel_extension"\nruntime_context = "strict"\n';
    expect(ofCheck(checkExtension(extension(marketingSender, toml)), 23)).toEqual([{ code: "pixel.consent_declaration_missing", severity: "error", platform: "meta" }]);
  });

  it("fails marketing = false on an ungated Meta sender", () => {
    const toml = PIXEL_TOML.replace("marketing = true", "marketing = false");
    const findings = checkExtension(rawExtension(`fbq("consent", "revoke"); fbq("init", "123");`, toml));
    expect(ofCheck(findings, 23)).toEqual([{ code: "pixel.marketing_consent_not_declared", severity: "error", platform: "meta" }]);
    expect(findings.find((f) => f.check === 23)?.evidence).toEqual({ source: "extension", location: "extensions/test-pixel/shopify.extension.toml:7", excerpt: "marketing = false" });
  });

  it("fails an invalid sale_of_data and a missing purpose", () => {
    const toml = PIXEL_TOML.replace('sale_of_data = "enabled"', 'sale_of_data = "sometimes"').replace("preferences = false\n", "");
    expect(ofCheck(checkExtension(extension(marketingSender, toml)), 23)).toEqual([
      { code: "pixel.consent_declaration_invalid", severity: "error", platform: null },
      { code: "pixel.consent_declaration_invalid", severity: "error", platform: null },
    ]);
  });

  it("fails an extension that is not a web pixel", () => {
    const toml = PIXEL_TOML.replace('type = "web_pixel_extension"', 'type = "theme"');
    expect(ofCheck(checkExtension(extension(marketingSender, toml)), 23)).toEqual([{ code: "pixel.extension_not_web_pixel", severity: "error", platform: null }]);
  });

  it("warns on analytics = false with an ungated GA4 sender, and on sale_of_data disabled with an ad platform", () => {
    const analyticsOff = PIXEL_TOML.replace("analytics = true", "analytics = false");
    expect(ofCheck(checkExtension(rawExtension(`gtag("event", "page_view");`, analyticsOff)), 23)).toEqual([
      { code: "pixel.analytics_consent_not_declared", severity: "warning", platform: "ga4" },
    ]);
    const saleDisabled = PIXEL_TOML.replace('sale_of_data = "enabled"', 'sale_of_data = "disabled"');
    expect(ofCheck(checkExtension(extension(marketingSender, saleDisabled)), 23)).toEqual([{ code: "pixel.sale_of_data_not_declared", severity: "warning", platform: "meta" }]);
  });

  it("passes an honest declaration, written as a table or as an inline table with comments", () => {
    expect(ofCheck(checkExtension(extension(marketingSender)), 23)).toEqual([]);
    const inline = `# pixel
type = 'web_pixel_extension' # the kind
runtime_context = "strict"
customer_privacy = { analytics = true, marketing = true, preferences = false, sale_of_data = "enabled" }
[settings]
type = "object"
[settings.fields.accountId]
name = "Account"
type = "single_line_text_field"
validations = [
  { name = "min", value = "1" },
]
`;
    expect(ofCheck(checkExtension(extension(marketingSender, inline)), 23)).toEqual([]);
  });
});

describe("check 24: runtime gating", () => {
  const sends = `analytics.subscribe("checkout_completed", () => send({ platform: "meta", eventName: "Purchase" }));`;

  it("fails reading init.customerPrivacy without listening to visitorConsentCollected", () => {
    const source = rawExtension(`register(({ analytics, init }) => { const consent = init.customerPrivacy; if (consent.marketingAllowed) { ${sends} } });`);
    expect(ofCheck(checkExtension(source), 24)).toEqual([{ code: "pixel.consent_change_ignored", severity: "error", platform: null }]);
  });

  it("fails listening to changes without the initial state", () => {
    const source = rawExtension(`register(({ analytics, customerPrivacy }) => {
      let marketing = false;
      customerPrivacy.subscribe("visitorConsentCollected", (e) => { marketing = e.customerPrivacy.marketingAllowed; });
      ${sends}
    });`);
    expect(ofCheck(checkExtension(source), 24)).toEqual([{ code: "pixel.initial_consent_ignored", severity: "error", platform: null }]);
  });

  it("fails a privacy event Shopify never sends", () => {
    const findings = checkExtension(extension(`customerPrivacy.subscribe("consentChanged", () => {}); ${sends}`));
    expect(ofCheck(findings, 24)).toEqual([{ code: "pixel.unknown_privacy_event", severity: "error", platform: null }]);
  });

  it("fails gating that never checks the purpose the destination needs", () => {
    const source = rawExtension(`register(({ analytics, init, customerPrivacy }) => {
      let consent = init.customerPrivacy;
      customerPrivacy.subscribe("visitorConsentCollected", (e) => { consent = e.customerPrivacy; });
      analytics.subscribe("checkout_completed", () => { if (consent.analyticsProcessingAllowed) send({ platform: "meta", eventName: "Purchase" }); });
    });`);
    expect(ofCheck(checkExtension(source), 24)).toEqual([{ code: "pixel.consent_purpose_unchecked", severity: "error", platform: "meta" }]);
  });

  it('fails sale_of_data = "ldu" when the code never reads saleOfDataAllowed, passes once it does', () => {
    const ldu = PIXEL_TOML.replace('sale_of_data = "enabled"', 'sale_of_data = "ldu"');
    expect(ofCheck(checkExtension(extension(sends, ldu)), 24)).toEqual([{ code: "pixel.sale_of_data_unchecked", severity: "error", platform: "meta" }]);
    expect(ofCheck(checkExtension(extension(`const ldu = !consent.saleOfDataAllowed; ${sends}`, ldu)), 24)).toEqual([]);
  });

  it("passes complete gating, also with the TrackingEvents constant", () => {
    expect(ofCheck(checkExtension(extension(sends)), 24)).toEqual([]);
    const constant = rawExtension(`register(({ analytics, init, customerPrivacy }) => {
      let consent = init.customerPrivacy;
      customerPrivacy.subscribe(TrackingEvents.CONSENT_COLLECTED, (e) => { consent = e.customerPrivacy; });
      analytics.subscribe("checkout_completed", () => { if (consent.marketingAllowed) send({ platform: "meta", eventName: "Purchase" }); });
    });`);
    expect(ofCheck(checkExtension(constant), 24)).toEqual([]);
  });
});

describe("check 25: restrictive vendor defaults", () => {
  it("fails each vendor used without a consent default", () => {
    const findings = checkExtension(extension(`fbq("init", "1"); ttq.load("C1"); pintrk("load", "26"); gtag("config", "G-1");`));
    expect(ofCheck(findings, 25)).toEqual([
      { code: "pixel.vendor_consent_default_missing", severity: "error", platform: "meta" },
      { code: "pixel.vendor_consent_default_missing", severity: "error", platform: "tiktok" },
      { code: "pixel.vendor_consent_default_missing", severity: "error", platform: "pinterest" },
      { code: "pixel.vendor_consent_default_missing", severity: "error", platform: "ga4" },
    ]);
  });

  it("fails a default set after first use", () => {
    expect(ofCheck(checkExtension(extension(`fbq("init", "1"); fbq("consent", "revoke");`)), 25)).toEqual([
      { code: "pixel.vendor_consent_default_late", severity: "error", platform: "meta" },
    ]);
  });

  it("fails a default that grants", () => {
    const findings = checkExtension(
      extension(`pintrk("setconsent", true); pintrk("load", "26");
        gtag("consent", "default", { ad_storage: "granted", analytics_storage: "denied", ad_user_data: "denied", ad_personalization: "denied" }); gtag("config", "G-1");
        gtag("consent", "update", { ad_storage: "granted", analytics_storage: "granted", ad_user_data: "granted", ad_personalization: "granted" });`),
    );
    expect(ofCheck(findings, 25)).toEqual([
      { code: "pixel.vendor_consent_default_not_restrictive", severity: "error", platform: "pinterest" },
      { code: "pixel.vendor_consent_default_not_restrictive", severity: "error", platform: "ga4" },
    ]);
  });

  it("passes defaults set before use (and ignores a gtag definition and vendor names in strings)", () => {
    const findings = checkExtension(
      extension(`function gtag() { dataLayer.push(arguments); }
        const note = "fbq('init') happens later";
        fbq("consent", "revoke"); fbq("init", "1");
        ttq.holdConsent(); ttq.load("C1");
        pintrk("setconsent", false); pintrk("load", "26");
        gtag("consent", "default", { ad_storage: "denied", analytics_storage: "denied", ad_user_data: "denied", ad_personalization: "denied", wait_for_update: 500 });
        gtag("config", "G-1");`),
    );
    expect(ofCheck(findings, 25)).toEqual([]);
  });
});

describe("check 27: Consent Mode v2", () => {
  it("fails a default or update without the two v2 signals", () => {
    const findings = checkExtension(
      extension(`gtag("consent", "default", { ad_storage: "denied", analytics_storage: "denied" }); gtag("config", "G-1");
        gtag("consent", "update", { ad_storage: "granted", analytics_storage: "granted", ad_user_data: "granted" });`),
    );
    expect(ofCheck(findings, 27)).toEqual([
      { code: "pixel.consent_mode_signals_missing", severity: "error", platform: "ga4" },
      { code: "pixel.consent_mode_signals_missing", severity: "error", platform: "ga4" },
    ]);
    expect(findings.filter((f) => f.check === 27)[0]?.message).toContain("does not set ad_user_data, ad_personalization");
  });

  it("fails when the update is never sent", () => {
    const findings = checkExtension(
      extension(`gtag("consent", "default", { ad_storage: "denied", analytics_storage: "denied", ad_user_data: "denied", ad_personalization: "denied" }); gtag("config", "G-1");`),
    );
    expect(ofCheck(findings, 27)).toEqual([{ code: "pixel.consent_mode_update_missing", severity: "error", platform: "ga4" }]);
  });

  it("passes all four signals on default and update", () => {
    const all = (state: string) => `{ ad_storage: "${state}", analytics_storage: "${state}", ad_user_data: "${state}", ad_personalization: "${state}" }`;
    const findings = checkExtension(extension(`gtag("consent", "default", ${all("denied")}); gtag("config", "G-1"); gtag("consent", "update", ${all("granted")});`));
    expect(ofCheck(findings, 27)).toEqual([]);
  });
});

describe("the TOML reader", () => {
  it("reads tables, dotted keys, inline tables, multi-line arrays and escapes, and reports bad lines", () => {
    const document = readExtensionToml(`a = "x\\"y" # c
[customer_privacy]
marketing = true
"sale_of_data" = 'ldu'
[settings.fields.plan]
validations = [
  { name = "min", value = "1" }, # first
]
other.nested = 3
broken = = 1
`);
    expect(document.values.get("a")?.value).toBe('x"y');
    expect(document.values.get("customer_privacy.marketing")).toEqual({ value: true, line: 3 });
    expect(document.values.get("customer_privacy.sale_of_data")?.value).toBe("ldu");
    expect(document.values.get("settings.fields.plan.other.nested")?.value).toBe(3);
    expect(document.tables.get("settings.fields.plan")).toBe(5);
    expect(document.problems).toEqual([{ line: 10, message: "cannot read the value =" }]);
  });
});

describe("the shipped extension (extensions/shelfcast-pixel)", () => {
  const dir = path.join(process.cwd(), "extensions/shelfcast-pixel");

  it("passes checkExtension with no findings, alone and against the default plan", async () => {
    const source = await loadExtensionSource(dir);
    expect(Object.keys(source.files)).toEqual(["src/commerce.ts", "src/consent.ts", "src/index.ts", "src/payloads.ts", "src/plan.ts"]);
    expect(checkExtension(source)).toEqual([]);
    expect(checkExtension(source, DEFAULT_TRACKING_PLAN)).toEqual([]);
  });

  it("is really scanned: a mis-cased name or a wrong path in it is found", async () => {
    const source = await loadExtensionSource(dir);
    const plan = source.files["src/plan.ts"] ?? "";
    const index = source.files["src/index.ts"] ?? "";
    const broken: ExtensionSource = {
      ...source,
      files: {
        ...source.files,
        "src/plan.ts": plan.replace('eventName: "Purchase"', 'eventName: "purchase"'),
        "src/index.ts": index.replace("event.data.searchResult.query", "event.data.searchResult.queryText"),
      },
    };
    expect(checkExtension(broken).map((f) => [f.check, f.code])).toEqual([
      [8, "pixel.mapping_constant_misspelt"],
      [18, "pixel.payload_path_unknown"],
    ]);
  });

  it("subscribes to every event its embedded plan maps", async () => {
    const source = await loadExtensionSource(dir);
    const index = source.files["src/index.ts"] ?? "";
    const subscribed = [...index.matchAll(/analytics\.subscribe\("([a-z_]+)"/g)].map((match) => match[1]);
    expect(subscribed.sort()).toEqual(EMBEDDED_PLAN.events.map((event) => event.shopifyEvent).sort());
  });

  it("embeds a copy of the default plan (parameter order aside)", () => {
    const sorted = (plan: typeof EMBEDDED_PLAN) => ({
      ...plan,
      events: plan.events.map((event) => ({ ...event, destinations: event.destinations.map((d) => ({ ...d, parameters: [...d.parameters].sort() })) })),
    });
    expect(sorted(EMBEDDED_PLAN)).toEqual(sorted(toPixelPlan(DEFAULT_TRACKING_PLAN)));
  });

  it("takes a plan from its setting and falls back to the embedded one on bad input", () => {
    const plan = toPixelPlan({ ...createDefaultTrackingPlan(), idScheme: "sku" });
    expect(resolvePlan(JSON.stringify(plan)).idScheme).toBe("sku");
    expect(resolvePlan("")).toBe(EMBEDDED_PLAN);
    expect(resolvePlan("{not json")).toBe(EMBEDDED_PLAN);
    expect(resolvePlan(JSON.stringify({ version: 2 }))).toBe(EMBEDDED_PLAN);
  });

  it("normalises order and variant ids from GIDs and bare numbers", () => {
    expect(normaliseId("gid://shopify/Order/5001")).toBe("5001");
    expect(normaliseId(5001 as unknown as string)).toBe("5001");
    expect(normaliseId(null)).toBeNull();
  });

  it("builds content ids with the feeds' id schemes and value/currency from one MoneyV2", () => {
    const product = buildProduct({ id: "gid://shopify/Product/7" });
    const variant = product.variants[0];
    if (variant === undefined) throw new Error("factory made no variant");
    const pixelVariant = {
      id: variant.id,
      image: null,
      price: { amount: 24, currencyCode: "EUR" },
      product: { id: product.id, title: product.title, type: "Shirts", untranslatedTitle: null, url: null, vendor: product.vendor },
      sku: variant.sku,
      title: variant.title,
      untranslatedTitle: null,
    };
    const checkout = {
      lineItems: [{ discountAllocations: [], finalLinePrice: { amount: 48, currencyCode: "EUR" }, id: "1", properties: [], quantity: 2, sellingPlanAllocation: null, title: null, variant: pixelVariant }],
      subtotalPrice: { amount: 48, currencyCode: "EUR" },
      totalPrice: { amount: 58, currencyCode: "USD" },
      totalTax: { amount: 8, currencyCode: "EUR" },
      shippingLine: { price: { amount: 2, currencyCode: "EUR" } },
      discountApplications: [],
      delivery: null,
      transactions: [],
    } as unknown as Parameters<typeof fromCheckout>[0];
    const market = { code: "DE", currency: "EUR", language: "de" };
    for (const scheme of ["variant-id", "sku", "shopify-channel"] as const) {
      const commerce = fromCheckout(checkout, { scheme, country: "DE" });
      expect(commerce.lines[0]?.itemId).toBe(createIdScheme(scheme).itemId(product, variant, market));
      expect(commerce.lines[0]?.groupId).toBe(createIdScheme(scheme).groupId(product, market));
    }
    const commerce = { ...fromCheckout(checkout, { scheme: "variant-id", country: "DE" }), orderId: "5001" };
    const meta = EMBEDDED_PLAN.events.find((event) => event.shopifyEvent === "checkout_completed")?.destinations.find((d) => d.platform === "meta");
    if (meta === undefined) throw new Error("no Meta purchase in the embedded plan");
    expect(buildParameters(meta, { platform: "meta", purpose: "marketing", contentType: "product" }, commerce, { location: "https://shop.test/thanks", title: "Thanks" })).toEqual({
      value: 48,
      currency: "EUR",
      contents: [{ id: "701", quantity: 2, item_price: 24 }],
      content_ids: ["701"],
      content_type: "product",
      num_items: 2,
      order_id: "5001",
    });
  });
});
