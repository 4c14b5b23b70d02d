import { addDays } from "./daily-series";

/**
 * "A spike of rejections": a channel refused far more records today than it usually does. Today's
 * count is compared with the mean of the trailing days before it (days with no rejection count as 0).
 * A floor keeps a quiet channel from alerting on two rejections after a week of none, and a channel
 * that published nothing in the trailing days has no "usual" yet: its first publish is not a spike.
 */
export interface DailyRejections {
  day: string;
  channel: string;
  count: number;
}

export interface SpikeOptions {
  /** YYYY-MM-DD in the shop's time zone. */
  today: string;
  /** Days before today the mean is taken over. */
  trailingDays?: number;
  /** Today must exceed factor × the trailing mean. */
  factor?: number;
  /** ...and be at least this many rejections. */
  minimum?: number;
  /**
   * Records published per day and channel. When given, a channel with none in the trailing days is
   * left out (a first publish, or the first after a long pause, has nothing to compare with).
   */
  published?: readonly DailyRejections[];
}

export interface RejectionSpike {
  channel: string;
  today: number;
  trailingMean: number;
  trailingDays: number;
}

export const SPIKE_DEFAULTS = { trailingDays: 7, factor: 3, minimum: 10 } as const;

export function detectRejectionSpikes(rows: readonly DailyRejections[], options: SpikeOptions): RejectionSpike[] {
  const trailingDays = options.trailingDays ?? SPIKE_DEFAULTS.trailingDays;
  const factor = options.factor ?? SPIKE_DEFAULTS.factor;
  const minimum = options.minimum ?? SPIKE_DEFAULTS.minimum;
  if (!(trailingDays >= 1) || !(factor > 0)) throw new Error("trailingDays must be at least 1 and factor above 0");
  const firstTrailing = addDays(options.today, -trailingDays);
  const channels = new Map<string, { today: number; trailing: number }>();
  for (const row of rows) {
    const totals = channels.get(row.channel) ?? { today: 0, trailing: 0 };
    if (row.day === options.today) totals.today += row.count;
    else if (row.day >= firstTrailing && row.day < options.today) totals.trailing += row.count;
    channels.set(row.channel, totals);
  }
  const withHistory = options.published
    ? new Set(options.published.filter((row) => row.count > 0 && row.day >= firstTrailing && row.day < options.today).map((row) => row.channel))
    : null;
  const spikes: RejectionSpike[] = [];
  for (const [channel, totals] of channels) {
    if (withHistory && !withHistory.has(channel)) continue;
    const trailingMean = totals.trailing / trailingDays;
    if (totals.today >= minimum && totals.today > factor * trailingMean) spikes.push({ channel, today: totals.today, trailingMean, trailingDays });
  }
  return spikes.sort((a, b) => b.today - a.today || a.channel.localeCompare(b.channel));
}
