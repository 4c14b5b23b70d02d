import { z } from "zod";
import { createBulkCatalogAssembler } from "~/domain/catalog/bulk-jsonl";
import { planSnapshotChanges } from "~/domain/catalog/plan-snapshot-changes";
import { describeRemovals, describeSnapshotWrites } from "~/domain/timeline/product-changes";
import { deleteProducts, getProductVersions, getSnapshotProducts, writeProducts } from "../repositories/catalog";
import { recordProductEvents } from "../repositories/product-events";
import { getShop } from "../repositories/shops";
import { QUEUES } from "../jobs/names";
import { requestFeedBuild } from "./channel-feeds/request-feed-build";
import { requestChannelPlan } from "./publishing/plan-channel-items";
import type { Runtime } from "../runtime";
import type { AdminApi } from "../shopify/graphql-client";
import { fetchProductLines } from "../shopify/operations/product-by-id";

export const RefreshProductJobSchema = z.object({ shop: z.string().min(1), productId: z.string().startsWith("gid://shopify/Product/") });
export type RefreshProductJob = z.infer<typeof RefreshProductJobSchema>;

/** Seconds a refresh waits before reading, so a burst of webhooks for one product becomes one read. */
export const REFRESH_COALESCE_SECONDS = 2;

/**
 * Asks for a product to be re-read from Shopify. The refresh queue is `stately` with one key per
 * product: while a refresh is waiting, further requests for the same product are absorbed by it;
 * while one runs, one more may wait (a change that lands mid-read is never missed).
 */
export async function requestProductRefresh(runtime: Runtime, shop: string, productId: string): Promise<void> {
  await runtime.boss.send(QUEUES.refreshProduct, { shop, productId }, { singletonKey: `${shop}|${productId}`, startAfter: REFRESH_COALESCE_SECONDS });
}

export type RefreshOutcome = "written" | "unchanged" | "stale" | "deleted" | "absent";

/**
 * Re-reads one product through a single Admin GraphQL operation and brings the snapshot to it.
 * Webhook payloads are only hints (they arrive late, twice and out of order); Shopify's current
 * answer is the truth, and an answer older than what we hold never overwrites it.
 */
export async function refreshProduct(runtime: Runtime, job: RefreshProductJob, api: AdminApi, now: Date): Promise<RefreshOutcome> {
  const lines = await fetchProductLines(api, job.productId);
  if (lines === null) {
    const stored = await getSnapshotProducts(runtime.db.sql, job.shop, [job.productId]);
    const removed = await deleteProducts(runtime.db, job.shop, [job.productId]);
    if (removed === 0) return "absent";
    const title = stored.get(job.productId)?.title ?? job.productId;
    await recordProductEvents(runtime.db.sql, job.shop, describeRemovals([{ id: job.productId, title }], now));
    await requestFeedBuild(runtime, job.shop, `product ${job.productId} deleted`);
    await requestChannelPlan(runtime, job.shop, `product ${job.productId} deleted`, [job.productId]);
    return "deleted";
  }
  const assembler = createBulkCatalogAssembler();
  lines.forEach((line, index) => assembler.push(line, index + 1));
  const { products, problems } = assembler.finish();
  const product = products[0];
  if (!product) throw new Error(`Shopify's answer for ${job.productId} did not assemble: ${problems.map((p) => p.message).join("; ")}`);
  const plan = planSnapshotChanges([product], await getProductVersions(runtime.db.sql, job.shop, [product.id]));
  if (plan.stale) return "stale";
  if (plan.write.length === 0) return "unchanged";
  // The timeline says what changed: the stored version is read before it is replaced.
  const [previous, shopRow] = await Promise.all([getSnapshotProducts(runtime.db.sql, job.shop, [product.id]), getShop(runtime.db.prisma, job.shop)]);
  const events = describeSnapshotWrites(previous, plan.write, { at: now, currency: shopRow?.currencyCode ?? null });
  await runtime.db.transaction(async (tx) => {
    await writeProducts(tx, job.shop, plan.write, now);
    await recordProductEvents(tx, job.shop, events);
  });
  await requestFeedBuild(runtime, job.shop, `product ${job.productId} changed`);
  // The fast path: the channels' APIs get this product's new price and stock in seconds, not at the next feed fetch.
  await requestChannelPlan(runtime, job.shop, `product ${job.productId} changed`, [job.productId]);
  return "written";
}
