import { existsSync } from "node:fs";
import path from "node:path";
import { DEMO_SHOP } from "~/env.server";
import { STORE_DOMAIN } from "~/demo/catalog-data";
import { ensureDemoChannelRules } from "./demo-channel-rules";
import { logger } from "../logger";
import { latestCatalogSync } from "../repositories/catalog-syncs";
import { upsertShopInstalled } from "../repositories/shops";
import type { Runtime } from "../runtime";
import { startCatalogSync } from "./catalog-sync/start-catalog-sync";
import { ensureDemoChannelConnections, resendAfterDemoRestart, startDemoAuditClock } from "./publishing/demo-connections";

export function demoCatalogPath(runtime: Runtime): string {
  return path.resolve(runtime.env.SHELFCAST_DATA_DIR, "demo/catalog.jsonl");
}

/**
 * The demo shop exists, is connected to the demo's Meta catalog and TikTok Shop (the in-process
 * fakes), and its catalog has been (or is being) imported from the seeded file. The import's feed
 * build plans and publishes to both channels; after a restart, what the emptied channels held is
 * sent again. In demo mode the demo TikTok's audit clock starts too.
 */
export async function ensureDemoShop(runtime: Runtime): Promise<void> {
  await upsertShopInstalled(runtime.db.prisma, DEMO_SHOP, runtime.env.scopes.join(","), {
    isDemo: true,
    name: "Shelfcast Demo",
    currencyCode: "USD",
    ianaTimezone: "America/New_York",
    countryCode: "US",
    storefrontUrl: `https://${STORE_DOMAIN}`,
  });
  await ensureDemoChannelRules(runtime);
  try {
    await ensureDemoChannelConnections(runtime);
    await resendAfterDemoRestart(runtime);
  } catch (error) {
    // The rest of the demo works without its channels; the Channels page says they are not connected.
    logger.error({ err: error }, "the demo's channels could not be connected");
  }
  if (runtime.env.SHELFCAST_DEMO) startDemoAuditClock(runtime);
  const latest = await latestCatalogSync(runtime.db.prisma, DEMO_SHOP);
  if (latest?.status === "succeeded") return;
  await startDemoImport(runtime); // also resumes a sync interrupted by a restart
}

/**
 * "Sync now" in the demo: the seeded bulk JSONL goes through the same staged, checkpointed sync a
 * real shop's bulk-operation results go through.
 */
export async function startDemoImport(runtime: Runtime): Promise<string> {
  const file = demoCatalogPath(runtime);
  if (!existsSync(file)) throw new Error(`demo catalog not found at ${file}; run \`shelfcast seed\` first`);
  const { syncId } = await startCatalogSync(runtime, DEMO_SHOP, "demo-import", { kind: "file", path: file });
  return syncId;
}
