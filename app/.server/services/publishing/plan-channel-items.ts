import { z } from "zod";
import type { Product } from "~/domain/catalog/types";
import { evaluateProduct, type ChannelPlan } from "~/domain/channels/pipeline";
import type { Market } from "~/domain/channels/types";
import { desiredItemsOf, type DesiredItem, type PublishChannelId } from "~/domain/publishing/desired-state";
import { QUEUES } from "../../jobs/names";
import { logger } from "../../logger";
import { getSnapshotProduct, snapshotProductPages } from "../../repositories/catalog";
import { retireItemsExcept, upsertDesiredItems, type CatalogRef } from "../../repositories/channel-items";
import type { Runtime } from "../../runtime";
import { loadChannelSetup, planShopChannels } from "../channel-feeds/channel-setup";
import { loadOfferSetup } from "../rules/offer-setup";
import { listConnectionSummaries } from "./connections";
import { requestCatalogPublish } from "./request-publish";

/**
 * The "channel-plan" job: turns the snapshot into the desired state of every connected channel's
 * API (the channel_item outbox), then asks for a publish of each catalog with something due.
 * A full plan walks the whole snapshot and retires records that vanished or were newly excluded; a
 * plan for a few products (a webhook's fast path) touches only their records.
 */
export const PlanChannelItemsJobSchema = z.object({
  shop: z.string().min(1),
  productIds: z.array(z.string().min(1)).max(250).optional(),
  trigger: z.string().max(200).default("change"),
});
export type PlanChannelItemsJob = z.infer<typeof PlanChannelItemsJobSchema>;

/** Products read from the snapshot per query during a full plan. */
const PRODUCT_PAGE_SIZE = 250;
/** Desired rows written per statement. */
const WRITE_BATCH = 1_000;

export interface PlannedCatalog {
  channel: PublishChannelId;
  market: string;
  records: number;
  becameDue: number;
  retired: number;
}

/** Asks for a plan: the full one coalesces per shop; a few products' plan runs at once (the fast path). */
export async function requestChannelPlan(runtime: Runtime, shop: string, trigger: string, productIds?: string[]): Promise<void> {
  const singletonKey = productIds ? `${shop}|${[...productIds].sort().join(",").slice(0, 200)}` : shop;
  await runtime.boss.send(QUEUES.planChannelItems, { shop, trigger, ...(productIds ? { productIds } : {}) }, { singletonKey });
}

/**
 * The catalogs a shop publishes to: one per connected channel. Meta's catalog takes the shop's
 * primary market (localised overrides are a later step); a TikTok shop sells in its own region.
 */
export function publishMarketFor(channel: PublishChannelId, markets: Market[], region: string | null): Market | null {
  if (channel === "tiktok" && region) return markets.find((market) => market.code === region.toUpperCase()) ?? null;
  return markets[0] ?? null;
}

export async function planChannelItems(runtime: Runtime, job: PlanChannelItemsJob, now: () => Date): Promise<PlannedCatalog[]> {
  const { shop } = job;
  const connections = (await listConnectionSummaries(runtime, shop)).filter((connection) => connection.status === "connected");
  if (connections.length === 0) return [];
  const plannedAt = now();
  // The same stock rules and campaigns as the feeds, so a push never says more than the feed does.
  const [setup, offers] = await Promise.all([loadChannelSetup(runtime, shop), loadOfferSetup(runtime, shop, plannedAt)]);
  for (const problem of offers.problems) logger.warn({ shop }, problem);
  const targets: { channel: PublishChannelId; market: Market }[] = [];
  for (const connection of connections) {
    const region = typeof connection.settings.region === "string" ? connection.settings.region : null;
    const market = publishMarketFor(connection.channel, setup.markets, region);
    if (market) targets.push({ channel: connection.channel, market });
    else logger.warn({ shop, channel: connection.channel, region }, "no market matches the connected channel's region; nothing is published there");
  }
  const tiktok = connections.find((connection) => connection.channel === "tiktok");
  const channelCategories = tiktok?.channel === "tiktok" ? { tiktok: tiktok.settings.categoryMap } : {};
  const plans = targets.flatMap(({ channel, market }) =>
    planShopChannels(setup, offers, {
      channels: [channel],
      markets: [market],
      now: plannedAt,
      channelCategories,
    }),
  );

  const outcomes: PlannedCatalog[] = [];
  const pending = new Map<ChannelPlan, DesiredItem[]>(plans.map((plan) => [plan, []]));
  const kept = new Map<ChannelPlan, string[]>(plans.map((plan) => [plan, []]));
  const becameDue = new Map<ChannelPlan, number>(plans.map((plan) => [plan, 0]));
  const flush = async (plan: ChannelPlan, force: boolean) => {
    const batch = pending.get(plan) ?? [];
    if (batch.length === 0 || (!force && batch.length < WRITE_BATCH)) return;
    pending.set(plan, []);
    const due = await upsertDesiredItems(runtime.db.sql, refOf(shop, plan), batch);
    becameDue.set(plan, (becameDue.get(plan) ?? 0) + due);
  };

  for await (const products of productsToPlan(runtime, shop, job.productIds)) {
    for (const product of products) {
      for (const plan of plans) {
        const desired = desiredItemsOf(plan.ctx.channel as PublishChannelId, evaluateProduct(product, plan));
        pending.get(plan)?.push(...desired);
        kept.get(plan)?.push(...desired.map((item) => item.key));
        await flush(plan, false);
      }
    }
  }
  for (const plan of plans) {
    await flush(plan, true);
    const ref = refOf(shop, plan);
    const retired = await retireItemsExcept(runtime.db.sql, ref, kept.get(plan) ?? [], job.productIds);
    const planned: PlannedCatalog = {
      channel: plan.ctx.channel as PublishChannelId,
      market: plan.ctx.market.code,
      records: kept.get(plan)?.length ?? 0,
      becameDue: becameDue.get(plan) ?? 0,
      retired,
    };
    outcomes.push(planned);
    if (planned.becameDue > 0 || planned.retired > 0) await requestCatalogPublish(runtime, ref, job.trigger);
  }
  logger.info({ shop, trigger: job.trigger, catalogs: outcomes }, "channel items planned");
  return outcomes;
}

function refOf(shop: string, plan: ChannelPlan): CatalogRef {
  return { shop, channel: plan.ctx.channel, market: plan.ctx.market.code };
}

/** The whole snapshot page by page, or just the named products (a deleted product yields nothing, so its records retire). */
async function* productsToPlan(runtime: Runtime, shop: string, productIds: string[] | undefined): AsyncGenerator<Product[]> {
  if (productIds) {
    const products: Product[] = [];
    for (const id of productIds) {
      const product = await getSnapshotProduct(runtime.db.sql, shop, id);
      if (product) products.push(product);
    }
    yield products;
    return;
  }
  yield* snapshotProductPages(runtime.db.sql, shop, PRODUCT_PAGE_SIZE);
}
