import type { Metafield, MetafieldValue, Product, Variant, WeightUnit } from "../../catalog/types";
import { DEFAULT_CHANNEL_SPECS } from "../specs";
import { stripHtml, toSentenceCase, toTitleCase, truncateAtWord } from "../text";
import { CUSTOM_LABEL_COUNT, type ChannelId, type Diagnostic, type MappableField, type MappedItem } from "../types";
import {
  CONDITION_KINDS,
  CONDITION_OP_WORDS,
  METAFIELD_PLACEHOLDER_PREFIX,
  checkFieldValue,
  customLabelIndex,
  fieldRuleEntries,
  isFieldPath,
  mappableFieldInfo,
  normalizeLookupKey,
  splitMetafieldKey,
  type Condition,
  type FieldPath,
  type FieldRule,
  type FieldValueCheck,
  type Granularity,
  type MappableFieldInfo,
  type MappingRules,
  type MetafieldScope,
  type PlainSource,
  type Source,
  type Transform,
} from "./schema";
import { compileTemplateTokens, renderTemplate, tokenizeTemplate, type ValueReader } from "./template";

/**
 * Runs merchant mapping rules on one item. Rules are compiled once per feed (templates split into
 * parts, condition values lowercased, lookup tables turned into maps) because they run for every
 * variant of catalogs with a million of them; applying them then only reads values and compares.
 */

// ---------------------------------------------------------------------------------------------
// Reading values
// ---------------------------------------------------------------------------------------------

/** Shopify's placeholder option (and variant title) of products without variants; not a real value. */
export const DEFAULT_OPTION_VALUE = "Default Title";

function optionValue(variant: Variant, index: number): string | null {
  const option = variant.selectedOptions[index];
  return option && option.value !== DEFAULT_OPTION_VALUE ? option.value : null;
}

const WEIGHT_UNIT_SYMBOLS: Record<WeightUnit, string> = { GRAMS: "g", KILOGRAMS: "kg", OUNCES: "oz", POUNDS: "lb" };

type ItemTextField = Exclude<MappableField, `customLabel${number}`>;

function readItemField(item: MappedItem, field: MappableField): string | null {
  const labelIndex = customLabelIndex(field);
  return labelIndex === null ? item[field as ItemTextField] : (item.customLabels[labelIndex] ?? null);
}

const BASE_READERS: Record<Exclude<FieldPath, `item.${string}`>, ValueReader> = {
  "product.title": (product) => product.title,
  "product.handle": (product) => product.handle,
  "product.vendor": (product) => product.vendor,
  "product.productType": (product) => product.productType,
  "product.descriptionHtml": (product) => product.descriptionHtml,
  "product.seoTitle": (product) => product.seo.title,
  "product.seoDescription": (product) => product.seo.description,
  "product.category": (product) => product.category?.fullName ?? null,
  "product.categoryId": (product) => product.category?.id ?? null,
  "product.tags": (product) => (product.tags.length > 0 ? product.tags.join(", ") : null),
  "variant.title": (_product, variant) => (variant.title === DEFAULT_OPTION_VALUE ? null : variant.title),
  "variant.sku": (_product, variant) => variant.sku,
  "variant.barcode": (_product, variant) => variant.barcode,
  "variant.option1": (_product, variant) => optionValue(variant, 0),
  "variant.option2": (_product, variant) => optionValue(variant, 1),
  "variant.option3": (_product, variant) => optionValue(variant, 2),
  "variant.price": (_product, variant) => variant.price,
  "variant.compareAtPrice": (_product, variant) => variant.compareAtPrice,
  "variant.weight": (_product, variant) =>
    variant.weight === null || variant.weightUnit === null ? null : `${variant.weight} ${WEIGHT_UNIT_SYMBOLS[variant.weightUnit]}`,
};

function fieldPathReader(path: FieldPath): ValueReader {
  if (path.startsWith("item.")) {
    const field = path.slice("item.".length) as MappableField;
    return (_product, _variant, item) => readItemField(item, field);
  }
  return BASE_READERS[path as keyof typeof BASE_READERS];
}

