import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseTikTokWebhook } from "../../../app/.server/channels/tiktok/webhook";
import { signTikTokRequest, verifyTikTokWebhook } from "../../../app/domain/publishing/tiktok-signature";

/**
 * channels.md §2.1 written again here, independently of the module: params except sign and
 * access_token, keys in code-unit order, key+value, path before, raw body after, secret on both
 * sides, HMAC-SHA256 keyed by the secret, lowercase hex.
 */
function compareCodeUnits(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = a.charCodeAt(i) - b.charCodeAt(i);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

function referenceSign(path: string, query: Record<string, string>, body: string | null, secret: string): string {
  const keys = Object.keys(query).filter((key) => key !== "sign" && key !== "access_token");
  keys.sort(compareCodeUnits);
  let text = path;
  for (const key of keys) text += key + query[key];
  if (body !== null) text += body;
  return createHmac("sha256", secret).update(secret + text + secret).digest("hex");
}

const SECRET = "app-secret-Ω-42";
const cases: { name: string; path: string; query: Record<string, string>; body: string | null }[] = [
  {
    name: "a create with a JSON body",
    path: "/product/202309/products",
    query: { app_key: "6abc", timestamp: "1735689600", shop_cipher: "ROW_abc" },
    body: JSON.stringify({ title: "Mug", skus: [{ price: { amount: "12.00", currency: "USD" } }] }),
  },
  { name: "a unicode body", path: "/product/202309/products", query: { app_key: "6abc", timestamp: "1735689600" }, body: JSON.stringify({ title: "Tasse à café ☕ 東京" }) },
  { name: "keys needing ordinal order (a_b vs aB, Z vs a)", path: "/x", query: { a_b: "1", aB: "2", Zed: "3", app_key: "k", timestamp: "9" }, body: "" },
  { name: "an empty body", path: "/authorization/202309/shops", query: { app_key: "k", timestamp: "1" }, body: "" },
  { name: "multipart (no body signed)", path: "/product/202309/images/upload", query: { app_key: "k", timestamp: "1" }, body: null },
  { name: "sign and access_token present", path: "/p", query: { app_key: "k", timestamp: "1", sign: "old", access_token: "tok" }, body: "{}" },
];

describe("signTikTokRequest", () => {
  it.each(cases)("matches an independent implementation for $name", ({ path, query, body }) => {
    expect(signTikTokRequest({ path, query, body, appSecret: SECRET })).toBe(referenceSign(path, query, body, SECRET));
  });

  it("matches a hand-checked vector", () => {
    // s3cr3t/product/202309/productsapp_keyabc123shop_cipherROW_xtimestamp1700000000{"title":"Mug"}s3cr3t, HMAC-SHA256 keyed by s3cr3t.
    const sign = signTikTokRequest({
      path: "/product/202309/products",
      query: { timestamp: "1700000000", sign: "ignored", app_key: "abc123", access_token: "ignored", shop_cipher: "ROW_x" },
      body: '{"title":"Mug"}',
      appSecret: "s3cr3t",
    });
    expect(sign).toBe("0f3cca0fcf00c20ea2b560f24c301cb4d6261a7dc47f16323f417e9c98790d56");
  });

  it("sorts by code unit, not by locale: aB comes before a_b", () => {
    const query = { a_b: "1", aB: "2" };
    const ordinal = createHmac("sha256", "s").update("s/xaB2a_b1s").digest("hex");
    const locale = createHmac("sha256", "s").update("s/xa_b1aB2s").digest("hex");
    const sign = signTikTokRequest({ path: "/x", query, body: null, appSecret: "s" });
    expect(sign).toBe(ordinal);
    expect(sign).not.toBe(locale);
  });

  it("changes with any byte of the body, the path or a value", () => {
    const base = { path: "/p", query: { app_key: "k", timestamp: "1" }, body: '{"a":1}', appSecret: "s" };
    const sign = signTikTokRequest(base);
    expect(signTikTokRequest({ ...base, body: '{"a":2}' })).not.toBe(sign);
    expect(signTikTokRequest({ ...base, path: "/q" })).not.toBe(sign);
    expect(signTikTokRequest({ ...base, query: { app_key: "k", timestamp: "2" } })).not.toBe(sign);
    expect(signTikTokRequest({ ...base, query: { ...base.query, access_token: "anything" } })).toBe(sign);
    expect(sign).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("verifyTikTokWebhook", () => {
  const rawBody = '{"type":5}';
  const valid = "c2e4f360872fe9208627a8598246556c66e7a018ed02156139e3ab305a73557f";

  it("accepts hex HMAC-SHA256(app_secret, app_key + raw body)", () => {
    expect(verifyTikTokWebhook({ appKey: "mykey", appSecret: "whsecret", rawBody, authorization: valid })).toBe(true);
    expect(verifyTikTokWebhook({ appKey: "mykey", appSecret: "whsecret", rawBody, authorization: valid.toUpperCase() })).toBe(true);
  });

  it("refuses a changed body, another key or secret, a missing or malformed header", () => {
    expect(verifyTikTokWebhook({ appKey: "mykey", appSecret: "whsecret", rawBody: '{"type":6}', authorization: valid })).toBe(false);
    expect(verifyTikTokWebhook({ appKey: "other", appSecret: "whsecret", rawBody, authorization: valid })).toBe(false);
    expect(verifyTikTokWebhook({ appKey: "mykey", appSecret: "other", rawBody, authorization: valid })).toBe(false);
    expect(verifyTikTokWebhook({ appKey: "mykey", appSecret: "whsecret", rawBody, authorization: null })).toBe(false);
    expect(verifyTikTokWebhook({ appKey: "mykey", appSecret: "whsecret", rawBody, authorization: valid.slice(0, 40) })).toBe(false);
    expect(verifyTikTokWebhook({ appKey: "mykey", appSecret: "whsecret", rawBody, authorization: "zz" + valid.slice(2) })).toBe(false);
  });
});

describe("parseTikTokWebhook", () => {
  it("reads a product status change", () => {
    const body = JSON.stringify({ type: 5, shop_id: "7001", timestamp: 1740830400, data: { product_id: "1729990001", status: "FAILED", suspended_reason: "Watermark", update_time: 1740830399 } });
    expect(parseTikTokWebhook(body)).toEqual({
      ok: true,
      event: { type: 5, shopId: "7001", timestamp: 1740830400, productId: "1729990001", status: "FAILED", suspendedReason: "Watermark" },
    });
  });

  it("reads other types without product fields, and refuses bodies that are not TikTok's", () => {
    expect(parseTikTokWebhook(JSON.stringify({ type: 6, shop_id: 7001, timestamp: 1740830400, data: {} }))).toEqual({ ok: true, event: { type: 6, shopId: "7001", timestamp: 1740830400 } });
    expect(parseTikTokWebhook("not json")).toMatchObject({ ok: false });
    const missing = parseTikTokWebhook(JSON.stringify({ type: 5, shop_id: "7001", timestamp: 1 }));
    expect(missing).toMatchObject({ ok: false });
    expect(missing.ok ? "" : missing.reason).toContain("data.product_id");
    const noShop = parseTikTokWebhook(JSON.stringify({ type: 5, timestamp: 1, data: {} }));
    expect(noShop.ok ? "" : noShop.reason).toContain("shop_id");
  });
});
