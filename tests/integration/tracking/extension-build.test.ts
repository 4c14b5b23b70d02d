import { spawnSync } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { parseCollectBody } from "../../../app/.server/services/tracking/collect-pixel-event";

const ROOT = path.resolve(__dirname, "../../..");
const EXTENSION = path.join(ROOT, "extensions/shelfcast-pixel");
const BIN = path.join(ROOT, "node_modules/.bin");

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ""}` },
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/**
 * The acceptance point "the extension type-checks against the pinned @shopify/web-pixels-extension,
 * and `shopify app build` bundles it": the same script CI runs (install the extension's own
 * dependencies, build offline), then a strict tsc over the extension.
 */
describe("the shelfcast-pixel web pixel extension", () => {
  it("installs the pinned package, builds with the Shopify CLI and type-checks strictly", () => {
    const build = run(process.execPath, ["scripts/build-extensions.mjs"]);
    expect(build.output).toContain("built extensions/shelfcast-pixel/dist/shelfcast-pixel.js");
    expect(build.status).toBe(0);

    const pinned = JSON.parse(readFileSync(path.join(EXTENSION, "node_modules/@shopify/web-pixels-extension/package.json"), "utf8")) as { version: string };
    expect(pinned.version).toBe("2.18.0");

    const bundle = path.join(EXTENSION, "dist/shelfcast-pixel.js");
    const code = readFileSync(bundle, "utf8");
    expect(code).toContain("WebPixel::Render");
    expect(code).toContain("/pixel/collect");
    expect(code).toContain("visitorConsentCollected");
    // Shopify refuses web pixels over 128 KB.
    expect(statSync(bundle).size).toBeLessThan(128 * 1024);

    const typecheck = run(path.join(BIN, "tsc"), ["-p", "extensions/shelfcast-pixel/tsconfig.json", "--noEmit"]);
    expect(typecheck.output).toBe("");
    expect(typecheck.status).toBe(0);
  }, 180_000);
});

// ---------------------------------------------------------------------------------------------------
// The bundle at run time: loaded as Shopify's sandbox would, fed events, its requests captured.
// ---------------------------------------------------------------------------------------------------

type Callback = (event: unknown) => void;

interface Sandbox {
  fire(name: string, event: unknown): void;
  changeConsent(privacy: Record<string, boolean>): void;
  requests: { url: string; init: { method: string; keepalive: boolean; body: string } }[];
}

const ALL_ALLOWED = { analyticsProcessingAllowed: true, marketingAllowed: true, preferencesProcessingAllowed: false, saleOfDataAllowed: true };

function loadBundle(privacy: Record<string, boolean>, settings: Record<string, string> = { collectorUrl: "https://app.shelfcast.test/", shop: "demo.myshopify.com" }): Sandbox {
  const code = readFileSync(path.join(EXTENSION, "dist/shelfcast-pixel.js"), "utf8");
  const subscriptions = new Map<string, Callback>();
  let consentListener: Callback | null = null;
  const sandbox: Sandbox = {
    fire: (name, event) => subscriptions.get(name)?.(event),
    changeConsent: (next) => consentListener?.({ customerPrivacy: next }),
    requests: [],
  };
  const api = {
    settings,
    analytics: { subscribe: (name: string, callback: Callback) => subscriptions.set(name, callback) },
    customerPrivacy: {
      subscribe: (name: string, callback: Callback) => {
        if (name === "visitorConsentCollected") consentListener = callback;
      },
    },
    init: { customerPrivacy: privacy, data: { shop: { myshopifyDomain: "demo.myshopify.com", countryCode: "US" } }, context: {} },
    browser: {},
  };
  runInNewContext(code, {
    shopify: { extend: (_target: string, extend: (value: typeof api) => void) => extend(api) },
    fetch: (url: string, init: Sandbox["requests"][number]["init"]) => {
      sandbox.requests.push({ url, init });
      return Promise.resolve({ ok: true });
    },
  });
  return sandbox;
}

const context = { document: { location: { href: "https://demo.test/checkouts/c/1/thank-you?em=a@b.test", origin: "https://demo.test", pathname: "/checkouts/c/1/thank-you" }, title: "Thank you" } };
const variant = {
  id: "gid://shopify/ProductVariant/4501",
  sku: "TEE-M",
  title: "M",
  price: { amount: 20, currencyCode: "EUR" },
  product: { id: "gid://shopify/Product/77", title: "Tee", vendor: "Acme", type: "Shirts" },
};
const checkoutCompleted = {
  id: "sh-event-1",
  clientId: "client-1",
  timestamp: "2026-03-01T10:00:00.000Z",
  name: "checkout_completed",
  context,
  data: {
    checkout: {
      order: { id: "gid://shopify/Order/990" },
      lineItems: [{ quantity: 2, variant }],
      subtotalPrice: { amount: 40, currencyCode: "EUR" },
      totalPrice: { amount: 47.6, currencyCode: "EUR" },
      totalTax: { amount: 7.6, currencyCode: "EUR" },
      shippingLine: null,
      discountApplications: [],
      delivery: null,
      transactions: [],
    },
  },
};

function sentEvents(sandbox: Sandbox): { platform: string; eventName: string; eventId: string; params: Record<string, unknown>; url: string; consent: unknown; limitedDataUse: boolean }[] {
  return sandbox.requests.flatMap((request) => {
    const parsed = parseCollectBody(request.init.body);
    if (!parsed.ok) throw new Error(`the collector rejects the pixel's body: ${parsed.error}`);
    return JSON.parse(request.init.body).events;
  });
}

