import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotHash } from "../../../app/.server/repositories/catalog";
import type { Runtime } from "../../../app/.server/runtime";
import { runCatalogSync, type CatalogSyncDeps } from "../../../app/.server/services/catalog-sync/run-catalog-sync";
import { startCatalogSync } from "../../../app/.server/services/catalog-sync/start-catalog-sync";
import { createAdminApi } from "../../../app/.server/shopify/graphql-client";
import { SHOPIFY_API_VERSION } from "../../../app/shopify.server";
import { FakeShopifyShop } from "../../mocks/fake-shopify";
import { mockServer } from "../../mocks/server";
import { expectedSnapshot, generatedLines } from "../../factories/catalog-file";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "bulk-goods.myshopify.com";
const TOKEN = "shpat_bulk_offline";

describe("full sync by bulk operation", () => {
  let runtime: Runtime;
  // About 10,000 variants (the generator averages ~5.2 per product).
  const lines = generatedLines(1_920, 5);
  const expected = expectedSnapshot(lines);
  let fake: FakeShopifyShop;

  beforeAll(async () => {
    runtime = await startTestApp();
    fake = new FakeShopifyShop({ shop: SHOP, accessToken: TOKEN, lines, bulkPollsUntilDone: 3 });
    mockServer.use(...fake.handlers());
  });
  afterAll(async () => stopTestApp(runtime));

  // About 70,000 JSONL lines through the whole pipeline: allow more than the default 30 s.
  it("is killed halfway, resumes, and ends equal to the source without restarting Shopify's bulk queries", { timeout: 180_000 }, async () => {
    expect(expected.variants).toBeGreaterThanOrEqual(9_500);
    let crashedAt: number | null = null;
    const deps: CatalogSyncDeps = {
      now: () => new Date(),
      adminApi: async () => createAdminApi({ shop: SHOP, accessToken: TOKEN, apiVersion: SHOPIFY_API_VERSION, sleep: async () => undefined }),
      afterCheckpoint(phase, progress) {
        if (phase === "applying" && crashedAt === null && progress >= expected.variants / 2) {
          crashedAt = progress;
          throw new Error("worker killed");
        }
      },
    };
    const { syncId } = await startCatalogSync(runtime, SHOP, "full", { kind: "shopify-bulk" });
    let steps = 0;
    let restarts = 0;
    for (;;) {
      steps += 1;
      expect(steps).toBeLessThan(50);
      try {
        const result = await runCatalogSync(runtime, { shop: SHOP, syncId }, deps);
        if (result.state === "done") {
          expect(result.status).toBe("succeeded");
          break;
        }
        // "wait": Shopify is still running the bulk query; the worker would come back later.
      } catch (error) {
        expect((error as Error).message).toBe("worker killed");
        restarts += 1;
        // A restarted worker starts from what the database says, not from memory.
      }
    }
    expect(restarts).toBe(1);
    expect(crashedAt).not.toBeNull();
    expect(await snapshotHash(runtime.db.prisma, SHOP)).toEqual(expected);
    const bulkRuns = fake.requests.filter((r) => r.operationName === "RunBulkQuery" || r.operationName === "bulkOperationRunQuery");
    expect(bulkRuns).toHaveLength(2); // one per bulk query, none repeated after the crash
    const sync = await runtime.db.prisma.catalogSync.findUniqueOrThrow({ where: { id: syncId } });
    expect(sync).toMatchObject({ status: "succeeded", doneVariants: expected.variants, totalVariants: expected.variants });
  });
});
