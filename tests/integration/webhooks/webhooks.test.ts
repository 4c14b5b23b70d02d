import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import { countShopRows, TENANT_TABLES } from "../../../app/.server/repositories/tenant-data";
import type { Runtime } from "../../../app/.server/runtime";
import { action } from "../../../app/routes/webhooks.$";
import { drainQueue, startTestApp, stopTestApp, webhookRequest, type WebhookRequestOptions } from "../../setup/app";
import { seedShop } from "../../factories/shop";

const SHOP_A = "alpha-goods.myshopify.com";
const SHOP_B = "bravo-goods.myshopify.com";

async function deliver(options: WebhookRequestOptions): Promise<number> {
  try {
    const response = await action({ request: webhookRequest(options), params: { "*": options.topic }, context: {} });
    return response.status;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status; // Shopify's library throws its 401/400 responses
    throw thrown;
  }
}

describe("webhooks", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestApp();
  });
  afterAll(async () => stopTestApp(runtime));

  it("process the same event once however often Shopify delivers it", async () => {
    await seedShop(runtime, SHOP_A, { sessions: 2, products: 1 });
    const delivery = { topic: "app/uninstalled", shop: SHOP_A, payload: { id: 1, domain: SHOP_A }, eventId: "evt-uninstall-1" };
    const statuses = [await deliver(delivery), await deliver({ ...delivery, webhookId: "retry-2" }), await deliver({ ...delivery, webhookId: "retry-3" })];
    expect(statuses).toEqual([200, 200, 200]);

    const inbox = await runtime.db.prisma.webhookInbox.findMany({ where: { shop: SHOP_A, topic: "app/uninstalled" } });
    expect(inbox).toHaveLength(1);
    expect(await drainQueue(runtime, QUEUES.processWebhook)).toEqual({ completed: 1, failed: 0 });

    const processed = await runtime.db.prisma.webhookInbox.findFirstOrThrow({ where: { shop: SHOP_A, topic: "app/uninstalled" } });
    expect(processed.status).toBe("processed");
    expect(processed.outcome).toMatch(/^2 session\(s\) removed/);
    expect(await runtime.db.prisma.session.count({ where: { shop: SHOP_A } })).toBe(0);
    expect((await runtime.db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP_A } })).active).toBe(false);
  });

  it("answer a bad HMAC with 401 and store nothing", async () => {
    const before = await runtime.db.prisma.webhookInbox.count();
    const status = await deliver({ topic: "app/scopes_update", shop: SHOP_B, payload: { current: ["read_products"] }, secret: "not-the-app-secret" });
    expect(status).toBe(401);
    expect(await runtime.db.prisma.webhookInbox.count()).toBe(before);
    expect(await drainQueue(runtime, QUEUES.processWebhook)).toEqual({ completed: 0, failed: 0 });
  });

  it("refuse a topic delivered to another topic's address", async () => {
    const request = webhookRequest({ topic: "app/scopes_update", shop: SHOP_B, payload: { current: [] } });
    const response = await action({ request, params: { "*": "app/uninstalled" }, context: {} });
    expect(response.status).toBe(400);
  });

  it("keep only request ids from compliance payloads, never customer contact data", async () => {
    const payload = { shop_id: 9, shop_domain: SHOP_B, customer: { id: 77, email: "jane@example.com", phone: "+15550100" }, orders_requested: [1, 2], data_request: { id: 5 } };
    expect(await deliver({ topic: "customers/data_request", shop: SHOP_B, payload })).toBe(200);
    await drainQueue(runtime, QUEUES.processWebhook);
    const row = await runtime.db.prisma.webhookInbox.findFirstOrThrow({ where: { shop: SHOP_B, topic: "customers/data_request" } });
    expect(JSON.stringify(row.payload)).not.toMatch(/jane@example\.com|5550100/);
    expect(row.payload).toEqual({ shop_id: 9, customer_id: 77, data_request_id: 5, orders_count: 2 });
    expect(row.status).toBe("processed");
  });

  it("erase every row of the redacted shop and none of another shop's", async () => {
    await seedShop(runtime, SHOP_B, { sessions: 1, products: 3 });
    await seedShop(runtime, "charlie.myshopify.com", { sessions: 1, products: 2 });
    const otherBefore = await countShopRows(runtime.db.sql, "charlie.myshopify.com");
    const redactedBefore = await countShopRows(runtime.db.sql, SHOP_B);
    expect(Object.values(redactedBefore).every((n) => n > 0)).toBe(true); // every table has rows to erase

    expect(await deliver({ topic: "shop/redact", shop: SHOP_B, payload: { shop_id: 9, shop_domain: SHOP_B } })).toBe(200);
    expect(await drainQueue(runtime, QUEUES.processWebhook)).toEqual({ completed: 1, failed: 0 });

    expect(Object.values(await countShopRows(runtime.db.sql, SHOP_B)).every((n) => n === 0)).toBe(true);
    expect(await countShopRows(runtime.db.sql, "charlie.myshopify.com")).toEqual(otherBefore);
  });

  it("list every table that holds a shop's rows for redaction", async () => {
    const { rows } = await runtime.db.sql.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'shop'`,
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual([...TENANT_TABLES].sort());
  });
});

describe("webhook outbox sweep", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestApp();
  });
  afterAll(async () => stopTestApp(runtime));

  it("re-enqueues a recorded delivery whose job was lost, and processes it once", async () => {
    await seedShop(runtime, SHOP_A, { sessions: 1, products: 0 });
    expect(await deliver({ topic: "app/scopes_update", shop: SHOP_A, payload: { current: ["read_products", "read_inventory"] } })).toBe(200);
    // Simulate a crash between the inbox commit and the enqueue: the job never reached the queue.
    await runtime.boss.deleteAllJobs(QUEUES.processWebhook);

    const { requeueStaleDeliveries, STALE_DELIVERY_MS } = await import("../../../app/.server/services/requeue-stale-deliveries");
    expect(await requeueStaleDeliveries(runtime, new Date())).toBe(0); // not stale yet
    expect(await requeueStaleDeliveries(runtime, new Date(Date.now() + STALE_DELIVERY_MS + 1_000))).toBe(1);
    expect(await requeueStaleDeliveries(runtime, new Date(Date.now() + STALE_DELIVERY_MS + 1_000))).toBe(1); // sent again: same job id, still one job
    expect(await drainQueue(runtime, QUEUES.processWebhook)).toEqual({ completed: 1, failed: 0 });

    expect((await runtime.db.prisma.shop.findUniqueOrThrow({ where: { shop: SHOP_A } })).scopes).toBe("read_products,read_inventory");
    expect(await requeueStaleDeliveries(runtime, new Date(Date.now() + STALE_DELIVERY_MS + 1_000))).toBe(0);
  });
});

describe("the worker", () => {
  it("dispatches and processes a recorded delivery by itself", async () => {
    const runtime = await startTestApp();
    try {
      const { startWorkers } = await import("../../../app/.server/jobs/worker");
      await startWorkers(runtime);
      await seedShop(runtime, SHOP_A, { sessions: 1, products: 0 });
      expect(await deliver({ topic: "app/scopes_update", shop: SHOP_A, payload: { current: ["read_products"] } })).toBe(200);
      // Poll the outcome (the dispatcher and pg-boss run on their own timers); no wall-clock assertion.
      for (let attempt = 0; attempt < 100; attempt += 1) {
        const row = await runtime.db.prisma.webhookInbox.findFirst({ where: { shop: SHOP_A, topic: "app/scopes_update", status: "processed", eventId: { not: `seed-${SHOP_A}` } } });
        if (row) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const processed = await runtime.db.prisma.webhookInbox.findFirstOrThrow({ where: { shop: SHOP_A, topic: "app/scopes_update", eventId: { not: `seed-${SHOP_A}` } } });
      expect(processed).toMatchObject({ status: "processed", outcome: "scopes now read_products" });
      expect(processed.queuedAt).not.toBeNull();
    } finally {
      await stopTestApp(runtime);
    }
  });
});
