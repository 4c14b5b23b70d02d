/**
 * Wall-clock times in a shop's time zone ↔ instants. Campaign windows are stored and compared as
 * instants (ADR 0014); merchants read and type them in their shop's time zone, so the screens turn
 * "2026-03-01 09:00 in America/New_York" into "2026-03-01T09:00:00-05:00" and back. Intl does the
 * zone arithmetic (daylight saving included); nothing here reads the clock.
 */

const WALL_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether Intl knows the IANA zone ("America/New_York"). */
export function isTimeZone(timeZone: string): boolean {
  try {
    partsFormatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The zone's calendar fields at an instant. */
function wallFields(ms: number, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = partsFormatter(timeZone).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((part) => part.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** The zone's offset from UTC at an instant, in minutes (New York in winter: -300). */
export function zoneOffsetMinutes(ms: number, timeZone: string): number {
  const wall = wallFields(ms, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** -300 → "-05:00", 60 → "+01:00", 0 → "+00:00". */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/**
 * "2026-03-01T09:00" read in `timeZone` → "2026-03-01T09:00:00-05:00" (an ISO instant with the
 * zone's offset at that moment). A time skipped by a daylight-saving jump lands just after it, as
 * clocks do. null when `wall` is not a date and time.
 */
export function wallTimeToInstant(wall: string, timeZone: string): string | null {
  const match = WALL_TIME.exec(wall.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((part) => Number(part ?? 0)) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate() || hour > 23 || minute > 59 || second > 59) return null;
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // The instants the zone's offsets around that moment give; those that read back as the wall time
  // are right (two in the hour that repeats when clocks go back: the earlier wins). None in the
  // hour skipped when clocks go forward: the later one, which is the time as if the clocks had moved.
  const early = asUtc - zoneOffsetMinutes(asUtc, timeZone) * 60_000;
  const late = asUtc - zoneOffsetMinutes(early, timeZone) * 60_000;
  const candidates = [...new Set([early, late])].sort((a, b) => a - b);
  const reads = (ms: number) => instantInZone(ms, timeZone).slice(0, 19) === new Date(asUtc).toISOString().slice(0, 19);
  const ms = candidates.find(reads) ?? (candidates.at(-1) as number);
  return instantInZone(ms, timeZone);
}

/** An instant as an ISO date-time with the zone's offset: 1772373600000 → "2026-03-01T09:00:00-05:00". */
export function instantInZone(ms: number, timeZone: string): string {
  const wall = wallFields(ms, timeZone);
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${wall.year}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}${formatOffset(zoneOffsetMinutes(ms, timeZone))}`;
}

/** The value of a datetime-local input for an instant in the zone: "2026-03-01T09:00". */
export function instantToWallTime(ms: number, timeZone: string): string {
  return instantInZone(ms, timeZone).slice(0, 16);
}

/** The calendar day ("2026-03-01") an instant falls on in the zone. */
export function dayInZone(ms: number, timeZone: string): string {
  return instantInZone(ms, timeZone).slice(0, 10);
}

/** Midnight starting `day` ("2026-03-08") in the zone, as epoch milliseconds. */
export function startOfDayInZone(day: string, timeZone: string): number {
  const instant = wallTimeToInstant(`${day}T00:00`, timeZone);
  if (!instant) throw new RangeError(`not a calendar day: ${day}`);
  return Date.parse(instant);
}

/** "1 Mar 2026, 09:00" in the zone: how the screens print a window's ends. */
export function formatInZone(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ms));
}
