import { describe, expect, it } from "vitest";
import { urlEnumList, urlPageNumber, urlSearchText, urlValueList } from "../../../app/.server/http/url-state";
import { parseProductsQuery } from "../../../app/.server/services/products";

describe("URL state of the list pages: nothing a person types into the address bar is an error", () => {
  it("de-duplicates repeated values, trims them and drops empty or oversized ones", () => {
    expect(urlValueList.parse([" Acme", "Acme", "", "   ", "x".repeat(256), "Nordic"])).toEqual(["Acme", "Nordic"]);
    expect(urlValueList.parse(Array.from({ length: 150 }, (_, i) => `v${i}`))).toHaveLength(100);
  });

  it("keeps only the known values of a fixed set", () => {
    expect(urlEnumList(["ACTIVE", "DRAFT"] as const).parse(["DRAFT", "deleted", "ACTIVE", "DRAFT"])).toEqual(["DRAFT", "ACTIVE"]);
  });

  it("reads the search text and the page number leniently", () => {
    expect(urlSearchText.parse(null)).toBe("");
    expect(urlSearchText.parse(`  ${"q".repeat(300)} `)).toHaveLength(200);
    expect(urlPageNumber.parse("3")).toBe(3);
    for (const bad of ["0", "-2", "1.5", "two", undefined]) expect(urlPageNumber.parse(bad)).toBe(1);
  });

  it("parses a hand-typed Products URL into the page's filters", () => {
    const query = parseProductsQuery(new URLSearchParams("query=%20linen%20&status=ACTIVE&status=GONE&vendor=Acme&vendor=Acme&stock=low&page=abc"));
    expect(query).toMatchObject({ query: "linen", status: ["ACTIVE"], vendor: ["Acme"], stock: "low", page: 1 });
  });
});
