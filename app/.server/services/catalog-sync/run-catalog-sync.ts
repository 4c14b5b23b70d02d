import { requestFeedBuild } from "../channel-feeds/request-feed-build";
import { z } from "zod";
import { createBulkCatalogAssembler, parseBulkLine } from "~/domain/catalog/bulk-jsonl";
import { CATALOG_BULK_QUERIES } from "~/domain/catalog/bulk-query";
import { gidType } from "~/domain/catalog/gid";
import { planSnapshotChanges } from "~/domain/catalog/plan-snapshot-changes";
import type { Prisma } from "~/generated/prisma/client";
import { deleteProductsNotSyncedSince, getProductVersions, markProductsSeen, writeProducts } from "../../repositories/catalog";
import {
  clearStaging,
  countStagedOfKind,
  createRootTracker,
  linesForProducts,
  nextProductGids,
  orphanLines,
  resolveRoots,
  stageLines,
  type StagedLine,
} from "../../repositories/catalog-staging";
import type { Runtime } from "../../runtime";
import type { AdminApi } from "../../shopify/graphql-client";
import { BulkOperationInProgressError, runBulkQuery } from "../../shopify/operations/run-bulk-query";
import { getBulkOperation } from "../../shopify/operations/bulk-operation";
import { downloadLines, fileCount, parseSource, readFileLines } from "./sources";

export const CatalogSyncJobSchema = z.object({ shop: z.string().min(1), syncId: z.string().uuid() });
export type CatalogSyncJob = z.infer<typeof CatalogSyncJobSchema>;

export interface CatalogSyncDeps {
  now(): Date;
  /** The shop's Admin API with its offline token (only the Shopify-bulk source needs it). */
  adminApi(shop: string): Promise<AdminApi>;
  fetch?: typeof fetch;
  /** Lines per staging transaction and products per apply transaction. */
  stageBatchLines?: number;
  applyBatchProducts?: number;
  /** Test hook: called after every committed checkpoint; throwing simulates a crash there. */
  afterCheckpoint?(phase: string, progress: number): void;
}

/** What the job should do next: come back later (Shopify is still running the bulk query), or stop. */
export type SyncStepResult = { state: "wait"; seconds: number } | { state: "done"; status: "succeeded" | "failed" };

const DEFAULT_STAGE_BATCH = 5_000;
const DEFAULT_APPLY_BATCH = 500;
const MAX_REPORTED_PROBLEMS = 50;

type SyncRow = NonNullable<Awaited<ReturnType<Runtime["db"]["prisma"]["catalogSync"]["findFirst"]>>>;

/**
 * One full sync as a resumable state machine: bulk (Shopify runs each bulk query) → staging (stream
 * each result into catalog_sync_line with a line checkpoint) → applying (assemble products in
 * chunks, write the changed ones with a product checkpoint) → finishing (remove products the source
 * no longer has, record the drift). Every phase commits its checkpoint with its data, so a worker
 * killed anywhere resumes where it stopped, and running a step twice changes nothing.
 */
export async function runCatalogSync(runtime: Runtime, job: CatalogSyncJob, deps: CatalogSyncDeps): Promise<SyncStepResult> {
  const { prisma } = runtime.db;
  for (;;) {
    const sync = await prisma.catalogSync.findFirst({ where: { shop: job.shop, id: job.syncId } });
    if (!sync || sync.status === "succeeded" || sync.status === "failed") return { state: "done", status: sync?.status === "succeeded" ? "succeeded" : "failed" };
    try {
      const next = await runPhase(runtime, sync, deps);
      if (next) return next;
    } catch (error) {
      if (error instanceof SyncFailure) {
        await markFailed(runtime, sync, error.message, deps.now());
        return { state: "done", status: "failed" };
      }
      throw error; // transient (network, throttling exhausted, crash): the job retries and resumes
    }
  }
}

/** A failure retrying cannot heal (Shopify failed the bulk operation, the file is not bulk JSONL). */
class SyncFailure extends Error {}

async function runPhase(runtime: Runtime, sync: SyncRow, deps: CatalogSyncDeps): Promise<SyncStepResult | null> {
  switch (sync.phase) {
    case "queued":
      await update(runtime, sync, { status: "running", phase: parseSource(sync.source).kind === "file" ? "staging" : "bulk" });
      return null;
    case "bulk":
      return runBulkPhase(runtime, sync, deps);
    case "staging":
      await runStagingPhase(runtime, sync, deps);
      return null;
    case "applying":
      await runApplyPhase(runtime, sync, deps);
      return null;
    case "finishing":
      await runFinishingPhase(runtime, sync, deps);
      return null;
    default:
      throw new SyncFailure(`unknown sync phase ${sync.phase}`);
  }
}

