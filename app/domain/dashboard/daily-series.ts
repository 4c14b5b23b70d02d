/**
 * Day arithmetic for the dashboard's charts, on calendar days written YYYY-MM-DD. Pure: "today" is
 * passed in (the service works it out in the shop's time zone), never read from the clock.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function toUtcMs(day: string): number {
  const match = DAY.exec(day);
  if (!match) throw new Error(`"${day}" is not a YYYY-MM-DD day`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

/** The day `offset` days after `day` (negative: before). */
export function addDays(day: string, offset: number): string {
  return new Date(toUtcMs(day) + offset * DAY_MS).toISOString().slice(0, 10);
}

/** The `count` days ending with `today`, oldest first. */
export function lastDays(today: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => addDays(today, index - count + 1));
}

export interface DailyValue {
  day: string;
  key: string;
  value: number;
}

/**
 * One series per key with a value for every day (0 where the rows have none), in `keys` order. Rows
 * outside `days` are ignored; several rows for one day and key add up.
 */
export function fillDailySeries(rows: readonly DailyValue[], days: readonly string[], keys: readonly string[]): { key: string; points: { day: string; value: number }[] }[] {
  const index = new Map(days.map((day, i) => [day, i]));
  return keys.map((key) => {
    const values = days.map(() => 0);
    for (const row of rows) {
      const i = index.get(row.day);
      if (row.key === key && i !== undefined) values[i] = (values[i] ?? 0) + row.value;
    }
    return { key, points: days.map((day, i) => ({ day, value: values[i] ?? 0 })) };
  });
}