function isBlank(value: string): boolean {
  return value.trim() === "";
}

/** A data source without a value, or with only spaces, counts as missing so the next rule can try. */
function nonBlank(read: ValueReader): ValueReader {
  return (product, variant, item) => {
    const value = read(product, variant, item);
    return value === null || isBlank(value) ? null : value;
  };
}

// --- metafields ---

function findMetafield(metafields: readonly Metafield[], namespace: string, key: string): Metafield | undefined {
  for (const metafield of metafields) {
    if (metafield.key === key && metafield.namespace === namespace) return metafield;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Shopify rich text is a tree of nodes; its text is the `value` of every text node, blocks separated by spaces. */
function richTextPlain(node: unknown, depth = 0): string {
  if (!isRecord(node) || depth > 20) return "";
  if (node.type === "text") return typeof node.value === "string" ? node.value : "";
  if (!Array.isArray(node.children)) return "";
  const separator = node.type === "root" || node.type === "list" ? " " : "";
  return node.children.map((child) => richTextPlain(child, depth + 1)).join(separator);
}

/**
 * A metafield value as feed text: money "12.00 USD", measurements "12 cm", ratings their value,
 * rich text its words, lists joined with ", ". Other JSON stays as Shopify stored it.
 */
export function formatMetafieldValue(value: MetafieldValue, raw: string): string | null {
  if (value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number") return String(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) {
    const parts = listElements(value);
    return parts.length > 0 ? parts.join(", ") : null;
  }
  const record = value as Record<string, unknown>;
  if (typeof record.amount === "string" && typeof record.currencyCode === "string") return `${record.amount} ${record.currencyCode}`;
  if (typeof record.value === "number" && typeof record.unit === "string") return `${record.value} ${record.unit}`;
  if (typeof record.value === "number" && typeof record.scaleMax === "number") return String(record.value);
  if (record.type === "root") return richTextPlain(record);
  return raw;
}

function listElements(values: readonly MetafieldValue[]): string[] {
  const parts: string[] = [];
  for (const element of values) {
    const part = formatMetafieldValue(element, JSON.stringify(element));
    if (part !== null && !isBlank(part)) parts.push(part);
  }
  return parts;
}

function metafieldLists(scope: MetafieldScope): ((product: Product, variant: Variant) => readonly Metafield[])[] {
  const fromVariant = (_product: Product, variant: Variant) => variant.metafields;
  const fromProduct = (product: Product) => product.metafields;
  if (scope === "variant") return [fromVariant];
  if (scope === "product") return [fromProduct];
  return [fromVariant, fromProduct];
}

/** The first metafield with a value, in scope order (the variant's, then the product's, by default). */
function metafieldFinder(keyText: string, scope: MetafieldScope): (product: Product, variant: Variant) => Metafield | undefined {
  const { namespace, key } = splitMetafieldKey(keyText);
  const lists = metafieldLists(scope);
  return (product, variant) => {
    for (const list of lists) {
      const metafield = findMetafield(list(product, variant), namespace, key);
      if (metafield) {
        const text = formatMetafieldValue(metafield.value, metafield.raw);
        if (text !== null && !isBlank(text)) return metafield;
      }
    }
    return undefined;
  };
}

function metafieldReader(keyText: string, scope: MetafieldScope): ValueReader {
  const find = metafieldFinder(keyText, scope);
  return (product, variant) => {
    const metafield = find(product, variant);
    return metafield ? formatMetafieldValue(metafield.value, metafield.raw) : null;
  };
}

// --- templates ---

function placeholderReader(name: string): ValueReader {
  if (isFieldPath(name)) return fieldPathReader(name);
  if (name.startsWith(METAFIELD_PLACEHOLDER_PREFIX)) return metafieldReader(name.slice(METAFIELD_PLACEHOLDER_PREFIX.length), "variant-then-product");
  throw new Error(`unknown template placeholder {{${name}}}: rules must come through parseMappingRules`);
}

function templateReader(template: string): ValueReader {
  const tokens = tokenizeTemplate(template);
  if (!tokens.ok) throw new Error(`invalid template: ${tokens.message}`);
  const parts = compileTemplateTokens(tokens.tokens, placeholderReader);
  return (product, variant, item) => {
    const text = renderTemplate(parts, product, variant, item);
    return text === "" ? null : text;
  };
}

// --- sources ---

/** Several candidate keys for a lookup: each tag, each element of a list metafield. */
type KeysReader = (product: Product, variant: Variant, item: MappedItem) => string | readonly string[] | null;

function compilePlainSource(source: PlainSource): ValueReader {
  switch (source.type) {
    case "field":
      return nonBlank(fieldPathReader(source.path));
    case "metafield":
      return metafieldReader(source.key, source.scope ?? "variant-then-product");
    case "template":
      return templateReader(source.template);
    case "static": {
      const value = source.value;
      return () => value;
    }
  }
}

function compileLookupKeys(source: PlainSource): KeysReader {
  if (source.type === "field" && source.path === "product.tags") return (product) => product.tags;
  if (source.type === "metafield") {
    const find = metafieldFinder(source.key, source.scope ?? "variant-then-product");
    return (product, variant) => {
      const metafield = find(product, variant);
      if (!metafield) return null;
      return Array.isArray(metafield.value) ? listElements(metafield.value) : formatMetafieldValue(metafield.value, metafield.raw);
    };
  }
  return compilePlainSource(source);
}

function compileSource(source: Source): ValueReader {
  if (source.type !== "lookup") return compilePlainSource(source);
  const caseInsensitive = source.caseInsensitive === true;
  const table = new Map<string, string>();
  for (const [key, value] of Object.entries(source.table)) table.set(normalizeLookupKey(key, caseInsensitive), value);
  const readKeys = compileLookupKeys(source.from);
  const fallback = source.fallback ?? null;
  return (product, variant, item) => {
    const keys = readKeys(product, variant, item);
    if (typeof keys === "string") return table.get(normalizeLookupKey(keys, caseInsensitive)) ?? fallback;
    if (keys !== null) {
      // The first candidate (tag, list element) in the table wins.
      for (const key of keys) {
        const hit = table.get(normalizeLookupKey(key, caseInsensitive));
        if (hit !== undefined) return hit;
      }
    }
    return fallback;
  };
}

// ---------------------------------------------------------------------------------------------
// Transforms
// ---------------------------------------------------------------------------------------------

type TextTransform = (text: string) => string;

/** Cuts to `max` characters (code points, as channels count), never splitting a surrogate pair. */
export function truncateChars(text: string, max: number): string {
  // UTF-16 length is at least the code point count, so a short string needs no counting.
  if (text.length <= max) return text;
  let count = 0;
  let index = 0;
  while (index < text.length && count < max) {
    const code = text.charCodeAt(index);
    index += code >= 0xd800 && code <= 0xdbff && index + 1 < text.length ? 2 : 1;
    count += 1;
  }
  return text.slice(0, index);
}

function replaceFirst(text: string, find: string, replacement: string): string {
  const at = text.indexOf(find);
  return at === -1 ? text : text.slice(0, at) + replacement + text.slice(at + find.length);
}

const CASE_TRANSFORMS: Record<"upper" | "lower" | "title" | "sentence", TextTransform> = {
  upper: (text) => text.toUpperCase(),
  lower: (text) => text.toLowerCase(),
  title: toTitleCase,
  sentence: toSentenceCase,
};

function compileTransform(transform: Transform): TextTransform {
  switch (transform.type) {
    case "truncate": {
      const max = transform.max;
      return transform.atWord ? (text) => truncateAtWord(text, max) : (text) => truncateChars(text, max);
    }
    case "stripHtml":
      return stripHtml;
    case "case":
      return CASE_TRANSFORMS[transform.to];
    case "prefix": {
      const prefix = transform.value;
      return (text) => prefix + text;
    }
    case "suffix": {
      const suffix = transform.value;
      return (text) => text + suffix;
    }
    case "replace": {
      const { find, with: replacement } = transform;
      // split/join is literal: String.replace would read "$&" in the replacement as a pattern.
      return transform.all ? (text) => text.split(find).join(replacement) : (text) => replaceFirst(text, find, replacement);
    }
    case "trim":
      return (text) => text.trim();
  }
}

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

type EntryPredicate = (product: Product, variant: Variant, item: MappedItem) => boolean;

export interface CompiledCondition {
  holds: EntryPredicate;
  /** The condition as a phrase: `tag has "no-social"`, `price < 10`. */
  description: string;
}

type TextConditionKind = "productType" | "vendor" | "sku" | "title";

const TEXT_CONDITION_READERS: Record<TextConditionKind, (product: Product, variant: Variant) => string> = {
  productType: (product) => product.productType,
  vendor: (product) => product.vendor,
  sku: (_product, variant) => variant.sku ?? "",
  title: (product) => product.title,
};

/** The price the channel sees in this market; the Shopify price when the item has none. */
function conditionPrice(_product: Product, variant: Variant, item: MappedItem): number {
  return Number(item.price ? item.price.amount : variant.price);
}

/** Variants whose stock Shopify does not track are always sellable, so they count as unlimited. */
function conditionStock(_product: Product, variant: Variant): number {
  return variant.inventoryItem.tracked ? variant.availableQuantity : Number.POSITIVE_INFINITY;
}

const COLLECTION_GID_PREFIX = "gid://shopify/Collection/";

function collectionGid(value: string): string {
  const trimmed = value.trim();
  return trimmed.startsWith(COLLECTION_GID_PREFIX) ? trimmed : COLLECTION_GID_PREFIX + trimmed;
}

function hasTag(tags: readonly string[], wantedLower: string): boolean {
  for (const tag of tags) {
    if (tag.toLowerCase() === wantedLower) return true;
  }
  return false;
}

function quoted(value: string | number | string[]): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return `"${value}"`;
  return value.map((entry) => `"${entry}"`).join(", ");
}

export function describeCondition(condition: Condition): string {
  const value = condition.on === "collection" && typeof condition.value === "string" ? collectionNumber(condition.value) : quoted(condition.value);
  return `${CONDITION_KINDS[condition.on].word} ${CONDITION_OP_WORDS[condition.op]} ${value}`;
}

function collectionNumber(value: string): string {
  return collectionGid(value).slice(COLLECTION_GID_PREFIX.length);
}

function textTest(op: Condition["op"], value: Condition["value"]): (text: string) => boolean {
  if (op === "in") {
    const wanted = new Set((Array.isArray(value) ? value : [String(value)]).map((entry) => entry.trim().toLowerCase()));
    return (text) => wanted.has(text.trim().toLowerCase());
  }
  const wanted = String(value).trim().toLowerCase();
  switch (op) {
    case "equals":
      return (text) => text.trim().toLowerCase() === wanted;
    case "notEquals":
      return (text) => text.trim().toLowerCase() !== wanted;
    case "contains":
      return (text) => text.toLowerCase().includes(wanted);
    case "startsWith":
      return (text) => text.trimStart().toLowerCase().startsWith(wanted);
    default:
      throw new Error(`"${op}" is not a text operator`);
  }
}

function numberTest(op: Condition["op"], value: number): (amount: number) => boolean {
  // NaN (an unreadable price) never satisfies a comparison, so such items match no price condition.
  switch (op) {
    case "lt":
      return (amount) => amount < value;
    case "lte":
      return (amount) => amount <= value;
    case "gt":
      return (amount) => amount > value;
    case "gte":
      return (amount) => amount >= value;
    case "equals":
      return (amount) => amount === value;
    default:
      throw new Error(`"${op}" is not a number operator`);
  }
}

export function compileCondition(condition: Condition): CompiledCondition {
  return { holds: conditionPredicate(condition), description: describeCondition(condition) };
}

function conditionPredicate(condition: Condition): EntryPredicate {
  const { on, op, value } = condition;
  switch (on) {
    case "tag": {
      const wanted = String(value).trim().toLowerCase();
      return op === "has" ? (product) => hasTag(product.tags, wanted) : (product) => !hasTag(product.tags, wanted);
    }
    case "collection": {
      const gid = collectionGid(String(value));
      return op === "has" ? (product) => product.collectionIds.includes(gid) : (product) => !product.collectionIds.includes(gid);
    }
    case "price": {
      const test = numberTest(op, Number(value));
      return (product, variant, item) => test(conditionPrice(product, variant, item));
    }
    case "stock": {
      const test = numberTest(op, Number(value));
      return (product, variant) => test(conditionStock(product, variant));
    }
    default: {
      const read = TEXT_CONDITION_READERS[on];
      const test = textTest(op, value);
      return (product, variant) => test(read(product, variant));
    }
  }
}

export function allHold(conditions: readonly CompiledCondition[], product: Product, variant: Variant, item: MappedItem): boolean {
  for (const condition of conditions) {
    if (!condition.holds(product, variant, item)) return false;
  }
  return true;
}

/** The first condition that holds, or null. */
export function firstHolding(conditions: readonly CompiledCondition[], product: Product, variant: Variant, item: MappedItem): CompiledCondition | null {
  for (const condition of conditions) {
    if (condition.holds(product, variant, item)) return condition;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Compiling and applying
// ---------------------------------------------------------------------------------------------

interface CompiledRule {
  /** 1-based, as the mapping form numbers rules. */
  number: number;
  when: readonly CompiledCondition[];
  read: ValueReader;
  transforms: readonly TextTransform[];
}

interface CompiledFieldRules {
  info: MappableFieldInfo;
  labelIndex: number | null;
  rules: readonly CompiledRule[];
}

export interface CompiledMappingRules {
  /** The rules this was compiled from, for screens that describe them. */
  source: MappingRules;
  fields: readonly CompiledFieldRules[];
  include: readonly CompiledCondition[];
  exclude: readonly CompiledCondition[];
  granularity: Granularity;
}

function compileRule(rule: FieldRule, index: number): CompiledRule {
  return {
    number: index + 1,
    when: (rule.when ?? []).map(compileCondition),
    read: compileSource(rule.source),
    transforms: (rule.transforms ?? []).map(compileTransform),
  };
}

/** Compiles parsed rules (from parseMappingRules or resolveRules) once per feed. */
export function compileMappingRules(rules: MappingRules): CompiledMappingRules {
  return {
    source: rules,
    fields: fieldRuleEntries(rules)
      .filter(([, fieldRules]) => fieldRules.length > 0)
      .map(([field, fieldRules]) => ({ info: mappableFieldInfo(field), labelIndex: customLabelIndex(field), rules: fieldRules.map(compileRule) })),
    include: (rules.include ?? []).map(compileCondition),
    exclude: (rules.exclude ?? []).map(compileCondition),
    granularity: rules.granularity ?? "all-variants",
  };
}

export interface MappingContext {
  channel: ChannelId;
  /** Market code ("US"). */
  market: string;
}

export interface MappingResult {
  item: MappedItem;
  diagnostics: Diagnostic[];
}

interface FieldOutcome {
  rule: CompiledRule;
  check: FieldValueCheck;
  output: string;
}

/**
 * The first rule whose conditions all hold and whose source has a value decides the field; a static
 * value always has one (an empty static value clears an optional field). No such rule: the default
 * stays. Sources read the item as it came in, so rules for one field never see another field's rules.
 */
function evaluateField(fieldRules: CompiledFieldRules, product: Product, variant: Variant, item: MappedItem): FieldOutcome | null {
  for (const rule of fieldRules.rules) {
    if (!allHold(rule.when, product, variant, item)) continue;
    const raw = rule.read(product, variant, item);
    if (raw === null) continue;
    let output = raw;
    for (const transform of rule.transforms) output = transform(output);
    return { rule, output, check: checkFieldValue(fieldRules.info.field, output) };
  }
  return null;
}

function writeField(target: MappedItem, original: MappedItem, fieldRules: CompiledFieldRules, value: string | null): void {
  const { labelIndex, info } = fieldRules;
  if (labelIndex !== null) {
    if (target.customLabels === original.customLabels) {
      const labels = original.customLabels.slice();
      while (labels.length < CUSTOM_LABEL_COUNT) labels.push(null);
      target.customLabels = labels;
    }
    target.customLabels[labelIndex] = value;
    return;
  }
  if (info.field === "condition") {
    // checkFieldValue only lets the enum's values through for condition, and never null (required).
    target.condition = value as MappedItem["condition"];
    return;
  }
  const field = info.field as Exclude<ItemTextField, "condition">;
  if (field === "title" || field === "description") {
    // Required fields: checkFieldValue never lets an empty value through for them.
    if (value !== null) target[field] = value;
    return;
  }
  target[field] = value;
}

/**
 * Applies compiled rules to one default item. The input is never changed: the result is a copy with
 * the mapped fields replaced, or the same object when no rule changed anything. A rule whose output
 * does not fit the field keeps the default and reports a warning pointing at the rule.
 */
export function applyMappingRules(compiled: CompiledMappingRules, item: MappedItem, product: Product, variant: Variant, ctx: MappingContext): MappingResult {
  let mapped: MappedItem | null = null;
  let diagnostics: Diagnostic[] | null = null;
  for (const fieldRules of compiled.fields) {
    const outcome = evaluateField(fieldRules, product, variant, item);
    if (outcome === null) continue;
    if (!outcome.check.ok) {
      diagnostics ??= [];
      diagnostics.push(ruleDiagnostic(item, fieldRules, outcome, ctx));
      continue;
    }
    mapped ??= { ...item };
    writeField(mapped, item, fieldRules, outcome.check.value);
  }
  return { item: mapped ?? item, diagnostics: diagnostics ?? [] };
}

const DIAGNOSTIC_VALUE_LENGTH = 200;

function shortValue(value: string, max: number): string {
  return value.length > max ? `${truncateChars(value, max - 3)}...` : value;
}

function ruleDiagnostic(item: MappedItem, fieldRules: CompiledFieldRules, outcome: FieldOutcome, ctx: MappingContext): Diagnostic {
  const { info } = fieldRules;
  const number = outcome.rule.number;
  const current = readItemField(item, info.field);
  const kept = current === null || current === "" ? "no value" : `"${shortValue(current, 80)}"`;
  const empty = outcome.check.ok === false && outcome.check.reason === "empty";
  const problem = outcome.check.ok ? "" : outcome.check.problem;
  const where = `rule ${number} for ${info.label} in Shelfcast → Channels → ${DEFAULT_CHANNEL_SPECS[ctx.channel].label} → Mapping`;
  return {
    code: empty ? "mapping_rule_empty_result" : "mapping_rule_invalid_value",
    severity: "warning",
    channel: ctx.channel,
    market: ctx.market,
    itemId: item.id,
    productId: item.productId,
    variantId: item.variantId,
    field: info.field,
    value: empty ? null : shortValue(outcome.output.trim(), DIAGNOSTIC_VALUE_LENGTH),
    message: empty
      ? `Mapping rule ${number} for ${info.label} produced an empty value for this item, so the default (${kept}) was used.`
      : `Mapping rule ${number} for ${info.label} produced a value the field cannot take: ${problem}. The default (${kept}) was used.`,
    fix: empty
      ? `Change ${where} so it produces a value for this product (check its source and transforms), or add a condition so it only applies where it does.`
      : `Change ${where} so it produces ${expectation(info)}; a lookup table can translate your own words.`,
    fixTarget: { kind: "mapping", channel: ctx.channel, field: info.field },
  };
}

function expectation(info: MappableFieldInfo): string {
  if (info.allowedValues) return `one of ${info.allowedValues.join(", ")}`;
  if (info.kind === "url") return "a full web address starting with https://";
  return "a valid value";
}
