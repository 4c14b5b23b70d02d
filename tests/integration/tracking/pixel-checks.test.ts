import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import type { PixelEventRow } from "../../../app/.server/repositories/tracking";
import type { Runtime } from "../../../app/.server/runtime";
import { latestSession, loadPixelsPage, runPixelChecks } from "../../../app/.server/services/tracking/pixel-checks";
import { action as collect } from "../../../app/routes/pixel.collect";
import { buildProduct } from "../../factories/product";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "checks-shop.myshopify.com";
const CLEAN_HAR = path.resolve(__dirname, "../../fixtures/tracking/clean-session.har");
const CONSENTED = { analytics: true, marketing: true, preferences: true, saleOfData: true };

/** The web pixel's envelope for one business event, as extensions/shelfcast-pixel sends it. */
function envelope(eventId: string, occurredAt: string, destinations: { platform: string; eventName: string; params: Record<string, unknown> }[], consent = CONSENTED, clientId = "visitor-1") {
  return { v: 1, shop: SHOP, eventId, shopifyEvent: "x", occurredAt, clientId, pageUrl: "https://checks-shop.example/products/shirt", consent, limitedDataUse: !consent.saleOfData, destinations };
}

async function send(body: unknown): Promise<void> {
  const response = await collect({ request: new Request("https://shelfcast.test/pixel/collect", { method: "POST", body: JSON.stringify(body) }), params: {}, context: {} });
  expect(response.status).toBe(204);
}

/** A product view and a purchase of variant 700101, sent the way the default plan says. */
function cleanSession(variantId: string, clientId: string, start: number) {
  const at = (seconds: number) => new Date(start + seconds * 1000).toISOString();
  const line = { content_ids: [variantId], content_type: "product", value: 24, currency: "USD" };
  return [
    envelope(
      `view-${clientId}`,
      at(0),
      [
        { platform: "meta", eventName: "ViewContent", params: { ...line, contents: [{ id: variantId, quantity: 1, item_price: 24 }] } },
        { platform: "tiktok", eventName: "ViewContent", params: { ...line, contents: [{ content_id: variantId, quantity: 1, price: 24 }] } },
        { platform: "ga4", eventName: "view_item", params: { items: [{ item_id: variantId, price: 24, quantity: 1 }], value: 24, currency: "USD" } },
      ],
      CONSENTED,
      clientId,
    ),
    envelope(
      `order-${clientId}`,
      at(60),
      [
        { platform: "meta", eventName: "Purchase", params: { ...line, contents: [{ id: variantId, quantity: 1, item_price: 24 }], num_items: 1, order_id: `order-${clientId}` } },
        { platform: "ga4", eventName: "purchase", params: { transaction_id: `order-${clientId}`, items: [{ item_id: variantId, price: 24, quantity: 1 }], value: 24, currency: "USD" } },
      ],
      CONSENTED,
      clientId,
    ),
  ];
}

