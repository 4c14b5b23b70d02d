import { describe, expect, it } from "vitest";
import {
  CONDITION_KINDS,
  FIELD_SOURCE_PATHS,
  MAPPABLE_FIELDS,
  MAPPING_LIMITS,
  checkFieldValue,
  formatPath,
  parseMappingRules,
  resolveRules,
  type ChannelMappingSet,
} from "../../../../app/domain/channels/mapping/schema";
import { rules } from "./fixtures";

function errorsOf(json: unknown): { path: string; message: string }[] {
  const parsed = parseMappingRules(json);
  if (parsed.ok) throw new Error("expected the rules to be refused");
  return parsed.errors;
}

const titleRule = (source: unknown, extra: Record<string, unknown> = {}) => ({ version: 1, fields: { title: [{ source, ...extra }] } });

describe("parseMappingRules", () => {
  it("accepts a full rule set and returns it unchanged", () => {
    const json = {
      version: 1,
      fields: {
        title: [
          { when: [{ on: "tag", op: "has", value: "bundle" }], source: { type: "template", template: "{{product.title}} (bundle)" } },
          { source: { type: "template", template: "{{ product.vendor }} {{product.title}} - {{variant.option1}}" }, transforms: [{ type: "truncate", max: 150, atWord: true }] },
        ],
        brand: [{ source: { type: "metafield", key: "custom.brand", scope: "product" } }],
        gender: [{ source: { type: "lookup", from: { type: "field", path: "product.productType" }, table: { Mens: "male", Womens: "female" }, caseInsensitive: true, fallback: "unisex" } }],
        customLabel0: [{ when: [{ on: "price", op: "gte", value: 100 }], source: { type: "static", value: "premium" } }],
      },
      include: [{ on: "collection", op: "has", value: "4123456789" }],
      exclude: [{ on: "tag", op: "has", value: "no-social" }, { on: "vendor", op: "in", value: ["Test", "Sample"] }],
      granularity: "cheapest",
    };
    const parsed = parseMappingRules(json);
    expect(parsed).toEqual({ ok: true, rules: json });
  });

  it("accepts the smallest rule set", () => {
    expect(parseMappingRules({ version: 1 })).toEqual({ ok: true, rules: { version: 1 } });
  });

  it("requires version 1 and an object", () => {
    expect(errorsOf({ fields: {} })).toEqual([{ path: "version", message: expect.stringContaining('"version": 1') }]);
    expect(errorsOf({ version: 2 })).toEqual([{ path: "version", message: expect.stringContaining("version must be 1") }]);
    expect(errorsOf("rules")).toEqual([{ path: "(root)", message: "expected an object ({...}), got text" }]);
    expect(errorsOf(null)).toEqual([{ path: "(root)", message: "expected an object ({...}), got null" }]);
  });

  it("names the unknown placeholder and suggests what the merchant meant", () => {
    expect(errorsOf(titleRule({ type: "template", template: "{{product.title}} - {{variant.colour}}" }))).toEqual([
      { path: "fields.title[0].source.template", message: "unknown placeholder {{variant.colour}}; did you mean {{item.color}} or {{variant.option1}}?" },
    ]);
    expect(errorsOf(titleRule({ type: "template", template: "{{product.titel}}" }))).toEqual([
      { path: "fields.title[0].source.template", message: "unknown placeholder {{product.titel}}; did you mean {{product.title}}?" },
    ]);
    expect(errorsOf(titleRule({ type: "template", template: "{{Product.Vendor}}" }))[0]?.message).toBe(
      "unknown placeholder {{Product.Vendor}}; did you mean {{product.vendor}}?",
    );
    expect(errorsOf(titleRule({ type: "template", template: "{{metafields.custom.fit}}" }))[0]?.message).toBe(
      "unknown placeholder {{metafields.custom.fit}}; did you mean {{metafield.custom.fit}}?",
    );
  });

  it("reports every bad placeholder and unclosed or empty braces", () => {
    expect(errorsOf(titleRule({ type: "template", template: "{{a.b}} {{c.d}}" })).map((error) => error.message)).toHaveLength(2);
    expect(errorsOf(titleRule({ type: "template", template: "{{product.title} - x" }))[0]?.message).toContain("never closed with }}");
    expect(errorsOf(titleRule({ type: "template", template: "Shirt {{ }}" }))[0]?.message).toContain("empty placeholder");
    expect(errorsOf(titleRule({ type: "template", template: "{{metafield.custom}}" }))[0]?.message).toContain("{{metafield.namespace.key}}");
  });

  it("accepts metafield and item placeholders", () => {
    const parsed = parseMappingRules(titleRule({ type: "template", template: "{{item.title}} {{metafield.custom.fit}} {{metafield.$app:reviews.rating}}" }));
    expect(parsed.ok).toBe(true);
  });

  it("explains unknown field paths, keys, source and transform types", () => {
    expect(errorsOf(titleRule({ type: "field", path: "product.titel" }))).toEqual([
      { path: "fields.title[0].source.path", message: 'unknown value "product.titel"; did you mean "product.title"?' },
    ]);
    expect(errorsOf(titleRule({ type: "feild", path: "product.title" }))).toEqual([
      { path: "fields.title[0].source.type", message: 'unknown source type "feild"; did you mean "field"?' },
    ]);
    expect(errorsOf(titleRule({ path: "product.title" }))[0]).toEqual({
      path: "fields.title[0].source.type",
      message: 'a source needs a "type": one of "field", "metafield", "template", "static", "lookup"',
    });
    expect(errorsOf(titleRule({ type: "static", value: "x" }, { transform: [] }))).toEqual([
      { path: "fields.title[0]", message: 'unknown key "transform"; did you mean "transforms"?' },
    ]);
    expect(errorsOf({ version: 1, fields: { titel: [] } })).toEqual([{ path: "fields", message: 'unknown key "titel"; did you mean "title"?' }]);
    expect(errorsOf(titleRule({ type: "static", value: "x" }, { transforms: [{ type: "uppercase" }] }))[0]).toEqual({
      path: "fields.title[0].transforms[0].type",
      message: 'unknown transform type "uppercase"; use one of "truncate", "stripHtml", "case", "prefix", "suffix", "replace", "trim"',
    });
  });

  it("refuses a lookup that reads another lookup", () => {
    const nested = { type: "lookup", from: { type: "lookup", from: { type: "static", value: "x" }, table: {} }, table: {} };
    expect(errorsOf(titleRule(nested))).toEqual([
      { path: "fields.title[0].source.from.type", message: "a lookup reads a field, metafield, template or static value, not another lookup" },
    ]);
  });

  it("refuses lookup keys that collide once case is ignored, quoting odd keys in the path", () => {
    const lookup = { type: "lookup", from: { type: "field", path: "product.vendor" }, table: { "Acme Inc": "Acme", "acme inc": "ACME" }, caseInsensitive: true };
    expect(errorsOf({ version: 1, fields: { brand: [{ source: lookup }] } })).toEqual([
      { path: 'fields.brand[0].source.table["acme inc"]', message: '"acme inc" and "Acme Inc" are the same key when case is ignored; keep one' },
    ]);
  });

  it("checks that an operator fits its condition kind", () => {
    const when = (condition: unknown) => titleRule({ type: "static", value: "x" }, { when: [condition] });
    expect(errorsOf(when({ on: "tag", op: "contains", value: "sale" }))).toEqual([
      { path: "fields.title[0].when[0].op", message: '"contains" does not apply to a tag condition; use one of "has", "lacks"' },
    ]);
    expect(errorsOf(when({ on: "price", op: "has", value: 3 }))[0]?.message).toBe('"has" does not apply to a price condition; use one of "lt", "lte", "gt", "gte", "equals"');
    expect(errorsOf(when({ on: "price", op: "lt", value: "10" }))).toEqual([
      { path: "fields.title[0].when[0].value", message: 'a price condition compares numbers: write the value as a number, e.g. 10 (not "10")' },
    ]);
    expect(errorsOf(when({ on: "vendor", op: "in", value: "Acme" }))[0]?.message).toContain('"in" needs a list');
    expect(errorsOf(when({ on: "vendor", op: "equals", value: ["Acme"] }))[0]?.message).toBe('"equals" compares with one text value (use "in" for a list)');
    expect(errorsOf(when({ on: "collection", op: "has", value: "Summer" }))[0]?.message).toContain("not a collection id");
    expect(errorsOf(when({ on: "stock", op: "gt", value: true }))).toEqual([
      { path: "fields.title[0].when[0].value", message: "expected text, a number or a list of texts" },
    ]);
    expect(errorsOf(when({ on: "colour", op: "equals", value: "red" }))[0]).toEqual({
      path: "fields.title[0].when[0].on",
      message: expect.stringContaining('"colour" is not allowed; use one of "tag", "collection"'),
    });
  });

  it("checks fixed values against the field they write", () => {
    expect(errorsOf({ version: 1, fields: { condition: [{ source: { type: "static", value: "brand new" } }] } })).toEqual([
      { path: "fields.condition[0].source.value", message: '"brand new" is not a valid condition; use one of new, refurbished, used' },
    ]);
    expect(errorsOf({ version: 1, fields: { title: [{ source: { type: "static", value: "  " } }] } })).toEqual([
      { path: "fields.title[0].source.value", message: "Title cannot be empty" },
    ]);
    const genderLookup = { type: "lookup", from: { type: "field", path: "product.productType" }, table: { Boys: "boys", Men: "Male" } };
    expect(errorsOf({ version: 1, fields: { gender: [{ source: genderLookup }] } })).toEqual([
      { path: "fields.gender[0].source.table.Boys", message: '"boys" is not a valid gender; use one of female, male, unisex' },
    ]);
    // With transforms the output is only known per item, so the check waits until the rules run.
    expect(parseMappingRules({ version: 1, fields: { condition: [{ source: { type: "static", value: "x" }, transforms: [{ type: "trim" }] }] } }).ok).toBe(true);
    // An empty static value clears an optional field.
    expect(parseMappingRules({ version: 1, fields: { gtin: [{ source: { type: "static", value: "" } }] } }).ok).toBe(true);
  });

  it("bounds every list and text", () => {
    const many = Array.from({ length: MAPPING_LIMITS.rulesPerField + 1 }, () => ({ source: { type: "static", value: "x" } }));
    expect(errorsOf({ version: 1, fields: { title: many } })).toEqual([{ path: "fields.title", message: "too many: at most 50 entries" }]);
    const table = Object.fromEntries(Array.from({ length: MAPPING_LIMITS.lookupEntries + 1 }, (_, index) => [`k${index}`, "v"]));
    expect(errorsOf({ version: 1, fields: { brand: [{ source: { type: "lookup", from: { type: "field", path: "product.vendor" }, table } }] } })).toEqual([
      { path: "fields.brand[0].source.table", message: "at most 200 entries in one lookup table (it has 201)" },
    ]);
    expect(errorsOf(titleRule({ type: "template", template: "x".repeat(MAPPING_LIMITS.templateLength + 1) }))[0]).toEqual({
      path: "fields.title[0].source.template",
      message: "too long: at most 2000 characters",
    });
    expect(errorsOf(titleRule({ type: "static", value: "x" }, { transforms: [{ type: "truncate", max: 0 }] }))[0]).toEqual({
      path: "fields.title[0].transforms[0].max",
      message: "at least 1",
    });
    expect(errorsOf(titleRule({ type: "static", value: "x" }, { transforms: [{ type: "truncate", max: 2.5 }] }))[0]?.message).toBe(
      "expected a whole number, got a decimal number",
    );
    expect(errorsOf(titleRule({ type: "static", value: "x" }, { transforms: [{ type: "replace", find: "", with: "y" }] }))[0]).toEqual({
      path: "fields.title[0].transforms[0].find",
      message: "cannot be empty",
    });
  });

  it("caps the number of errors it reports", () => {
    const bad = Array.from({ length: 50 }, () => ({ source: { type: "nope" }, when: [{ on: "x", op: "y", value: 1 }] }));
    const errors = errorsOf({ version: 1, fields: { title: bad } });
    expect(errors).toHaveLength(51);
    expect(errors[50]).toEqual({ path: "(root)", message: "100 more problems not shown; fix the ones above first" });
  });
});

