/**
 * Checks every channel shares, parametrised by the channel's spec (specs/*.ts): required values,
 * lengths, prices, GTINs, links, images, enums, text hygiene and variant groups. Adapters call these;
 * none of them knows a channel by name.
 *
 * Diagnostic codes (stable: tests, the UI and support scripts key on them), lower snake_case:
 *   - the channel's own error name where channels.md gives one, so a merchant can match it with what
 *     the channel reports later: Meta's error types verbatim (`property_value_uppercase`,
 *     `invalid_sale_price`, `retailer_id_used_by_group`), Pinterest's validation issues lower-cased
 *     (`sales_price_too_high`, `title_length_too_long`). Specs list them in `nativeCodes`;
 *   - otherwise Shelfcast's name, always `<field>_<problem>`: the channel field first (with `[]` and
 *     `.` turned into `_`), then the problem (`title_too_long`, `skus_price_out_of_range`,
 *     `package_weight_missing`). Problems that concern a product's variants as a whole rather than
 *     one field (WHOLE_CODE_PROBLEMS) are codes on their own (`variant_attributes_duplicate`).
 * Lookup order: nativeCodes["problem:field"], nativeCodes["problem"], then Shelfcast's name.
 *
 * Performance: a feed build runs these for every variant of every channel, so a check does its cheap
 * test first and builds messages, codes and Diagnostic objects only when something is wrong. Patterns
 * are compiled once, here.
 */
import { checkGtin } from "./gtin";
import type { ChannelSpecBase, FlatChannelSpec, TextRules } from "./specs";
import { charLength, containsCjk, findOffPlatformContact, findPromoText, isAllCaps, removeControlChars, removeEmoji, truncateAtWord } from "./text";
import type { ChannelContext, ChannelId, Diagnostic, FixTarget, ImageRef, MappableField, MappedItem, Severity } from "./types";
import type { Gid, Money } from "../catalog/types";

// ---------------------------------------------------------------------------------------------
// Problems and codes

export type Problem =
  | "missing"
  | "too_long"
  | "too_short"
  | "truncated"
  | "invalid"
  | "uppercase"
  | "promotional"
  | "contains_html"
  | "off_platform_contact"
  | "contains_chinese"
  | "emoji_removed"
  | "same_as_title"
  | "negative"
  | "not_positive"
  | "currency_mismatch"
  | "not_below_price"
  | "out_of_range"
  | "not_absolute_url"
  | "too_small"
  | "too_large"
  | "below_upcoming_minimum"
  | "too_many"
  | "identifier_missing"
  | "too_far_ahead"
  | "duplicate"
  | "zero_quantity_in_stock"
  | "not_leaf"
  | "images_removed"
  | "capped"
  // Whole-code problems (no field prefix):
  | "item_group_missing"
  | "variant_attributes_missing"
  | "variant_attributes_duplicate"
  | "variant_dimensions_exceeded"
  | "group_id_equals_item_id"
  | "too_many_items"
  | "id_duplicate";

const WHOLE_CODE_PROBLEMS: ReadonlySet<Problem> = new Set<Problem>([
  "item_group_missing",
  "variant_attributes_missing",
  "variant_attributes_duplicate",
  "variant_dimensions_exceeded",
  "group_id_equals_item_id",
  "too_many_items",
  "id_duplicate",
]);

const NON_WORD_RUN = /[^a-z0-9]+/g;

/** "skus[].sales_attributes[].name" → "skus_sales_attributes_name". */
function fieldStem(field: string): string {
  return field.toLowerCase().replace(NON_WORD_RUN, "_").replace(/^_|_$/g, "");
}

/** The stable code of a problem with a field on a channel (see the scheme at the top of this file). */
export function diagnosticCode(spec: ChannelSpecBase, problem: Problem, field: string): string {
  const native = spec.nativeCodes[`${problem}:${field}`] ?? spec.nativeCodes[problem];
  if (native !== undefined) return native.includes("{field}") ? native.replace("{field}", fieldStem(field)) : native;
  return WHOLE_CODE_PROBLEMS.has(problem) ? problem : `${fieldStem(field)}_${problem}`;
}

// ---------------------------------------------------------------------------------------------
// Where a value comes from: the fix hint and the link to where a merchant fixes it

/**
 * A value's origin, which says where a merchant fixes it: the Shopify product or variant (`shopify`
 * names the thing in Shopify's editor, `rule` the mapping field that can override it), only a
 * Shelfcast mapping rule, or Shelfcast's channel settings.
 */
type SourceInfo =
  | { level: "product" | "variant"; shopify: string; rule: MappableField | null }
  | { level: "mapping"; rule: MappableField }
  | { level: "ids" | "markets" };

export type ValueSource =
  | "id"
  | "groupId"
  | "title"
  | "description"
  | "richDescription"
  | "link"
  | "images"
  | "price"
  | "salePrice"
  | "salePriceEffectiveDate"
  | "availability"
  | "quantity"
  | "brand"
  | "gtin"
  | "mpn"
  | "sku"
  | "options"
  | "color"
  | "size"
  | "material"
  | "pattern"
  | "gender"
  | "ageGroup"
  | "condition"
  | "googleProductCategory"
  | "productType"
  | "channelCategoryId"
  | "packageDimensions"
  | "shippingWeight"
  | "originCountry"
  | "market"
  | `customLabel${0 | 1 | 2 | 3 | 4}`;

