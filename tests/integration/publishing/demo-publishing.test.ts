import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES, type QueueName } from "../../../app/.server/jobs/names";
import { countItemStates } from "../../../app/.server/repositories/channel-items";
import { listPublishRuns } from "../../../app/.server/repositories/publish-runs";
import type { Runtime } from "../../../app/.server/runtime";
import { ensureDemoShop } from "../../../app/.server/services/ensure-demo-shop";
import { listConnectionSummaries } from "../../../app/.server/services/publishing/connections";
import { loadPublishingOverview } from "../../../app/.server/services/publishing/publishing-overview";
import { DEMO_AUDIT_SECONDS, reportDemoAudits } from "../../../app/.server/services/publishing/demo-connections";
import { LOCATIONS } from "../../../app/demo/catalog-data";
import { getDemoChannelFakes } from "../../../app/demo/channel-fakes/demo-instance";
import { DEMO_CATALOG_DEFAULTS, DEMO_MESS, generateCatalogJsonl } from "../../../app/demo/generate-catalog";
import { DEMO_SHOP } from "../../../app/env.server";
import { drainQueue, startTestApp, stopTestApp } from "../../setup/app";

/**
 * The demo publishes for real: ensureDemoShop connects the demo shop to the demo's Meta catalog and
 * TikTok Shop through the connection services, the seeded catalog is imported, and the jobs plan,
 * publish and read back through the same code as a real shop, against the in-process fakes the demo
 * uses. The seeded catalog carries a few claims the channels' own review refuses.
 */

/** Enough of the seeded demo catalog to hold products 47 and 83 (a health claim and a guarantee). */
const PRODUCTS = 100;
const PRODUCT_ID_BASE = 8_200_000_000_000;
const PIPELINE: QueueName[] = [QUEUES.catalogSync, QUEUES.buildFeeds, QUEUES.planChannelItems, QUEUES.publishCatalog, QUEUES.readBackCatalog];

const productGid = (index: number) => `gid://shopify/Product/${PRODUCT_ID_BASE + index}`;
const indicesWhere = (rule: (index: number) => boolean) => Array.from({ length: PRODUCTS }, (_, index) => index).filter(rule);

/** Runs the pipeline's queues until none of them has anything left to do. */
async function drainPipeline(runtime: Runtime): Promise<{ completed: number; failed: number }> {
  const total = { completed: 0, failed: 0 };
  for (;;) {
    let round = 0;
    for (const queue of PIPELINE) {
      const drained = await drainQueue(runtime, queue);
      round += drained.completed + drained.failed;
      total.completed += drained.completed;
      total.failed += drained.failed;
    }
    if (round === 0) return total;
  }
}

/** TikTok's audits finish and are reported (the demo's audit clock, run by hand), then read back. */
async function finishTikTokAudits(runtime: Runtime): Promise<number> {
  const reported = await reportDemoAudits(runtime, new Date(Date.now() + (DEMO_AUDIT_SECONDS + 1) * 1000));
  await drainPipeline(runtime);
  return reported;
}

/** A fresh process: the demo's fakes (and the audit clock's memory) start empty, the database stays. */
function restartDemoChannels(): void {
  const holder = globalThis as unknown as { __shelfcastDemoChannelFakes?: unknown; __shelfcastDemoAuditClock?: unknown };
  holder.__shelfcastDemoChannelFakes = undefined;
  holder.__shelfcastDemoAuditClock = undefined;
}

