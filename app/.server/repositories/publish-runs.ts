import { randomUUID } from "node:crypto";
import type { SqlExecutor } from "../db/connection";
import type { CatalogRef } from "./channel-items";

/** Publish runs (migration 0006): the progress bar of a running publish and the activity log. */
export type PublishRunStatus = "running" | "succeeded" | "partial" | "failed";

export interface PublishRunTally {
  itemsDone: number;
  itemsLive: number;
  itemsDeleted: number;
  itemsRejected: number;
  itemsRetry: number;
  itemsDead: number;
  calls: number;
}

export interface PublishRunRow extends PublishRunTally {
  id: string;
  channel: string;
  market: string;
  trigger: string;
  status: PublishRunStatus;
  itemsDue: number;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export function emptyRunTally(): PublishRunTally {
  return { itemsDone: 0, itemsLive: 0, itemsDeleted: 0, itemsRejected: 0, itemsRetry: 0, itemsDead: 0, calls: 0 };
}

export async function startPublishRun(sql: SqlExecutor, ref: CatalogRef, trigger: string, itemsDue: number, now: Date): Promise<string> {
  const id = randomUUID();
  // A run left 'running' by a worker that died is closed by the run that replaces it.
  await sql.query(
    `UPDATE "publish_run" SET "status" = 'failed', "error" = 'The worker stopped during this run; the next run carried on.', "finished_at" = $4
     WHERE "shop" = $1 AND "channel" = $2 AND "market" = $3 AND "status" = 'running'`,
    [ref.shop, ref.channel, ref.market, now],
  );
  await sql.query(
    `INSERT INTO "publish_run" ("id", "shop", "channel", "market", "trigger", "status", "items_due", "started_at") VALUES ($1, $2, $3, $4, $5, 'running', $6, $7)`,
    [id, ref.shop, ref.channel, ref.market, trigger, itemsDue, now],
  );
  return id;
}

export async function updatePublishRun(sql: SqlExecutor, shop: string, runId: string, tally: PublishRunTally, itemsDue?: number): Promise<void> {
  await sql.query(
    `UPDATE "publish_run" SET "items_done" = $3, "items_live" = $4, "items_deleted" = $5, "items_rejected" = $6, "items_retry" = $7, "items_dead" = $8,
       "calls" = $9, "items_due" = GREATEST("items_due", COALESCE($10, "items_due"))
     WHERE "shop" = $1 AND "id" = $2`,
    [shop, runId, tally.itemsDone, tally.itemsLive, tally.itemsDeleted, tally.itemsRejected, tally.itemsRetry, tally.itemsDead, tally.calls, itemsDue ?? null],
  );
}

export async function finishPublishRun(sql: SqlExecutor, shop: string, runId: string, status: PublishRunStatus, error: string | null, now: Date): Promise<void> {
  await sql.query(`UPDATE "publish_run" SET "status" = $3, "error" = $4, "finished_at" = $5 WHERE "shop" = $1 AND "id" = $2`, [shop, runId, status, error, now]);
}

interface RunDbRow {
  id: string;
  channel: string;
  market: string;
  trigger: string;
  status: PublishRunStatus;
  items_due: number;
  items_done: number;
  items_live: number;
  items_deleted: number;
  items_rejected: number;
  items_retry: number;
  items_dead: number;
  calls: number;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

function toRun(row: RunDbRow): PublishRunRow {
  return {
    id: row.id,
    channel: row.channel,
    market: row.market,
    trigger: row.trigger,
    status: row.status,
    itemsDue: row.items_due,
    itemsDone: row.items_done,
    itemsLive: row.items_live,
    itemsDeleted: row.items_deleted,
    itemsRejected: row.items_rejected,
    itemsRetry: row.items_retry,
    itemsDead: row.items_dead,
    calls: row.calls,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}

/** The activity log: a shop's newest runs first. */
export async function listPublishRuns(sql: SqlExecutor, shop: string, limit: number): Promise<PublishRunRow[]> {
  const { rows } = await sql.query<RunDbRow>(`SELECT * FROM "publish_run" WHERE "shop" = $1 ORDER BY "started_at" DESC, "id" LIMIT $2`, [shop, limit]);
  return rows.map(toRun);
}
