import type { ChannelRecord, ProductEvaluation } from "../channels/types";
import { contentHash } from "./content-hash";
import { tiktokHashes } from "./tiktok-changes";

/** The channels Shelfcast writes to through their APIs (the others are served feed files only). */
export const PUBLISH_CHANNELS = ["meta", "tiktok"] as const;
export type PublishChannelId = (typeof PUBLISH_CHANNELS)[number];

export function isPublishChannel(channel: string): channel is PublishChannelId {
  return (PUBLISH_CHANNELS as readonly string[]).includes(channel);
}

/**
 * What one record should look like on a channel, with the hashes that decide what to send:
 * `hash` covers everything; TikTok also hashes stock and price alone so a stock-only change goes
 * through the inventory endpoint instead of a full edit (which would send the product back to audit).
 */
export interface DesiredItem {
  key: string;
  productId: string;
  itemIds: string[];
  hash: string;
  stockHash: string | null;
  priceHash: string | null;
  payload: Record<string, unknown>;
}

/** The records of one product's evaluation, as the desired state of a channel's API. */
export function desiredItemsOf(channel: PublishChannelId, evaluation: Pick<ProductEvaluation, "productId" | "records">): DesiredItem[] {
  return evaluation.records.map((record) => desiredItemOf(channel, evaluation.productId, record));
}

function desiredItemOf(channel: PublishChannelId, productId: string, record: ChannelRecord): DesiredItem {
  const payload = record.fields as Record<string, unknown>;
  const base = { key: record.key, productId, itemIds: record.itemIds, payload };
  if (channel === "tiktok") return { ...base, ...tiktokHashes(payload) };
  return { ...base, hash: contentHash(payload), stockHash: null, priceHash: null };
}
