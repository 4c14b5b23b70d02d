import { requestFeedBuild } from "../channel-feeds/request-feed-build";
import { z } from "zod";
import {
  addBulkLine,
  buildBulkProducts,
  createBulkBuildState,
  createBulkLineStore,
  isSkippedBulkKind,
  parseBulkLine,
  problemsInLineOrder,
  readBulkLine,
  type BulkLine,
} from "~/domain/catalog/bulk-jsonl";
import { CATALOG_BULK_QUERIES } from "~/domain/catalog/bulk-query";
import { planSnapshotChanges } from "~/domain/catalog/plan-snapshot-changes";
import type { Prisma } from "~/generated/prisma/client";
import { analyzeSnapshot, deleteProductsNotSyncedSince, getProductVersions, markProductsSeen, writeProducts } from "../../repositories/catalog";
import { recordProductEvents } from "../../repositories/product-events";
import { describeSnapshotChanges, recordRemovalEvents } from "./snapshot-events";
import {
  blockLines,
  blocksOfRoots,
  clearStaging,
  createBlockStager,
  deleteBlocksOfRoots,
  nextProductBlocks,
  pendingVariantRoots,
  stageBlocks,
  unclaimedLines,
} from "../../repositories/catalog-staging";
import type { SqlExecutor } from "../../db/connection";
import { withBoundedHeapGrowth } from "../../heap-growth";
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
const DEFAULT_APPLY_BATCH = 250;
const MAX_REPORTED_PROBLEMS = 50;

type SyncRow = NonNullable<Awaited<ReturnType<Runtime["db"]["prisma"]["catalogSync"]["findFirst"]>>>;

/**
 * One full sync as a resumable state machine: bulk (Shopify runs each bulk query) → staging (stream
 * each result into catalog_sync_block with a line checkpoint) → applying (assemble products in
 * chunks, write the changed ones with a product checkpoint) → finishing (remove products the source
 * no longer has, record the drift). Every phase commits its checkpoint with its data, so a worker
 * killed anywhere resumes where it stopped, and running a step twice changes nothing.
 */
export async function runCatalogSync(runtime: Runtime, job: CatalogSyncJob, deps: CatalogSyncDeps): Promise<SyncStepResult> {
  return withBoundedHeapGrowth(() => runSyncSteps(runtime, job, deps));
}

async function runSyncSteps(runtime: Runtime, job: CatalogSyncJob, deps: CatalogSyncDeps): Promise<SyncStepResult> {
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
  const stager = createBlockStager();
  // The next batch is read and parsed while the last one commits (one batch in flight at most).
  const commits = createCommitPipeline();
  const commitBatch = () => {
    const { blocks, variants } = stager.take();
    const upTo = consumed;
    return async () => {
      await runtime.db.transaction(async (tx) => {
        await stageBlocks(tx, sync.shop, sync.id, blocks);
        await tx.query(`UPDATE "catalog_sync" SET "checkpoint_line" = $2, "staged_variants" = "staged_variants" + $3 WHERE "id" = $1`, [sync.id, upTo, variants]);
      });
      deps.afterCheckpoint?.("staging", firstLine + upTo);
    };
  };
  try {
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
      if (isSkippedBulkKind(parsed.kind)) continue; // media the catalog does not use: the assembler would drop it
      stager.add({ lineNo, gid: parsed.id, parentGid: parsed.parentId, text: line });
      if (stager.size >= batchSize) await commits.start(commitBatch());
    }
    await commits.start(commitBatch());
    await commits.finish();
  } catch (error) {
    await commits.abandon(); // nothing may still be writing when the failure is handled
    throw error;
  }
  const filesStaged = sync.filesStaged + 1;
  const moreFiles = filesStaged < fileCount(parseSource(sync.source));
  await update(runtime, sync, {
    filesStaged,
    stagedLines: firstLine + consumed,
    checkpointLine: 0,
    phase: moreFiles ? "bulk" : "applying",
  });
}

