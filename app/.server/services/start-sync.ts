import type { ShopContext } from "../auth";
import { getRuntime } from "../runtime";
import { startCatalogSync } from "./catalog-sync/start-catalog-sync";
import { startDemoImport } from "./ensure-demo-shop";

export type StartSyncResult = { ok: true; syncId: string } | { ok: false; message: string };

/** "Sync now": a full sync by bulk operation (the demo shop re-imports its seeded bulk file). */
export async function syncCatalogNow(context: ShopContext): Promise<StartSyncResult> {
  const runtime = await getRuntime();
  if (context.mode === "demo") return { ok: true, syncId: await startDemoImport(runtime) };
  const { syncId } = await startCatalogSync(runtime, context.shop, "full", { kind: "shopify-bulk" });
  return { ok: true, syncId };
}
