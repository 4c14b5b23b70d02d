/**
 * Timeline days in the shop's time zone: events newest first, grouped under a day heading, each with
 * its time of day. Formatted once (on the server) so server and browser render the same text.
 */
export interface TimelineDay<T> {
  /** YYYY-MM-DD in the shop's time zone. */
  day: string;
  /** "Sunday, November 22, 2026". */
  label: string;
  events: (T & { time: string })[];
}

/** The calendar day of an instant in a time zone, as YYYY-MM-DD. */
export function dayIn(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/**
 * Groups events (already in the order to show, newest first) under their day. Events of one day stay
 * together even if the input interleaves days (it never should; the repository orders by time).
 */
export function groupByDay<T extends { at: string }>(events: readonly T[], timeZone: string): TimelineDay<T>[] {
  const dayLabel = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "long", year: "numeric", month: "long", day: "numeric" });
  const timeLabel = new Intl.DateTimeFormat("en-US", { timeZone, hour: "numeric", minute: "2-digit", second: "2-digit" });
  const days = new Map<string, TimelineDay<T>>();
  for (const event of events) {
    const at = new Date(event.at);
    const day = dayIn(at, timeZone);
    let group = days.get(day);
    if (!group) {
      group = { day, label: dayLabel.format(at), events: [] };
      days.set(day, group);
    }
    group.events.push({ ...event, time: timeLabel.format(at) });
  }
  return [...days.values()];
}

/**
 * Merges a further page into days already shown ("Load more"): a day cut by the page boundary
 * continues under the same heading instead of appearing twice.
 */
export function appendDays<T>(shown: readonly TimelineDay<T>[], next: readonly TimelineDay<T>[]): TimelineDay<T>[] {
  const merged = shown.map((day) => ({ ...day, events: [...day.events] }));
  for (const day of next) {
    const last = merged[merged.length - 1];
    if (last && last.day === day.day) last.events.push(...day.events);
    else merged.push({ ...day, events: [...day.events] });
  }
  return merged;
}
