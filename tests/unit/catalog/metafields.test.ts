import { describe, expect, it } from "vitest";
import { normalizeMetafield, normalizeMetafieldValue, parseMetafield } from "~/domain/catalog/metafields";

const RICH_TEXT = JSON.stringify({ type: "root", children: [{ type: "paragraph", children: [{ type: "text", value: "Soft linen" }] }] });

describe("parseMetafield: every supported type", () => {
  const cases: Array<[type: string, raw: string, expected: unknown]> = [
    ["single_line_text_field", "Linen", "Linen"],
    ["multi_line_text_field", "Wash cold\nDry flat", "Wash cold\nDry flat"],
    ["rich_text_field", RICH_TEXT, JSON.parse(RICH_TEXT)],
    ["number_integer", "42", 42],
    ["number_integer", "-7", -7],
    ["number_decimal", "12.50", 12.5],
    ["boolean", "true", true],
    ["boolean", "false", false],
    ["date", "2026-03-15", "2026-03-15"],
    ["date_time", "2026-03-15T09:30:00Z", "2026-03-15T09:30:00Z"],
    ["date_time", "2026-03-15T09:30:00+01:00", "2026-03-15T09:30:00+01:00"],
    ["json", '{"fit":"relaxed","sizes":[1,2]}', { fit: "relaxed", sizes: [1, 2] }],
    ["color", "#1F2A44", "#1F2A44"],
    ["url", "https://example.com/care", "https://example.com/care"],
    ["weight", '{"value":2.5,"unit":"kg"}', { value: 2.5, unit: "kg" }],
    ["dimension", '{"value":"40.0","unit":"cm"}', { value: 40, unit: "cm" }],
    ["volume", '{"value":50,"unit":"ml"}', { value: 50, unit: "ml" }],
    ["money", '{"amount":"5.99","currency_code":"EUR"}', { amount: "5.99", currencyCode: "EUR" }],
    ["rating", '{"value":"4.5","scale_min":"1.0","scale_max":"5.0"}', { value: 4.5, scaleMin: 1, scaleMax: 5 }],
    ["product_reference", "gid://shopify/Product/1", "gid://shopify/Product/1"],
    ["variant_reference", "gid://shopify/ProductVariant/2", "gid://shopify/ProductVariant/2"],
    ["collection_reference", "gid://shopify/Collection/3", "gid://shopify/Collection/3"],
    ["file_reference", "gid://shopify/MediaImage/4", "gid://shopify/MediaImage/4"],
    ["metaobject_reference", "gid://shopify/Metaobject/5", "gid://shopify/Metaobject/5"],
    ["page_reference", "gid://shopify/Page/6", "gid://shopify/Page/6"],
    ["mixed_reference", "gid://shopify/Metaobject/7", "gid://shopify/Metaobject/7"],
    ["list.single_line_text_field", '["Breathable","Pre-washed"]', ["Breathable", "Pre-washed"]],
    ["list.number_integer", "[1,2,3]", [1, 2, 3]],
    ["list.number_decimal", '[1.5,"2.25"]', [1.5, 2.25]],
    ["list.date", '["2026-01-01","2026-02-01"]', ["2026-01-01", "2026-02-01"]],
    ["list.date_time", '["2026-01-01T00:00:00Z"]', ["2026-01-01T00:00:00Z"]],
    ["list.color", '["#000000","#FFFFFF"]', ["#000000", "#FFFFFF"]],
    ["list.url", '["https://a.example","mailto:hi@example.com"]', ["https://a.example", "mailto:hi@example.com"]],
    ["list.weight", '[{"value":1,"unit":"kg"}]', [{ value: 1, unit: "kg" }]],
    ["list.dimension", '[{"value":2,"unit":"m"}]', [{ value: 2, unit: "m" }]],
    ["list.volume", '[{"value":3,"unit":"l"}]', [{ value: 3, unit: "l" }]],
    ["list.rating", '[{"value":"3","scale_min":"0","scale_max":"5"}]', [{ value: 3, scaleMin: 0, scaleMax: 5 }]],
    ["list.product_reference", '["gid://shopify/Product/1","gid://shopify/Product/2"]', ["gid://shopify/Product/1", "gid://shopify/Product/2"]],
    ["list.variant_reference", '["gid://shopify/ProductVariant/1"]', ["gid://shopify/ProductVariant/1"]],
    ["list.collection_reference", '["gid://shopify/Collection/1"]', ["gid://shopify/Collection/1"]],
    ["list.file_reference", '["gid://shopify/GenericFile/1"]', ["gid://shopify/GenericFile/1"]],
    ["list.metaobject_reference", '["gid://shopify/Metaobject/1"]', ["gid://shopify/Metaobject/1"]],
    ["list.page_reference", '["gid://shopify/Page/1"]', ["gid://shopify/Page/1"]],
    ["list.mixed_reference", '["gid://shopify/Metaobject/1"]', ["gid://shopify/Metaobject/1"]],
  ];

  it.each(cases)("%s %s", (type, raw, expected) => {
    const result = parseMetafield(type, raw);
    expect(result.problem).toBeUndefined();
    expect(result.value).toEqual(expected);
    expect(normalizeMetafieldValue(type, raw)).toEqual(expected);
  });

  it("keeps the raw string for a type it does not know", () => {
    expect(parseMetafield("antenna_gain", '{"value":3,"unit":"dBi"}')).toEqual({ value: '{"value":3,"unit":"dBi"}' });
  });

  it("uses the shop currency for a money value without currency_code", () => {
    expect(parseMetafield("money", '{"amount":"10.00"}', { defaultCurrency: "IDR" }).value).toEqual({ amount: "10.00", currencyCode: "IDR" });
    expect(parseMetafield("money", '{"amount":"10.00"}').problem).toMatch(/currency_code/);
  });
});

