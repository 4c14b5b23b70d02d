import type { Diagnostic } from "~/domain/channels/types";
import type { DueItem } from "~/domain/publishing/due-item";

/**
 * The contract between the publish engine (app/.server/services/publishing) and one channel's
 * publisher (meta/, tiktok/). The engine owns the outbox (channel_item rows), runs, retries and
 * dead letters; a publisher owns the channel's wire format, calls and answers. See
 * docs/decisions/0013-publishing.md.
 */
export type PublishChannel = "meta" | "tiktok";

export type { DueItem } from "~/domain/publishing/due-item";

/** What became of one due item. */
export type ItemOutcome =
  /** The channel holds the desired content. `diagnostics` are its warnings (source set to the channel). */
  | { key: string; kind: "live"; remoteId?: string; remoteSkus?: Record<string, string>; handle?: string; diagnostics: Diagnostic[] }
  /** The channel refused this content; it is sent again only when the content changes. */
  | { key: string; kind: "rejected"; remoteId?: string; remoteSkus?: Record<string, string>; handle?: string; diagnostics: Diagnostic[] }
  /** The record is gone from the channel (or was never there). */
  | { key: string; kind: "deleted" }
  /** A transient failure for this item only (5xx, timeout, throttled); the engine retries with backoff. */
  | { key: string; kind: "retry"; reason: string; waitMs?: number }
  /** A failure that will not heal by retrying (a payload the API refuses outright, a permission missing). */
  | { key: string; kind: "dead"; reason: string };

/** The whole call cannot go on now: throttled or down. Items without an outcome stay due. */
export class RetryLaterError extends Error {
  constructor(
    readonly waitMs: number,
    reason: string,
  ) {
    super(reason);
    this.name = "RetryLaterError";
  }
}

/** The channel refused the credentials and they cannot be refreshed: the merchant must reconnect. */
export class ReconnectError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = "ReconnectError";
  }
}

/**
 * The channel called an access token expired before the connection layer refreshed it (a clock skew,
 * a token revoked early). The engine refreshes the token and tries once more before asking the
 * merchant to reconnect.
 */
export class AccessTokenExpiredError extends ReconnectError {
  constructor(reason: string) {
    super(reason);
    this.name = "AccessTokenExpiredError";
  }
}

/** Decrypted connection, in memory only for the length of a job. Never logged, never returned to a browser. */
export interface MetaConnection {
  channel: "meta";
  catalogId: string;
  businessId: string | null;
  token: string;
}

export interface TikTokConnection {
  channel: "tiktok";
  appKey: string;
  appSecret: string;
  accessToken: string;
  shopCipher: string;
  /** Shopify location GID → TikTok warehouse id; the first entry is the default warehouse. */
  warehouseMap: Record<string, string>;
}

export interface PublishContext<C> {
  shop: string;
  market: string;
  connection: C;
  fetch: typeof fetch;
  now: () => Date;
  /** Waits (tests pass a fake that advances a clock instead of sleeping). */
  sleep: (ms: number) => Promise<void>;
  /** Called before a TikTok create is sent, so a crash after it is detectable (create_started_at). */
  markCreateStarted(keys: string[]): Promise<void>;
  /** TikTok's image URI cache (tiktok_image), per shop. */
  images: {
    get(sourceUrls: string[]): Promise<Map<string, { uri: string; url: string | null }>>;
    put(sourceUrl: string, image: { uri: string; url: string | null; width: number | null; height: number | null }): Promise<void>;
  };
  /** Counts one API call (for the run's figures). */
  countCall(): void;
}

/** The channel's current view of records the engine believes are on it. */
export interface ReadBackEntry {
  key: string;
  /** live: the channel holds it (diagnostics may still list warnings or errors); missing: it does not. */
  state: "live" | "rejected" | "missing";
  diagnostics: Diagnostic[];
}

export interface ChannelPublisher<C> {
  channel: PublishChannel;
  /** Sends the due items; returns one outcome per item it dealt with. May throw RetryLaterError or ReconnectError. */
  publish(ctx: PublishContext<C>, items: DueItem[]): Promise<ItemOutcome[]>;
  /** Reads the channel's verdicts for these records (drift and review status). */
  readBack(ctx: PublishContext<C>, items: { key: string; productId: string; itemIds: string[]; remoteId: string | null }[]): Promise<ReadBackEntry[]>;
}
