import { createHash, createHmac } from "node:crypto";
import { API_KEY, API_SECRET_KEY, RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { HttpResponse, http } from "msw";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { TikTokConnection } from "../../../app/.server/channels/publisher";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import type { Runtime } from "../../../app/.server/runtime";
import {
  completeTikTokAuthorization,
  disconnectChannel,
  listConnectionSummaries,
  loadPublishConnection,
  loadTikTokMappingChoices,
  markConnectionReconnect,
  recommendCategory,
  saveMetaConnection,
  saveTikTokMappings,
  selectTikTokShop,
  startTikTokAuthorization,
  testMetaConnectionFor,
  TIKTOK_REFRESH_REFUSED,
} from "../../../app/.server/services/publishing/connections";
import type { Product } from "../../../app/domain/catalog/types";
import { action as settingsAction, loader as settingsLoader } from "../../../app/routes/app.settings";
import { action as consentAction } from "../../../app/routes/app.settings_.tiktok-consent";
import { loader as callbackLoader } from "../../../app/routes/tiktok.callback";
import { DEMO_SHOP, resetEnvForTests } from "../../../app/env.server";
import { shopify } from "../../../app/shopify.server";
import { buildProduct } from "../../factories/product";
import { mockServer } from "../../mocks/server";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "alpha-connections.myshopify.com";
const OTHER_SHOP = "bravo-connections.myshopify.com";

const CATALOG_ID = "1234567890123";
const META_TOKEN = "EAAGmetaSYSTEMuserTOKEN000000000000000a1b2";
const OTHER_META_TOKEN = "EAAGanotherTOKENforTHEsecondSHOP0000009z8y";

const APP_KEY = "6a1b2c3d4e5f6";
const APP_SECRET = "tiktokAPPsecret0123456789abcdef";
const TIKTOK_API = "https://open-api.tiktokglobalshop.com";
const TIKTOK_AUTH = "https://auth.tiktok-shops.com";
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const WAREHOUSE_LOCATION = "gid://shopify/Location/71";
const STORE_LOCATION = "gid://shopify/Location/72";
const SHIRTS = "gid://shopify/TaxonomyCategory/aa-1-13-8";

// ─── Meta Graph API, as the wire contract describes it ────────────────────────────────────────────

function metaCatalogHandler(validToken: string, answer: { name: string; product_count: number }) {
  return http.get(`https://graph.facebook.com/v21.0/:catalogId`, ({ request, params }) => {
    const url = new URL(request.url);
    if (url.searchParams.get("access_token") !== validToken) {
      return HttpResponse.json({ error: { message: "Invalid OAuth access token - Cannot parse access token", type: "OAuthException", code: 190, fbtrace_id: "Atrace1" } }, { status: 400 });
    }
    if (params.catalogId !== CATALOG_ID) {
      return HttpResponse.json(
        { error: { message: `Unsupported get request. Object with ID '${String(params.catalogId)}' does not exist`, type: "GraphMethodException", code: 100, fbtrace_id: "Atrace2" } },
        { status: 400 },
      );
    }
    return HttpResponse.json({ id: CATALOG_ID, name: answer.name, product_count: answer.product_count });
  });
}

// ─── TikTok Shop: auth host and the signed calls a connection makes ──────────────────────────────

interface FakeTikTok {
  codes: Set<string>;
  /** access token → expiry (unix seconds) */
  accessTokens: Map<string, number>;
  refreshTokens: Set<string>;
  refreshCalls: number;
  refuseRefresh: boolean;
  /** `now` of the test, for the expiries TikTok hands out. */
  clock: Date;
  /** Seconds the access token lives on exchange. */
  accessLifetimeSeconds: number;
  shops: { id: string; name: string; region: string; cipher: string }[];
  recommendTitles: string[];
  badSigns: number;
}

function envelope(data: unknown, code = 0, message = "success") {
  return HttpResponse.json({ code, message, request_id: `req-${Math.random().toString(36).slice(2, 8)}`, ...(data === undefined ? {} : { data }) });
}

/** The sign as channels.md §2.1 defines it, written here independently of the client. */
function expectedSign(url: URL, body: string): string {
  const params = [...url.searchParams.entries()]
    .filter(([key]) => key !== "sign" && key !== "access_token")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}${value}`)
    .join("");
  return createHmac("sha256", APP_SECRET).update(`${APP_SECRET}${url.pathname}${params}${body}${APP_SECRET}`).digest("hex");
}

function issueTokens(fake: FakeTikTok, label: string) {
  const nowSeconds = Math.floor(fake.clock.getTime() / 1000);
  const accessToken = `TTP_access_${label}_${fake.accessTokens.size + 1}`;
  const refreshToken = `TTP_refresh_${label}_${fake.refreshTokens.size + 1}`;
  const accessExpiry = nowSeconds + fake.accessLifetimeSeconds;
  fake.accessTokens.set(accessToken, accessExpiry);
  fake.refreshTokens.add(refreshToken);
  return {
    access_token: accessToken,
    access_token_expire_in: accessExpiry,
    refresh_token: refreshToken,
    refresh_token_expire_in: nowSeconds + 365 * 24 * 3600,
    open_id: "open-1",
    seller_name: "Alpha Seller",
    seller_base_region: "US",
  };
}

function tiktokHandlers(fake: FakeTikTok) {
  /** Checks app key, sign and access token of a signed call; the failure envelope, or null. */
  async function refusal(request: Request, shopScoped: boolean): Promise<Response | null> {
    const url = new URL(request.url);
    const body = request.method === "GET" ? "" : await request.clone().text();
    if (url.searchParams.get("app_key") !== APP_KEY || url.searchParams.get("sign") !== expectedSign(url, body)) {
      fake.badSigns += 1;
      return envelope(undefined, 106001, "Invalid signature");
    }
    const token = request.headers.get("x-tts-access-token") ?? "";
    if (!fake.accessTokens.has(token)) return envelope(undefined, 105001, "Invalid access token");
    if (shopScoped && !fake.shops.some((shop) => shop.cipher === url.searchParams.get("shop_cipher"))) return envelope(undefined, 106011, "Invalid shop_cipher");
    if (!shopScoped && url.searchParams.has("shop_cipher")) return envelope(undefined, 106011, "Invalid shop_cipher");
    return null;
  }
  return [
    http.get(`${TIKTOK_AUTH}/api/v2/token/get`, ({ request }) => {
      const q = new URL(request.url).searchParams;
      if (q.get("app_key") !== APP_KEY || q.get("app_secret") !== APP_SECRET || q.get("grant_type") !== "authorized_code") return envelope(undefined, 36004004, "Invalid auth code");
      const code = q.get("auth_code") ?? "";
      if (!fake.codes.delete(code)) return envelope(undefined, 36004004, "Invalid auth code");
      return envelope(issueTokens(fake, "x"));
    }),
    http.get(`${TIKTOK_AUTH}/api/v2/token/refresh`, ({ request }) => {
      fake.refreshCalls += 1;
      const q = new URL(request.url).searchParams;
      if (fake.refuseRefresh || q.get("app_secret") !== APP_SECRET || !fake.refreshTokens.has(q.get("refresh_token") ?? "")) {
        return envelope(undefined, 36004001, "Refresh token is invalid or expired");
      }
      fake.accessLifetimeSeconds = 7 * 24 * 3600;
      return envelope(issueTokens(fake, "r"));
    }),
    http.get(`${TIKTOK_API}/authorization/202309/shops`, async ({ request }) => {
      const refused = await refusal(request, false);
      if (refused) return refused;
      return envelope({ shops: fake.shops.map((shop) => ({ ...shop, seller_type: "LOCAL", code: `CODE${shop.id}` })) });
    }),
    http.get(`${TIKTOK_API}/logistics/202309/warehouses`, async ({ request }) => {
      const refused = await refusal(request, true);
      if (refused) return refused;
      return envelope({
        warehouses: [
          { id: "WH-RETURN", name: "Returns", effect_status: "ENABLED", type: "RETURN_WAREHOUSE", is_default: false },
          { id: "WH-EAST", name: "East coast", effect_status: "ENABLED", type: "SALES_WAREHOUSE", is_default: false },
          { id: "WH-MAIN", name: "Main warehouse", effect_status: "ENABLED", type: "SALES_WAREHOUSE", is_default: true },
          { id: "WH-OLD", name: "Closed", effect_status: "DISABLED", type: "SALES_WAREHOUSE", is_default: false },
        ],
      });
    }),
    http.post(`${TIKTOK_API}/product/202309/categories/recommend`, async ({ request }) => {
      const refused = await refusal(request, true);
      if (refused) return refused;
      const body = (await request.json()) as { product_title?: string };
      fake.recommendTitles.push(body.product_title ?? "");
      return envelope({ leaf_category_id: "601226", categories: [{ id: "601152", name: "Womenswear", level: 1, is_leaf: false }, { id: "601226", name: "T-shirts", level: 3, is_leaf: true }] });
    }),
  ];
}

function newFakeTikTok(clock: Date): FakeTikTok {
  return {
    codes: new Set(),
    accessTokens: new Map(),
    refreshTokens: new Set(),
    refreshCalls: 0,
    refuseRefresh: false,
    clock,
    accessLifetimeSeconds: 7 * 24 * 3600,
    shops: [
      { id: "7001", name: "Alpha US", region: "US", cipher: "ROW_cipherUS001" },
      { id: "7002", name: "Alpha UK", region: "GB", cipher: "ROW_cipherGB002" },
    ],
    recommendTitles: [],
    badSigns: 0,
  };
}

// ─── helpers ─────────────────────────────────────────────────────────────────────────────────────

/** Every column of the shop's connection rows as text: what someone reading the table would see. */
async function rawRows(runtime: Runtime, shop: string): Promise<string> {
  const { rows } = await runtime.db.sql.query<{ row: string }>(`SELECT row_to_json(c)::text AS row FROM "channel_connection" c WHERE "shop" = $1`, [shop]);
  return rows.map((r) => r.row).join("\n");
}

function stateOf(authorizeUrl: string): string {
  return new URL(authorizeUrl).searchParams.get("state") ?? "";
}

function productWithStock(id: number, title: string, categoryId: string | null, levels: { locationId: string; locationName: string; available: number }[]): Product {
  const product = buildProduct({ id: `gid://shopify/Product/${id}`, title, category: categoryId ? { id: categoryId, fullName: "Apparel & Accessories > Clothing > Shirts & Tops" } : null });
  const [variant] = product.variants;
  if (!variant) throw new Error("the factory builds one variant");
  return { ...product, variants: [{ ...variant, inventoryItem: { ...variant.inventoryItem, levels }, availableQuantity: levels.reduce((sum, level) => sum + level.available, 0) }] };
}

