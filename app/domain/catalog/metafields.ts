import { isGid } from "./gid";
import type { Metafield, MetafieldValue } from "./types";

/**
 * Parses Shopify metafield values (always stored as strings) into JS values by their declared type.
 * A malformed value never throws: merchants and apps write metafields by hand, and one bad value
 * must not stop a catalog sync. The raw string is kept and the problem is reported instead.
 */

export interface MetafieldParseResult {
  value: MetafieldValue;
  /** Set when `raw` is not a valid value of its declared type; `value` is then the raw string. */
  problem?: string;
}

export interface MetafieldParseOptions {
  /** Currency for `money` values that omit `currency_code` (older apps wrote bare amounts). */
  defaultCurrency?: string;
}

type ElementResult = { ok: true; value: MetafieldValue } | { ok: false; reason: string };
type ElementParser = (decoded: unknown, options: MetafieldParseOptions) => ElementResult;

interface TypeParser {
  /** "text" types are the raw string itself; "json" types store JSON in the string. */
  encoding: "text" | "json";
  /** Parses one decoded value; also used for each element of the `list.*` form of the type. */
  parse: ElementParser;
}

const ok = (value: MetafieldValue): ElementResult => ({ ok: true, value });
const fail = (reason: string): ElementResult => ({ ok: false, reason });

const INTEGER_TEXT = /^[+-]?\d+$/;
const DECIMAL_TEXT = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DATE_TEXT = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_TEXT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const COLOR_TEXT = /^#[0-9A-Fa-f]{6}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;
/** Schemes Shopify accepts in a `url` metafield. */
const URL_SCHEMES = new Set(["http:", "https:", "mailto:", "sms:", "tel:"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Numbers arrive as JSON numbers in lists and as decimal strings elsewhere ("2.50"). */
function toNumber(value: unknown, pattern: RegExp): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && pattern.test(value.trim())) return Number(value.trim());
  return null;
}

const parseText: ElementParser = (decoded) =>
  typeof decoded === "string" ? ok(decoded) : fail("expected text");

const parseInteger: ElementParser = (decoded) => {
  const n = toNumber(decoded, INTEGER_TEXT);
  return n !== null && Number.isSafeInteger(n) ? ok(n) : fail("expected a whole number");
};

const parseDecimal: ElementParser = (decoded) => {
  const n = toNumber(decoded, DECIMAL_TEXT);
  return n !== null ? ok(n) : fail("expected a decimal number");
};

const parseBoolean: ElementParser = (decoded) => {
  if (decoded === true || decoded === "true") return ok(true);
  if (decoded === false || decoded === "false") return ok(false);
  return fail('expected "true" or "false"');
};

/** Checks the calendar too: "2025-02-30" matches the pattern but is not a date. */
const parseDate: ElementParser = (decoded) => {
  const match = typeof decoded === "string" ? DATE_TEXT.exec(decoded) : null;
  if (!match) return fail("expected YYYY-MM-DD");
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? ok(decoded as string) : fail("no such calendar date");
};

const parseDateTime: ElementParser = (decoded) =>
  typeof decoded === "string" && DATE_TIME_TEXT.test(decoded) && !Number.isNaN(Date.parse(decoded))
    ? ok(decoded)
    : fail("expected an ISO 8601 date and time");

const parseColor: ElementParser = (decoded) =>
  typeof decoded === "string" && COLOR_TEXT.test(decoded) ? ok(decoded) : fail("expected #RRGGBB");

const parseUrl: ElementParser = (decoded) => {
  if (typeof decoded !== "string" || !URL.canParse(decoded)) return fail("expected an absolute URL");
  return URL_SCHEMES.has(new URL(decoded).protocol) ? ok(decoded) : fail("URL scheme not allowed");
};

const parseJson: ElementParser = (decoded) => ok(decoded as MetafieldValue);

const parseRichText: ElementParser = (decoded) =>
  isRecord(decoded) && decoded.type === "root" ? ok(decoded) : fail('expected a rich text document ({"type":"root",...})');

/** weight, dimension and volume share the `{value, unit}` shape; Shopify validates the unit. */
const parseMeasurement: ElementParser = (decoded) => {
  if (!isRecord(decoded)) return fail("expected {value, unit}");
  const value = toNumber(decoded.value, DECIMAL_TEXT);
  if (value === null) return fail("value is not a number");
  if (typeof decoded.unit !== "string" || decoded.unit === "") return fail("unit is missing");
  return ok({ value, unit: decoded.unit });
};

/** Shopify writes `{amount, currency_code}`; the catalog uses the Money shape of GraphQL. */
const parseMoney: ElementParser = (decoded, options) => {
  if (!isRecord(decoded)) return fail("expected {amount, currency_code}");
  const amount = typeof decoded.amount === "number" ? String(decoded.amount) : decoded.amount;
  if (typeof amount !== "string" || !DECIMAL_TEXT.test(amount)) return fail("amount is not a decimal");
  const currencyCode = decoded.currency_code ?? options.defaultCurrency;
  if (typeof currencyCode !== "string" || !CURRENCY_CODE.test(currencyCode)) return fail("currency_code is missing or invalid");
  return ok({ amount, currencyCode });
};

