import { getDemoChannelFakes } from "~/demo/channel-fakes/demo-instance";
import { getShop } from "../repositories/shops";
import type { Runtime } from "../runtime";

/**
 * The demo's channels and the credentials they accept, for the pages that stand in for the channels'
 * own screens in the demo (through this .server module, so none of it reaches a browser bundle).
 */
export {
  DEMO_META_BUSINESS_ID,
  DEMO_META_CATALOG_ID,
  DEMO_META_TOKEN,
  DEMO_TIKTOK_APP_KEY,
  DEMO_TIKTOK_APP_SECRET,
  getDemoChannelFakes,
} from "~/demo/channel-fakes/demo-instance";

/**
 * The `fetch` every channel call of a shop goes through. Real shops reach Meta and TikTok over the
 * network; the demo (SHELFCAST_DEMO, or a shop created as the demo shop) talks to the process's
 * channel fakes instead, so connecting, authorising and publishing all work offline through the
 * same clients.
 */
export async function isDemoChannelShop(runtime: Runtime, shop: string): Promise<boolean> {
  if (runtime.env.SHELFCAST_DEMO) return true;
  const row = await getShop(runtime.db.prisma, shop);
  return row?.isDemo === true;
}

export async function channelFetchFor(runtime: Runtime, shop: string): Promise<typeof fetch> {
  if (await isDemoChannelShop(runtime, shop)) return getDemoChannelFakes().fetch;
  // Looked up at call time, not captured: tests intercept the global fetch after this module loads.
  return ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)) as typeof fetch;
}