describe("formatPath", () => {
  it("reads like the JSON a merchant edits", () => {
    expect(formatPath([])).toBe("(root)");
    expect(formatPath(["fields", "title", 0, "source", "template"])).toBe("fields.title[0].source.template");
    expect(formatPath(["fields", "brand", 2, "source", "table", "Navy Blue"])).toBe('fields.brand[2].source.table["Navy Blue"]');
  });
});

describe("checkFieldValue", () => {
  it("normalises enum values and understands gender words", () => {
    expect(checkFieldValue("condition", " Used ")).toEqual({ ok: true, value: "used" });
    expect(checkFieldValue("gender", "Women")).toEqual({ ok: true, value: "female" });
    expect(checkFieldValue("ageGroup", "Kids")).toEqual({ ok: true, value: "kids" });
    expect(checkFieldValue("gender", "boys")).toMatchObject({ ok: false, reason: "invalid" });
  });

  it("clears optional fields, refuses empty required ones and checks links", () => {
    expect(checkFieldValue("mpn", "  ")).toEqual({ ok: true, value: null });
    expect(checkFieldValue("description", "")).toMatchObject({ ok: false, reason: "empty" });
    expect(checkFieldValue("link", "www.shop.example/p")).toMatchObject({ ok: false, reason: "invalid" });
    expect(checkFieldValue("link", "https://shop.example/p?x=1")).toEqual({ ok: true, value: "https://shop.example/p?x=1" });
  });
});