const PRODUCT_EDITOR = "in the Shopify product editor";
const OPTION_VALUES = `the variant's option values ${PRODUCT_EDITOR}`;

const SOURCES: Record<ValueSource, SourceInfo> = {
  id: { level: "ids" },
  groupId: { level: "ids" },
  title: { level: "product", shopify: `the product title ${PRODUCT_EDITOR}`, rule: "title" },
  description: { level: "product", shopify: `the product description ${PRODUCT_EDITOR}`, rule: "description" },
  richDescription: { level: "product", shopify: `the product description ${PRODUCT_EDITOR}`, rule: "richDescription" },
  link: { level: "product", shopify: "the product's Online Store sales channel in Shopify (publish it there so it has a page)", rule: "link" },
  images: { level: "product", shopify: `the product's media ${PRODUCT_EDITOR}`, rule: null },
  price: { level: "variant", shopify: `the variant's price ${PRODUCT_EDITOR} (or the market's price list)`, rule: null },
  salePrice: { level: "variant", shopify: `the variant's price and compare-at price ${PRODUCT_EDITOR}`, rule: null },
  salePriceEffectiveDate: { level: "variant", shopify: "the variant's sale dates metafield in Shopify", rule: null },
  availability: { level: "variant", shopify: "the variant's inventory and pre-order settings in Shopify", rule: null },
  quantity: { level: "variant", shopify: "the variant's inventory in Shopify", rule: null },
  brand: { level: "product", shopify: `the product's vendor ${PRODUCT_EDITOR}`, rule: "brand" },
  gtin: { level: "variant", shopify: `the variant's barcode ${PRODUCT_EDITOR}`, rule: "gtin" },
  mpn: { level: "mapping", rule: "mpn" },
  sku: { level: "variant", shopify: `the variant's SKU ${PRODUCT_EDITOR}`, rule: null },
  options: { level: "product", shopify: `the product's options and variants ${PRODUCT_EDITOR}`, rule: null },
  color: { level: "variant", shopify: OPTION_VALUES, rule: "color" },
  size: { level: "variant", shopify: OPTION_VALUES, rule: "size" },
  material: { level: "variant", shopify: OPTION_VALUES, rule: "material" },
  pattern: { level: "variant", shopify: OPTION_VALUES, rule: "pattern" },
  gender: { level: "mapping", rule: "gender" },
  ageGroup: { level: "mapping", rule: "ageGroup" },
  condition: { level: "mapping", rule: "condition" },
  googleProductCategory: { level: "product", shopify: `the product's category ${PRODUCT_EDITOR}`, rule: "googleProductCategory" },
  productType: { level: "product", shopify: `the product type ${PRODUCT_EDITOR}`, rule: "productType" },
  channelCategoryId: { level: "mapping", rule: "channelCategoryId" },
  packageDimensions: { level: "mapping", rule: "packageDimensions" },
  shippingWeight: { level: "variant", shopify: `the variant's weight (Shipping section) ${PRODUCT_EDITOR}`, rule: null },
  originCountry: { level: "variant", shopify: `the variant's country of origin (Inventory section) ${PRODUCT_EDITOR}`, rule: null },
  market: { level: "markets" },
  customLabel0: { level: "mapping", rule: "customLabel0" },
  customLabel1: { level: "mapping", rule: "customLabel1" },
  customLabel2: { level: "mapping", rule: "customLabel2" },
  customLabel3: { level: "mapping", rule: "customLabel3" },
  customLabel4: { level: "mapping", rule: "customLabel4" },
};

const CUSTOM_LABEL_SOURCES = ["customLabel0", "customLabel1", "customLabel2", "customLabel3", "customLabel4"] as const;

export function customLabelSource(index: number): ValueSource {
  return CUSTOM_LABEL_SOURCES[index] ?? "customLabel0";
}

function mappingScreen(label: string): string {
  return `Shelfcast → Channels → ${label} → Mapping`;
}

/**
 * A fix hint: what to change, then where. `change` is a sentence start ("Shorten the title to 150
 * characters or fewer"); `ruleChange` the mapping alternative ("add a truncate transform to").
 */
function fixHint(label: string, source: SourceInfo, change: string, ruleChange: string | null): string {
  switch (source.level) {
    case "ids":
      return `${change}: choose another item id scheme in Shelfcast's channel settings, or give the variants distinct SKUs if ids come from SKUs.`;
    case "markets":
      return `${change}: check the market's currency in Shelfcast's channel settings (Markets) and the market's price list in Shopify.`;
    case "mapping":
      return `${change}: set it with the ${source.rule} rule in ${mappingScreen(label)}.`;
    default: {
      const alternative = source.rule ? `, or ${ruleChange ?? "change"} the ${source.rule} rule in ${mappingScreen(label)}` : "";
      return `${change}: edit ${source.shopify}${alternative}.`;
    }
  }
}

function fixTargetOf(channel: ChannelId, source: SourceInfo, productId: Gid, variantId: Gid | null): FixTarget {
  switch (source.level) {
    case "product":
      return { kind: "shopify-product", productId };
    case "variant":
      return variantId ? { kind: "shopify-variant", productId, variantId } : { kind: "shopify-product", productId };
    case "mapping":
      return { kind: "mapping", channel, field: source.rule };
    case "ids":
      return { kind: "settings", section: "ids" };
    case "markets":
      return { kind: "settings", section: "markets" };
  }
}

