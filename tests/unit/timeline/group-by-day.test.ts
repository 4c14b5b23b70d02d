import { describe, expect, it } from "vitest";
import { appendDays, dayIn, groupByDay } from "../../../app/domain/timeline/group-by-day";
import { detailLines } from "../../../app/domain/timeline/detail-lines";

describe("timeline days", () => {
  it("groups by the shop's calendar day, not UTC's", () => {
    const events = [
      { id: "3", at: "2026-11-22T14:41:05Z" },
      { id: "2", at: "2026-11-22T03:10:00Z" }, // 10:10 PM on the 21st in New York
      { id: "1", at: "2026-11-21T20:00:00Z" },
    ];
    const days = groupByDay(events, "America/New_York");
    expect(days.map((day) => [day.day, day.label, day.events.map((e) => e.id)])).toEqual([
      ["2026-11-22", "Sunday, November 22, 2026", ["3"]],
      ["2026-11-21", "Saturday, November 21, 2026", ["2", "1"]],
    ]);
    expect(days[0]!.events[0]!.time).toBe("9:41:05 AM");
    expect(dayIn(new Date("2026-11-22T03:10:00Z"), "UTC")).toBe("2026-11-22");
  });

  it("a further page continues the day the previous page ended on", () => {
    const first = groupByDay([{ id: "3", at: "2026-11-22T14:00:00Z" }], "UTC");
    const next = groupByDay([{ id: "2", at: "2026-11-22T10:00:00Z" }, { id: "1", at: "2026-11-20T10:00:00Z" }], "UTC");
    const merged = appendDays(first, next);
    expect(merged.map((day) => [day.day, day.events.map((e) => e.id)])).toEqual([
      ["2026-11-22", ["3", "2"]],
      ["2026-11-20", ["1"]],
    ]);
    expect(first[0]!.events).toHaveLength(1); // the shown page is not mutated
  });
});

describe("detail lines", () => {
  it("lists a Shopify update's changes and a channel's problems; unknown shapes give nothing", () => {
    expect(
      detailLines("shopify.updated", {
        changes: [
          { field: "price", variantTitle: "M", before: "25.00", after: "19.50" },
          { field: "description" },
        ],
      }),
    ).toEqual(["M: price 25.00 → 19.50", "description"]);
    expect(detailLines("publish.rejected", { problems: [{ message: "Watermark", code: "meta.policy", itemId: "4202" }, { nope: 1 }] })).toEqual(["Item 4202: Watermark (meta.policy)"]);
    expect(detailLines("mapping.changed", { lines: ["Title: 1 rule added", 3] })).toEqual(["Title: 1 rule added"]);
    expect(detailLines("feed.built", { changes: "garbage", problems: "x" })).toEqual([]);
    expect(detailLines("mapping.changed", { lines: Array.from({ length: 15 }, (_, i) => `line ${i}`) })).toHaveLength(13);
  });
});
