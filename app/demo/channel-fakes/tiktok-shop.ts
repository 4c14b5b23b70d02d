/**
 * A faithful fake of TikTok Shop's Partner API (202309) as /tmp/brief/wire.md (TikTok part) and
 * channels.md §2 describe it: OAuth on https://auth.tiktok-shops.com, signed calls on
 * https://open-api.tiktokglobalshop.com, the `{code, message, request_id, data}` envelope.
 *
 * What it models, because clients get these wrong:
 * - every API call's HMAC signature (verified by an implementation written here from the spec, not
 *   Shelfcast's signer), its timestamp (±300 s on the fake clock), the access token (expiring on the
 *   fake clock) and, on shop-scoped calls, the shop_cipher;
 * - products refused as a whole on the first invalid field (tiktok-product-rules.ts), images that
 *   must be uploaded first (a `source_url` is refused), a full edit that replaces the SKU list;
 * - audit: products start PENDING and turn ACTIVATE or FAILED (with audit_failed_reasons) on the
 *   next read of the product or when the test says so (`settleAudits`);
 * - duplicate creates are NOT refused (TikTok lists the product twice): `createCount` shows them;
 * - throttling (HTTP 429), 5xx and silent timeouts from a seeded FaultPlan (faults.ts).
 *
 * Codes the wire contract does not fix are chosen here (see TIKTOK_CODES) and are not retryable.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { type FaultKind, type FaultPlan, type FaultPlanOptions, silence, toFaultPlan } from "./faults";
import type { HttpFake } from "./fake-fetch";
import { type ImageCdn, type ImageCdnOptions, imageInfo, toImageCdn } from "./image-cdn";
import { priceProblem, productProblem, quantityProblem, TIKTOK_MARKETS, type ProductCheckContext } from "./tiktok-product-rules";

export const TIKTOK_API_HOST = "open-api.tiktokglobalshop.com";
export const TIKTOK_AUTH_HOST = "auth.tiktok-shops.com";
export const TIKTOK_MAX_CLOCK_SKEW_SECONDS = 300;
const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
const DAY_SECONDS = 24 * 60 * 60;

export const TIKTOK_CODES = {
  ok: 0,
  internalError: 1000,
  invalidAccessToken: 105001,
  accessTokenExpired: 105002,
  invalidSignature: 106001,
  timestampExpired: 106002,
  invalidShopCipher: 106011,
  productNotFound: 12052048,
  invalidProductData: 12052700,
  tooManyRequests: 36009004,
  refreshTokenInvalid: 36004001,
  invalidAuthCode: 36004004,
  // Not fixed by the wire contract; chosen for the fake.
  /** Wrong app_key / app_secret or grant_type on the OAuth host. */
  invalidAppCredentials: 36004002,
  /** Malformed request: body not JSON, wrong content-type, missing query parameter. */
  invalidRequest: 36009003,
  /** No such API path. */
  apiNotFound: 36009001,
  /** inventory/update: per-SKU errors in data.errors. */
  skuNotFound: 12052053,
  warehouseNotFound: 12052054,
  warehouseRequired: 12052055,
} as const;

// ---------------------------------------------------------------------------------------------
// Public types

export type TikTokProductStatus = "DRAFT" | "PENDING" | "FAILED" | "ACTIVATE" | "SELLER_DEACTIVATED" | "PLATFORM_DEACTIVATED" | "FREEZE" | "DELETED";
const STATUSES: readonly string[] = ["DRAFT", "PENDING", "FAILED", "ACTIVATE", "SELLER_DEACTIVATED", "PLATFORM_DEACTIVATED", "FREEZE", "DELETED"];

export interface TikTokShopInfo {
  id: string;
  name: string;
  region: string;
  seller_type: string;
  cipher: string;
  code: string;
}

export interface TikTokWarehouse {
  id: string;
  name: string;
  is_default: boolean;
}

export interface TikTokAuditFailure {
  position: string;
  reasons: string[];
  suggestions: string[];
}

/** An audit: the failures of a product payload, or null (or []) when it passes. */
export type TikTokAudit = (payload: Record<string, unknown>) => TikTokAuditFailure[] | null;

export interface TikTokPrice {
  amount: string;
  currency: string;
}

export interface TikTokSkuState {
  id: string;
  seller_sku?: string;
  external_sku_id?: string;
  price: TikTokPrice;
  inventory: { warehouse_id: string; quantity: number }[];
  sales_attributes: Record<string, unknown>[];
  identifier_code?: { type: string; code: string };
}

export interface TikTokProduct {
  id: string;
  shopId: string;
  /** The last create / full-edit body, as sent. */
  payload: Record<string, unknown>;
  status: TikTokProductStatus;
  audit_failed_reasons: TikTokAuditFailure[];
  skus: TikTokSkuState[];
  /** Unix seconds (fake clock). */
  createTime: number;
  updateTime: number;
}

export interface TikTokUpload {
  uri: string;
  url: string;
  useCase: string;
  bytes: number;
  width: number;
  height: number;
}

/** One call the fake received on the API or auth host (image downloads excluded). */
export interface TikTokCall {
  method: string;
  /** Host and path, no query: "open-api.tiktokglobalshop.com/product/202309/products". */
  path: string;
  status: number;
  code: number | null;
  fault: FaultKind | null;
}

