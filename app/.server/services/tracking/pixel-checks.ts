import { countBySeverity, runChecks } from "~/domain/tracking";
import { parseHar, readCollectorLog, trafficLocation } from "~/domain/tracking/har";
import { FORWARDING_LABELS, isForwardingOutcome } from "~/domain/tracking/server-forwarding";
import type { CatalogIds, ExtensionSource, Finding, FindingSeverity, ObservedConsent, Platform, TrackingPlan, TrafficEvent } from "~/domain/tracking/types";
import { logger } from "../../logger";
import { countPixelEvents, listRecentPixelEvents, type PixelEventRow } from "../../repositories/tracking";
import type { Runtime } from "../../runtime";
import { loadShopCatalogIds } from "./catalog-ids";
import { loadExtensionSource } from "./load-extension-source";
import { loadTrackingPlan, type TrackingPlanView } from "./tracking-plan";

/** The web pixel extension Shelfcast ships, checked as it is deployed. */
export const SHIPPED_EXTENSION_DIR = "extensions/shelfcast-pixel";
/** How far back the collector log is read to find the latest session. */
const RECENT_EVENTS = 1_000;
/** Events without a client id belong to the latest session when they are this close to its last event. */
const SESSION_GAP_MS = 30 * 60 * 1000;

/** One step of the session timeline: what was sent to whom, and the consent at that moment. */
export interface TimelineEntry {
  /** The traffic event's index. */
  index: number;
  /** What findings cite as evidence for this event ("har entry 12", "log line 3"). */
  location: string;
  time: string;
  platform: Platform;
  channel: "browser" | "server";
  eventName: string;
  eventId: string | null;
  consent: ObservedConsent;
  /** The collector's server-side decision, in words ("would forward", "held: no consent"); null for a HAR. */
  forwarding: string | null;
  url: string;
}

export interface PixelCheckReport {
  findings: Finding[];
  counts: Record<FindingSeverity, number>;
  checkedAt: string;
  plan: { isDefault: boolean; revision: number; idScheme: string };
  /** The extension folder that was read, or why it could not be. */
  extension: { path: string; error: string | null };
  traffic: { source: "har" | "collector" | "none"; events: number; skipped: number; problems: string[] };
  /** The shop's catalog as the feeds identify it; null when there was no traffic to compare with it. */
  catalog: { products: number; itemIds: number; idScheme: string } | null;
  timeline: TimelineEntry[];
}

export type PixelCheckResult = { ok: true; report: PixelCheckReport } | { ok: false; message: string };

export interface PixelCheckOptions {
  /** An uploaded HAR (parsed JSON or its text): checked instead of the collector log. */
  har?: unknown;
  now?: Date;
  /** Where the shipped extension lives; tests point elsewhere. */
  extensionDir?: string;
}

/**
 * Every check over the shop's plan, the shipped extension, and traffic: an uploaded HAR, or else the
 * latest session in the collector log (one visitor's events, so double fires and dedupe are judged
 * within one session, and the timeline shows exactly what was checked). Content ids are compared with
 * the shop's catalog through its feeds' id scheme.
 */
export async function runPixelChecks(runtime: Runtime, shop: string, options: PixelCheckOptions = {}): Promise<PixelCheckResult> {
  const now = options.now ?? new Date();
  const traffic = options.har !== undefined ? trafficFromHar(options.har) : await trafficFromCollector(runtime, shop);
  if (!traffic.ok) return traffic;
  const [planView, extension, catalog] = await Promise.all([
    loadTrackingPlan(runtime, shop),
    readExtension(options.extensionDir ?? SHIPPED_EXTENSION_DIR),
    traffic.events.length > 0 ? loadShopCatalogIds(runtime, shop) : null,
  ]);
  const findings = checkAll(planView.plan, extension.source, traffic, catalog);
  return {
    ok: true,
    report: {
      findings,
      counts: countBySeverity(findings),
      checkedAt: now.toISOString(),
      plan: { isDefault: planView.isDefault, revision: planView.revision, idScheme: planView.plan.idScheme },
      extension: { path: extension.path, error: extension.error },
      traffic: { source: traffic.source, events: traffic.events.length, skipped: traffic.skipped, problems: traffic.problems },
      catalog: catalog ? { products: catalog.products, itemIds: catalog.itemIds.size, idScheme: catalog.idScheme } : null,
      timeline: timelineOf(traffic),
    },
  };
}

/**
 * Every check over the plan, the shipped extension and the session's traffic. The catalog ids were
 * built with the feeds' id scheme (the plan's may differ, and the report says so).
 */
function checkAll(plan: TrackingPlan, extension: ExtensionSource | null, traffic: Traffic, catalog: (CatalogIds & { idScheme: TrackingPlan["idScheme"] }) | null): Finding[] {
  return runChecks({
    plan,
    extension: extension ?? undefined,
    traffic: traffic.events,
    catalog: catalog ?? undefined,
    trafficSource: traffic.source === "har" ? "har" : "collector-log",
    catalogIdScheme: catalog?.idScheme,
  });
}

