import type { ShopContext } from "../auth";
import { getRuntime } from "../runtime";
import { startDemoImport } from "./ensure-demo-shop";

export type StartSyncResult = { ok: true; syncId: string } | { ok: false; message: string };

/** "Sync now". The demo re-imports its seeded bulk file; live shops get the bulk sync of the ingest work. */
export async function startCatalogSync(context: ShopContext): Promise<StartSyncResult> {
  if (context.mode !== "demo") {
    return { ok: false, message: "Full sync from Shopify arrives with catalog ingest; the demo shop can re-import its catalog now." };
  }
  return { ok: true, syncId: await startDemoImport(await getRuntime()) };
}
