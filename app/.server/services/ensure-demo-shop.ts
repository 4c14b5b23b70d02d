import { existsSync } from "node:fs";
import path from "node:path";
import { DEMO_SHOP } from "~/env.server";
import { QUEUES } from "../jobs/names";
import { activeCatalogSync, createCatalogSync, latestCatalogSync } from "../repositories/catalog-syncs";
import { upsertShopInstalled } from "../repositories/shops";
import type { Runtime } from "../runtime";

export function demoCatalogPath(runtime: Runtime): string {
  return path.resolve(runtime.env.SHELFCAST_DATA_DIR, "demo/catalog.jsonl");
}

/** The demo shop exists and its catalog has been (or is being) imported from the seeded file. */
export async function ensureDemoShop(runtime: Runtime): Promise<void> {
  await upsertShopInstalled(runtime.db.prisma, DEMO_SHOP, runtime.env.scopes.join(","), { isDemo: true, name: "Shelfcast Demo", currencyCode: "USD", ianaTimezone: "America/New_York" });
  const latest = await latestCatalogSync(runtime.db.prisma, DEMO_SHOP);
  if (latest?.status === "succeeded" || latest?.status === "running" || latest?.status === "queued") return;
  await startDemoImport(runtime);
}

/** "Sync now" in the demo: re-reads the seeded bulk JSONL through the real import path. */
export async function startDemoImport(runtime: Runtime): Promise<string> {
  const { prisma } = runtime.db;
  const running = await activeCatalogSync(prisma, DEMO_SHOP);
  if (running) return running.id; // one full sync per shop at a time
  const file = demoCatalogPath(runtime);
  if (!existsSync(file)) throw new Error(`demo catalog not found at ${file}; run \`shelfcast seed\` first`);
  const sync = await createCatalogSync(prisma, DEMO_SHOP, "demo-import", file);
  await runtime.boss.send(QUEUES.importCatalogFile, { shop: DEMO_SHOP, syncId: sync.id, path: file }, { singletonKey: `import:${DEMO_SHOP}` });
  return sync.id;
}
