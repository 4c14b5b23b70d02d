import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeGoogleConsent, parseCollectorLog, parseHar, readCollectorLog, trafficLocation, type HarParseResult } from "../../../app/domain/tracking/har";
import type { TrafficEvent } from "../../../app/domain/tracking/types";
import {
  buildHar,
  collectorPost,
  ga4,
  metaCapi,
  metaPixel,
  otherRequest,
  pinterestCapi,
  pinterestTag,
  rawRequest,
  tiktokEventsApi,
  tiktokPixel,
  unixSeconds,
  type HarEntry,
} from "../../factories/har";

const T0 = "2025-06-02T10:00:00.000Z";
const T1 = "2025-06-02T10:00:05.000Z";
const UNKNOWN = { marketing: null, analytics: null, saleOfData: null };

function parsed(...entries: HarEntry[]): Extract<HarParseResult, { ok: true }> {
  // Through JSON, as a HAR file arrives.
  const result = parseHar(JSON.parse(JSON.stringify(buildHar(entries))) as unknown);
  if (!result.ok) throw new Error(`expected a parsed HAR, got: ${result.error}`);
  return result;
}

function only(...entries: HarEntry[]): TrafficEvent {
  const { events } = parsed(...entries);
  expect(events).toHaveLength(1);
  return events[0] as TrafficEvent;
}

describe("parseHar: Meta", () => {
  it("decodes a pixel request: ev, eid, cd[...] with JSON lists, and the request's time and URL", () => {
    const entry = metaPixel({ time: T0, event: "AddToCart", eventId: "evt-1", customData: { content_ids: ["451"], contents: [{ id: "451", quantity: 2 }], value: "49.90", currency: "USD" } });
    expect(only(entry)).toEqual({
      index: 0,
      platform: "meta",
      channel: "browser",
      eventName: "AddToCart",
      params: { content_ids: ["451"], contents: [{ id: "451", quantity: 2 }], value: "49.90", currency: "USD" },
      eventId: "evt-1",
      time: T0,
      eventTime: null,
      consent: UNKNOWN,
      url: entry.request.url,
    });
  });

  it("reads Limited Data Use (dpo=LDU) as a refused sale of data and keeps the flag as data_processing_options", () => {
    const event = only(metaPixel({ time: T0, event: "PageView", limitedDataUse: { country: 1, state: 1000 } }));
    expect(event.params).toEqual({ data_processing_options: ["LDU"], data_processing_options_country: 1, data_processing_options_state: 1000 });
    expect(event.consent).toEqual({ marketing: null, analytics: null, saleOfData: false });
  });

  it("reads a pixel POST whose parameters are in a multipart body", () => {
    const boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW";
    const field = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = field("id", "123") + field("ev", "Purchase") + field("cd[value]", "99.80") + field("cd[currency]", "EUR") + field("eid", "order-7") + `--${boundary}--\r\n`;
    const event = only(rawRequest(T0, "POST", "https://www.facebook.com/tr/", { mimeType: `multipart/form-data; boundary=${boundary}`, text: body }));
    expect(event).toMatchObject({ eventName: "Purchase", eventId: "order-7", params: { value: "99.80", currency: "EUR" } });
  });

  it("reads a pixel POST with a urlencoded body", () => {
    const event = only(rawRequest(T0, "POST", "https://www.facebook.com/tr", { mimeType: "application/x-www-form-urlencoded", text: "id=1&ev=Search&cd%5Bsearch_string%5D=linen+shirt" }));
    expect(event).toMatchObject({ eventName: "Search", params: { search_string: "linen shirt" } });
  });

  it("decodes every event of a Conversions API batch, with event_time as ISO time and LDU as consent", () => {
    const { events } = parsed(
      metaCapi(T1, [
        { event_name: "Purchase", event_id: "order-1", event_time: unixSeconds(T0), custom_data: { value: 10, currency: "USD" } },
        { event_name: "AddToCart", event_time: unixSeconds(T0), data_processing_options: ["LDU"], data_processing_options_country: 0, data_processing_options_state: 0 },
      ]),
    );
    expect(events.map((event) => [event.index, event.channel, event.eventName, event.eventId, event.time, event.eventTime])).toEqual([
      [0, "server", "Purchase", "order-1", T1, T0],
      [0, "server", "AddToCart", null, T1, T0],
    ]);
    expect(events[0]?.params).toEqual({ value: 10, currency: "USD" });
    expect(events[1]?.params).toEqual({ data_processing_options: ["LDU"], data_processing_options_country: 0, data_processing_options_state: 0 });
    expect(events[1]?.consent.saleOfData).toBe(false);
  });

  it("reads a Conversions API form post whose data field holds the JSON list", () => {
    const data = JSON.stringify([{ event_name: "Lead", event_id: "l-1", event_time: unixSeconds(T0) }]);
    const text = new URLSearchParams({ data, access_token: "secret" }).toString();
    const event = only(rawRequest(T1, "POST", "https://graph.facebook.com/v19.0/123/events", { mimeType: "application/x-www-form-urlencoded", text }));
    expect(event).toMatchObject({ platform: "meta", channel: "server", eventName: "Lead", eventId: "l-1", eventTime: T0 });
  });
});