// ---------------------------------------------------------------------------------------------
// Reporter: collects diagnostics for one product's evaluation

export interface Issue {
  problem: Problem;
  severity: Severity;
  /** The channel's field name. */
  field: string;
  /** The offending value (shortened to 200 characters in the diagnostic); null when missing. */
  value: unknown;
  message: string;
  /** Sentence start of the fix ("Shorten the title to 150 characters or fewer"). */
  change: string;
  source: ValueSource;
  /** How a mapping rule fixes it ("add a truncate transform to"); default "change". */
  ruleChange?: string;
}

/** The parts of a diagnostic that do not depend on the item it is reported for. */
interface IssueParts {
  code: string;
  value: string | null;
  fix: string;
}

const MAX_VALUE_CHARS = 200;

function shownValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  let text: string;
  if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean") text = String(value);
  else if (isMoney(value)) text = `${value.amount} ${value.currencyCode}`;
  else if (isImage(value)) text = value.url;
  else text = JSON.stringify(value) ?? "";
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

function isMoney(value: unknown): value is Money {
  return typeof value === "object" && value !== null && "amount" in value && "currencyCode" in value;
}

function isImage(value: unknown): value is ImageRef {
  return typeof value === "object" && value !== null && "url" in value && "width" in value;
}

/**
 * Collects one product's diagnostics on one channel. Checks report against the current subject: an
 * item (`at`) or the whole product record (`atProduct`, TikTok Shop), so a check reads the same for
 * both and no closure or context object is made per item.
 */
export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  private readonly errored = new Set<string>();
  private itemId = "";
  private productId: Gid = "";
  private variantId: Gid | null = null;
  /** Code, value and fix of issues replayed for several items, built once. */
  private readonly sharedParts = new Map<Issue, IssueParts>();
  /** Verdicts on images, per field, for this product: its items share their image objects. */
  readonly imageVerdicts = new Map<string, Map<ImageRef, ImageVerdict>>();

  constructor(
    readonly spec: ChannelSpecBase,
    readonly ctx: ChannelContext,
  ) {}

  /** Reports what follows against one item (variant). */
  at(item: MappedItem): this {
    this.itemId = item.id;
    this.productId = item.productId;
    this.variantId = item.variantId;
    return this;
  }

  /** Reports what follows against a product-level record (its key stands for the item id). */
  atProduct(key: string, productId: Gid): this {
    this.itemId = key;
    this.productId = productId;
    this.variantId = null;
    return this;
  }

  add(issue: Issue): void {
    this.emit(issue, this.partsOf(issue));
  }

  /**
   * Reports issues found once for several items (a product's shared image) against the current
   * subject; their code, value and fix are built the first time only.
   */
  replay(issues: readonly Issue[]): void {
    for (const issue of issues) {
      let parts = this.sharedParts.get(issue);
      if (!parts) {
        parts = this.partsOf(issue);
        this.sharedParts.set(issue, parts);
      }
      this.emit(issue, parts);
    }
  }

  private partsOf(issue: Issue): IssueParts {
    return {
      code: diagnosticCode(this.spec, issue.problem, issue.field),
      value: shownValue(issue.value),
      fix: fixHint(this.spec.label, SOURCES[issue.source], issue.change, issue.ruleChange ?? null),
    };
  }

  private emit(issue: Issue, parts: IssueParts): void {
    const { spec } = this;
    if (issue.severity === "error") this.errored.add(this.itemId);
    this.diagnostics.push({
      code: parts.code,
      severity: issue.severity,
      channel: spec.channel,
      market: this.ctx.market.code,
      itemId: this.itemId,
      productId: this.productId,
      variantId: this.variantId,
      field: issue.field,
      value: parts.value,
      message: issue.message,
      fix: parts.fix,
      fixTarget: fixTargetOf(spec.channel, SOURCES[issue.source], this.productId, this.variantId),
    });
  }

  /** Whether the current subject has an error so far. */
  get subjectHasError(): boolean {
    return this.errored.has(this.itemId);
  }

  hasError(itemId: string): boolean {
    return this.errored.has(itemId);
  }
}

// ---------------------------------------------------------------------------------------------
// Presence and length

/** Reports a missing value (`missing`); an error unless the channel only recommends the field. */
export function reportMissing(r: Reporter, field: string, source: ValueSource, what: string, severity: Severity = "error"): void {
  r.add({
    problem: "missing",
    severity,
    field,
    value: null,
    message: `${r.spec.label} ${severity === "error" ? "needs" : "expects"} ${what} (${field}) and this item has none.`,
    change: `Add ${what}`,
    source,
  });
}

/** Whether a value is there; reports `missing` (an error) when it is not. */
export function requireValue(r: Reporter, field: string, value: string | null | undefined, source: ValueSource, what: string): value is string {
  if (value !== null && value !== undefined && value.trim() !== "") return true;
  reportMissing(r, field, source, what);
  return false;
}

/**
 * Checks a value against the spec's maxLength for `limitKey` (default: the field). Too long: cut at a
 * word boundary with a warning for the spec's truncatedFields, an error otherwise. Returns the value to
 * send. Counting code points is skipped whenever the UTF-16 length already fits.
 */