async function runBulkPhase(runtime: Runtime, sync: SyncRow, deps: CatalogSyncDeps): Promise<SyncStepResult | null> {
  const api = await deps.adminApi(sync.shop);
  const fileIndex = sync.filesStaged;
  const operationId = sync.bulkOperationIds[fileIndex];
  if (!operationId) {
    try {
      const started = await runBulkQuery(api, CATALOG_BULK_QUERIES[fileIndex]!);
      await update(runtime, sync, { bulkOperationIds: [...sync.bulkOperationIds, started.id] });
    } catch (error) {
      // Another bulk query of this app is running on the shop (pre-2026-01 API: one at a time).
      if (error instanceof BulkOperationInProgressError) return { state: "wait", seconds: 15 };
      throw error;
    }
    return { state: "wait", seconds: 2 };
  }
  const operation = await getBulkOperation(api, operationId);
  if (!operation) throw new SyncFailure(`Shopify no longer knows bulk operation ${operationId}`);
  if (operation.status === "COMPLETED") {
    await update(runtime, sync, { phase: "staging" });
    return null;
  }
  if (operation.status === "CREATED" || operation.status === "RUNNING") return { state: "wait", seconds: pollDelaySeconds(sync, deps) };
  throw new SyncFailure(`Shopify's bulk operation ${operationId} ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}`);
}

/** Polls quickly at first, then every 10 s: the bulk_operations/finish webhook usually wakes us sooner. */
function pollDelaySeconds(sync: SyncRow, deps: CatalogSyncDeps): number {
  const elapsed = (deps.now().getTime() - sync.startedAt.getTime()) / 1000;
  return elapsed < 30 ? 2 : 10;
}

async function openFile(sync: SyncRow, deps: CatalogSyncDeps): Promise<AsyncIterable<string>> {
  const source = parseSource(sync.source);
  if (source.kind === "file") return readFileLines(source.path);
  const api = await deps.adminApi(sync.shop);
  const operation = await getBulkOperation(api, sync.bulkOperationIds[sync.filesStaged]!);
  if (!operation?.url) {
    // A completed query with no objects has no file at all.
    if (operation?.status === "COMPLETED" && (operation.objectCount ?? 0) === 0) return emptyLines();
    throw new Error(`bulk operation ${operation?.id ?? "?"} has no result URL yet`);
  }
  return downloadLines(operation.url, deps.fetch);
}

async function* emptyLines(): AsyncIterable<string> {}