describe("parseMetafield: malformed values are reported, never thrown", () => {
  const malformed: Array<[type: string, raw: string]> = [
    ["rich_text_field", "<p>not json</p>"],
    ["number_integer", "4.5"],
    ["number_integer", "twelve"],
    ["number_integer", "99999999999999999999"],
    ["number_decimal", "1,5"],
    ["boolean", "yes"],
    ["date", "15/03/2026"],
    ["date", "2026-02-30"],
    ["date_time", "tomorrow"],
    ["json", "{broken"],
    ["color", "red"],
    ["url", "not a url"],
    ["url", "javascript:alert(1)"],
    ["weight", '{"value":"heavy","unit":"kg"}'],
    ["dimension", '{"value":3}'],
    ["volume", "50ml"],
    ["money", '{"amount":"five","currency_code":"EUR"}'],
    ["rating", '{"value":"7","scale_min":"1","scale_max":"5"}'],
    ["product_reference", "12345"],
    ["list.single_line_text_field", "Breathable, Pre-washed"],
    ["list.number_integer", '[1,"two"]'],
    ["list.product_reference", '{"id":"gid://shopify/Product/1"}'],
  ];

  it.each(malformed)("%s %j", (type, raw) => {
    const result = parseMetafield(type, raw);
    expect(result.value).toBe(raw);
    expect(result.problem).toContain(`not a valid ${type}`);
    expect(normalizeMetafieldValue(type, raw)).toBe(raw);
  });

  it("names the element of a list that is wrong", () => {
    expect(parseMetafield("list.date", '["2026-01-01","someday"]').problem).toMatch(/element 1/);
  });

  it("names the metafield in normalizeMetafield's problem and keeps the raw value", () => {
    const { metafield, problem } = normalizeMetafield({ namespace: "custom", key: "launch_date", type: "date", value: "soon" });
    expect(metafield).toEqual({ namespace: "custom", key: "launch_date", type: "date", raw: "soon", value: "soon" });
    expect(problem).toMatch(/^metafield custom\.launch_date: value "soon" is not a valid date/);
  });
});
