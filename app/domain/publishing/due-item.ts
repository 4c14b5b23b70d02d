/**
 * A record due on a channel's API: what the channel should hold and what it last acknowledged. Plain
 * data read from the publish outbox (channel_item); the engine hands it to a channel's publisher, and
 * pure planning (tiktok-changes.ts) decides from it which call to make.
 */
export interface DueItem {
  /** channel_item.item_key: Meta's retailer id (the item id), TikTok's record key (the product group id). */
  key: string;
  productId: string;
  /** Item ids (variant-level) the record holds: one for Meta, the SKUs' item ids for TikTok. */
  itemIds: string[];
  /** What the channel should hold; null when the record should no longer exist (delete it). */
  desired: { hash: string; stockHash: string | null; priceHash: string | null; payload: Record<string, unknown> } | null;
  /** What the channel last acknowledged. */
  sent: {
    hash: string | null;
    stockHash: string | null;
    priceHash: string | null;
    /** TikTok's product id once created. */
    remoteId: string | null;
    /** TikTok: external_sku_id → TikTok sku id. */
    remoteSkus: Record<string, string> | null;
    /** A TikTok create was sent and its answer never recorded (the worker died): look up before creating. */
    createStartedAt: Date | null;
  };
}

