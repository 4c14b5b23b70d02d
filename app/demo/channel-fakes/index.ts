/**
 * Faithful fakes of the channel APIs Shelfcast publishes to (Meta's catalog Batch API, TikTok Shop's
 * Partner API) plus the image CDN they download from, shared by the tests (through msw, see
 * tests/mocks/channel-fakes.ts) and the demo (through createFakeFetch). Plain Request/Response: no
 * msw here, the demo runs in production builds.
 */
export { createFakeFetch, type HttpFake } from "./fake-fetch";
export { FAULT_KINDS, FaultPlan, silence, type Fault, type FaultKind, type FaultPlanOptions, type FaultRequest, type InjectedFault } from "./faults";
export { DEFAULT_IMAGE_HOSTS, fakeJpeg, ImageCdn, imageInfo, type ImageCdnOptions, type ImageInfo } from "./image-cdn";
export {
  defaultMetaPolicy,
  META_GRAPH_HOST,
  META_MAX_BATCH_BYTES,
  META_MAX_BATCH_REQUESTS,
  MetaCatalogFake,
  type MetaBatch,
  type MetaBatchError,
  type MetaCall,
  type MetaCatalogFakeOptions,
  type MetaCatalogSnapshot,
  type MetaItem,
  type MetaItemData,
  type MetaItemError,
  type MetaItemHistory,
  type MetaPolicy,
  type MetaReviewStatus,
} from "./meta-catalog";
export { TIKTOK_MARKETS, type TikTokMarketRules } from "./tiktok-product-rules";
export {
  DEFAULT_TIKTOK_SHOPS,
  DEFAULT_TIKTOK_WAREHOUSES,
  defaultTikTokAudit,
  TIKTOK_API_HOST,
  TIKTOK_AUTH_HOST,
  TIKTOK_CODES,
  TIKTOK_MAX_CLOCK_SKEW_SECONDS,
  TikTokShopFake,
  type TikTokAudit,
  type TikTokAuditFailure,
  type TikTokCall,
  type TikTokPrice,
  type TikTokProduct,
  type TikTokProductStatus,
  type TikTokShopFakeOptions,
  type TikTokShopInfo,
  type TikTokShopSnapshot,
  type TikTokSkuState,
  type TikTokStatusChange,
  type TikTokTokens,
  type TikTokUpload,
  type TikTokWarehouse,
} from "./tiktok-shop";