export function checkLength(r: Reporter, field: string, value: string, source: ValueSource, limitKey: string = field): string {
  const max = r.spec.maxLength[limitKey];
  if (max === undefined || value.length <= max) return value;
  const length = charLength(value);
  if (length <= max) return value;
  if (r.spec.truncatedFields.includes(limitKey)) {
    r.add({
      problem: "truncated",
      severity: "warning",
      field,
      value,
      message: `${field} has ${length} characters; ${r.spec.label} takes ${max}, so it was cut to ${max} at a word boundary.`,
      change: `Shorten it to ${max} characters or fewer to choose where it ends`,
      source,
      ruleChange: "add a truncate transform to",
    });
    return truncateAtWord(value, max);
  }
  r.add({
    problem: "too_long",
    severity: "error",
    field,
    value,
    message: `${field} has ${length} characters; ${r.spec.label} accepts at most ${max}.`,
    change: `Shorten ${field} to ${max} characters or fewer`,
    source,
    ruleChange: "add a truncate transform to",
  });
  return value;
}

/** A value too short for the channel (TikTok Shop titles outside the US and UK). */
export function checkMinLength(r: Reporter, field: string, value: string, min: number, source: ValueSource): void {
  if (value.length >= min * 2 || min <= 1) return;
  const length = charLength(value);
  if (length >= min) return;
  r.add({
    problem: "too_short",
    severity: "error",
    field,
    value,
    message: `${field} has ${length} characters; ${r.spec.label} needs at least ${min} in this market.`,
    change: `Lengthen ${field} to at least ${min} characters (add material, style or use)`,
    source,
    ruleChange: "add a suffix transform to",
  });
}

// ---------------------------------------------------------------------------------------------
// Text hygiene