export interface TikTokTokens {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

export interface TikTokStatusChange {
  productId: string;
  shopId: string;
  status: TikTokProductStatus;
  /** Unix seconds. */
  at: number;
}

export interface TikTokShopFakeOptions {
  /** Default "fake-app-key" / "fake-app-secret". */
  appKey?: string;
  appSecret?: string;
  now?: () => Date;
  faults?: FaultPlan | FaultPlanOptions;
  /** Whether faults also hit the OAuth host. Default false. */
  faultsOnOAuth?: boolean;
  /** Default one US shop. */
  shops?: TikTokShopInfo[];
  /** Default two warehouses, the first the default. Every shop has the same ones. */
  warehouses?: TikTokWarehouse[];
  seller?: { openId: string; name: string; baseRegion: string };
  /** Default 7 days / 365 days. */
  accessTokenTtlSeconds?: number;
  refreshTokenTtlSeconds?: number;
  /** Default: fails descriptions that contain "guarantee". */
  audit?: TikTokAudit;
  /** What categories/recommend answers. Default 600001 "Women's Tops". */
  recommendedCategory?: { id: string; name: string };
  /** When set, category_id must be one of these; default any numeric id. */
  leafCategoryIds?: readonly string[];
  /** Image downloads: a shared ImageCdn, or options for this fake's own. */
  images?: ImageCdn | ImageCdnOptions;
}

export interface TikTokShopSnapshot {
  products: Record<string, { shopId: string; payload: Record<string, unknown>; status: TikTokProductStatus; audit_failed_reasons: TikTokAuditFailure[]; skus: TikTokSkuState[] }>;
  createCount: Record<string, number>;
  uploads: number;
  calls: number;
}

export const DEFAULT_TIKTOK_SHOPS: readonly TikTokShopInfo[] = [
  { id: "7495000000000000001", name: "Shelfcast Demo US", region: "US", seller_type: "LOCAL", cipher: "ROW_fake_cipher_us_0001", code: "USLCFAKE01" },
];

export const DEFAULT_TIKTOK_WAREHOUSES: readonly TikTokWarehouse[] = [
  { id: "7496000000000000001", name: "Main warehouse", is_default: true },
  { id: "7496000000000000002", name: "East coast warehouse", is_default: false },
];

/** The default audit: guarantees are a prohibited claim. */
export const defaultTikTokAudit: TikTokAudit = (payload) =>
  typeof payload.description === "string" && /guarantee/i.test(payload.description)
    ? [{ position: "description", reasons: ["Prohibited claim: guarantees are not allowed"], suggestions: ["Remove the guarantee from the description"] }]
    : null;

// ---------------------------------------------------------------------------------------------
// Signature (channels.md §2.1), written here from the spec text

/**
 * The `sign` of a call: the query parameters except sign and access_token, sorted by key (code
 * unit order), concatenated as key+value, after the path and before the raw body (left out for
 * multipart), wrapped in the app secret on both sides, HMAC-SHA256 keyed by the app secret, hex.
 * Fed to the HMAC piece by piece so the body's bytes are used as they came, never re-encoded.
 */
function expectedSign(appSecret: string, path: string, query: URLSearchParams, body: Uint8Array | null): string {
  const keys = [...new Set(query.keys())].filter((key) => key !== "sign" && key !== "access_token");
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const hmac = createHmac("sha256", appSecret);
  hmac.update(appSecret + path + keys.map((key) => key + (query.get(key) ?? "")).join(""));
  if (body) hmac.update(body);
  hmac.update(appSecret);
  return hmac.digest("hex");
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// ---------------------------------------------------------------------------------------------
// Routing

type RouteName =
  | "shops"
  | "uploadImage"
  | "createProduct"
  | "deleteProducts"
  | "searchProducts"
  | "deactivateProducts"
  | "activateProducts"
  | "recommendCategory"
  | "updateInventory"
  | "updatePrices"
  | "editProduct"
  | "getProduct"
  | "warehouses";

interface RouteSpec {
  method: string;
  pattern: RegExp;
  name: RouteName;
  /** Needs shop_cipher (wire.md: every product call except images/upload, and not authorization/shops). */
  shopScoped: boolean;
  body: "json" | "multipart" | "none";
}

const ROUTES: readonly RouteSpec[] = [
  { method: "GET", pattern: /^\/authorization\/202309\/shops$/, name: "shops", shopScoped: false, body: "none" },
  { method: "POST", pattern: /^\/product\/202309\/images\/upload$/, name: "uploadImage", shopScoped: false, body: "multipart" },
  { method: "POST", pattern: /^\/product\/202309\/products$/, name: "createProduct", shopScoped: true, body: "json" },
  { method: "DELETE", pattern: /^\/product\/202309\/products$/, name: "deleteProducts", shopScoped: true, body: "json" },
  { method: "POST", pattern: /^\/product\/202309\/products\/search$/, name: "searchProducts", shopScoped: true, body: "json" },
  { method: "POST", pattern: /^\/product\/202309\/products\/deactivate$/, name: "deactivateProducts", shopScoped: true, body: "json" },
  { method: "POST", pattern: /^\/product\/202309\/products\/activate$/, name: "activateProducts", shopScoped: true, body: "json" },
  { method: "POST", pattern: /^\/product\/202309\/categories\/recommend$/, name: "recommendCategory", shopScoped: true, body: "json" },
  { method: "POST", pattern: /^\/product\/202309\/products\/([^/]+)\/inventory\/update$/, name: "updateInventory", shopScoped: true, body: "json" },
  { method: "POST", pattern: /^\/product\/202309\/products\/([^/]+)\/prices\/update$/, name: "updatePrices", shopScoped: true, body: "json" },
  { method: "PUT", pattern: /^\/product\/202309\/products\/([^/]+)$/, name: "editProduct", shopScoped: true, body: "json" },
  { method: "GET", pattern: /^\/product\/202309\/products\/([^/]+)$/, name: "getProduct", shopScoped: true, body: "none" },
  { method: "GET", pattern: /^\/logistics\/202309\/warehouses$/, name: "warehouses", shopScoped: true, body: "none" },
];

function findRoute(method: string, path: string): { route: RouteSpec; productId: string | null } | null {
  for (const route of ROUTES) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, productId: match[1] ?? null };
  }
  return null;
}