describe("form metadata", () => {
  it("lists every mappable field once with a label and help", () => {
    const fields = MAPPABLE_FIELDS.map((info) => info.field);
    expect(new Set(fields).size).toBe(23);
    expect(fields.slice(0, 3)).toEqual(["title", "description", "richDescription"]);
    expect(fields.slice(-5)).toEqual(["customLabel0", "customLabel1", "customLabel2", "customLabel3", "customLabel4"]);
    for (const info of MAPPABLE_FIELDS) {
      expect(info.label.length).toBeGreaterThan(0);
      expect(info.help.length).toBeGreaterThan(10);
    }
    expect(MAPPABLE_FIELDS.find((info) => info.field === "condition")?.allowedValues).toEqual(["new", "refurbished", "used"]);
  });

  it("lists the product, variant and default-item paths", () => {
    const paths = FIELD_SOURCE_PATHS.map((entry) => entry.path);
    expect(paths).toContain("product.title");
    expect(paths).toContain("variant.option3");
    expect(paths).toContain("item.customLabel4");
    expect(FIELD_SOURCE_PATHS.find((entry) => entry.path === "variant.sku")).toMatchObject({ group: "variant", label: "SKU" });
    expect(FIELD_SOURCE_PATHS.find((entry) => entry.path === "item.brand")).toMatchObject({ group: "item", label: "Shelfcast default: Brand" });
  });

  it("gives each condition kind the operators that fit it", () => {
    expect(CONDITION_KINDS.tag.ops).toEqual(["has", "lacks"]);
    expect(CONDITION_KINDS.vendor.ops).toEqual(["equals", "notEquals", "contains", "startsWith", "in"]);
    expect(CONDITION_KINDS.stock.ops).toEqual(["lt", "lte", "gt", "gte", "equals"]);
  });
});

