import { describe, expect, it } from "vitest";
import { calendarMonth, monthOf, parseMonth } from "../../../app/domain/campaigns/calendar";

const ZONE = "America/New_York";

describe("the campaign calendar", () => {
  it("lays a month out in whole weeks starting on Sunday", () => {
    const march = calendarMonth("2026-03", ZONE, []);
    expect(march.label).toBe("March 2026");
    expect(march.previous).toBe("2026-02");
    expect(march.next).toBe("2026-04");
    // 1 March 2026 is a Sunday: five weeks, ending with 4 April.
    expect(march.weeks).toHaveLength(5);
    expect(march.weeks[0]?.[0]).toMatchObject({ date: "2026-03-01", dayOfMonth: 1, inMonth: true });
    expect(march.weeks[4]?.[6]).toMatchObject({ date: "2026-04-04", inMonth: false });
    expect(calendarMonth("2026-12", ZONE, []).next).toBe("2027-01");
  });

  it("puts a window on every day it touches in the shop's time zone, start included and end excluded", () => {
    const post = { id: "tiktok-post", name: "TikTok post", kind: "post" as const, start: Date.parse("2026-03-05T14:00:00-05:00"), end: Date.parse("2026-03-07T00:00:00-05:00") };
    const days = calendarMonth("2026-03", ZONE, [post]).weeks.flat();
    const withPost = days.filter((day) => day.campaigns.length > 0).map((day) => day.date);
    // It ends at midnight starting 7 March, so 7 March itself is free.
    expect(withPost).toEqual(["2026-03-05", "2026-03-06"]);
    expect(days.find((day) => day.date === "2026-03-05")?.campaigns[0]).toMatchObject({ starts: true, ends: false });
    expect(days.find((day) => day.date === "2026-03-06")?.campaigns[0]).toMatchObject({ starts: false, ends: true });
  });

  it("reads days in the shop's zone, not UTC", () => {
    // 03:00 UTC on 10 March is still 9 March in New York.
    const late = { id: "late", name: "Late", kind: "campaign" as const, start: Date.parse("2026-03-10T02:00:00Z"), end: Date.parse("2026-03-10T03:00:00Z") };
    const days = calendarMonth("2026-03", ZONE, [late]).weeks.flat();
    expect(days.filter((day) => day.campaigns.length > 0).map((day) => day.date)).toEqual(["2026-03-09"]);
  });

  it("parses months and finds the month of an instant", () => {
    expect(parseMonth("2026-03")).toBe("2026-03");
    expect(parseMonth("2026-13")).toBeNull();
    expect(parseMonth("March")).toBeNull();
    expect(monthOf(Date.parse("2026-04-01T02:00:00Z"), ZONE)).toBe("2026-03");
  });
});
