import { APP_URL } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import type { Runtime } from "../../../app/.server/runtime";
import { loadPixelSyncStatus, pixelSettingsFor, syncPixelSettings, type PixelSyncOutcome } from "../../../app/.server/services/tracking/sync-pixel-settings";
import { saveTrackingPlan } from "../../../app/.server/services/tracking/tracking-plan";
import { createAdminApi } from "../../../app/.server/shopify/graphql-client";
import { createDefaultTrackingPlan, DEFAULT_TRACKING_PLAN } from "../../../app/domain/tracking/default-plan";
import { toPixelPlan } from "../../../app/domain/tracking/extension-plan";
import type { TrackingPlan } from "../../../app/domain/tracking/types";
import { FakeShopifyShop } from "../../mocks/fake-shopify";
import { mockServer } from "../../mocks/server";
import { runJob } from "../../../app/.server/jobs/worker";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "pixel-sync.myshopify.com";
const DEMO = "pixel-sync-demo.myshopify.com";
const TOKEN = "shpat_pixel_sync_token";

function planWithClickDays(clickDays: number): TrackingPlan {
  const plan = createDefaultTrackingPlan();
  const meta = plan.platforms.find((settings) => settings.platform === "meta");
  if (!meta) throw new Error("the default plan has Meta");
  meta.attributionWindow = { clickDays, viewDays: 1 };
  return plan;
}

/** A plan the pixel sees differently: TikTok switched off. */
function planWithoutTikTok(): TrackingPlan {
  const plan = createDefaultTrackingPlan();
  for (const settings of plan.platforms) if (settings.platform === "tiktok") settings.enabled = false;
  return plan;
}

/**
 * Runs the waiting pixel sync jobs as the worker does (boss.work stores the handler's result as the
 * job's output, which the Pixels page reads); tests/setup/app.ts drainQueue completes without it.
 */
async function drainPixelSyncs(runtime: Runtime): Promise<{ completed: number; failed: number }> {
  let completed = 0;
  let failed = 0;
  for (;;) {
    const jobs = await runtime.boss.fetch(QUEUES.pixelSettingsSync, { batchSize: 10 });
    if (jobs.length === 0) return { completed, failed };
    for (const job of jobs) {
      try {
        const output = (await runJob(runtime, QUEUES.pixelSettingsSync, job)) as object;
        await runtime.boss.complete(QUEUES.pixelSettingsSync, job.id, output);
        completed += 1;
      } catch (error) {
        await runtime.boss.fail(QUEUES.pixelSettingsSync, job.id, { message: (error as Error).message });
        failed += 1;
      }
    }
  }
}

async function latestOutcome(runtime: Runtime, shop: string): Promise<PixelSyncOutcome> {
  const status = await loadPixelSyncStatus(runtime, shop);
  if (status.kind !== "done") throw new Error(`expected a finished sync, got ${JSON.stringify(status)}`);
  return status.outcome;
}

