/**
 * Instants and days for the rules. Campaign windows and `--at` are instants: an ISO 8601 date-time
 * with an offset ("2026-03-01T09:00:00-05:00" or "…Z"), compared as milliseconds since the epoch,
 * never as local dates. Release dates may also be written as a bare day ("2027-01-12"), read as
 * midnight UTC like the catalog's pre-order metafields (channels/offer.ts).
 */

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"] as const;

/** Whether year-month-day is a real calendar day (Date.parse turns 30 February into 2 March). */
function isCalendarDay(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

/** Milliseconds since the epoch for an ISO date-time with an offset; null for anything else. */
export function parseInstant(text: string): number | null {
  const match = INSTANT.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second] = match;
  if (!isCalendarDay(Number(year), Number(month), Number(day))) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return null;
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A release or restock date as an ISO date-time: an instant with an offset is kept as written (its
 * calendar day is the one the merchant meant); a bare day becomes midnight UTC. null when neither.
 */
export function normalizeDate(text: string): string | null {
  const trimmed = text.trim();
  const day = DAY.exec(trimmed);
  if (day) return isCalendarDay(Number(day[1]), Number(day[2]), Number(day[3])) ? `${trimmed}T00:00:00Z` : null;
  return parseInstant(trimmed) === null ? null : trimmed;
}

/** "2027-01-12T00:00:00-08:00" → "12 Jan 2027": the day as written, in the writer's own offset. */
export function formatDay(isoDateTime: string): string {
  const [year, month, day] = isoDateTime.slice(0, 10).split("-");
  return `${Number(day)} ${MONTHS[Number(month) - 1] ?? "?"} ${year}`;
}

/** The instant `months` calendar months after `now` (Google's "at most a year ahead"). */
export function monthsAfter(now: Date, months: number): number {
  const limit = new Date(now.getTime());
  limit.setUTCMonth(limit.getUTCMonth() + months);
  return limit.getTime();
}
