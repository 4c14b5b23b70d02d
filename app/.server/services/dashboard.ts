import { z } from "zod";
import { countCatalog } from "../repositories/catalog";
import { catalogBreakdown, listRecentCatalogSyncs } from "../repositories/catalog-queries";
import { latestCatalogSync } from "../repositories/catalog-syncs";
import { getShop } from "../repositories/shops";
import { getRuntime } from "../runtime";
import { loadChannelActivity, type ChannelActivity } from "./channel-dashboard";

export interface SyncHistoryRow {
  id: string;
  kind: string;
  status: string;
  doneVariants: number;
  totalVariants: number | null;
  /** Start time in the shop's time zone ("Nov 22, 2026, 9:41 AM"). */
  started: string;
  /** "1 min 12 s"; null while the sync is still running. */
  duration: string | null;
  error: string | null;
  /** What the sync changed, in words ("Reconciliation found 3 changed, 1 removed"), when recorded. */
  drift: string | null;
}

export interface DashboardView {
  counts: { products: number; variants: number; soldOutVariants: number };
  lastSyncAt: string | null;
  /** lastSyncAt in the shop's time zone, formatted on the server so server and browser agree. */
  lastSyncLabel: string | null;
  sync: null | {
    id: string;
    kind: string;
    status: string;
    doneVariants: number;
    totalVariants: number | null;
    error: string | null;
    startedAt: string;
    finishedAt: string | null;
  };
  productsByStatus: { active: number; draft: number; archived: number; unlisted: number };
  /** inStock: available > 0; soldOut: none available and DENY; continueSelling: policy CONTINUE. */
  variantStock: { inStock: number; soldOut: number; continueSelling: number; continueSellingOutOfStock: number };
  topVendors: { vendor: string; products: number }[];
  recentSyncs: SyncHistoryRow[];
  /** Channel health, charts, running jobs and alerts (channel-dashboard.ts). */
  activity: ChannelActivity;
}

export async function loadDashboard(shop: string): Promise<DashboardView> {
  const runtime = await getRuntime();
  const { db } = runtime;
  const [counts, sync, shopRow, breakdown, recent] = await Promise.all([
    countCatalog(db.prisma, shop),
    latestCatalogSync(db.prisma, shop),
    getShop(db.prisma, shop),
    catalogBreakdown(db.prisma, shop),
    listRecentCatalogSyncs(db.prisma, shop, 5),
  ]);
  const timeZone = shopRow?.ianaTimezone ?? "UTC";
  const activity = await loadChannelActivity(runtime, shop, { now: new Date(), timeZone, productCount: counts.products });
  return {
    counts,
    lastSyncAt: shopRow?.lastSyncAt?.toISOString() ?? null,
    lastSyncLabel: shopRow?.lastSyncAt ? formatDateTime(shopRow.lastSyncAt, timeZone) : null,
    sync: sync && {
      id: sync.id,
      kind: sync.kind,
      status: sync.status,
      doneVariants: sync.doneVariants,
      totalVariants: sync.totalVariants,
      error: sync.error,
      startedAt: sync.startedAt.toISOString(),
      finishedAt: sync.finishedAt?.toISOString() ?? null,
    },
    productsByStatus: breakdown.products,
    variantStock: breakdown.variants,
    topVendors: breakdown.topVendors,
    recentSyncs: recent.map((row) => ({
      id: row.id,
      kind: row.kind,
      status: row.status,
      doneVariants: row.doneVariants,
      totalVariants: row.totalVariants,
      started: formatDateTime(row.startedAt, timeZone),
      duration: row.finishedAt ? formatDuration(row.finishedAt.getTime() - row.startedAt.getTime()) : null,
      error: row.error,
      drift: describeDrift(row.kind, row.drift),
    })),
    activity,
  };
}

function formatDateTime(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(at);
}

/** "850 ms", "12 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  return minutes % 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${Math.floor(minutes / 60)} h`;
}

/** Each finding is a count or the list of product ids concerned; both read as a number. */
const DriftCountSchema = z.union([z.number().int().nonnegative(), z.array(z.unknown()).transform((ids) => ids.length)]).catch(0);
const DriftSchema = z.object({
  added: DriftCountSchema.default(0),
  changed: DriftCountSchema.default(0),
  removed: DriftCountSchema.default(0),
  /** Lines of the bulk file that could not be read (the sync still applied the rest). */
  problems: z.array(z.unknown()).catch([]).default([]),
});

/**
 * catalogSync.drift in words. Every sync records what it changed in the snapshot; for a
 * reconciliation that is drift Shopify's webhooks missed, so it is worded as a finding.
 */
export function describeDrift(kind: string, drift: unknown): string | null {
  if (drift === null || drift === undefined) return null;
  const parsed = DriftSchema.safeParse(drift);
  if (!parsed.success) return null;
  const number = new Intl.NumberFormat("en-US");
  const parts = (["added", "changed", "removed"] as const).filter((key) => parsed.data[key] > 0).map((key) => `${number.format(parsed.data[key])} ${key}`);
  const problems = parsed.data.problems.length;
  const problemNote = problems > 0 ? `; ${number.format(problems)} ${problems === 1 ? "line" : "lines"} could not be read` : "";
  if (kind === "reconcile") return `${parts.length > 0 ? `Reconciliation found ${parts.join(", ")}` : "Reconciliation found no drift"}${problemNote}`;
  return `${parts.length > 0 ? `Products: ${parts.join(", ")}` : "No products changed"}${problemNote}`;
}