describe("pixel settings sync", () => {
  let runtime: Runtime;
  let fake: FakeShopifyShop;

  beforeAll(async () => {
    runtime = await startTestApp();
    await runtime.db.prisma.shop.create({ data: { shop: SHOP, active: true } });
    await runtime.db.prisma.shop.create({ data: { shop: DEMO, active: true, isDemo: true } });
    await runtime.db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: TOKEN } });
    fake = new FakeShopifyShop({ shop: SHOP, accessToken: TOKEN, lines: [] });
  });
  beforeEach(() => mockServer.use(...fake.handlers()));
  afterAll(async () => stopTestApp(runtime));

  it("says nothing was synced before the first save", async () => {
    expect(await loadPixelSyncStatus(runtime, SHOP)).toEqual({ kind: "never" });
  });

  it("creates the web pixel with the saved plan on the first save", async () => {
    expect((await saveTrackingPlan(runtime, SHOP, planWithClickDays(1), 0)).ok).toBe(true);
    expect(await loadPixelSyncStatus(runtime, SHOP)).toMatchObject({ kind: "pending" });

    expect(await drainPixelSyncs(runtime)).toEqual({ completed: 1, failed: 0 });
    const pixel = fake.webPixelSettings();
    expect(pixel?.id).toMatch(/^gid:\/\/shopify\/WebPixel\/\d+$/);
    expect(pixel?.settings).toEqual({ collectorUrl: APP_URL.replace(/\/+$/, ""), shop: SHOP, plan: JSON.stringify(toPixelPlan(planWithClickDays(1))) });
    expect(fake.requests.map((request) => [request.operationName, request.outcome])).toEqual([
      ["AppWebPixel", "ok"],
      ["WebPixelCreate", "ok"],
    ]);
    expect(await latestOutcome(runtime, SHOP)).toMatchObject({ state: "created", webPixelId: pixel?.id, planRevision: 1, message: "Web pixel activated with the saved plan" });
  });

  it("writes nothing when the saved plan changes nothing the pixel reads", async () => {
    fake.requests.length = 0;
    // Attribution windows are the collector's business: the pixel's settings stay the same.
    expect((await saveTrackingPlan(runtime, SHOP, planWithClickDays(7), 1)).ok).toBe(true);
    expect(await drainPixelSyncs(runtime)).toEqual({ completed: 1, failed: 0 });
    expect(fake.requests.map((request) => request.operationName)).toEqual(["AppWebPixel"]);
    expect(await latestOutcome(runtime, SHOP)).toMatchObject({ state: "unchanged", planRevision: 2 });
  });

  it("updates the same pixel on the next save, waiting out THROTTLED", async () => {
    const id = fake.webPixelSettings()?.id;
    fake.requests.length = 0;
    fake.throttleNext(1);
    expect((await saveTrackingPlan(runtime, SHOP, planWithoutTikTok(), 2)).ok).toBe(true);
    expect(await drainPixelSyncs(runtime)).toEqual({ completed: 1, failed: 0 });
    expect(fake.requests.map((request) => [request.operationName, request.outcome])).toEqual([
      ["AppWebPixel", "throttled"],
      ["AppWebPixel", "ok"],
      ["WebPixelUpdate", "ok"],
    ]);
    const pixel = fake.webPixelSettings();
    expect(pixel?.id).toBe(id);
    const sentPlan = JSON.parse(String(pixel?.settings.plan)) as ReturnType<typeof toPixelPlan>;
    expect(sentPlan.platforms.map((platform) => platform.platform)).not.toContain("tiktok");
    expect(await latestOutcome(runtime, SHOP)).toMatchObject({ state: "updated", webPixelId: id, planRevision: 3, message: "Web pixel updated with the saved plan" });
  });

  it("reports Shopify's userErrors as a refusal instead of failing the job", async () => {
    const before = fake.webPixelSettings();
    const api = createAdminApi({ shop: SHOP, accessToken: TOKEN, apiVersion: "2025-10" });
    // An empty app URL breaks the TOML's `min` validation of collectorUrl.
    const broken = { ...runtime, env: { ...runtime.env, appUrl: "" } } as Runtime;
    const outcome = await syncPixelSettings(broken, { shop: SHOP, reason: "test" }, { adminApi: async () => api, now: () => new Date("2026-11-22T09:00:00Z") });
    expect(outcome).toMatchObject({
      state: "rejected",
      webPixelId: null,
      at: "2026-11-22T09:00:00.000Z",
      message: "Shopify refused the pixel settings: settings: Settings field collectorUrl must be at least 1 characters [INVALID_SETTINGS]",
    });
    expect(fake.webPixelSettings()).toEqual(before);
  });

  it("records 'not sent: demo shop' for the demo shop without calling Shopify", async () => {
    fake.requests.length = 0;
    expect((await saveTrackingPlan(runtime, DEMO, planWithClickDays(1), 0)).ok).toBe(true);
    expect(await drainPixelSyncs(runtime)).toEqual({ completed: 1, failed: 0 });
    expect(fake.requests).toEqual([]);
    expect(await latestOutcome(runtime, DEMO)).toMatchObject({ state: "not-sent", message: expect.stringMatching(/^not sent: demo shop/) as unknown as string });
  });

  it("fits the default plan into the pixel's single-line `plan` setting", () => {
    const settings = pixelSettingsFor("https://shelfcast.example.com/", SHOP, DEFAULT_TRACKING_PLAN);
    expect(settings.collectorUrl).toBe("https://shelfcast.example.com");
    expect(settings.plan).not.toMatch(/[\n\r]/);
    // Shopify documents no length limit for a pixel's text setting; the default plan measured
    // 4,855 characters when this was written, and a plan far larger than that deserves a look.
    expect(settings.plan.length).toBeGreaterThan(1_000);
    expect(settings.plan.length).toBeLessThan(6_000);
  });
});
