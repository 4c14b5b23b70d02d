import { PUBLISH_CHANNELS, type PublishChannelId } from "~/domain/publishing/desired-state";
import { QUEUES } from "../../jobs/names";
import { countItemStates, listDeadItems, reviveDeadItems, type DeadItemRow } from "../../repositories/channel-items";
import { countOpenVerdicts, listOpenVerdicts, type VerdictRow } from "../../repositories/channel-verdicts";
import { listPublishRuns, type PublishRunRow } from "../../repositories/publish-runs";
import type { Runtime } from "../../runtime";
import { listConnectionSummaries } from "./connections";
import { requestChannelPlan } from "./plan-channel-items";
import { requestCatalogPublish } from "./request-publish";

/**
 * What the Channels page shows about publishing through the channels' APIs: per channel its
 * connection, how many records are live, pending, rejected or dead, the run in progress, recent
 * channel-reported problems, the dead-letter list and the activity log. Plain data for the browser:
 * no secret is ever part of it.
 */
export interface PublishingChannelView {
  channel: PublishChannelId;
  label: string;
  connection: { status: "connected" | "pending" | "reconnect" | "not-connected"; detail: string | null; lastError: string | null };
  counts: { live: number; pending: number; rejected: number; dead: number; deleting: number };
  openErrors: number;
  openWarnings: number;
  running: PublishRunView | null;
  lastRun: PublishRunView | null;
  recentProblems: ProblemView[];
  deadLetters: DeadLetterView[];
}

/** A run as the browser gets it: dates as ISO strings. */
export type PublishRunView = Omit<PublishRunRow, "startedAt" | "finishedAt"> & { startedAt: string; finishedAt: string | null };

export interface ProblemView {
  itemId: string;
  productId: string;
  code: string;
  severity: string;
  message: string;
  fix: string;
  firstSeenAt: string;
}

export interface DeadLetterView {
  key: string;
  market: string;
  productId: string;
  reason: string;
  attempts: number;
  at: string;
}

export interface PublishingOverview {
  channels: PublishingChannelView[];
  activity: PublishRunView[];
  /** A publish or plan is queued or running: the page refreshes itself. */
  busy: boolean;
}

const LABELS: Record<PublishChannelId, string> = { meta: "Meta catalog (Facebook & Instagram)", tiktok: "TikTok Shop" };

export async function loadPublishingOverview(runtime: Runtime, shop: string): Promise<PublishingOverview> {
  const sql = runtime.db.sql;
  const [connections, counts, verdictCounts, runs, dead, problems, busy] = await Promise.all([
    listConnectionSummaries(runtime, shop),
    countItemStates(sql, shop),
    countOpenVerdicts(sql, shop),
    listPublishRuns(sql, shop, 20),
    listDeadItems(sql, shop, 50),
    listOpenVerdicts(sql, shop, { limit: 50 }),
    hasQueuedWork(runtime, shop),
  ]);
  const channels = PUBLISH_CHANNELS.map((channel): PublishingChannelView => {
    const connection = connections.find((c) => c.channel === channel);
    const rows = counts.filter((row) => row.channel === channel);
    const sum = (field: "live" | "pending" | "rejected" | "dead" | "deleting") => rows.reduce((total, row) => total + row[field], 0);
    const channelRuns = runs.filter((run) => run.channel === channel);
    const running = channelRuns.find((run) => run.status === "running") ?? null;
    const lastRun = channelRuns.find((run) => run.status !== "running") ?? null;
    const verdicts = verdictCounts.find((row) => row.channel === channel);
    return {
      channel,
      label: LABELS[channel],
      connection: {
        status: connection?.status ?? "not-connected",
        detail: connection?.detail ?? null,
        lastError: connection?.lastError ?? null,
      },
      counts: { live: sum("live"), pending: sum("pending"), rejected: sum("rejected"), dead: sum("dead"), deleting: sum("deleting") },
      openErrors: verdicts?.errors ?? 0,
      openWarnings: verdicts?.warnings ?? 0,
      running: running ? runView(running) : null,
      lastRun: lastRun ? runView(lastRun) : null,
      recentProblems: problems.filter((problem) => problem.channel === channel).slice(0, 8).map(problemView),
      deadLetters: dead.filter((row) => row.channel === channel).map(deadView),
    };
  });
  return { channels, activity: runs.map(runView), busy };
}

/** "Publish now": a full plan of every connected channel, then a publish of whatever changed. */
export async function requestPublishNow(runtime: Runtime, shop: string): Promise<void> {
  await requestChannelPlan(runtime, shop, "Publish now");
}

/** Retry from the dead-letter list: the records get a fresh retry budget and a publish is asked for. */
export async function retryDeadLetters(runtime: Runtime, shop: string, channel: PublishChannelId, keys?: string[]): Promise<number> {
  const revived = await reviveDeadItems(runtime.db.sql, shop, channel, keys);
  const { rows } = await runtime.db.sql.query<{ market: string }>(`SELECT DISTINCT "market" FROM "channel_item" WHERE "shop" = $1 AND "channel" = $2`, [shop, channel]);
  for (const row of rows) await requestCatalogPublish(runtime, { shop, channel, market: row.market }, "retry from dead letters");
  return revived;
}

async function hasQueuedWork(runtime: Runtime, shop: string): Promise<boolean> {
  for (const queue of [QUEUES.planChannelItems, QUEUES.publishCatalog]) {
    const jobs = await runtime.boss.findJobs<{ shop: string }>(queue, { data: { shop }, queued: true });
    // Delayed retries (a throttled channel) are not "busy": the page would refresh for minutes.
    if (jobs.some((job) => !job.startAfter || new Date(job.startAfter).getTime() <= Date.now() + 5_000)) return true;
  }
  return false;
}

function runView(run: PublishRunRow): PublishRunView {
  return { ...run, startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt ? run.finishedAt.toISOString() : null };
}

function problemView(verdict: VerdictRow): ProblemView {
  return {
    itemId: verdict.itemId,
    productId: verdict.productId,
    code: verdict.code,
    severity: verdict.severity,
    message: verdict.message,
    fix: verdict.fix,
    firstSeenAt: verdict.firstSeenAt.toISOString(),
  };
}

function deadView(row: DeadItemRow): DeadLetterView {
  return { key: row.key, market: row.market, productId: row.productId, reason: row.reason, attempts: row.attempts, at: row.updatedAt.toISOString() };
}
