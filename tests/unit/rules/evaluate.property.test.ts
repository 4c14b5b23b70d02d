import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SellingPlanGroup } from "../../../app/domain/catalog/types";
import { CHANNEL_IDS, type ChannelId } from "../../../app/domain/channels/types";
import { evaluateChannels, inventoryOf, type RulesInput } from "../../../app/domain/rules";
import { monthsAfter } from "../../../app/domain/rules/time";
import { campaignsOf, item, metafield, NOW, preOrderPlan, rulesOf } from "./fixtures";

const HOUR = 3_600_000;
const PLAN_DATES = { none: undefined, undated: null, past: "2026-01-15T00:00:00Z", soon: "2026-06-01T00:00:00Z", far: "2027-09-01T00:00:00-07:00" } as const;

const units = (max: number) => fc.nat(max);
const override = fc.record({ cap: units(30), floor: units(10), weight: fc.integer({ min: 0, max: 3 }) }, { requiredKeys: [] });
const channelOverrides = fc.record(Object.fromEntries(CHANNEL_IDS.map((channel) => [channel, override])) as Record<ChannelId, typeof override>, { requiredKeys: [] });
const reserve = fc.oneof(fc.record({ units: units(15) }), fc.record({ percent: fc.integer({ min: 0, max: 100 }) }), fc.record({ units: units(15), percent: fc.integer({ min: 0, max: 100 }) }));
const rule = fc.record(
  {
    scope: fc.constantFrom<NonNullable<RulesInput["rules"]>[number]["scope"]>("shop", { tag: "promo" }, { product: "9001" }, { variant: "900101" }, { tag: "absent" }),
    reserve,
    floor: units(10),
    cap: units(40),
    channels: channelOverrides,
    continueSelling: fc.record({ cap: units(30) }),
    preorder: fc.record({ cap: units(30) }),
  },
  { requiredKeys: ["scope"] },
);

const campaign = fc.record({
  channels: fc.subarray([...CHANNEL_IDS], { minLength: 1 }),
  startHours: fc.integer({ min: -72, max: 72 }),
  hours: fc.integer({ min: 1, max: 120 }),
  units: units(30),
  target: fc.constantFrom("variant", "product", "tag"),
});

const scenario = fc.record({
  levels: fc.array(fc.integer({ min: -30, max: 60 }), { minLength: 1, maxLength: 3 }),
  tracked: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  policy: fc.constantFrom("DENY" as const, "CONTINUE" as const),
  plan: fc.constantFrom(...(Object.keys(PLAN_DATES) as (keyof typeof PLAN_DATES)[])),
  capMetafield: fc.option(units(40), { nil: undefined }),
  rules: fc.array(rule, { maxLength: 3 }),
  metaPreorder: fc.constantFrom("preorder" as const, "available for order" as const),
  campaigns: fc.array(campaign, { maxLength: 4 }),
  inPlay: fc.subarray([...CHANNEL_IDS], { minLength: 1 }),
});

describe("evaluate (property)", () => {
  it("never exposes a negative quantity, and never more across channels than can be sold", () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const date = PLAN_DATES[s.plan];
        const groups: SellingPlanGroup[] = date === undefined ? [] : [preOrderPlan(date)];
        const { product, variant } = item({
          levels: s.levels,
          tracked: s.tracked,
          policy: s.policy,
          tags: ["promo"],
          sellingPlanGroups: groups,
          variantMetafields: s.capMetafield === undefined ? [] : [metafield("shelfcast.preorder_cap", String(s.capMetafield), "number_integer")],
        });
        const rules = rulesOf({ preorder: { meta: s.metaPreorder }, rules: s.rules.map((r, index) => ({ id: `r${index}`, ...r })) });
        const campaigns = campaignsOf(
          s.campaigns.map((c, index) => ({
            id: `c${index}`,
            name: `Campaign ${index}`,
            channels: c.channels,
            startsAt: new Date(NOW.getTime() + c.startHours * HOUR).toISOString(),
            endsAt: new Date(NOW.getTime() + (c.startHours + c.hours) * HOUR).toISOString(),
            holds: [c.target === "variant" ? { variant: "900101", units: c.units } : c.target === "product" ? { product: "9001", units: c.units } : { tag: "promo", units: c.units }],
          })),
        );

        const split = evaluateChannels(rules, { product, variant }, inventoryOf(variant), campaigns, s.inPlay, "US", NOW);
        const offers = s.inPlay.map((channel) => ({ channel, offer: split.offers[channel]! }));
        for (const { channel, offer } of offers) {
          if (offer.quantity === null) expect(s.tracked).toBe(false);
          else {
            expect(Number.isInteger(offer.quantity)).toBe(true);
            expect(offer.quantity).toBeGreaterThanOrEqual(0);
          }
          if (offer.availability === "out_of_stock") {
            expect(offer.availabilityDate).toBeNull();
            expect(offer.message).toBe("Out of stock");
          } else {
            expect(offer.quantity === null || offer.quantity > 0).toBe(true);
          }
          // Never "in stock" when it is not: stock on hand, or untracked.
          if (offer.availability === "in_stock") expect(!s.tracked || s.levels.reduce((a, b) => a + b, 0) > 0).toBe(true);
          // Never a pre-order without a date; dates only where a channel takes them.
          if (offer.availability === "preorder") expect(offer.availabilityDate).not.toBeNull();
          if (offer.availability === "backorder" && channel !== "meta" && channel !== "tiktok-ads") expect(offer.availabilityDate).not.toBeNull();
          if (channel === "google" && offer.availabilityDate) expect(Date.parse(offer.availabilityDate)).toBeLessThanOrEqual(monthsAfter(NOW, 12));
          if (offer.availabilityDate) expect(Date.parse(offer.availabilityDate)).toBeGreaterThan(NOW.getTime());
        }

        if (!s.tracked) return;
        const stock = s.levels.reduce((a, b) => a + b, 0);
        const sum = offers.reduce((total, { offer }) => total + (offer.quantity ?? 0), 0);
        const later = offers.some(({ offer }) => offer.availability === "preorder" || offer.availability === "backorder");
        const caps = [...s.rules.flatMap((r) => [r.preorder?.cap ?? 0, r.continueSelling?.cap ?? 0]), s.capMetafield ?? 0];
        const maxCap = Math.max(0, ...caps);
        expect(sum).toBeLessThanOrEqual(later ? Math.max(0, stock + maxCap) : Math.max(0, stock));
        // The allocation's own books balance: reserve + holds shown or kept + shares + unallocated = sellable.
        if (split.sellable !== null && split.mode !== "out_of_stock") {
          const held = split.holds.reduce((total, hold) => total + hold.granted, 0);
          expect(split.reservedForWebStore + held + split.shared).toBe(split.sellable);
          expect(sum).toBeLessThanOrEqual(split.sellable - split.reservedForWebStore);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