describe("resolveRules", () => {
  const wide = rules({
    version: 1,
    fields: { title: [{ source: { type: "static", value: "Wide title" } }], brand: [{ source: { type: "static", value: "Wide brand" } }] },
    exclude: [{ on: "tag", op: "has", value: "no-social" }],
    granularity: "first-available",
  });
  const us = rules({
    version: 1,
    fields: { title: [{ source: { type: "static", value: "US title" } }], mpn: [] },
    exclude: [{ on: "price", op: "lt", value: 5 }],
  });
  const sets: ChannelMappingSet = [
    { channel: "meta", market: "US", rules: us },
    { channel: "meta", market: "*", rules: wide },
    { channel: "google", market: "*", rules: rules({ version: 1, granularity: "cheapest" }) },
  ];

  it("lays the market's rules over the channel-wide ones", () => {
    expect(resolveRules(sets, "meta", "US")).toEqual({
      version: 1,
      fields: {
        title: [{ source: { type: "static", value: "US title" } }],
        brand: [{ source: { type: "static", value: "Wide brand" } }],
        mpn: [],
      },
      exclude: [{ on: "tag", op: "has", value: "no-social" }, { on: "price", op: "lt", value: 5 }],
      granularity: "first-available",
    });
  });

  it("uses the channel-wide rules in other markets, and the market's granularity when it sets one", () => {
    expect(resolveRules(sets, "meta", "DE")).toEqual(wide);
    const withGranularity: ChannelMappingSet = [...sets, { channel: "meta", market: "DE", rules: rules({ version: 1, granularity: "all-variants" }) }];
    expect(resolveRules(withGranularity, "meta", "de")?.granularity).toBe("all-variants");
  });

  it("returns null for a channel without rules", () => {
    expect(resolveRules(sets, "pinterest", "US")).toBeNull();
    expect(resolveRules(sets, "google", "US")).toEqual({ version: 1, granularity: "cheapest" });
  });
});
