import { QUEUES } from "../../jobs/names";
import type { Runtime } from "../../runtime";

/**
 * Asks for a shop's feeds to be rebuilt. The queue is `stately` with one key per shop: requests
 * while a build waits are absorbed by it, so a sync or an editing session becomes one rebuild after
 * SHELFCAST_FEED_DEBOUNCE_SECONDS. "Rebuild" on the Channels page passes `immediately`.
 */
export async function requestFeedBuild(runtime: Runtime, shop: string, reason: string, options: { immediately?: boolean } = {}): Promise<void> {
  const startAfter = options.immediately ? 0 : runtime.env.SHELFCAST_FEED_DEBOUNCE_SECONDS;
  await runtime.boss.send(QUEUES.buildFeeds, { shop, reason }, { singletonKey: shop, startAfter });
}
