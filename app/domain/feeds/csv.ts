/**
 * CSV (Meta, TikTok ads catalog) and TSV (Pinterest) feeds: RFC 4180 with CRLF line ends, UTF-8,
 * a header row of the channel's column names, one row per record.
 *
 * Values are written as they are (only formulas are neutralised): CSV can carry any text. The one
 * exception happens downstream: a lone UTF-16 surrogate, which is not text, becomes U+FFFD when the
 * server encodes the stream as UTF-8.
 */
import type { ChannelRecord } from "../channels/types";
import { assertUsableColumns, ownFieldValue, scalarText } from "./record-fields";
import type { FeedSerializer } from "./serializer";

export type Delimiter = "," | "\t";

export interface DelimitedSerializerOptions {
  delimiter: Delimiter;
  columns: readonly string[];
  bom: boolean;
}

const CRLF = "\r\n";
const BYTE_ORDER_MARK = "\uFEFF";
/** Joins list values (additional_image_link) in one cell; channels split such cells on commas. */
const LIST_SEPARATOR = ",";

/** Characters that force quoting, per delimiter; compiled once, tested once per cell. */
const NEEDS_QUOTES: Record<Delimiter, RegExp> = { ",": /[",\r\n]/, "\t": /["\t\r\n]/ };
const QUOTE = /"/g;

/** An optionally signed decimal number ("-12.50", "+44", ".5"): the one thing starting with + or - that is no formula. */
const PLAIN_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * Spreadsheets evaluate a cell starting with = + - or @, and some strip a leading TAB or CR before
 * looking, so those count too.
 */
function startsLikeFormula(code: number): boolean {
  return code === 61 /* = */ || code === 43 /* + */ || code === 45 /* - */ || code === 64 /* @ */ || code === 9 || code === 13;
}

/**
 * Neutralises spreadsheet formula injection (OWASP "CSV injection"): a cell a spreadsheet would run
 * as a formula gets a leading single quote, which makes every spreadsheet read it as text.
 * Merchants open feeds in Excel and Sheets, and product data comes from anyone with product
 * editor access or a supplier import, so `=HYPERLINK(...)` in a title must never become live.
 *
 * Plain numbers ("-12.50", "+44", "-.5") are left alone although they start with + or -: feeds carry
 * prices, quantities and adjustments, a number is never a formula, and prefixing it would change
 * the value the channel reads.
 */
export function neutralizeFormula(value: string): string {
  const first = value.charCodeAt(0);
  if (!startsLikeFormula(first)) return value;
  if ((first === 43 || first === 45) && PLAIN_NUMBER.test(value)) return value;
  return `'${value}`;
}

/** JavaScript's `\s` set, tested on one character without a regex. */
function isWhitespace(code: number): boolean {
  if (code <= 32) return code === 32 || (code >= 9 && code <= 13);
  if (code < 160) return false;
  return (
    code === 160 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * Quotes a field when it holds the delimiter, a quote, CR or LF (RFC 4180), or starts or ends with
 * whitespace (which many readers, Meta's among them, would otherwise trim), doubling inner quotes.
 */
export function quoteField(value: string, delimiter: Delimiter): string {
  if (value === "") return value;
  const mustQuote =
    NEEDS_QUOTES[delimiter].test(value) ||
    isWhitespace(value.charCodeAt(0)) ||
    isWhitespace(value.charCodeAt(value.length - 1));
  return mustQuote ? `"${value.replace(QUOTE, '""')}"` : value;
}

function cellText(value: unknown, column: string, recordKey: string): string {
  if (!Array.isArray(value)) return scalarText(value, column, recordKey);
  let text = "";
  for (let index = 0; index < value.length; index += 1) {
    text += (index === 0 ? "" : LIST_SEPARATOR) + scalarText(value[index], column, recordKey);
  }
  return text;
}

export function createDelimitedSerializer(options: DelimitedSerializerOptions): FeedSerializer {
  const { delimiter, columns, bom } = options;
  assertUsableColumns(columns);
  // Column names are the channel's field names and must reach it unchanged: quoted if need be, never neutralised.
  const headerLine = (bom ? BYTE_ORDER_MARK : "") + columns.map((column) => quoteField(column, delimiter)).join(delimiter) + CRLF;
  // One array reused for every row: a row costs its cells and one join.
  const cells: string[] = new Array<string>(columns.length).fill("");
  const isTsv = delimiter === "\t";

  return {
    contentType: isTsv ? "text/tab-separated-values; charset=utf-8" : "text/csv; charset=utf-8",
    fileExtension: isTsv ? "tsv" : "csv",
    header: () => headerLine,
    record(record: ChannelRecord): string {
      const fields = record.fields;
      let index = 0;
      for (const column of columns) {
        const value = ownFieldValue(fields, column);
        // Most columns of a wide feed (Meta has 35) are empty for most items: skip the text work.
        cells[index] = value === undefined || value === "" ? "" : quoteField(neutralizeFormula(cellText(value, column, record.key)), delimiter);
        index += 1;
      }
      return cells.join(delimiter) + CRLF;
    },
    footer: () => "",
  };
}
