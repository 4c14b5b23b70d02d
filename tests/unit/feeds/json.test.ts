import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChannelRecord } from "../../../app/domain/channels/types";
import { createFeedSerializer, type FeedSerializer } from "../../../app/domain/feeds/serializer";
import { feedText } from "./feed-text";

function write(serializer: FeedSerializer, records: readonly ChannelRecord[]): string {
  return serializer.header() + records.map((each) => serializer.record(each)).join("") + serializer.footer();
}

const tiktokProduct = (id: string, title: string): ChannelRecord => ({
  key: id,
  itemIds: [`${id}-1`, `${id}-2`],
  fields: { title, category_id: "601226", skus: [{ seller_sku: `${id}-1`, price: { amount: "19.99", currency: "USD" } }] },
});

describe("JSON feed (TikTok Shop product payloads)", () => {
  it("writes an array with one payload per line and commas only between records", () => {
    const serializer = createFeedSerializer({ format: "json", columns: [] });
    expect(write(serializer, [tiktokProduct("p1", "Mug"), tiktokProduct("p2", 'The "Big" Mug')])).toBe(
      "[\n" +
        '{"title":"Mug","category_id":"601226","skus":[{"seller_sku":"p1-1","price":{"amount":"19.99","currency":"USD"}}]},\n' +
        '{"title":"The \\"Big\\" Mug","category_id":"601226","skus":[{"seller_sku":"p2-1","price":{"amount":"19.99","currency":"USD"}}]}\n' +
        "]\n",
    );
    expect(serializer.contentType).toBe("application/json; charset=utf-8");
    expect(serializer.fileExtension).toBe("json");
  });

  it("writes an empty feed as an empty array", () => {
    expect(write(createFeedSerializer({ format: "json", columns: [] }), [])).toBe("[\n]\n");
  });

  it("starts over at header(), so no stray comma leads a second file", () => {
    const serializer = createFeedSerializer({ format: "json", columns: [] });
    write(serializer, [tiktokProduct("p1", "Mug")]);
    expect(JSON.parse(write(serializer, [tiktokProduct("p2", "Cup")]))).toEqual([tiktokProduct("p2", "Cup").fields]);
  });

  it("escapes lone surrogates so the bytes stay valid UTF-8", () => {
    const serializer = createFeedSerializer({ format: "json", columns: [] });
    serializer.header();
    expect(serializer.record(tiktokProduct("p1", "broken \uD800 text"))).toContain('"broken \\ud800 text"');
  });

  it("round-trips any payloads through JSON.parse of the UTF-8 bytes", () => {
    // fc.json() gives JSON text, so the payloads hold only what JSON can carry (no -0, no undefined).
    const payload = fc.oneof(fc.json().map((text) => JSON.parse(text) as unknown), fc.dictionary(feedText, feedText));
    fc.assert(
      fc.property(fc.array(payload, { maxLength: 5 }), (payloads) => {
        const records = payloads.map((fields, index): ChannelRecord => ({ key: `p${index}`, itemIds: [], fields: fields as Record<string, unknown> }));
        const bytes = Buffer.from(write(createFeedSerializer({ format: "json", columns: [] }), records), "utf8");
        expect(JSON.parse(bytes.toString("utf8"))).toEqual(payloads);
      }),
      { numRuns: 300 },
    );
  });
});
