import { describe, expect, it } from "vitest";
import { evaluateReadiness, READINESS_CODES, type ReadinessInput, type VariantReadinessInput } from "../../../app/domain/readiness";
import { PROMOTED_WITHOUT_RESERVATION } from "../../../app/domain/rules";

const PRODUCT = { id: "gid://shopify/Product/1", title: "Linen Shirt", status: "ACTIVE" as const };
const USD = (amount: string) => ({ amount, currencyCode: "USD" });

function variant(overrides: Partial<VariantReadinessInput> = {}, id = 101, title = "Default Title"): VariantReadinessInput {
  return {
    variantId: `gid://shopify/ProductVariant/${id}`,
    title,
    excludedReason: null,
    problems: [],
    offer: { quantity: 4, availability: "in_stock", message: "Only 4 left" },
    channelPrice: USD("24.00"),
    storefrontPrice: USD("24.00"),
    otherChannelPrices: [],
    feedErrors: [],
    record: null,
    channelProblems: [],
    ...overrides,
  };
}

function input(overrides: Partial<ReadinessInput> = {}): ReadinessInput {
  return {
    channel: "tiktok-ads",
    channelLabel: "TikTok ads",
    product: PRODUCT,
    variants: [variant()],
    delivery: { kind: "feed", apiAvailable: false },
    feed: { builtAt: "2026-03-02T11:00:00Z", rebuilding: false, productChangedSinceBuild: false },
    ...overrides,
  };
}

const promotionError = {
  code: PROMOTED_WITHOUT_RESERVATION,
  severity: "error" as const,
  message: "Promoted on TikTok Shop (campaign 'TikTok post') with nothing reserved: no campaign hold, no web-store buffer and no pre-order, so the promotion can sell out the store.",
  fix: "Hold units for it in a campaign on tiktok that is running now, set a reserve or floor in a stock rule that covers it, or make it a pre-order with a date; or remove the promotion tag.",
  fixTarget: { kind: "shopify-variant" as const, productId: PRODUCT.id, variantId: "gid://shopify/ProductVariant/101" },
};

