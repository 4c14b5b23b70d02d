/**
 * GTIN checks shared by every channel (../shared/specs/channels.md §4.3): a barcode that fails
 * here is rejected by Meta, TikTok, Pinterest and Google alike, so it is reported once, with a fix
 * a merchant can act on.
 */

export type GtinFormat = "GTIN-8" | "UPC-A" | "EAN-13" | "GTIN-14";

export type GtinProblem =
  | "empty"
  | "scientific_notation"
  | "not_digits"
  | "wrong_length"
  | "all_zeros"
  | "bad_check_digit"
  | "restricted_prefix"
  | "coupon_prefix";

export type GtinCheck =
  | { ok: true; gtin: string; format: GtinFormat }
  | { ok: false; problem: GtinProblem; message: string; value: string };

const FORMAT_BY_LENGTH: Record<number, GtinFormat> = { 8: "GTIN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14" };

/** The GS1 mod-10 check digit of a GTIN body (every digit but the last): weights 3,1,3,1… from the right. */
export function gtinCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`a GTIN body must be digits, got ${JSON.stringify(body)}`);
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

let lastRaw: string | undefined;
let lastCheck: GtinCheck | undefined;

/**
 * Checks a barcode as a merchant typed it (spaces and dashes allowed) against the GS1 rules. Every
 * channel checks the same variant's barcode in turn, so the last answer is remembered (it is
 * immutable: callers only read it).
 */
export function checkGtin(raw: string): GtinCheck {
  if (raw === lastRaw && lastCheck) return lastCheck;
  lastCheck = checkGtinUncached(raw);
  lastRaw = raw;
  return lastCheck;
}

function checkGtinUncached(raw: string): GtinCheck {
  const value = raw.trim();
  const fail = (problem: GtinProblem, message: string): GtinCheck => ({ ok: false, problem, message, value: raw });
  if (value === "") return fail("empty", "The barcode is empty.");
  if (/^\d+(\.\d+)?e\+?\d+$/i.test(value)) {
    return fail("scientific_notation", "The barcode was turned into scientific notation by a spreadsheet (e.g. 4.00638E+12); enter the full number as text.");
  }
  const digits = value.replace(/[\s-]/g, "");
  if (!/^\d+$/.test(digits)) return fail("not_digits", "A barcode (GTIN, UPC, EAN) contains only digits.");
  const format = FORMAT_BY_LENGTH[digits.length];
  if (!format) {
    const hint = digits.length === 11 || digits.length === 7 ? " A leading zero may have been dropped by a spreadsheet." : "";
    return fail("wrong_length", `A GTIN has 8, 12, 13 or 14 digits; this one has ${digits.length}.${hint}`);
  }
  if (/^0+$/.test(digits)) return fail("all_zeros", "A barcode of only zeros is a placeholder, not a GTIN.");
  if (gtinCheckDigit(digits.slice(0, -1)) !== Number(digits.slice(-1))) {
    return fail("bad_check_digit", "The last digit (the check digit) does not match the others: the barcode was mistyped or made up.");
  }
  // Restricted and coupon ranges apply to 13-digit codes; 12- and 14-digit codes may use them.
  if (digits.length === 13) {
    if (/^(2|02|04)/.test(digits)) {
      return fail("restricted_prefix", "Barcodes starting with 2, 02 or 04 are for use inside one store and are not accepted by channels.");
    }
    if (/^(05|98|99)/.test(digits)) return fail("coupon_prefix", "Barcodes starting with 05, 98 or 99 are coupon codes, not product GTINs.");
  }
  return { ok: true, gtin: digits, format };
}
