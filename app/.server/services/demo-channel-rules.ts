import { DEMO_SHOP } from "~/env.server";
import { demoChannelMappings } from "~/demo/demo-channel-rules";
import { listChannelMappings, saveChannelMapping } from "../repositories/channel-settings";
import type { Runtime } from "../runtime";

/**
 * The demo shop starts with the mapping rules a merchant would set up first (TikTok Shop categories
 * and package sizes by product type), so every channel shows real results. The same file works with
 * the CLI: `shelfcast validate --mapping app/demo/channel-rules.json`. Rules the merchant already
 * edited are left alone.
 */
export async function ensureDemoChannelRules(runtime: Runtime): Promise<void> {
  const existing = new Set((await listChannelMappings(runtime.db.sql, DEMO_SHOP)).map((row) => `${row.channel}|${row.market}`));
  for (const entry of demoChannelMappings()) {
    if (existing.has(`${entry.channel}|${entry.market}`)) continue;
    await saveChannelMapping(runtime.db.sql, DEMO_SHOP, { ...entry, expectedRevision: 0 });
  }
}
