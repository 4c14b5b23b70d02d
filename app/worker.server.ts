// `npm run worker`: a job worker process for the scale profile. Run as many as the load needs;
// they share one pg-boss queue on PostgreSQL, which hands each job to one of them.
import { env } from "./env.server";
import { logger } from "./.server/logger";
import { startRuntime } from "./.server/runtime";

try {
  const config = env();
  if (config.profile !== "scale") {
    console.error("npm run worker is for the scale profile: set DATABASE_URL to a PostgreSQL server. In the embedded default the web process already runs the worker.");
    process.exit(1);
  }
  const runtime = await startRuntime({ env: config, worker: true });
  logger.info("worker process started");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      void runtime.stop().finally(() => process.exit(0));
    });
  }
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
