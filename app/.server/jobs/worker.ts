import { z } from "zod";
import { logger } from "../logger";
import type { Runtime } from "../runtime";
import { ImportCatalogFileJobSchema, importCatalogFile } from "../services/import-catalog-file";
import { ProcessWebhookJobSchema, processWebhookDelivery } from "../services/process-webhook";
import { requeueStaleDeliveries } from "../services/requeue-stale-deliveries";
import { QUEUES, type QueueName } from "./names";

interface JobHandler<S extends z.ZodType = z.ZodType> {
  schema: S;
  run(runtime: Runtime, data: z.infer<S>): Promise<unknown>;
}

function handler<S extends z.ZodType>(schema: S, run: (runtime: Runtime, data: z.infer<S>) => Promise<unknown>): JobHandler {
  return { schema, run: run as JobHandler["run"] };
}

/** Every queue's handler. The worker and the tests' queue drain both run exactly these. */
export const JOB_HANDLERS: Record<QueueName, JobHandler> = {
  [QUEUES.processWebhook]: handler(ProcessWebhookJobSchema, (runtime, data) => processWebhookDelivery(runtime, data, new Date())),
  [QUEUES.importCatalogFile]: handler(ImportCatalogFileJobSchema, (runtime, data) => importCatalogFile(runtime, data, () => new Date())),
  [QUEUES.requeueStaleDeliveries]: handler(z.object({}).passthrough(), (runtime) => requeueStaleDeliveries(runtime, new Date())),
};

/** Maintenance that runs on a schedule in whichever worker pg-boss picks (cron, UTC). */
const SCHEDULES: { queue: QueueName; cron: string }[] = [{ queue: QUEUES.requeueStaleDeliveries, cron: "* * * * *" }];

/**
 * Validates a job's data before use: a malformed job fails with a message (and lands in pg-boss's
 * failed state) instead of crashing the worker.
 */
export async function runJob(runtime: Runtime, queue: QueueName, job: { id: string; data: unknown }): Promise<unknown> {
  const { schema, run } = JOB_HANDLERS[queue];
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) {
    throw new Error(`${queue} job ${job.id} has invalid data: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  try {
    return await run(runtime, parsed.data);
  } catch (error) {
    logger.error({ queue, jobId: job.id, err: error }, "job failed");
    throw error;
  }
}

export async function startWorkers(runtime: Runtime): Promise<void> {
  for (const queue of Object.keys(JOB_HANDLERS) as QueueName[]) {
    await runtime.boss.work(queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => (job ? runJob(runtime, queue, job) : undefined));
  }
  for (const { queue, cron } of SCHEDULES) await runtime.boss.schedule(queue, cron, {});
}
