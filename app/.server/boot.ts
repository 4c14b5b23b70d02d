import { env } from "~/env.server";
import { logger } from "./logger";
import { getRuntime } from "./runtime";
import { ensureDemoShop } from "./services/ensure-demo-shop";

/**
 * Called once by the web server (server.mjs) before it listens: validates the environment, opens
 * the database, migrates, starts the queue (and, in the embedded profile, the worker), and in demo
 * mode makes sure the demo shop exists and its catalog is imported.
 */
export async function boot(): Promise<void> {
  const config = env();
  const runtime = await getRuntime();
  logger.info({ profile: config.profile, demo: config.SHELFCAST_DEMO, worker: config.runWorker }, "Shelfcast booted");
  if (config.SHELFCAST_DEMO) await ensureDemoShop(runtime);
}
