import { HttpResponse, http } from "msw";
import { describe, expect, it } from "vitest";
import {
  exchangeTikTokAuthCode,
  listTikTokShops,
  listTikTokWarehouses,
  recommendTikTokCategory,
  refreshTikTokToken,
  tiktokAuthorizeUrl,
  tokenNeedsRefresh,
} from "../../../app/.server/channels/tiktok/oauth";
import { signTikTokRequest } from "../../../app/domain/publishing/tiktok-signature";
import { mockServer } from "../../mocks/server";

const APP_KEY = "6appkey0001";
const APP_SECRET = "appSECRETvalue0000000000000000ff";
const NOW = new Date("2025-03-01T12:00:00Z");
const NOW_S = Math.floor(NOW.getTime() / 1000);
const AUTH = { appKey: APP_KEY, appSecret: APP_SECRET, accessToken: "ROW_accessTOKEN_abcdef123456" };

function envelope(code: number, message: string, data?: unknown, status = 200) {
  return HttpResponse.json({ code, message, request_id: "req-1", ...(data === undefined ? {} : { data }) }, { status });
}

function tokenData(accessToken: string, refreshToken: string) {
  return {
    access_token: accessToken,
    access_token_expire_in: NOW_S + 7 * 86_400,
    refresh_token: refreshToken,
    refresh_token_expire_in: NOW_S + 365 * 86_400,
    open_id: "open-1",
    seller_name: "Acme Mugs",
    seller_base_region: "US",
  };
}

describe("tiktokAuthorizeUrl", () => {
  it("points the seller at TikTok's consent page with our app and state", () => {
    const url = new URL(tiktokAuthorizeUrl({ appKey: APP_KEY, state: "st/ate 1" }));
    expect(url.origin + url.pathname).toBe("https://services.tiktokshop.com/open/authorize");
    expect(url.searchParams.get("service_id")).toBe(APP_KEY);
    expect(url.searchParams.get("state")).toBe("st/ate 1");
  });
});

describe("exchangeTikTokAuthCode", () => {
  it("exchanges the code and reads the expiries TikTok sends (Unix seconds)", async () => {
    const seen: Record<string, string>[] = [];
    mockServer.use(
      http.get("https://auth.tiktok-shops.com/api/v2/token/get", ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        seen.push(query);
        if (query.auth_code !== "code-1") return envelope(36004004, "Invalid auth code");
        return envelope(0, "success", tokenData("access-1", "refresh-1"));
      }),
    );
    const result = await exchangeTikTokAuthCode(fetch, { appKey: APP_KEY, appSecret: APP_SECRET, authCode: "code-1", now: NOW });
    expect(seen[0]).toEqual({ app_key: APP_KEY, app_secret: APP_SECRET, auth_code: "code-1", grant_type: "authorized_code" });
    expect(result).toEqual({
      ok: true,
      tokens: {
        accessToken: "access-1",
        accessExpiresAt: new Date((NOW_S + 7 * 86_400) * 1000),
        refreshToken: "refresh-1",
        refreshExpiresAt: new Date((NOW_S + 365 * 86_400) * 1000),
        sellerName: "Acme Mugs",
        openId: "open-1",
        sellerBaseRegion: "US",
      },
    });

    const refused = await exchangeTikTokAuthCode(fetch, { appKey: APP_KEY, appSecret: APP_SECRET, authCode: "stale-code", now: NOW });
    expect(refused).toMatchObject({ ok: false, retryable: false });
    expect(refused.ok ? "" : refused.reason).toMatch(/authorisation code/);
    expect(JSON.stringify(refused)).not.toContain(APP_SECRET);
  });

  it("says to try later when TikTok is down, without leaking the secret it echoes", async () => {
    mockServer.use(http.get("https://auth.tiktok-shops.com/api/v2/token/get", () => envelope(1000, `Internal error for ${APP_SECRET}`, undefined, 503)));
    const result = await exchangeTikTokAuthCode(fetch, { appKey: APP_KEY, appSecret: APP_SECRET, authCode: "code-1", now: NOW });
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(JSON.stringify(result)).not.toContain(APP_SECRET);
  });
});

describe("refreshTikTokToken", () => {
  it("returns the new access token and keeps a refresh token TikTok sends back unchanged", async () => {
    const seen: Record<string, string>[] = [];
    mockServer.use(
      http.get("https://auth.tiktok-shops.com/api/v2/token/refresh", ({ request }) => {
        const query = Object.fromEntries(new URL(request.url).searchParams);
        seen.push(query);
        if (query.refresh_token !== "refresh-1") return envelope(36004001, "Refresh token expired");
        return envelope(0, "success", tokenData("access-2", "refresh-1"));
      }),
    );
    const result = await refreshTikTokToken(fetch, { appKey: APP_KEY, appSecret: APP_SECRET, refreshToken: "refresh-1", now: NOW });
    expect(seen[0]).toEqual({ app_key: APP_KEY, app_secret: APP_SECRET, refresh_token: "refresh-1", grant_type: "refresh_token" });
    expect(result).toMatchObject({ ok: true, tokens: { accessToken: "access-2", refreshToken: "refresh-1", accessExpiresAt: new Date((NOW_S + 7 * 86_400) * 1000) } });

    const expired = await refreshTikTokToken(fetch, { appKey: APP_KEY, appSecret: APP_SECRET, refreshToken: "refresh-0", now: NOW });
    expect(expired).toMatchObject({ ok: false, retryable: false });
    expect(expired.ok ? "" : expired.reason).toMatch(/connect TikTok Shop again/);
    expect(JSON.stringify(expired)).not.toContain("refresh-0");
  });

  it("reads a relative expiry (seconds from now) too", async () => {
    mockServer.use(
      http.get("https://auth.tiktok-shops.com/api/v2/token/refresh", () =>
        envelope(0, "success", { ...tokenData("access-3", "refresh-3"), access_token_expire_in: 3600, refresh_token_expire_in: 86_400 }),
      ),
    );
    const result = await refreshTikTokToken(fetch, { appKey: APP_KEY, appSecret: APP_SECRET, refreshToken: "refresh-1", now: NOW });
    expect(result).toMatchObject({ ok: true, tokens: { accessExpiresAt: new Date(NOW.getTime() + 3_600_000), refreshExpiresAt: new Date(NOW.getTime() + 86_400_000) } });
  });
});

