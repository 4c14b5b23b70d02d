import { parse } from "csv-parse/sync";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ChannelRecord } from "../../../app/domain/channels/types";
import { neutralizeFormula, quoteField } from "../../../app/domain/feeds/csv";
import { createFeedSerializer, type FeedSerializer } from "../../../app/domain/feeds/serializer";
import { asEncodedUtf8, feedText, flatFeed } from "./feed-text";

function record(key: string, fields: Record<string, string | string[]>): ChannelRecord {
  return { key, itemIds: [key], fields };
}

function write(serializer: FeedSerializer, records: readonly ChannelRecord[]): string {
  return serializer.header() + records.map((each) => serializer.record(each)).join("") + serializer.footer();
}

/** Reads a feed back the way a channel would: from UTF-8 bytes, strict quoting, every row the same width. */
function readBack(feed: string, delimiter: "," | "\t"): string[][] {
  return parse(Buffer.from(feed, "utf8"), { delimiter, bom: true, relax_quotes: false, relax_column_count: false }) as string[][];
}

function ownValue(each: ChannelRecord, column: string): string | string[] | undefined {
  return Object.hasOwn(each.fields, column) ? (each.fields as Record<string, string | string[]>)[column] : undefined;
}

/** The cell a channel should read for a value: lists joined with commas, formulas neutralised, as UTF-8 encodes it. */
function expectedCell(value: string | string[] | undefined): string {
  if (value === undefined) return "";
  return asEncodedUtf8(neutralizeFormula(Array.isArray(value) ? value.join(",") : value));
}

describe("neutralizeFormula", () => {
  it.each([
    ["=HYPERLINK(\"http://evil\",\"click\")", "'=HYPERLINK(\"http://evil\",\"click\")"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    ["-", "'-"],
    ["+", "'+"],
    ["-12.50 USD", "'-12.50 USD"],
  ])("prefixes %j with a single quote", (input, output) => {
    expect(neutralizeFormula(input)).toBe(output);
  });

  it.each(["-12.50", "+44", "-0", "+.5", "-3.", "12.50", "Linen Shirt", "", " =not first", "'=already text", "1=1"])(
    "leaves %j alone",
    (input) => {
      expect(neutralizeFormula(input)).toBe(input);
    },
  );

  it("prefixes exactly the cells that start like a formula and are not plain numbers", () => {
    fc.assert(
      fc.property(feedText, (text) => {
        const startsLikeFormula = /^[=+\-@\t\r]/.test(text);
        const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text);
        expect(neutralizeFormula(text)).toBe(startsLikeFormula && !plainNumber ? `'${text}` : text);
      }),
      { numRuns: 500 },
    );
  });
});

describe("quoteField", () => {
  it.each([
    ["plain", ",", "plain"],
    ["a,b", ",", '"a,b"'],
    ["a,b", "\t", "a,b"],
    ["a\tb", "\t", '"a\tb"'],
    ["a\tb", ",", "a\tb"],
    ['say "hi"', ",", '"say ""hi"""'],
    ["two\nlines", ",", '"two\nlines"'],
    ["cr\ronly", "\t", '"cr\ronly"'],
    [" leading", ",", '" leading"'],
    ["trailing\u00A0", ",", '"trailing\u00A0"'],
    ["", ",", ""],
  ] as const)("writes %j with delimiter %j as %j", (input, delimiter, output) => {
    expect(quoteField(input, delimiter)).toBe(output);
  });
});