/** A refusal: HTTP status, envelope code and message. */
class TikTokError {
  constructor(
    readonly code: number,
    readonly message: string,
    readonly status = 200,
  ) {}
}

type Json = Record<string, unknown>;

interface CallContext {
  shop: TikTokShopInfo | null;
  query: URLSearchParams;
  productId: string | null;
  /** Parsed JSON body (json routes), or {}. */
  body: Json;
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function encodePageToken(offset: number): string {
  return btoa(`page:${offset}`).replace(/=+$/, "");
}

function decodePageToken(token: string): number | null {
  try {
    const match = /^page:(\d+)$/.exec(atob(token));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export class TikTokShopFake implements HttpFake {
  readonly appKey: string;
  readonly appSecret: string;
  readonly faults: FaultPlan;
  faultsOnOAuth: boolean;
  readonly images: ImageCdn;
  readonly shops: TikTokShopInfo[];
  readonly warehouses: TikTokWarehouse[];
  readonly seller: { openId: string; name: string; baseRegion: string };
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  audit: TikTokAudit;
  recommendedCategory: { id: string; name: string };
  leafCategoryIds: ReadonlySet<string> | null;

  readonly products = new Map<string, TikTokProduct>();
  /** Creates per external_product_id: above 1 means the product was listed twice. */
  readonly createCount = new Map<string, number>();
  readonly uploads: TikTokUpload[] = [];
  readonly calls: TikTokCall[] = [];
  /** Every audit verdict and (de)activation, for webhooks. */
  readonly statusChanges: TikTokStatusChange[] = [];
  /** Access token → expiry (Unix seconds). */
  readonly accessTokens = new Map<string, number>();
  /** Refresh token → expiry (Unix seconds). */
  readonly refreshTokens = new Map<string, number>();

  private readonly now: () => Date;
  private readonly authCodes = new Set<string>();
  private readonly uploadedUris = new Set<string>();
  private counters = { request: 0, product: 0, sku: 0, upload: 0, token: 0, code: 0 };

  constructor(options: TikTokShopFakeOptions = {}) {
    this.appKey = options.appKey ?? "fake-app-key";
    this.appSecret = options.appSecret ?? "fake-app-secret";
    this.now = options.now ?? (() => new Date());
    this.faults = toFaultPlan(options.faults);
    this.faultsOnOAuth = options.faultsOnOAuth ?? false;
    this.images = toImageCdn(options.images);
    this.shops = (options.shops ?? DEFAULT_TIKTOK_SHOPS).map((shop) => ({ ...shop }));
    this.warehouses = (options.warehouses ?? DEFAULT_TIKTOK_WAREHOUSES).map((warehouse) => ({ ...warehouse }));
    this.seller = options.seller ?? { openId: "fake-open-id-0001", name: "Shelfcast Demo Seller", baseRegion: this.shops[0]?.region ?? "US" };
    this.accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 7 * DAY_SECONDS;
    this.refreshTokenTtlSeconds = options.refreshTokenTtlSeconds ?? 365 * DAY_SECONDS;
    this.audit = options.audit ?? defaultTikTokAudit;
    this.recommendedCategory = options.recommendedCategory ?? { id: "600001", name: "Women's Tops" };
    this.leafCategoryIds = options.leafCategoryIds ? new Set(options.leafCategoryIds) : null;
  }

  owns(url: URL): boolean {
    return url.hostname === TIKTOK_API_HOST || url.hostname === TIKTOK_AUTH_HOST || this.images.owns(url);
  }

  async handle(request: Request): Promise<Response | null> {
    const url = new URL(request.url);
    if (this.images.owns(url)) return this.images.handle(request);
    if (url.hostname === TIKTOK_AUTH_HOST) return this.withFaults(request, url, this.faultsOnOAuth, () => this.oauth(request.method, url));
    if (url.hostname !== TIKTOK_API_HOST) return null;
    const bytes = new Uint8Array(await request.arrayBuffer());
    return this.withFaults(request, url, true, () => this.api(request, url, bytes));
  }

  // -------------------------------------------------------------------------------------------
  // Fake API for tests and the demo

  /** A one-time code token/get accepts, as the consent page would hand it to Shelfcast's callback. */
  issueAuthCode(): string {
    this.counters.code += 1;
    const code = `fake_auth_code_${String(this.counters.code).padStart(4, "0")}`;
    this.authCodes.add(code);
    return code;
  }

  /** Tokens as a token/get would issue them, for tests that start from a connected shop. */
  issueTokens(): TikTokTokens {
    const refreshToken = this.newToken("rt");
    this.refreshTokens.set(refreshToken, this.nowSeconds() + this.refreshTokenTtlSeconds);
    return this.tokensFor(refreshToken);
  }

  /** Ends every pending audit now; returns the verdicts. */
  settleAudits(): TikTokStatusChange[] {
    const before = this.statusChanges.length;
    for (const product of this.products.values()) this.settle(product);
    return this.statusChanges.slice(before);
  }

  /** The product status change webhook TikTok would send, signed as TikTok signs it. */
  signedWebhook(event: { product_id: string; status: string; suspended_reason?: string; update_time?: number; shop_id?: string }): { body: string; headers: Record<string, string> } {
    const shopId = event.shop_id ?? this.products.get(event.product_id)?.shopId ?? this.shops[0]?.id ?? "";
    const data: Json = { product_id: event.product_id, status: event.status, update_time: event.update_time ?? this.nowSeconds() };
    if (event.suspended_reason !== undefined) data.suspended_reason = event.suspended_reason;
    const body = JSON.stringify({ type: 5, shop_id: shopId, timestamp: this.nowSeconds(), data });
    const authorization = createHmac("sha256", this.appSecret).update(this.appKey + body).digest("hex");
    return { body, headers: { "content-type": "application/json", authorization } };
  }

  product(productId: string): TikTokProduct | undefined {
    return this.products.get(productId);
  }

  snapshot(): TikTokShopSnapshot {
    const products: TikTokShopSnapshot["products"] = {};
    for (const product of this.products.values()) {
      products[product.id] = {
        shopId: product.shopId,
        payload: structuredClone(product.payload),
        status: product.status,
        audit_failed_reasons: structuredClone(product.audit_failed_reasons),
        skus: structuredClone(product.skus),
      };
    }
    return { products, createCount: Object.fromEntries(this.createCount), uploads: this.uploads.length, calls: this.calls.length };
  }

  // -------------------------------------------------------------------------------------------
  // Faults and answers

  private async withFaults(request: Request, url: URL, faultsApply: boolean, run: () => Promise<TikTokError | Json>): Promise<Response> {
    const call: TikTokCall = { method: request.method, path: url.hostname + url.pathname, status: 0, code: null, fault: null };
    this.calls.push(call);
    const fault = faultsApply ? this.faults.next() : null;
    call.fault = fault?.kind ?? null;
    if (fault?.kind === "throttle") return this.answer(call, new TikTokError(TIKTOK_CODES.tooManyRequests, "Too many requests", 429));
    if (fault?.kind === "server-error") return this.answer(call, new TikTokError(TIKTOK_CODES.internalError, "Internal error", 503));
    if (fault?.kind === "timeout") {
      if (fault.applied) await run();
      call.status = 504;
      return silence(request, this.faults.timeoutMs);
    }
    return this.answer(call, await run());
  }

  private answer(call: TikTokCall, result: TikTokError | Json): Response {
    this.counters.request += 1;
    const request_id = `fake-req-${String(this.counters.request).padStart(8, "0")}`;
    const envelope = result instanceof TikTokError ? { code: result.code, message: result.message, request_id } : { code: 0, message: "Success", request_id, data: result };
    call.status = result instanceof TikTokError ? result.status : 200;
    call.code = envelope.code;
    return new Response(JSON.stringify(envelope), { status: call.status, headers: { "content-type": "application/json" } });
  }

  // -------------------------------------------------------------------------------------------
  // OAuth (auth host, not signed)

  private async oauth(method: string, url: URL): Promise<TikTokError | Json> {
    const query = url.searchParams;
    const grant = url.pathname === "/api/v2/token/get" ? "authorized_code" : url.pathname === "/api/v2/token/refresh" ? "refresh_token" : null;
    if (method !== "GET" || grant === null) return new TikTokError(TIKTOK_CODES.apiNotFound, "API not found", 404);
    if (query.get("app_key") !== this.appKey || query.get("app_secret") !== this.appSecret) return new TikTokError(TIKTOK_CODES.invalidAppCredentials, "Invalid app_key or app_secret");
    if (query.get("grant_type") !== grant) return new TikTokError(TIKTOK_CODES.invalidAppCredentials, `grant_type must be ${grant}`);
    if (grant === "authorized_code") {
      const code = query.get("auth_code") ?? "";
      // A code works once, as a real one does.
      if (!this.authCodes.delete(code)) return new TikTokError(TIKTOK_CODES.invalidAuthCode, "Invalid auth code");
      return this.tokenAnswer(this.issueTokens());
    }
    const refreshToken = query.get("refresh_token") ?? "";
    const expiry = this.refreshTokens.get(refreshToken);
    if (expiry === undefined || expiry <= this.nowSeconds()) return new TikTokError(TIKTOK_CODES.refreshTokenInvalid, "Refresh token is expired or invalid");
    // A NEW access token; the old one stays valid until its own expiry; the refresh token is kept.
    return this.tokenAnswer(this.tokensFor(refreshToken));
  }

  private tokensFor(refreshToken: string): TikTokTokens {
    const accessToken = this.newToken("at");
    const accessExpiry = this.nowSeconds() + this.accessTokenTtlSeconds;
    this.accessTokens.set(accessToken, accessExpiry);
    const refreshExpiry = this.refreshTokens.get(refreshToken) ?? 0;
    return { accessToken, accessTokenExpiresAt: new Date(accessExpiry * 1000), refreshToken, refreshTokenExpiresAt: new Date(refreshExpiry * 1000) };
  }

  private tokenAnswer(tokens: TikTokTokens): Json {
    return {
      access_token: tokens.accessToken,
      access_token_expire_in: Math.floor(tokens.accessTokenExpiresAt.getTime() / 1000),
      refresh_token: tokens.refreshToken,
      refresh_token_expire_in: Math.floor(tokens.refreshTokenExpiresAt.getTime() / 1000),
      open_id: this.seller.openId,
      seller_name: this.seller.name,
      seller_base_region: this.seller.baseRegion,
      user_type: 0,
    };
  }

  private newToken(kind: "at" | "rt"): string {
    this.counters.token += 1;
    return `TTP_fake_${kind}_${String(this.counters.token).padStart(6, "0")}`;
  }

  private nowSeconds(): number {
    return Math.floor(this.now().getTime() / 1000);
  }

  // -------------------------------------------------------------------------------------------
  // Signed API calls

  private async api(request: Request, url: URL, bytes: Uint8Array<ArrayBuffer>): Promise<TikTokError | Json> {
    const found = findRoute(request.method, url.pathname);
    if (!found) return new TikTokError(TIKTOK_CODES.apiNotFound, "API not found", 404);
    const { route, productId } = found;
    const contentType = request.headers.get("content-type") ?? "";
    const signedBody = route.body === "multipart" ? null : bytes;
    const refusal =
      this.signatureProblem(url, signedBody) ?? this.timestampProblem(url.searchParams) ?? this.tokenProblem(request.headers.get("x-tts-access-token")) ?? this.contentTypeProblem(route, contentType);
    if (refusal) return refusal;
    const shop = route.shopScoped ? this.shopByCipher(url.searchParams.get("shop_cipher")) : null;
    if (route.shopScoped && !shop) return new TikTokError(TIKTOK_CODES.invalidShopCipher, "Invalid shop_cipher");
    let body: Json = {};
    if (route.body === "json") {
      const parsed = this.parseJson(bytes);
      if (parsed instanceof TikTokError) return parsed;
      body = parsed;
    }
    return this.dispatch(route.name, { shop, query: url.searchParams, productId, body, bytes, contentType });
  }

  private signatureProblem(url: URL, body: Uint8Array | null): TikTokError | null {
    const query = url.searchParams;
    const sign = query.get("sign");
    if (query.get("app_key") !== this.appKey || !sign) return new TikTokError(TIKTOK_CODES.invalidSignature, "Invalid signature");
    return sameText(expectedSign(this.appSecret, url.pathname, query, body), sign) ? null : new TikTokError(TIKTOK_CODES.invalidSignature, "Invalid signature");
  }

  private timestampProblem(query: URLSearchParams): TikTokError | null {
    const timestamp = query.get("timestamp") ?? "";
    const skew = /^\d+$/.test(timestamp) ? Math.abs(this.nowSeconds() - Number(timestamp)) : Number.POSITIVE_INFINITY;
    return skew > TIKTOK_MAX_CLOCK_SKEW_SECONDS ? new TikTokError(TIKTOK_CODES.timestampExpired, "Timestamp expired") : null;
  }

  private tokenProblem(token: string | null): TikTokError | null {
    const expiry = token ? this.accessTokens.get(token) : undefined;
    if (expiry === undefined) return new TikTokError(TIKTOK_CODES.invalidAccessToken, "Invalid access token");
    return expiry <= this.nowSeconds() ? new TikTokError(TIKTOK_CODES.accessTokenExpired, "Access token expired") : null;
  }

  private contentTypeProblem(route: RouteSpec, contentType: string): TikTokError | null {
    const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
    if (route.body === "json" && type !== "application/json") return new TikTokError(TIKTOK_CODES.invalidRequest, "Invalid request: content-type must be application/json");
    if (route.body === "multipart" && type !== "multipart/form-data") return new TikTokError(TIKTOK_CODES.invalidRequest, "Invalid request: content-type must be multipart/form-data");
    return null;
  }

  private shopByCipher(cipher: string | null): TikTokShopInfo | null {
    return this.shops.find((shop) => shop.cipher === cipher) ?? null;
  }

  private parseJson(bytes: Uint8Array): Json | TikTokError {
    try {
      const parsed: unknown = JSON.parse(new TextDecoder().decode(bytes));
      if (isObject(parsed)) return parsed;
    } catch {
      // answered below
    }
    return new TikTokError(TIKTOK_CODES.invalidRequest, "Invalid request: the body must be a JSON object");
  }

  private dispatch(name: RouteName, ctx: CallContext): Promise<TikTokError | Json> | TikTokError | Json {
    switch (name) {
      case "shops":
        return { shops: this.shops.map((shop) => ({ ...shop })) };
      case "warehouses":
        return { warehouses: this.warehouses.map((warehouse) => ({ ...warehouse, effect_status: "ENABLED", type: "SALES_WAREHOUSE" })) };
      case "uploadImage":
        return this.uploadImage(ctx);
      case "recommendCategory":
        return this.recommendCategory(ctx);
      case "createProduct":
        return this.createProduct(ctx);
      case "editProduct":
        return this.editProduct(ctx);
      case "getProduct":
        return this.getProduct(ctx);
      case "searchProducts":
        return this.searchProducts(ctx);
      case "updateInventory":
        return this.updateInventory(ctx);
      case "updatePrices":
        return this.updatePrices(ctx);
      case "deactivateProducts":
        return this.setStatuses(ctx, (product) => this.changeStatus(product, "SELLER_DEACTIVATED"));
      case "activateProducts":
        return this.setStatuses(ctx, (product) => {
          if (product.status === "SELLER_DEACTIVATED") this.changeStatus(product, "PENDING");
        });
      case "deleteProducts":
        return this.setStatuses(ctx, (product) => this.changeStatus(product, "DELETED"));
    }
  }

  // -------------------------------------------------------------------------------------------
  // Endpoints

  private async uploadImage(ctx: CallContext): Promise<TikTokError | Json> {
    let form: FormData;
    try {
      form = await new Response(ctx.bytes, { headers: { "content-type": ctx.contentType } }).formData();
    } catch {
      return new TikTokError(TIKTOK_CODES.invalidRequest, "Invalid request: the multipart body cannot be read");
    }
    const file = form.get("data");
    const useCase = form.get("use_case") ?? "MAIN_IMAGE";
    const invalid = (message: string): TikTokError => new TikTokError(TIKTOK_CODES.invalidProductData, message);
    if (!(file instanceof Blob)) return invalid("data: required (the image file)");
    if (!["MAIN_IMAGE", "ATTRIBUTE_IMAGE", "DESCRIPTION_IMAGE", "CERTIFICATION_IMAGE", "SIZE_CHART_IMAGE"].includes(String(useCase))) return invalid(`use_case: unknown value "${String(useCase)}"`);
    if (file.size > MAX_UPLOAD_BYTES) return invalid("data: at most 5 MB");
    const info = imageInfo(new Uint8Array(await file.arrayBuffer()));
    if (!info) return invalid("data: must be a JPG or PNG image");
    if (Math.min(info.width, info.height) < 100 || Math.max(info.width, info.height) > 20_000) return invalid("data: each side must be 100 to 20000 px");
    const { width, height } = useCase === "MAIN_IMAGE" || useCase === "ATTRIBUTE_IMAGE" ? cropToRatio(info.width, info.height) : info;
    this.counters.upload += 1;
    const uri = `tos-fake-i-${String(this.counters.upload).padStart(6, "0")}`;
    const url = `https://p16-oec-fake.ibyteimg.com/${uri}~tplv-fake-origin-jpeg.jpeg`;
    this.uploadedUris.add(uri);
    this.uploads.push({ uri, url, useCase: String(useCase), bytes: file.size, width, height });
    return { uri, url, width, height, use_case: String(useCase) };
  }

  private recommendCategory(ctx: CallContext): TikTokError | Json {
    if (typeof ctx.body.product_title !== "string" || ctx.body.product_title.trim() === "") return new TikTokError(TIKTOK_CODES.invalidProductData, "product_title: required");
    const leaf = this.recommendedCategory;
    return {
      leaf_category_id: leaf.id,
      categories: [
        { id: "600000", name: "Womenswear & Underwear", level: 1, is_leaf: false },
        { id: leaf.id, name: leaf.name, level: 2, is_leaf: true },
      ],
    };
  }

  private checkContext(shop: TikTokShopInfo, existing: TikTokProduct | null): ProductCheckContext {
    return {
      region: shop.region,
      market: TIKTOK_MARKETS[shop.region] ?? null,
      warehouseIds: new Set(this.warehouses.map((warehouse) => warehouse.id)),
      uploadedUris: this.uploadedUris,
      leafCategoryIds: this.leafCategoryIds,
      existingSkuIds: existing ? new Set(existing.skus.map((sku) => sku.id)) : null,
    };
  }

  private createProduct(ctx: CallContext): TikTokError | Json {
    const shop = ctx.shop as TikTokShopInfo;
    const problem = productProblem(ctx.body, this.checkContext(shop, null));
    if (problem) return new TikTokError(TIKTOK_CODES.invalidProductData, problem);
    this.counters.product += 1;
    const now = this.nowSeconds();
    const product: TikTokProduct = {
      id: String(1_729_000_000_000_000_000n + BigInt(this.counters.product)),
      shopId: shop.id,
      payload: structuredClone(ctx.body),
      status: ctx.body.save_mode === "AS_DRAFT" ? "DRAFT" : "PENDING",
      audit_failed_reasons: [],
      skus: this.buildSkus(ctx.body.skus as Json[], []),
      createTime: now,
      updateTime: now,
    };
    this.products.set(product.id, product);
    const externalId = typeof ctx.body.external_product_id === "string" ? ctx.body.external_product_id : "";
    this.createCount.set(externalId, (this.createCount.get(externalId) ?? 0) + 1);
    return { product_id: product.id, skus: product.skus.map(skuSummary) };
  }

  /** A full edit: SKUs with an id are kept (and updated), without one created, left out deleted. */
  private editProduct(ctx: CallContext): TikTokError | Json {
    const product = this.liveProduct(ctx);
    if (product instanceof TikTokError) return product;
    const problem = productProblem(ctx.body, this.checkContext(ctx.shop as TikTokShopInfo, product));
    if (problem) return new TikTokError(TIKTOK_CODES.invalidProductData, problem);
    product.payload = structuredClone(ctx.body);
    product.skus = this.buildSkus(ctx.body.skus as Json[], product.skus);
    product.updateTime = this.nowSeconds();
    product.audit_failed_reasons = [];
    // A deactivated product stays deactivated; any other edit goes back through audit.
    if (product.status !== "SELLER_DEACTIVATED") this.changeStatus(product, ctx.body.save_mode === "AS_DRAFT" ? "DRAFT" : "PENDING");
    return { product_id: product.id, skus: product.skus.map(skuSummary) };
  }

  private buildSkus(skus: Json[], existing: TikTokSkuState[]): TikTokSkuState[] {
    return skus.map((sku) => {
      const id = typeof sku.id === "string" && existing.some((old) => old.id === sku.id) ? sku.id : this.newSkuId();
      const state: TikTokSkuState = {
        id,
        price: { ...(sku.price as TikTokPrice) },
        inventory: (sku.inventory as { warehouse_id: string; quantity: number }[]).map((entry) => ({ warehouse_id: entry.warehouse_id, quantity: entry.quantity })),
        sales_attributes: structuredClone((sku.sales_attributes as Json[] | undefined) ?? []),
      };
      if (typeof sku.seller_sku === "string") state.seller_sku = sku.seller_sku;
      if (typeof sku.external_sku_id === "string") state.external_sku_id = sku.external_sku_id;
      if (isObject(sku.identifier_code)) state.identifier_code = { ...(sku.identifier_code as { type: string; code: string }) };
      return state;
    });
  }

  private newSkuId(): string {
    this.counters.sku += 1;
    return String(1_730_000_000_000_000_000n + BigInt(this.counters.sku));
  }

  /** The path's product in the call's shop, unless deleted. */
  private liveProduct(ctx: CallContext): TikTokProduct | TikTokError {
    const product = ctx.productId === null ? undefined : this.products.get(ctx.productId);
    if (!product || product.shopId !== ctx.shop?.id || product.status === "DELETED") return new TikTokError(TIKTOK_CODES.productNotFound, "Product not found");
    return product;
  }

  private getProduct(ctx: CallContext): TikTokError | Json {
    const product = this.liveProduct(ctx);
    if (product instanceof TikTokError) return product;
    this.settle(product);
    const payload = product.payload;
    const images = Array.isArray(payload.main_images) ? (payload.main_images as { uri: string }[]) : [];
    return {
      id: product.id,
      title: payload.title,
      description: payload.description,
      category_id: payload.category_id,
      status: product.status,
      audit_failed_reasons: structuredClone(product.audit_failed_reasons),
      main_images: images.map((image) => ({ uri: image.uri, urls: [this.uploads.find((upload) => upload.uri === image.uri)?.url ?? ""] })),
      skus: product.skus.map((sku) => structuredClone(sku)),
      package_weight: payload.package_weight,
      package_dimensions: payload.package_dimensions,
      external_product_id: payload.external_product_id,
      create_time: product.createTime,
      update_time: product.updateTime,
    };
  }

  private searchProducts(ctx: CallContext): TikTokError | Json {
    const pageSize = Number(ctx.query.get("page_size"));
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) return new TikTokError(TIKTOK_CODES.invalidRequest, "Invalid request: page_size must be between 1 and 100");
    const token = ctx.query.get("page_token");
    const offset = token ? decodePageToken(token) : 0;
    if (offset === null) return new TikTokError(TIKTOK_CODES.invalidRequest, "Invalid request: page_token");
    const { seller_skus: sellerSkus, status } = ctx.body;
    if (sellerSkus !== undefined && !(Array.isArray(sellerSkus) && sellerSkus.every((sku) => typeof sku === "string"))) return new TikTokError(TIKTOK_CODES.invalidRequest, "Invalid request: seller_skus must be a list of strings");
    if (status !== undefined && status !== "ALL" && !STATUSES.includes(String(status))) return new TikTokError(TIKTOK_CODES.invalidRequest, `Invalid request: unknown status ${JSON.stringify(status)}`);
    const wanted = sellerSkus === undefined ? null : new Set(sellerSkus as string[]);
    const matching = [...this.products.values()].filter(
      (product) =>
        product.shopId === ctx.shop?.id &&
        (status === undefined || status === "ALL" ? product.status !== "DELETED" : product.status === status) &&
        (wanted === null || product.skus.some((sku) => sku.seller_sku !== undefined && wanted.has(sku.seller_sku))),
    );
    const page = matching.slice(offset, offset + pageSize);
    const end = offset + page.length;
    return {
      products: page.map((product) => ({
        id: product.id,
        title: product.payload.title,
        status: product.status,
        skus: product.skus.map((sku) => ({ id: sku.id, seller_sku: sku.seller_sku ?? "" })),
        create_time: product.createTime,
        update_time: product.updateTime,
      })),
      next_page_token: end < matching.length ? encodePageToken(end) : "",
      total_count: matching.length,
    };
  }

  /** Stock: quantities are checked for the whole request; unknown SKUs and warehouses are per-SKU errors. */
  private updateInventory(ctx: CallContext): TikTokError | Json {
    const product = this.liveProduct(ctx);
    if (product instanceof TikTokError) return product;
    const skus = ctx.body.skus;
    if (!Array.isArray(skus) || skus.length === 0) return new TikTokError(TIKTOK_CODES.invalidProductData, "skus: required ([{id, inventory}])");
    for (const [index, sku] of skus.entries()) {
      const inventory = isObject(sku) ? sku.inventory : undefined;
      if (!isObject(sku) || typeof sku.id !== "string" || !Array.isArray(inventory) || inventory.length === 0) {
        return new TikTokError(TIKTOK_CODES.invalidProductData, `skus[${index}]: must be {id, inventory:[{warehouse_id, quantity}]}`);
      }
      for (const [at, entry] of inventory.entries()) {
        const problem = quantityProblem(isObject(entry) ? entry.quantity : undefined, `skus[${index}].inventory[${at}].quantity`);
        if (problem) return new TikTokError(TIKTOK_CODES.invalidProductData, problem);
      }
    }
    const errors: Json[] = [];
    for (const sku of skus as { id: string; inventory: { warehouse_id?: string; quantity: number }[] }[]) {
      const state = product.skus.find((candidate) => candidate.id === sku.id);
      if (!state) {
        errors.push({ code: TIKTOK_CODES.skuNotFound, message: "SKU not found", detail: { sku_id: sku.id } });
        continue;
      }
      for (const entry of sku.inventory) this.setStock(state, entry, errors);
    }
    product.updateTime = this.nowSeconds();
    return errors.length > 0 ? { errors } : {};
  }

  private setStock(sku: TikTokSkuState, entry: { warehouse_id?: string; quantity: number }, errors: Json[]): void {
    // warehouse_id may be left out only when the SKU is stocked in one warehouse.
    const warehouseId = entry.warehouse_id ?? (sku.inventory.length === 1 ? sku.inventory[0]?.warehouse_id : undefined);
    if (warehouseId === undefined) {
      errors.push({ code: TIKTOK_CODES.warehouseRequired, message: "warehouse_id is required: the SKU is stocked in several warehouses", detail: { sku_id: sku.id } });
      return;
    }
    if (!this.warehouses.some((warehouse) => warehouse.id === warehouseId)) {
      errors.push({ code: TIKTOK_CODES.warehouseNotFound, message: "Warehouse not found", detail: { sku_id: sku.id, warehouse_id: warehouseId } });
      return;
    }
    const stock = sku.inventory.find((candidate) => candidate.warehouse_id === warehouseId);
    if (stock) stock.quantity = entry.quantity;
    else sku.inventory.push({ warehouse_id: warehouseId, quantity: entry.quantity });
  }

  private updatePrices(ctx: CallContext): TikTokError | Json {
    const product = this.liveProduct(ctx);
    if (product instanceof TikTokError) return product;
    const skus = ctx.body.skus;
    if (!Array.isArray(skus) || skus.length === 0) return new TikTokError(TIKTOK_CODES.invalidProductData, "skus: required ([{id, price}])");
    const checkCtx = this.checkContext(ctx.shop as TikTokShopInfo, product);
    for (const [index, sku] of skus.entries()) {
      if (!isObject(sku) || typeof sku.id !== "string" || !checkCtx.existingSkuIds?.has(sku.id)) return new TikTokError(TIKTOK_CODES.invalidProductData, `skus[${index}].id: not a SKU of this product`);
      const problem = priceProblem(sku.price, `skus[${index}].price`, checkCtx);
      if (problem) return new TikTokError(TIKTOK_CODES.invalidProductData, problem);
    }
    for (const sku of skus as { id: string; price: TikTokPrice }[]) {
      const state = product.skus.find((candidate) => candidate.id === sku.id);
      if (state) state.price = { amount: sku.price.amount, currency: sku.price.currency };
    }
    product.updateTime = this.nowSeconds();
    return {};
  }

  /** deactivate / activate / delete: `{product_ids}`; unknown ids are per-product errors. */
  private setStatuses(ctx: CallContext, change: (product: TikTokProduct) => void): TikTokError | Json {
    const ids = ctx.body.product_ids;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === "string")) return new TikTokError(TIKTOK_CODES.invalidRequest, "Invalid request: product_ids must be a non-empty list of ids");
    const errors: Json[] = [];
    for (const id of ids as string[]) {
      const product = this.liveProduct({ ...ctx, productId: id });
      if (product instanceof TikTokError) errors.push({ code: product.code, message: product.message, detail: { product_id: id } });
      else change(product);
    }
    return errors.length > 0 ? { errors } : {};
  }

