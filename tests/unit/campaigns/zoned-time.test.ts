import { describe, expect, it } from "vitest";
import { dayInZone, formatOffset, instantInZone, instantToWallTime, isTimeZone, startOfDayInZone, wallTimeToInstant, zoneOffsetMinutes } from "../../../app/domain/campaigns/zoned-time";

describe("wall-clock times in a shop's time zone", () => {
  it.each([
    ["2026-03-01T09:00", "America/New_York", "2026-03-01T09:00:00-05:00"],
    // Summer time started at 2:00 on 8 March 2026 in New York.
    ["2026-03-09T09:00", "America/New_York", "2026-03-09T09:00:00-04:00"],
    ["2026-07-01T18:30", "Europe/Amsterdam", "2026-07-01T18:30:00+02:00"],
    ["2026-01-12T00:00", "UTC", "2026-01-12T00:00:00+00:00"],
    ["2026-03-01T09:00:30", "Asia/Kolkata", "2026-03-01T09:00:30+05:30"],
  ])("%s in %s is %s", (wall, zone, instant) => {
    expect(wallTimeToInstant(wall, zone)).toBe(instant);
    expect(instantToWallTime(Date.parse(instant), zone)).toBe(wall.slice(0, 16));
  });

  it("moves a time skipped by the spring-forward jump to just after it", () => {
    // 02:30 did not exist in New York on 8 March 2026: clocks went from 01:59:59 to 03:00.
    const instant = wallTimeToInstant("2026-03-08T02:30", "America/New_York");
    expect(instant).not.toBeNull();
    expect(Date.parse(instant as string)).toBe(Date.parse("2026-03-08T07:30:00Z"));
    expect(instantInZone(Date.parse(instant as string), "America/New_York")).toBe("2026-03-08T03:30:00-04:00");
  });

  it("refuses what is not a calendar date and time", () => {
    for (const text of ["2026-02-30T09:00", "2026-03-01", "2026-03-01T24:00", "tomorrow", "2026-03-01T09:00Z"]) expect(wallTimeToInstant(text, "UTC")).toBeNull();
  });

  it("knows offsets, days and zones", () => {
    expect(zoneOffsetMinutes(Date.parse("2026-01-15T12:00:00Z"), "America/New_York")).toBe(-300);
    expect(formatOffset(-300)).toBe("-05:00");
    expect(formatOffset(330)).toBe("+05:30");
    // 03:00 UTC on 2 March is still 1 March in New York.
    expect(dayInZone(Date.parse("2026-03-02T03:00:00Z"), "America/New_York")).toBe("2026-03-01");
    expect(startOfDayInZone("2026-03-01", "America/New_York")).toBe(Date.parse("2026-03-01T05:00:00Z"));
    expect(isTimeZone("Europe/Amsterdam")).toBe(true);
    expect(isTimeZone("Mars/Olympus_Mons")).toBe(false);
  });
});
