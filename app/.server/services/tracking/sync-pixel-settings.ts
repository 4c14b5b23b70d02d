import { z } from "zod";
import { toPixelPlan } from "~/domain/tracking/extension-plan";
import type { TrackingPlan } from "~/domain/tracking/types";
import { QUEUES } from "../../jobs/names";
import { logger } from "../../logger";
import { getShop } from "../../repositories/shops";
import type { Runtime } from "../../runtime";
import type { AdminApi } from "../../shopify/graphql-client";
import { fetchAppWebPixel } from "../../shopify/operations/web-pixel";
import { createWebPixel } from "../../shopify/operations/web-pixel-create";
import { updateWebPixel } from "../../shopify/operations/web-pixel-update";
import { describeWebPixelUserErrors, type WebPixelWriteResult } from "../../shopify/operations/web-pixel-user-error";
import { loadTrackingPlan } from "./tracking-plan";

/**
 * Brings a shop's saved tracking plan to its storefront: the web pixel's settings (collectorUrl,
 * shop, plan — the [settings] of extensions/shelfcast-pixel/shopify.extension.toml) are written
 * with webPixelCreate the first time and webPixelUpdate after. Runs as a job ("pixel-settings-sync",
 * stately per shop) so a burst of saves becomes one write, and Shopify's outages are retried.
 *
 * The outcome is the job's output: the Pixels page shows the latest one (loadPixelSyncStatus). A
 * refusal in `userErrors` (INVALID_SETTINGS…) is an outcome, not a failure: retrying the same
 * settings cannot help, the merchant or a deploy must change something first.
 */

export const PixelSettingsSyncJobSchema = z.object({ shop: z.string().min(1), reason: z.string().default("plan saved") });
export type PixelSettingsSyncJob = z.infer<typeof PixelSettingsSyncJobSchema>;

export type PixelSyncState = "created" | "updated" | "unchanged" | "not-sent" | "rejected";

export interface PixelSyncOutcome {
  state: PixelSyncState;
  /** One line for the merchant. */
  message: string;
  webPixelId: string | null;
  planRevision: number;
  /** Characters of the `plan` setting as sent. */
  planChars: number;
  at: string;
}

/** What the pixel's settings hold; every field is a single_line_text_field, so strings only. */
export interface PixelSettings {
  collectorUrl: string;
  shop: string;
  plan: string;
  [field: string]: string;
}

/** The settings for a plan. The pixel posts to `<collectorUrl>/pixel/collect`, so no trailing slash. */
export function pixelSettingsFor(appUrl: string, shop: string, plan: TrackingPlan): PixelSettings {
  return { collectorUrl: appUrl.replace(/\/+$/, ""), shop, plan: JSON.stringify(toPixelPlan(plan)) };
}

function sameSettings(current: Record<string, unknown>, wanted: PixelSettings): boolean {
  const keys = new Set([...Object.keys(current), ...Object.keys(wanted)]);
  for (const key of keys) if (current[key] !== wanted[key]) return false;
  return true;
}

function outcomeOf(write: WebPixelWriteResult, state: "created" | "updated", base: Omit<PixelSyncOutcome, "state" | "message" | "webPixelId">): PixelSyncOutcome {
  if (write.userErrors.length > 0 || !write.webPixel) {
    const reason = write.userErrors.length > 0 ? describeWebPixelUserErrors(write.userErrors) : "Shopify returned neither a pixel nor an error";
    return { ...base, state: "rejected", webPixelId: null, message: `Shopify refused the pixel settings: ${reason}` };
  }
  const message = state === "created" ? "Web pixel activated with the saved plan" : "Web pixel updated with the saved plan";
  return { ...base, state, webPixelId: write.webPixel.id, message };
}

export interface SyncPixelSettingsDeps {
  adminApi: (shop: string) => Promise<AdminApi>;
  now: () => Date;
}

export async function syncPixelSettings(runtime: Runtime, job: PixelSettingsSyncJob, deps: SyncPixelSettingsDeps): Promise<PixelSyncOutcome> {
  const { shop } = job;
  const [row, view] = await Promise.all([getShop(runtime.db.prisma, shop), loadTrackingPlan(runtime, shop)]);
  const settings = pixelSettingsFor(runtime.env.appUrl, shop, view.plan);
  const base = { planRevision: view.revision, planChars: settings.plan.length, at: deps.now().toISOString() };
  if (row?.isDemo || runtime.env.SHELFCAST_DEMO) {
    return { ...base, state: "not-sent", webPixelId: null, message: "not sent: demo shop (there is no Shopify to send the pixel settings to)" };
  }
  if (row && !row.active) return { ...base, state: "not-sent", webPixelId: null, message: "not sent: the app is uninstalled from this shop" };

  const api = await deps.adminApi(shop);
  const current = await fetchAppWebPixel(api);
  if (current && sameSettings(current.settings, settings)) {
    return { ...base, state: "unchanged", webPixelId: current.id, message: "Web pixel already has the saved plan" };
  }
  const outcome = current
    ? outcomeOf(await updateWebPixel(api, current.id, settings), "updated", base)
    : outcomeOf(await createWebPixel(api, settings), "created", base);
  if (outcome.state === "rejected") logger.warn({ shop, message: outcome.message }, "pixel settings refused");
  return outcome;
}

/** Asks for the shop's pixel settings to be (re)written; waiting requests for the shop coalesce. */
export async function requestPixelSettingsSync(runtime: Runtime, shop: string, reason: string): Promise<void> {
  await runtime.boss.send(QUEUES.pixelSettingsSync, { shop, reason }, { singletonKey: shop });
}

export type PixelSyncStatus =
  | { kind: "never" }
  | { kind: "pending"; since: string }
  | { kind: "done"; outcome: PixelSyncOutcome }
  | { kind: "failed"; at: string; message: string };

function isOutcome(output: unknown): output is PixelSyncOutcome {
  const value = output as Partial<PixelSyncOutcome> | null;
  return typeof value?.state === "string" && typeof value.message === "string" && typeof value.at === "string";
}

/**
 * The latest sync as pg-boss remembers it: a waiting or retrying job wins, then the newest finished
 * one. Finished jobs are kept for the queue's retention (7 days by default), so a shop whose last sync
 * is older reads "never"; a table of its own would keep it for good (not needed to show a recent save).
 */
export async function loadPixelSyncStatus(runtime: Runtime, shop: string): Promise<PixelSyncStatus> {
  const jobs = await runtime.boss.findJobs<PixelSettingsSyncJob>(QUEUES.pixelSettingsSync, { key: shop });
  const pending = jobs.filter((job) => job.state === "created" || job.state === "retry" || job.state === "active");
  if (pending.length > 0) return { kind: "pending", since: new Date(Math.min(...pending.map((job) => job.createdOn.getTime()))).toISOString() };
  // A completed job carries its outcome as output when a worker ran it (boss.work stores the handler's result).
  const finished = jobs
    .filter((job) => (job.state === "completed" && isOutcome(job.output)) || job.state === "failed")
    .sort((a, b) => (b.completedOn?.getTime() ?? 0) - (a.completedOn?.getTime() ?? 0))[0];
  if (!finished) return { kind: "never" };
  if (finished.state === "completed" && isOutcome(finished.output)) return { kind: "done", outcome: finished.output };
  const message = (finished.output as { message?: unknown } | null)?.message;
  return { kind: "failed", at: (finished.completedOn ?? finished.createdOn).toISOString(), message: typeof message === "string" ? message : "the sync failed" };
}
