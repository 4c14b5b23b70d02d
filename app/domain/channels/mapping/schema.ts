import { z } from "zod";
import { DEFAULT_CHANNEL_SPECS, type FlatChannelSpec } from "../specs";
import type { ChannelId, MappableField } from "../types";
import { tokenizeTemplate } from "./template";

/**
 * Merchant mapping rules as data. Merchants edit them in a form, support pastes them as JSON to the
 * CLI (`--mapping rules.json`), and they are stored as JSON: everything arrives untrusted, so the
 * schema is strict (unknown keys are errors, not silently ignored typos), bounded (sizes capped so a
 * pasted file cannot make a feed build slow), and its messages name the exact place and the fix.
 */

// ---------------------------------------------------------------------------------------------
// Fields a rule may write
// ---------------------------------------------------------------------------------------------

/** How a field's value is checked once a rule produced it. */
export type FieldValueKind = "text" | "html" | "url" | "enum";

export interface MappableFieldInfo {
  field: MappableField;
  label: string;
  /** One or two sentences for the mapping form. */
  help: string;
  kind: FieldValueKind;
  /** The accepted values of an enum field, lowercase; null for free text. */
  allowedValues: readonly string[] | null;
  /** An empty value would make the item unusable, so a rule producing one keeps the default instead. */
  required: boolean;
}

type FieldInfo = Omit<MappableFieldInfo, "field">;

const text = (label: string, help: string): FieldInfo => ({ label, help, kind: "text", allowedValues: null, required: false });

/**
 * A value any channel accepts: a rule may be shared by several channels, and each channel's adapter
 * reports values it does not take itself (Meta's "teen" age group on Google).
 */
function acceptedByAnyChannel(pick: (spec: FlatChannelSpec) => readonly string[]): readonly string[] {
  const values = new Set<string>();
  for (const spec of Object.values(DEFAULT_CHANNEL_SPECS)) {
    if ("conditions" in spec) for (const value of pick(spec)) values.add(value);
  }
  return [...values];
}

const CONDITION_VALUES = acceptedByAnyChannel((spec) => spec.conditions);
const GENDER_VALUES = acceptedByAnyChannel((spec) => spec.genders);
const AGE_GROUP_VALUES = acceptedByAnyChannel((spec) => spec.ageGroups);

const customLabel = (n: number): FieldInfo =>
  text(`Custom label ${n}`, "Free text you group items by in campaigns (season, margin band, best seller). Shoppers never see it.");

const FIELD_INFO: Record<MappableField, FieldInfo> = {
  title: { ...text("Title", "The item's name in ads and shops. Shelfcast's default adds the variant's options where the channel expects them."), required: true },
  description: { ...text("Description", "Plain text; the default is the product description with its HTML removed."), required: true },
  richDescription: { ...text("Rich description", "Formatted description (safe HTML) for channels that show it, such as Meta and TikTok Shop."), kind: "html" },
  link: { label: "Product link", help: "The product page the channel sends shoppers to; must be a full http(s) address.", kind: "url", allowedValues: null, required: true },
  brand: text("Brand", "Defaults to the product's vendor."),
  gtin: text("GTIN (barcode)", "UPC, EAN, JAN or ISBN. Defaults to the variant's barcode; channels check its check digit."),
  mpn: text("MPN", "Manufacturer part number, for products without a GTIN."),
  condition: {
    label: "Condition",
    help: `${CONDITION_VALUES.join(", ")}. Defaults to new.`,
    kind: "enum",
    allowedValues: CONDITION_VALUES,
    required: true,
  },
  color: text("Colour", "Colour words, not codes (\"Navy\", not \"#000080\"). Defaults to the Color option."),
  size: text("Size", "Defaults to the Size option."),
  material: text("Material", "Defaults to the Material option or the product's material metafield."),
  pattern: text("Pattern", "Defaults to the Pattern option."),
  gender: { label: "Gender", help: `${GENDER_VALUES.join(", ")}; "men" and "women" are understood too.`, kind: "enum", allowedValues: GENDER_VALUES, required: false },
  ageGroup: {
    label: "Age group",
    help: `${AGE_GROUP_VALUES.join(", ")}. Only Meta takes "teen" and "all ages".`,
    kind: "enum",
    allowedValues: AGE_GROUP_VALUES,
    required: false,
  },
  googleProductCategory: text("Google product category", "A Google taxonomy id (1604) or full path (Apparel & Accessories > Clothing)."),
  productType: text("Product type", "Your own category path, used to group items in campaigns."),
  channelCategoryId: text("Channel category id", "TikTok Shop's leaf category id. Set it with a lookup table from the Shopify category."),
  packageDimensions: text("Package dimensions", "Length x width x height with a unit, e.g. \"30 x 20 x 10 cm\"."),
  customLabel0: customLabel(0),
  customLabel1: customLabel(1),
  customLabel2: customLabel(2),
  customLabel3: customLabel(3),
  customLabel4: customLabel(4),
};

