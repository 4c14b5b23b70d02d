import { describe, expect, it } from "vitest";
import { checkGtin, gtinCheckDigit } from "../../../app/domain/channels/gtin";

describe("checkGtin", () => {
  it.each([
    ["4006381333931", "EAN-13"],
    ["036000291452", "UPC-A"],
    ["96385074", "GTIN-8"],
    ["00012345600012", "GTIN-14"],
    [" 4006-3813 3393-1 ", "EAN-13"],
    ["050123456789", "UPC-A"], // a coupon-looking prefix is fine on 12 digits
  ])("accepts %s as %s", (raw, format) => {
    expect(checkGtin(raw)).toMatchObject({ ok: true, format });
  });

  it.each([
    ["", "empty"],
    ["4.00638E+12", "scientific_notation"],
    ["4006381333931X", "not_digits"],
    ["36000291452", "wrong_length"],
    ["00000000", "all_zeros"],
    ["4006381333932", "bad_check_digit"],
    ["2001234567893", "restricted_prefix"],
    ["0201234567899", "restricted_prefix"],
    ["0501234567890", "coupon_prefix"],
    ["9801234567892", "coupon_prefix"],
  ])("rejects %j as %s, with a message", (raw, problem) => {
    const check = checkGtin(raw);
    expect(check).toMatchObject({ ok: false, problem, value: raw });
    expect(check.ok === false && check.message.length).toBeGreaterThan(20);
  });

  it("suggests a dropped leading zero for an 11-digit UPC", () => {
    expect(checkGtin("36000291452")).toMatchObject({ ok: false, message: expect.stringMatching(/leading zero/) });
  });

  it("computes GS1 check digits", () => {
    expect([gtinCheckDigit("400638133393"), gtinCheckDigit("03600029145"), gtinCheckDigit("9638507")]).toEqual([1, 2, 4]);
    expect(() => gtinCheckDigit("12a")).toThrow(/must be digits/);
  });
});
