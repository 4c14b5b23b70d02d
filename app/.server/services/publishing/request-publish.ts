import { QUEUES } from "../../jobs/names";
import type { CatalogRef } from "../../repositories/channel-items";
import type { Runtime } from "../../runtime";

/** One running and one waiting publish per catalog: writes for one catalog are serialised. */
export function publishSingletonKey(ref: CatalogRef): string {
  return `${ref.shop}|${ref.channel}|${ref.market}`;
}

/**
 * Asks for a publish of one catalog, now or after `delaySeconds` (a throttled channel, a retry
 * falling due). A publish already waiting absorbs the request.
 */
export async function requestCatalogPublish(runtime: Runtime, ref: CatalogRef, trigger: string, delaySeconds = 0): Promise<void> {
  await runtime.boss.send(
    QUEUES.publishCatalog,
    { shop: ref.shop, channel: ref.channel, market: ref.market, trigger },
    { singletonKey: publishSingletonKey(ref), startAfter: Math.max(0, Math.ceil(delaySeconds)) },
  );
}

/** Asks for a read-back of one catalog (all acknowledged records, or just `keys`). */
export async function requestCatalogReadBack(runtime: Runtime, ref: CatalogRef, trigger: string, keys?: string[]): Promise<void> {
  await runtime.boss.send(
    QUEUES.readBackCatalog,
    { shop: ref.shop, channel: ref.channel, market: ref.market, trigger, ...(keys ? { keys } : {}) },
    { singletonKey: keys ? `${publishSingletonKey(ref)}|${keys.slice(0, 20).join(",")}` : publishSingletonKey(ref) },
  );
}
