/**
 * A product's history (table product_event): what happened to it, and to the shop around it, and
 * when. Support reads it to answer "why did this disappear from TikTok yesterday?". Pure types and
 * labels; the writers live beside the work they describe (sync, refresh, feed build, publish,
 * read-back, rules and mapping saves), the reader in app/.server/services/product-timeline.ts.
 */

/** Every kind an event may have. Stored as text: a kind added later reads as "other" in old code. */
export const PRODUCT_EVENT_KINDS = [
  "shopify.created",
  "shopify.updated",
  "shopify.deleted",
  "mapping.changed",
  "rules.changed",
  "feed.built",
  "publish.sent",
  "publish.rejected",
  "publish.deleted",
  "publish.dead",
  "channel.status",
  "issue.opened",
  "issue.resolved",
] as const;
export type ProductEventKind = (typeof PRODUCT_EVENT_KINDS)[number];

export function isProductEventKind(value: string): value is ProductEventKind {
  return (PRODUCT_EVENT_KINDS as readonly string[]).includes(value);
}

/** An event to record. `productId` null: shop-wide (a rule change, a feed build), shown on every product's timeline. */
export interface NewProductEvent {
  productId: string | null;
  /** Set when the event concerns exactly one variant. */
  variantId?: string | null;
  /** Set when the event concerns one channel (a publish, a feed build, a channel's verdict). */
  channel?: string | null;
  at: Date;
  kind: ProductEventKind;
  /** One line a person reads ("Sent to Meta (price 19.50 USD, 4 in stock)"). */
  summary: string;
  /**
   * What support needs beyond the line; never a secret. `variantIds` (string[]) names the variants
   * a product-level event touched, so the variant filter can leave it out for the others.
   */
  details?: Record<string, unknown>;
}

/** What the timeline shows for each kind: a label and a Polaris badge tone. */
export const EVENT_KIND_LABELS: Record<ProductEventKind, { label: string; tone: "info" | "success" | "warning" | "critical" | "attention" | undefined }> = {
  "shopify.created": { label: "Added from Shopify", tone: "info" },
  "shopify.updated": { label: "Changed in Shopify", tone: "info" },
  "shopify.deleted": { label: "Deleted in Shopify", tone: "critical" },
  "mapping.changed": { label: "Mapping rules", tone: undefined },
  "rules.changed": { label: "Stock rules", tone: undefined },
  "feed.built": { label: "Feed built", tone: undefined },
  "publish.sent": { label: "Published", tone: "success" },
  "publish.rejected": { label: "Rejected", tone: "critical" },
  "publish.deleted": { label: "Removed", tone: "warning" },
  "publish.dead": { label: "Publish failed", tone: "critical" },
  "channel.status": { label: "Channel status", tone: "attention" },
  "issue.opened": { label: "Issue found", tone: "warning" },
  "issue.resolved": { label: "Issue resolved", tone: "success" },
};

/** Channel names for summaries ("Sent to Meta"), the same words as the Channels page's short names. */
export const CHANNEL_SHORT_NAMES: Record<string, string> = {
  meta: "Meta",
  tiktok: "TikTok Shop",
  "tiktok-ads": "TikTok ads",
  pinterest: "Pinterest",
  google: "Google",
};

export function channelShortName(channel: string): string {
  return CHANNEL_SHORT_NAMES[channel] ?? channel;
}