describe("CSV feed", () => {
  const columns = ["id", "title", "price", "additional_image_link", "description", "quantity_to_sell_on_facebook"];

  it("writes a header and two rows, quoting, joining lists and neutralising formulas", () => {
    const serializer = createFeedSerializer({ format: "csv", columns });
    const feed = write(serializer, [
      record("101", {
        id: "101",
        title: 'Linen Shirt, "Navy"',
        price: "49.00 USD",
        additional_image_link: ["https://cdn.example/2.jpg", "https://cdn.example/3.jpg"],
        description: "=HYPERLINK(\"http://evil\")",
        quantity_to_sell_on_facebook: "-1",
      }),
      record("102", { id: "102", title: " Wide trousers ", description: "Line one\nLine two" }),
    ]);
    expect(feed).toBe(
      "id,title,price,additional_image_link,description,quantity_to_sell_on_facebook\r\n" +
        '101,"Linen Shirt, ""Navy""",49.00 USD,"https://cdn.example/2.jpg,https://cdn.example/3.jpg","\'=HYPERLINK(""http://evil"")",-1\r\n' +
        '102," Wide trousers ",,,"Line one\nLine two",\r\n',
    );
    expect(serializer.contentType).toBe("text/csv; charset=utf-8");
    expect(serializer.fileExtension).toBe("csv");
  });

  it("starts with a byte order mark only when asked", () => {
    expect(createFeedSerializer({ format: "csv", columns: ["id"] }).header()).toBe("id\r\n");
    expect(createFeedSerializer({ format: "csv", columns: ["id"], bom: true }).header()).toBe("\uFEFFid\r\n");
  });

  it("never neutralises column names, which channels match exactly", () => {
    expect(createFeedSerializer({ format: "csv", columns: ["-weird", "a,b"] }).header()).toBe('-weird,"a,b"\r\n');
  });

  it("writes numbers and booleans as text, missing and null values as empty cells", () => {
    const serializer = createFeedSerializer({ format: "csv", columns: ["id", "count", "flag", "gone", "constructor"] });
    expect(serializer.record({ key: "1", itemIds: ["1"], fields: { id: "1", count: 3, flag: false, gone: null } })).toBe("1,3,false,,\r\n");
  });

  it.each([[{ amount: "1.00" }], [["https://a.example/1.jpg", { url: "https://a.example/2.jpg" }]]])(
    "refuses the nested value %j instead of writing [object Object]",
    (price) => {
      const serializer = createFeedSerializer({ format: "csv", columns: ["id", "price"] });
      expect(() => serializer.record({ key: "7", itemIds: ["7"], fields: { id: "7", price } })).toThrow(
        'Record "7" has a non-text value in column "price"',
      );
    },
  );

  it.each([
    [[], "at least one column"],
    [["id", "title", "id"], 'Column "id" appears twice'],
  ])("refuses the columns %j", (badColumns, message) => {
    expect(() => createFeedSerializer({ format: "csv", columns: badColumns })).toThrow(message);
  });

  it("reads back through csv-parse equal to the input, apart from formula neutralisation", () => {
    fc.assert(
      fc.property(flatFeed(feedText.filter((name) => name !== "")), fc.boolean(), ({ columns: cols, records }, bom) => {
        const rows = readBack(write(createFeedSerializer({ format: "csv", columns: cols, bom }), records), ",");
        expect(rows[0]).toEqual(cols.map(asEncodedUtf8));
        expect(rows.slice(1)).toEqual(records.map((each) => cols.map((column) => expectedCell(ownValue(each, column)))));
      }),
      { numRuns: 400 },
    );
  });
});

describe("TSV feed (Pinterest)", () => {
  it("writes tab-separated rows with CRLF line ends, quoting tabs but not commas", () => {
    const serializer = createFeedSerializer({ format: "tsv", columns: ["id", "title", "additional_image_link"] });
    const feed = write(serializer, [
      record("1", { id: "1", title: "Mug\twith tab", additional_image_link: ["https://a.example/1.jpg", "https://a.example/2.jpg"] }),
      record("2", { id: "2", title: "@home mug" }),
    ]);
    expect(feed).toBe(
      "id\ttitle\tadditional_image_link\r\n" +
        '1\t"Mug\twith tab"\thttps://a.example/1.jpg,https://a.example/2.jpg\r\n' +
        "2\t'@home mug\t\r\n",
    );
    expect(serializer.contentType).toBe("text/tab-separated-values; charset=utf-8");
    expect(serializer.fileExtension).toBe("tsv");
  });

  it("reads back through csv-parse with a tab delimiter equal to the input, apart from formula neutralisation", () => {
    fc.assert(
      fc.property(flatFeed(feedText.filter((name) => name !== "")), fc.boolean(), ({ columns: cols, records }, bom) => {
        const rows = readBack(write(createFeedSerializer({ format: "tsv", columns: cols, bom }), records), "\t");
        expect(rows[0]).toEqual(cols.map(asEncodedUtf8));
        expect(rows.slice(1)).toEqual(records.map((each) => cols.map((column) => expectedCell(ownValue(each, column)))));
      }),
      { numRuns: 400 },
    );
  });
});
