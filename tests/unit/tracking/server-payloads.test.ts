import { describe, expect, it } from "vitest";
import {
  META_MAX_EVENTS_PER_REQUEST,
  metaEventsBodies,
  metaServerEvent,
  metaVerdict,
  tiktokEventsBodies,
  tiktokServerEvent,
  tiktokVerdict,
  type ForwardableEvent,
} from "../../../app/domain/tracking/server-payloads";

const purchase: ForwardableEvent = {
  eventName: "Purchase",
  eventId: "evt-123",
  eventTime: new Date("2026-11-20T10:00:05.900Z"),
  url: "https://shop.example.com/checkouts/thank-you",
  params: { value: "49.90", currency: "eur", content_ids: ["sku-1"], content_type: "product", em: "leaked@example.com", user_data: { ph: "123" }, fbp: "fb.1.2" },
  limited: false,
};

describe("Meta Conversions API payloads", () => {
  it("keeps the browser copy's event id and name, action_source website, and commerce data only", () => {
    expect(metaServerEvent(purchase)).toEqual({
      event_name: "Purchase",
      event_time: 1795168805,
      event_id: "evt-123",
      action_source: "website",
      event_source_url: "https://shop.example.com/checkouts/thank-you",
      user_data: {},
      custom_data: { value: 49.9, currency: "EUR", content_ids: ["sku-1"], content_type: "product" },
    });
  });

  it("flags Limited Data Use with country and state 0 when sale of data was refused", () => {
    const event = metaServerEvent({ ...purchase, limited: true });
    expect(event.data_processing_options).toEqual(["LDU"]);
    expect(event.data_processing_options_country).toBe(0);
    expect(event.data_processing_options_state).toBe(0);
    expect(metaServerEvent(purchase)).not.toHaveProperty("data_processing_options");
  });

  it("batches at most 1,000 events per request and carries the test event code", () => {
    const events = Array.from({ length: 2_001 }, (_, i) => ({ ...purchase, eventId: `e${i}` }));
    const bodies = metaEventsBodies(events, "TEST123");
    expect(bodies.map((body) => body.data.length)).toEqual([META_MAX_EVENTS_PER_REQUEST, 1_000, 1]);
    expect(bodies[2]?.data[0]?.event_id).toBe("e2000");
    expect(bodies[0]?.test_event_code).toBe("TEST123");
    expect(metaEventsBodies([purchase], null)[0]).not.toHaveProperty("test_event_code");
  });

  it("classifies answers: retry rate limits and 5xx, reconnect on 190, give up on bad input", () => {
    expect(metaVerdict(200, { events_received: 1 })).toEqual({ kind: "ok" });
    expect(metaVerdict(500, {}).kind).toBe("retry");
    expect(metaVerdict(400, { error: { code: 17, message: "User request limit reached" } }).kind).toBe("retry");
    expect(metaVerdict(400, { error: { code: 613, message: "Calls within one hour have exceeded" } }).kind).toBe("retry");
    expect(metaVerdict(401, { error: { code: 190, message: "Invalid OAuth access token" } })).toEqual({
      kind: "reconnect",
      reason: "Meta answered HTTP 401 (code 190): Invalid OAuth access token",
    });
    expect(metaVerdict(400, { error: { code: 100, message: "Invalid parameter" } }).kind).toBe("rejected");
  });
});

describe("TikTok Events API payloads", () => {
  it("builds event, event_time, event_id, page and properties without personal data", () => {
    expect(tiktokServerEvent({ ...purchase, eventName: "CompletePayment" })).toEqual({
      event: "CompletePayment",
      event_time: 1795168805,
      event_id: "evt-123",
      page: { url: "https://shop.example.com/checkouts/thank-you" },
      properties: { value: 49.9, currency: "EUR", content_ids: ["sku-1"], content_type: "product" },
    });
  });

  it("sets limited_data_use when sale of data was refused, and names the pixel as event_source_id", () => {
    const [body] = tiktokEventsBodies([{ ...purchase, limited: true }], "C4PIXELCODE", null);
    expect(body?.event_source).toBe("web");
    expect(body?.event_source_id).toBe("C4PIXELCODE");
    expect(body?.data[0]?.limited_data_use).toBe(true);
    expect(tiktokServerEvent(purchase)).not.toHaveProperty("limited_data_use");
  });

  it("drops a value that is not a number", () => {
    expect(tiktokServerEvent({ ...purchase, params: { value: "free", currency: "USD" } }).properties).toEqual({ currency: "USD" });
  });

  it("classifies answers by the body code", () => {
    expect(tiktokVerdict(200, { code: 0, message: "OK", request_id: "r" })).toEqual({ kind: "ok" });
    expect(tiktokVerdict(200, { code: 40100, message: "Too many requests" }).kind).toBe("retry");
    expect(tiktokVerdict(503, {}).kind).toBe("retry");
    expect(tiktokVerdict(200, { code: 40105, message: "Access token is incorrect or has been revoked" }).kind).toBe("reconnect");
    expect(tiktokVerdict(200, { code: 40002, message: "event is required" })).toEqual({ kind: "rejected", reason: "TikTok answered HTTP 200 (code 40002): event is required" });
  });
});