const MAPPABLE_FIELD_NAMES = Object.keys(FIELD_INFO) as [MappableField, ...MappableField[]];

/** Every field a rule may write, in form order, with its label and help text. */
export const MAPPABLE_FIELDS: readonly MappableFieldInfo[] = MAPPABLE_FIELD_NAMES.map((field) => ({ field, ...FIELD_INFO[field] }));

export function mappableFieldInfo(field: MappableField): MappableFieldInfo {
  return { field, ...FIELD_INFO[field] };
}

/** customLabel0..4 → 0..4; null for other fields. */
export function customLabelIndex(field: MappableField): number | null {
  return field.startsWith("customLabel") ? Number(field.slice("customLabel".length)) : null;
}

// ---------------------------------------------------------------------------------------------
// Values a rule may read
// ---------------------------------------------------------------------------------------------

type PathInfo = { label: string; help: string };

const BASE_FIELD_PATHS = {
  "product.title": { label: "Product title", help: "The title in Shopify, without variant options." },
  "product.handle": { label: "Product handle", help: "The URL handle, e.g. linen-shirt." },
  "product.vendor": { label: "Vendor", help: "The product's vendor." },
  "product.productType": { label: "Product type", help: "Shopify's product type field." },
  "product.descriptionHtml": { label: "Description (HTML)", help: "The description with its HTML; add a Strip HTML transform for plain text." },
  "product.seoTitle": { label: "SEO title", help: "The search engine listing title, when set." },
  "product.seoDescription": { label: "SEO description", help: "The search engine listing description, when set." },
  "product.category": { label: "Shopify category", help: "Full name in Shopify's standard taxonomy, e.g. Apparel & Accessories > Clothing > Shirts & Tops." },
  "product.categoryId": { label: "Shopify category id", help: "The taxonomy category's id, e.g. gid://shopify/TaxonomyCategory/aa-1-13-8; stable for lookup tables." },
  "product.tags": { label: "Tags", help: "All tags joined with commas; a lookup table checks each tag in turn." },
  "variant.title": { label: "Variant title", help: "The variant's option values, e.g. Navy / M; empty for single-variant products." },
  "variant.sku": { label: "SKU", help: "The variant's SKU." },
  "variant.barcode": { label: "Barcode", help: "The variant's barcode (UPC, EAN, ISBN...)." },
  "variant.option1": { label: "Option 1 value", help: "The value of the product's first option, e.g. Navy." },
  "variant.option2": { label: "Option 2 value", help: "The value of the product's second option." },
  "variant.option3": { label: "Option 3 value", help: "The value of the product's third option." },
  "variant.price": { label: "Price", help: "The variant's Shopify price as a number, e.g. 19.99." },
  "variant.compareAtPrice": { label: "Compare-at price", help: "The variant's compare-at price as a number, when set." },
  "variant.weight": { label: "Weight", help: "The variant's weight with its unit, e.g. 0.5 kg." },
} as const satisfies Record<string, PathInfo>;

type BaseFieldPath = keyof typeof BASE_FIELD_PATHS;
export type ItemFieldPath = `item.${MappableField}`;
export type FieldPath = BaseFieldPath | ItemFieldPath;

export interface FieldSourcePath {
  path: FieldPath;
  group: "product" | "variant" | "item";
  label: string;
  help: string;
}

const ITEM_PATHS: FieldSourcePath[] = MAPPABLE_FIELDS.map((info) => ({
  path: `item.${info.field}` as const,
  group: "item",
  label: `Shelfcast default: ${info.label}`,
  help: `The value Shelfcast would use for ${info.label} without rules (before any rule applies).`,
}));

/** Every product, variant and default-item value a rule may read, with labels for the form. */
export const FIELD_SOURCE_PATHS: readonly FieldSourcePath[] = [
  ...(Object.keys(BASE_FIELD_PATHS) as BaseFieldPath[]).map(
    (path): FieldSourcePath => ({ path, group: path.startsWith("product.") ? "product" : "variant", ...BASE_FIELD_PATHS[path] }),
  ),
  ...ITEM_PATHS,
];

const FIELD_PATH_NAMES = FIELD_SOURCE_PATHS.map((entry) => entry.path) as [FieldPath, ...FieldPath[]];
const FIELD_PATH_SET: ReadonlySet<string> = new Set(FIELD_PATH_NAMES);

export function isFieldPath(name: string): name is FieldPath {
  return FIELD_PATH_SET.has(name);
}

/** `namespace.key`: Shopify namespaces may carry `$app:`; neither part contains a dot. */
const METAFIELD_KEY = /^[A-Za-z0-9_$:-]{1,255}\.[A-Za-z0-9_-]{1,64}$/;
export const METAFIELD_PLACEHOLDER_PREFIX = "metafield.";

