import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { CHANNEL_IDS, type ChannelId } from "~/domain/channels/types";
import { connectionAlerts, rejectionSpikeAlerts, type DashboardAlert } from "~/domain/dashboard/alerts";
import { channelHealth, sumFeedCounts, type ChannelHealth } from "~/domain/dashboard/channel-health";
import { addDays, fillDailySeries, lastDays } from "~/domain/dashboard/daily-series";
import { detectRejectionSpikes, SPIKE_DEFAULTS } from "~/domain/dashboard/rejection-spike";
import { isPublishChannel } from "~/domain/publishing/desired-state";
import { channelShortName } from "~/domain/timeline/events";
import { dayIn } from "~/domain/timeline/group-by-day";
import { QUEUES } from "../jobs/names";
import { countItemStates } from "../repositories/channel-items";
import { currentFeedCounts, publishVolumeByDay, runningFeedBuilds } from "../repositories/dashboard-queries";
import { issueCountsByDay } from "../repositories/feed-issues";
import { countRejectionsByDay } from "../repositories/product-events";
import { listPublishRuns } from "../repositories/publish-runs";
import type { Runtime } from "../runtime";
import { listConnectionSummaries } from "./publishing/connections";

/**
 * The dashboard's channel half: health per channel, issues and publish volume over the last 30 days,
 * the jobs running now, and alerts. Plain data for the browser; the charts draw from `series`, and
 * `table` and `summary` are their text equivalents.
 */
export const CHART_DAYS = 30;
/** A build or run still "running" this long after it started was left by a worker that died. */
const STALE_JOB_MS = 60 * 60 * 1000;

export interface ChannelHealthView extends ChannelHealth {
  channel: ChannelId;
  label: string;
  /** API channels: the connection's state; null for feed-only channels. */
  connection: "connected" | "pending" | "reconnect" | "not-connected" | null;
}

export interface ChartView {
  /** One series per channel, a point per day (keys are day labels, "Nov 22"). */
  series: { name: string; data: { key: string; value: number }[] }[];
  /** The chart in one or two sentences, for people who do not see it. */
  summary: string;
  /** Every value, as a table (day rows, channel columns). */
  table: { headings: string[]; rows: string[][] };
  /** Nothing to draw: every value is zero. */
  empty: boolean;
}

export interface RunningJobView {
  id: string;
  kind: "feed-build" | "publish";
  title: string;
  detail: string;
  /** 0..100; null while the amount of work is not known yet (a queued build). */
  progress: number | null;
}

export interface ChannelActivity {
  health: ChannelHealthView[];
  charts: { issues: ChartView; publishVolume: ChartView };
  jobs: RunningJobView[];
  /** Low stock on promoted items is not here: the route adds the campaigns' own (loadLowStockAlerts) beside these. */
  alerts: DashboardAlert[];
  /** Jobs are running or queued: the page refreshes itself. */
  busy: boolean;
}

const NUMBER = new Intl.NumberFormat("en-US");

