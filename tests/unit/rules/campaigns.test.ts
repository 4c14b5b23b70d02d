import { describe, expect, it } from "vitest";
import { activeHolds, campaignHoldOn, findOverReservations, inventoryOf, overReservationsFor } from "../../../app/domain/rules";
import { campaignsOf, item, NOW, rulesOf } from "./fixtures";

const { product, variant } = item({ levels: [20], tags: ["campaign:spring-drop"] });

describe("campaign holds", () => {
  it("uses the campaign's most specific line for a variant", () => {
    const [campaign] = campaignsOf([
      {
        id: "spring-drop",
        name: "Spring drop",
        channels: ["tiktok"],
        startsAt: "2026-03-01T00:00:00Z",
        endsAt: "2026-03-10T00:00:00Z",
        holds: [
          { tag: "Campaign:Spring-Drop", units: 2 },
          { product: "9001", units: 5 },
          { variant: "900101", units: 7 },
        ],
      },
    ]);
    expect(campaignHoldOn(campaign!, product, variant, "US")).toMatchObject({ units: 7, target: { kind: "variant" } });
    const other = item({ levels: [1], tags: ["campaign:spring-drop"] }, 9002);
    expect(campaignHoldOn(campaign!, other.product, other.variant, "US")).toMatchObject({ units: 2, target: { kind: "tag" } });
    expect(campaignHoldOn(campaign!, item({}, 9003).product, item({}, 9003).variant, "US")).toBeNull();
  });

  it("holds only in the campaign's markets", () => {
    const [campaign] = campaignsOf([{ id: "uk", name: "UK", channels: ["meta"], markets: ["GB"], startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-10T00:00:00Z", holds: [{ product: "9001", units: 3 }] }]);
    expect(campaignHoldOn(campaign!, product, variant, "US")).toBeNull();
    expect(campaignHoldOn(campaign!, product, variant, "GB")?.units).toBe(3);
  });

  it("compares instants: the start is included and the end excluded, whatever the offsets", () => {
    const campaigns = campaignsOf([
      { id: "a", name: "A", channels: ["meta"], startsAt: "2026-03-02T07:00:00-05:00", endsAt: "2026-03-02T18:00:00+00:00", holds: [{ product: "9001", units: 1 }] },
      { id: "b", name: "B", channels: ["meta"], startsAt: "2026-03-02T19:00:00+01:00", endsAt: "2026-03-03T06:00:00+09:00", holds: [{ product: "9001", units: 1 }] },
    ]);
    const at = (instant: string) => activeHolds(campaigns, product, variant, "US", new Date(instant)).map((hold) => hold.campaign.id);
    expect(at("2026-03-02T11:59:59.999Z")).toEqual([]);
    expect(at("2026-03-02T13:00:00+01:00")).toEqual(["a"]);
    // A ends at 18:00Z exactly when B starts (19:00+01:00): never both.
    expect(at("2026-03-02T17:59:59.999Z")).toEqual(["a"]);
    expect(at("2026-03-02T18:00:00Z")).toEqual(["b"]);
    // B ends at 06:00+09:00 on 3 March = 21:00Z on 2 March.
    expect(at("2026-03-02T20:59:59.999Z")).toEqual(["b"]);
    expect(at("2026-03-03T05:00:00+08:00")).toEqual([]);
  });

  it("refuses a window that ends before it starts once offsets are applied", () => {
    expect(() =>
      campaignsOf([{ id: "b", name: "B", channels: ["meta"], startsAt: "2026-03-02T19:00:00+01:00", endsAt: "2026-03-03T00:00:00+09:00", holds: [] }]),
    ).toThrow(/campaigns\[0\] \("b"\)\.endsAt: must be after startsAt/);
  });
});

describe("findOverReservations", () => {
  const campaigns = campaignsOf([
    { id: "spring-drop", name: "Spring drop", channels: ["tiktok"], startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-10T00:00:00Z", holds: [{ tag: "campaign:spring-drop", units: 12 }] },
    { id: "creator", name: "Creator post", channels: ["meta"], startsAt: "2026-03-05T00:00:00+01:00", endsAt: "2026-03-12T00:00:00Z", holds: [{ variant: "900101", units: 10 }] },
    { id: "later", name: "Later", channels: ["pinterest"], startsAt: "2026-03-12T00:00:00Z", endsAt: "2026-03-20T00:00:00Z", holds: [{ product: "9001", units: 20 }] },
  ]);

  it("reports when overlapping campaigns hold more than channels can have", () => {
    const found = findOverReservations({ campaigns, product, variant, market: "US", now: NOW, available: 18 });
    // Spring drop and the creator post overlap; "Later" alone asks for 20.
    expect(found.map((over) => over.campaigns.map((campaign) => campaign.id))).toEqual([["spring-drop", "creator"], ["later"]]);
    expect(found[0]).toMatchObject({
      variantId: variant.id,
      from: "2026-03-04T23:00:00.000Z",
      to: "2026-03-10T00:00:00.000Z",
      held: 22,
      available: 18,
      campaigns: [
        { id: "spring-drop", units: 12, channels: ["tiktok"] },
        { id: "creator", units: 10, channels: ["meta"] },
      ],
    });
    expect(found[0]?.message).toMatch(/Campaigns 'Spring drop' \(12\) and 'Creator post' \(10\) hold 22 units .* but only 18 can go to channels: 4 over-reserved/);
  });

  it("reports a single campaign holding more than there is, and nothing that fits", () => {
    expect(findOverReservations({ campaigns, product, variant, market: "US", now: NOW, available: 22 })).toEqual([]);
    const found = findOverReservations({ campaigns, product, variant, market: "US", now: NOW, available: 11 });
    expect(found.map((over) => [over.from, over.to, over.held])).toEqual([
      ["2026-03-02T12:00:00.000Z", "2026-03-04T23:00:00.000Z", 12],
      ["2026-03-04T23:00:00.000Z", "2026-03-10T00:00:00.000Z", 22],
      ["2026-03-12T00:00:00.000Z", "2026-03-20T00:00:00.000Z", 20],
    ]);
  });

  it("ignores what is over before now", () => {
    expect(findOverReservations({ campaigns, product, variant, market: "US", now: new Date("2026-03-21T00:00:00Z"), available: 0 })).toEqual([]);
  });

  it("measures against today's stock after the web store's reserve", () => {
    const rules = rulesOf({ rules: [{ id: "shop", scope: "shop", reserve: { units: 3 } }] });
    const found = overReservationsFor(rules, { product, variant }, inventoryOf(variant), campaigns, "US", NOW);
    expect(found.map((over) => over.available)).toEqual([17, 17]);
  });
});