export function splitMetafieldKey(key: string): { namespace: string; key: string } {
  const dot = key.indexOf(".");
  return { namespace: key.slice(0, dot), key: key.slice(dot + 1) };
}

// ---------------------------------------------------------------------------------------------
// Limits: the JSON comes from users, so every list and text is bounded.
// ---------------------------------------------------------------------------------------------

export const MAPPING_LIMITS = {
  rulesPerField: 50,
  rulesInTotal: 300,
  conditionsPerRule: 20,
  filterConditions: 50,
  transformsPerRule: 20,
  lookupEntries: 200,
  lookupEntriesInTotal: 2000,
  lookupKeyLength: 200,
  lookupValueLength: 1000,
  templateLength: 2000,
  templatePlaceholders: 50,
  staticValueLength: 5000,
  affixLength: 500,
  replaceFindLength: 200,
  conditionValueLength: 500,
  conditionListValues: 200,
  truncateMax: 10000,
} as const;

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

const MEMBERSHIP_OPS = ["has", "lacks"] as const;
const TEXT_OPS = ["equals", "notEquals", "contains", "startsWith", "in"] as const;
const NUMBER_OPS = ["lt", "lte", "gt", "gte", "equals"] as const;
const CONDITION_OP_NAMES = ["has", "lacks", "equals", "notEquals", "contains", "startsWith", "in", "lt", "lte", "gt", "gte"] as const;
export type ConditionOp = (typeof CONDITION_OP_NAMES)[number];

export type ConditionValueKind = "membership" | "text" | "number";

export interface ConditionKindInfo {
  label: string;
  /** The kind inside a sentence: "excluded by rule: tag has \"sale\"". */
  word: string;
  help: string;
  valueKind: ConditionValueKind;
  ops: readonly ConditionOp[];
}

export const CONDITION_KINDS = {
  tag: { label: "Tag", word: "tag", help: "The product has (or lacks) this tag; case does not matter.", valueKind: "membership", ops: MEMBERSHIP_OPS },
  collection: {
    label: "Collection",
    word: "collection",
    help: "The product is (or is not) in this collection: its id, e.g. 4123456789 or gid://shopify/Collection/4123456789.",
    valueKind: "membership",
    ops: MEMBERSHIP_OPS,
  },
  productType: { label: "Product type", word: "product type", help: "Shopify's product type.", valueKind: "text", ops: TEXT_OPS },
  vendor: { label: "Vendor", word: "vendor", help: "The product's vendor.", valueKind: "text", ops: TEXT_OPS },
  sku: { label: "SKU", word: "SKU", help: "The variant's SKU.", valueKind: "text", ops: TEXT_OPS },
  title: { label: "Product title", word: "title", help: "The product's title in Shopify.", valueKind: "text", ops: TEXT_OPS },
  price: { label: "Price", word: "price", help: "The item's price in the market's currency, as a number.", valueKind: "number", ops: NUMBER_OPS },
  stock: {
    label: "Stock",
    word: "stock",
    help: "Units available in Shopify over all locations. Variants whose stock Shopify does not track count as unlimited.",
    valueKind: "number",
    ops: NUMBER_OPS,
  },
} as const satisfies Record<string, ConditionKindInfo>;

export type ConditionKind = keyof typeof CONDITION_KINDS;
const CONDITION_KIND_NAMES = Object.keys(CONDITION_KINDS) as [ConditionKind, ...ConditionKind[]];

/** How an operator reads in a sentence ("tag has \"sale\"", "price < 10"). */
export const CONDITION_OP_WORDS: Record<ConditionOp, string> = {
  has: "has",
  lacks: "lacks",
  equals: "is",
  notEquals: "is not",
  contains: "contains",
  startsWith: "starts with",
  in: "is one of",
  lt: "<",
  lte: "<=",
  gt: ">",
  gte: ">=",
};

const COLLECTION_ID = /^(\d+|gid:\/\/shopify\/Collection\/\d+)$/;

const ConditionSchema = z
  .strictObject({
    on: z.enum(CONDITION_KIND_NAMES),
    op: z.enum(CONDITION_OP_NAMES),
    // Types only here; which type fits which operator is checked below, with a message that says so.
    value: z.union([z.string(), z.number(), z.array(z.string())], { error: "expected text, a number or a list of texts" }),
  })
  .superRefine((condition, ctx) => {
    const problem = conditionProblem(condition);
    if (problem) ctx.addIssue({ code: "custom", path: [problem.key], message: problem.message });
  });

export type Condition = z.infer<typeof ConditionSchema>;

function quoteList(values: readonly string[]): string {
  return values.map((value) => `"${value}"`).join(", ");
}