describe("the demo shop publishes to its channels", () => {
  let runtime: Runtime;
  let dataDir: string;
  const saved = { dataDir: process.env.SHELFCAST_DATA_DIR, debounce: process.env.SHELFCAST_FEED_DEBOUNCE_SECONDS };

  beforeAll(async () => {
    restartDemoChannels();
    dataDir = mkdtempSync(path.join(tmpdir(), "shelfcast-demo-publishing-"));
    mkdirSync(path.join(dataDir, "demo"), { recursive: true });
    const lines = [...generateCatalogJsonl({ seed: DEMO_CATALOG_DEFAULTS.seed, products: PRODUCTS, now: new Date().toISOString() })];
    writeFileSync(path.join(dataDir, "demo/catalog.jsonl"), `${lines.join("\n")}\n`);
    process.env.SHELFCAST_DATA_DIR = dataDir;
    process.env.SHELFCAST_FEED_DEBOUNCE_SECONDS = "0";
    runtime = await startTestApp();
    await ensureDemoShop(runtime);
    await drainPipeline(runtime);
    await finishTikTokAudits(runtime);
  }, 180_000);

  afterAll(async () => {
    await stopTestApp(runtime);
    rmSync(dataDir, { recursive: true, force: true });
    for (const [key, value] of [["SHELFCAST_DATA_DIR", saved.dataDir], ["SHELFCAST_FEED_DEBOUNCE_SECONDS", saved.debounce]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    restartDemoChannels();
  });

  it("connects Meta and TikTok Shop through the connection services, TikTok with its shop and mappings", async () => {
    const connections = await listConnectionSummaries(runtime, DEMO_SHOP);
    const meta = connections.find((connection) => connection.channel === "meta");
    const tiktok = connections.find((connection) => connection.channel === "tiktok");
    expect(meta).toMatchObject({ status: "connected", catalogName: "Shelfcast demo catalog", settings: { catalogId: "2000000000000001" } });
    expect(meta?.lastCheckedAt).not.toBeNull();
    expect(tiktok).toMatchObject({ status: "connected", shopName: "Shelfcast Demo US", settings: { region: "US" } });
    if (tiktok?.channel !== "tiktok") throw new Error("no TikTok connection");
    const defaultWarehouse = tiktok.settings.warehouses.find((warehouse) => warehouse.isDefault)?.id;
    expect(defaultWarehouse).toBeDefined();
    expect(tiktok.settings.warehouseMap).toEqual(LOCATIONS.map((location) => ({ locationId: location.id, warehouseId: defaultWarehouse })));
    expect(tiktok.settings.categoryMap["gid://shopify/TaxonomyCategory/aa-1-13-8"]).toBe("601226");
    // The tokens were issued by the demo's TikTok, and only the hint of the app secret is readable.
    expect(getDemoChannelFakes().tiktok.accessTokens.size).toBeGreaterThan(0);
    expect(JSON.stringify(connections)).not.toContain("shelfcast-demo-tiktok-app-secret");
  });

  it("publishes the catalog: both channels hold items and the outbox counts them live", async () => {
    const { meta, tiktok } = getDemoChannelFakes();
    expect(meta.items.size).toBeGreaterThan(100);
    expect(tiktok.products.size).toBeGreaterThan(20);
    // Every TikTok product was created once, with images TikTok hosts.
    expect(Math.max(...tiktok.createCount.values())).toBe(1);
    const counts = await countItemStates(runtime.db.sql, DEMO_SHOP);
    const meta_ = counts.find((row) => row.channel === "meta");
    const tiktok_ = counts.find((row) => row.channel === "tiktok");
    expect(meta_).toMatchObject({ market: "US", pending: 0, dead: 0 });
    expect(tiktok_).toMatchObject({ market: "US", pending: 0, dead: 0 });
    expect(meta_!.live).toBeGreaterThan(100);
    expect(meta_!.live + meta_!.rejected).toBe(meta.items.size);
    expect(tiktok_!.live + tiktok_!.rejected).toBe(tiktok.products.size);
    const runs = await listPublishRuns(runtime.db.sql, DEMO_SHOP, 20);
    expect(runs.some((run) => run.channel === "meta" && run.itemsLive > 0)).toBe(true);
    expect(runs.some((run) => run.channel === "tiktok" && run.itemsLive > 0)).toBe(true);
  });

  it("records Meta's policy rejection of the products with a health claim, and only those", async () => {
    const claimed = indicesWhere(DEMO_MESS.healthClaim).map(productGid);
    expect(claimed.length).toBeGreaterThan(0);
    const { meta } = getDemoChannelFakes();
    const rejected = [...meta.items.values()].filter((item) => item.review_status === "rejected");
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((item) => /miracle cure/.test(String(item.data.description)))).toBe(true);
    const overview = await loadPublishingOverview(runtime, DEMO_SHOP);
    const channel = overview.channels.find((candidate) => candidate.channel === "meta");
    expect(channel?.counts.rejected).toBe(rejected.length);
    expect(channel?.openErrors).toBeGreaterThanOrEqual(rejected.length);
    const policy = channel?.recentProblems.filter((problem) => /miracle cure/.test(problem.message)) ?? [];
    expect(policy.length).toBeGreaterThan(0);
    expect(policy.every((problem) => claimed.includes(problem.productId) && problem.severity === "error")).toBe(true);
  });

  it("records TikTok's failed audit of the product with a guarantee, with TikTok's reason", async () => {
    const claimed = indicesWhere(DEMO_MESS.guaranteeClaim).map(productGid);
    expect(claimed.length).toBeGreaterThan(0);
    const { tiktok } = getDemoChannelFakes();
    const failed = [...tiktok.products.values()].filter((product) => product.status === "FAILED");
    expect(failed.map((product) => product.payload.external_product_id)).toEqual(claimed);
    expect([...tiktok.products.values()].filter((product) => product.status === "PENDING")).toEqual([]);
    const overview = await loadPublishingOverview(runtime, DEMO_SHOP);
    const channel = overview.channels.find((candidate) => candidate.channel === "tiktok");
    expect(channel?.counts.rejected).toBe(claimed.length);
    const audit = channel?.recentProblems.filter((problem) => problem.code === "tiktok.audit_failed") ?? [];
    expect(audit.map((problem) => problem.productId)).toEqual(claimed);
    expect(audit[0]?.message).toMatch(/guarantee/i);
  });

  it("is idempotent: ensuring the demo shop again changes no connection and sends nothing", async () => {
    const before = await listConnectionSummaries(runtime, DEMO_SHOP);
    const runs = (await listPublishRuns(runtime.db.sql, DEMO_SHOP, 50)).length;
    const calls = getDemoChannelFakes().meta.calls.length + getDemoChannelFakes().tiktok.calls.length;
    await ensureDemoShop(runtime);
    await drainPipeline(runtime);
    expect(await listConnectionSummaries(runtime, DEMO_SHOP)).toEqual(before);
    expect((await listPublishRuns(runtime.db.sql, DEMO_SHOP, 50)).length).toBe(runs);
    expect(getDemoChannelFakes().meta.calls.length + getDemoChannelFakes().tiktok.calls.length).toBe(calls);
  });

  it("after a restart (empty channels, unknown TikTok tokens) authorises TikTok again and sends everything again", async () => {
    const before = await countItemStates(runtime.db.sql, DEMO_SHOP);
    restartDemoChannels();
    await ensureDemoShop(runtime);
    const { meta, tiktok } = getDemoChannelFakes();
    expect(tiktok.accessTokens.size).toBe(1);
    const tiktokConnection = (await listConnectionSummaries(runtime, DEMO_SHOP)).find((connection) => connection.channel === "tiktok");
    expect(tiktokConnection).toMatchObject({ status: "connected", settings: { warehouseMap: expect.arrayContaining([expect.objectContaining({ locationId: LOCATIONS[0].id })]) } });

    await drainPipeline(runtime);
    await finishTikTokAudits(runtime);
    expect(meta.items.size).toBeGreaterThan(100);
    // Images were uploaded to the new TikTok again: none of its products was refused for an unknown image.
    expect([...tiktok.products.values()].filter((product) => product.status === "FAILED")).toHaveLength(indicesWhere(DEMO_MESS.guaranteeClaim).length);
    expect(await countItemStates(runtime.db.sql, DEMO_SHOP)).toEqual(before);
    const runs = await listPublishRuns(runtime.db.sql, DEMO_SHOP, 50);
    expect(new Set(runs.filter((run) => /demo restarted/.test(run.trigger)).map((run) => run.channel))).toEqual(new Set(["meta", "tiktok"]));
  }, 120_000);
});
