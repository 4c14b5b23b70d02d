import { z } from "zod";
import { CHANNEL_IDS } from "~/domain/channels/types";
import { detailLines } from "~/domain/timeline/detail-lines";
import { channelShortName, EVENT_KIND_LABELS, isProductEventKind } from "~/domain/timeline/events";
import { groupByDay, type TimelineDay } from "~/domain/timeline/group-by-day";
import { listProductEvents, type EventCursor, type StoredProductEvent } from "../repositories/product-events";
import { getShop } from "../repositories/shops";
import type { Runtime } from "../runtime";

/**
 * A product's timeline: its own events (Shopify changes, publishes, channel verdicts, issues) and the
 * shop-wide ones of the same period (rule and mapping changes, feed builds), newest first, grouped
 * by day in the shop's time zone, a page at a time.
 */
export const TIMELINE_PAGE_SIZE = 50;

/** "<epoch ms>.<id>": where the previous page ended. Opaque to the page, which only hands it back. */
const CursorSchema = z
  .string()
  .regex(/^\d{1,15}\.\d{1,19}$/)
  .transform((value): EventCursor => {
    const [ms, id] = value.split(".") as [string, string];
    return { at: new Date(Number(ms)), id };
  });

/**
 * The timeline's URL state (`?tab=timeline&channel=tiktok&variant=45100000000123`). Typed into
 * address bars and shared as links, so nothing in it is an error: an unknown value means "all".
 */
export const TimelineQuerySchema = z.object({
  channel: z.enum(CHANNEL_IDS).nullable().catch(null),
  /** The numeric part of the variant GID, as in Shopify Admin URLs. */
  variant: z.string().regex(/^\d{1,20}$/).nullable().catch(null),
  before: CursorSchema.nullable().catch(null),
});
export type TimelineQuery = z.infer<typeof TimelineQuerySchema>;

export function parseTimelineQuery(searchParams: URLSearchParams): TimelineQuery {
  return TimelineQuerySchema.parse({ channel: searchParams.get("channel"), variant: searchParams.get("variant"), before: searchParams.get("before") });
}

export function encodeCursor(cursor: EventCursor): string {
  return `${cursor.at.getTime()}.${cursor.id}`;
}

export interface TimelineEntry {
  id: string;
  /** ISO instant. */
  at: string;
  kind: string;
  label: string;
  tone: "info" | "success" | "warning" | "critical" | "attention" | undefined;
  channel: string | null;
  channelLabel: string | null;
  summary: string;
  variantId: string | null;
  /** Shop-wide: about every product (a rule change, a feed build). */
  shopWide: boolean;
  lines: string[];
}

export interface TimelineView {
  days: TimelineDay<TimelineEntry>[];
  /** Hand back as `before` for the next page; null when this is the oldest. */
  next: string | null;
  filters: { channel: string | null; variant: string | null };
  timeZone: string;
}

export function timelineEntry(event: StoredProductEvent): TimelineEntry {
  const known = isProductEventKind(event.kind) ? EVENT_KIND_LABELS[event.kind] : { label: event.kind, tone: undefined };
  return {
    id: event.id,
    at: event.at.toISOString(),
    kind: event.kind,
    label: known.label,
    tone: known.tone,
    channel: event.channel,
    channelLabel: event.channel ? channelShortName(event.channel) : null,
    summary: event.summary,
    variantId: event.variantId,
    shopWide: event.productId === null,
    lines: detailLines(event.kind, event.details),
  };
}

export async function loadProductTimeline(runtime: Runtime, shop: string, productId: string, query: TimelineQuery, limit = TIMELINE_PAGE_SIZE): Promise<TimelineView> {
  const [shopRow, page] = await Promise.all([
    getShop(runtime.db.prisma, shop),
    listProductEvents(runtime.db.sql, shop, {
      productId,
      variantId: query.variant ? `gid://shopify/ProductVariant/${query.variant}` : null,
      channel: query.channel,
      before: query.before,
      limit,
    }),
  ]);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  return {
    days: groupByDay(page.events.map(timelineEntry), timeZone),
    next: page.next ? encodeCursor(page.next) : null,
    filters: { channel: query.channel, variant: query.variant },
    timeZone,
  };
}