describe("runPixelChecks", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestApp();
    await runtime.db.prisma.shop.create({ data: { shop: SHOP } });
    await replaceProducts(runtime.db, SHOP, [buildProduct({ id: "gid://shopify/Product/7001" })], new Date());
  });
  afterAll(async () => stopTestApp(runtime));

  it("finds no errors in the default plan and the shipped extension", async () => {
    const result = await runPixelChecks(runtime, SHOP);
    if (!result.ok) throw new Error(result.message);
    const { report } = result;
    expect(report.findings.filter((finding) => finding.severity === "error")).toEqual([]);
    expect(report.counts.error).toBe(0);
    expect(report.extension).toEqual({ path: "extensions/shelfcast-pixel", error: null });
    expect(report.plan).toEqual({ isDefault: true, revision: 0, idScheme: "variant-id" });
    expect(report.traffic).toEqual({ source: "none", events: 0, skipped: 0, problems: [] });
    expect(report.catalog).toBeNull();
    expect(report.timeline).toEqual([]);
  });

  it("checks the latest collector session against the catalog, with the server copies the collector would send", async () => {
    const start = Date.now() - 10 * 60 * 1000;
    // An earlier visitor whose ids are GIDs: not the latest session, so not checked.
    for (const body of cleanSession("gid://shopify/ProductVariant/700101", "visitor-0", start - 60 * 60 * 1000)) await send(body);
    for (const body of cleanSession("700101", "visitor-1", start)) await send(body);

    const result = await runPixelChecks(runtime, SHOP);
    if (!result.ok) throw new Error(result.message);
    const { report } = result;
    expect(report.findings.filter((finding) => finding.severity === "error")).toEqual([]);
    expect(report.traffic.source).toBe("collector");
    expect(report.catalog).toEqual({ products: 1, itemIds: 1, idScheme: "variant-id" });
    // Five browser events; Meta's view and purchase and TikTok's view also as the server copies that would be forwarded.
    expect(report.timeline.map((entry) => `${entry.platform}/${entry.channel}/${entry.eventName}`)).toEqual([
      "meta/browser/ViewContent",
      "meta/server/ViewContent",
      "tiktok/browser/ViewContent",
      "tiktok/server/ViewContent",
      "ga4/browser/view_item",
      "meta/browser/Purchase",
      "meta/server/Purchase",
      "ga4/browser/purchase",
    ]);
    expect(report.timeline[0]).toMatchObject({ location: "log line 1", eventId: "view-visitor-1", forwarding: "would forward", consent: { marketing: true, analytics: true, saleOfData: true } });
    expect(report.timeline[4]).toMatchObject({ location: "log line 3", forwarding: "browser only" });
  });

  it("reports ids that are not the catalog's, citing the collector log line", async () => {
    const start = Date.now() - 5 * 60 * 1000;
    for (const body of cleanSession("gid://shopify/ProductVariant/999999", "visitor-2", start)) await send(body);
    const result = await runPixelChecks(runtime, SHOP);
    if (!result.ok) throw new Error(result.message);
    const gid = result.report.findings.find((finding) => finding.code === "pixel.gid_content_id" && finding.platform === "meta");
    expect(gid).toMatchObject({ check: 15, severity: "error", evidence: { source: "traffic", location: "log line 1" } });
  });

  it("checks an uploaded HAR instead of the collector log", async () => {
    const result = await runPixelChecks(runtime, SHOP, { har: readFileSync(CLEAN_HAR, "utf8") });
    if (!result.ok) throw new Error(result.message);
    const { report } = result;
    expect(report.traffic).toMatchObject({ source: "har", events: 23, skipped: 1 });
    expect(report.timeline[0]?.location).toMatch(/^har entry \d+$/);
    // The recorded session's ids (45100000000123, ...) are not this shop's products.
    const notInCatalog = report.findings.filter((finding) => finding.code === "pixel.content_id_not_in_catalog");
    expect(notInCatalog.length).toBeGreaterThan(0);
    expect(notInCatalog.every((finding) => finding.check === 13 && finding.severity === "error")).toBe(true);
  });

  it("says why an upload is not a HAR, and runs nothing", async () => {
    const result = await runPixelChecks(runtime, SHOP, { har: "{\"not\": \"a har\"}" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^The file is not a HAR Shelfcast can read: /);
  });

  it("reports an extension folder it cannot read without failing the other checks", async () => {
    const result = await runPixelChecks(runtime, SHOP, { extensionDir: "extensions/no-such-pixel" });
    if (!result.ok) throw new Error(result.message);
    expect(result.report.extension.error).toMatch(/extensions\/no-such-pixel could not be read/);
  });

  it("shows the latest session on the page before any check runs", async () => {
    const view = await loadPixelsPage(runtime, SHOP);
    expect(view.collectedEvents).toBe(15);
    expect(view.session.every((entry) => entry.eventId?.endsWith("visitor-2"))).toBe(true);
  });
});

describe("latestSession", () => {
  const row = (id: number, clientId: string | null, minute: number): PixelEventRow => ({
    id: String(id),
    receivedAt: new Date(Date.UTC(2025, 5, 1, 10, minute)),
    eventTime: null,
    clientId,
    platform: "meta",
    channel: "browser",
    eventName: "PageView",
    eventId: String(id),
    params: {},
    consent: {},
    url: null,
    forwarding: "forward",
  });

  it("takes the newest event's visitor, even when other visitors' events interleave", () => {
    const rows = [row(1, "a", 0), row(2, "b", 1), row(3, "a", 2), row(4, "b", 3)];
    expect(latestSession(rows).map((r) => r.id)).toEqual(["2", "4"]);
  });

  it("without client ids, takes the run of events with no gap over 30 minutes", () => {
    const rows = [row(1, null, 0), row(2, null, 40), row(3, "a", 45), row(4, null, 60), row(5, null, 65)];
    expect(latestSession(rows).map((r) => r.id)).toEqual(["2", "4", "5"]);
    expect(latestSession([])).toEqual([]);
  });
});