async function readExtension(dir: string): Promise<{ path: string; source: ExtensionSource | null; error: string | null }> {
  try {
    return { path: dir, source: await loadExtensionSource(dir), error: null };
  } catch (error) {
    // The plan and traffic are still worth checking; the report says the extension was not.
    logger.warn({ err: error, dir }, "pixel checks: the web pixel extension could not be read");
    return { path: dir, source: null, error: `The web pixel extension in ${dir} could not be read, so its checks did not run.` };
  }
}

interface Traffic {
  ok: true;
  source: PixelCheckReport["traffic"]["source"];
  events: TrafficEvent[];
  skipped: number;
  problems: string[];
  /** Per event index, the collector's forwarding decision in words. */
  forwarding: Map<number, string>;
}

function trafficFromHar(har: unknown): Traffic | { ok: false; message: string } {
  const parsed = parseHar(har);
  if (!parsed.ok) return { ok: false, message: `The file is not a HAR Shelfcast can read: ${parsed.error}` };
  return {
    ok: true,
    source: "har",
    events: parsed.events,
    skipped: parsed.skipped,
    problems: parsed.problems.map((problem) => `entry ${problem.index}: ${problem.message}`),
    forwarding: new Map(),
  };
}

async function trafficFromCollector(runtime: Runtime, shop: string): Promise<Traffic> {
  const session = latestSession(await listRecentPixelEvents(runtime.db.sql, shop, RECENT_EVENTS));
  const log = readCollectorLog(session.map(collectorRecord));
  const forwarding = new Map<number, string>();
  session.forEach((row, index) => {
    if (isForwardingOutcome(row.forwarding)) forwarding.set(index, FORWARDING_LABELS[row.forwarding]);
  });
  return {
    ok: true,
    source: session.length > 0 ? "collector" : "none",
    events: log.events,
    skipped: log.skipped,
    problems: log.problems.map((problem) => `log line ${problem.index + 1}: ${problem.message}`),
    forwarding,
  };
}

/** A stored row as a line of the collector's debug log (app/domain/tracking/har.ts reads these). */
export function collectorRecord(row: PixelEventRow): Record<string, unknown> {
  return {
    platform: row.platform,
    channel: row.channel,
    eventName: row.eventName,
    eventId: row.eventId,
    params: row.params,
    time: row.receivedAt.toISOString(),
    eventTime: row.eventTime?.toISOString() ?? null,
    consent: row.consent,
    url: row.url,
    forwarding: row.forwarding,
  };
}

/**
 * The latest visitor's events (oldest first): those with the newest event's client id, or, when the
 * pixel sent none, the run of id-less events with no gap over 30 minutes ending at the newest one.
 */
export function latestSession(rows: readonly PixelEventRow[]): PixelEventRow[] {
  const last = rows[rows.length - 1];
  if (!last) return [];
  if (last.clientId !== null) return rows.filter((row) => row.clientId === last.clientId);
  const session: PixelEventRow[] = [];
  let next = last.receivedAt.getTime();
  for (let i = rows.length - 1; i >= 0; i -= 1) {
    const row = rows[i] as PixelEventRow;
    if (row.clientId !== null) continue;
    if (next - row.receivedAt.getTime() > SESSION_GAP_MS) break;
    session.unshift(row);
    next = row.receivedAt.getTime();
  }
  return session;
}

function timelineOf(traffic: Traffic): TimelineEntry[] {
  const source = traffic.source === "har" ? "har" : "collector-log";
  return traffic.events.map((event) => ({
    index: event.index,
    location: trafficLocation(event.index, source),
    time: event.time,
    platform: event.platform,
    channel: event.channel,
    eventName: event.eventName,
    eventId: event.eventId,
    consent: event.consent,
    forwarding: event.channel === "browser" ? (traffic.forwarding.get(event.index) ?? null) : null,
    url: event.url,
  }));
}

/** The collector's latest session as a timeline, for the page before any check runs. */
export async function loadLatestSession(runtime: Runtime, shop: string): Promise<{ timeline: TimelineEntry[]; skipped: number }> {
  const traffic = await trafficFromCollector(runtime, shop);
  return { timeline: timelineOf(traffic), skipped: traffic.skipped };
}

export interface PixelsPageView {
  plan: TrackingPlanView;
  /** The collector's latest session, before any check runs. */
  session: TimelineEntry[];
  /** Events in the collector's log for this shop (the newest few thousand are kept). */
  collectedEvents: number;
}

export async function loadPixelsPage(runtime: Runtime, shop: string): Promise<PixelsPageView> {
  const [plan, session, collectedEvents] = await Promise.all([loadTrackingPlan(runtime, shop), loadLatestSession(runtime, shop), countPixelEvents(runtime.db.sql, shop)]);
  return { plan, session: session.timeline, collectedEvents };
}
