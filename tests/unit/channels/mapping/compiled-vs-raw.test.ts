import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Metafield, Product, Variant } from "../../../../app/domain/catalog/types";
import { applyMappingRules, compileMappingRules } from "../../../../app/domain/channels/mapping/evaluate";
import {
  MAPPABLE_FIELDS,
  checkFieldValue,
  parseMappingRules,
  type Condition,
  type MappingRules,
  type PlainSource,
  type Source,
  type Transform,
} from "../../../../app/domain/channels/mapping/schema";
import { collapseWhitespace, stripHtml, toSentenceCase, toTitleCase, truncateAtWord } from "../../../../app/domain/channels/text";
import type { MappableField, MappedItem } from "../../../../app/domain/channels/types";
import { itemFor, metafield, shirt } from "./fixtures";

/**
 * The compiled evaluator (templates pre-split, values pre-lowercased, lookup maps, closures) against
 * a deliberately naive interpreter of the raw rules written for this test: for random products and
 * random valid rule sets both must map every item identically.
 */

// ---------------------------------------------------------------------------------------------
// The naive interpreter
// ---------------------------------------------------------------------------------------------

type Entry = { product: Product; variant: Variant; item: MappedItem };

function readPath(path: string, { product, variant, item }: Entry): string | null {
  const option = (index: number) => {
    const value = variant.selectedOptions[index]?.value;
    return value === undefined || value === "Default Title" ? null : value;
  };
  const values: Record<string, string | null> = {
    "product.title": product.title,
    "product.handle": product.handle,
    "product.vendor": product.vendor,
    "product.productType": product.productType,
    "product.descriptionHtml": product.descriptionHtml,
    "product.seoTitle": product.seo.title,
    "product.seoDescription": product.seo.description,
    "product.category": product.category ? product.category.fullName : null,
    "product.categoryId": product.category ? product.category.id : null,
    "product.tags": product.tags.length === 0 ? null : product.tags.join(", "),
    "variant.title": variant.title === "Default Title" ? null : variant.title,
    "variant.sku": variant.sku,
    "variant.barcode": variant.barcode,
    "variant.option1": option(0),
    "variant.option2": option(1),
    "variant.option3": option(2),
    "variant.price": variant.price,
    "variant.compareAtPrice": variant.compareAtPrice,
    "variant.weight": variant.weight === null ? null : `${variant.weight} ${{ GRAMS: "g", KILOGRAMS: "kg", OUNCES: "oz", POUNDS: "lb" }[variant.weightUnit ?? "GRAMS"]}`,
  };
  if (path in values) return values[path] ?? null;
  const field = path.replace(/^item\./, "");
  const label = /^customLabel(\d)$/.exec(field);
  if (label) return item.customLabels[Number(label[1])] ?? null;
  return (item as unknown as Record<string, string | null>)[field] ?? null;
}

function metafieldText(metafield: Metafield | undefined): string | null {
  if (!metafield) return null;
  const value = metafield.value;
  if (Array.isArray(value)) return value.filter((entry) => String(entry).trim() !== "").join(", ") || null;
  return typeof value === "string" ? value : String(value);
}

function findMetafieldText(key: string, scope: string | undefined, { product, variant }: Entry): { text: string | null; metafield?: Metafield } {
  const [namespace, name] = key.split(".");
  const lists = scope === "product" ? [product.metafields] : scope === "variant" ? [variant.metafields] : [variant.metafields, product.metafields];
  for (const list of lists) {
    const found = list.find((candidate) => candidate.namespace === namespace && candidate.key === name);
    const text = metafieldText(found);
    if (text !== null && text.trim() !== "") return { text, metafield: found };
  }
  return { text: null };
}

function blankToNull(value: string | null): string | null {
  return value === null || value.trim() === "" ? null : value;
}

const SEPARATORS = /^[\s\-–—|/\\,;:·•+&]*$/;