function conditionProblem(condition: Condition): { key: "op" | "value"; message: string } | null {
  const kind: ConditionKindInfo = CONDITION_KINDS[condition.on];
  const { op, value } = condition;
  if (!kind.ops.includes(op)) {
    return { key: "op", message: `"${op}" does not apply to a ${condition.on} condition; use one of ${quoteList(kind.ops)}` };
  }
  if (kind.valueKind === "number") {
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return { key: "value", message: `a ${condition.on} condition compares numbers: write the value as a number, e.g. 10 (not "10")` };
    }
    return null;
  }
  if (op === "in") {
    if (!Array.isArray(value) || value.length === 0) return { key: "value", message: `"in" needs a list of values, e.g. ["Shirts", "Tops"]` };
    if (value.length > MAPPING_LIMITS.conditionListValues) return { key: "value", message: `at most ${MAPPING_LIMITS.conditionListValues} values in one list` };
    if (value.some((entry) => entry.trim() === "")) return { key: "value", message: "the list contains an empty value" };
    if (value.some((entry) => entry.length > MAPPING_LIMITS.conditionValueLength)) {
      return { key: "value", message: `each value is at most ${MAPPING_LIMITS.conditionValueLength} characters` };
    }
    return null;
  }
  if (typeof value !== "string") {
    return { key: "value", message: `"${op}" compares with one text value${kind.valueKind === "text" ? ' (use "in" for a list)' : ""}` };
  }
  if (value.trim() === "") return { key: "value", message: "the value is empty" };
  if (value.length > MAPPING_LIMITS.conditionValueLength) return { key: "value", message: `at most ${MAPPING_LIMITS.conditionValueLength} characters` };
  if (condition.on === "collection" && !COLLECTION_ID.test(value.trim())) {
    return { key: "value", message: `"${value}" is not a collection id; use the number from the collection's admin URL, e.g. 4123456789` };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Sources
// ---------------------------------------------------------------------------------------------

const METAFIELD_SCOPES = ["variant-then-product", "product", "variant"] as const;
export type MetafieldScope = (typeof METAFIELD_SCOPES)[number];

const metafieldKeySchema = z
  .string()
  .regex(METAFIELD_KEY, 'expected "namespace.key" as shown in Shopify\'s metafield settings, e.g. "custom.material"');

const TemplateTextSchema = z
  .string()
  .min(1)
  .max(MAPPING_LIMITS.templateLength)
  .superRefine((template, ctx) => {
    for (const message of templateProblems(template)) ctx.addIssue({ code: "custom", message });
  });

const FieldSourceSchema = z.strictObject({ type: z.literal("field"), path: z.enum(FIELD_PATH_NAMES) });
const MetafieldSourceSchema = z.strictObject({ type: z.literal("metafield"), key: metafieldKeySchema, scope: z.enum(METAFIELD_SCOPES).optional() });
const TemplateSourceSchema = z.strictObject({ type: z.literal("template"), template: TemplateTextSchema });
const StaticSourceSchema = z.strictObject({ type: z.literal("static"), value: z.string().max(MAPPING_LIMITS.staticValueLength) });

const PLAIN_SOURCE_TYPES = ["field", "metafield", "template", "static"] as const;

const LookupFromSchema = z.discriminatedUnion("type", [FieldSourceSchema, MetafieldSourceSchema, TemplateSourceSchema, StaticSourceSchema], {
  error: (issue) => {
    if (issue.code !== "invalid_union") return undefined;
    const type = typeOf(issue.input);
    if (type === "lookup") return "a lookup reads a field, metafield, template or static value, not another lookup";
    return unknownTypeMessage("source", type, PLAIN_SOURCE_TYPES);
  },
});

const LookupSourceSchema = z
  .strictObject({
    type: z.literal("lookup"),
    from: LookupFromSchema,
    table: z.record(z.string().min(1).max(MAPPING_LIMITS.lookupKeyLength), z.string().max(MAPPING_LIMITS.lookupValueLength)),
    caseInsensitive: z.boolean().optional(),
    fallback: z.string().max(MAPPING_LIMITS.lookupValueLength).optional(),
  })
  .superRefine((lookup, ctx) => {
    const keys = Object.keys(lookup.table);
    if (keys.length > MAPPING_LIMITS.lookupEntries) {
      ctx.addIssue({ code: "custom", path: ["table"], message: `at most ${MAPPING_LIMITS.lookupEntries} entries in one lookup table (it has ${keys.length})` });
      return;
    }
    const seen = new Map<string, string>();
    for (const key of keys) {
      const normalized = normalizeLookupKey(key, lookup.caseInsensitive === true);
      const earlier = seen.get(normalized);
      if (earlier !== undefined) {
        ctx.addIssue({
          code: "custom",
          path: ["table", key],
          message: `"${key}" and "${earlier}" are the same key${lookup.caseInsensitive ? " when case is ignored" : " once spaces are trimmed"}; keep one`,
        });
      }
      seen.set(normalized, key);
    }
  });

/** Keys match trimmed, and lowercase when the table ignores case. Shared with the evaluator. */
export function normalizeLookupKey(key: string, caseInsensitive: boolean): string {
  const trimmed = key.trim();
  return caseInsensitive ? trimmed.toLowerCase() : trimmed;
}

const SOURCE_TYPES = [...PLAIN_SOURCE_TYPES, "lookup"] as const;

const SourceSchema = z.discriminatedUnion("type", [FieldSourceSchema, MetafieldSourceSchema, TemplateSourceSchema, StaticSourceSchema, LookupSourceSchema], {
  error: (issue) => (issue.code === "invalid_union" ? unknownTypeMessage("source", typeOf(issue.input), SOURCE_TYPES) : undefined),
});

export type FieldSource = z.infer<typeof FieldSourceSchema>;
export type MetafieldSource = z.infer<typeof MetafieldSourceSchema>;
export type TemplateSource = z.infer<typeof TemplateSourceSchema>;
export type StaticSource = z.infer<typeof StaticSourceSchema>;
export type LookupSource = z.infer<typeof LookupSourceSchema>;
export type PlainSource = z.infer<typeof LookupFromSchema>;
export type Source = z.infer<typeof SourceSchema>;

// ---------------------------------------------------------------------------------------------
// Transforms
// ---------------------------------------------------------------------------------------------

const CASES = ["upper", "lower", "title", "sentence"] as const;
const TRANSFORM_TYPES = ["truncate", "stripHtml", "case", "prefix", "suffix", "replace", "trim"] as const;

const TransformSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({ type: z.literal("truncate"), max: z.number().int().min(1).max(MAPPING_LIMITS.truncateMax), atWord: z.boolean().optional() }),
    z.strictObject({ type: z.literal("stripHtml") }),
    z.strictObject({ type: z.literal("case"), to: z.enum(CASES) }),
    z.strictObject({ type: z.literal("prefix"), value: z.string().min(1).max(MAPPING_LIMITS.affixLength) }),
    z.strictObject({ type: z.literal("suffix"), value: z.string().min(1).max(MAPPING_LIMITS.affixLength) }),
    // Literal text only: a user-supplied regular expression could take exponential time per item.
    z.strictObject({
      type: z.literal("replace"),
      find: z.string().min(1).max(MAPPING_LIMITS.replaceFindLength),
      with: z.string().max(MAPPING_LIMITS.affixLength),
      all: z.boolean().optional(),
    }),
    z.strictObject({ type: z.literal("trim") }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? unknownTypeMessage("transform", typeOf(issue.input), TRANSFORM_TYPES) : undefined) },
);

