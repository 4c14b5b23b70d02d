import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../../app/domain/channels/types";
import { describeFeedBuild, describePublishOutcomes, describeSentOffer, describeStatusChanges } from "../../../app/domain/timeline/channel-events";

const AT = new Date("2026-11-22T14:41:00Z");
const PRODUCT = "gid://shopify/Product/42";

function problem(message: string, severity: "error" | "warning" = "error"): Diagnostic {
  return { code: "meta.policy", severity, channel: "meta", market: "US", itemId: "4201", productId: PRODUCT, variantId: null, field: "title", value: null, message, fix: "Fix it", fixTarget: { kind: "shopify-product", productId: PRODUCT }, source: "meta" };
}

describe("what was sent, in words", () => {
  it("reads a Meta item's price, sale price and quantity", () => {
    expect(describeSentOffer("meta", { price: "25.00 USD", sale_price: "19.50 USD", quantity_to_sell_on_facebook: "4", availability: "in stock" })).toBe("price 25.00 USD, sale 19.50 USD, 4 in stock");
    expect(describeSentOffer("meta", { price: "25.00 USD", quantity_to_sell_on_facebook: "0", availability: "out of stock" })).toBe("price 25.00 USD, out of stock");
    expect(describeSentOffer("meta", { price: "25.00 USD", availability: "preorder" })).toBe("price 25.00 USD, preorder");
  });

  it("reads a TikTok Shop product's SKU prices (a range) and total stock", () => {
    const payload = {
      skus: [
        { price: { amount: "25.00", currency: "USD" }, inventory: [{ quantity: 3 }, { quantity: 2 }] },
        { price: { amount: "9.50", currency: "USD" }, inventory: [{ quantity: 7 }] },
      ],
    };
    expect(describeSentOffer("tiktok", payload)).toBe("2 SKUs, 9.50–25.00 USD, 12 in stock");
    expect(describeSentOffer("tiktok", { skus: [{ price: { amount: "5.00", currency: "GBP" }, inventory: [{ quantity: 1 }], pre_sale: { type: "PRE_ORDER" } }] })).toBe("1 SKU, 5.00 GBP, 1 in stock, pre-order");
    expect(describeSentOffer("tiktok", null)).toBe("");
  });
});

describe("publish outcome events", () => {
  const records = [
    { key: "4201", productId: PRODUCT, itemIds: ["4201"], payload: { price: "19.50 USD", quantity_to_sell_on_facebook: "4", availability: "in stock" } },
    { key: "4202", productId: PRODUCT, itemIds: ["4202"], payload: { price: "19.50 USD" } },
    { key: "4203", productId: PRODUCT, itemIds: ["4203"], payload: null },
    { key: "4204", productId: PRODUCT, itemIds: ["4204"], payload: { price: "1.00 USD" } },
    { key: "4205", productId: PRODUCT, itemIds: ["4205"], payload: { price: "1.00 USD" } },
  ];

  it("one event per answered record: sent with the offer, rejected with the channel's reason, removed, given up; retries left out", () => {
    const events = describePublishOutcomes(
      "meta",
      "US",
      records,
      [
        { key: "4201", kind: "live", diagnostics: [] },
        { key: "4202", kind: "rejected", diagnostics: [problem("Images contain a watermark."), problem("Title too long."), problem("Odd colour", "warning")] },
        { key: "4203", kind: "deleted" },
        { key: "4204", kind: "retry", reason: "HTTP 503" },
        { key: "4205", kind: "dead", reason: "Permission missing (8 attempts)" },
        { key: "unknown", kind: "live", diagnostics: [] },
      ],
      AT,
    );
    expect(events.map((event) => [event.kind, event.summary])).toEqual([
      ["publish.sent", "Sent to Meta (price 19.50 USD, 4 in stock)"],
      ["publish.rejected", "Meta rejected it: Images contain a watermark. (and 1 more problem)"],
      ["publish.deleted", "Removed from Meta"],
      ["publish.dead", "Gave up sending to Meta: Permission missing (8 attempts)"],
    ]);
    expect(events.every((event) => event.channel === "meta" && event.productId === PRODUCT && event.at === AT)).toBe(true);
    expect(events[1]!.details).toMatchObject({ market: "US", key: "4202", problems: [{ code: "meta.policy", message: "Images contain a watermark." }, {}, {}] });
  });

  it("counts the channel's warnings on a record it accepted", () => {
    const [event] = describePublishOutcomes("meta", "US", records.slice(0, 1), [{ key: "4201", kind: "live", diagnostics: [problem("Low resolution", "warning")] }], AT);
    expect(event!.summary).toBe("Sent to Meta (price 19.50 USD, 4 in stock); 1 warning");
  });
});

