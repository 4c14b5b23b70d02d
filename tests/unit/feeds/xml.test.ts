import fc from "fast-check";
import { XMLParser } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { ChannelRecord } from "../../../app/domain/channels/types";
import { createFeedSerializer, type FeedSerializer } from "../../../app/domain/feeds/serializer";
import { escapeXmlText, stripXmlForbidden, XML_MAX_LINE_BYTES, type RssOptions } from "../../../app/domain/feeds/xml";
import { feedText, flatFeed } from "./feed-text";

const RSS: RssOptions = {
  flavour: "rss-google",
  title: "Shelfcast Demo — Google (US)",
  link: "https://shelfcast-demo.com",
  description: "Product feed for Google, market US (USD)",
};

function write(serializer: FeedSerializer, records: readonly ChannelRecord[]): string {
  return serializer.header() + records.map((each) => serializer.record(each)).join("") + serializer.footer();
}

/**
 * Keeps every value a string, exactly as written (no trimming, no number parsing), and every item and
 * item field an array, so repeated elements and single ones read alike. htmlEntities only switches on
 * numeric character references (`&#xD;`), which fast-xml-parser leaves undecoded otherwise although
 * they are plain XML.
 */
const parser = new XMLParser({
  parseTagValue: false,
  trimValues: false,
  processEntities: true,
  htmlEntities: true,
  ignoreDeclaration: true,
  ignoreAttributes: false,
  isArray: (_name, jpath) => String(jpath) === "rss.channel.item" || String(jpath).startsWith("rss.channel.item."),
});

/** An item is an object of its fields, or just its whitespace text when it has no field at all. */
type ParsedItem = Record<string, string[] | string> | string;

interface ParsedChannel {
  title?: string;
  item?: ParsedItem[];
}

/** Parses the feed from its UTF-8 bytes, as a channel receives it. */
function readChannel(feed: string): ParsedChannel {
  return (parser.parse(Buffer.from(feed, "utf8").toString("utf8")) as { rss: { channel: ParsedChannel } }).rss.channel;
}

function readItems(feed: string): ParsedItem[] {
  return readChannel(feed).item ?? [];
}

/** An item's fields as parsed, without the whitespace text between elements. */
function fieldsOf(item: ParsedItem): Record<string, string[] | string> {
  if (typeof item === "string") return {};
  return Object.fromEntries(Object.entries(item).filter(([name]) => name !== "#text"));
}

/** The text between an item's elements: line breaks only, nothing a reader could take for a value. */
function textBetweenElements(item: ParsedItem): string {
  return typeof item === "string" ? item : [item["#text"] ?? ""].flat().join("");
}

/** What a reader should find: every non-empty value, minus the characters XML 1.0 forbids, as g: elements. */
function expectedFields(columns: readonly string[], each: ChannelRecord): Record<string, string[]> {
  const expected: Record<string, string[]> = {};
  for (const column of columns) {
    if (!Object.hasOwn(each.fields, column)) continue;
    const value = (each.fields as Record<string, string | string[]>)[column] ?? [];
    const texts = (Array.isArray(value) ? value : [value]).map(stripXmlForbidden).filter((text) => text !== "");
    if (texts.length > 0) expected[`g:${column}`] = texts;
  }
  return expected;
}

describe("stripXmlForbidden", () => {
  it("removes C0 controls other than TAB, LF and CR, U+FFFE, U+FFFF and lone surrogates", () => {
    expect(stripXmlForbidden("a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFFh\uD800i\uDFFFj")).toBe("abcdefghij");
  });

  it("keeps TAB, LF, CR, DEL, C1 controls, emoji and other astral characters", () => {
    const allowed = "\t\n\r\u007F\u0085😀\u{10FFFF}\u{1F1FA}\u{1F1F8}\uFFFD";
    expect(stripXmlForbidden(allowed)).toBe(allowed);
  });
});

describe("escapeXmlText", () => {
  it.each([
    ["Shirts & Tops", "Shirts &amp; Tops"],
    ['<b>"Bold"</b>', "&lt;b&gt;&quot;Bold&quot;&lt;/b&gt;"],
    ["it's ]]>", "it&apos;s ]]&gt;"],
    ["line\r\nbreak", "line&#xD;\nbreak"],
    ["bell\u0007 & emoji 😀", "bell &amp; emoji 😀"],
    ["plain", "plain"],
  ])("writes %j as %j", (input, output) => {
    expect(escapeXmlText(input)).toBe(output);
  });
});

