import type { ProductChange } from "./product-changes";

/**
 * The few lines under an event's summary on the timeline: every change of a Shopify update, every
 * problem a channel named, the market of a channel event. Worked out on the server from the stored
 * details, so the page receives words, not the raw JSON. Unknown shapes give no lines, never an error.
 */
const MAX_LINES = 12;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function changeLine(change: ProductChange): string {
  const where = change.variantTitle ? `${change.variantTitle}: ` : "";
  const values = change.before !== undefined || change.after !== undefined ? ` ${String(change.before ?? "—")} → ${String(change.after ?? "—")}` : "";
  return `${where}${change.field}${values}`;
}

function problemLine(problem: Record<string, unknown>): string | null {
  if (typeof problem.message !== "string") return null;
  const code = typeof problem.code === "string" ? ` (${problem.code})` : "";
  const item = typeof problem.itemId === "string" ? `Item ${problem.itemId}: ` : "";
  return `${item}${problem.message}${code}`;
}

export function detailLines(kind: string, details: Record<string, unknown>): string[] {
  const lines: string[] = [];
  if (kind === "shopify.updated" && Array.isArray(details.changes)) {
    for (const change of details.changes) if (isRecord(change) && typeof change.field === "string") lines.push(changeLine(change as unknown as ProductChange));
  }
  for (const key of ["problems", "warnings"] as const) {
    const list = details[key];
    if (Array.isArray(list)) for (const problem of list) if (isRecord(problem)) lines.push(...[problemLine(problem)].filter((line): line is string => line !== null));
  }
  if (Array.isArray(details.lines)) for (const line of details.lines) if (typeof line === "string") lines.push(line);
  const shown = lines.slice(0, MAX_LINES);
  if (lines.length > MAX_LINES) shown.push(`…and ${lines.length - MAX_LINES} more`);
  return shown;
}