function renderNaive(template: string, entry: Entry): string {
  // Chunks: literal text, or a value with the brackets written directly around it.
  type Chunk = { literal: string } | { value: string | null; open: string; close: string };
  const pieces = template.split(/(\{\{[^}]*\}\})/);
  const chunks: Chunk[] = [];
  for (let index = 0; index < pieces.length; index += 1) {
    const piece = pieces[index]!;
    if (!piece.startsWith("{{")) {
      if (piece !== "") chunks.push({ literal: piece });
      continue;
    }
    const name = piece.slice(2, -2).trim();
    const value = name.startsWith("metafield.") ? findMetafieldText(name.slice("metafield.".length), undefined, entry).text : readPath(name, entry);
    const previous = chunks.at(-1);
    const next = pieces[index + 1] ?? "";
    const pairs: Record<string, string> = { "(": ")", "[": "]", "{": "}" };
    const open = previous && "literal" in previous ? previous.literal.slice(-1) : "";
    if (previous && "literal" in previous && pairs[open] && next.startsWith(pairs[open]!)) {
      chunks.pop();
      if (previous.literal.length > 1) chunks.push({ literal: previous.literal.slice(0, -1) });
      chunks.push({ value, open, close: pairs[open]! });
      pieces[index + 1] = next.slice(1);
    } else {
      chunks.push({ value, open: "", close: "" });
    }
  }
  const shown = (chunk: Chunk) => ("literal" in chunk ? chunk.literal : chunk.value === null ? "" : chunk.open + chunk.value + chunk.close);
  const missing = chunks.some((chunk) => "value" in chunk && (chunk.value === null || chunk.value.trim() === ""));
  if (!missing) return collapseWhitespace(chunks.map(shown).join(""));
  // Without the missing values, a separator survives only between two pieces of content, and only
  // the first of a run of separators.
  const present = chunks.filter((chunk) => !("value" in chunk) || (chunk.value !== null && chunk.value.trim() !== ""));
  const isSeparator = (chunk: Chunk) => "literal" in chunk && SEPARATORS.test(chunk.literal);
  const kept = present.filter((chunk, index) => {
    if (!isSeparator(chunk)) return true;
    const contentBefore = present.slice(0, index).some((other) => !isSeparator(other));
    const contentAfter = present.slice(index + 1).some((other) => !isSeparator(other));
    const separatorJustBefore = index > 0 && isSeparator(present[index - 1]!);
    return contentBefore && contentAfter && !separatorJustBefore;
  });
  return collapseWhitespace(kept.map(shown).join(""));
}

function readPlain(source: PlainSource, entry: Entry): string | null {
  switch (source.type) {
    case "field":
      return blankToNull(readPath(source.path, entry));
    case "metafield":
      return findMetafieldText(source.key, source.scope, entry).text;
    case "template":
      return renderNaive(source.template, entry) || null;
    case "static":
      return source.value;
  }
}

function readSource(source: Source, entry: Entry): string | null {
  if (source.type !== "lookup") return readPlain(source, entry);
  const normalize = (key: string) => (source.caseInsensitive ? key.trim().toLowerCase() : key.trim());
  let candidates: string[] = [];
  if (source.from.type === "field" && source.from.path === "product.tags") candidates = entry.product.tags;
  else if (source.from.type === "metafield") {
    const found = findMetafieldText(source.from.key, source.from.scope, entry);
    const value = found.metafield?.value;
    candidates = Array.isArray(value) ? value.map(String).filter((text) => text.trim() !== "") : found.text === null ? [] : [found.text];
  } else {
    const single = readPlain(source.from, entry);
    candidates = single === null ? [] : [single];
  }
  for (const candidate of candidates) {
    const hit = Object.entries(source.table).find(([key]) => normalize(key) === normalize(candidate));
    if (hit) return hit[1];
  }
  return source.fallback ?? null;
}

function transformNaive(text: string, transform: Transform): string {
  switch (transform.type) {
    case "truncate":
      return transform.atWord ? truncateAtWord(text, transform.max) : Array.from(text).slice(0, transform.max).join("");
    case "stripHtml":
      return stripHtml(text);
    case "case":
      return { upper: text.toUpperCase(), lower: text.toLowerCase(), title: toTitleCase(text), sentence: toSentenceCase(text) }[transform.to];
    case "prefix":
      return transform.value + text;
    case "suffix":
      return text + transform.value;
    case "replace":
      return transform.all ? text.split(transform.find).join(transform.with) : text.replace(transform.find, () => transform.with);
    case "trim":
      return text.trim();
  }
}

