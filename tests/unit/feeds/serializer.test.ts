import { describe, expect, it } from "vitest";
import type { FeedFormat } from "../../../app/domain/channels/types";
import { createFeedSerializer } from "../../../app/domain/feeds/serializer";

const xml = { flavour: "rss-google", title: "Shop", link: "https://shop.example", description: "Feed" } as const;

describe("createFeedSerializer", () => {
  it.each([
    ["csv", "text/csv; charset=utf-8", "csv"],
    ["tsv", "text/tab-separated-values; charset=utf-8", "tsv"],
    ["xml", "application/xml; charset=utf-8", "xml"],
    ["json", "application/json; charset=utf-8", "json"],
  ] as const)("makes a %s serializer served as %s, saved as .%s", (format: FeedFormat, contentType, fileExtension) => {
    const serializer = createFeedSerializer({ format, columns: ["id"], xml });
    expect(serializer.contentType).toBe(contentType);
    expect(serializer.fileExtension).toBe(fileExtension);
  });

  it("writes the same record in each format", () => {
    const record = { key: "1", itemIds: ["1"], fields: { id: "1", title: "Tea, green" } };
    const rows = (["csv", "tsv", "xml", "json"] as const).map((format) =>
      createFeedSerializer({ format, columns: ["id", "title"], xml }).record(record),
    );
    expect(rows).toEqual([
      '1,"Tea, green"\r\n',
      "1\tTea, green\r\n",
      "<item>\n<g:id>1</g:id>\n<g:title>Tea, green</g:title>\n</item>\n",
      '{"id":"1","title":"Tea, green"}',
    ]);
  });

  it("ignores columns for JSON, whose channel has none", () => {
    expect(() => createFeedSerializer({ format: "json", columns: [] })).not.toThrow();
  });

  it.each(["csv", "tsv", "xml"] as const)("refuses a %s feed without columns", (format) => {
    expect(() => createFeedSerializer({ format, columns: [], xml })).toThrow("at least one column");
  });
});