describe("tokenNeedsRefresh", () => {
  const expiry = new Date("2025-03-08T12:00:00Z");
  it("refreshes a day before expiry by default, and after it", () => {
    expect(tokenNeedsRefresh(expiry, new Date("2025-03-06T12:00:00Z"))).toBe(false);
    expect(tokenNeedsRefresh(expiry, new Date("2025-03-07T11:59:59Z"))).toBe(false);
    expect(tokenNeedsRefresh(expiry, new Date("2025-03-07T12:00:00Z"))).toBe(true);
    expect(tokenNeedsRefresh(expiry, new Date("2025-03-09T00:00:00Z"))).toBe(true);
    expect(tokenNeedsRefresh(expiry, new Date("2025-03-06T12:00:00Z"), 3 * 86_400_000)).toBe(true);
  });
});

describe("signed connection calls", () => {
  /** Checks what every signed call must carry, and the signature over the exact query and body. */
  async function signedProblem(request: Request, expectCipher: boolean): Promise<string | null> {
    const url = new URL(request.url);
    const query = Object.fromEntries(url.searchParams);
    if (request.headers.get("x-tts-access-token") !== AUTH.accessToken) return "token header";
    if (query.app_key !== APP_KEY || query.timestamp !== String(NOW_S)) return "app_key/timestamp";
    if (expectCipher !== (query.shop_cipher === "ROW_cipher")) return "shop_cipher";
    const body = request.method === "GET" ? "" : await request.text();
    return signTikTokRequest({ path: url.pathname, query, body, appSecret: APP_SECRET }) === query.sign ? null : "sign";
  }

  it("lists shops with their cipher (no shop_cipher on that call)", async () => {
    mockServer.use(
      http.get("https://open-api.tiktokglobalshop.com/authorization/202309/shops", async ({ request }) => {
        const problem = await signedProblem(request, false);
        if (problem) return envelope(106001, `Invalid signature (${problem})`);
        return envelope(0, "success", { shops: [{ id: "7001", name: "Acme US", region: "US", seller_type: "LOCAL", cipher: "ROW_cipher", code: "USACME" }] });
      }),
    );
    const result = await listTikTokShops(fetch, { ...AUTH, shopCipher: "ROW_cipher" }, NOW);
    expect(result).toEqual({ ok: true, requestId: "req-1", data: [{ id: "7001", name: "Acme US", region: "US", cipher: "ROW_cipher", code: "USACME", sellerType: "LOCAL" }] });
  });

  it("lists warehouses with the default first, and recommends a leaf category", async () => {
    mockServer.use(
      http.get("https://open-api.tiktokglobalshop.com/logistics/202309/warehouses", async ({ request }) => {
        const problem = await signedProblem(request, true);
        if (problem) return envelope(106001, `Invalid signature (${problem})`);
        return envelope(0, "success", {
          warehouses: [
            { id: "wh-2", name: "Overflow", effect_status: "ENABLED", type: "SALES_WAREHOUSE", is_default: false },
            { id: "wh-1", name: "Main", effect_status: "ENABLED", type: "SALES_WAREHOUSE", is_default: true },
          ],
        });
      }),
      http.post("https://open-api.tiktokglobalshop.com/product/202309/categories/recommend", async ({ request }) => {
        const problem = await signedProblem(request.clone(), true);
        if (problem) return envelope(106001, `Invalid signature (${problem})`);
        const body = (await request.json()) as { product_title: string };
        return envelope(0, "success", body.product_title.includes("mug") ? { leaf_category_id: "601226", categories: [{ id: "601226", name: "Mugs", level: 3, is_leaf: true }] } : { categories: [] });
      }),
    );
    const auth = { ...AUTH, shopCipher: "ROW_cipher" };
    const warehouses = await listTikTokWarehouses(fetch, auth, NOW);
    expect(warehouses.ok && warehouses.data.map((warehouse) => [warehouse.id, warehouse.isDefault, warehouse.enabled])).toEqual([
      ["wh-1", true, true],
      ["wh-2", false, true],
    ]);
    expect(await recommendTikTokCategory(fetch, auth, "Ceramic mug", NOW)).toBe("601226");
    expect(await recommendTikTokCategory(fetch, auth, "Something", NOW)).toBeNull();
  });

  it("reports a token TikTok no longer knows as a reconnect, without the token", async () => {
    mockServer.use(http.get("https://open-api.tiktokglobalshop.com/authorization/202309/shops", () => envelope(105001, `Invalid access token ${AUTH.accessToken}`)));
    const result = await listTikTokShops(fetch, AUTH, NOW);
    expect(result).toMatchObject({ ok: false, kind: "reconnect", code: 105001 });
    expect(JSON.stringify(result)).not.toContain(AUTH.accessToken);
  });
});