describe("parseHar: TikTok", () => {
  it("decodes a pixel request, flattening properties", () => {
    const event = only(tiktokPixel({ time: T0, event: "ViewContent", eventId: "e-1", properties: { content_ids: ["451"], content_type: "product", value: 5, currency: "USD" } }));
    expect(event).toMatchObject({ platform: "tiktok", channel: "browser", eventName: "ViewContent", eventId: "e-1", params: { content_ids: ["451"], content_type: "product", value: 5, currency: "USD" }, consent: UNKNOWN });
  });

  it("decodes a pixel batch", () => {
    const body = { batch: [{ event: "ViewContent", event_id: "a" }, { event: "AddToCart", event_id: "b" }] };
    const { events } = parsed(rawRequest(T0, "POST", "https://analytics.tiktok.com/api/v2/pixel/batch", { mimeType: "application/json", text: JSON.stringify(body) }));
    expect(events.map((event) => event.eventName)).toEqual(["ViewContent", "AddToCart"]);
  });

  it("decodes the Events API, keeping limited_data_use as a parameter and a refused sale of data", () => {
    const event = only(tiktokEventsApi(T1, [{ event: "Purchase", event_id: "order-1", event_time: unixSeconds(T0), limited_data_use: true, properties: { value: 3, currency: "EUR" } }]));
    expect(event).toMatchObject({ channel: "server", eventName: "Purchase", eventId: "order-1", eventTime: T0, params: { value: 3, currency: "EUR", limited_data_use: true } });
    expect(event.consent).toEqual({ marketing: null, analytics: null, saleOfData: false });
  });
});

describe("parseHar: Pinterest", () => {
  it("decodes a tag request: the event code, ed as parameters, and ed.event_id as the event id", () => {
    const event = only(pinterestTag({ time: T0, event: "checkout", eventData: { value: 9.5, currency: "USD", order_id: "1", line_items: [{ product_id: "451" }], event_id: "order-1" } }));
    expect(event).toMatchObject({ platform: "pinterest", channel: "browser", eventName: "checkout", eventId: "order-1", params: { value: 9.5, currency: "USD", order_id: "1", line_items: [{ product_id: "451" }] } });
    expect(event.params).not.toHaveProperty("event_id");
  });

  it("reads the /user/ endpoint the same way", () => {
    expect(only(pinterestTag({ time: T0, event: "addtocart", endpoint: "user" })).eventName).toBe("addtocart");
  });

  it("decodes the Conversions API, with opt_out kept and read as a refused sale of data", () => {
    const event = only(pinterestCapi(T1, [{ event_name: "checkout", event_id: "order-1", event_time: unixSeconds(T0), opt_out: true, custom_data: { value: "9.50", currency: "USD" } }]));
    expect(event).toMatchObject({ channel: "server", eventName: "checkout", eventId: "order-1", eventTime: T0, params: { value: "9.50", currency: "USD", opt_out: true } });
    expect(event.consent.saleOfData).toBe(false);
  });
});