describe("RSS 2.0 feed with the g: namespace", () => {
  const columns = ["id", "title", "price", "additional_image_link", "availability", "description"];

  it("writes the prolog, the channel, one item per record and each element on its own line", () => {
    const serializer = createFeedSerializer({ format: "xml", columns, xml: RSS });
    const feed = write(serializer, [
      {
        key: "45100000000123",
        itemIds: ["45100000000123"],
        fields: {
          id: "45100000000123",
          title: "Shirts & Tops <Navy>",
          price: "49.00 USD",
          additional_image_link: ["https://cdn.example/2.jpg?a=1&b=2", "https://cdn.example/3.jpg"],
          availability: "in_stock",
          description: "",
        },
      },
    ]);
    expect(feed).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">\n' +
        "<channel>\n" +
        "<title>Shelfcast Demo — Google (US)</title>\n" +
        "<link>https://shelfcast-demo.com</link>\n" +
        "<description>Product feed for Google, market US (USD)</description>\n" +
        "<item>\n" +
        "<g:id>45100000000123</g:id>\n" +
        "<g:title>Shirts &amp; Tops &lt;Navy&gt;</g:title>\n" +
        "<g:price>49.00 USD</g:price>\n" +
        "<g:additional_image_link>https://cdn.example/2.jpg?a=1&amp;b=2</g:additional_image_link>\n" +
        "<g:additional_image_link>https://cdn.example/3.jpg</g:additional_image_link>\n" +
        "<g:availability>in_stock</g:availability>\n" +
        "</item>\n" +
        "</channel>\n" +
        "</rss>\n",
    );
    expect(serializer.contentType).toBe("application/xml; charset=utf-8");
    expect(serializer.fileExtension).toBe("xml");
  });

  it("writes an empty feed as a channel without items", () => {
    const feed = write(createFeedSerializer({ format: "xml", columns: ["id"], xml: RSS }), []);
    expect(feed.endsWith("</description>\n</channel>\n</rss>\n")).toBe(true);
    expect(readItems(feed)).toEqual([]);
  });

  it("honours a custom item element and un-prefixed fields", () => {
    const serializer = createFeedSerializer({
      format: "xml",
      columns: ["id", "title"],
      xml: { ...RSS, itemElement: "entry", unprefixedFields: ["title"] },
    });
    expect(serializer.record({ key: "1", itemIds: ["1"], fields: { id: "1", title: "Mug" } })).toBe(
      "<entry>\n<g:id>1</g:id>\n<title>Mug</title>\n</entry>\n",
    );
  });

  it("writes the channel's title, link and description even when empty, as RSS requires", () => {
    const header = createFeedSerializer({ format: "xml", columns: ["id"], xml: { ...RSS, description: "" } }).header();
    expect(header.endsWith("<description></description>\n")).toBe(true);
  });

  it("escapes the channel's own title, link and description", () => {
    const header = createFeedSerializer({ format: "xml", columns: ["id"], xml: { ...RSS, title: "Bits & <Bobs>", link: "https://x.example/?a=1&b=2" } }).header();
    expect(header).toContain("<title>Bits &amp; &lt;Bobs&gt;</title>\n<link>https://x.example/?a=1&amp;b=2</link>\n");
  });

  it.each([["g:id"], ["1st"], ["has space"], [""]])("refuses %j as a column name", (column) => {
    expect(() => createFeedSerializer({ format: "xml", columns: ["id", column], xml: RSS })).toThrow("cannot be an XML element name");
  });

  it("needs the channel's title, link and description", () => {
    expect(() => createFeedSerializer({ format: "xml", columns: ["id"] })).toThrow("xml options");
  });

  describe("line length (Meta rejects XML lines over 5,242,880 bytes)", () => {
    const serializer = createFeedSerializer({ format: "xml", columns: ["id", "description"], xml: RSS });
    const tags = "<g:description></g:description>".length;
    const item = (description: string): ChannelRecord => ({ key: "9", itemIds: ["9"], fields: { id: "9", description } });

    it("accepts a line of exactly the limit", () => {
      const output = serializer.record(item("a".repeat(XML_MAX_LINE_BYTES - tags)));
      const longest = Math.max(...output.split("\n").map((line) => Buffer.byteLength(line, "utf8")));
      expect(longest).toBe(XML_MAX_LINE_BYTES);
    });

    it("throws a clear error one byte over, instead of writing a feed the channel rejects", () => {
      expect(() => serializer.record(item("a".repeat(XML_MAX_LINE_BYTES - tags + 1)))).toThrow(
        `The value of description in record "9" would make a ${XML_MAX_LINE_BYTES + 1}-byte XML line`,
      );
    });

    it("counts UTF-8 bytes and escapes, not characters", () => {
      expect(() => serializer.record(item("é".repeat(XML_MAX_LINE_BYTES / 2)))).toThrow(RangeError);
      expect(() => serializer.record(item("&".repeat(XML_MAX_LINE_BYTES / 4)))).toThrow(RangeError);
    });

    it("accepts a long value whose lines are short", () => {
      const output = serializer.record(item("a line of text\n".repeat(400_000)));
      expect(output.length).toBeGreaterThan(XML_MAX_LINE_BYTES);
    });
  });

  it("reads back through fast-xml-parser equal to the input minus the characters XML forbids", () => {
    const elementName = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/);
    fc.assert(
      fc.property(flatFeed(elementName), feedText, ({ columns: cols, records }, title) => {
        const feed = write(createFeedSerializer({ format: "xml", columns: cols, xml: { ...RSS, title } }), records);
        const channel = readChannel(feed);
        expect(channel.title).toBe(stripXmlForbidden(title));
        const items = channel.item ?? [];
        expect(items).toHaveLength(records.length);
        items.forEach((item, index) => {
          const source = records[index];
          if (!source) throw new Error("more items than records");
          expect(fieldsOf(item)).toEqual(expectedFields(cols, source));
          expect(textBetweenElements(item)).toMatch(/^\n*$/);
        });
      }),
      { numRuns: 400 },
    );
  });
});
