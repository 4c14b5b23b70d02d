/**
 * A month of campaign windows as a grid of weeks (Sunday first), in the shop's time zone: each day
 * lists the campaigns running at some moment of it. Pure: the month and the zone are passed in.
 */
import { dayInZone, startOfDayInZone } from "./zoned-time";

export interface CalendarEntry {
  id: string;
  name: string;
  kind: "post" | "campaign";
  /** Window as epoch milliseconds, start included, end excluded. */
  start: number;
  end: number;
}

export interface CalendarCampaignDay {
  id: string;
  name: string;
  kind: "post" | "campaign";
  /** The window opens or closes on this day (for a rounded bar end). */
  starts: boolean;
  ends: boolean;
}

export interface CalendarDay {
  /** "2026-03-08" */
  date: string;
  dayOfMonth: number;
  inMonth: boolean;
  campaigns: CalendarCampaignDay[];
}

export interface CalendarMonth {
  /** "2026-03" */
  month: string;
  /** "March 2026" */
  label: string;
  previous: string;
  next: string;
  weeks: CalendarDay[][];
}

const MONTH = /^(\d{4})-(\d{2})$/;
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "2026-03" when valid, else null. */
export function parseMonth(text: string | null | undefined): string | null {
  const match = MONTH.exec((text ?? "").trim());
  if (!match) return null;
  const month = Number(match[2]);
  return month >= 1 && month <= 12 && Number(match[1]) >= 2000 && Number(match[1]) <= 2100 ? `${match[1]}-${match[2]}` : null;
}

/** The month an instant falls in, in the zone. */
export function monthOf(ms: number, timeZone: string): string {
  return dayInZone(ms, timeZone).slice(0, 7);
}

function shiftMonth(month: string, by: number): string {
  const [year, index] = month.split("-").map(Number) as [number, number];
  const date = new Date(Date.UTC(year, index - 1 + by, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function calendarMonth(month: string, timeZone: string, entries: readonly CalendarEntry[]): CalendarMonth {
  const [year, index] = month.split("-").map(Number) as [number, number];
  const first = new Date(Date.UTC(year, index - 1, 1));
  const daysInMonth = new Date(Date.UTC(year, index, 0)).getUTCDate();
  // Calendar days are plain dates (UTC arithmetic); only their bounds are read in the shop's zone.
  const gridStart = new Date(first.getTime() - first.getUTCDay() * 86_400_000);
  const cells = Math.ceil((first.getUTCDay() + daysInMonth) / 7) * 7;
  const sorted = [...entries].sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const weeks: CalendarDay[][] = [];
  for (let cell = 0; cell < cells; cell += 1) {
    const date = new Date(gridStart.getTime() + cell * 86_400_000);
    const day = isoDay(date);
    const next = isoDay(new Date(date.getTime() + 86_400_000));
    const dayStart = startOfDayInZone(day, timeZone);
    const dayEnd = startOfDayInZone(next, timeZone);
    const campaigns = sorted
      .filter((entry) => entry.start < dayEnd && entry.end > dayStart)
      .map((entry) => ({ id: entry.id, name: entry.name, kind: entry.kind, starts: entry.start >= dayStart, ends: entry.end <= dayEnd }));
    if (cell % 7 === 0) weeks.push([]);
    weeks[weeks.length - 1]?.push({ date: day, dayOfMonth: date.getUTCDate(), inMonth: date.getUTCMonth() === index - 1, campaigns });
  }
  return { month, label: `${MONTH_NAMES[index - 1]} ${year}`, previous: shiftMonth(month, -1), next: shiftMonth(month, 1), weeks };
}