export type Transform = z.infer<typeof TransformSchema>;

// ---------------------------------------------------------------------------------------------
// Rules and rule sets
// ---------------------------------------------------------------------------------------------

const FieldRuleSchema = z.strictObject({
  when: z.array(ConditionSchema).max(MAPPING_LIMITS.conditionsPerRule).optional(),
  source: SourceSchema,
  transforms: z.array(TransformSchema).max(MAPPING_LIMITS.transformsPerRule).optional(),
});

export type FieldRule = z.infer<typeof FieldRuleSchema>;

const fieldRulesSchema = z.array(FieldRuleSchema).max(MAPPING_LIMITS.rulesPerField);
const fieldsShape = {} as Record<MappableField, z.ZodOptional<typeof fieldRulesSchema>>;
for (const field of MAPPABLE_FIELD_NAMES) fieldsShape[field] = fieldRulesSchema.optional();

export const GRANULARITIES = ["all-variants", "first-available", "cheapest"] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export const GRANULARITY_OPTIONS: readonly { value: Granularity; label: string; help: string }[] = [
  { value: "all-variants", label: "Every variant", help: "One item per variant, grouped by product (the default)." },
  { value: "first-available", label: "One item per product: first available", help: "The first variant in stock or on pre-order, else the first variant." },
  { value: "cheapest", label: "One item per product: cheapest", help: "The variant with the lowest price; ties go to the first." },
];

const filterSchema = z.array(ConditionSchema).max(MAPPING_LIMITS.filterConditions);

export const MappingRulesSchema = z
  .strictObject({
    version: z.literal(1, { error: 'version must be 1, the only mapping rule format so far: start the file with "version": 1' }),
    fields: z.strictObject(fieldsShape).optional(),
    /** When present and not empty, only items matching at least one condition are kept. */
    include: filterSchema.optional(),
    /** Items matching any condition are left out. */
    exclude: filterSchema.optional(),
    granularity: z.enum(GRANULARITIES).optional(),
  })
  .superRefine((rules, ctx) => {
    for (const issue of ruleSetProblems(rules)) ctx.addIssue({ code: "custom", path: issue.path, message: issue.message });
  });

export type MappingRules = z.infer<typeof MappingRulesSchema>;
export type MappingFieldRules = NonNullable<MappingRules["fields"]>;

