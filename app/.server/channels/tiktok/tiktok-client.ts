import { z } from "zod";
import { signTikTokRequest } from "~/domain/publishing/tiktok-signature";
import { scrubSecrets } from "../../security/scrub";

/**
 * One signed call to the TikTok Shop Partner API (202309), as channels.md §2.1 and the publishing
 * wire contract describe it: query app_key, timestamp and sign (+ shop_cipher on shop-scoped calls), header
 * x-tts-access-token, JSON body serialised once and signed as those exact bytes. TikTok's envelope
 * `{code, message, request_id, data}` becomes a value: success, or a failure kind the caller acts on:
 * - retry: throttled (HTTP 429, code 36009004), TikTok down (5xx), network error or timeout;
 * - refresh: the access token expired (105002); the connection layer refreshes it;
 * - reconnect: the token is unknown or lacks a scope, the refresh token expired, no auth record, or
 *   the shop cipher is wrong: only the merchant can fix it by connecting again;
 * - invalid: TikTok refused the request itself (validation); sending it again changes nothing.
 * Tokens and secrets never appear in a returned message.
 */

export const TIKTOK_API_ORIGIN = "https://open-api.tiktokglobalshop.com";
export const DEFAULT_TIKTOK_TIMEOUT_MS = 30_000;
/** Image uploads carry up to 5 MB. */
export const DEFAULT_TIKTOK_UPLOAD_TIMEOUT_MS = 60_000;

export interface TikTokAuth {
  appKey: string;
  appSecret: string;
  accessToken: string;
  /** Sent on shop-scoped calls only (product and logistics calls except images/upload); leave out for authorization/202309/shops. */
  shopCipher?: string | null;
}

export type TikTokMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface TikTokRequestOptions {
  method: TikTokMethod;
  /** Path without host or query ("/product/202309/products"). */
  path: string;
  /** Extra query parameters (page_size, page_token…); app_key, timestamp, shop_cipher and sign are added. */
  query?: Record<string, string>;
  /** JSON body; serialised once, and the same text is signed and sent. */
  body?: unknown;
  auth: TikTokAuth;
  now: Date;
  timeoutMs?: number;
}

export interface TikTokUploadOptions {
  path: string;
  query?: Record<string, string>;
  /** multipart/form-data fields; the body is not part of the signature. */
  form: FormData;
  auth: TikTokAuth;
  now: Date;
  timeoutMs?: number;
}

export type TikTokFailureKind = "retry" | "reconnect" | "refresh" | "invalid";

export interface TikTokFailure {
  ok: false;
  kind: TikTokFailureKind;
  /** TikTok's code; null when no envelope came back (network error, timeout, an HTML error page). */
  code: number | null;
  /** TikTok's message (or what went wrong), scrubbed of secrets. */
  message: string;
  requestId: string | null;
  /** From Retry-After, when TikTok sent one with a retryable failure. */
  waitMs?: number;
  /** TikTok asked to slow down (HTTP 429 or its throttle code): stop sending to this shop for a while. */
  throttled?: boolean;
}

export type TikTokResult<T = Record<string, unknown>> = { ok: true; data: T; requestId: string | null } | TikTokFailure;

const EnvelopeSchema = z.object({
  code: z.number(),
  message: z.string().optional(),
  request_id: z.string().optional(),
  data: z.unknown().optional(),
});

const REFRESH_CODES: ReadonlySet<number> = new Set([105002]);
/** 106011 (wrong shop_cipher) is not in the spec's list, but like the others only reconnecting the shop fixes it. */
const RECONNECT_CODES: ReadonlySet<number> = new Set([105001, 105005, 36004001, 36004005, 106011]);
const THROTTLED_CODES: ReadonlySet<number> = new Set([36009004]);

/** Retry-After in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now.getTime());
}

function signedUrl(path: string, extraQuery: Record<string, string> | undefined, auth: TikTokAuth, now: Date, signedBody: string | null): string {
  const query: Record<string, string> = { ...extraQuery, app_key: auth.appKey, timestamp: String(Math.floor(now.getTime() / 1000)) };
  if (auth.shopCipher) query.shop_cipher = auth.shopCipher;
  const sign = signTikTokRequest({ path, query, body: signedBody, appSecret: auth.appSecret });
  const params = new URLSearchParams({ ...query, sign });
  return `${TIKTOK_API_ORIGIN}${path}?${params.toString()}`;
}

/**
 * Sends one request and reads TikTok's envelope into a result. Exported for the unsigned OAuth calls
 * (auth host); `secrets` are scrubbed from any message TikTok echoes.
 */
