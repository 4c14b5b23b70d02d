/**
 * A channel's health on the dashboard, from what Shelfcast knows of it:
 * - live: what shoppers can see. A channel published through its API (Meta, TikTok Shop once
 *   connected) counts the records the channel acknowledged as live; a feed channel counts the items
 *   ready in its current feed (the channel fetches exactly those).
 * - ready: items that pass every check in the current feed build.
 * - blocked: items an error keeps out of the feed.
 * - errorRate: for an API channel, the share of its records it refused (rejected or given up on);
 *   for a feed channel, the share of offered items (excluded ones left aside) with an error.
 * null means "not known yet" (no feed built, nothing published), never zero.
 */
export interface FeedCounts {
  itemsTotal: number;
  itemsReady: number;
  itemsWithErrors: number;
  itemsExcluded: number;
}

export interface RecordCounts {
  live: number;
  pending: number;
  rejected: number;
  dead: number;
}

export interface ChannelHealthInput {
  /** Published through the channel's API (a connected Meta catalog or TikTok shop). */
  publishing: boolean;
  /** The current feed builds of the channel, summed over markets; null when none was built. */
  feed: FeedCounts | null;
  /** The channel's records (channel_item), summed over markets; null when none exist. */
  records: RecordCounts | null;
}

export interface ChannelHealth {
  live: number | null;
  ready: number | null;
  blocked: number | null;
  /** Records the channel refused (API channels only). */
  rejected: number | null;
  /** 0..1. */
  errorRate: number | null;
  source: "api" | "feed" | "none";
}

export function sumFeedCounts(counts: readonly FeedCounts[]): FeedCounts | null {
  if (counts.length === 0) return null;
  return counts.reduce(
    (sum, c) => ({
      itemsTotal: sum.itemsTotal + c.itemsTotal,
      itemsReady: sum.itemsReady + c.itemsReady,
      itemsWithErrors: sum.itemsWithErrors + c.itemsWithErrors,
      itemsExcluded: sum.itemsExcluded + c.itemsExcluded,
    }),
    { itemsTotal: 0, itemsReady: 0, itemsWithErrors: 0, itemsExcluded: 0 },
  );
}

export function channelHealth({ publishing, feed, records }: ChannelHealthInput): ChannelHealth {
  const ready = feed ? feed.itemsReady : null;
  const blocked = feed ? feed.itemsWithErrors : null;
  if (publishing) {
    const refused = records ? records.rejected + records.dead : 0;
    const answered = records ? records.live + refused : 0;
    return { live: records ? records.live : 0, ready, blocked, rejected: refused, errorRate: answered > 0 ? refused / answered : null, source: "api" };
  }
  if (!feed) return { live: null, ready: null, blocked: null, rejected: null, errorRate: null, source: "none" };
  const offered = feed.itemsTotal - feed.itemsExcluded;
  return { live: feed.itemsReady, ready, blocked, rejected: null, errorRate: offered > 0 ? feed.itemsWithErrors / offered : null, source: "feed" };
}
