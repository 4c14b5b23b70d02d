/**
 * Words for feed issues, shared by the issue list, its CSV export and the event summaries written
 * to product timelines ("Meta: title too long (title, 163 characters)").
 */
import type { CHANNEL_IDS, DiagnosticSource } from "../channels/types";

export const ISSUE_SOURCES = ["shelfcast", "meta", "tiktok"] as const satisfies readonly DiagnosticSource[];
export type IssueSource = (typeof ISSUE_SOURCES)[number];

/** Short channel names for lists and summaries, where the adapters' full labels are too long. */
export const CHANNEL_SHORT_LABELS: Record<(typeof CHANNEL_IDS)[number], string> = {
  meta: "Meta",
  tiktok: "TikTok Shop",
  "tiktok-ads": "TikTok ads",
  pinterest: "Pinterest",
  google: "Google",
};

export const SOURCE_LABELS: Record<IssueSource, string> = { shelfcast: "Shelfcast", meta: "Meta", tiktok: "TikTok" };

export function channelShortLabel(channel: string): string {
  return (CHANNEL_SHORT_LABELS as Record<string, string>)[channel] ?? channel;
}

export function sourceLabel(source: string): string {
  return (SOURCE_LABELS as Record<string, string>)[source] ?? source;
}

/** A diagnostic code as words: "title_too_long" → "title too long". Codes stay the stable keys. */
export function issueCodeLabel(code: string): string {
  return code.replace(/_/g, " ");
}
