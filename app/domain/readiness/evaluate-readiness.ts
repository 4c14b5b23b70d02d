/**
 * The readiness verdict for one product on one channel (issue 6): Ready, or Blocked with reasons a
 * marketer can act on, each with its fix. A product is ready when, for every variant the campaign
 * covers:
 *
 *  1. it is in the catalog and active;
 *  2. the channel takes it (not filtered out) and Shelfcast's checks find no error, including the
 *     stock rules' promotion check (a hold, a buffer or a dated pre-order);
 *  3. something is offered (a shopper can buy it there);
 *  4. the price a shopper pays there is the storefront's (and, without a storefront price to
 *     compare, the same as on the campaign's other channels);
 *  5. the channel has it: API channels (Meta, TikTok Shop, when connected) hold the record live with
 *     no open error from the channel; feed channels carry it in the feed they fetch now.
 *
 * Pure: the caller gathers the inputs (readiness-board.ts). Reasons are grouped by code, so three
 * variants with the same problem read as one line.
 */
import type { Money } from "../catalog/types";
import { PROMOTED_WITHOUT_RESERVATION } from "../rules/promotion";
import { REBUILDING_NOTE, type ReadinessFixTarget, type ReadinessInput, type ReadinessProblem, type ReadinessReason, type ReadinessResult, type VariantReadinessInput } from "./types";

export const READINESS_CODES = {
  notInCatalog: "readiness.not_in_catalog",
  productNotActive: "readiness.product_not_active",
  noVariants: "readiness.no_variants",
  excluded: "readiness.excluded",
  nothingOffered: "readiness.nothing_offered",
  priceMissing: "readiness.price_missing",
  priceMismatch: "readiness.price_mismatch",
  priceDiffersAcrossChannels: "readiness.price_differs_across_channels",
  connection: "readiness.connection",
  notPublished: "readiness.not_published",
  publishPending: "readiness.publish_pending",
  rejected: "readiness.rejected",
  publishFailed: "readiness.publish_failed",
  beingRemoved: "readiness.being_removed",
  noFeed: "readiness.no_feed",
  notInFeed: "readiness.not_in_feed",
} as const;

interface Group {
  reason: Omit<ReadinessReason, "message"> & { message: string };
  variants: string[];
}

function formatMoney(money: Money): string {
  return `${money.amount} ${money.currencyCode}`;
}

function samePrice(a: Money, b: Money): boolean {
  return a.currencyCode === b.currencyCode && Math.round(Number(a.amount) * 100) === Math.round(Number(b.amount) * 100);
}

function variantName(variant: VariantReadinessInput): string {
  return variant.title === "Default Title" || variant.title.trim() === "" ? "" : variant.title;
}