function holds(condition: Condition, { product, variant, item }: Entry): boolean {
  const lower = (value: unknown) => String(value).trim().toLowerCase();
  const texts: Record<string, string> = { productType: product.productType, vendor: product.vendor, sku: variant.sku ?? "", title: product.title };
  switch (condition.on) {
    case "tag": {
      const has = product.tags.some((tag) => tag.toLowerCase() === lower(condition.value));
      return condition.op === "has" ? has : !has;
    }
    case "collection": {
      const id = String(condition.value).replace("gid://shopify/Collection/", "");
      const has = product.collectionIds.includes(`gid://shopify/Collection/${id}`);
      return condition.op === "has" ? has : !has;
    }
    case "price":
    case "stock": {
      const actual = condition.on === "price" ? Number(item.price?.amount ?? variant.price) : variant.inventoryItem.tracked ? variant.availableQuantity : Infinity;
      const wanted = Number(condition.value);
      return { lt: actual < wanted, lte: actual <= wanted, gt: actual > wanted, gte: actual >= wanted, equals: actual === wanted }[condition.op as "lt"];
    }
    default: {
      const text = texts[condition.on]!;
      switch (condition.op) {
        case "equals":
          return lower(text) === lower(condition.value);
        case "notEquals":
          return lower(text) !== lower(condition.value);
        case "contains":
          return text.toLowerCase().includes(lower(condition.value));
        case "startsWith":
          return lower(text).startsWith(lower(condition.value));
        default:
          return (condition.value as string[]).map(lower).includes(lower(text));
      }
    }
  }
}

function applyNaive(rules: MappingRules, entry: Entry): { item: MappedItem; problems: { field: string; value: string | null }[] } {
  const item = structuredClone(entry.item);
  const problems: { field: string; value: string | null }[] = [];
  for (const { field } of MAPPABLE_FIELDS) {
    for (const rule of rules.fields?.[field] ?? []) {
      if (!(rule.when ?? []).every((condition) => holds(condition, entry))) continue;
      const raw = readSource(rule.source, entry);
      if (raw === null) continue;
      const output = (rule.transforms ?? []).reduce(transformNaive, raw);
      const check = checkFieldValue(field, output);
      if (!check.ok) problems.push({ field, value: check.reason === "empty" ? null : output.trim().slice(0, 200) });
      else if (field.startsWith("customLabel")) item.customLabels[Number(field.slice(-1))] = check.value;
      else (item as unknown as Record<string, string | null>)[field] = check.value;
      break;
    }
  }
  return { item, problems };
}

// ---------------------------------------------------------------------------------------------
// Random catalogs and rules
// ---------------------------------------------------------------------------------------------

const text = fc.constantFrom("Linen Shirt", "Tee 🌞 shirt for summer", "<b>Bold</b> &amp; bright", "  spaced   out  ", "", "ACME CO", "Mens Shirts", "Summer");

