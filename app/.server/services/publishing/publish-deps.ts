import type { ChannelPublisher, MetaConnection, PublishChannel, TikTokConnection } from "../../channels/publisher";
import { channelFetchFor } from "../../channels/channel-fetch";
import { createMetaPublisher } from "../../channels/meta/meta-publisher";
import { createTikTokPublisher } from "../../channels/tiktok/tiktok-publisher";
import type { Runtime } from "../../runtime";

/**
 * What the publish and read-back jobs take from the outside world. The worker passes the real
 * clock, timers and fetch (the demo shop's fetch reaches the in-process fake channels); tests pass
 * a fetch that reaches msw, a sleep that does not wait, and seeded randomness.
 */
export interface PublishDeps {
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  fetchFor: (shop: string) => Promise<typeof fetch>;
  publishers?: { meta?: ChannelPublisher<MetaConnection>; tiktok?: ChannelPublisher<TikTokConnection> };
}

export function defaultPublishDeps(runtime: Runtime): PublishDeps {
  return {
    now: () => new Date(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    fetchFor: (shop) => channelFetchFor(runtime, shop),
  };
}

const DEFAULT_PUBLISHERS = {
  meta: createMetaPublisher(),
  tiktok: createTikTokPublisher(),
};

export function publisherFor(channel: PublishChannel, deps: PublishDeps): ChannelPublisher<MetaConnection> | ChannelPublisher<TikTokConnection> {
  return channel === "meta" ? (deps.publishers?.meta ?? DEFAULT_PUBLISHERS.meta) : (deps.publishers?.tiktok ?? DEFAULT_PUBLISHERS.tiktok);
}
