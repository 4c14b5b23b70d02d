import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * TikTok Shop Partner API request signing and webhook verification (channels.md §2.1, §2.6).
 * Pure: the caller passes the exact query and body it sends.
 */

export interface TikTokSignInput {
  /** The request path without host or query ("/product/202309/products"). */
  path: string;
  /** Every query parameter that is sent; `sign` and `access_token` are left out of the signature here. */
  query: Record<string, string>;
  /** The exact body text sent, or null for a multipart (or bodiless) request: multipart bodies are not signed. */
  body: string | null;
  appSecret: string;
}

/** Parameters TikTok leaves out of the signed text: the signature itself and the token. */
const UNSIGNED_PARAMS: ReadonlySet<string> = new Set(["sign", "access_token"]);

/** Ordinal (UTF-16 code unit) order, never locale order: "aB" sorts before "a_b". */
function ordinal(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The `sign` query parameter: lowercase hex HMAC-SHA256, keyed by the app secret, over secret + path + sorted params + body + secret. */
export function signTikTokRequest({ path, query, body, appSecret }: TikTokSignInput): string {
  const params = Object.keys(query)
    .filter((key) => !UNSIGNED_PARAMS.has(key))
    .sort(ordinal)
    .map((key) => `${key}${query[key] ?? ""}`)
    .join("");
  const text = `${appSecret}${path}${params}${body ?? ""}${appSecret}`;
  return createHmac("sha256", appSecret).update(text, "utf8").digest("hex");
}

export interface TikTokWebhookInput {
  appKey: string;
  appSecret: string;
  /** The request body exactly as received (before any JSON parsing). */
  rawBody: string;
  /** The `Authorization` header, or null when absent. */
  authorization: string | null;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Whether a webhook came from TikTok: `Authorization` is hex HMAC-SHA256(app_secret, app_key + raw body), compared in constant time. */
export function verifyTikTokWebhook({ appKey, appSecret, rawBody, authorization }: TikTokWebhookInput): boolean {
  if (!authorization || !appSecret) return false;
  const received = authorization.trim().toLowerCase();
  if (!HEX_SHA256.test(received)) return false;
  const expected = createHmac("sha256", appSecret).update(`${appKey}${rawBody}`, "utf8").digest();
  return timingSafeEqual(expected, Buffer.from(received, "hex"));
}