const entryArbitrary = fc
  .record({
    title: fc.constantFrom("Linen Shirt", "Tee 🌞 shirt for summer", "<p>HTML title</p>", " Tab\tand\u00a0nbsp\u3000 "),
    vendor: fc.constantFrom("Acme", "acme co", "Other"),
    productType: fc.constantFrom("Shirts", "Mens Shirts", "", "pants"),
    tags: fc.subarray(["Summer", "sale", "no-social", "SS25"]),
    collections: fc.subarray(["gid://shopify/Collection/1", "gid://shopify/Collection/2"]),
    seoTitle: fc.constantFrom(null, "", "SEO title"),
    productMaterial: fc.option(fc.constantFrom("Linen", "", "Cotton")),
    variantMaterial: fc.option(fc.constantFrom<Metafield["value"]>("Silk", ["Wool", "Linen"], [], "  ")),
    price: fc.constantFrom("9.99", "24.00", "100.00"),
    marketPrice: fc.option(fc.constantFrom("8.00", "120.00")),
    sku: fc.constantFrom(null, "LS-001", "ts-9"),
    quantity: fc.integer({ min: -1, max: 5 }),
    tracked: fc.boolean(),
    singleVariant: fc.boolean(),
    gtin: fc.constantFrom(null, "4006381333931"),
  })
  .map((spec): Entry => {
    const variantOverrides = spec.singleVariant
      ? { title: "Default Title", selectedOptions: [{ name: "Title", value: "Default Title" }] }
      : { title: "Navy / M", selectedOptions: [{ name: "Color", value: "Navy" }, { name: "Size", value: "M" }] };
    const product = shirt(
      {
        title: spec.title,
        vendor: spec.vendor,
        productType: spec.productType,
        tags: spec.tags,
        collectionIds: spec.collections,
        seo: { title: spec.seoTitle, description: null },
        metafields: spec.productMaterial === null ? [] : [metafield("custom", "material", "single_line_text_field", spec.productMaterial)],
      },
      [
        {
          ...variantOverrides,
          price: spec.price,
          sku: spec.sku,
          barcode: spec.gtin,
          availableQuantity: spec.quantity,
          inventoryItem: { id: "gid://shopify/InventoryItem/1", tracked: spec.tracked, countryCodeOfOrigin: null, harmonizedSystemCode: null, levels: [] },
          metafields: spec.variantMaterial === null ? [] : [metafield("custom", "material", "list.single_line_text_field", spec.variantMaterial)],
        },
      ],
    );
    const variant = product.variants[0]!;
    const price = spec.marketPrice === null ? { amount: spec.price, currencyCode: "USD" } : { amount: spec.marketPrice, currencyCode: "EUR" };
    return { product, variant, item: itemFor(product, variant, { price, gtin: spec.gtin, customLabels: ["old", null, null, null, null] }) };
  });

/** Rule parts are loosely typed: the generated rule sets go through parseMappingRules like real ones. */
const conditionArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ on: fc.constant("tag" as const), op: fc.constantFrom("has" as const, "lacks" as const), value: fc.constantFrom("summer", "SALE", "winter") }),
  fc.record({ on: fc.constant("collection" as const), op: fc.constantFrom("has" as const, "lacks" as const), value: fc.constantFrom("1", "gid://shopify/Collection/2") }),
  fc.record({
    on: fc.constantFrom("vendor" as const, "productType" as const, "sku" as const, "title" as const),
    op: fc.constantFrom("equals" as const, "notEquals" as const, "contains" as const, "startsWith" as const),
    value: fc.constantFrom("acme", "Shirts", "ls-", "shirt"),
  }),
  fc.record({ on: fc.constantFrom("vendor" as const, "productType" as const), op: fc.constant("in" as const), value: fc.constant(["Acme", "pants"]) }),
  fc.record({ on: fc.constantFrom("price" as const, "stock" as const), op: fc.constantFrom("lt" as const, "lte" as const, "gt" as const, "gte" as const, "equals" as const), value: fc.constantFrom(0, 1, 9.99, 24, 100) }),
);

/** Placeholders (some often empty) mixed with separators, words and brackets. */
const templateArbitrary = fc
  .array(
    fc.oneof(
      fc.constantFrom("{{product.title}}", "{{variant.option1}}", "{{ variant.option2 }}", "{{metafield.custom.material}}", "{{product.seoTitle}}", "{{item.mpn}}"),
      fc.constantFrom(" - ", " / ", " ", ", ", "(", ")", " (", ") ", " by ", "Size: ", "[", "]", "|", " & "),
    ),
    { minLength: 1, maxLength: 9 },
  )
  .map((pieces) => pieces.join(""));

const plainSourceArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ type: fc.constant("field" as const), path: fc.constantFrom("product.title", "product.vendor", "product.seoTitle", "product.tags", "variant.option1", "variant.sku", "variant.title", "item.brand", "item.customLabel0", "product.productType") }),
  fc.record({ type: fc.constant("metafield" as const), key: fc.constant("custom.material"), scope: fc.constantFrom("variant-then-product" as const, "product" as const, "variant" as const) }),
  fc.record({ type: fc.constant("template" as const), template: templateArbitrary }),
  fc.record({ type: fc.constant("static" as const), value: text }),
);

const sourceArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  plainSourceArbitrary,
  fc.record({
    type: fc.constant("lookup" as const),
    from: plainSourceArbitrary,
    table: fc.constantFrom({ Acme: "Acme Brands", summer: "Summer 25", "Mens Shirts": "male", Linen: "linen", Navy: "Blue" }, { sale: "used", Other: "" }),
    caseInsensitive: fc.boolean(),
    fallback: fc.option(fc.constantFrom("fallback", "new", ""), { nil: undefined }),
  }),
);

const transformArbitrary: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ type: fc.constant("truncate" as const), max: fc.integer({ min: 1, max: 20 }), atWord: fc.boolean() }),
  fc.constant({ type: "stripHtml" as const }),
  fc.record({ type: fc.constant("case" as const), to: fc.constantFrom("upper" as const, "lower" as const, "title" as const, "sentence" as const) }),
  fc.record({ type: fc.constantFrom("prefix" as const, "suffix" as const), value: fc.constantFrom("Acme ", " | new", "https://x.example/") }),
  fc.record({ type: fc.constant("replace" as const), find: fc.constantFrom("Shirt", " ", "a", "$"), with: fc.constantFrom("", "Top", "$&"), all: fc.boolean() }),
  fc.constant({ type: "trim" as const }),
);

const ruleArbitrary: fc.Arbitrary<unknown> = fc.record({
  when: fc.option(fc.array(conditionArbitrary, { maxLength: 2 }), { nil: undefined }),
  source: sourceArbitrary,
  transforms: fc.option(fc.array(transformArbitrary, { maxLength: 3 }), { nil: undefined }),
});

const FIELDS: MappableField[] = ["title", "description", "link", "brand", "condition", "gender", "mpn", "color", "customLabel0", "customLabel3"];

const rulesArbitrary = fc
  .dictionary(fc.constantFrom(...FIELDS), fc.array(ruleArbitrary, { minLength: 1, maxLength: 3 }), { maxKeys: 5 })
  .map((fields) => parseMappingRules({ version: 1, fields }))
  .filter((parsed) => parsed.ok)
  .map((parsed) => (parsed.ok ? parsed.rules : { version: 1 as const }));

describe("compiled rules", () => {
  it("render templates exactly as a naive renderer does", () => {
    fc.assert(
      fc.property(templateArbitrary, entryArbitrary, (template, entry) => {
        const parsed = parseMappingRules({ version: 1, fields: { mpn: [{ source: { type: "template", template } }] } });
        if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
        const result = applyMappingRules(compileMappingRules(parsed.rules), entry.item, entry.product, entry.variant, { channel: "google", market: "US" });
        expect(result.item.mpn).toBe(renderNaive(template, entry) || entry.item.mpn);
      }),
      { numRuns: 2000 },
    );
  });

  it("map every item exactly as a naive reading of the raw rules does", () => {
    fc.assert(
      fc.property(rulesArbitrary, fc.array(entryArbitrary, { minLength: 1, maxLength: 4 }), (rules, entries) => {
        const compiled = compileMappingRules(rules);
        for (const entry of entries) {
          const before = structuredClone(entry.item);
          const result = applyMappingRules(compiled, entry.item, entry.product, entry.variant, { channel: "google", market: "US" });
          const expected = applyNaive(rules, entry);
          expect(result.item).toEqual(expected.item);
          expect(result.diagnostics.map((diagnostic) => ({ field: diagnostic.field, value: diagnostic.value }))).toEqual(expected.problems);
          // Applying never changes the default item it was given.
          expect(entry.item).toEqual(before);
        }
      }),
      { numRuns: 400 },
    );
  });
});