/** The fields a rule set has rules for, in form order, with their rules. */
export function fieldRuleEntries(rules: MappingRules): [MappableField, FieldRule[]][] {
  const entries: [MappableField, FieldRule[]][] = [];
  for (const field of MAPPABLE_FIELD_NAMES) {
    const fieldRules = rules.fields?.[field];
    if (fieldRules) entries.push([field, fieldRules]);
  }
  return entries;
}

/** Checks that need the whole rule set or the field a rule writes. */
function ruleSetProblems(rules: MappingRules): { path: (string | number)[]; message: string }[] {
  const problems: { path: (string | number)[]; message: string }[] = [];
  let totalRules = 0;
  let totalLookupEntries = 0;
  for (const [field, fieldRules] of fieldRuleEntries(rules)) {
    totalRules += fieldRules.length;
    fieldRules.forEach((rule, index) => {
      const where = ["fields", field, index, "source"];
      if (rule.source.type === "lookup") totalLookupEntries += Object.keys(rule.source.table).length;
      // Fixed outputs can be checked now rather than warned about on every item later. Transforms
      // change the value, so rules with transforms are checked when they run.
      if (rule.transforms && rule.transforms.length > 0) return;
      for (const fixed of fixedOutputs(rule.source)) {
        const check = checkFieldValue(field, fixed.value);
        if (!check.ok) problems.push({ path: [...where, ...fixed.path], message: check.problem });
      }
    });
  }
  if (totalRules > MAPPING_LIMITS.rulesInTotal) {
    problems.push({ path: ["fields"], message: `at most ${MAPPING_LIMITS.rulesInTotal} rules over all fields (there are ${totalRules})` });
  }
  if (totalLookupEntries > MAPPING_LIMITS.lookupEntriesInTotal) {
    problems.push({ path: ["fields"], message: `at most ${MAPPING_LIMITS.lookupEntriesInTotal} lookup entries over all rules (there are ${totalLookupEntries})` });
  }
  return problems;
}

function fixedOutputs(source: Source): { path: string[]; value: string }[] {
  if (source.type === "static") return [{ path: ["value"], value: source.value }];
  if (source.type !== "lookup") return [];
  const outputs = Object.entries(source.table).map(([key, value]) => ({ path: ["table", key], value }));
  if (source.fallback !== undefined) outputs.push({ path: ["fallback"], value: source.fallback });
  return outputs;
}

// ---------------------------------------------------------------------------------------------
// Field values: what a rule's output must look like for the field it writes
// ---------------------------------------------------------------------------------------------

export type FieldValueCheck = { ok: true; value: string | null } | { ok: false; reason: "empty" | "invalid"; problem: string };

/** Words merchants use for gender (tags, metafields) that mean one of the channels' values. */
const GENDER_SYNONYMS: Record<string, string> = {
  men: "male",
  mens: "male",
  "men's": "male",
  man: "male",
  women: "female",
  womens: "female",
  "women's": "female",
  woman: "female",
  ladies: "female",
};

/**
 * Checks and normalises a rule's output for a field: trims it; enum fields take any case ("Used" →
 * "used"); an empty value clears an optional field (null) but is refused for a field an item cannot
 * do without; links must be absolute http(s) URLs.
 */
export function checkFieldValue(field: MappableField, raw: string): FieldValueCheck {
  const info = FIELD_INFO[field];
  const value = raw.trim();
  if (value === "") {
    return info.required ? { ok: false, reason: "empty", problem: `${info.label} cannot be empty` } : { ok: true, value: null };
  }
  if (info.kind === "enum" && info.allowedValues) {
    const lower = value.toLowerCase();
    const normalized = field === "gender" ? (GENDER_SYNONYMS[lower] ?? lower) : lower;
    if (info.allowedValues.includes(normalized)) return { ok: true, value: normalized };
    return { ok: false, reason: "invalid", problem: `"${shorten(value)}" is not a valid ${info.label.toLowerCase()}; use one of ${info.allowedValues.join(", ")}` };
  }
  if (info.kind === "url" && !isHttpUrl(value)) {
    return { ok: false, reason: "invalid", problem: `"${shorten(value)}" is not a full web address; it must start with https:// or http://` };
  }
  return { ok: true, value };
}

function isHttpUrl(value: string): boolean {
  return (value.startsWith("https://") || value.startsWith("http://")) && URL.canParse(value);
}