/**
 * Commits one after another while the caller prepares the next: at most one commit in flight, so
 * a PostgreSQL server writes batch N while this process reads and parses batch N + 1 (PGlite runs
 * in this thread, so there the two only take turns). A failed commit is reported by the next
 * `start` or by `finish`.
 */
function createCommitPipeline() {
  let inflight: Promise<void> | null = null;
  const settle = async () => {
    const last = inflight;
    inflight = null;
    if (last) await last;
  };
  return {
    async start(commit: () => Promise<void>): Promise<void> {
      await settle();
      const started = commit();
      started.catch(() => undefined); // observed by the next start, finish or abandon
      inflight = started;
    },
    finish: settle,
    async abandon(): Promise<void> {
      await settle().catch(() => undefined);
    },
  };
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
    // First entry into the phase: the work to do (variant lines counted while staging).
    current = await update(runtime, current, { totalVariants: current.stagedVariants, doneVariants: 0, doneProducts: 0, drift: tallyOf(current) as unknown as Prisma.InputJsonValue });
  }
  const batchSize = deps.applyBatchProducts ?? DEFAULT_APPLY_BATCH;
  const shopRow = await runtime.db.prisma.shop.findUnique({ where: { shop: sync.shop }, select: { currencyCode: true } });
  const pending = await pendingVariantRoots(sql, sync.id);

  /** Reads, assembles and plans the chunk after `after`; null when every product is done. */
  const prepareChunk = async (after: string | null) => {
    const chunk = await nextProductBlocks(sql, sync.id, after, batchSize);
    if (chunk.productGids.length === 0) return null;
    const { products, problems, claimed } = await assembleChunk(sql, sync.id, chunk.blocks, pending);
    for (const root of claimed) pending.delete(root);
    const versions = await getProductVersions(sql, sync.shop, products.map((p) => p.id));
    const plan = planSnapshotChanges(products, versions);
    // Timeline events name what changed; only the changed products' stored versions are read for it.
    const events = await describeSnapshotChanges(sql, sync.shop, plan.write, versions, { at: deps.now(), currency: shopRow?.currencyCode ?? null });
    return { lastProduct: chunk.productGids[chunk.productGids.length - 1]!, products, problems, claimed, plan, events };
  };

  // On PostgreSQL the next chunk is read and assembled while the server writes this one; PGlite
  // runs in this thread, where overlapping would only hold two chunks in memory at once.
  const overlap = runtime.db.target.kind === "postgres";
  const commits = createCommitPipeline();
  try {
    for (;;) {
      const chunk = await prepareChunk(current.checkpointProduct);
      if (!chunk) break;
      const { products, problems, claimed, plan, events } = chunk;
      const tally = tallyOf(current);
      tally.added += plan.added;
      tally.changed += plan.changed;
      tally.unchanged += plan.unchanged;
      tally.stale += plan.stale;
      tally.problems = [...tally.problems, ...problems.map((p) => `line ${p.lineNumber}: ${p.message}`)].slice(0, MAX_REPORTED_PROBLEMS);
      const checkpoint = {
        checkpointProduct: chunk.lastProduct,
        doneProducts: current.doneProducts + products.length,
        doneVariants: current.doneVariants + products.reduce((sum, p) => sum + p.variants.length, 0),
        drift: tally as unknown as Prisma.InputJsonValue,
      };
      const written = new Set(plan.write.map((p) => p.id));
      // The chunk's products and the checkpoint that says they are done commit together.
      await commits.start(async () => {
        await runtime.db.transaction(async (tx) => {
          await writeProducts(tx, sync.shop, plan.write, sync.startedAt);
          // Unchanged (and stale) products count as seen by this sync too: they must not be removed at the end.
          await markProductsSeen(tx, sync.shop, products.filter((p) => !written.has(p.id)).map((p) => p.id), sync.startedAt);
          await recordProductEvents(tx, sync.shop, events);
          // Lines staged under a variant before it now belong to a written product: only orphans stay.
          await deleteBlocksOfRoots(tx, sync.id, claimed);
          await tx.query(
            `UPDATE "catalog_sync" SET "checkpoint_product" = $2, "done_products" = $3, "done_variants" = $4, "drift" = $5::jsonb WHERE "id" = $1`,
            [sync.id, checkpoint.checkpointProduct, checkpoint.doneProducts, checkpoint.doneVariants, JSON.stringify(tally)],
          );
        });
        deps.afterCheckpoint?.("applying", checkpoint.doneVariants);
      });
      if (!overlap) await commits.finish();
      current = { ...current, ...checkpoint } as SyncRow;
    }
    await commits.finish();
  } catch (error) {
    await commits.abandon();
    throw error;
  }
  // Lines no product took (their parent never came) are reported first, as the file's own problems.
  const orphans = await unclaimedLines(sql, sync.id, MAX_REPORTED_PROBLEMS, (line) => parseBulkLine(line.text, line.lineNo).parentId === null);
  const tally = tallyOf(current);
  tally.problems = [
    ...orphans.map((line) => {
      const { id, kind, parentId } = parseBulkLine(line.text, line.lineNo);
      return `line ${line.lineNo}: ${kind} ${id} names parent ${parentId}, which never appeared in the file`;
    }),
    ...tally.problems,
  ].slice(0, MAX_REPORTED_PROBLEMS);
  await update(runtime, current, { phase: "finishing", drift: tally as unknown as Prisma.InputJsonValue });
}

