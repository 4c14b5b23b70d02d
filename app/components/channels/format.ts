/** Formatting shared by the channel screens. Pure: "now" is passed in so server and browser agree. */

const NUMBER = new Intl.NumberFormat("en-US");

export function formatCount(value: number): string {
  return NUMBER.format(value);
}

/** "1.4 MB": feeds are bytes to a machine but a size to a merchant. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${NUMBER.format(bytes)} B`;
  const units = ["KB", "MB", "GB"] as const;
  let value = bytes / 1024;
  let unit: (typeof units)[number] = "KB";
  for (const next of units.slice(1)) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}

/**
 * "3 min ago" relative to `now` (the time the page's data was loaded, so the server render and the
 * browser's hydration produce the same text).
 */
export function timeAgo(iso: string, now: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(now) - Date.parse(iso)) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} ${hours === 1 ? "hour" : "hours"} ago`;
  const days = Math.round(hours / 24);
  return `${days} ${days === 1 ? "day" : "days"} ago`;
}

/** The numeric tail of a Shopify GID ("gid://shopify/Product/123" → "123"). */
export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1);
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(count)} ${count === 1 ? singular : pluralForm}`;
}
