import { PgBoss, fromPglite } from "pg-boss";
import type { Database } from "../db/connection";
import { ALL_QUEUES, type QueueName } from "./names";

/**
 * pg-boss on the app's own database in both profiles: jobs are durable in the same engine as the
 * data they act on (docs/decisions/0004-jobs-on-pg-boss.md).
 */
export function createQueue(db: Database): PgBoss {
  if (db.pglite) {
    return new PgBoss({ db: fromPglite(db.pglite), schema: "pgboss" });
  }
  if (db.target.kind !== "postgres") throw new Error("a queue needs PGlite or a PostgreSQL connection");
  return new PgBoss({ connectionString: db.target.connectionString, schema: "pgboss", max: 4 });
}

/**
 * Queue options. Long jobs send heartbeats: a worker that dies mid-job stops beating, and pg-boss
 * hands the job to another worker after `heartbeatSeconds` instead of the 15-minute expiry.
 */
const QUEUE_OPTIONS: Partial<Record<QueueName, Parameters<PgBoss["createQueue"]>[1]>> = {
  "catalog-sync": { retryLimit: 20, retryBackoff: true, retryDelay: 5, heartbeatSeconds: 30, policy: "stately" },
  // One waiting and one running refresh per product (singletonKey shop|product): bursts coalesce.
  "product-refresh": { retryLimit: 8, retryBackoff: true, retryDelay: 2, policy: "stately" },
  // One waiting and one running build per shop (singletonKey shop): changes during a build queue one more.
  "feed-build": { retryLimit: 5, retryBackoff: true, retryDelay: 10, heartbeatSeconds: 60, policy: "stately" },
  // One waiting and one running write of a shop's pixel settings (singletonKey shop): saves in a burst become one write.
  "pixel-settings-sync": { retryLimit: 8, retryBackoff: true, retryDelay: 5, policy: "stately" },
  // One waiting and one running forward per shop (singletonKey shop); a platform's 5xx or rate limit fails the job and backs off.
  "pixel-forward": { retryLimit: 6, retryBackoff: true, retryDelay: 10, policy: "stately" },
  // One waiting and one running plan per shop (singletonKey shop, or shop|products for a product's fast path).
  "channel-plan": { retryLimit: 5, retryBackoff: true, retryDelay: 5, heartbeatSeconds: 60, policy: "stately" },
  // One running publish per catalog (singletonKey shop|channel|market): writes for one catalog never race.
  // A worker that dies stops beating; another worker takes the job over after heartbeatSeconds.
  "channel-publish": { retryLimit: 10, retryBackoff: true, retryDelay: 5, heartbeatSeconds: 30, policy: "stately" },
  "channel-readback": { retryLimit: 5, retryBackoff: true, retryDelay: 30, heartbeatSeconds: 60, policy: "stately" },
  // One waiting and one running write of a shop's storefront offer messages (singletonKey shop): builds in a burst become one write.
  "storefront-offer-messages": { retryLimit: 8, retryBackoff: true, retryDelay: 10, heartbeatSeconds: 60, policy: "stately" },
};

export async function ensureQueues(boss: PgBoss): Promise<void> {
  const existing = new Set((await boss.getQueues()).map((queue) => queue.name));
  for (const name of ALL_QUEUES) {
    if (!existing.has(name)) await boss.createQueue(name, QUEUE_OPTIONS[name] ?? { retryLimit: 5, retryBackoff: true, retryDelay: 2 });
  }
}

/** Cancels every queued or retrying job of one shop (on uninstall and redaction). */
export async function cancelShopJobs(boss: PgBoss, shop: string, queues: QueueName[] = ALL_QUEUES): Promise<number> {
  let cancelled = 0;
  for (const name of queues) {
    const jobs = await boss.findJobs<{ shop: string }>(name, { data: { shop }, queued: true });
    if (jobs.length === 0) continue;
    await boss.cancel(name, jobs.map((job) => job.id));
    cancelled += jobs.length;
  }
  return cancelled;
}