/** An HTML tag or a character entity: a plain-text field that still carries markup. */
const MARKUP = /<\/?[a-z][a-z0-9-]*(?:[\s/][^<>]{0,1000})?>|&(?:#\d{1,7}|#x[\da-f]{1,6}|[a-z][a-z0-9]{1,31});/i;

export function containsMarkup(text: string): boolean {
  return (text.includes("<") || text.includes("&")) && MARKUP.test(text);
}

/** What the text rules found in one string; computed once per distinct string within a product. */
interface TextFindings {
  markup: boolean;
  allCaps: boolean;
  promo: string | null;
  cjk: boolean;
  contact: string | null;
}

/**
 * Runs the spec's text detectors on a string once and remembers the last result: a product's variants
 * share their description and, where titles carry no options (Meta, TikTok Shop), their title, and
 * the items of a product come one after the other.
 */
export class TextScanner {
  private lastTitle: string | null = null;
  private titleFindings: TextFindings | null = null;
  private lastDescription: string | null = null;
  private descriptionFindings: TextFindings | null = null;

  constructor(private readonly rules: TextRules) {}

  title(text: string): TextFindings {
    if (text === this.lastTitle && this.titleFindings) return this.titleFindings;
    const rules = this.rules;
    const found: TextFindings = {
      markup: rules.htmlInPlainText !== null && containsMarkup(text),
      allCaps: rules.titleAllCaps !== null && isAllCaps(text),
      promo: rules.titlePromotional !== null ? findPromoText(text) : null,
      cjk: rules.titleCjk !== null && containsCjk(text),
      contact: null,
    };
    this.lastTitle = text;
    this.titleFindings = found;
    return found;
  }

  description(text: string): TextFindings {
    if (text === this.lastDescription && this.descriptionFindings) return this.descriptionFindings;
    const rules = this.rules;
    const found: TextFindings = {
      markup: rules.htmlInPlainText !== null && containsMarkup(text),
      allCaps: rules.descriptionAllCaps !== null && isAllCaps(text),
      promo: null,
      cjk: false,
      contact: rules.descriptionOffPlatformContact !== null ? findOffPlatformContact(text) : null,
    };
    this.lastDescription = text;
    this.descriptionFindings = found;
    return found;
  }
}

/** The title without emoji and control characters, with a warning when there were any (TikTok ads). */
function withoutEmoji(r: Reporter, field: string, title: string): string {
  // Both removers hand back the very same string when there is nothing to remove.
  const cleaned = removeControlChars(removeEmoji(title));
  if (cleaned === title) return title;
  r.add({
    problem: "emoji_removed",
    severity: "warning",
    field,
    value: title,
    message: `${r.spec.label} does not accept emoji or control characters in ${field}; they were removed.`,
    change: "Remove the emoji from the title",
    source: "title",
    ruleChange: "add a replace transform to",
  });
  return cleaned;
}

/**
 * Title checks: required, length (and the market's minimum), markup, ALL CAPS, promotional text,
 * Chinese characters; emoji removed where the channel wants that. Returns the title to send.
 */
export function checkTitle(r: Reporter, field: string, raw: string, scanner: TextScanner, minLength = 1): string {
  if (!requireValue(r, field, raw, "title", "a title")) return raw;
  const { text, label } = r.spec;
  const title = text.removeEmojiFromTitle ? withoutEmoji(r, field, raw) : raw;
  checkLength(r, field, title, "title");
  checkMinLength(r, field, title, minLength, "title");
  const found = scanner.title(title);
  if (found.markup && text.htmlInPlainText) {
    r.add({
      problem: "contains_html",
      severity: text.htmlInPlainText,
      field,
      value: title,
      message: `The title contains HTML tags or entities; ${label} shows titles as plain text.`,
      change: "Remove the HTML from the title",
      source: "title",
      ruleChange: "add a Strip HTML transform to",
    });
  }
  if (found.allCaps && text.titleAllCaps) {
    r.add({
      problem: "uppercase",
      severity: text.titleAllCaps,
      field,
      value: title,
      message: `The title is written in capitals; ${label} rejects or demotes ALL CAPS titles.`,
      change: "Write the title in normal case",
      source: "title",
      ruleChange: "add a title-case transform to",
    });
  }
  if (found.promo !== null && text.titlePromotional) {
    r.add({
      problem: "promotional",
      severity: text.titlePromotional,
      field,
      value: title,
      message: `The title contains promotional text ("${found.promo}"); ${label} does not allow offers or prices in titles.`,
      change: `Remove "${found.promo}" from the title (put offers in a sale price instead)`,
      source: "title",
      ruleChange: "add a replace transform to",
    });
  }
  if (found.cjk && text.titleCjk) {
    r.add({
      problem: "contains_chinese",
      severity: text.titleCjk,
      field,
      value: title,
      message: `The title contains Chinese characters, which ${label} rejects.`,
      change: "Write the title without Chinese characters",
      source: "title",
    });
  }
  return title;
}

/**
 * Plain-text description checks: required, markup, ALL CAPS, off-platform contact details, a copy of
 * the title, length. Returns the description to send (cut when the channel allows that).
 */
export function checkPlainDescription(r: Reporter, field: string, description: string, title: string, scanner: TextScanner): string {
  if (!requireValue(r, field, description, "description", "a description")) return description;
  const { text, label } = r.spec;
  const found = scanner.description(description);
  if (found.markup && text.htmlInPlainText) {
    r.add({
      problem: "contains_html",
      severity: text.htmlInPlainText,
      field,
      value: description,
      message: `The description contains HTML tags or entities; ${label} takes plain text here.`,
      change: "Remove the HTML from the description",
      source: "description",
      ruleChange: "add a Strip HTML transform to",
    });
  }
  if (found.allCaps && text.descriptionAllCaps) {
    r.add({
      problem: "uppercase",
      severity: text.descriptionAllCaps,
      field,
      value: description,
      message: `The description is written in capitals; ${label} rejects ALL CAPS descriptions.`,
      change: "Write the description in normal case",
      source: "description",
      ruleChange: "add a sentence-case transform to",
    });
  }
  if (found.contact !== null && text.descriptionOffPlatformContact) {
    r.add({
      problem: "off_platform_contact",
      severity: text.descriptionOffPlatformContact,
      field,
      value: found.contact,
      message: `The description contains "${found.contact}"; ${label} rejects links, e-mail addresses and phone numbers in descriptions.`,
      change: `Remove "${found.contact}" from the description`,
      source: "description",
      ruleChange: "add a replace transform to",
    });
  }
  if (text.descriptionSameAsTitle && description === title) {
    r.add({
      problem: "same_as_title",
      severity: text.descriptionSameAsTitle,
      field,
      value: description,
      message: `The description only repeats the title; ${label} flags items whose description says nothing more.`,
      change: "Write a product description",
      source: "description",
    });
  }
  return checkLength(r, field, description, "description");
}

// ---------------------------------------------------------------------------------------------
// Money: decimal strings compared without floats

const DECIMAL = /^\d+(?:\.\d+)?$/;
const NEGATIVE_DECIMAL = /^-\d+(?:\.\d+)?$/;
const LEADING_ZEROS = /^0+(?=\d)/;

/** Compares two non-negative decimal strings ("19.90" vs "19.9" → 0) exactly. */
export function compareDecimal(a: string, b: string): number {
  const dotA = a.indexOf(".");
  const dotB = b.indexOf(".");
  const intA = (dotA < 0 ? a : a.slice(0, dotA)).replace(LEADING_ZEROS, "");
  const intB = (dotB < 0 ? b : b.slice(0, dotB)).replace(LEADING_ZEROS, "");
  if (intA.length !== intB.length) return intA.length < intB.length ? -1 : 1;
  if (intA !== intB) return intA < intB ? -1 : 1;
  let fracA = dotA < 0 ? "" : a.slice(dotA + 1);
  let fracB = dotB < 0 ? "" : b.slice(dotB + 1);
  const width = Math.max(fracA.length, fracB.length);
  fracA = fracA.padEnd(width, "0");
  fracB = fracB.padEnd(width, "0");
  return fracA === fracB ? 0 : fracA < fracB ? -1 : 1;
}

const ZERO = "0";

/** "19.99 USD": Shopify's decimal string as it came, with the currency. */
export function formatMoney(money: Money): string {
  return `${money.amount} ${money.currencyCode}`;
}

/**
 * Checks a price: present, a decimal number, above zero, in the market's currency. Returns whether it
 * can be sent. `required` false: a missing value is fine (sale price).
 */
export function checkMoney(r: Reporter, field: string, money: Money | null, source: ValueSource, required: boolean): money is Money {
  if (money === null) {
    if (required) reportMissing(r, field, source, "a price");
    return false;
  }
  const { label } = r.spec;
  const { amount } = money;
  if (!DECIMAL.test(amount)) {
    const negative = NEGATIVE_DECIMAL.test(amount);
    r.add({
      problem: negative ? "negative" : "invalid",
      severity: "error",
      field,
      value: money,
      message: negative ? `${field} is negative (${amount}).` : `${field} "${amount}" is not a number with a dot for decimals.`,
      change: "Enter a positive price",
      source,
    });
    return false;
  }
  if (compareDecimal(amount, ZERO) === 0) {
    r.add({
      problem: "not_positive",
      severity: "error",
      field,
      value: money,
      message: `${field} is zero; ${label} does not list free items.`,
      change: "Enter a price above zero",
      source,
    });
    return false;
  }
  const currency = r.ctx.market.currency;
  if (money.currencyCode !== currency) {
    r.add({
      problem: "currency_mismatch",
      severity: "error",
      field,
      value: money,
      message: `${field} is in ${money.currencyCode} but this ${r.ctx.market.code} feed is in ${currency}.`,
      change: `Give the variant a ${currency} price`,
      source: "market",
    });
    return false;
  }
  return true;
}

/** A sale price must be strictly below the regular price (the defaults put compare-at in price). */
export function checkSaleBelowPrice(r: Reporter, field: string, sale: Money, price: Money): boolean {
  if (compareDecimal(sale.amount, price.amount) < 0) return true;
  r.add({
    problem: "not_below_price",
    severity: "error",
    field,
    value: sale,
    message: `The sale price ${formatMoney(sale)} is not below the price ${formatMoney(price)}.`,
    change: "Set a compare-at price above the price, or remove it",
    source: "salePrice",
  });
  return false;
}

// ---------------------------------------------------------------------------------------------
// Identifiers

/** The GS1-checked barcode digits, or null (reported with the spec's severity) when it fails. */
export function checkBarcode(r: Reporter, field: string, gtin: string | null): string | null {
  if (gtin === null || gtin.trim() === "") return null;
  const check = checkGtin(gtin);
  if (check.ok) return check.gtin;
  const severity = r.spec.gtinInvalid;
  r.add({
    problem: "invalid",
    severity,
    field,
    value: gtin,
    message: `${check.message}${severity === "warning" ? ` The barcode is left out of the ${r.spec.label} feed.` : ""}`,
    change: "Correct the barcode, or clear it if the product has none",
    source: "gtin",
  });
  return null;
}

// ---------------------------------------------------------------------------------------------
// Links and images

const HTTP_URL_START = /^https?:\/\//i;

/** JavaScript's `\s` set, tested on one UTF-16 unit. */
function isSpace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/**
 * An absolute http(s) URL with a dotted host ("https://cdn.shopify.com/…") and no whitespace. One pass
 * over the characters: this runs for every link and image of every item.
 */
export function isAbsoluteHttpUrl(url: string): boolean {
  if (!HTTP_URL_START.test(url)) return false;
  const start = url.charCodeAt(4) === 58 /* : */ ? 7 : 8;
  let hostEnd = -1;
  let lastDot = -1;
  for (let i = start; i < url.length; i += 1) {
    const code = url.charCodeAt(i);
    if (isSpace(code)) return false;
    if (hostEnd >= 0) continue;
    if (code === 47 /* / */ || code === 63 /* ? */ || code === 35 /* # */) hostEnd = i;
    else if (code === 46 /* . */) lastDot = i;
  }
  if (hostEnd < 0) hostEnd = url.length;
  return lastDot > start && lastDot < hostEnd - 1;
}

/** The product page link: present, absolute http(s), within the length limit. */
export function checkLink(r: Reporter, field: string, link: string | null): string | null {
  if (!requireValue(r, field, link, "link", "a product page link")) return null;
  if (!isAbsoluteHttpUrl(link)) {
    r.add({
      problem: "not_absolute_url",
      severity: "error",
      field,
      value: link,
      message: `The link "${link}" is not a full http(s) address.`,
      change: "Use a full product page address starting with https://",
      source: "link",
    });
    return null;
  }
  checkLength(r, field, link, "link");
  return link;
}

/** Pixel limits for one evaluation: the spec's, with an announced minimum applied once it is due. */
export interface ImageLimits {
  minPx: number;
  maxPx: number | null;
  /** Warn below this (a minimum that applies later), or null. */
  upcomingMinPx: number | null;
  upcomingFrom: string | null;
}

export function imageLimits(spec: ChannelSpecBase & Partial<Pick<FlatChannelSpec, "upcomingMinImage">>, now: Date): ImageLimits {
  const upcoming = spec.upcomingMinImage ?? null;
  if (upcoming && now.getTime() >= Date.parse(upcoming.effectiveFrom)) {
    return { minPx: Math.max(spec.minImagePx, upcoming.minPx), maxPx: spec.maxImagePx, upcomingMinPx: null, upcomingFrom: null };
  }
  return { minPx: spec.minImagePx, maxPx: spec.maxImagePx, upcomingMinPx: upcoming?.minPx ?? null, upcomingFrom: upcoming?.effectiveFrom ?? null };
}

/** Feeds split image lists on commas, so a comma inside a URL is percent-encoded. */
export function feedImageUrl(url: string): string {
  return url.includes(",") ? url.replaceAll(",", "%2C") : url;
}

/** What checking one image found: the URL to send (or null) and the issues to report for each item showing it. */
export interface ImageVerdict {
  url: string | null;
  issues: Issue[];
}

/** The checks of checkImage, reported into `issues`. */
function judgeImage(r: Reporter, field: string, image: ImageRef, limits: ImageLimits, severity: Severity): ImageVerdict {
  const { label } = r.spec;
  const issues: Issue[] = [];
  const dropNote = severity === "warning" ? " It is left out." : "";
  if (!isAbsoluteHttpUrl(image.url)) {
    issues.push({
      problem: "not_absolute_url",
      severity,
      field,
      value: image.url,
      message: `The image address "${image.url}" is not a full http(s) URL.${dropNote}`,
      change: "Re-upload the image",
      source: "images",
    });
    return { url: null, issues };
  }
  const max = r.spec.maxLength[field];
  if (max !== undefined && image.url.length > max) {
    issues.push({
      problem: "too_long",
      severity,
      field,
      value: image.url,
      message: `The image address has ${image.url.length} characters; ${label} accepts at most ${max}.${dropNote}`,
      change: "Re-upload the image with a shorter file name",
      source: "images",
    });
    return { url: null, issues };
  }
  const { width, height } = image;
  if (width !== null && height !== null) {
    const shortest = Math.min(width, height);
    if (shortest < limits.minPx) {
      issues.push({
        problem: "too_small",
        severity,
        field,
        value: image.url,
        message: `The image is ${width}×${height} px; ${label} needs at least ${limits.minPx}×${limits.minPx}.${dropNote}`,
        change: `Upload an image at least ${limits.minPx}×${limits.minPx} px`,
        source: "images",
      });
      return { url: null, issues };
    }
    if (limits.maxPx !== null && Math.max(width, height) > limits.maxPx) {
      issues.push({
        problem: "too_large",
        severity: "warning",
        field,
        value: image.url,
        message: `The image is ${width}×${height} px; ${label} takes at most ${limits.maxPx} px per side and will scale it down.`,
        change: `Upload an image at most ${limits.maxPx} px per side to control how it is scaled`,
        source: "images",
      });
    }
    if (limits.upcomingMinPx !== null && shortest < limits.upcomingMinPx) {
      issues.push({
        problem: "below_upcoming_minimum",
        severity: "warning",
        field,
        value: image.url,
        message: `The image is ${width}×${height} px; from ${limits.upcomingFrom?.slice(0, 10)} ${label} needs at least ${limits.upcomingMinPx}×${limits.upcomingMinPx}.`,
        change: `Upload an image at least ${limits.upcomingMinPx}×${limits.upcomingMinPx} px before then`,
        source: "images",
      });
    }
  }
  return { url: feedImageUrl(image.url), issues };
}

/**
 * One image: absolute http(s) URL, URL length, pixel size when known. `severity` is that of a problem
 * that makes the image unusable (error for the main image, warning for extra images, which are then
 * left out). Returns the URL to send, or null. A product's items share their image objects, so each
 * image is judged once per field and product and its issues replayed for every item that shows it.
 */
export function checkImage(r: Reporter, field: string, image: ImageRef, limits: ImageLimits, severity: Severity): string | null {
  let verdicts = r.imageVerdicts.get(field);
  if (!verdicts) {
    verdicts = new Map();
    r.imageVerdicts.set(field, verdicts);
  }
  let verdict = verdicts.get(image);
  if (!verdict) {
    verdict = judgeImage(r, field, image, limits, severity);
    verdicts.set(image, verdict);
  }
  if (verdict.issues.length > 0) r.replay(verdict.issues);
  return verdict.url;
}

/** The main image: required, and any problem with it is an error. */
export function checkMainImage(r: Reporter, field: string, image: ImageRef | null, limits: ImageLimits): string | null {
  if (image === null) {
    reportMissing(r, field, "images", "an image");
    return null;
  }
  return checkImage(r, field, image, limits, "error");
}

/**
 * Extra images: each usable one up to `max` (problems drop the image with a warning); extra ones are
 * left out with one warning.
 */
export function checkExtraImages(r: Reporter, field: string, images: readonly ImageRef[], limits: ImageLimits, max: number): string[] {
  const urls: string[] = [];
  for (const image of images) {
    if (urls.length === max) {
      r.add({
        problem: "too_many",
        severity: "warning",
        field,
        value: images.length,
        message: `The item has ${images.length} extra images; ${r.spec.label} takes ${max}, so the rest are left out.`,
        change: `Order the product's media so the best ${max + 1} images come first`,
        source: "images",
      });
      break;
    }
    const url = checkImage(r, field, image, limits, "warning");
    if (url !== null) urls.push(url);
  }
  return urls;
}

// ---------------------------------------------------------------------------------------------
// Enums

/**
 * A value from a fixed list, matched case-insensitively and returned in the channel's spelling. An
 * unknown value is a warning and left out (optional fields), or an error (required fields).
 */
export function checkEnum(r: Reporter, field: string, raw: string | null, allowed: readonly string[], source: ValueSource, severity: Severity): string | null {
  if (raw === null || raw === "") return null;
  if (allowed.includes(raw)) return raw;
  const lower = raw.trim().toLowerCase();
  if (allowed.includes(lower)) return lower;
  r.add({
    problem: "invalid",
    severity,
    field,
    value: raw,
    message: `"${raw}" is not a ${field} ${r.spec.label} accepts (${allowed.join(", ")}).${severity === "warning" ? " It is left out." : ""}`,
    change: `Use one of ${allowed.join(", ")}`,
    source,
  });
  return null;
}

// ---------------------------------------------------------------------------------------------
// Variant groups (once per product)

export interface VariantGroupOptions {
  /** The field duplicate item ids are reported on (the channel's id field, or "id"). */
  idField: string;
  /** Field whose missing value means "no variant attributes" (Meta: item_group_id; TikTok: skus[].sales_attributes). */
  attributesField: string;
  /**
   * The channel's group id field: every item of a multi-item group needs one, and none may equal an
   * item id. null where the channel has no group id (TikTok Shop: the product is the group).
   */
  groupField: string | null;
  maxItemsPerGroup: number | null;
  /**
   * Product-level channels (TikTok Shop): problems of the whole group (too many dimensions) are
   * reported once against this record instead of against every item.
   */
  productRecord: { key: string; productId: Gid } | null;
}

/** The item's option values as one comparable string, case-insensitive. */
function attributeKey(item: MappedItem): string {
  let key = "";
  for (const attribute of item.variantAttributes) key += `${attribute.name}\u0000${attribute.value}\u0001`;
  return key.toLowerCase();
}

/** Distinct option names over the items, case-insensitive; names repeat on every item, so each is lower-cased once. */
function dimensionsOf(items: readonly MappedItem[]): Set<string> {
  const seen = new Set<string>();
  const dimensions = new Set<string>();
  for (const item of items) {
    for (const attribute of item.variantAttributes) {
      if (seen.has(attribute.name)) continue;
      seen.add(attribute.name);
      dimensions.add(attribute.name.toLowerCase());
    }
  }
  return dimensions;
}

/**
 * The product-level checks of a variant group, run once per product: duplicate item ids, group id
 * distinct from item ids, every item of a multi-item group carrying variant attributes, no two items
 * with the same attribute values, at most the channel's number of dimensions and items.
 */
export function checkVariantGroup(r: Reporter, items: readonly MappedItem[], options: VariantGroupOptions): void {
  const { label, maxVariantDimensions } = r.spec;
  const multi = items.length > 1;
  const ids = multi ? new Set<string>() : null;
  const combinations = multi ? new Map<string, string>() : null;
  for (const item of items) {
    r.at(item);
    if (ids?.has(item.id)) {
      r.add({
        problem: "id_duplicate",
        severity: "error",
        field: options.idField,
        value: item.id,
        message: `Two variants of this product get the item id "${item.id}"; ${label} keeps only one item per id.`,
        change: "Make the item ids unique",
        source: "id",
      });
    }
    ids?.add(item.id);
    const { groupField } = options;
    if (groupField !== null && item.groupId === item.id) {
      r.add({
        problem: "group_id_equals_item_id",
        severity: "error",
        field: groupField,
        value: item.id,
        message: `The item id "${item.id}" is also the product's group id; ${label} rejects an item whose id names a group.`,
        change: "Use an id scheme whose item ids differ from product ids",
        source: "groupId",
      });
    }
    if (!combinations) continue;
    if (groupField !== null && item.groupId === "") {
      r.add({
        problem: "item_group_missing",
        severity: "error",
        field: groupField,
        value: null,
        message: `This product has ${items.length} variants but the item has no group id, so ${label} cannot show them as one product.`,
        change: "Give every variant the product's group id",
        source: "groupId",
      });
    }
    if (item.variantAttributes.length === 0) {
      r.add({
        problem: "variant_attributes_missing",
        severity: "error",
        field: options.attributesField,
        value: null,
        message: `This product has ${items.length} variants but this one has no option values, so ${label} cannot tell it from the others.`,
        change: "Give every variant its option values (e.g. Size: M)",
        source: "options",
      });
      continue;
    }
    const key = attributeKey(item);
    const first = combinations.get(key);
    if (first === undefined) combinations.set(key, item.id);
    else {
      r.add({
        problem: "variant_attributes_duplicate",
        severity: "error",
        field: options.attributesField,
        value: item.variantAttributes.map((a) => `${a.name}: ${a.value}`).join(", "),
        message: `Item ${first} already has these option values; ${label} needs each variant to differ.`,
        change: "Give the variants different option values",
        source: "options",
      });
    }
  }
  const dimensions = maxVariantDimensions !== null ? dimensionsOf(items) : null;
  if (maxVariantDimensions !== null && dimensions !== null && dimensions.size > maxVariantDimensions) {
    const names = [...dimensions].join(", ");
    const issue: Issue = {
      problem: "variant_dimensions_exceeded",
      severity: "error",
      field: options.attributesField,
      value: names,
      message: `The product varies by ${dimensions.size} options (${names}); ${label} supports at most ${maxVariantDimensions}.`,
      change: `Reduce the product to ${maxVariantDimensions} options, or split it into several products`,
      source: "options",
    };
    const record = options.productRecord;
    if (record) r.atProduct(record.key, record.productId).add(issue);
    else for (const item of items) r.at(item).add(issue);
  }
  if (options.maxItemsPerGroup !== null && items.length > options.maxItemsPerGroup) {
    for (const item of items.slice(options.maxItemsPerGroup)) {
      r.at(item).add({
        problem: "too_many_items",
        severity: "error",
        field: options.groupField ?? options.attributesField,
        value: items.length,
        message: `The product has ${items.length} variants; ${label} takes at most ${options.maxItemsPerGroup} per group, so the later ones are left out.`,
        change: `Split the product so each has at most ${options.maxItemsPerGroup} variants`,
        source: "options",
      });
    }
  }
}
