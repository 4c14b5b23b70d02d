import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertPixelEvents, listRecentPixelEvents, type PixelEventInsert } from "../../../app/.server/repositories/tracking";
import type { Runtime } from "../../../app/.server/runtime";
import { MAX_COLLECT_BYTES, stripPersonalData } from "../../../app/.server/services/tracking/collect-pixel-event";
import { action, loader } from "../../../app/routes/pixel.collect";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "collector-shop.myshopify.com";
const GONE = "collector-gone.myshopify.com";
const NOW = new Date().toISOString();
const CONSENTED = { marketing: true, analytics: true, saleOfData: true };

function post(body: unknown, init: { raw?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  const request = new Request("https://shelfcast.test/pixel/collect", {
    method: "POST",
    // The pixel sends text/plain so the beacon needs no CORS preflight.
    headers: { "content-type": "text/plain;charset=UTF-8", origin: "https://shop.example", ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
  return action({ request, params: {}, context: {} });
}

function event(overrides: Record<string, unknown> = {}) {
  return { platform: "meta", eventName: "ViewContent", eventId: "evt-1", params: { content_ids: ["111"], value: 20, currency: "USD" }, time: NOW, consent: CONSENTED, ...overrides };
}

describe("POST /pixel/collect", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestApp();
    await runtime.db.prisma.shop.create({ data: { shop: SHOP } });
    await runtime.db.prisma.shop.create({ data: { shop: GONE, active: false } });
  });
  afterAll(async () => stopTestApp(runtime));

  it("answers the CORS preflight for any storefront origin", async () => {
    const response = await loader({ request: new Request("https://shelfcast.test/pixel/collect", { method: "OPTIONS" }), params: {}, context: {} });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(response.headers.get("access-control-allow-methods")).toBe("POST, OPTIONS");
    const get = await loader({ request: new Request("https://shelfcast.test/pixel/collect"), params: {}, context: {} });
    expect(get.status).toBe(405);
  });

  it("stores a valid batch, answers 204 with CORS, and records each event's forwarding decision", async () => {
    const response = await post({
      shop: SHOP,
      events: [
        event({ eventId: "batch-1", clientId: "client-a", url: "https://shop.example/products/linen?utm_source=x&email=a@b.co" }),
        event({ eventId: "batch-2", clientId: "client-a", consent: { marketing: false, analytics: true, saleOfData: false } }),
        event({ platform: "ga4", eventName: "view_item", eventId: "batch-3", clientId: "client-a", params: { items: [{ item_id: "111" }] } }),
        event({ platform: "tiktok", eventName: "ViewContent", eventId: "batch-4", clientId: "client-a", consent: { marketing: true, analytics: true, saleOfData: false } }),
      ],
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.text()).toBe("");
    const rows = (await listRecentPixelEvents(runtime.db.sql, SHOP, 100)).filter((row) => row.eventId?.startsWith("batch-"));
    expect(rows.map((row) => [row.eventId, row.platform, row.channel, row.forwarding])).toEqual([
      ["batch-1", "meta", "browser", "forward"],
      ["batch-2", "meta", "browser", "held_no_consent"],
      ["batch-3", "ga4", "browser", "not_server_side"],
      ["batch-4", "tiktok", "browser", "forward_limited"],
    ]);
    expect(rows[0]).toMatchObject({ clientId: "client-a", url: "https://shop.example/products/linen", eventName: "ViewContent", params: { content_ids: ["111"], value: 20, currency: "USD" } });
    expect(rows[1]?.consent).toEqual({ marketing: false, analytics: true, saleOfData: false });
    expect(rows[0]?.eventTime?.toISOString()).toBe(NOW);
  });

  it("accepts the web pixel's envelope: one business event, one row per platform, one shared id", async () => {
    const response = await post({
      v: 1,
      shop: SHOP,
      eventId: "order-9001",
      shopifyEvent: "checkout_completed",
      occurredAt: NOW,
      clientId: "client-b",
      pageUrl: "https://shop.example/checkouts/thank-you",
      consent: { analytics: true, marketing: true, preferences: false, saleOfData: true },
      limitedDataUse: false,
      destinations: [
        { platform: "meta", eventName: "Purchase", params: { value: 40, currency: "EUR", content_ids: ["111"] } },
        { platform: "ga4", eventName: "purchase", params: { value: 40, currency: "EUR", transaction_id: "9001" } },
      ],
    });
    expect(response.status).toBe(204);
    const rows = (await listRecentPixelEvents(runtime.db.sql, SHOP, 100)).filter((row) => row.eventId === "order-9001");
    expect(rows.map((row) => [row.platform, row.eventName, row.clientId, row.forwarding])).toEqual([
      ["meta", "Purchase", "client-b", "forward"],
      ["ga4", "purchase", "client-b", "not_server_side"],
    ]);
    // `preferences` is not a field the log keeps.
    expect(rows[0]?.consent).toEqual({ analytics: true, marketing: true, saleOfData: true });
  });

  it("never stores personal data: identifier keys at any depth and email addresses are dropped", async () => {
    const response = await post({
      shop: SHOP,
      events: [
        event({
          eventId: "pii-1",
          params: {
            em: "5f4dcc3b",
            ph: "+15555550100",
            email: "visitor@example.com",
            Phone_Number: "555",
            ip: "203.0.113.7",
            client_ip_address: "203.0.113.7",
            user_data: { em: "x", external_id: "y" },
            search_string: "jane@example.com",
            contents: [{ id: "111", quantity: 1, email: "nested@example.com" }],
            value: 12.5,
            currency: "USD",
          },
        }),
      ],
    });
    expect(response.status).toBe(204);
    const [row] = (await listRecentPixelEvents(runtime.db.sql, SHOP, 100)).filter((r) => r.eventId === "pii-1");
    expect(row?.params).toEqual({ contents: [{ id: "111", quantity: 1 }], value: 12.5, currency: "USD" });
  });

  it("answers 400 naming the field when the body is not JSON or a field is wrong", async () => {
    const notJson = await post(null, { raw: "{not json" });
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: "the body is not JSON" });

    const badPlatform = await post({ shop: SHOP, events: [event({ platform: "myspace" })] });
    expect(badPlatform.status).toBe(400);
    expect(badPlatform.headers.get("access-control-allow-origin")).toBe("*");
    const body = (await badPlatform.json()) as { error: string; issues: { path: string; message: string }[] };
    expect(body.issues.map((issue) => issue.path)).toEqual(["events[0].platform"]);
    expect(body.error).toBe("invalid events[0].platform");

    const badTime = await post({ shop: SHOP, events: [event({ time: "yesterday" })] });
    expect(((await badTime.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe("events[0].time");

    const badShop = await post({ shop: "https://evil.example", events: [event()] });
    expect(((await badShop.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe("shop");

    const tooMany = await post({ shop: SHOP, events: Array.from({ length: 51 }, (_, i) => event({ eventId: `many-${i}` })) });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe("events");

    // Written as text: the nesting is too deep for JSON.stringify, not for the collector.
    const deep = `${"[".repeat(20_000)}1${"]".repeat(20_000)}`;
    const tooDeep = await post(null, { raw: JSON.stringify({ shop: SHOP, events: [event({ params: { contents: "DEEP" } })] }).replace('"DEEP"', deep) });
    expect(((await tooDeep.json()) as { issues: { path: string; message: string }[] }).issues).toEqual([{ path: "events[0].params", message: "nests deeper than 6 levels" }]);

    const notAnObject = await post([1, 2]);
    expect(((await notAnObject.json()) as { issues: { path: string }[] }).issues[0]?.path).toBe("(body)");

    const envelopeWithoutId = await post({ v: 1, shop: SHOP, occurredAt: NOW, consent: CONSENTED, destinations: [{ platform: "meta", eventName: "PageView", params: {} }] });
    expect(((await envelopeWithoutId.json()) as { issues: { path: string }[] }).issues.map((issue) => issue.path)).toEqual(["eventId"]);
  });

  it("answers 413 to a body over the size limit without storing anything", async () => {
    const before = (await listRecentPixelEvents(runtime.db.sql, SHOP, 1000)).length;
    const huge = await post({ shop: SHOP, events: [event({ eventId: "huge", params: { padding: "x".repeat(MAX_COLLECT_BYTES) } })] });
    expect(huge.status).toBe(413);
    expect((await listRecentPixelEvents(runtime.db.sql, SHOP, 1000)).length).toBe(before);
  });

  it("answers the same 404 for an unknown shop and an uninstalled one, storing nothing", async () => {
    const unknown = await post({ shop: "nobody-here.myshopify.com", events: [event()] });
    const uninstalled = await post({ shop: GONE, events: [event()] });
    expect(unknown.status).toBe(404);
    expect(uninstalled.status).toBe(404);
    expect(await unknown.json()).toEqual(await uninstalled.json());
    expect(await listRecentPixelEvents(runtime.db.sql, GONE, 10)).toEqual([]);
  });

  it("keeps only the newest events of a shop, trimming the oldest on insert", async () => {
    const shop = "collector-trim.myshopify.com";
    const row = (eventId: string): PixelEventInsert => ({
      eventTime: null,
      clientId: null,
      platform: "meta",
      channel: "browser",
      eventName: "PageView",
      eventId,
      params: {},
      consent: CONSENTED,
      url: null,
      forwarding: "forward",
    });
    await insertPixelEvents(runtime.db, shop, ["a", "b", "c"].map(row), 4);
    await insertPixelEvents(runtime.db, shop, ["d", "e", "f"].map(row), 4);
    expect((await listRecentPixelEvents(runtime.db.sql, shop, 100)).map((r) => r.eventId)).toEqual(["c", "d", "e", "f"]);
    // Another shop's log is untouched by the trim.
    expect((await listRecentPixelEvents(runtime.db.sql, SHOP, 1000)).length).toBeGreaterThan(4);
  });
});

describe("stripPersonalData", () => {
  it("lists what it dropped and leaves commerce data alone", () => {
    const { value, dropped } = stripPersonalData({ user: { email: "a@b.co" }, items: [{ item_id: "1", item_name: "Shirt" }], fbp: "fb.1.2.3", value: 3 });
    expect(value).toEqual({ items: [{ item_id: "1", item_name: "Shirt" }], value: 3 });
    expect(dropped).toEqual(["user", "fbp"]);
  });
});