describe("the built pixel at run time", () => {
  it("posts a body the collector accepts, one event id (the order id) for every platform copy of a purchase", () => {
    const sandbox = loadBundle(ALL_ALLOWED);
    sandbox.fire("checkout_completed", checkoutCompleted);
    expect(sandbox.requests.map((request) => [request.url, request.init.method, request.init.keepalive])).toEqual([["https://app.shelfcast.test/pixel/collect", "POST", true]]);
    const events = sentEvents(sandbox);
    expect(events.map((event) => [event.platform, event.eventName, event.eventId])).toEqual([
      ["meta", "Purchase", "990"],
      ["tiktok", "Purchase", "990"],
      ["pinterest", "checkout", "990"],
      ["ga4", "purchase", "990"],
    ]);
    expect(events[0]?.params).toMatchObject({ value: 40, currency: "EUR", content_ids: ["4501"], content_type: "product", order_id: "990" });
    expect(events[3]?.params).toMatchObject({ transaction_id: "990", value: 40, currency: "EUR", tax: 7.6, items: [{ item_id: "4501", quantity: 2, price: 20 }] });
    expect(events[0]?.url).toBe("https://demo.test/checkouts/c/1/thank-you");
  });

  it("sends nothing without consent, GA4 only with analytics alone, and follows visitorConsentCollected", () => {
    const sandbox = loadBundle({ ...ALL_ALLOWED, analyticsProcessingAllowed: false, marketingAllowed: false });
    sandbox.fire("checkout_completed", checkoutCompleted);
    expect(sandbox.requests).toEqual([]);

    sandbox.changeConsent({ ...ALL_ALLOWED, marketingAllowed: false });
    sandbox.fire("checkout_completed", checkoutCompleted);
    expect(sentEvents(sandbox).map((event) => event.platform)).toEqual(["ga4"]);
  });

  it("marks limited data use when the visitor refused the sale of their data", () => {
    const sandbox = loadBundle({ ...ALL_ALLOWED, saleOfDataAllowed: false });
    sandbox.fire("product_viewed", { id: "sh-event-2", clientId: "client-1", timestamp: "2026-03-01T10:00:00.000Z", context, data: { productVariant: variant } });
    const events = sentEvents(sandbox);
    expect(events.map((event) => [event.eventName, event.eventId, event.limitedDataUse])).toEqual([
      ["ViewContent", "sh-event-2", true],
      ["ViewContent", "sh-event-2", true],
      ["pagevisit", "sh-event-2", true],
      ["view_item", "sh-event-2", true],
    ]);
    expect(events[0]?.consent).toEqual({ marketing: true, analytics: true, saleOfData: false });
  });

  it("stays silent without a collector URL", () => {
    const sandbox = loadBundle(ALL_ALLOWED, { shop: "demo.myshopify.com" });
    sandbox.fire("checkout_completed", checkoutCompleted);
    expect(sandbox.requests).toEqual([]);
  });
});