  // -------------------------------------------------------------------------------------------
  // Audit

  private changeStatus(product: TikTokProduct, status: TikTokProductStatus): void {
    if (product.status === status) return;
    product.status = status;
    product.updateTime = this.nowSeconds();
    this.statusChanges.push({ productId: product.id, shopId: product.shopId, status, at: product.updateTime });
  }

  private settle(product: TikTokProduct): void {
    if (product.status !== "PENDING") return;
    const failures = this.audit(product.payload) ?? [];
    product.audit_failed_reasons = structuredClone(failures);
    this.changeStatus(product, failures.length > 0 ? "FAILED" : "ACTIVATE");
  }
}

function skuSummary(sku: TikTokSkuState): Json {
  return { id: sku.id, seller_sku: sku.seller_sku ?? "", external_sku_id: sku.external_sku_id ?? "", sales_attributes: structuredClone(sku.sales_attributes) };
}

/** MAIN_IMAGE and ATTRIBUTE_IMAGE are cropped into the 3:4..4:3 range (channels.md §2.3). */
function cropToRatio(width: number, height: number): { width: number; height: number } {
  if (width * 3 > height * 4) return { width: Math.round((height * 4) / 3), height };
  if (height * 3 > width * 4) return { width, height: Math.round((width * 4) / 3) };
  return { width, height };
}
