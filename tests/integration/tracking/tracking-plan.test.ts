import { API_KEY, API_SECRET_KEY, RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { saveTrackingPlan as saveTrackingPlanRow } from "../../../app/.server/repositories/tracking";
import type { Runtime } from "../../../app/.server/runtime";
import { loadTrackingPlan, saveTrackingPlan } from "../../../app/.server/services/tracking/tracking-plan";
import { createDefaultTrackingPlan, DEFAULT_TRACKING_PLAN } from "../../../app/domain/tracking/default-plan";
import type { TrackingPlan } from "../../../app/domain/tracking/types";
import { action, loader } from "../../../app/routes/app.pixels";
import { shopify } from "../../../app/shopify.server";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "plan-shop.myshopify.com";
const OTHER = "plan-other.myshopify.com";

function editedPlan(clickDays: number): TrackingPlan {
  const plan = createDefaultTrackingPlan();
  const meta = plan.platforms.find((settings) => settings.platform === "meta");
  if (!meta) throw new Error("the default plan has Meta");
  meta.attributionWindow = { clickDays, viewDays: 1 };
  return plan;
}

/** A request from inside Shopify Admin for one shop: a signed session token, as App Bridge sends it. */
async function adminRequest(shop: string, init: RequestInit = {}): Promise<Request> {
  await shopify().sessionStorage.storeSession(setUpValidSession({ shop }));
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request("https://shelfcast.test/app/pixels", init),
  );
}

describe("tracking plan storage", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestApp();
    for (const shop of [SHOP, OTHER]) await runtime.db.prisma.shop.create({ data: { shop } });
  });
  afterAll(async () => stopTestApp(runtime));

  it("starts from the default plan, revision 0", async () => {
    const view = await loadTrackingPlan(runtime, SHOP);
    expect(view).toMatchObject({ revision: 0, updatedAt: null, isDefault: true, problems: [] });
    expect(view.plan).toEqual(DEFAULT_TRACKING_PLAN);
  });

  it("saves a valid plan with optimistic revisions and refuses a stale one", async () => {
    expect(await saveTrackingPlan(runtime, SHOP, editedPlan(1), 0)).toEqual({ ok: true, message: "Tracking plan saved", revision: 1 });
    const first = await loadTrackingPlan(runtime, SHOP);
    expect(first.revision).toBe(1);
    expect(first.isDefault).toBe(false);
    expect(first.plan.platforms.find((p) => p.platform === "meta")?.attributionWindow).toEqual({ clickDays: 1, viewDays: 1 });

    // Two editors opened revision 1; the first saves, the second is refused and changes nothing.
    expect(await saveTrackingPlan(runtime, SHOP, editedPlan(7), 1)).toMatchObject({ ok: true, revision: 2 });
    const stale = await saveTrackingPlan(runtime, SHOP, editedPlan(28), 1);
    expect(stale).toMatchObject({ ok: false, conflict: true });
    // "Never saved" is a revision too: a second first save is refused.
    expect(await saveTrackingPlan(runtime, SHOP, editedPlan(28), 0)).toMatchObject({ ok: false, conflict: true });
    const after = await loadTrackingPlan(runtime, SHOP);
    expect(after.revision).toBe(2);
    expect(after.plan.platforms.find((p) => p.platform === "meta")?.attributionWindow?.clickDays).toBe(7);
  });

  it("refuses an invalid plan with errors by path and saves nothing", async () => {
    const plan = editedPlan(7) as unknown as { platforms: { purpose: string }[]; events: { destinations: { eventName: string }[] }[] };
    plan.platforms[0]!.purpose = "advertising";
    plan.events[0]!.destinations[0]!.eventName = " PageView";
    const result = await saveTrackingPlan(runtime, SHOP, plan, 2);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors?.map((error) => error.path).sort()).toEqual(["events[0].destinations[0].eventName", "platforms[0].purpose"]);
    expect((await loadTrackingPlan(runtime, SHOP)).revision).toBe(2);
  });

  it("falls back to the default plan, saying why, when a stored plan no longer validates", async () => {
    await saveTrackingPlanRow(runtime.db.sql, OTHER, { version: 1, idScheme: "ean-13" }, 0);
    const view = await loadTrackingPlan(runtime, OTHER);
    expect(view.plan).toEqual(DEFAULT_TRACKING_PLAN);
    expect(view.isDefault).toBe(true);
    expect(view.revision).toBe(1);
    expect(view.problems[0]).toMatch(/^the saved tracking plan is invalid and the default plan applies instead \(.*idScheme/);
  });

  it("serves the plan on the Pixels page and saves through the page's action", async () => {
    const page = await loader({ request: await adminRequest(SHOP), params: {}, context: {} });
    expect(page.plan.revision).toBe(2);
    expect(page.session).toEqual([]);

    const form = new URLSearchParams({ intent: "save", plan: JSON.stringify(editedPlan(1)), expectedRevision: "2" });
    const saved = await action({ request: await adminRequest(SHOP, { method: "POST", body: form }), params: {}, context: {} });
    expect(saved).toMatchObject({ intent: "save", revision: 2, result: { ok: true, revision: 3 } });

    const broken = new URLSearchParams({ intent: "save", plan: "{not json", expectedRevision: "3" });
    const refused = await action({ request: await adminRequest(SHOP, { method: "POST", body: broken }), params: {}, context: {} });
    expect(refused).toMatchObject({ intent: "save", result: { ok: false, errors: [{ path: "" }] } });
  });
});