/**
 * Assembles one chunk of products from their blocks, the lines staged under their variants before
 * those variants came (`pending`, claimed here), and one copy of each plan of the selling plan
 * groups they reference: the same lines, in the same file order, as the whole-file assembler sees.
 */
async function assembleChunk(sql: SqlExecutor, syncId: string, blocks: { lines: string }[], pending: ReadonlySet<string>) {
  const parsed = parseBlocks(blocks);
  const claimed = [...new Set(parsed.filter(({ line }) => line.kind === "ProductVariant" && pending.has(line.id)).map(({ line }) => line.id))];
  if (claimed.length > 0) parsed.push(...parseBlocks(await blocksOfRoots(sql, syncId, claimed)));
  const groups = [...new Set(parsed.filter(({ line }) => line.kind === "SellingPlanGroup").map(({ line }) => line.id))];
  // A plan repeats under every product of its group (staged once, but again after a restart): keep the first.
  const plans = new Map<string, { lineNo: number; line: BulkLine }>();
  for (const entry of parseBlocks(await blocksOfRoots(sql, syncId, groups))) {
    const seen = plans.get(entry.line.id);
    if (!seen || entry.lineNo < seen.lineNo) plans.set(entry.line.id, entry);
  }
  parsed.push(...plans.values());
  parsed.sort((a, b) => a.lineNo - b.lineNo);
  const store = createBulkLineStore();
  for (const { lineNo, line } of parsed) addBulkLine(store, line, lineNo);
  const state = createBulkBuildState();
  const products = buildBulkProducts(store, state);
  return { products, problems: problemsInLineOrder(state), claimed };
}

function parseBlocks(blocks: { lines: string }[]): { lineNo: number; line: BulkLine }[] {
  const parsed: { lineNo: number; line: BulkLine }[] = [];
  for (const block of blocks) {
    for (const { lineNo, text } of blockLines(block.lines)) {
      const line = readBulkLine(text, lineNo);
      if (line) parsed.push({ lineNo, line });
    }
  }
  return parsed;
}

async function runFinishingPhase(runtime: Runtime, sync: SyncRow, deps: CatalogSyncDeps): Promise<void> {
  const { prisma, sql } = runtime.db;
  const tally = tallyOf(sync);
  const removedAt = deps.now();
  tally.removed = await deleteProductsNotSyncedSince(runtime.db, sync.shop, sync.startedAt, recordRemovalEvents(sync.shop, removedAt));
  await clearStaging(sql, sync.id);
  await analyzeSnapshot(sql);
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