function shorten(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

// ---------------------------------------------------------------------------------------------
// Templates: placeholders are checked when the rules are parsed, never when they run
// ---------------------------------------------------------------------------------------------

function templateProblems(template: string): string[] {
  const parsed = tokenizeTemplate(template);
  if (!parsed.ok) return [parsed.message];
  const problems: string[] = [];
  let placeholders = 0;
  for (const token of parsed.tokens) {
    if (token.kind !== "placeholder") continue;
    placeholders += 1;
    const problem = placeholderProblem(token.name);
    if (problem) problems.push(problem);
  }
  if (placeholders > MAPPING_LIMITS.templatePlaceholders) problems.push(`at most ${MAPPING_LIMITS.templatePlaceholders} placeholders in one template`);
  return problems;
}

function placeholderProblem(name: string): string | null {
  if (isFieldPath(name)) return null;
  if (name.startsWith(METAFIELD_PLACEHOLDER_PREFIX)) {
    const key = name.slice(METAFIELD_PLACEHOLDER_PREFIX.length);
    return METAFIELD_KEY.test(key) ? null : `{{${name}}} is not a metafield placeholder; write {{metafield.namespace.key}}, e.g. {{metafield.custom.material}}`;
  }
  if (name.startsWith("metafields.") && METAFIELD_KEY.test(name.slice("metafields.".length))) {
    return `unknown placeholder {{${name}}}; did you mean {{metafield.${name.slice("metafields.".length)}}}?`;
  }
  const suggestions = suggestFieldPaths(name);
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((path) => `{{${path}}}`).join(" or ")}?` : "; see the list of fields you can use";
  return `unknown placeholder {{${name}}}${hint}`;
}

/**
 * What a merchant probably meant by a field name that does not exist: words they commonly type for
 * a value that lives elsewhere ("colour" is an option value), then the closest spelling.
 */
const PATH_ALIASES: Record<string, readonly FieldPath[]> = {
  color: ["item.color", "variant.option1"],
  colour: ["item.color", "variant.option1"],
  size: ["item.size", "variant.option1"],
  material: ["item.material", "variant.option1"],
  pattern: ["item.pattern", "variant.option1"],
  gender: ["item.gender"],
  brand: ["product.vendor"],
  name: ["product.title"],
  type: ["product.productType"],
  description: ["product.descriptionHtml"],
  body: ["product.descriptionHtml"],
  body_html: ["product.descriptionHtml"],
  gtin: ["variant.barcode"],
  ean: ["variant.barcode"],
  upc: ["variant.barcode"],
  compare_at_price: ["variant.compareAtPrice"],
  product_type: ["product.productType"],
};

export function suggestFieldPaths(name: string): FieldPath[] {
  const lower = name.toLowerCase();
  const exactIgnoringCase = FIELD_PATH_NAMES.find((path) => path.toLowerCase() === lower);
  if (exactIgnoringCase) return [exactIgnoringCase];
  const lastSegment = lower.slice(lower.lastIndexOf(".") + 1);
  const aliases = PATH_ALIASES[lastSegment];
  if (aliases) return [...aliases];
  const closest = closestWord(lower, FIELD_PATH_NAMES);
  return closest ? [closest] : [];
}

/** The candidate within a third of the word's length in edits, if any. */
function closestWord<T extends string>(word: string, candidates: readonly T[]): T | null {
  const budget = Math.max(1, Math.floor(word.length / 3));
  let best: T | null = null;
  let bestDistance = budget + 1;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate.toLowerCase(), bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Edit distance counting a swap of two neighbouring letters as one edit ("feild" → "field"), giving
 * up (returning `limit`) once it cannot be below `limit`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(value);
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= limit) return limit;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit, limit);
}

// ---------------------------------------------------------------------------------------------
// Parsing with messages a merchant can act on
// ---------------------------------------------------------------------------------------------

export interface MappingRuleError {
  /** Where the problem is, e.g. "fields.title[0].source.template"; "(root)" for the whole document. */
  path: string;
  message: string;
}

export type ParseMappingRulesResult = { ok: true; rules: MappingRules } | { ok: false; errors: MappingRuleError[] };

/** A pasted file full of mistakes should produce a readable list, not thousands of lines. */
const MAX_REPORTED_ERRORS = 50;

export function parseMappingRules(json: unknown): ParseMappingRulesResult {
  const parsed = MappingRulesSchema.safeParse(json, { error: friendlyMessage });
  if (parsed.success) return { ok: true, rules: parsed.data };
  const errors = parsed.error.issues.slice(0, MAX_REPORTED_ERRORS).map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
  const hidden = parsed.error.issues.length - errors.length;
  if (hidden > 0) errors.push({ path: "(root)", message: `${hidden} more problems not shown; fix the ones above first` });
  return { ok: false, errors };
}

/** ["fields","title",0,"source"] → "fields.title[0].source"; keys that are not plain names are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === "" ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out === "" ? "(root)" : out;
}

function typeOf(input: unknown): string | undefined {
  if (typeof input !== "object" || input === null || !("type" in input)) return undefined;
  const type = (input as { type: unknown }).type;
  return typeof type === "string" ? type : undefined;
}

function unknownTypeMessage(what: string, type: string | undefined, known: readonly string[]): string {
  if (type === undefined) return `a ${what} needs a "type": one of ${quoteList(known)}`;
  const closest = closestWord(type.toLowerCase(), known);
  return `unknown ${what} type "${type}"${closest ? `; did you mean "${closest}"?` : `; use one of ${quoteList(known)}`}`;
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "an object ({...})",
  array: "a list ([...])",
  record: "an object ({...})",
};

function describeInput(input: unknown): string {
  if (input === null) return "null";
  if (Array.isArray(input)) return "a list";
  if (typeof input === "string") return "text";
  if (typeof input === "number") return Number.isInteger(input) ? "a number" : "a decimal number";
  if (typeof input === "object") return "an object";
  return typeof input;
}

/** Replaces zod's generic wording with sentences that say what to write instead. */
const friendlyMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type": {
      if (issue.input === undefined) return "required";
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      return `expected ${expected}, got ${describeInput(issue.input)}`;
    }
    case "too_big":
      return issue.origin === "string"
        ? `too long: at most ${String(issue.maximum)} characters`
        : issue.origin === "array"
          ? `too many: at most ${String(issue.maximum)} entries`
          : `at most ${String(issue.maximum)}`;
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) === 1 ? "cannot be empty" : `at least ${String(issue.minimum)} characters`;
      return issue.origin === "array" ? `at least ${String(issue.minimum)} entries` : `at least ${String(issue.minimum)}`;
    case "invalid_value": {
      const allowed = issue.values.map(String);
      const given = typeof issue.input === "string" ? issue.input : JSON.stringify(issue.input);
      const closest = typeof issue.input === "string" ? suggestAllowed(issue.input, allowed) : null;
      if (allowed.length > 8) return `unknown value "${given}"${closest ? `; did you mean "${closest}"?` : "; see the list of allowed values"}`;
      return `"${given}" is not allowed; use one of ${quoteList(allowed)}${closest ? ` (did you mean "${closest}"?)` : ""}`;
    }
    case "unrecognized_keys": {
      const known = knownKeys(issue.inst);
      return issue.keys
        .map((key) => {
          const closest = known.length > 0 ? closestWord(key.toLowerCase(), known) : null;
          return `unknown key "${key}"${closest ? `; did you mean "${closest}"?` : known.length > 0 ? `; allowed keys are ${quoteList(known)}` : ""}`;
        })
        .join("; ");
    }
    case "invalid_key":
      return `the key is not allowed: ${issue.issues.map((inner) => inner.message).join("; ")}`;
    default:
      return undefined;
  }
};

function suggestAllowed(given: string, allowed: readonly string[]): string | null {
  if (allowed.every(isFieldPath)) return suggestFieldPaths(given)[0] ?? null;
  return closestWord(given.toLowerCase(), allowed);
}

function knownKeys(schema: unknown): string[] {
  const shape = (schema as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  return shape ? Object.keys(shape) : [];
}

// ---------------------------------------------------------------------------------------------
// Channel and market scoping
// ---------------------------------------------------------------------------------------------

/** The market key of rules that apply to every market of a channel. */
export const ALL_MARKETS = "*";

export interface ChannelMappingEntry {
  channel: ChannelId;
  /** "*" for every market, else a market code ("US"). */
  market: string;
  rules: MappingRules;
}

export type ChannelMappingSet = ChannelMappingEntry[];

/**
 * The rules for one channel and market: the channel-wide ("*") rules with the market's own on top.
 * A field the market sets replaces the channel-wide rules for that field (an empty list turns them
 * off in that market); include and exclude filters add up; the market's granularity wins. Null when
 * the channel has no rules at all.
 */
export function resolveRules(sets: readonly ChannelMappingEntry[], channel: ChannelId, market: string): MappingRules | null {
  const wide = sets.filter((entry) => entry.channel === channel && entry.market === ALL_MARKETS);
  const specific = sets.filter((entry) => entry.channel === channel && entry.market !== ALL_MARKETS && entry.market.toUpperCase() === market.toUpperCase());
  const layers = [...wide, ...specific].map((entry) => entry.rules);
  if (layers.length === 0) return null;
  let merged: MappingRules = { version: 1 };
  for (const layer of layers) merged = overlayRules(merged, layer);
  return merged;
}

function overlayRules(base: MappingRules, top: MappingRules): MappingRules {
  const merged: MappingRules = { version: 1 };
  if (base.fields || top.fields) {
    const fields: MappingFieldRules = { ...base.fields };
    for (const [field, fieldRules] of fieldRuleEntries(top)) fields[field] = fieldRules;
    merged.fields = fields;
  }
  const include = [...(base.include ?? []), ...(top.include ?? [])];
  const exclude = [...(base.exclude ?? []), ...(top.exclude ?? [])];
  if (include.length > 0) merged.include = include;
  if (exclude.length > 0) merged.exclude = exclude;
  const granularity = top.granularity ?? base.granularity;
  if (granularity) merged.granularity = granularity;
  return merged;
}
