/**
 * Every queue Shelfcast uses. A tenant job's data always carries `shop` so a tenant's jobs can be
 * found and cancelled; the maintenance sweeps (scheduled, shop-less) are the only exception.
 */
export const QUEUES = {
  processWebhook: "webhook-process",
  catalogSync: "catalog-sync",
  refreshProduct: "product-refresh",
  requeueStaleDeliveries: "webhook-sweep",
  reconcileShops: "catalog-reconcile",
  buildFeeds: "feed-build",
  pixelSettingsSync: "pixel-settings-sync",
  forwardPixelEvents: "pixel-forward",
  planChannelItems: "channel-plan",
  publishCatalog: "channel-publish",
  readBackCatalog: "channel-readback",
  readBackSweep: "channel-readback-sweep",
  storefrontOfferMessages: "storefront-offer-messages",
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: QueueName[] = Object.values(QUEUES);
