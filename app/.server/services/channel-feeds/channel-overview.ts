import { CHANNEL_ADAPTERS } from "~/domain/channels/adapters";
import { CHANNEL_IDS, type ChannelId } from "~/domain/channels/types";
import { QUEUES } from "../../jobs/names";
import { getBuild, latestBuilds, listFeeds, topDiagnosticCodes, type FeedBuildRow } from "../../repositories/channel-feeds";
import type { Runtime } from "../../runtime";
import { loadChannelSetup } from "./channel-setup";
import { requestFeedBuild } from "./request-feed-build";
import { saveFeedSettings, type SaveFeedSettingsResult } from "./feed-settings";
import { revokeFeedToken, rotateFeedToken } from "./feed-tokens";

export interface FeedView {
  feedId: string;
  market: string;
  format: string;
  /** Absolute URL to give the channel; null when revoked. */
  url: string | null;
  tokenCreatedAt: string;
  revoked: boolean;
  /** The build the URL serves. */
  current: BuildView | null;
  /** A newer build that is running or failed, if any. */
  latest: BuildView | null;
}

export interface BuildView {
  status: string;
  startedAt: string;
  finishedAt: string | null;
  products: number;
  itemsTotal: number;
  itemsReady: number;
  itemsWithErrors: number;
  itemsExcluded: number;
  itemsWithWarnings: number;
  bytes: number;
  contentChangedAt: string | null;
  error: string | null;
}

export interface ChannelView {
  channel: ChannelId;
  label: string;
  formats: readonly string[];
  feeds: FeedView[];
}

export interface ChannelsOverview {
  channels: ChannelView[];
  topProblems: { channel: string; market: string; code: string; severity: string; items: number; example: string }[];
  /** A build is queued or running: the page polls. */
  building: boolean;
  markets: { code: string; currency: string; language: string }[];
  idScheme: string;
  setupProblems: string[];
}

export async function loadChannelsOverview(runtime: Runtime, shop: string): Promise<ChannelsOverview> {
  const [setup, feeds, builds, topProblems, pending] = await Promise.all([
    loadChannelSetup(runtime, shop),
    listFeeds(runtime.db.sql, shop),
    latestBuilds(runtime.db.sql, shop),
    topDiagnosticCodes(runtime.db.sql, shop, 12),
    runtime.boss.findJobs(QUEUES.buildFeeds, { data: { shop }, queued: true }),
  ]);
  const latestByFeed = new Map(builds.map((build) => [build.feedId, build]));
  const currentBuilds = await currentBuildsOf(runtime, shop, feeds);
  const channels = CHANNEL_IDS.map((channel): ChannelView => {
    const adapter = CHANNEL_ADAPTERS[channel];
    return {
      channel,
      label: adapter.label,
      formats: adapter.formats,
      feeds: feeds
        .filter((feed) => feed.channel === channel)
        .map((feed) => {
          const current = feed.currentBuildId ? currentBuilds.get(feed.currentBuildId) ?? null : null;
          const latest = latestByFeed.get(feed.id) ?? null;
          return {
            feedId: feed.id,
            market: feed.market,
            format: feed.format,
            url: feed.revokedAt ? null : `${runtime.env.appUrl}/feeds/${feed.token}.${feed.format}`,
            tokenCreatedAt: feed.tokenCreatedAt.toISOString(),
            revoked: feed.revokedAt !== null,
            current: current ? buildView(current) : null,
            latest: latest && latest.id !== feed.currentBuildId ? buildView(latest) : null,
          };
        }),
    };
  });
  const running = builds.some((build) => build.status === "running");
  return {
    channels,
    topProblems,
    building: running || pending.length > 0,
    markets: setup.markets,
    idScheme: setup.idScheme.name,
    setupProblems: setup.problems,
  };
}

async function currentBuildsOf(runtime: Runtime, shop: string, feeds: { currentBuildId: string | null }[]): Promise<Map<string, FeedBuildRow>> {
  const ids = feeds.map((feed) => feed.currentBuildId).filter((id): id is string => id !== null);
  if (ids.length === 0) return new Map();
  const rows = await Promise.all(ids.map((id) => getBuild(runtime.db.sql, shop, id)));
  return new Map(rows.filter((row): row is FeedBuildRow => row !== null).map((row) => [row.id, row]));
}

function buildView(build: FeedBuildRow): BuildView {
  return {
    status: build.status,
    startedAt: build.startedAt.toISOString(),
    finishedAt: build.finishedAt?.toISOString() ?? null,
    products: build.products,
    itemsTotal: build.itemsTotal,
    itemsReady: build.itemsReady,
    itemsWithErrors: build.itemsWithErrors,
    itemsExcluded: build.itemsExcluded,
    itemsWithWarnings: build.itemsWithWarnings,
    bytes: build.bytes,
    contentChangedAt: build.contentChangedAt?.toISOString() ?? null,
    error: build.error,
  };
}

export type ChannelsAction =
  | { intent: "rebuild" }
  | { intent: "rotate"; feedId: string }
  | { intent: "revoke"; feedId: string }
  | { intent: "settings"; settings: string };

/** The Channels page's actions; each answers with a message for a toast (and field errors for settings). */
export async function runChannelsAction(runtime: Runtime, shop: string, action: ChannelsAction): Promise<SaveFeedSettingsResult | { ok: boolean; message: string }> {
  switch (action.intent) {
    case "settings": {
      let settings: unknown;
      try {
        settings = JSON.parse(action.settings);
      } catch {
        return { ok: false, message: "The settings could not be read; reload the page and try again.", errors: [] };
      }
      return saveFeedSettings(runtime, shop, settings);
    }
    case "rebuild":
      await requestFeedBuild(runtime, shop, "rebuild requested", { immediately: true });
      return { ok: true, message: "Rebuilding feeds" };
    case "rotate":
      return (await rotateFeedToken(runtime, shop, action.feedId))
        ? { ok: true, message: "New feed URL created; give it to the channel — the old URL no longer works" }
        : { ok: false, message: "That feed was not found" };
    case "revoke":
      return (await revokeFeedToken(runtime, shop, action.feedId))
        ? { ok: true, message: "Feed URL revoked; it now answers 404" }
        : { ok: false, message: "That feed was not found" };
  }
}
