import { z } from "zod";
import { describeIssues } from "~/domain/catalog/zod-issues";
import { sendTikTokRequest, tiktokRequest, DEFAULT_TIKTOK_TIMEOUT_MS, type TikTokAuth, type TikTokRequestOptions, type TikTokResult } from "./tiktok-client";

/**
 * TikTok Shop authorisation (channels.md §2.1 OAuth): the seller consent page, the code exchange and
 * the token refresh on the auth host (unsigned, app secret in the query as TikTok requires), then the
 * signed calls a connection needs once (shops with their cipher, warehouses, category recommendation).
 * Expiries are read from TikTok's answer, never assumed.
 */

export const TIKTOK_AUTH_ORIGIN = "https://auth.tiktok-shops.com";
export const TIKTOK_AUTHORIZE_URL = "https://services.tiktokshop.com/open/authorize";
const DAY_MS = 24 * 60 * 60 * 1000;

/** The seller consent page; TikTok redirects to the app's callback with `?code=…&state=…`. */
export function tiktokAuthorizeUrl({ appKey, state }: { appKey: string; state: string }): string {
  const params = new URLSearchParams({ service_id: appKey, state });
  return `${TIKTOK_AUTHORIZE_URL}?${params.toString()}`;
}

export interface TikTokTokens {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
  sellerName: string | null;
  openId: string | null;
  sellerBaseRegion: string | null;
}

/** retryable: TikTok was down or unreachable (try later); otherwise the merchant must authorise again. */
export type TikTokTokenResult = { ok: true; tokens: TikTokTokens } | { ok: false; reason: string; retryable: boolean };

const TokenDataSchema = z.object({
  access_token: z.string().min(1),
  access_token_expire_in: z.number(),
  refresh_token: z.string().min(1),
  refresh_token_expire_in: z.number(),
  open_id: z.string().nullish(),
  seller_name: z.string().nullish(),
  seller_base_region: z.string().nullish(),
});

/** Below this a value cannot be a Unix time of expiry (it would be before 2001): read it as seconds from now. */
const EARLIEST_UNIX_EXPIRY = 1_000_000_000;

/** TikTok sends the Unix time (seconds) of expiry; a relative number of seconds is tolerated. */
function expiryDate(value: number, now: Date): Date {
  return value < EARLIEST_UNIX_EXPIRY ? new Date(now.getTime() + value * 1000) : new Date(value * 1000);
}

const TOKEN_REFUSALS: Record<number, string> = {
  36004004: "TikTok Shop refused the authorisation code (it expired or was already used); connect TikTok Shop again.",
  36004001: "TikTok Shop's refresh token expired or is unknown; connect TikTok Shop again.",
  36004005: "TikTok Shop has no authorisation for this app any more; connect TikTok Shop again.",
};

async function tokenCall(fetchImpl: typeof fetch, path: string, params: Record<string, string>, secrets: string[], now: Date, timeoutMs: number): Promise<TikTokTokenResult> {
  const url = `${TIKTOK_AUTH_ORIGIN}${path}?${new URLSearchParams(params).toString()}`;
  const result = await sendTikTokRequest(fetchImpl, url, { method: "GET", signal: AbortSignal.timeout(timeoutMs) }, secrets, now);
  if (!result.ok) {
    if (result.kind === "retry") return { ok: false, reason: `TikTok Shop could not authorise now: ${result.message}`, retryable: true };
    const known = result.code !== null ? TOKEN_REFUSALS[result.code] : undefined;
    return { ok: false, reason: known ?? `TikTok Shop refused the authorisation: ${result.message}`, retryable: false };
  }
  const parsed = TokenDataSchema.safeParse(result.data);
  if (!parsed.success) return { ok: false, reason: `TikTok Shop's token answer was not understood: ${describeIssues(parsed.error).join("; ")}`, retryable: false };
  const data = parsed.data;
  return {
    ok: true,
    tokens: {
      accessToken: data.access_token,
      accessExpiresAt: expiryDate(data.access_token_expire_in, now),
      refreshToken: data.refresh_token,
      refreshExpiresAt: expiryDate(data.refresh_token_expire_in, now),
      sellerName: data.seller_name ?? null,
      openId: data.open_id ?? null,
      sellerBaseRegion: data.seller_base_region ?? null,
    },
  };
}

export interface TikTokAppCredentials {
  appKey: string;
  appSecret: string;
  now: Date;
  timeoutMs?: number;
}

/** Exchanges the code from the consent redirect for tokens. */
export function exchangeTikTokAuthCode(fetchImpl: typeof fetch, options: TikTokAppCredentials & { authCode: string }): Promise<TikTokTokenResult> {
  const { appKey, appSecret, authCode, now, timeoutMs = DEFAULT_TIKTOK_TIMEOUT_MS } = options;
  return tokenCall(
    fetchImpl,
    "/api/v2/token/get",
    { app_key: appKey, app_secret: appSecret, auth_code: authCode, grant_type: "authorized_code" },
    [appSecret, authCode],
    now,
    timeoutMs,
  );
}

