import { DEFAULT_TRACKING_PLAN } from "~/domain/tracking/default-plan";
import { parseTrackingPlan } from "~/domain/tracking/plan-schema";
import type { TrackingPlan } from "~/domain/tracking/types";
import { getTrackingPlan, saveTrackingPlan as saveTrackingPlanRow } from "../../repositories/tracking";
import type { Runtime } from "../../runtime";
import { requestPixelSettingsSync } from "./sync-pixel-settings";

/**
 * A shop's tracking plan: the stored one when it is valid, else the default plan (right out of the
 * box). A stored plan that no longer validates (an older version, a hand edit) is never used half
 * way: the default applies and the problem is reported.
 */
export function planFromStored(stored: unknown): { plan: TrackingPlan; problem: string | null } {
  if (stored === null || stored === undefined) return { plan: DEFAULT_TRACKING_PLAN, problem: null };
  const parsed = parseTrackingPlan(stored);
  if (parsed.ok) return { plan: parsed.plan, problem: null };
  const where = parsed.errors
    .slice(0, 3)
    .map((error) => `${error.path}: ${error.message}`)
    .join("; ");
  return { plan: DEFAULT_TRACKING_PLAN, problem: `the saved tracking plan is invalid and the default plan applies instead (${where})` };
}

export interface TrackingPlanView {
  plan: TrackingPlan;
  /** 0 when the shop never saved a plan (the default applies). */
  revision: number;
  updatedAt: string | null;
  /** Whether the default plan applies (nothing saved, or the saved plan is invalid). */
  isDefault: boolean;
  problems: string[];
}

export async function loadTrackingPlan(runtime: Runtime, shop: string): Promise<TrackingPlanView> {
  const row = await getTrackingPlan(runtime.db.sql, shop);
  if (!row) return { plan: DEFAULT_TRACKING_PLAN, revision: 0, updatedAt: null, isDefault: true, problems: [] };
  const { plan, problem } = planFromStored(row.plan);
  return { plan, revision: row.revision, updatedAt: row.updatedAt.toISOString(), isDefault: problem !== null, problems: problem ? [problem] : [] };
}

export type SaveTrackingPlanResult =
  | { ok: true; message: string; revision: number }
  | { ok: false; message: string; errors?: { path: string; message: string }[]; conflict?: boolean };

/** Saves a validated plan (never a half-valid one), if nobody saved since `expectedRevision`. */
export async function saveTrackingPlan(runtime: Runtime, shop: string, draft: unknown, expectedRevision: number): Promise<SaveTrackingPlanResult> {
  const parsed = parseTrackingPlan(draft);
  if (!parsed.ok) return { ok: false, message: "The plan has errors; nothing was saved.", errors: parsed.errors };
  const saved = await saveTrackingPlanRow(runtime.db.sql, shop, parsed.plan, expectedRevision);
  if (!saved) {
    return { ok: false, conflict: true, message: "Someone else saved the tracking plan since you opened it. Reload to see their version; nothing was saved." };
  }
  // The storefront pixel reads the plan from its settings: send the saved plan to Shopify.
  await requestPixelSettingsSync(runtime, shop, "plan saved");
  return { ok: true, message: "Tracking plan saved", revision: expectedRevision + 1 };
}
