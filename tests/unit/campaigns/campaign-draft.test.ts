import { describe, expect, it } from "vitest";
import { slugify, uniqueId, validateCampaignDraft, type CampaignDraft } from "../../../app/domain/campaigns/campaign-draft";

const DRAFT: CampaignDraft = {
  kind: "post",
  name: "Spring drop on TikTok",
  channels: ["tiktok"],
  markets: [],
  startsAt: "2026-03-01T09:00",
  endsAt: "2026-03-02T09:00",
  holds: [{ product: "gid://shopify/Product/1", units: 0 }, { variant: "4501", units: 5 }],
};

describe("a campaign draft", () => {
  it("is stored with its window read in the shop's time zone and ids as GIDs", () => {
    const result = validateCampaignDraft(DRAFT, { id: "spring-drop", timeZone: "America/New_York" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record).toEqual({
      id: "spring-drop",
      kind: "post",
      name: "Spring drop on TikTok",
      channels: ["tiktok"],
      markets: [],
      startsAt: new Date("2026-03-01T14:00:00Z"),
      endsAt: new Date("2026-03-02T14:00:00Z"),
      holds: [
        { product: "gid://shopify/Product/1", units: 0 },
        { variant: "gid://shopify/ProductVariant/4501", units: 5 },
      ],
    });
    expect(result.campaign.window).toEqual({ start: Date.parse("2026-03-01T14:00:00Z"), end: Date.parse("2026-03-02T14:00:00Z") });
  });

  it("keeps a window written with an offset as written", () => {
    const result = validateCampaignDraft({ ...DRAFT, startsAt: "2026-03-01T09:00:00+01:00", endsAt: "2026-03-01T10:00:00Z" }, { id: "x", timeZone: "America/New_York" });
    expect(result.ok && result.record.startsAt.toISOString()).toBe("2026-03-01T08:00:00.000Z");
  });

  it.each([
    [{ name: "" }, "name", "cannot be empty"],
    [{ channels: [] }, "channels", "name at least one channel"],
    [{ channels: ["tiktok", "myspace"] }, "channels[1]", "unknown channel \"myspace\""],
    [{ endsAt: "2026-02-28T09:00" }, "endsAt", "must be after startsAt"],
    [{ startsAt: "soon" }, "startsAt", "expected an ISO 8601 date-time"],
    [{ holds: [{ product: "gid://shopify/Product/1", units: -1 }] }, "holds[0].units", "expected a whole number of units (0 or more), got -1"],
    [{ holds: [{ product: "gid://shopify/Product/1", variant: "2", units: 1 }] }, "holds[0]", "a hold covers one thing"],
    [{ kind: "story" }, "kind", 'choose "post" or "campaign"'],
    [{ markets: ["usa"] }, "markets[0]", "ISO 3166-1 alpha-2"],
  ] as [Partial<CampaignDraft>, string, string][])("refuses %j naming the field %s", (change, field, message) => {
    const result = validateCampaignDraft({ ...DRAFT, ...change }, { id: "spring-drop", timeZone: "UTC" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({ field, message: expect.stringContaining(message) as string });
  });

  it("refuses the same product held twice, and ids the pages' URLs use", () => {
    const twice = validateCampaignDraft({ ...DRAFT, holds: [{ product: "1", units: 0 }, { product: "gid://shopify/Product/1", units: 3 }] }, { id: "a", timeZone: "UTC" });
    expect(twice.ok ? [] : twice.errors).toEqual([{ field: "holds[1]", message: "holds the same product as holds[0]; change the units there instead" }]);
    const reserved = validateCampaignDraft(DRAFT, { id: "new", timeZone: "UTC" });
    expect(reserved.ok ? [] : reserved.errors.map((error) => error.field)).toEqual(["id"]);
  });

  it("makes ids from names, unique in the shop", () => {
    expect(slugify("Spring Drop — TikTok!")).toBe("spring-drop-tiktok");
    expect(slugify("Été 2026 · Crème")).toBe("ete-2026-creme");
    expect(slugify("!!!")).toBe("campaign");
    expect(uniqueId("spring-drop", new Set(["spring-drop", "spring-drop-2"]))).toBe("spring-drop-3");
    expect(uniqueId("fresh", new Set())).toBe("fresh");
  });
});
