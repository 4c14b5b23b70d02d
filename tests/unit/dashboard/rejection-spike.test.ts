import { describe, expect, it } from "vitest";
import { detectRejectionSpikes } from "../../../app/domain/dashboard/rejection-spike";

const TODAY = "2026-11-22";
const week = (channel: string, perDay: number) => Array.from({ length: 7 }, (_, i) => ({ day: `2026-11-${String(15 + i).padStart(2, "0")}`, channel, count: perDay }));

describe("rejection spike", () => {
  it("flags a channel whose rejections today exceed 3 × its trailing 7-day mean", () => {
    const rows = [...week("meta", 4), { day: TODAY, channel: "meta", count: 13 }, ...week("tiktok", 4), { day: TODAY, channel: "tiktok", count: 12 }];
    expect(detectRejectionSpikes(rows, { today: TODAY })).toEqual([{ channel: "meta", today: 13, trailingMean: 4, trailingDays: 7 }]);
  });

  it("counts missing days as zero and needs a minimum, so a quiet channel does not alarm on a handful", () => {
    expect(detectRejectionSpikes([{ day: TODAY, channel: "meta", count: 9 }], { today: TODAY })).toEqual([]);
    expect(detectRejectionSpikes([{ day: TODAY, channel: "meta", count: 10 }], { today: TODAY })).toEqual([{ channel: "meta", today: 10, trailingMean: 0, trailingDays: 7 }]);
    // 70 rejections one day in the window: mean 10 a day, 25 today is not 3×.
    expect(detectRejectionSpikes([{ day: "2026-11-16", channel: "meta", count: 70 }, { day: TODAY, channel: "meta", count: 25 }], { today: TODAY })).toEqual([]);
  });

  it("ignores days outside the window and after today, and adds rows of one day", () => {
    const rows = [
      { day: "2026-11-01", channel: "meta", count: 1000 },
      { day: "2026-11-23", channel: "meta", count: 1000 },
      { day: TODAY, channel: "meta", count: 6 },
      { day: TODAY, channel: "meta", count: 6 },
    ];
    expect(detectRejectionSpikes(rows, { today: TODAY })).toEqual([{ channel: "meta", today: 12, trailingMean: 0, trailingDays: 7 }]);
  });

  it("takes its factor, window and minimum as options, and refuses a window that makes no sense", () => {
    const rows = [...week("meta", 2).slice(4), { day: TODAY, channel: "meta", count: 5 }];
    expect(detectRejectionSpikes(rows, { today: TODAY, trailingDays: 3, factor: 2, minimum: 5 })).toEqual([{ channel: "meta", today: 5, trailingMean: 2, trailingDays: 3 }]);
    expect(detectRejectionSpikes(rows, { today: TODAY, trailingDays: 3, factor: 3, minimum: 5 })).toEqual([]);
    expect(() => detectRejectionSpikes(rows, { today: TODAY, trailingDays: 0 })).toThrow(/trailingDays/);
  });

  it("with publish activity given, a channel that published nothing in the trailing days has no usual to compare with", () => {
    const rejections = [{ day: TODAY, channel: "meta", count: 40 }, { day: TODAY, channel: "tiktok", count: 40 }];
    const published = [
      { day: TODAY, channel: "meta", count: 1000 },
      { day: TODAY, channel: "tiktok", count: 300 },
      { day: "2026-11-20", channel: "tiktok", count: 5 },
    ];
    // Meta's first publish is today: not a spike. TikTok published two days ago and rejected nothing then.
    expect(detectRejectionSpikes(rejections, { today: TODAY, published }).map((spike) => spike.channel)).toEqual(["tiktok"]);
    expect(detectRejectionSpikes(rejections, { today: TODAY }).map((spike) => spike.channel)).toEqual(["meta", "tiktok"]);
  });
});
