/**
 * fast-check arbitraries for the feed serializer property tests: text a merchant, a supplier import or
 * a broken copy-paste could put in a product, weighted towards the characters serializers get wrong.
 */
import fc from "fast-check";
import type { ChannelRecord } from "../../../app/domain/channels/types";

/** Characters and sequences that break naive CSV/TSV/XML writers, one unit each. */
const TRICKY_UNITS = [
  ",", '"', "'", "\t", "\r", "\n", "\r\n", " ", "  ", "=", "+", "-", "@", ".", "0", "7",
  "&", "<", ">", "]]>", "&amp;", "&#13;", "<![CDATA[", "-->",
  "😀", "\u{1F1FA}\u{1F1F8}", "👩‍👩‍👧", "\u{10FFFF}", "é", "e\u0301", "漢",
  "\uFEFF", "\u00A0", "\u2028", "\u3000", "\u0085",
  "\u0000", "\u0007", "\u000B", "\u000C", "\u001F", "\u007F", "\uFFFE", "\uFFFF",
  "\uD800", "\uDBFF", "\uDC00", "\uDFFF", // lone surrogates
] as const;

const trickyUnit = fc.oneof(
  { arbitrary: fc.constantFrom(...TRICKY_UNITS), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 2 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", minLength: 1, maxLength: 2 }), weight: 1 },
  // Any single UTF-16 code unit, lone surrogates included.
  { arbitrary: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), weight: 1 },
);

const numberLike = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.stringMatching(/^[+-]?\d{0,4}(\.\d{0,3})?$/),
);

const formulaLike = fc
  .tuple(fc.constantFrom("=", "+", "-", "@", "\t", "\r", "=+", "-@"), fc.string({ unit: trickyUnit, maxLength: 8 }))
  .map(([prefix, rest]) => prefix + rest);

/** Arbitrary text for one field value. */
export const feedText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: trickyUnit, maxLength: 16 }), weight: 4 },
  { arbitrary: fc.string({ unit: "grapheme", maxLength: 24 }), weight: 2 },
  { arbitrary: fc.string({ unit: "binary", maxLength: 24 }), weight: 2 },
  { arbitrary: numberLike, weight: 1 },
  { arbitrary: formulaLike, weight: 2 },
);

/** A field's value: absent, text, or a list (list entries without commas, as adapters write URL lists). */
export const feedValue: fc.Arbitrary<string | string[] | undefined> = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 1 },
  { arbitrary: feedText, weight: 6 },
  { arbitrary: fc.array(feedText.map((text) => text.replaceAll(",", "")), { maxLength: 4 }), weight: 1 },
);

/** Columns plus records that fill some of them; `columnName` decides what a column may be called. */
export function flatFeed(columnName: fc.Arbitrary<string>): fc.Arbitrary<{ columns: string[]; records: ChannelRecord[] }> {
  return fc.uniqueArray(columnName, { minLength: 1, maxLength: 6 }).chain((columns) =>
    fc
      .array(fc.array(feedValue, { minLength: columns.length, maxLength: columns.length }), { minLength: 0, maxLength: 4 })
      .map((rows) => ({
        columns,
        records: rows.map((values, row) => {
          const fields: Record<string, string | string[]> = {};
          values.forEach((value, index) => {
            const column = columns[index];
            if (value !== undefined && column !== undefined) Object.defineProperty(fields, column, { value, enumerable: true, writable: true });
          });
          return { key: `item-${row}`, itemIds: [`item-${row}`], fields };
        }),
      })),
  );
}

/** What a UTF-8 encoder makes of a string: each lone surrogate becomes U+FFFD. */
export function asEncodedUtf8(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}