describe("parseHar: GA4", () => {
  it("decodes one event from the URL: ep.* as text, epn.* as numbers, cu as currency, prN as items", () => {
    const event = only(
      ga4({ time: T0, events: [{ name: "purchase", currency: "USD", params: { transaction_id: "1001" }, numbers: { value: 59.8, tax: 4 }, items: [{ item_id: "451", item_name: "Shirt", price: 29.9, quantity: 2 }, { item_name: "Gift wrap" }] }] }),
    );
    expect(event).toMatchObject({ platform: "ga4", channel: "browser", eventName: "purchase", eventId: null });
    expect(event.params).toEqual({
      currency: "USD",
      transaction_id: "1001",
      value: 59.8,
      tax: 4,
      items: [{ item_id: "451", item_name: "Shirt", price: 29.9, quantity: 2 }, { item_name: "Gift wrap" }],
    });
    expect(event.consent).toEqual({ marketing: true, analytics: true, saleOfData: true });
  });

  it("decodes every line of a batched POST, each over the URL's shared parameters", () => {
    const { events } = parsed(ga4({ time: T0, host: "www.google-analytics.com", events: [{ name: "view_item", numbers: { value: 1 } }, { name: "add_to_cart", numbers: { value: 2 } }] }));
    expect(events.map((event) => [event.index, event.eventName, event.params.value])).toEqual([
      [0, "view_item", 1],
      [0, "add_to_cart", 2],
    ]);
    expect(events.every((event) => event.consent.marketing === true)).toBe(true);
  });

  it("keeps item custom parameters (kN/vN) and unknown codes", () => {
    const url = "https://region1.google-analytics.com/g/collect?v=2&en=view_item&pr1=id451~k0colour~v0navy~zzodd";
    expect(only(rawRequest(T0, "POST", url)).params.items).toEqual([{ item_id: "451", colour: "navy", zz: "odd" }]);
  });

  it("keeps a non-numeric epn value as text, so the value check can name it", () => {
    const url = "https://region1.google-analytics.com/g/collect?v=2&en=purchase&epn.value=12%2C50";
    expect(only(rawRequest(T0, "POST", url)).params.value).toBe("12,50");
  });
});

describe("decodeGoogleConsent", () => {
  it.each([
    ["G111", null, { marketing: true, analytics: true, saleOfData: null }],
    ["G100", null, { marketing: false, analytics: false, saleOfData: null }],
    ["G110", null, { marketing: true, analytics: false, saleOfData: null }],
    ["G101", null, { marketing: false, analytics: true, saleOfData: null }],
    [null, "11p1p1p1p5", { marketing: false, analytics: false, saleOfData: null }],
    [null, "13r3r3r3r5l1", { marketing: true, analytics: true, saleOfData: true }],
    [null, "13t3t3t3p5", { marketing: true, analytics: true, saleOfData: false }],
    [null, "13v3u3n3m5", { marketing: true, analytics: false, saleOfData: false }],
    [null, "13l3l3l3l5", { marketing: null, analytics: null, saleOfData: null }],
    // gcd speaks for all four signals and wins over gcs.
    ["G111", "13q3q3q3q5", { marketing: false, analytics: false, saleOfData: null }],
    ["garbage", "x", { marketing: null, analytics: null, saleOfData: null }],
  ])("gcs %s, gcd %s", (gcs, gcd, observed) => {
    expect(decodeGoogleConsent(gcs, gcd).observed).toEqual(observed);
  });

  it("reports each v2 signal", () => {
    expect(decodeGoogleConsent(null, "13t3p3r3q5")).toMatchObject({ adStorage: "granted", analyticsStorage: "denied", adUserData: "granted", adPersonalization: "denied" });
  });
});

