/**
 * GS1 check digits for GTIN-8/12/13/14 (UPC-A is GTIN-12, EAN is GTIN-13). The demo uses them to
 * write valid barcodes and, on purpose, some with a wrong check digit.
 */

/** The check digit for a GTIN body (all digits but the last). */
export function gtinCheckDigit(body: string): number {
  if (!/^\d+$/.test(body)) throw new RangeError(`GTIN body must be digits: ${body}`);
  // Weights 3,1,3,1... starting from the rightmost body digit.
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const digit = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

export function hasValidGtinCheckDigit(code: string): boolean {
  if (!/^(\d{8}|\d{12}|\d{13}|\d{14})$/.test(code)) return false;
  return gtinCheckDigit(code.slice(0, -1)) === Number(code.slice(-1));
}
