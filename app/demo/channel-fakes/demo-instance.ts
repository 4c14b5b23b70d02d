import { createFakeFetch, ImageCdn, MetaCatalogFake, TikTokShopFake } from "./index";

/**
 * The demo's channels: one Meta catalog, one TikTok Shop seller and the image CDN they download
 * from, alive for the whole process so that what the demo publishes stays visible between requests.
 * app/.server/channels/channel-fetch.ts hands their `fetch` to every channel call of the demo shop.
 * The credentials below are the only ones these fakes accept; they guard nothing real.
 */
export const DEMO_META_CATALOG_ID = "2000000000000001";
export const DEMO_META_BUSINESS_ID = "1000000000000001";
export const DEMO_META_CATALOG_NAME = "Shelfcast demo catalog";
export const DEMO_META_TOKEN = "EAAGshelfcastDemoSystemUserToken0001";
export const DEMO_TIKTOK_APP_KEY = "shelfcastdemo01";
export const DEMO_TIKTOK_APP_SECRET = "shelfcast-demo-tiktok-app-secret";

export interface DemoChannelFakes {
  meta: MetaCatalogFake;
  tiktok: TikTokShopFake;
  images: ImageCdn;
  fetch: typeof fetch;
}

function createDemoChannelFakes(): DemoChannelFakes {
  const images = new ImageCdn();
  const meta = new MetaCatalogFake({ accessToken: DEMO_META_TOKEN, catalogId: DEMO_META_CATALOG_ID, businessId: DEMO_META_BUSINESS_ID, catalogName: DEMO_META_CATALOG_NAME, images });
  const tiktok = new TikTokShopFake({ appKey: DEMO_TIKTOK_APP_KEY, appSecret: DEMO_TIKTOK_APP_SECRET, images });
  return { meta, tiktok, images, fetch: createFakeFetch(meta, tiktok, images) };
}

// On globalThis, not in module scope: the dev server re-imports modules on change, and a second set
// of fakes would forget everything the demo published and every token it issued.
const holder = globalThis as unknown as { __shelfcastDemoChannelFakes?: DemoChannelFakes };

/** The process's demo channels, created on first use. */
export function getDemoChannelFakes(): DemoChannelFakes {
  holder.__shelfcastDemoChannelFakes ??= createDemoChannelFakes();
  return holder.__shelfcastDemoChannelFakes;
}