export async function sendTikTokRequest(fetchImpl: typeof fetch, url: string, init: RequestInit, secrets: readonly (string | null | undefined)[], now: Date): Promise<TikTokResult> {
  let response: Response;
  try {
    response = await fetchImpl(url, init);
  } catch (error) {
    const name = error instanceof Error ? error.name : "Error";
    const what = name === "TimeoutError" || name === "AbortError" ? "did not answer in time" : `could not be reached (${name})`;
    return { ok: false, kind: "retry", code: null, message: `TikTok Shop ${what}`, requestId: null };
  }
  const text = await response.text().catch(() => "");
  let json: unknown = null;
  try {
    json = text === "" ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  const envelope = EnvelopeSchema.safeParse(json);
  const waitMs = retryAfterMs(response.headers.get("retry-after"), now);
  const retryable = response.status === 429 || response.status >= 500;
  if (!envelope.success) {
    const message = `TikTok Shop answered HTTP ${response.status} without its usual envelope`;
    if (!retryable) return { ok: false, kind: "invalid", code: null, message, requestId: null };
    return { ok: false, kind: "retry", code: null, message, requestId: null, ...(waitMs !== null ? { waitMs } : {}), ...(response.status === 429 ? { throttled: true } : {}) };
  }
  const { code, request_id: requestId = null, data } = envelope.data;
  if (code === 0 && response.ok) return { ok: true, data: (typeof data === "object" && data !== null ? data : {}) as Record<string, unknown>, requestId };
  const message = scrubSecrets(envelope.data.message ?? `HTTP ${response.status}`, secrets);
  if (REFRESH_CODES.has(code)) return { ok: false, kind: "refresh", code, message, requestId };
  if (RECONNECT_CODES.has(code)) return { ok: false, kind: "reconnect", code, message, requestId };
  const throttled = response.status === 429 || THROTTLED_CODES.has(code);
  if (retryable || throttled) return { ok: false, kind: "retry", code, message, requestId, ...(waitMs !== null ? { waitMs } : {}), ...(throttled ? { throttled } : {}) };
  return { ok: false, kind: "invalid", code, message, requestId };
}

/** A signed JSON call. */
export function tiktokRequest(fetchImpl: typeof fetch, options: TikTokRequestOptions): Promise<TikTokResult> {
  const { method, path, query, body, auth, now, timeoutMs = DEFAULT_TIKTOK_TIMEOUT_MS } = options;
  // Serialised once: the signature covers exactly the bytes sent.
  const bodyText = body === undefined ? null : JSON.stringify(body);
  const headers: Record<string, string> = { "x-tts-access-token": auth.accessToken };
  if (bodyText !== null) headers["content-type"] = "application/json";
  const init: RequestInit = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
  if (bodyText !== null) init.body = bodyText;
  return sendTikTokRequest(fetchImpl, signedUrl(path, query, auth, now, bodyText), init, [auth.accessToken, auth.appSecret], now);
}

/**
 * A signed multipart call (images/upload, files/upload): the body is left out of the signature, fetch
 * sets the multipart content type, and no shop_cipher is sent (uploads are not shop-scoped).
 */
export function tiktokUpload(fetchImpl: typeof fetch, options: TikTokUploadOptions): Promise<TikTokResult> {
  const { path, query, form, auth, now, timeoutMs = DEFAULT_TIKTOK_UPLOAD_TIMEOUT_MS } = options;
  const init: RequestInit = { method: "POST", headers: { "x-tts-access-token": auth.accessToken }, body: form, signal: AbortSignal.timeout(timeoutMs) };
  return sendTikTokRequest(fetchImpl, signedUrl(path, query, { ...auth, shopCipher: null }, now, null), init, [auth.accessToken, auth.appSecret], now);
}

/** "message (code 12052700, request 2023…)" for logs and reasons; never holds a secret since the parts are scrubbed. */
export function describeTikTokFailure(failure: TikTokFailure): string {
  const details = [failure.code !== null ? `code ${failure.code}` : null, failure.requestId ? `request ${failure.requestId}` : null].filter(Boolean);
  return details.length > 0 ? `${failure.message} (${details.join(", ")})` : failure.message;
}