export function evaluateReadiness(input: ReadinessInput): ReadinessResult {
  const { channel, channelLabel: label, product } = input;
  if (!product) {
    return blocked([
      {
        code: READINESS_CODES.notInCatalog,
        message: "This product is not in Shelfcast's copy of the catalog: it was deleted in Shopify, or the catalog has not synced it yet.",
        fix: "Sync the catalog from the dashboard, or take the product out of the campaign.",
      },
    ]);
  }
  const productTarget: ReadinessFixTarget = { kind: "shopify-product", productId: product.id };
  if (product.status !== "ACTIVE") {
    return blocked([
      {
        code: READINESS_CODES.productNotActive,
        message: `The product is ${product.status.toLowerCase()} in Shopify, so no channel lists it.`,
        fix: "Set the product to Active in Shopify.",
        fixTarget: productTarget,
      },
    ]);
  }
  if (input.variants.length === 0) {
    return blocked([
      {
        code: READINESS_CODES.noVariants,
        message: "None of the variants the campaign names exists in the product any more.",
        fix: "Tag the product's current variants in the campaign.",
        fixTarget: productTarget,
      },
    ]);
  }

  const groups = new Map<string, Group>();
  const notes = new Set<string>();
  const add = (variant: VariantReadinessInput | null, reason: ReadinessReason) => {
    const group = groups.get(reason.code);
    if (group) {
      if (variant) group.variants.push(variantName(variant));
      return;
    }
    groups.set(reason.code, { reason, variants: variant ? [variantName(variant)] : [] });
  };

  const api = input.delivery.kind === "api" ? input.delivery : null;
  if (api && api.connection !== "connected") {
    add(null, {
      code: READINESS_CODES.connection,
      message: api.connection === "reconnect" ? `${label} refused Shelfcast's access: nothing is published there until it is reconnected.` : `${label}'s authorisation is not finished: nothing is published there yet.`,
      fix: `Connect ${label} again in Settings.`,
      fixTarget: { kind: "connection", channel },
    });
  }
  if (!api && input.feed.builtAt === null) {
    add(null, { code: READINESS_CODES.noFeed, message: `No ${label} feed has been built yet.`, fix: "Rebuild feeds on the Channels page.", fixTarget: { kind: "channels" } });
  }

  for (const variant of input.variants) {
    const variantTarget: ReadinessFixTarget = { kind: "shopify-variant", productId: product.id, variantId: variant.variantId };
    if (variant.excludedReason !== null) {
      add(variant, {
        code: READINESS_CODES.excluded,
        message: `Left out of ${label} by your mapping filters: ${variant.excludedReason}`,
        fix: `Change the filter in ${label}'s mapping, or take it out of the campaign.`,
        fixTarget: { kind: "mapping", channel, field: "filters" },
      });
      continue;
    }

    const liveErrors = variant.problems.filter((problem) => problem.severity === "error");
    for (const problem of liveErrors) {
      add(variant, {
        code: problem.code,
        message: problem.message,
        fix: problem.fix,
        // The promotion check is fixed with a stock rule (a buffer) or a campaign hold, not in Shopify.
        ...(problem.code === PROMOTED_WITHOUT_RESERVATION ? { fixTarget: { kind: "rules" } as const } : problem.fixTarget ? { fixTarget: problem.fixTarget } : {}),
      });
    }
    for (const problem of variant.problems) if (problem.severity === "warning") notes.add(withVariant(variant, problem.message));

    if (variant.offer.quantity === 0 || variant.offer.availability === "out_of_stock") {
      add(variant, {
        code: READINESS_CODES.nothingOffered,
        message: `Offered as out of stock on ${label}${variant.offer.message ? ` ("${variant.offer.message}")` : ""}: shoppers cannot buy it there.`,
        fix: "Restock it, hold units for the campaign, or make it a pre-order with a date.",
        fixTarget: variantTarget,
      });
    }

    if (variant.channelPrice === null) {
      add(variant, { code: READINESS_CODES.priceMissing, message: `${label} gets no price for it in this market.`, fix: "Give the variant a price for the market (Shopify Markets price list).", fixTarget: variantTarget });
    } else if (variant.storefrontPrice !== null) {
      if (!samePrice(variant.channelPrice, variant.storefrontPrice)) {
        add(variant, {
          code: READINESS_CODES.priceMismatch,
          message: `${label} shows ${formatMoney(variant.channelPrice)}, the storefront ${formatMoney(variant.storefrontPrice)}.`,
          fix: "Check the variant's price, compare-at price and market price list in Shopify.",
          fixTarget: variantTarget,
        });
      }
    } else {
      const different = variant.otherChannelPrices.find((other) => other.price !== null && !samePrice(other.price, variant.channelPrice as Money));
      if (different?.price) {
        add(variant, {
          code: READINESS_CODES.priceDiffersAcrossChannels,
          message: `${label} shows ${formatMoney(variant.channelPrice)}, ${different.label} ${formatMoney(different.price)}.`,
          fix: "Check the variant's price and market price lists in Shopify.",
          fixTarget: variantTarget,
        });
      }
    }

    if (api) {
      if (api.connection === "connected") publishReasons(variant, label, add);
      for (const problem of variant.channelProblems) {
        if (problem.severity === "error") add(variant, { code: problem.code, message: `${label} reports: ${problem.message}`, fix: problem.fix, ...(problem.fixTarget ? { fixTarget: problem.fixTarget } : {}) });
      }
    } else if (input.feed.builtAt !== null && variant.feedErrors.length > 0) {
      feedReasons(variant, liveErrors, input, add);
    }
  }

  if (input.delivery.kind === "feed" && input.delivery.apiAvailable) notes.add(`${label} is not connected through its API, so it is judged by its feed. Connect it in Settings to publish changes within seconds.`);
  if (input.feed.productChangedSinceBuild && input.delivery.kind === "feed") notes.add(`Changed in Shopify after the current ${label} feed was built: the next build carries the change.`);
  if (input.feed.rebuilding) notes.add(REBUILDING_NOTE);

  const total = input.variants.length;
  const reasons = [...groups.values()].map(({ reason, variants }) => ({ ...reason, message: prefixVariants(variants, total, reason.message) }));
  return reasons.length > 0 ? { verdict: "blocked", reasons, notes: [...notes] } : { verdict: "ready", reasons: [], notes: [...notes] };
}