describe("readiness of a product on a channel", () => {
  it("is Ready when every check passes", () => {
    expect(evaluateReadiness(input())).toEqual({ verdict: "ready", reasons: [], notes: [] });
  });

  // One row per way to be blocked: the change to a ready product, and the reason code it gives.
  const blockedCases: [string, Partial<ReadinessInput>, string][] = [
    ["not in the catalog", { product: null, variants: [] }, READINESS_CODES.notInCatalog],
    ["a draft product", { product: { ...PRODUCT, status: "DRAFT" } }, READINESS_CODES.productNotActive],
    ["no variant left to promote", { variants: [] }, READINESS_CODES.noVariants],
    ["left out by the mapping filters", { variants: [variant({ excludedReason: "the product type is excluded" })] }, READINESS_CODES.excluded],
    ["promoted without a hold, buffer or pre-order", { variants: [variant({ problems: [promotionError] })] }, PROMOTED_WITHOUT_RESERVATION],
    [
      "an error from the channel's checks",
      { variants: [variant({ problems: [{ code: "tiktok.category_missing", severity: "error", message: "No TikTok category.", fix: "Map the category.", fixTarget: { kind: "mapping", channel: "tiktok", field: "channelCategoryId" } }] })] },
      "tiktok.category_missing",
    ],
    ["offered as out of stock", { variants: [variant({ offer: { quantity: 0, availability: "out_of_stock", message: "Out of stock" } })] }, READINESS_CODES.nothingOffered],
    ["no price for the market", { variants: [variant({ channelPrice: null })] }, READINESS_CODES.priceMissing],
    ["a price other than the storefront's", { variants: [variant({ channelPrice: USD("30.00") })] }, READINESS_CODES.priceMismatch],
    [
      "a price other than another channel's, without a storefront price",
      { variants: [variant({ storefrontPrice: null, otherChannelPrices: [{ channel: "meta", label: "Meta", price: USD("22.00") }] })] },
      READINESS_CODES.priceDiffersAcrossChannels,
    ],
    ["no feed built yet", { feed: { builtAt: null, rebuilding: false, productChangedSinceBuild: false } }, READINESS_CODES.noFeed],
    [
      "left out of the current feed for a problem fixed since",
      { variants: [variant({ feedErrors: [{ ...promotionError }] })], feed: { builtAt: "2026-03-02T11:00:00Z", rebuilding: true, productChangedSinceBuild: false } },
      READINESS_CODES.notInFeed,
    ],
    ["an API channel needing a reconnect", { channel: "tiktok", delivery: { kind: "api", connection: "reconnect" } }, READINESS_CODES.connection],
    ["not sent to the API channel yet", { channel: "tiktok", delivery: { kind: "api", connection: "connected" }, variants: [variant({ record: { state: "missing", lastError: null } })] }, READINESS_CODES.notPublished],
    ["waiting to be sent", { channel: "tiktok", delivery: { kind: "api", connection: "connected" }, variants: [variant({ record: { state: "pending", lastError: null } })] }, READINESS_CODES.publishPending],
    ["rejected by the channel", { channel: "tiktok", delivery: { kind: "api", connection: "connected" }, variants: [variant({ record: { state: "rejected", lastError: "Image too small" } })] }, READINESS_CODES.rejected],
    ["a dead letter", { channel: "tiktok", delivery: { kind: "api", connection: "connected" }, variants: [variant({ record: { state: "dead", lastError: "Permission denied" } })] }, READINESS_CODES.publishFailed],
    [
      "an open error the channel reported",
      {
        channel: "tiktok",
        delivery: { kind: "api", connection: "connected" },
        variants: [variant({ record: { state: "live", lastError: null }, channelProblems: [{ code: "tiktok.audit_failed", severity: "error", message: "Prohibited word", fix: "Edit the title." }] })],
      },
      "tiktok.audit_failed",
    ],
  ];

  it.each(blockedCases)("is Blocked when %s", (_name, change, code) => {
    const result = evaluateReadiness(input(change));
    expect(result.verdict).toBe("blocked");
    expect(result.reasons.map((reason) => reason.code)).toContain(code);
    for (const reason of result.reasons) {
      expect(reason.message.length).toBeGreaterThan(10);
      expect(reason.fix.length).toBeGreaterThan(10);
    }
  });

  it("says the promotion problem in words and links its fix to the Rules page", () => {
    const result = evaluateReadiness(input({ variants: [variant({ problems: [promotionError] })] }));
    expect(result.reasons).toEqual([{ code: PROMOTED_WITHOUT_RESERVATION, message: promotionError.message, fix: promotionError.fix, fixTarget: { kind: "rules" } }]);
  });

  it("is Ready on a live API channel with nothing open", () => {
    const live = evaluateReadiness(input({ channel: "tiktok", channelLabel: "TikTok Shop", delivery: { kind: "api", connection: "connected" }, variants: [variant({ record: { state: "live", lastError: null } })] }));
    expect(live.verdict).toBe("ready");
  });

  it("judges an API channel that is not connected by its feed, and says so", () => {
    const result = evaluateReadiness(input({ channel: "tiktok", channelLabel: "TikTok Shop", delivery: { kind: "feed", apiAvailable: true } }));
    expect(result.verdict).toBe("ready");
    expect(result.notes).toEqual([expect.stringContaining("TikTok Shop is not connected through its API")]);
  });

  it("reports a feed error that is still there once, as itself, not also as 'not in the feed'", () => {
    const result = evaluateReadiness(input({ variants: [variant({ problems: [promotionError], feedErrors: [promotionError] })] }));
    expect(result.reasons.map((reason) => reason.code)).toEqual([PROMOTED_WITHOUT_RESERVATION]);
  });

  it("groups a problem shared by variants into one line naming them", () => {
    const variants = [variant({ problems: [promotionError] }, 101, "S"), variant({ problems: [promotionError] }, 102, "M"), variant({}, 103, "L")];
    const result = evaluateReadiness(input({ variants }));
    expect(result.reasons).toHaveLength(1);
    expect(result.reasons[0]?.message).toBe(`S and 1 more: ${promotionError.message}`);
    const all = evaluateReadiness(input({ variants: variants.slice(0, 2) }));
    expect(all.reasons[0]?.message.startsWith("All 2 variants: ")).toBe(true);
  });

  it("keeps warnings as notes that block nothing", () => {
    const lowStock = { code: "rules.low_stock", severity: "warning" as const, message: "Only 2 units are offered on tiktok-ads while promoted.", fix: "Restock it." };
    const result = evaluateReadiness(input({ variants: [variant({ problems: [lowStock] }, 101, "M")], feed: { builtAt: "2026-03-02T11:00:00Z", rebuilding: true, productChangedSinceBuild: true } }));
    expect(result.verdict).toBe("ready");
    expect(result.notes).toEqual([`M: ${lowStock.message}`, expect.stringContaining("Changed in Shopify after the current TikTok ads feed was built"), expect.stringContaining("being rebuilt")]);
  });

  it("compares prices by amount and currency, not by spelling", () => {
    expect(evaluateReadiness(input({ variants: [variant({ channelPrice: USD("24.0"), storefrontPrice: USD("24.00") })] })).verdict).toBe("ready");
    expect(evaluateReadiness(input({ variants: [variant({ channelPrice: { amount: "24.00", currencyCode: "EUR" } })] })).verdict).toBe("blocked");
  });
});
