import { API_KEY, API_SECRET_KEY, APP_URL, getHmac } from "@shopify/shopify-api/test-helpers";
import { env, resetEnvForTests } from "../../app/env.server";
import { runJob } from "../../app/.server/jobs/worker";
import { QUEUES, type QueueName } from "../../app/.server/jobs/names";
import { dispatchDeliveries } from "../../app/.server/services/dispatch-deliveries";
import { setRuntime, startRuntime, type Runtime } from "../../app/.server/runtime";
import { resetShopifyForTests } from "../../app/shopify.server";
import { createTestDatabase } from "./database";

/**
 * A Shelfcast runtime on an isolated database, configured with Shopify's test credentials so
 * requests built with @shopify/shopify-api/test-helpers authenticate through the real code path.
 */
export async function startTestApp(): Promise<Runtime> {
  Object.assign(process.env, {
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET_KEY,
    SHOPIFY_APP_URL: APP_URL,
    SHELFCAST_DEMO: "0",
    NODE_ENV: "test",
  });
  resetEnvForTests();
  resetShopifyForTests();
  const runtime = await startRuntime({ env: env(), db: await createTestDatabase(), worker: false });
  setRuntime(runtime);
  return runtime;
}

export async function stopTestApp(runtime: Runtime): Promise<void> {
  setRuntime(undefined);
  await runtime.stop();
}

/** Runs every job waiting in a queue through the worker's own handlers, until none is left. */
export async function drainQueue(runtime: Runtime, queue: QueueName): Promise<{ completed: number; failed: number }> {
  // Recorded webhook deliveries become jobs the way the worker's dispatcher does it.
  if (queue === QUEUES.processWebhook) while ((await dispatchDeliveries(runtime, new Date())) > 0);
  let completed = 0;
  let failed = 0;
  for (;;) {
    const jobs = await runtime.boss.fetch(queue, { batchSize: 10 });
    if (jobs.length === 0) return { completed, failed };
    for (const job of jobs) {
      try {
        const result = await runJob(runtime, queue, job);
        // Stored like the worker stores it, so services that read a job's output see it in tests too.
        await runtime.boss.complete(queue, job.id, result === undefined || result === null ? undefined : (result as object));
        completed += 1;
      } catch (error) {
        await runtime.boss.fail(queue, job.id, { message: (error as Error).message });
        failed += 1;
      }
    }
  }
}

export interface WebhookRequestOptions {
  topic: string;
  shop: string;
  payload: unknown;
  eventId?: string;
  webhookId?: string;
  secret?: string;
}

/** A webhook delivery as Shopify sends it: raw JSON body signed with HMAC-SHA256, base64. */
export function webhookRequest({ topic, shop, payload, eventId, webhookId, secret = API_SECRET_KEY }: WebhookRequestOptions): Request {
  const body = JSON.stringify(payload);
  return new Request(`${APP_URL}/webhooks/${topic}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": getHmac(body, secret),
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": shop,
      "x-shopify-api-version": "2025-10",
      "x-shopify-webhook-id": webhookId ?? crypto.randomUUID(),
      "x-shopify-event-id": eventId ?? crypto.randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
  });
}
