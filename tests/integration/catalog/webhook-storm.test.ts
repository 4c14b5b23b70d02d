import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import { snapshotHash } from "../../../app/.server/repositories/catalog";
import type { Runtime } from "../../../app/.server/runtime";
import { action } from "../../../app/routes/webhooks.$";
import { createPrng } from "../../../app/demo/prng";
import { FakeShopifyShop } from "../../mocks/fake-shopify";
import { mockServer } from "../../mocks/server";
import { expectedSnapshot, generatedLines, writeLines } from "../../factories/catalog-file";
import { drainQueue, startTestApp, stopTestApp, webhookRequest } from "../../setup/app";
import { startCatalogSync } from "../../../app/.server/services/catalog-sync/start-catalog-sync";
import { runCatalogSync } from "../../../app/.server/services/catalog-sync/run-catalog-sync";

const SHOP = "storm-goods.myshopify.com";
const TOKEN = "shpat_storm_offline";

interface Delivery {
  topic: string;
  payload: unknown;
  eventId: string;
}

describe("webhook storm", () => {
  let runtime: Runtime;
  let fake: FakeShopifyShop;
  const lines = generatedLines(80, 23);

  beforeAll(async () => {
    runtime = await startTestApp();
    // Rate limiting is the client's own test (graphql-client.test.ts); here the bucket never runs dry.
    fake = new FakeShopifyShop({ shop: SHOP, accessToken: TOKEN, lines, bucket: { maximumAvailable: 1e9, restoreRate: 1e9 } });
    mockServer.use(...fake.handlers());
    await runtime.db.prisma.shop.create({ data: { shop: SHOP, scopes: "read_products,read_inventory" } });
    await runtime.db.prisma.session.create({ data: { id: `offline_${SHOP}`, shop: SHOP, state: "", isOnline: false, accessToken: TOKEN } });
    // Start from the same catalog Shopify has.
    const { syncId } = await startCatalogSync(runtime, SHOP, "file-import", { kind: "file", path: writeLines(lines) });
    await runCatalogSync(runtime, { shop: SHOP, syncId }, { now: () => new Date(), adminApi: async () => Promise.reject(new Error("file")) });
  });
  afterAll(async () => stopTestApp(runtime));

  it("2,000 deliveries with 20% duplicates and 20% out of order end with the snapshot equal to Shopify's latest truth", async () => {
    const random = createPrng(2026);
    const products = fake.products().map((p) => p.id);
    const deliveries: Delivery[] = [];
    let event = 0;
    while (deliveries.length < 1_600) {
      const productId = products[Math.floor(random.next() * products.length)]!;
      const roll = random.next();
      if (roll < 0.45) {
        fake.updateProduct(productId, { title: `Storm title ${event}` });
        deliveries.push({ topic: "products/update", payload: fake.restPayload(productId), eventId: `e${event++}` });
      } else if (roll < 0.9) {
        const level = fake.inventoryLevels(productId)[0];
        if (!level) continue;
        fake.setAvailable(level.inventoryItemId, level.locationId, Math.floor(random.next() * 50) - 5);
        deliveries.push({ topic: "inventory_levels/update", payload: fake.inventoryLevelPayload(level.inventoryItemId, level.locationId), eventId: `e${event++}` });
      } else if (roll < 0.93) {
        fake.deleteProduct(productId);
        products.splice(products.indexOf(productId), 1);
        deliveries.push({ topic: "products/delete", payload: { id: Number(productId.split("/").pop()) }, eventId: `e${event++}` });
      } else {
        deliveries.push({ topic: "products/update", payload: fake.restPayload(productId), eventId: `e${event++}` });
      }
    }
    // 20% duplicates (same event id, a retry), then 20% moved out of order.
    const withDuplicates = [...deliveries];
    for (let i = 0; i < 400; i += 1) withDuplicates.push(deliveries[Math.floor(random.next() * deliveries.length)]!);
    for (let i = 0; i < 400; i += 1) {
      const a = Math.floor(random.next() * withDuplicates.length);
      const b = Math.floor(random.next() * withDuplicates.length);
      [withDuplicates[a], withDuplicates[b]] = [withDuplicates[b]!, withDuplicates[a]!];
    }
    expect(withDuplicates).toHaveLength(2_000);

    for (const delivery of withDuplicates) {
      const response = await action({ request: webhookRequest({ shop: SHOP, ...delivery }), params: { "*": delivery.topic }, context: {} });
      expect(response.status).toBe(200);
    }
    expect(await runtime.db.prisma.webhookInbox.count({ where: { shop: SHOP } })).toBe(deliveries.length);

    await drainQueue(runtime, QUEUES.processWebhook);
    // Refreshes wait a moment to coalesce bursts; take them now.
    await runtime.db.sql.query(`UPDATE pgboss.job SET start_after = now() WHERE name = $1`, [QUEUES.refreshProduct]);
    const refreshes = await drainQueue(runtime, QUEUES.refreshProduct);
    expect(refreshes.failed).toBe(0);
    expect(refreshes.completed).toBeLessThan(deliveries.length / 4); // bursts coalesced per product

    const truth = expectedSnapshot(fake.currentLines());
    expect(await snapshotHash(runtime.db.prisma, SHOP)).toEqual(truth);
  });
});