/** A new access token (the old one stays valid until its own expiry); the refresh token may come back unchanged. */
export function refreshTikTokToken(fetchImpl: typeof fetch, options: TikTokAppCredentials & { refreshToken: string }): Promise<TikTokTokenResult> {
  const { appKey, appSecret, refreshToken, now, timeoutMs = DEFAULT_TIKTOK_TIMEOUT_MS } = options;
  return tokenCall(
    fetchImpl,
    "/api/v2/token/refresh",
    { app_key: appKey, app_secret: appSecret, refresh_token: refreshToken, grant_type: "refresh_token" },
    [appSecret, refreshToken],
    now,
    timeoutMs,
  );
}

/** Whether to refresh now: the access token expires within `marginMs` (a day by default) or already has. */
export function tokenNeedsRefresh(accessExpiresAt: Date, now: Date, marginMs: number = DAY_MS): boolean {
  return accessExpiresAt.getTime() - now.getTime() <= marginMs;
}

// ---------------------------------------------------------------------------------------------
// Signed calls a connection makes once

/** A signed call whose answer must match `schema`; one that does not fails as "invalid", naming `what` was asked for. */
async function parsedRequest<T>(fetchImpl: typeof fetch, options: TikTokRequestOptions, what: string, schema: z.ZodType<T>): Promise<TikTokResult<T>> {
  const result = await tiktokRequest(fetchImpl, options);
  if (!result.ok) return result;
  const parsed = schema.safeParse(result.data);
  if (!parsed.success) {
    const message = `TikTok Shop's ${what} answer was not understood: ${describeIssues(parsed.error).join("; ")}`;
    return { ok: false, kind: "invalid", code: null, message, requestId: result.requestId };
  }
  return { ok: true, data: parsed.data, requestId: result.requestId };
}

const idSchema = z.union([z.string(), z.number()]).transform(String);

const ShopsDataSchema = z.object({
  shops: z
    .array(
      z.object({
        id: idSchema,
        name: z.string(),
        region: z.string(),
        cipher: z.string().min(1),
        code: z.string().nullish(),
        seller_type: z.string().nullish(),
      }),
    )
    .nullish(),
});

export interface TikTokShop {
  id: string;
  name: string;
  region: string;
  cipher: string;
  code: string | null;
  sellerType: string | null;
}

/** The shops the seller authorised, each with the cipher shop-scoped calls need (no shop_cipher on this call). */
export async function listTikTokShops(fetchImpl: typeof fetch, auth: TikTokAuth, now: Date = new Date()): Promise<TikTokResult<TikTokShop[]>> {
  const result = await parsedRequest(fetchImpl, { method: "GET", path: "/authorization/202309/shops", auth: { ...auth, shopCipher: null }, now }, "shops", ShopsDataSchema);
  if (!result.ok) return result;
  const shops = (result.data.shops ?? []).map((shop) => ({
    id: shop.id,
    name: shop.name,
    region: shop.region,
    cipher: shop.cipher,
    code: shop.code ?? null,
    sellerType: shop.seller_type ?? null,
  }));
  return { ok: true, data: shops, requestId: result.requestId };
}

const WarehousesDataSchema = z.object({
  warehouses: z
    .array(
      z.object({
        id: idSchema,
        name: z.string(),
        effect_status: z.string().nullish(),
        type: z.string().nullish(),
        is_default: z.boolean().nullish(),
      }),
    )
    .nullish(),
});

export interface TikTokWarehouse {
  id: string;
  name: string;
  isDefault: boolean;
  /** effect_status ENABLED. */
  enabled: boolean;
  /** SALES_WAREHOUSE or RETURN_WAREHOUSE; null when TikTok does not say. */
  type: string | null;
}

/** The shop's warehouses (shop-scoped: auth.shopCipher is required), default first. */
export async function listTikTokWarehouses(fetchImpl: typeof fetch, auth: TikTokAuth, now: Date = new Date()): Promise<TikTokResult<TikTokWarehouse[]>> {
  const result = await parsedRequest(fetchImpl, { method: "GET", path: "/logistics/202309/warehouses", auth, now }, "warehouses", WarehousesDataSchema);
  if (!result.ok) return result;
  const warehouses = (result.data.warehouses ?? []).map((warehouse) => ({
    id: warehouse.id,
    name: warehouse.name,
    isDefault: warehouse.is_default === true,
    enabled: (warehouse.effect_status ?? "ENABLED") === "ENABLED",
    type: warehouse.type ?? null,
  }));
  warehouses.sort((a, b) => Number(b.isDefault) - Number(a.isDefault));
  return { ok: true, data: warehouses, requestId: result.requestId };
}

const RecommendDataSchema = z.object({
  leaf_category_id: idSchema.nullish(),
  categories: z.array(z.object({ id: idSchema, is_leaf: z.boolean().nullish() })).nullish(),
});

/** TikTok's leaf category for a product title; null when it has none or the call failed (a suggestion only). */
export async function recommendTikTokCategory(fetchImpl: typeof fetch, auth: TikTokAuth, title: string, now: Date = new Date()): Promise<string | null> {
  const result = await tiktokRequest(fetchImpl, { method: "POST", path: "/product/202309/categories/recommend", body: { product_title: title }, auth, now });
  if (!result.ok) return null;
  const parsed = RecommendDataSchema.safeParse(result.data);
  if (!parsed.success) return null;
  if (parsed.data.leaf_category_id) return parsed.data.leaf_category_id;
  const leaf = (parsed.data.categories ?? []).find((category) => category.is_leaf === true);
  return leaf?.id ?? null;
}
