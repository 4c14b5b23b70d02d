/**
 * "Can this product be promoted on channel X?" (issue 6, the marketers' readiness board): plain
 * inputs gathered by the caller, one verdict per product × channel. See evaluate-readiness.ts.
 */
import type { Gid, Money, ProductStatus } from "../catalog/types";
import type { ChannelId, FixTarget, Severity } from "../channels/types";

/** The note every cell gets while feeds are rebuilt (a board says it once, above its cells). */
export const REBUILDING_NOTE = "Feeds are being rebuilt: this may change when the build finishes.";

/** Where a reason's fix happens: the Diagnostic's targets, plus the app's own pages. */
export type ReadinessFixTarget =
  | FixTarget
  | { kind: "rules" }
  | { kind: "channels" }
  | { kind: "connection"; channel: ChannelId };

export interface ReadinessReason {
  /** Stable: a diagnostic code (`rules.promoted_without_reservation`) or `readiness.*`. */
  code: string;
  message: string;
  fix: string;
  fixTarget?: ReadinessFixTarget;
}

export interface ReadinessResult {
  verdict: "ready" | "blocked";
  /** Why it is blocked; empty when ready. */
  reasons: ReadinessReason[];
  /** What is worth knowing but blocks nothing (a low-stock warning, a feed rebuild under way). */
  notes: string[];
}

/** A problem as the checks report it (a Diagnostic, or a channel's verdict). */
export interface ReadinessProblem {
  code: string;
  severity: Severity;
  message: string;
  fix: string;
  fixTarget?: ReadinessFixTarget;
}

/** What the channel record of a variant is on an API channel (Meta, TikTok Shop), from the publish outbox. */
export type RecordState = "missing" | "pending" | "live" | "rejected" | "dead" | "deleting";

export interface VariantReadinessInput {
  variantId: Gid;
  /** "Blue / M"; "Default Title" for a product without options. */
  title: string;
  /** Left out of the channel by the merchant's mapping filters, and why; null when it is in. */
  excludedReason: string | null;
  /** Shelfcast's own checks, evaluated now with the current rules: mapping, validation, promotion. */
  problems: ReadinessProblem[];
  /** What the variant is offered as on the channel. */
  offer: { quantity: number | null; availability: string; message: string | null };
  /** The price a shopper pays on this channel (sale price first), and on the storefront; null when missing. */
  channelPrice: Money | null;
  storefrontPrice: Money | null;
  /** The same variant's price on the campaign's other channels. */
  otherChannelPrices: { channel: ChannelId; label: string; price: Money | null }[];
  /** Errors the current feed build recorded for this item (it was left out of that build). */
  feedErrors: ReadinessProblem[];
  /** API channels only: the record holding the variant and the channel's open problems with it. */
  record: { state: RecordState; lastError: string | null } | null;
  channelProblems: ReadinessProblem[];
}

export interface ReadinessInput {
  channel: ChannelId;
  /** "TikTok Shop" */
  channelLabel: string;
  product: { id: Gid; title: string; status: ProductStatus } | null;
  /** The variants the campaign covers; empty when the product is not in the catalog. */
  variants: VariantReadinessInput[];
  /**
   * How the channel receives the catalog: through its API with a connection in this state, or only
   * through its feed (feed channels, and API channels that are not connected).
   */
  delivery: { kind: "api"; connection: "connected" | "pending" | "reconnect" } | { kind: "feed"; apiAvailable: boolean };
  /** The channel's current feed build for the market. */
  feed: {
    /** When the build the feed URL serves started; null when none has been built. */
    builtAt: string | null;
    /** A build is queued or running: what is shown may be about to change. */
    rebuilding: boolean;
    /** The product changed in Shopify after that build started. */
    productChangedSinceBuild: boolean;
  };
}