describe("parseHar: collector posts, skipped requests and errors", () => {
  it("reads the extension's posts to Shelfcast's collector, whatever its address", () => {
    const event = only(
      collectorPost(T1, [
        { platform: "meta", channel: "browser", eventName: "Purchase", params: { value: 5 }, eventId: "order-1", time: T0, consent: { marketingAllowed: true, analyticsProcessingAllowed: false, saleOfDataAllowed: true } },
      ]),
    );
    expect(event).toMatchObject({ platform: "meta", channel: "browser", eventName: "Purchase", eventId: "order-1", time: T0, params: { value: 5 } });
    expect(event.consent).toEqual({ marketing: true, analytics: false, saleOfData: true });
  });

  it("skips and counts requests it does not recognise, and reports recognised ones it cannot decode", () => {
    const result = parsed(
      otherRequest(T0),
      rawRequest(T0, "POST", "https://example.com/api", { mimeType: "application/json", text: '{"hello":1}' }),
      rawRequest(T0, "GET", "not a url"),
      rawRequest(T0, "POST", "https://analytics.tiktok.com/api/v2/pixel", { mimeType: "application/json", text: "{broken" }),
      rawRequest(T0, "GET", "https://www.facebook.com/tr/?id=1"),
      metaPixel({ time: T0, event: "PageView" }),
    );
    expect(result.events.map((event) => event.index)).toEqual([5]);
    expect(result.skipped).toBe(5);
    expect(result.problems).toEqual([
      { index: 3, message: "TikTok Pixel request whose body is not a JSON object." },
      { index: 4, message: "Meta Pixel request without an event name (ev)." },
    ]);
  });

  it("accepts the HAR as text", () => {
    const result = parseHar(JSON.stringify(buildHar([metaPixel({ time: T0, event: "PageView" })])));
    expect(result.ok && result.events.map((event) => event.eventName)).toEqual(["PageView"]);
  });

  it.each([
    ["not JSON at all", "{", "Not a HAR 1.2 file: log.entries is missing or not a list.", null],
    ["no log", { entries: [] }, "Not a HAR 1.2 file: log.entries is missing or not a list.", null],
    ["an entry that is not an object", { log: { entries: [{ request: { url: "https://a.test/" }, startedDateTime: T0 }, 7] } }, "log.entries[1] is not an object.", 1],
    ["an entry without request", { log: { entries: [{ startedDateTime: T0 }] } }, "log.entries[0].request is missing.", 0],
    ["a request without url", { log: { entries: [{ startedDateTime: T0, request: { method: "GET" } }] } }, "log.entries[0].request.url is missing or not a string.", 0],
    ["a recognised request without a time", { log: { entries: [{ request: { method: "GET", url: "https://www.facebook.com/tr/?ev=PageView" } }] } }, "log.entries[0].startedDateTime is missing or not a date.", 0],
  ])("refuses %s with an error naming the entry", (_label, input, error, entry) => {
    expect(parseHar(input)).toEqual({ ok: false, error, entry });
  });

  it("never throws, whatever it is given", () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.record({ log: fc.record({ entries: fc.array(fc.anything()) }) })), (input) => {
        const result = parseHar(input);
        expect(typeof result.ok).toBe("boolean");
      }),
      { numRuns: 300 },
    );
  });
});

