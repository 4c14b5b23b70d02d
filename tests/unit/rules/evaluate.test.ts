import { describe, expect, it } from "vitest";
import type { ChannelId } from "../../../app/domain/channels/types";
import { evaluate, evaluateChannels, inventoryOf, type Campaign, type Offer, type Rules } from "../../../app/domain/rules";
import { campaignsOf, item, metafield, NOW, preOrderPlan, rulesOf, type ItemSpec } from "./fixtures";

interface Case {
  name: string;
  item: ItemSpec;
  rules?: Rules;
  campaigns?: Campaign[];
  channels: ChannelId[];
  at?: string;
  market?: string;
  expect: Partial<Record<ChannelId, Partial<Offer>>>;
  /** Reasons that must appear (each a regular expression matched against `reason`). */
  explains?: Partial<Record<ChannelId, RegExp[]>>;
}

const VARIANT = "gid://shopify/ProductVariant/900101";
const TIKTOK_SPRING = { id: "spring", name: "Spring drop", channels: ["tiktok"] as ChannelId[] };

const CASES: Case[] = [
  {
    name: "stock at several locations is summed and offered in full to the only channel",
    item: { levels: [30, 12, 0] },
    channels: ["meta"],
    expect: { meta: { availability: "in_stock", quantity: 42, availabilityDate: null, message: "In stock" } },
    explains: { meta: [/^42 available at 2 locations/] },
  },
  {
    name: "a market counts only the locations that serve it",
    item: { levels: [30, 12] },
    rules: rulesOf({ markets: { US: { locations: ["gid://shopify/Location/2"] } } }),
    channels: ["meta"],
    expect: { meta: { quantity: 12 } },
    explains: { meta: [/12 available at 1 location serving US/] },
  },
  {
    name: "a location sold below zero nets against the others, and a low count says so",
    item: { levels: [5, -2] },
    channels: ["meta"],
    expect: { meta: { availability: "in_stock", quantity: 3, message: "Only 3 left" } },
  },
  {
    name: "negative stock with DENY is out of stock at 0, never a negative quantity",
    item: { levels: [-3], policy: "DENY" },
    channels: ["meta", "google"],
    expect: { meta: { availability: "out_of_stock", quantity: 0, message: "Out of stock" }, google: { availability: "out_of_stock", quantity: 0 } },
    explains: { meta: [/3 sold beyond stock/, /Shopify stops selling it at 0/] },
  },
  {
    name: "untracked stock is in stock without a count",
    item: { tracked: false, levels: [] },
    channels: ["meta", "tiktok"],
    expect: { meta: { availability: "in_stock", quantity: null, message: "In stock" }, tiktok: { availability: "in_stock", quantity: null } },
    explains: { meta: [/does not track/] },
  },
  {
    name: "untracked stock with a cap is offered as the cap",
    item: { tracked: false, levels: [] },
    rules: rulesOf({ rules: [{ id: "cap", scope: "shop", channels: { tiktok: { cap: 4 } } }] }),
    channels: ["meta", "tiktok"],
    expect: { meta: { quantity: null }, tiktok: { availability: "in_stock", quantity: 4, message: "Only 4 left" } },
  },
  {
    name: "the shared pool is divided, not duplicated, with largest-remainder rounding",
    item: { levels: [10] },
    channels: ["meta", "tiktok", "google"],
    expect: { meta: { quantity: 4 }, tiktok: { quantity: 3 }, google: { quantity: 3 } },
    explains: { meta: [/10 shared across 3 channels → 4/] },
  },
  {
    name: "weights give a channel a bigger share",
    item: { levels: [12] },
    rules: rulesOf({ rules: [{ id: "weights", scope: "shop", channels: { tiktok: { weight: 2 } } }] }),
    channels: ["meta", "tiktok"],
    expect: { meta: { quantity: 4 }, tiktok: { quantity: 8 } },
    explains: { tiktok: [/by weight \(meta 1, tiktok 2\) → 8/] },
  },
  {
    name: "a capped channel's overflow goes to the others",
    item: { levels: [30] },
    rules: rulesOf({ rules: [{ id: "google-cap", scope: "shop", channels: { google: { cap: 2 } } }] }),
    channels: ["meta", "tiktok", "google"],
    expect: { meta: { quantity: 14 }, tiktok: { quantity: 14 }, google: { quantity: 2, message: "Only 2 left" } },
    explains: { google: [/capped at 2 on google \(rule 'google-cap'\)/] },
  },
  {
    name: "the web store keeps the larger of units and percent, rounded up",
    item: { levels: [42] },
    rules: rulesOf({ rules: [{ id: "shop", scope: "shop", reserve: { units: 3, percent: 10 } }] }),
    channels: ["meta"],
    expect: { meta: { quantity: 37 } },
    explains: { meta: [/5 reserved for the web store \(the larger of 3 units and 10% of 42, rule 'shop'\)/] },
  },
  {
    name: "at or below the floor, channels get 0",
    item: { levels: [2] },
    rules: rulesOf({ rules: [{ id: "floor", scope: "shop", floor: 2 }] }),
    channels: ["meta", "tiktok"],
    expect: { meta: { availability: "out_of_stock", quantity: 0 }, tiktok: { availability: "out_of_stock", quantity: 0 } },
    explains: { meta: [/at or below the floor of 2 \(rule 'floor'\)/] },
  },
  {
    name: "a per-channel floor zeroes that channel and the others share the pool",
    item: { levels: [6] },
    rules: rulesOf({ rules: [{ id: "floor", scope: "shop", channels: { tiktok: { floor: 10 } } }] }),
    channels: ["meta", "tiktok"],
    expect: { meta: { quantity: 6 }, tiktok: { availability: "out_of_stock", quantity: 0 } },
  },
  {
    name: "overlapping campaigns are granted in start order; the later one gets what is left",
    item: { levels: [20] },
    campaigns: campaignsOf([
      { ...TIKTOK_SPRING, startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-10T00:00:00Z", holds: [{ variant: VARIANT, units: 8 }] },
      { id: "creator", name: "Creator post", channels: ["meta"], startsAt: "2026-03-02T00:00:00Z", endsAt: "2026-03-09T00:00:00Z", holds: [{ product: "9001", units: 15 }] },
    ]),
    channels: ["meta", "tiktok", "google"],
    expect: { tiktok: { quantity: 8 }, meta: { quantity: 12 }, google: { availability: "out_of_stock", quantity: 0 } },
    explains: { meta: [/8 held for campaign 'Spring drop' on tiktok/, /12 of 15 held for campaign 'Creator post' on meta \(over-reserved: only 12 were left\)/] },
  },
  {
    name: "a campaign on two channels splits its hold between them",
    item: { levels: [10] },
    campaigns: campaignsOf([{ id: "duo", name: "Duo", channels: ["meta", "tiktok"], startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-10T00:00:00Z", holds: [{ variant: VARIANT, units: 5 }] }]),
    channels: ["meta", "tiktok", "pinterest"],
    expect: { meta: { quantity: 3 + 2 }, tiktok: { quantity: 2 + 2 }, pinterest: { quantity: 1 } },
  },
  {
    name: "window edge across time zones: one millisecond before the start (written in -05:00, asked in +01:00) holds nothing",
    item: { levels: [10] },
    campaigns: campaignsOf([{ ...TIKTOK_SPRING, startsAt: "2026-03-02T09:00:00-05:00", endsAt: "2026-03-03T06:00:00+09:00", holds: [{ variant: VARIANT, units: 6 }] }]),
    channels: ["meta", "tiktok"],
    at: "2026-03-02T14:59:59.999+01:00",
    expect: { meta: { quantity: 5 }, tiktok: { quantity: 5 } },
  },
  {
    name: "window edge across time zones: the start instant (14:00Z written two ways) holds",
    item: { levels: [10] },
    campaigns: campaignsOf([{ ...TIKTOK_SPRING, startsAt: "2026-03-02T09:00:00-05:00", endsAt: "2026-03-03T06:00:00+09:00", holds: [{ variant: VARIANT, units: 6 }] }]),
    channels: ["meta", "tiktok"],
    at: "2026-03-02T15:00:00+01:00",
    expect: { meta: { quantity: 2 }, tiktok: { quantity: 6 + 2 } },
  },
  {
    name: "window edge across time zones: the end (06:00+09:00 = 21:00Z) is excluded",
    item: { levels: [10] },
    campaigns: campaignsOf([{ ...TIKTOK_SPRING, startsAt: "2026-03-02T09:00:00-05:00", endsAt: "2026-03-03T06:00:00+09:00", holds: [{ variant: VARIANT, units: 6 }] }]),
    channels: ["meta", "tiktok"],
    at: "2026-03-02T22:00:00+01:00",
    expect: { meta: { quantity: 5 }, tiktok: { quantity: 5 } },
  },
  {
    name: "a pre-order sells its cap minus what was pre-ordered (negative stock), dated from the selling plan",
    item: { levels: [-5], policy: "CONTINUE", sellingPlanGroups: [preOrderPlan("2026-12-16T00:00:00Z")] },
    rules: rulesOf({ rules: [{ id: "preorders", scope: "shop", preorder: { cap: 20 } }] }),
    channels: ["meta"],
    expect: { meta: { availability: "preorder", quantity: 15, availabilityDate: "2026-12-16T00:00:00Z", message: "Pre-order: ships by 16 Dec 2026" } },
    explains: { meta: [/pre-order cap 20 \(rule 'preorders'\) − 5 already pre-ordered = 15 sellable/] },
  },
  {
    name: "an exhausted pre-order cap is out of stock",
    item: { levels: [-20], policy: "CONTINUE", sellingPlanGroups: [preOrderPlan("2026-12-16T00:00:00Z")] },
    rules: rulesOf({ rules: [{ id: "preorders", scope: "shop", preorder: { cap: 20 } }] }),
    channels: ["meta", "tiktok"],
    expect: { meta: { availability: "out_of_stock", quantity: 0, availabilityDate: null, message: "Out of stock" }, tiktok: { availability: "out_of_stock", quantity: 0 } },
    explains: { meta: [/the pre-order cap is used up/] },
  },
  {
    name: "the cap metafield beats the rule's pre-order cap",
    item: { levels: [0], policy: "CONTINUE", sellingPlanGroups: [preOrderPlan("2026-12-16T00:00:00Z")], variantMetafields: [metafield("shelfcast.preorder_cap", "4", "number_integer")] },
    rules: rulesOf({ rules: [{ id: "preorders", scope: "shop", preorder: { cap: 20 } }] }),
    channels: ["meta"],
    expect: { meta: { quantity: 4 } },
  },
  {
    name: "a pre-order without a cap is not offered: never an unbounded number",
    item: { levels: [0], policy: "CONTINUE", sellingPlanGroups: [preOrderPlan("2026-12-16T00:00:00Z")] },
    channels: ["meta"],
    expect: { meta: { availability: "out_of_stock", quantity: 0 } },
    explains: { meta: [/no pre-order cap is set/] },
  },
  {
    name: "a date more than a year ahead: Google gets out of stock, the others a pre-order, and Google's share is not lost",
    item: { levels: [0], policy: "CONTINUE", productMetafields: [metafield("shelfcast.preorder_release", "2027-06-01")] },
    rules: rulesOf({ rules: [{ id: "preorders", scope: "shop", preorder: { cap: 10 } }] }),
    channels: ["meta", "google", "pinterest", "tiktok"],
    expect: {
      google: { availability: "out_of_stock", quantity: 0, availabilityDate: null, message: "Out of stock" },
      meta: { availability: "preorder", quantity: 4, availabilityDate: "2027-06-01T00:00:00Z", message: "Pre-order: ships by 1 Jun 2027" },
      pinterest: { availability: "preorder", quantity: 3 },
      tiktok: { availability: "preorder", quantity: 3 },
    },
    explains: { google: [/Google takes availability dates at most 12 months ahead and 1 Jun 2027 is further/] },
  },
  {
    name: "a date exactly a year ahead is still fine for Google",
    item: { levels: [0], policy: "CONTINUE", productMetafields: [metafield("shelfcast.preorder_release", "2027-03-02T12:00:00Z", "date_time")] },
    rules: rulesOf({ rules: [{ id: "preorders", scope: "shop", preorder: { cap: 10 } }] }),
    channels: ["google"],
    expect: { google: { availability: "preorder", quantity: 10, availabilityDate: "2027-03-02T12:00:00Z" } },
  },
  {
    name: "a rule's release date makes a continue-selling variant a pre-order, and Meta can say 'available for order'",
    item: { levels: [0], policy: "CONTINUE" },
    rules: rulesOf({ preorder: { meta: "available for order" }, rules: [{ id: "drop", scope: { product: "9001" }, preorder: { cap: 6, releaseDate: "2026-05-01" } }] }),
    channels: ["meta", "pinterest"],
    expect: {
      meta: { availability: "backorder", quantity: 3, availabilityDate: "2026-05-01T00:00:00Z", message: "Pre-order: ships by 1 May 2026" },
      pinterest: { availability: "preorder", quantity: 3 },
    },
  },
  {
    name: "a pre-order plan without a date is never a pre-order",
    item: { levels: [0], policy: "CONTINUE", sellingPlanGroups: [preOrderPlan(null, "ON_SALE", "Date to be confirmed")] },
    rules: rulesOf({ rules: [{ id: "preorders", scope: "shop", preorder: { cap: 10 } }] }),
    channels: ["meta", "pinterest"],
    expect: { meta: { availability: "out_of_stock", quantity: 0, availabilityDate: null }, pinterest: { availability: "out_of_stock" } },
    explains: { meta: [/"Date to be confirmed" has no ship date/, /no rule caps how many/] },
  },
  {
    name: "a pre-order plan cannot sell past zero with DENY",
    item: { levels: [0], policy: "DENY", sellingPlanGroups: [preOrderPlan("2026-12-16T00:00:00Z")] },
    rules: rulesOf({ rules: [{ id: "preorders", scope: "shop", preorder: { cap: 10 } }] }),
    channels: ["meta"],
    expect: { meta: { availability: "out_of_stock", quantity: 0 } },
    explains: { meta: [/Continue selling when out of stock/] },
  },
  {
    name: "stock on hand sells first, even with a pre-order plan",
    item: { levels: [4], policy: "CONTINUE", sellingPlanGroups: [preOrderPlan("2026-12-16T00:00:00Z")] },
    rules: rulesOf({ rules: [{ id: "preorders", scope: "shop", preorder: { cap: 10 } }] }),
    channels: ["meta"],
    expect: { meta: { availability: "in_stock", quantity: 4, availabilityDate: null } },
  },
  {
    name: "continue selling without a cap is out of stock on channels",
    item: { levels: [0], policy: "CONTINUE" },
    channels: ["meta"],
    expect: { meta: { availability: "out_of_stock", quantity: 0 } },
    explains: { meta: [/no rule caps how many \(continueSelling\.cap\)/] },
  },
  {
    name: "continue selling with a cap and no restock date: Meta takes it, date-needing channels do not",
    item: { levels: [-2], policy: "CONTINUE" },
    rules: rulesOf({ rules: [{ id: "keep-selling", scope: "shop", continueSelling: { cap: 10 } }] }),
    channels: ["meta", "google", "pinterest", "tiktok"],
    expect: {
      meta: { availability: "backorder", quantity: 8, availabilityDate: null, message: "Available for order" },
      google: { availability: "out_of_stock", quantity: 0 },
      pinterest: { availability: "out_of_stock", quantity: 0 },
      tiktok: { availability: "out_of_stock", quantity: 0 },
    },
    explains: { meta: [/continue selling capped at 10 \(rule 'keep-selling'\) − 2 already sold = 8 sellable; no restock date/], google: [/Google needs an availability date/] },
  },
  {
    name: "continue selling with a restock date: Google backorder, TikTok a pre-sale",
    item: { levels: [0], policy: "CONTINUE", productMetafields: [metafield("shelfcast.restock_date", "2026-04-15")] },
    rules: rulesOf({ rules: [{ id: "keep-selling", scope: "shop", continueSelling: { cap: 4 } }] }),
    channels: ["google", "tiktok"],
    expect: {
      google: { availability: "backorder", quantity: 2, availabilityDate: "2026-04-15T00:00:00Z", message: "Backorder: ships by 15 Apr 2026" },
      tiktok: { availability: "preorder", quantity: 2, availabilityDate: "2026-04-15T00:00:00Z" },
    },
  },
  {
    name: "a product that is not active is out of stock everywhere",
    item: { levels: [30], status: "DRAFT" },
    channels: ["meta", "tiktok"],
    expect: { meta: { availability: "out_of_stock", quantity: 0 }, tiktok: { availability: "out_of_stock", quantity: 0 } },
  },
];

describe("evaluate", () => {
  it.each(CASES)("$name", (test) => {
    const { product, variant } = item(test.item);
    const rules = test.rules ?? rulesOf();
    const now = test.at ? new Date(test.at) : NOW;
    for (const [channel, expected] of Object.entries(test.expect) as [ChannelId, Partial<Offer>][]) {
      const offer = evaluate(rules, { product, variant }, inventoryOf(variant), test.campaigns ?? [], channel, test.market ?? "US", now, { channelsInPlay: test.channels });
      expect(offer, channel).toMatchObject(expected);
      expect(offer.reason).toBe(`${offer.reasons.join("; ")}.`);
      for (const pattern of test.explains?.[channel] ?? []) expect(offer.reason, channel).toMatch(pattern);
    }
  });

  it("adds the asked channel to the channels in play", () => {
    const { product, variant } = item({ levels: [9] });
    const offer = evaluate(rulesOf({ channels: ["meta", "tiktok"] }), { product, variant }, inventoryOf(variant), [], "google", "US", NOW);
    expect(offer.quantity).toBe(3);
  });

  it("takes the channels in play from the rules, else every channel", () => {
    const { product, variant } = item({ levels: [10] });
    expect(evaluate(rulesOf({ channels: ["meta", "tiktok"] }), { product, variant }, inventoryOf(variant), [], "meta", "US", NOW).quantity).toBe(5);
    expect(evaluate(rulesOf(), { product, variant }, inventoryOf(variant), [], "meta", "US", NOW).quantity).toBe(2);
  });

  it("reads the inventory it is given, not the catalog's", () => {
    const { product, variant } = item({ levels: [10] });
    const offer = evaluate(rulesOf(), { product, variant }, { tracked: true, policy: "DENY", levels: [], total: 3 }, [], "meta", "US", NOW, { channelsInPlay: ["meta"] });
    expect(offer).toMatchObject({ quantity: 3, message: "Only 3 left" });
  });

  it("explains the arithmetic in one line per step", () => {
    const { product, variant } = item({ levels: [30, 12] });
    const rules = rulesOf({ rules: [{ id: "shop-default", scope: "shop", reserve: { units: 5 } }] });
    const campaigns = campaignsOf([{ ...TIKTOK_SPRING, startsAt: "2026-03-01T00:00:00Z", endsAt: "2026-03-10T00:00:00Z", holds: [{ variant: VARIANT, units: 10 }] }]);
    const split = evaluateChannels(rules, { product, variant }, inventoryOf(variant), campaigns, ["meta", "tiktok", "google"], "US", NOW);
    expect(split).toMatchObject({ mode: "in_stock", stock: 42, sellable: 42, reservedForWebStore: 5, shared: 27, unallocated: 0 });
    expect(split.holds).toEqual([{ campaignId: "spring", campaignName: "Spring drop", channels: ["tiktok"], asked: 10, granted: 10, byChannel: { tiktok: 10 } }]);
    expect(split.offers.tiktok?.reasons).toEqual([
      "42 available at 2 locations",
      "5 reserved for the web store (5 units, rule 'shop-default')",
      "10 held for campaign 'Spring drop' on tiktok",
      "27 shared across 3 channels → 9",
      "tiktok: 10 held + 9 shared = 19",
    ]);
    expect(split.offers.tiktok?.quantity).toBe(19);
    expect(split.offers.meta?.quantity).toBe(9);
  });

  it("keeps what no channel can take with the web store", () => {
    const { product, variant } = item({ levels: [20] });
    const rules = rulesOf({ rules: [{ id: "cap", scope: "shop", cap: 3 }] });
    const split = evaluateChannels(rules, { product, variant }, inventoryOf(variant), [], ["meta", "tiktok"], "US", NOW);
    expect(split.offers.meta?.quantity).toBe(3);
    expect(split.offers.tiktok?.quantity).toBe(3);
    expect(split.unallocated).toBe(14);
    expect(split.offers.meta?.reason).toMatch(/14 stay with the web store/);
  });
});
