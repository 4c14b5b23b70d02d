import { describe, expect, it } from "vitest";
import { connectionAlerts, rejectionSpikeAlerts } from "../../../app/domain/dashboard/alerts";
import { channelHealth, sumFeedCounts } from "../../../app/domain/dashboard/channel-health";
import { addDays, fillDailySeries, lastDays } from "../../../app/domain/dashboard/daily-series";

describe("daily series", () => {
  it("counts days across month and year ends and fills missing days with zero", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(lastDays("2026-01-02", 4)).toEqual(["2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02"]);
    const days = lastDays("2026-01-02", 3);
    const series = fillDailySeries(
      [
        { day: "2026-01-01", key: "meta", value: 3 },
        { day: "2026-01-01", key: "meta", value: 2 },
        { day: "2025-01-01", key: "meta", value: 99 },
        { day: "2026-01-02", key: "google", value: 1 },
      ],
      days,
      ["meta", "google"],
    );
    expect(series).toEqual([
      { key: "meta", points: [{ day: "2025-12-31", value: 0 }, { day: "2026-01-01", value: 5 }, { day: "2026-01-02", value: 0 }] },
      { key: "google", points: [{ day: "2025-12-31", value: 0 }, { day: "2026-01-01", value: 0 }, { day: "2026-01-02", value: 1 }] },
    ]);
    expect(() => addDays("22/11/2026", 1)).toThrow(/YYYY-MM-DD/);
  });
});

describe("channel health", () => {
  const feed = { itemsTotal: 110, itemsReady: 80, itemsWithErrors: 20, itemsExcluded: 10 };
  it("a feed channel is live with what its feed offers; its error rate leaves excluded items aside", () => {
    expect(channelHealth({ publishing: false, feed, records: null })).toEqual({ live: 80, ready: 80, blocked: 20, rejected: null, errorRate: 0.2, source: "feed" });
  });

  it("an API channel is live with what the channel accepted; its error rate is the share it refused", () => {
    expect(channelHealth({ publishing: true, feed, records: { live: 70, pending: 5, rejected: 8, dead: 2 } })).toEqual({ live: 70, ready: 80, blocked: 20, rejected: 10, errorRate: 10 / 80, source: "api" });
    expect(channelHealth({ publishing: true, feed: null, records: null })).toEqual({ live: 0, ready: null, blocked: null, rejected: 0, errorRate: null, source: "api" });
  });

  it("nothing known is null, never zero", () => {
    expect(channelHealth({ publishing: false, feed: null, records: null })).toEqual({ live: null, ready: null, blocked: null, rejected: null, errorRate: null, source: "none" });
    expect(sumFeedCounts([])).toBeNull();
    expect(sumFeedCounts([feed, feed])).toEqual({ itemsTotal: 220, itemsReady: 160, itemsWithErrors: 40, itemsExcluded: 20 });
  });
});

describe("dashboard alerts", () => {
  const now = new Date("2026-11-22T12:00:00Z");
  const connection = { channel: "tiktok", status: "connected" as const, accessExpiresAt: "2026-11-23T00:00:00Z", refreshExpiresAt: null, lastError: null };

  it("warns of an authorisation ending within 7 days, using the refresh token's expiry when there is one", () => {
    expect(connectionAlerts([{ ...connection, refreshExpiresAt: "2026-11-25T12:00:00Z" }], now, "UTC")).toEqual([
      expect.objectContaining({ id: "expiring-tiktok", tone: "warning", title: "TikTok Shop authorisation expires in 3 days", action: { content: "Open Settings → Channels", url: "/app/settings" } }),
    ]);
    // The access token alone expires in 12 h, but a refresh token a month away renews it: no alert.
    expect(connectionAlerts([{ ...connection, refreshExpiresAt: "2026-12-22T12:00:00Z" }], now, "UTC")).toEqual([]);
    expect(connectionAlerts([connection], now, "UTC")[0]).toMatchObject({ title: "TikTok Shop authorisation expires within a day" });
    expect(connectionAlerts([{ ...connection, accessExpiresAt: "2026-11-20T00:00:00Z" }], now, "UTC")[0]).toMatchObject({ tone: "critical", title: "TikTok Shop authorisation has expired" });
  });

  it("asks to reconnect a connection the channel refused, with its reason", () => {
    expect(connectionAlerts([{ channel: "meta", status: "reconnect", accessExpiresAt: null, refreshExpiresAt: null, lastError: "Meta refused the token." }], now, "UTC")).toEqual([
      expect.objectContaining({ id: "reconnect-meta", tone: "critical", title: "Reconnect Meta", body: "Meta refused the token. Nothing is published to Meta until it is reconnected." }),
    ]);
    expect(connectionAlerts([{ ...connection, status: "pending" }], now, "UTC")).toEqual([]);
  });

  it("words a rejection spike with a link to that channel's issues", () => {
    expect(rejectionSpikeAlerts([{ channel: "meta", today: 120, trailingMean: 8.43, trailingDays: 7 }])).toEqual([
      {
        id: "rejection-spike-meta",
        tone: "warning",
        title: "Meta rejected 120 records today",
        body: "That is far above its usual 8.4 a day over the previous 7 days. A recent change (a rule, a mapping, a product edit) may be the cause.",
        action: { content: "See the issues", url: "/app/feed-issues?channel=meta" },
      },
    ]);
    expect(rejectionSpikeAlerts([{ channel: "tiktok", today: 12, trailingMean: 0, trailingDays: 7 }])[0]!.body).toBe(
      "It rejected none on the previous 7 days. A recent change (a rule, a mapping, a product edit) may be the cause.",
    );
  });
});