function publishReasons(variant: VariantReadinessInput, label: string, add: (variant: VariantReadinessInput | null, reason: ReadinessReason) => void): void {
  const record = variant.record ?? { state: "missing" as const, lastError: null };
  const channels: ReadinessFixTarget = { kind: "channels" };
  switch (record.state) {
    case "live":
      return;
    case "missing":
      add(variant, { code: READINESS_CODES.notPublished, message: `Not on ${label} yet: it goes out with the next publish.`, fix: "Wait for the publish, or choose Publish now on the Channels page.", fixTarget: channels });
      return;
    case "pending":
      add(variant, {
        code: READINESS_CODES.publishPending,
        message: `Changes are waiting to be sent to ${label}${record.lastError ? ` (last attempt: ${record.lastError})` : ""}.`,
        fix: "Wait for the publish, or choose Publish now on the Channels page.",
        fixTarget: channels,
      });
      return;
    case "rejected":
      add(variant, { code: READINESS_CODES.rejected, message: `${label} rejected it${record.lastError ? `: ${record.lastError}` : "."}`, fix: "Fix what the channel reports, then publish again.", fixTarget: channels });
      return;
    case "dead":
      add(variant, {
        code: READINESS_CODES.publishFailed,
        message: `Publishing to ${label} failed and stopped${record.lastError ? `: ${record.lastError}` : "."}`,
        fix: "Fix the cause, then Retry from the dead-letter list on the Channels page.",
        fixTarget: channels,
      });
      return;
    case "deleting":
      add(variant, { code: READINESS_CODES.beingRemoved, message: `Being removed from ${label}.`, fix: "Check the channel's mapping filters if it should stay.", fixTarget: channels });
  }
}

function feedReasons(variant: VariantReadinessInput, liveErrors: readonly ReadinessProblem[], input: ReadinessInput, add: (variant: VariantReadinessInput | null, reason: ReadinessReason) => void): void {
  // Errors still present now are already reasons of their own; this says the feed has not caught up.
  const stale = variant.feedErrors.filter((error) => !liveErrors.some((live) => live.code === error.code));
  if (stale.length === 0 || stale.length < variant.feedErrors.length) return;
  const first = stale[0] as ReadinessProblem;
  add(variant, {
    code: READINESS_CODES.notInFeed,
    message: `Not in the current ${input.channelLabel} feed: when it was built it had "${first.message}". That is fixed now; the next feed build includes it.`,
    fix: input.feed.rebuilding ? "A feed build is under way: wait for it to finish." : "Rebuild feeds on the Channels page.",
    fixTarget: { kind: "channels" },
  });
}

function withVariant(variant: VariantReadinessInput, message: string): string {
  const name = variantName(variant);
  return name ? `${name}: ${message}` : message;
}

/** "Blue / M: …", "Blue / M and 2 more: …", "All 4 variants: …"; nothing for a product without options. */
function prefixVariants(variants: readonly string[], total: number, message: string): string {
  const named = [...new Set(variants)].filter((name) => name !== "");
  if (named.length === 0) return message;
  if (total > 1 && new Set(variants).size === total) return `All ${total} variants: ${message}`;
  if (named.length === 1) return `${named[0]}: ${message}`;
  return `${named[0]} and ${named.length - 1} more: ${message}`;
}

function blocked(reasons: ReadinessReason[]): ReadinessResult {
  return { verdict: "blocked", reasons, notes: [] };
}