async function runStagingPhase(runtime: Runtime, sync: SyncRow, deps: CatalogSyncDeps): Promise<void> {
  const batchSize = deps.stageBatchLines ?? DEFAULT_STAGE_BATCH;
  const firstLine = sync.stagedLines; // lines of earlier files: numbering continues across files
  let consumed = 0;
  let batch: StagedLine[] = [];
  const rootOf = createRootTracker();
  const flush = async () => {
    const lines = batch;
    batch = [];
    await runtime.db.transaction(async (tx) => {
      await stageLines(tx, sync.shop, sync.id, lines);
      await tx.query(`UPDATE "catalog_sync" SET "checkpoint_line" = $2 WHERE "id" = $1`, [sync.id, consumed]);
    });
    deps.afterCheckpoint?.("staging", firstLine + consumed);
  };
  for await (const line of await openFile(sync, deps)) {
    consumed += 1;
    if (consumed <= sync.checkpointLine) continue; // staged before a restart
    if (line.trim() === "") continue;
    const lineNo = firstLine + consumed;
    let parsed: ReturnType<typeof parseBulkLine>;
    try {
      parsed = parseBulkLine(line, lineNo);
    } catch (error) {
      throw new SyncFailure((error as Error).message);
    }
    batch.push({ lineNo, gid: parsed.id, parentGid: parsed.parentId, rootGid: rootOf(parsed.id, parsed.parentId), body: line });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  const filesStaged = sync.filesStaged + 1;
  const moreFiles = filesStaged < fileCount(parseSource(sync.source));
  await update(runtime, sync, {
    filesStaged,
    stagedLines: firstLine + consumed,
    checkpointLine: 0,
    phase: moreFiles ? "bulk" : "applying",
  });
}

interface ApplyTally {
  added: number;
  changed: number;
  unchanged: number;
  stale: number;
  removed: number;
  problems: string[];
}

function tallyOf(sync: SyncRow): ApplyTally {
  const drift = (sync.drift ?? {}) as Partial<ApplyTally>;
  return {
    added: drift.added ?? 0,
    changed: drift.changed ?? 0,
    unchanged: drift.unchanged ?? 0,
    stale: drift.stale ?? 0,
    removed: drift.removed ?? 0,
    problems: drift.problems ?? [],
  };
}

async function runApplyPhase(runtime: Runtime, sync: SyncRow, deps: CatalogSyncDeps): Promise<void> {
  const { sql } = runtime.db;
  let current = sync;
  if (current.totalVariants === null) {
    // First entry into the phase: link every line to its product, count the work, note orphans.
    await resolveRoots(sql, sync.id);
    const orphans = await orphanLines(sql, sync.id, MAX_REPORTED_PROBLEMS);
    const tally = tallyOf(current);
    tally.problems = orphans.map((o) => `line ${o.lineNo}: ${gidType(o.gid) ?? "line"} ${o.gid} names parent ${o.parentGid}, which never appeared in the file`);
    current = await update(runtime, current, {
      totalVariants: await countStagedOfKind(sql, sync.id, "gid://shopify/ProductVariant/"),
      doneVariants: 0,
      doneProducts: 0,
      drift: tally as unknown as Prisma.InputJsonValue,
    });
  }
  const batchSize = deps.applyBatchProducts ?? DEFAULT_APPLY_BATCH;
  for (;;) {
    const gids = await nextProductGids(sql, sync.id, current.checkpointProduct, batchSize);
    if (gids.length === 0) break;
    const assembler = createBulkCatalogAssembler();
    for (const line of await linesForProducts(sql, sync.id, gids)) assembler.push(line.body, line.lineNo);
    const { products, problems } = assembler.finish();
    const plan = planSnapshotChanges(products, await getProductVersions(sql, sync.shop, products.map((p) => p.id)));
    const tally = tallyOf(current);
    tally.added += plan.added;
    tally.changed += plan.changed;
    tally.unchanged += plan.unchanged;
    tally.stale += plan.stale;
    tally.problems = [...tally.problems, ...problems.map((p) => `line ${p.lineNumber}: ${p.message}`)].slice(0, MAX_REPORTED_PROBLEMS);
    const checkpoint = {
      checkpointProduct: gids[gids.length - 1]!,
      doneProducts: current.doneProducts + products.length,
      doneVariants: current.doneVariants + products.reduce((sum, p) => sum + p.variants.length, 0),
      drift: tally as unknown as Prisma.InputJsonValue,
    };
    // The chunk's products and the checkpoint that says they are done commit together.
    await runtime.db.transaction(async (tx) => {
      await writeProducts(tx, sync.shop, plan.write, sync.startedAt);
      // Unchanged products count as seen by this sync too: they must not be removed at the end.
      await markProductsSeen(tx, sync.shop, products.map((p) => p.id), sync.startedAt);
      await tx.query(
        `UPDATE "catalog_sync" SET "checkpoint_product" = $2, "done_products" = $3, "done_variants" = $4, "drift" = $5::jsonb WHERE "id" = $1`,
        [sync.id, checkpoint.checkpointProduct, checkpoint.doneProducts, checkpoint.doneVariants, JSON.stringify(tally)],
      );
    });
    current = { ...current, ...checkpoint } as SyncRow;
    deps.afterCheckpoint?.("applying", current.doneVariants);
  }
  await update(runtime, current, { phase: "finishing" });
}

async function runFinishingPhase(runtime: Runtime, sync: SyncRow, deps: CatalogSyncDeps): Promise<void> {
  const { prisma, sql } = runtime.db;
  const tally = tallyOf(sync);
  tally.removed = await deleteProductsNotSyncedSince(runtime.db, sync.shop, sync.startedAt);
  await clearStaging(sql, sync.id);
  const finishedAt = deps.now();
  await update(runtime, sync, { status: "succeeded", phase: "done", finishedAt, drift: tally as unknown as Prisma.InputJsonValue, error: null });
  await prisma.shop.updateMany({ where: { shop: sync.shop }, data: { lastSyncAt: finishedAt } });
  await requestFeedBuild(runtime, sync.shop, `catalog sync ${sync.id}`);
}

async function markFailed(runtime: Runtime, sync: SyncRow, message: string, now: Date): Promise<void> {
  await clearStaging(runtime.db.sql, sync.id);
  await update(runtime, sync, { status: "failed", error: message, finishedAt: now });
}

async function update(runtime: Runtime, sync: SyncRow, data: Prisma.CatalogSyncUpdateInput): Promise<SyncRow> {
  return runtime.db.prisma.catalogSync.update({ where: { id: sync.id }, data });
}