function dayLabel(day: string): string {
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

/** A chart's series, table and summary from per-day, per-channel values. */
export function chartView(rows: { day: string; key: string; value: number }[], days: string[], options: { channels: string[]; what: string; now: "latest" | "total" }): ChartView {
  const filled = fillDailySeries(rows, days, options.channels).filter((series) => series.points.some((point) => point.value > 0));
  const series = filled.map((s) => ({ name: channelShortName(s.key), data: s.points.map((point) => ({ key: dayLabel(point.day), value: point.value })) }));
  const table = {
    headings: ["Day", ...series.map((s) => s.name)],
    rows: days.map((day, index) => [dayLabel(day), ...filled.map((s) => NUMBER.format(s.points[index]?.value ?? 0))]),
  };
  const figures = filled.map((s) => {
    const value = options.now === "latest" ? (s.points[s.points.length - 1]?.value ?? 0) : s.points.reduce((sum, point) => sum + point.value, 0);
    return `${channelShortName(s.key)} ${NUMBER.format(value)}`;
  });
  const summary =
    figures.length === 0
      ? `No ${options.what} in the last ${days.length} days.`
      : `${options.now === "latest" ? `${options.what[0]?.toUpperCase()}${options.what.slice(1)} today` : `${options.what[0]?.toUpperCase()}${options.what.slice(1)} over ${days.length} days`}: ${figures.join(", ")}.`;
  return { series, summary, table, empty: series.length === 0 };
}

export async function loadChannelActivity(runtime: Runtime, shop: string, options: { now: Date; timeZone: string; productCount: number }): Promise<ChannelActivity> {
  const { now, timeZone } = options;
  const sql = runtime.db.sql;
  const today = dayIn(now, timeZone);
  const days = lastDays(today, CHART_DAYS);
  // A day back further than the first chart day covers every shop time zone.
  const since = new Date(Date.parse(`${addDays(days[0] ?? today, -1)}T00:00:00Z`));
  const spikeSince = new Date(Date.parse(`${addDays(today, -SPIKE_DEFAULTS.trailingDays - 1)}T00:00:00Z`));
  const [connections, feeds, items, issueDays, volume, rejections, builds, runs, queuedBuilds] = await Promise.all([
    listConnectionSummaries(runtime, shop),
    currentFeedCounts(sql, shop),
    countItemStates(sql, shop),
    issueCountsByDay(sql, shop, { days: CHART_DAYS, now }),
    publishVolumeByDay(sql, shop, { since, timeZone }),
    countRejectionsByDay(sql, shop, { since: spikeSince, timeZone }),
    runningFeedBuilds(sql, shop, new Date(now.getTime() - STALE_JOB_MS)),
    listPublishRuns(sql, shop, 20),
    runtime.boss.findJobs<{ shop: string }>(QUEUES.buildFeeds, { data: { shop }, queued: true }),
  ]);

  const health = CHANNEL_IDS.map((channel): ChannelHealthView => {
    const connection = isPublishChannel(channel) ? (connections.find((c) => c.channel === channel)?.status ?? "not-connected") : null;
    const rows = items.filter((row) => row.channel === channel);
    const records = rows.length > 0 ? rows.reduce((sum, row) => ({ live: sum.live + row.live, pending: sum.pending + row.pending, rejected: sum.rejected + row.rejected, dead: sum.dead + row.dead }), { live: 0, pending: 0, rejected: 0, dead: 0 }) : null;
    return {
      channel,
      label: CHANNEL_ADAPTERS[channel].label,
      connection,
      ...channelHealth({ publishing: connection === "connected", feed: sumFeedCounts(feeds.filter((feed) => feed.channel === channel)), records }),
    };
  });

  // Issue days are UTC days (the feed issues' own counting); they label the same way.
  const issueChart = chartView(issueDays.map((row) => ({ day: row.day, key: row.channel, value: row.open })), lastDays(dayIn(now, "UTC"), CHART_DAYS), { channels: [...CHANNEL_IDS], what: "open issues", now: "latest" });
  const volumeChart = chartView(volume.map((row) => ({ day: row.day, key: row.channel, value: row.items })), days, { channels: [...CHANNEL_IDS], what: "records published", now: "total" });

  const jobs: RunningJobView[] = [];
  if (builds.length > 0) {
    const done = Math.min(...builds.map((build) => build.products));
    const total = options.productCount;
    jobs.push({
      id: "feed-build",
      kind: "feed-build",
      title: `Building ${builds.length} ${builds.length === 1 ? "feed" : "feeds"}`,
      detail: total > 0 ? `${NUMBER.format(done)} of ${NUMBER.format(total)} products` : "Reading the catalog…",
      progress: total > 0 ? Math.min(100, Math.round((done / total) * 100)) : null,
    });
  } else if (queuedBuilds.length > 0) {
    jobs.push({ id: "feed-build", kind: "feed-build", title: "Feed rebuild queued", detail: "Starts once changes settle", progress: null });
  }
  for (const run of runs) {
    if (run.status !== "running" || now.getTime() - run.startedAt.getTime() > STALE_JOB_MS) continue;
    jobs.push({
      id: `publish-${run.id}`,
      kind: "publish",
      title: `Publishing to ${channelShortName(run.channel)} (${run.market})`,
      detail: `${NUMBER.format(run.itemsDone)} of ${NUMBER.format(run.itemsDue)} records`,
      progress: run.itemsDue > 0 ? Math.min(100, Math.round((run.itemsDone / run.itemsDue) * 100)) : null,
    });
  }

  const alerts = [
    ...connectionAlerts(connections, now, timeZone),
    ...rejectionSpikeAlerts(detectRejectionSpikes(rejections, { today, published: volume.map((row) => ({ day: row.day, channel: row.channel, count: row.items })) })),
  ];
  return { health, charts: { issues: issueChart, publishVolume: volumeChart }, jobs, alerts, busy: jobs.length > 0 };
}