describe("channel status and feed build events", () => {
  it("words a verdict change and a record the channel no longer holds", () => {
    const events = describeStatusChanges(
      "tiktok",
      "US",
      [
        { key: "g1", productId: PRODUCT, itemIds: ["1"], from: "live", to: "rejected", diagnostics: [problem("Listing frozen by TikTok.")] },
        { key: "g2", productId: PRODUCT, itemIds: ["2"], from: "rejected", to: "live", diagnostics: [] },
        { key: "g3", productId: PRODUCT, itemIds: ["3"], from: null, to: "missing", diagnostics: [] },
      ],
      AT,
    );
    expect(events.map((event) => event.summary)).toEqual(["TikTok Shop now refuses it: Listing frozen by TikTok.", "TikTok Shop approved it: live again", "Not found on TikTok Shop any more"]);
    expect(events[0]).toMatchObject({ kind: "channel.status", channel: "tiktok", details: { from: "live", to: "rejected" } });
  });

  it("a feed build is shop-wide and says how its counts moved", () => {
    const tally = { itemsTotal: 2100, itemsReady: 2031, itemsWithErrors: 62, itemsExcluded: 7, itemsWithWarnings: 300 };
    const first = describeFeedBuild("google", "US", tally, null, { buildId: "b1" }, AT);
    expect(first).toMatchObject({ productId: null, channel: "google", kind: "feed.built", summary: "Google feed (US) built: 2,031 ready, 62 with errors, 7 excluded" });
    const next = describeFeedBuild("google", "US", tally, { itemsTotal: 2100, itemsReady: 2019, itemsWithErrors: 74, itemsExcluded: 7 }, {}, AT);
    expect(next.summary).toBe("Google feed (US) built: 2,031 ready (+12), 62 with errors (−12), 7 excluded");
  });
});

describe("settings events", () => {
  it("a mapping save names the channel, the market and the first changes", async () => {
    const { describeMappingSave, describeRulesSave, describeSectionChanges } = await import("../../../app/domain/timeline/settings-events");
    const event = describeMappingSave({ channel: "google", market: "*", revision: 4, sentences: ["Title: 1 rule added", "New exclude filter: tag has \"x\"", "Brand: 1 rule removed"], at: AT });
    expect(event).toMatchObject({ productId: null, channel: "google", kind: "mapping.changed", summary: 'Google mapping rules saved (all markets): Title: 1 rule added; New exclude filter: tag has "x"; and 1 more' });
    expect(describeMappingSave({ channel: "meta", market: "US", revision: 1, sentences: [], at: AT }).summary).toBe("Meta mapping rules saved (US): no change in effect");
    expect(describeSectionChanges({ version: 1, caps: { a: 1 }, reserves: [1], lowStockAt: 2 }, { version: 1, caps: { a: 1 }, reserves: [2], channels: ["meta"] })).toEqual(["channels added", "lowStockAt removed", "reserves changed"]);
    expect(describeSectionChanges(null, { version: 1 })).toEqual([]);
    expect(describeRulesSave({ what: "Stock rules", revision: 2, sentences: ["reserves changed"], at: AT })).toMatchObject({ kind: "rules.changed", summary: "Stock rules saved (revision 2): reserves changed", channel: null });
  });
});