describe("parseCollectorLog", () => {
  const line = (fields: Record<string, unknown>) => JSON.stringify({ platform: "meta", channel: "browser", eventName: "Purchase", params: { value: 10, currency: "USD" }, eventId: "order-1", time: T0, consent: { marketing: true, analytics: true, saleOfData: true }, ...fields });

  it("reads JSON lines and parsed objects, ignoring blank lines; index is the line's position", () => {
    const events = parseCollectorLog([line({}), "", { platform: "ga4", eventName: "purchase", time: T1, url: "https://shop.test/thanks" }]);
    expect(events.map((event) => [event.index, event.platform, event.channel, event.eventName, event.time, event.url])).toEqual([
      [0, "meta", "browser", "Purchase", T0, ""],
      [2, "ga4", "browser", "purchase", T1, "https://shop.test/thanks"],
    ]);
    expect(events[1]?.consent).toEqual(UNKNOWN);
  });

  it("adds the server copy a browser record was forwarded as, with the limited data use flag when limited", () => {
    const events = parseCollectorLog([
      line({ forwarding: "forward" }),
      line({ platform: "tiktok", forwarding: "forward_limited", consent: { marketing: true, analytics: true, saleOfData: false } }),
      line({ platform: "pinterest", eventName: "addtocart", forwarding: "forward_limited" }),
      line({ forwarding: "held_no_consent" }),
    ]);
    expect(events.map((event) => [event.index, event.platform, event.channel, event.eventName, event.eventId])).toEqual([
      [0, "meta", "browser", "Purchase", "order-1"],
      [0, "meta", "server", "Purchase", "order-1"],
      [1, "tiktok", "browser", "Purchase", "order-1"],
      [1, "tiktok", "server", "Purchase", "order-1"],
      [2, "pinterest", "browser", "addtocart", "order-1"],
      [2, "pinterest", "server", "add_to_cart", "order-1"],
      [3, "meta", "browser", "Purchase", "order-1"],
    ]);
    expect(events[1]?.params).toEqual({ value: 10, currency: "USD" });
    expect(events[3]?.params).toMatchObject({ limited_data_use: true });
    expect(events[5]?.params).toMatchObject({ opt_out: true });
  });

  it("drops server records that were held (never sent) and reports lines that are not records", () => {
    const result = readCollectorLog([line({ channel: "server", forwarding: "held_no_event_id" }), "{nope", line({ platform: "snapchat" }), line({ time: "yesterday" }), 5]);
    expect(result.events).toEqual([]);
    expect(result.skipped).toBe(5);
    expect(result.problems).toEqual([
      { index: 1, message: "not valid JSON." },
      { index: 2, message: 'platform "snapchat" is not one of meta, tiktok, pinterest, ga4.' },
      { index: 3, message: "time is missing or not a date." },
      { index: 4, message: "not a JSON object." },
    ]);
  });

  it("takes receivedAt as the time and eventTime as the event's own time", () => {
    const [event] = parseCollectorLog([{ platform: "meta", channel: "server", eventName: "Purchase", receivedAt: T1, eventTime: unixSeconds(T0) }]);
    expect(event).toMatchObject({ time: T1, eventTime: T0 });
  });
});

describe("trafficLocation", () => {
  it("names HAR entries by log.entries index and log lines by line number", () => {
    expect(trafficLocation(12, "har")).toBe("har entry 12");
    expect(trafficLocation(12, "collector-log")).toBe("log line 13");
  });
});

describe("the pixel's own collector posts", () => {
  it("reads the envelope: one business event with a destination per platform", () => {
    const har = {
      log: {
        version: "1.2",
        entries: [
          {
            startedDateTime: "2026-11-22T10:00:00.000Z",
            request: {
              method: "POST",
              url: "https://shelfcast.example/pixel/collect",
              postData: {
                mimeType: "text/plain",
                text: JSON.stringify({
                  v: 1,
                  shop: "demo.myshopify.com",
                  eventId: "order-1001",
                  shopifyEvent: "checkout_completed",
                  occurredAt: "2026-11-22T10:00:00.000Z",
                  consent: { marketing: true, analytics: true, saleOfData: true },
                  pageUrl: "https://demo.example/checkouts/thank-you",
                  destinations: [
                    { platform: "meta", eventName: "Purchase", params: { value: 10, currency: "USD" } },
                    { platform: "ga4", eventName: "purchase", params: { value: 10, currency: "USD", transaction_id: "1001" } },
                  ],
                }),
              },
            },
          },
        ],
      },
    };
    const parsed = parseHar(har);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.events.map((e) => [e.platform, e.eventName, e.eventId, e.consent.marketing])).toEqual([
      ["meta", "Purchase", "order-1001", true],
      ["ga4", "purchase", "order-1001", true],
    ]);
  });
});
