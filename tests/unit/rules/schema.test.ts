import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PREORDER_DATE_METAFIELDS } from "../../../app/domain/channels/offer";
import { parseCampaigns, parseRules } from "../../../app/domain/rules";

const FIXTURES = path.resolve(__dirname, "../../fixtures/rules");

function texts(result: ReturnType<typeof parseRules> | ReturnType<typeof parseCampaigns>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.text);
}

describe("parseRules", () => {
  it("reads the example rules file a merchant would write", () => {
    const parsed = parseRules(JSON.parse(readFileSync(path.join(FIXTURES, "rules.json"), "utf8")));
    expect(texts(parsed)).toEqual([]);
    if (!parsed.ok) return;
    expect(parsed.value.rules.map((rule) => rule.scope)).toEqual([
      { level: "shop" },
      { level: "collection", id: "gid://shopify/Collection/501" },
      { level: "productType", name: "Candles" },
      { level: "tag", tag: "pre-order" },
      { level: "variant", id: "gid://shopify/ProductVariant/100102" },
    ]);
  });

  it("fills in the defaults", () => {
    const parsed = parseRules({ version: 1 });
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        rules: [],
        lowStockAt: 5,
        preorder: { releaseDateMetafields: PREORDER_DATE_METAFIELDS, capMetafields: ["shelfcast.preorder_cap"], meta: "preorder" },
        continueSelling: { restockDateMetafields: ["shelfcast.restock_date"] },
        promotion: { campaignTagPrefix: "campaign:" },
      },
    });
    expect(parsed.ok && parsed.value.promotion.channelTags["social:tiktok"]).toEqual(["tiktok", "tiktok-ads"]);
    expect(parsed.ok && parsed.value.channels).toBeUndefined();
  });

  it("names the rule (by id) and the field of every problem", () => {
    const parsed = parseRules({
      version: 1,
      rules: [
        { id: "shop-default", scope: "shop", reserve: { percent: 150 } },
        { id: "limited-edition", scope: { tag: "limited" }, cap: -1 },
        { id: "two-things", scope: { tag: "a", product: "12" } },
        { id: "typo", scope: "shop", flor: 2 },
        { id: "tiktok", scope: "shop", channels: { myspace: { cap: 1 } } },
      ],
    });
    expect(texts(parsed)).toEqual([
      'rules[0] ("shop-default").reserve.percent: expected a percentage from 0 to 100, got 150',
      'rules[1] ("limited-edition").cap: expected a whole number of units (0 or more), got -1',
      'rules[2] ("two-things").scope: a rule covers one thing; got tag and product (write one rule each)',
      expect.stringMatching(/^rules\[3\] \("typo"\): unknown key "flor"; allowed keys are .*floor/),
      'rules[4] ("tiktok").channels: unknown key "myspace"; channels are meta, tiktok, tiktok-ads, pinterest, google',
    ]);
  });

  it("names a rule without an id by its position", () => {
    expect(texts(parseRules({ version: 1, rules: [{ scope: "shop" }] }))).toEqual(["rules[0].id: required"]);
  });

  it("rejects ids used twice, ids of the wrong type and a missing version", () => {
    expect(texts(parseRules({ version: 1, rules: [{ id: "a", scope: "shop" }, { id: "a", scope: "shop" }] }))).toEqual(['rules[1] ("a").id: "a" is already the id of rules[0]; ids must be unique']);
    expect(texts(parseRules({ version: 1, rules: [{ id: "p", scope: { product: "gid://shopify/Collection/1" } }] }))[0]).toMatch(/^rules\[0\] \("p"\)\.scope\.product: expected a Product id such as 4123456789/);
    expect(texts(parseRules({ rules: [] }))[0]).toMatch(/^version: version must be 1/);
  });

  it("accepts numeric ids and turns them into GIDs", () => {
    const parsed = parseRules({ version: 1, rules: [{ id: "v", scope: { variant: 45100000000123 }, cap: 1 }], markets: { US: { locations: ["77"] } } });
    expect(parsed.ok && parsed.value.rules[0]?.scope).toEqual({ level: "variant", id: "gid://shopify/ProductVariant/45100000000123" });
    expect(parsed.ok && parsed.value.markets?.US?.locations).toEqual(["gid://shopify/Location/77"]);
  });

  it("checks release dates are real days", () => {
    expect(texts(parseRules({ version: 1, rules: [{ id: "drop", scope: "shop", preorder: { releaseDate: "2027-02-30" } }] }))[0]).toMatch(/^rules\[0\] \("drop"\)\.preorder\.releaseDate: expected a date/);
    const ok = parseRules({ version: 1, rules: [{ id: "drop", scope: "shop", preorder: { cap: 5, releaseDate: "2027-01-12" } }] });
    expect(ok.ok && ok.value.rules[0]?.preorder?.releaseDate).toBe("2027-01-12T00:00:00Z");
  });
});

describe("parseCampaigns", () => {
  it("reads the example campaigns file", () => {
    const parsed = parseCampaigns(JSON.parse(readFileSync(path.join(FIXTURES, "campaigns.json"), "utf8")));
    expect(texts(parsed)).toEqual([]);
    if (!parsed.ok) return;
    const [spring] = parsed.value.campaigns;
    expect(spring?.window).toEqual({ start: Date.parse("2026-03-01T14:00:00Z"), end: Date.parse("2026-03-16T04:59:00Z") });
    expect(spring?.holds).toEqual([
      { target: { kind: "tag", tag: "campaign:spring-drop" }, units: 2 },
      { target: { kind: "variant", id: "gid://shopify/ProductVariant/100101" }, units: 10 },
    ]);
  });

  it("insists on a time zone offset: windows are instants", () => {
    const parsed = parseCampaigns({
      version: 1,
      campaigns: [{ id: "spring", name: "Spring", channels: ["tiktok"], startsAt: "2026-03-01T09:00:00", endsAt: "2026-03-02T09:00:00Z", holds: [] }],
    });
    expect(texts(parsed)).toEqual(['campaigns[0] ("spring").startsAt: expected an ISO 8601 date-time with its offset, e.g. 2026-03-01T09:00:00-05:00, got "2026-03-01T09:00:00" (add the time zone offset: Z or +01:00)']);
  });

  it("names the campaign and field: end before start, units, channels, targets", () => {
    const parsed = parseCampaigns({
      version: 1,
      campaigns: [
        { id: "backwards", name: "Backwards", channels: ["meta"], startsAt: "2026-03-02T00:00:00+01:00", endsAt: "2026-03-01T23:00:00Z", holds: [] },
        { id: "bad-holds", name: "Bad holds", channels: ["meta", "meta"], startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-02T00:00:00Z", holds: [{ variant: "1", units: 2.5 }, { units: 1 }] },
      ],
    });
    expect(texts(parsed)).toEqual([
      'campaigns[0] ("backwards").endsAt: must be after startsAt (2026-03-02T00:00:00+01:00)',
      'campaigns[1] ("bad-holds").channels: each channel may appear once',
      'campaigns[1] ("bad-holds").holds[0].units: expected a whole number of units (0 or more), got 2.5',
      'campaigns[1] ("bad-holds").holds[1]: say what is held: "variant", "product" or "tag"',
    ]);
  });
});