async function adminRequest(shop: string, path: string, form?: Record<string, string>): Promise<Request> {
  await shopify().sessionStorage.storeSession(setUpValidSession({ shop }));
  const init: RequestInit = form ? { method: "POST", body: new URLSearchParams(form) } : {};
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`https://shelfcast.test${path}`, init),
  );
}

/** Connects TikTok for a shop through start → callback (the route) → returns the tokens TikTok issued. */
async function connectTikTok(runtime: Runtime, fake: FakeTikTok, shop: string, now: Date) {
  const started = await startTikTokAuthorization(runtime, shop, { appKey: APP_KEY, appSecret: APP_SECRET }, now);
  if (!started.ok) throw new Error(JSON.stringify(started.errors));
  const code = `code-${shop}-${fake.codes.size}`;
  fake.codes.add(code);
  return completeTikTokAuthorization(runtime, { state: stateOf(started.authorizeUrl), code }, now);
}

describe("channel connections (Settings → Channels)", () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await startTestApp();
    await runtime.db.prisma.shop.create({ data: { shop: SHOP } });
    await runtime.db.prisma.shop.create({ data: { shop: OTHER_SHOP } });
    await replaceProducts(
      runtime.db,
      SHOP,
      [
        productWithStock(1, "Organic cotton crew tee", SHIRTS, [
          { locationId: WAREHOUSE_LOCATION, locationName: "Warehouse", available: 10 },
          { locationId: STORE_LOCATION, locationName: "Shop floor", available: 2 },
        ]),
        productWithStock(2, "Linen shirt", SHIRTS, [{ locationId: WAREHOUSE_LOCATION, locationName: "Warehouse", available: 4 }]),
        productWithStock(3, "Gift card", null, []),
      ],
      new Date(),
    );
  });
  afterAll(async () => stopTestApp(runtime));

  describe("Meta", () => {
    it("names the field it refuses", async () => {
      const badCatalog = await saveMetaConnection(runtime, SHOP, { catalogId: "my catalog", token: META_TOKEN });
      expect(badCatalog).toEqual({ ok: false, errors: [expect.objectContaining({ field: "catalogId" })] });
      const noToken = await saveMetaConnection(runtime, SHOP, { catalogId: CATALOG_ID, token: "" });
      expect(noToken).toEqual({ ok: false, errors: [expect.objectContaining({ field: "token" })] });
      const badBusiness = await saveMetaConnection(runtime, SHOP, { catalogId: CATALOG_ID, businessId: "acme", token: META_TOKEN });
      expect(badBusiness).toEqual({ ok: false, errors: [expect.objectContaining({ field: "businessId" })] });
      expect(await rawRows(runtime, SHOP)).toBe("");
    });

    it("stores the token encrypted: no column of the row holds it, only its last four characters", async () => {
      const saved = await saveMetaConnection(runtime, SHOP, { catalogId: CATALOG_ID, businessId: "998877665544", token: META_TOKEN });
      expect(saved.ok).toBe(true);
      const raw = await rawRows(runtime, SHOP);
      expect(raw).toContain(CATALOG_ID);
      expect(raw).not.toContain(META_TOKEN);
      expect(raw).not.toContain(META_TOKEN.slice(0, 20));
      expect(raw).toContain('"secret_hint":"a1b2"');
      expect(raw).toMatch(/"secrets_ciphertext":"v1:[^:]+:/);

      const loaded = await loadPublishConnection(runtime, SHOP, "meta", new Date());
      expect(loaded).toEqual({ ok: true, connection: { channel: "meta", catalogId: CATALOG_ID, businessId: "998877665544", token: META_TOKEN } });
    });

    it("keeps the stored token when the form leaves it blank", async () => {
      const before = await rawRows(runtime, SHOP);
      expect((await saveMetaConnection(runtime, SHOP, { catalogId: CATALOG_ID, businessId: "", token: "" })).ok).toBe(true);
      const loaded = await loadPublishConnection(runtime, SHOP, "meta", new Date());
      expect(loaded.ok && loaded.connection.channel === "meta" ? loaded.connection : null).toEqual({ channel: "meta", catalogId: CATALOG_ID, businessId: null, token: META_TOKEN });
      // Re-encrypted with a fresh IV, still not the plaintext.
      const after = await rawRows(runtime, SHOP);
      expect(after).not.toBe(before);
      expect(after).not.toContain(META_TOKEN);
    });

    it("tests the connection by reading the catalog, and records the name and count", async () => {
      mockServer.use(metaCatalogHandler(META_TOKEN, { name: "Alpha main catalog", product_count: 1234 }));
      const now = new Date("2030-01-02T03:04:05.000Z");
      const result = await testMetaConnectionFor(runtime, SHOP, now);
      expect(result).toEqual({ ok: true, message: expect.stringContaining("Alpha main catalog"), catalogName: "Alpha main catalog", productCount: 1234 });
      const [meta] = await listConnectionSummaries(runtime, SHOP);
      expect(meta).toMatchObject({ channel: "meta", status: "connected", catalogName: "Alpha main catalog", hint: "a1b2", lastError: null, lastCheckedAt: now.toISOString() });
      expect(meta?.channel === "meta" ? meta.settings.productCount : null).toBe(1234);
    });

    it("reports a refused token as a reason and flags the connection for reconnecting", async () => {
      mockServer.use(metaCatalogHandler("EAAGsomeOTHERtokenTHATmetaWOULDaccept000", { name: "x", product_count: 0 }));
      const result = await testMetaConnectionFor(runtime, SHOP);
      expect(result).toMatchObject({ ok: false, reconnect: true });
      expect(result.ok ? "" : result.message).toMatch(/token/i);
      const [meta] = await listConnectionSummaries(runtime, SHOP);
      expect(meta?.status).toBe("reconnect");
      expect(meta?.lastError).toBe(result.ok ? null : result.message);
      const loaded = await loadPublishConnection(runtime, SHOP, "meta", new Date());
      expect(loaded).toMatchObject({ ok: false, reconnect: true });
    });

    it("reports an unknown catalog without asking for a new token", async () => {
      mockServer.use(metaCatalogHandler(META_TOKEN, { name: "x", product_count: 0 }));
      await saveMetaConnection(runtime, SHOP, { catalogId: "5555555555", token: "" });
      const result = await testMetaConnectionFor(runtime, SHOP);
      expect(result).toMatchObject({ ok: false, reconnect: false });
      expect(result.ok ? "" : result.message).toContain("5555555555");
      // Saving cleared the reconnect flag; a missing catalog does not set it again.
      const [meta] = await listConnectionSummaries(runtime, SHOP);
      expect(meta?.status).toBe("connected");
      expect(meta?.channel === "meta" ? meta.catalogName : "not meta").toBeNull();
      await saveMetaConnection(runtime, SHOP, { catalogId: CATALOG_ID, token: "" });
    });

    it("never stores a token Meta echoes back in an error", async () => {
      mockServer.use(
        http.get(`https://graph.facebook.com/v21.0/:catalogId`, ({ request }) => {
          const token = new URL(request.url).searchParams.get("access_token");
          return HttpResponse.json({ error: { message: `(#200) Permission denied for token ${token}`, type: "OAuthException", code: 200, fbtrace_id: "Atrace3" } }, { status: 403 });
        }),
      );
      const result = await testMetaConnectionFor(runtime, SHOP);
      expect(result.ok).toBe(false);
      expect(JSON.stringify(result)).not.toContain(META_TOKEN);
      expect(await rawRows(runtime, SHOP)).not.toContain(META_TOKEN);
      const reason = "Meta refused: the token " + META_TOKEN + " was revoked";
      await markConnectionReconnect(runtime, SHOP, "meta", reason);
      expect(await rawRows(runtime, SHOP)).not.toContain(META_TOKEN);
      expect((await listConnectionSummaries(runtime, SHOP))[0]?.lastError).toBe("Meta refused: the token [redacted] was revoked");
      await saveMetaConnection(runtime, SHOP, { catalogId: CATALOG_ID, token: "" });
    });
  });

  describe("TikTok Shop", () => {
    const now = new Date("2030-03-01T12:00:00.000Z");
    // One TikTok for the whole story; msw forgets handlers after each test, so they go back in before each.
    const fake = newFakeTikTok(now);
    beforeEach(() => mockServer.use(...tiktokHandlers(fake)));

    it("refuses a start without the app secret, naming the field", async () => {
      const result = await startTikTokAuthorization(runtime, SHOP, { appKey: APP_KEY, appSecret: "" }, now);
      expect(result).toEqual({ ok: false, errors: [expect.objectContaining({ field: "appSecret" })] });
      const badKey = await startTikTokAuthorization(runtime, SHOP, { appKey: "app key!", appSecret: APP_SECRET }, now);
      expect(badKey).toEqual({ ok: false, errors: [expect.objectContaining({ field: "appKey" })] });
    });

    it("authorises: start → TikTok's consent URL with a single-use state → callback → tokens stored encrypted → shop chosen → mappings", async () => {
      const started = await startTikTokAuthorization(runtime, SHOP, { appKey: APP_KEY, appSecret: APP_SECRET }, now);
      if (!started.ok) throw new Error("start refused");
      const authorize = new URL(started.authorizeUrl);
      expect(`${authorize.origin}${authorize.pathname}`).toBe("https://services.tiktokshop.com/open/authorize");
      expect(authorize.searchParams.get("service_id")).toBe(APP_KEY);
      const state = stateOf(started.authorizeUrl);
      expect(state.length).toBeGreaterThanOrEqual(32);
      const pendingRaw = await rawRows(runtime, SHOP);
      expect(pendingRaw).not.toContain(state); // only its hash is stored
      expect(pendingRaw).toContain(createHash("sha256").update(state).digest("hex"));
      expect(pendingRaw).not.toContain(APP_SECRET);
      expect((await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok")?.status).toBe("pending");
      expect(await loadPublishConnection(runtime, SHOP, "tiktok", now)).toMatchObject({ ok: false, reconnect: false });

      // TikTok redirects the seller to the public callback route.
      fake.codes.add("auth-code-1");
      const response = await callbackLoader({ request: new Request(`https://shelfcast.test/tiktok/callback?code=auth-code-1&state=${state}`), params: {}, context: {} });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe(`https://${SHOP}/admin/apps/${API_KEY}/app/settings?tiktok=connected`);

      const [accessToken] = [...fake.accessTokens.keys()];
      const [refreshToken] = [...fake.refreshTokens];
      const raw = await rawRows(runtime, SHOP);
      for (const secret of [APP_SECRET, accessToken ?? "?", refreshToken ?? "?", "auth-code-1"]) expect(raw).not.toContain(secret);

      // Two shops: the merchant chooses.
      let tiktok = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok");
      expect(tiktok).toMatchObject({ status: "connected", shopName: null, settings: { sellerName: "Alpha Seller", shopId: null, shops: [{ id: "7001", name: "Alpha US", region: "US" }, { id: "7002", name: "Alpha UK", region: "GB" }] } });
      expect(tiktok?.accessExpiresAt).toBe(new Date(now.getTime() + 7 * DAY_MS).toISOString());
      expect(await loadPublishConnection(runtime, SHOP, "tiktok", now)).toMatchObject({ ok: false, reconnect: false, reason: expect.stringContaining("Choose the TikTok shop") });

      // The state was single use.
      const replay = await callbackLoader({ request: new Request(`https://shelfcast.test/tiktok/callback?code=auth-code-1&state=${state}`), params: {}, context: {} });
      expect(replay.status).toBe(400);
      expect(await replay.text()).toContain("already used");

      expect(await selectTikTokShop(runtime, SHOP, { shopId: "9999" }, now)).toEqual({ ok: false, errors: [expect.objectContaining({ field: "shopId" })] });
      expect(await selectTikTokShop(runtime, SHOP, { shopId: "7001" }, now)).toEqual({ ok: true, message: "Publishing to Alpha US" });
      tiktok = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok");
      expect(tiktok?.channel === "tiktok" ? tiktok.settings.warehouses : null).toEqual([
        { id: "WH-MAIN", name: "Main warehouse", isDefault: true },
        { id: "WH-RETURN", name: "Returns", isDefault: false },
        { id: "WH-EAST", name: "East coast", isDefault: false },
      ]);

      // The mapping tables offer the catalog's locations and categories.
      const choices = await loadTikTokMappingChoices(runtime, SHOP);
      expect(choices.locations).toEqual([
        { id: WAREHOUSE_LOCATION, name: "Warehouse", variants: 2 },
        { id: STORE_LOCATION, name: "Shop floor", variants: 1 },
      ]);
      expect(choices.categories).toEqual([{ id: SHIRTS, fullName: "Apparel & Accessories > Clothing > Shirts & Tops", products: 2 }]);
      expect(choices.uncategorised).toBe(1);

      const badIds = await saveTikTokMappings(runtime, SHOP, { warehouseMap: { [WAREHOUSE_LOCATION]: "" }, categoryMap: { [SHIRTS]: "T-shirts" } });
      expect(badIds.ok ? [] : badIds.errors.map((e) => e.field).sort()).toEqual([`categoryMap.${SHIRTS}`, `warehouseMap.${WAREHOUSE_LOCATION}`]);
      const unknownWarehouse = await saveTikTokMappings(runtime, SHOP, { warehouseMap: { [WAREHOUSE_LOCATION]: "WH-OLD" }, categoryMap: {} });
      expect(unknownWarehouse).toEqual({ ok: false, errors: [expect.objectContaining({ field: `warehouseMap.${WAREHOUSE_LOCATION}` })] });

      const suggestion = await recommendCategory(runtime, SHOP, { categoryId: SHIRTS }, now);
      expect(suggestion).toMatchObject({ ok: true, leafCategoryId: "601226" });
      expect(fake.recommendTitles).toEqual(["Linen shirt"]);

      const saved = await saveTikTokMappings(runtime, SHOP, { warehouseMap: { [STORE_LOCATION]: "WH-EAST", [WAREHOUSE_LOCATION]: "WH-MAIN" }, categoryMap: { [SHIRTS]: "601226" } });
      expect(saved.ok).toBe(true);
      const loaded = await loadPublishConnection(runtime, SHOP, "tiktok", now);
      expect(loaded.ok).toBe(true);
      const connection = (loaded.ok ? loaded.connection : null) as TikTokConnection;
      expect(connection).toEqual({ channel: "tiktok", appKey: APP_KEY, appSecret: APP_SECRET, accessToken, shopCipher: "ROW_cipherUS001", warehouseMap: { [WAREHOUSE_LOCATION]: "WH-MAIN", [STORE_LOCATION]: "WH-EAST" } });
      // The location on TikTok's default warehouse comes first: it is the default.
      expect(Object.keys(connection.warehouseMap)[0]).toBe(WAREHOUSE_LOCATION);
      expect(fake.refreshCalls).toBe(0);
      expect(fake.badSigns).toBe(0);
    });

    it("refuses an authorisation that came back after 10 minutes", async () => {
      const started = await startTikTokAuthorization(runtime, SHOP, { appKey: APP_KEY, appSecret: "" }, now);
      if (!started.ok) throw new Error("start refused");
      fake.codes.add("late-code");
      const late = await completeTikTokAuthorization(runtime, { state: stateOf(started.authorizeUrl), code: "late-code" }, new Date(now.getTime() + 11 * 60 * 1000));
      expect(late).toMatchObject({ ok: false, shop: SHOP, message: expect.stringContaining("10 minutes") });
      // Reconnecting the same app kept the working tokens: publishing goes on.
      expect((await loadPublishConnection(runtime, SHOP, "tiktok", now)).ok).toBe(true);
    });

    it("refreshes the access token a day before it expires and stores the new one encrypted", async () => {
      const beforeRaw = await rawRows(runtime, SHOP);
      const { accessExpiresAt } = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok") ?? {};
      // One hour before the access token expires.
      const later = new Date(Date.parse(accessExpiresAt ?? "") - HOUR_MS);
      fake.clock = later;
      const loaded = await loadPublishConnection(runtime, SHOP, "tiktok", later);
      expect(fake.refreshCalls).toBe(1);
      const newest = [...fake.accessTokens.keys()].at(-1);
      expect(loaded.ok && loaded.connection.channel === "tiktok" ? loaded.connection.accessToken : null).toBe(newest);
      const afterRaw = await rawRows(runtime, SHOP);
      expect(afterRaw).not.toBe(beforeRaw);
      const tiktokCiphertext = (text: string) => /"channel":"tiktok".*?"secrets_ciphertext":"([^"]+)"/.exec(text)?.[1];
      expect(tiktokCiphertext(beforeRaw)).toMatch(/^v1:/);
      expect(tiktokCiphertext(afterRaw)).toMatch(/^v1:/);
      expect(tiktokCiphertext(afterRaw)).not.toBe(tiktokCiphertext(beforeRaw));
      expect(afterRaw).not.toContain(newest ?? "?");
      const summary = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok");
      expect(summary?.accessExpiresAt).toBe(new Date(later.getTime() + 7 * DAY_MS).toISOString());

      // Fresh again: the next job does not refresh.
      await loadPublishConnection(runtime, SHOP, "tiktok", later);
      expect(fake.refreshCalls).toBe(1);
    });

    it("flags the connection for reconnecting when TikTok refuses the refresh", async () => {
      const { accessExpiresAt } = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok") ?? {};
      const later = new Date(Date.parse(accessExpiresAt ?? "") - 2 * HOUR_MS);
      fake.refuseRefresh = true;
      const loaded = await loadPublishConnection(runtime, SHOP, "tiktok", later);
      expect(loaded).toEqual({ ok: false, reason: TIKTOK_REFRESH_REFUSED, reconnect: true });
      const summary = (await listConnectionSummaries(runtime, SHOP)).find((c) => c.channel === "tiktok");
      expect(summary).toMatchObject({ status: "reconnect", lastError: "TikTok refused to refresh the token: reconnect TikTok Shop in Settings → Channels" });
      // It stays refused without calling TikTok again until the merchant reconnects.
      const calls = fake.refreshCalls;
      expect(await loadPublishConnection(runtime, SHOP, "tiktok", later)).toMatchObject({ ok: false, reconnect: true });
      expect(fake.refreshCalls).toBe(calls);

      // Reconnecting heals it and keeps the chosen shop and mappings.
      fake.refuseRefresh = false;
      fake.clock = later;
      const reconnected = await connectTikTok(runtime, fake, SHOP, later);
      expect(reconnected).toMatchObject({ ok: true, message: expect.stringContaining("Alpha US") });
      const healed = await loadPublishConnection(runtime, SHOP, "tiktok", later);
      expect(healed.ok && healed.connection.channel === "tiktok" ? healed.connection.warehouseMap : null).toEqual({ [WAREHOUSE_LOCATION]: "WH-MAIN", [STORE_LOCATION]: "WH-EAST" });
    });

    it("gives the page no secret, no ciphertext, no state and no shop cipher", async () => {
      const summaries = JSON.stringify(await listConnectionSummaries(runtime, SHOP));
      const raw = await rawRows(runtime, SHOP);
      const ciphertexts = [...raw.matchAll(/"secrets_ciphertext":"([^"]+)"/g)].map((m) => m[1] ?? "");
      expect(ciphertexts.length).toBe(2);
      const secrets = [META_TOKEN, APP_SECRET, ...fake.accessTokens.keys(), ...fake.refreshTokens, ...ciphertexts, "ROW_cipherUS001", "ROW_cipherGB002"];
      for (const secret of secrets) expect(summaries).not.toContain(secret);
      expect(summaries).not.toContain("oauth");

      // The page's loader, as Shopify Admin calls it.
      const page = await settingsLoader({ request: await adminRequest(SHOP, "/app/settings"), params: {}, context: {} });
      const text = JSON.stringify(page);
      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(page.meta?.hint).toBe("a1b2");
      expect(page.tiktok?.settings.shopId).toBe("7001");
      expect(page.choices?.locations.map((location) => location.id)).toEqual([WAREHOUSE_LOCATION, STORE_LOCATION]);
    });
  });

  describe("per-shop isolation", () => {
    it("another shop neither sees nor uses the connections", async () => {
      expect(await listConnectionSummaries(runtime, OTHER_SHOP)).toEqual([]);
      expect(await loadPublishConnection(runtime, OTHER_SHOP, "meta", new Date())).toMatchObject({ ok: false, reconnect: false });
      expect(await loadPublishConnection(runtime, OTHER_SHOP, "tiktok", new Date())).toMatchObject({ ok: false, reconnect: false });
      expect(await testMetaConnectionFor(runtime, OTHER_SHOP)).toMatchObject({ ok: false });
      expect(await selectTikTokShop(runtime, OTHER_SHOP, { shopId: "7001" })).toMatchObject({ ok: false });
      expect(await saveTikTokMappings(runtime, OTHER_SHOP, { warehouseMap: {}, categoryMap: {} })).toMatchObject({ ok: false });
      const page = await settingsLoader({ request: await adminRequest(OTHER_SHOP, "/app/settings"), params: {}, context: {} });
      expect(page).toMatchObject({ meta: null, tiktok: null, choices: null });
      // Disconnecting in shop B touches nothing of shop A.
      await disconnectChannel(runtime, OTHER_SHOP, "meta");
      expect((await listConnectionSummaries(runtime, SHOP)).map((c) => c.channel)).toEqual(["meta", "tiktok"]);
    });

    it("the OAuth state of one shop completes that shop's authorisation only", async () => {
      const now = new Date();
      const fake = newFakeTikTok(now);
      mockServer.use(...tiktokHandlers(fake));
      const startedA = await startTikTokAuthorization(runtime, SHOP, { appKey: APP_KEY, appSecret: "" }, now);
      const startedB = await startTikTokAuthorization(runtime, OTHER_SHOP, { appKey: APP_KEY, appSecret: APP_SECRET }, now);
      if (!startedA.ok || !startedB.ok) throw new Error("start refused");
      expect(stateOf(startedA.authorizeUrl)).not.toBe(stateOf(startedB.authorizeUrl));

      fake.codes.add("code-for-b");
      const completed = await completeTikTokAuthorization(runtime, { state: stateOf(startedA.authorizeUrl), code: "code-for-b" }, now);
      expect(completed).toMatchObject({ ok: true, shop: SHOP });
      // Shop B is still waiting for its own seller, with no token.
      const b = (await listConnectionSummaries(runtime, OTHER_SHOP)).find((c) => c.channel === "tiktok");
      expect(b).toMatchObject({ status: "pending", accessExpiresAt: null });
      expect(await loadPublishConnection(runtime, OTHER_SHOP, "tiktok", now)).toMatchObject({ ok: false });
      // An unknown state names no shop.
      expect(await completeTikTokAuthorization(runtime, { state: "forged-state", code: "x" }, now)).toMatchObject({ ok: false, shop: null });
    });
  });

  describe("Settings route", () => {
    it("saves Meta through the page's action, with the field named on a bad value", async () => {
      const bad = await settingsAction({ request: await adminRequest(OTHER_SHOP, "/app/settings", { intent: "meta-save", catalogId: "abc", token: OTHER_META_TOKEN }), params: {}, context: {} });
      expect(bad).toMatchObject({ intent: "meta-save", result: { ok: false, errors: [{ field: "catalogId" }] } });
      const good = await settingsAction({ request: await adminRequest(OTHER_SHOP, "/app/settings", { intent: "meta-save", catalogId: CATALOG_ID, businessId: "", token: OTHER_META_TOKEN }), params: {}, context: {} });
      expect(good).toMatchObject({ intent: "meta-save", result: { ok: true } });
      expect(JSON.stringify(good)).not.toContain(OTHER_META_TOKEN);
      expect(await rawRows(runtime, OTHER_SHOP)).not.toContain(OTHER_META_TOKEN);
      // Shop A's Meta connection is untouched.
      const a = await loadPublishConnection(runtime, SHOP, "meta", new Date());
      expect(a.ok && a.connection.channel === "meta" ? a.connection.token : null).toBe(META_TOKEN);
    });

    it("sends the merchant to TikTok's consent page at top level", async () => {
      const answer = await settingsAction({ request: await adminRequest(OTHER_SHOP, "/app/settings", { intent: "tiktok-start", appKey: APP_KEY, appSecret: APP_SECRET }), params: {}, context: {} });
      expect(answer).toMatchObject({ intent: "tiktok-start", result: { ok: true }, redirect: { external: true, url: expect.stringMatching(/^https:\/\/services\.tiktokshop\.com\/open\/authorize\?/) } });
      expect(JSON.stringify(answer)).not.toContain(APP_SECRET);
    });

    it("answers a request it does not understand without acting", async () => {
      const answer = await settingsAction({ request: await adminRequest(OTHER_SHOP, "/app/settings", { intent: "drop-tables" }), params: {}, context: {} });
      expect(answer).toMatchObject({ intent: "invalid" });
    });
  });
  describe("demo mode", () => {
    it("connects both channels offline: the demo's fakes answer and the consent page is simulated", async () => {
      await runtime.db.prisma.shop.create({ data: { shop: DEMO_SHOP, isDemo: true } });
      process.env.SHELFCAST_DEMO = "1";
      resetEnvForTests();
      // A demo visitor: loopback socket, loopback host.
      const demoRequest = (path: string, form?: Record<string, string>) =>
        new Request(`http://127.0.0.1:3000${path}`, form ? { method: "POST", body: new URLSearchParams(form) } : {});
      const context = { remoteAddress: "127.0.0.1" };
      try {
        const saved = await settingsAction({ request: demoRequest("/app/settings", { intent: "meta-save", catalogId: "2000000000000001", token: "" }), params: {}, context });
        expect(saved).toMatchObject({ result: { ok: true } });
        const tested = await settingsAction({ request: demoRequest("/app/settings", { intent: "meta-test" }), params: {}, context });
        expect(tested).toMatchObject({ intent: "meta-test", result: { ok: true, catalogName: "Shelfcast demo catalog" } });

        const page = await settingsLoader({ request: demoRequest("/app/settings"), params: {}, context });
        const appKey = page.demo?.tiktokAppKey ?? "";
        expect(appKey).not.toBe("");
        const started = await settingsAction({ request: demoRequest("/app/settings", { intent: "tiktok-start", appKey, appSecret: "" }), params: {}, context });
        if (started.intent !== "tiktok-start" || !started.redirect) throw new Error(`not started: ${JSON.stringify(started)}`);
        expect(started.redirect).toMatchObject({ external: false, url: expect.stringMatching(/^\/app\/settings\/tiktok-consent\?state=/) });
        const state = new URL(started.redirect.url, "http://127.0.0.1").searchParams.get("state") ?? "";

        const consent = await consentAction({ request: demoRequest("/app/settings/tiktok-consent", { state, decision: "authorise" }), params: {}, context });
        const callbackUrl = consent.headers.get("location") ?? "";
        expect(callbackUrl).toMatch(/^\/tiktok\/callback\?/);
        const back = await callbackLoader({ request: demoRequest(callbackUrl), params: {}, context: {} });
        expect(back.headers.get("location")).toBe("/app/settings?tiktok=connected");

        const tiktok = (await listConnectionSummaries(runtime, DEMO_SHOP)).find((c) => c.channel === "tiktok");
        expect(tiktok).toMatchObject({ status: "connected", shopName: "Shelfcast Demo US" });
        expect(tiktok?.channel === "tiktok" ? tiktok.settings.warehouses.length : 0).toBeGreaterThan(0);
      } finally {
        process.env.SHELFCAST_DEMO = "0";
        resetEnvForTests();
      }
    });
  });
});
