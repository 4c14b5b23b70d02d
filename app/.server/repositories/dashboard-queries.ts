import type { SqlExecutor } from "../db/connection";

/**
 * Read-side queries behind the dashboard's channel health, charts and running jobs. Each reads a few
 * indexed rows per feed, run or day; none scans a shop's items.
 */

export interface CurrentFeedCounts {
  channel: string;
  market: string;
  itemsTotal: number;
  itemsReady: number;
  itemsWithErrors: number;
  itemsExcluded: number;
  finishedAt: Date | null;
}

/** The counts of the build each feed serves now (the feed URL's content). */
export async function currentFeedCounts(sql: SqlExecutor, shop: string): Promise<CurrentFeedCounts[]> {
  const { rows } = await sql.query<{
    channel: string;
    market: string;
    items_total: number;
    items_ready: number;
    items_with_errors: number;
    items_excluded: number;
    finished_at: Date | null;
  }>(
    `SELECT f."channel", f."market", b."items_total", b."items_ready", b."items_with_errors", b."items_excluded", b."finished_at"
     FROM "channel_feed" f JOIN "feed_build" b ON b."id" = f."current_build_id"
     WHERE f."shop" = $1 AND b."shop" = $1 AND f."revoked_at" IS NULL
     ORDER BY f."channel", f."market"`,
    [shop],
  );
  return rows.map((row) => ({
    channel: row.channel,
    market: row.market,
    itemsTotal: row.items_total,
    itemsReady: row.items_ready,
    itemsWithErrors: row.items_with_errors,
    itemsExcluded: row.items_excluded,
    finishedAt: row.finished_at,
  }));
}

export interface RunningFeedBuild {
  channel: string;
  market: string;
  startedAt: Date;
  /** Products written so far (a build records its progress as it reads the snapshot). */
  products: number;
}

/** Feed builds still running that started after `since` (older ones were left by a worker that died). */
export async function runningFeedBuilds(sql: SqlExecutor, shop: string, since: Date): Promise<RunningFeedBuild[]> {
  const { rows } = await sql.query<{ channel: string; market: string; started_at: Date; products: number }>(
    `SELECT f."channel", f."market", b."started_at", b."products"
     FROM "feed_build" b JOIN "channel_feed" f ON f."id" = b."feed_id"
     WHERE b."shop" = $1 AND f."shop" = $1 AND b."status" = 'running' AND b."started_at" >= $2
     ORDER BY b."started_at", f."channel", f."market"`,
    [shop, since],
  );
  return rows.map((row) => ({ channel: row.channel, market: row.market, startedAt: row.started_at, products: row.products }));
}

/** Records each channel's publish runs handled per day in the shop's time zone, since `since`. */
export async function publishVolumeByDay(sql: SqlExecutor, shop: string, options: { since: Date; timeZone: string }): Promise<{ day: string; channel: string; items: number; rejected: number }[]> {
  const { rows } = await sql.query<{ day: string; channel: string; items: number; rejected: number }>(
    `SELECT to_char(("started_at" AT TIME ZONE 'UTC') AT TIME ZONE $3, 'YYYY-MM-DD') AS "day", "channel",
       sum("items_done")::int AS "items", sum("items_rejected")::int AS "rejected"
     FROM "publish_run" WHERE "shop" = $1 AND "started_at" >= $2
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [shop, options.since, options.timeZone],
  );
  return rows;
}