const parseRating: ElementParser = (decoded) => {
  if (!isRecord(decoded)) return fail("expected {value, scale_min, scale_max}");
  const value = toNumber(decoded.value, DECIMAL_TEXT);
  const scaleMin = toNumber(decoded.scale_min, DECIMAL_TEXT);
  const scaleMax = toNumber(decoded.scale_max, DECIMAL_TEXT);
  if (value === null || scaleMin === null || scaleMax === null) return fail("value, scale_min and scale_max must be numbers");
  if (value < scaleMin || value > scaleMax) return fail("value is outside the scale");
  return ok({ value, scaleMin, scaleMax });
};

/** References are kept as GIDs: resolving them is a separate read, not a parse. */
const parseReference: ElementParser = (decoded) =>
  typeof decoded === "string" && isGid(decoded) ? ok(decoded) : fail("expected a gid://shopify/... id");

const TYPE_PARSERS: Record<string, TypeParser> = {
  single_line_text_field: { encoding: "text", parse: parseText },
  multi_line_text_field: { encoding: "text", parse: parseText },
  rich_text_field: { encoding: "json", parse: parseRichText },
  number_integer: { encoding: "text", parse: parseInteger },
  number_decimal: { encoding: "text", parse: parseDecimal },
  boolean: { encoding: "text", parse: parseBoolean },
  date: { encoding: "text", parse: parseDate },
  date_time: { encoding: "text", parse: parseDateTime },
  json: { encoding: "json", parse: parseJson },
  color: { encoding: "text", parse: parseColor },
  url: { encoding: "text", parse: parseUrl },
  weight: { encoding: "json", parse: parseMeasurement },
  dimension: { encoding: "json", parse: parseMeasurement },
  volume: { encoding: "json", parse: parseMeasurement },
  money: { encoding: "json", parse: parseMoney },
  rating: { encoding: "json", parse: parseRating },
};

const REFERENCE_PARSER: TypeParser = { encoding: "text", parse: parseReference };
const LIST_PREFIX = "list.";

/** product_reference, variant_reference, metaobject_reference, mixed_reference, file_reference, ... */
function parserFor(type: string): TypeParser | undefined {
  return TYPE_PARSERS[type] ?? (type.endsWith("_reference") ? REFERENCE_PARSER : undefined);
}

function decodeJson(raw: string): { ok: true; decoded: unknown } | { ok: false } {
  try {
    return { ok: true, decoded: JSON.parse(raw) };
  } catch {
    return { ok: false };
  }
}

function parseList(parser: TypeParser, raw: string, options: MetafieldParseOptions): ElementResult {
  const json = decodeJson(raw);
  if (!json.ok || !Array.isArray(json.decoded)) return fail("expected a JSON array");
  const values: MetafieldValue[] = [];
  for (const [index, element] of json.decoded.entries()) {
    const result = parser.parse(element, options);
    if (!result.ok) return fail(`element ${index}: ${result.reason}`);
    values.push(result.value);
  }
  return ok(values);
}

function parseSingle(parser: TypeParser, raw: string, options: MetafieldParseOptions): ElementResult {
  if (parser.encoding === "text") return parser.parse(raw, options);
  const json = decodeJson(raw);
  return json.ok ? parser.parse(json.decoded, options) : fail("not valid JSON");
}

function excerpt(raw: string): string {
  return raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
}

export function parseMetafield(type: string, raw: string, options: MetafieldParseOptions = {}): MetafieldParseResult {
  const isList = type.startsWith(LIST_PREFIX);
  const parser = parserFor(isList ? type.slice(LIST_PREFIX.length) : type);
  // Types we do not know yet (Shopify adds some every release) pass through untouched.
  if (!parser) return { value: raw };
  const result = isList ? parseList(parser, raw, options) : parseSingle(parser, raw, options);
  if (result.ok) return { value: result.value };
  return { value: raw, problem: `value ${JSON.stringify(excerpt(raw))} is not a valid ${type}: ${result.reason}` };
}

export function normalizeMetafieldValue(type: string, raw: string, options: MetafieldParseOptions = {}): MetafieldValue {
  return parseMetafield(type, raw, options).value;
}

export interface MetafieldInput {
  namespace: string;
  key: string;
  type: string;
  value: string;
}

/** The one place every input shape (bulk line, REST/webhook payload) turns a metafield into ours. */
export function normalizeMetafield(
  input: MetafieldInput,
  options: MetafieldParseOptions = {},
): { metafield: Metafield; problem?: string } {
  const parsed = parseMetafield(input.type, input.value, options);
  const metafield: Metafield = {
    namespace: input.namespace,
    key: input.key,
    type: input.type,
    raw: input.value,
    value: parsed.value,
  };
  return parsed.problem ? { metafield, problem: `metafield ${input.namespace}.${input.key}: ${parsed.problem}` } : { metafield };
}
