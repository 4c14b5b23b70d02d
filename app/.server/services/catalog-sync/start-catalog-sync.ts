import { QUEUES } from "../../jobs/names";
import { activeCatalogSync } from "../../repositories/catalog-syncs";
import type { Runtime } from "../../runtime";
import { describeSource, type SyncSource } from "./sources";

export type SyncKind = "full" | "reconcile" | "demo-import" | "file-import";

/**
 * Starts a full sync unless one is already running for the shop (one at a time per shop: a second
 * request returns the running one). The row and the job are written together; if the job is lost,
 * the sync row stays `queued` and the next start picks it up again.
 */
export async function startCatalogSync(runtime: Runtime, shop: string, kind: SyncKind, source: SyncSource): Promise<{ syncId: string; alreadyRunning: boolean }> {
  const { prisma } = runtime.db;
  const running = await activeCatalogSync(prisma, shop);
  if (running) {
    await enqueueSyncStep(runtime, shop, running.id);
    return { syncId: running.id, alreadyRunning: true };
  }
  const sync = await prisma.catalogSync.create({ data: { shop, kind, source: describeSource(source), status: "queued", phase: "queued" } });
  await enqueueSyncStep(runtime, shop, sync.id);
  return { syncId: sync.id, alreadyRunning: false };
}

/**
 * Queues the next step of a sync. The singleton key keeps at most one waiting step per sync, so a
 * bulk_operations/finish webhook and a scheduled poll never run the same step twice at once.
 */
export async function enqueueSyncStep(runtime: Runtime, shop: string, syncId: string, afterSeconds = 0): Promise<void> {
  await runtime.boss.send(QUEUES.catalogSync, { shop, syncId }, { singletonKey: syncId, startAfter: afterSeconds });
}
