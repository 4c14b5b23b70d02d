/**
 * Retry delays shared by the channel publishers and the publish engine.
 *
 * Full jitter: the delay is drawn uniformly between 0 and the exponential ceiling, so many shops
 * retrying after the same channel outage spread out instead of arriving together again.
 */
export interface BackoffPolicy {
  /** Ceiling of the first retry (attempt 0). */
  baseMs: number;
  /** The ceiling never grows past this. */
  maxMs: number;
}

/**
 * Delay before retry number `attempt` (0 for the first retry): a random value in
 * [0, min(maxMs, baseMs × 2^attempt)), whole milliseconds. `random` returns a number in [0, 1)
 * (Math.random in production, a fixed sequence in tests).
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number): number {
  const base = Math.max(0, policy.baseMs);
  const max = Math.max(0, policy.maxMs);
  const exponent = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
  // 2^exponent overflows to Infinity for very large attempts; min() keeps the ceiling at maxMs.
  const ceiling = Math.min(max, base * 2 ** exponent);
  const fraction = Math.min(Math.max(random(), 0), 1);
  return Math.min(Math.floor(ceiling * fraction), ceiling);
}
