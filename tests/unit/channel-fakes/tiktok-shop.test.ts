import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createFakeFetch, DEFAULT_TIKTOK_SHOPS, DEFAULT_TIKTOK_WAREHOUSES, TikTokShopFake, type TikTokShopFakeOptions } from "../../../app/demo/channel-fakes";
import { useChannelFakes } from "../../mocks/channel-fakes";

const APP_KEY = "k-123";
const APP_SECRET = "s3cr3t";
const API = "https://open-api.tiktokglobalshop.com";
const AUTH = "https://auth.tiktok-shops.com";
const CIPHER = DEFAULT_TIKTOK_SHOPS[0]!.cipher;
const WAREHOUSE = DEFAULT_TIKTOK_WAREHOUSES[0]!.id;
const OTHER_WAREHOUSE = DEFAULT_TIKTOK_WAREHOUSES[1]!.id;
const START = new Date("2026-03-01T12:00:00Z");
const START_SECONDS = START.getTime() / 1000;

/**
 * The signature as channels.md §2.1 words it, written out by hand (independently of the fake's
 * verifier and of Shelfcast's signer): sorted params as key+value after the path, then the body,
 * wrapped in the secret, HMAC-SHA256 keyed by the secret, lowercase hex.
 */
function handSign(secret: string, path: string, params: Record<string, string>, body: string): string {
  const keys = Object.keys(params)
    .filter((key) => key !== "sign" && key !== "access_token")
    .sort();
  const text = secret + path + keys.map((key) => `${key}${params[key]}`).join("") + body + secret;
  return createHmac("sha256", secret).update(text).digest("hex");
}

/** The envelope, with the fields of `data` these tests read across endpoints. */
interface Envelope {
  code: number;
  message: string;
  request_id: string;
  data: {
    product_id: string;
    id: string;
    title: string;
    status: string;
    uri: string;
    skus: { id: string; seller_sku: string; external_sku_id: string }[];
    shops: { id: string; cipher: string }[];
    products: { id: string; title: string; status: string; skus: { id: string; seller_sku: string }[] }[];
    next_page_token: string;
    total_count: number;
    errors?: { code: number; message: string; detail: Record<string, string> }[];
    audit_failed_reasons: { position: string; reasons: string[]; suggestions: string[] }[];
    leaf_category_id: string;
    categories: { id: string; is_leaf: boolean }[];
    access_token: string;
    refresh_token: string;
    access_token_expire_in: number;
    refresh_token_expire_in: number;
  };
}

interface CallOptions {
  query?: Record<string, string>;
  body?: unknown;
  form?: FormData;
  /** null: no shop_cipher. */
  cipher?: string | null;
  token?: string;
  secret?: string;
  timestamp?: number;
  /** Params to sign instead of the ones sent. */
  signParams?: Record<string, string>;
  /** Body bytes to send instead of the signed ones. */
  sendBody?: string;
  signal?: AbortSignal;
}

function setup(options: TikTokShopFakeOptions = {}) {
  let clock = START;
  const fake = new TikTokShopFake({ appKey: APP_KEY, appSecret: APP_SECRET, now: () => clock, ...options });
  const fetch = createFakeFetch(fake);
  const tokens = fake.issueTokens();
  const nowSeconds = () => Math.floor(clock.getTime() / 1000);

  async function call(method: string, path: string, options: CallOptions = {}) {
    const cipher = options.cipher === undefined ? CIPHER : options.cipher;
    const params: Record<string, string> = { app_key: APP_KEY, timestamp: String(options.timestamp ?? nowSeconds()), ...(cipher ? { shop_cipher: cipher } : {}), ...options.query };
    const raw = options.body === undefined ? "" : JSON.stringify(options.body);
    const sign = handSign(options.secret ?? APP_SECRET, path, options.signParams ?? params, options.form ? "" : raw);
    const headers: Record<string, string> = { "x-tts-access-token": options.token ?? tokens.accessToken };
    if (!options.form && options.body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${API}${path}?${new URLSearchParams({ ...params, sign })}`, {
      method,
      headers,
      body: options.form ?? (options.body === undefined ? undefined : (options.sendBody ?? raw)),
      signal: options.signal,
    });
    return { response, json: (await response.json()) as Envelope };
  }

  /** Downloads the image from the (fake) CDN and uploads its bytes, as Shelfcast does. */
  async function upload(sourceUrl = "https://cdn.shopify.com/s/files/1/linen-shirt.jpg"): Promise<string> {
    const bytes = await (await fetch(sourceUrl)).arrayBuffer();
    const form = new FormData();
    form.append("data", new Blob([bytes], { type: "image/jpeg" }), "image.jpg");
    form.append("use_case", "MAIN_IMAGE");
    const { json } = await call("POST", "/product/202309/images/upload", { form, cipher: null });
    expect(json.code).toBe(0);
    return json.data.uri;
  }

  return { fake, fetch, call, upload, tokens, advance: (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000)) };
}

function sku(sellerSku: string, color: string, size: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    seller_sku: sellerSku,
    external_sku_id: `gid://shopify/ProductVariant/${sellerSku}`,
    price: { amount: "39.00", currency: "USD" },
    inventory: [{ warehouse_id: WAREHOUSE, quantity: 5 }],
    sales_attributes: [
      { name: "Color", value_name: color },
      { name: "Size", value_name: size },
    ],
    ...overrides,
  };
}

function productBody(uris: string[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: "Linen Shirt",
    description: "<p>A breathable shirt woven from European linen.</p>",
    category_id: "601226",
    main_images: uris.map((uri) => ({ uri })),
    skus: [sku("LIN-NAV-M", "Navy", "M"), sku("LIN-NAV-L", "Navy", "L")],
    package_weight: { value: "0.4", unit: "KILOGRAM" },
    package_dimensions: { length: "30", width: "20", height: "5", unit: "CENTIMETER" },
    external_product_id: "gid://shopify/Product/1",
    ...overrides,
  };
}

describe("TikTok Shop fake: signatures, timestamps, tokens, ciphers", () => {
  it("matches a signature computed by hand for a known vector", () => {
    const params = { app_key: "k-123", timestamp: "1772366400", shop_cipher: "ROW_c1", page_size: "50", access_token: "ignored", sign: "ignored" };
    // Computed with `openssl dgst -sha256 -hmac s3cr3t` over
    // s3cr3t/product/202309/products/searchapp_keyk-123page_size50shop_cipherROW_c1timestamp1772366400{"seller_skus":["LIN-NAV-M"]}s3cr3t
    expect(handSign("s3cr3t", "/product/202309/products/search", params, '{"seller_skus":["LIN-NAV-M"]}')).toBe("23823b2fac3262c1406ad7cce46822316eda9f611c56da20cafed94a6d351423");
  });

  it("accepts a correctly signed call and refuses a changed body byte, a changed param or a wrong secret with 106001", async () => {
    const { call } = setup();
    const body = { seller_skus: ["LIN-NAV-M"] };
    const query = { page_size: "50" };
    expect((await call("POST", "/product/202309/products/search", { query, body })).json.code).toBe(0);

    const changedByte = await call("POST", "/product/202309/products/search", { query, body, sendBody: JSON.stringify(body).replace("M", "L") });
    expect(changedByte.json).toMatchObject({ code: 106001, message: "Invalid signature" });

    const signedParams = { app_key: APP_KEY, timestamp: String(START_SECONDS), shop_cipher: CIPHER, page_size: "50" };
    const changedParam = await call("POST", "/product/202309/products/search", { query: { page_size: "51" }, body, signParams: signedParams });
    expect(changedParam.json.code).toBe(106001);

    const wrongSecret = await call("POST", "/product/202309/products/search", { query, body, secret: "not-the-secret" });
    expect(wrongSecret.json.code).toBe(106001);
    expect(JSON.stringify(wrongSecret.json)).not.toContain(APP_SECRET);
  });

  it("refuses a timestamp more than 300 s off its clock with 106002", async () => {
    const { call } = setup();
    expect((await call("GET", "/logistics/202309/warehouses", { timestamp: START_SECONDS - 299 })).json.code).toBe(0);
    expect((await call("GET", "/logistics/202309/warehouses", { timestamp: START_SECONDS + 301 })).json).toMatchObject({ code: 106002, message: "Timestamp expired" });
    expect((await call("GET", "/logistics/202309/warehouses", { timestamp: START_SECONDS - 301 })).json.code).toBe(106002);
  });

  it("expires access tokens on the fake clock (105002) and refuses unknown ones (105001)", async () => {
    const { call, advance, tokens } = setup({ accessTokenTtlSeconds: 3600 });
    expect(tokens.accessTokenExpiresAt.getTime()).toBe(START.getTime() + 3600_000);
    expect((await call("GET", "/authorization/202309/shops", { cipher: null })).json.code).toBe(0);
    expect((await call("GET", "/authorization/202309/shops", { cipher: null, token: "TTP_made_up" })).json.code).toBe(105001);
    advance(3599);
    expect((await call("GET", "/authorization/202309/shops", { cipher: null })).json.code).toBe(0);
    advance(1);
    expect((await call("GET", "/authorization/202309/shops", { cipher: null })).json).toMatchObject({ code: 105002, message: "Access token expired" });
  });

  it("lists the shops with their cipher and refuses a wrong shop_cipher with 106011", async () => {
    const { call } = setup();
    const shops = await call("GET", "/authorization/202309/shops", { cipher: null });
    expect(shops.json.data.shops).toEqual([expect.objectContaining({ id: DEFAULT_TIKTOK_SHOPS[0]!.id, region: "US", cipher: CIPHER })]);
    expect((await call("GET", "/logistics/202309/warehouses", { cipher: "ROW_someone_else" })).json.code).toBe(106011);
    expect((await call("GET", "/logistics/202309/warehouses", { cipher: null })).json.code).toBe(106011);
  });
});

describe("TikTok Shop fake: OAuth", () => {
  const tokenUrl = (path: string, params: Record<string, string>) => `${AUTH}${path}?${new URLSearchParams({ app_key: APP_KEY, app_secret: APP_SECRET, ...params })}`;

  it("exchanges an auth code once, refreshes into a new access token, and refuses an expired refresh token", async () => {
    const { fake, fetch, call, advance } = setup({ accessTokenTtlSeconds: 3600, refreshTokenTtlSeconds: 86_400 });
    const code = fake.issueAuthCode();
    const exchanged = (await (await fetch(tokenUrl("/api/v2/token/get", { auth_code: code, grant_type: "authorized_code" }))).json()) as Envelope;
    expect(exchanged.code).toBe(0);
    expect(exchanged.data).toMatchObject({ access_token_expire_in: START_SECONDS + 3600, refresh_token_expire_in: START_SECONDS + 86_400, seller_base_region: "US" });

    const reused = (await (await fetch(tokenUrl("/api/v2/token/get", { auth_code: code, grant_type: "authorized_code" }))).json()) as Envelope;
    expect(reused.code).toBe(36004004);
    const wrongSecret = (await (await fetch(tokenUrl("/api/v2/token/get", { auth_code: fake.issueAuthCode(), grant_type: "authorized_code", app_secret: "nope" }))).json()) as Envelope;
    expect(wrongSecret.code).not.toBe(0);

    advance(1800);
    const refreshed = (await (await fetch(tokenUrl("/api/v2/token/refresh", { refresh_token: exchanged.data.refresh_token, grant_type: "refresh_token" }))).json()) as Envelope;
    expect(refreshed.code).toBe(0);
    expect(refreshed.data.access_token).not.toBe(exchanged.data.access_token);
    expect(refreshed.data.access_token_expire_in).toBe(START_SECONDS + 1800 + 3600);
    // The old token stays valid until its own expiry; the new one lives on.
    expect((await call("GET", "/authorization/202309/shops", { cipher: null, token: exchanged.data.access_token })).json.code).toBe(0);
    advance(1800);
    expect((await call("GET", "/authorization/202309/shops", { cipher: null, token: exchanged.data.access_token })).json.code).toBe(105002);
    expect((await call("GET", "/authorization/202309/shops", { cipher: null, token: refreshed.data.access_token })).json.code).toBe(0);

    advance(86_400);
    const late = (await (await fetch(tokenUrl("/api/v2/token/refresh", { refresh_token: exchanged.data.refresh_token, grant_type: "refresh_token" }))).json()) as Envelope;
    expect(late.code).toBe(36004001);
  });
});

describe("TikTok Shop fake: images", () => {
  it("gives every upload its own URI and refuses products whose images were not uploaded", async () => {
    const { fake, call, upload } = setup();
    const [first, second] = [await upload(), await upload()];
    expect(first).not.toBe(second);
    expect(fake.uploads).toHaveLength(2);
    expect(fake.uploads[0]).toMatchObject({ useCase: "MAIN_IMAGE", width: 1000, height: 1000 });

    const withSource = await call("POST", "/product/202309/products", { body: productBody([], { main_images: [{ source_url: "https://cdn.shopify.com/s/files/1/linen-shirt.jpg" }] }) });
    expect(withSource.json).toMatchObject({ code: 12052700, message: "main_images[0].uri: upload the image first" });
    const unknownUri = await call("POST", "/product/202309/products", { body: productBody([first, "tos-not-uploaded"]) });
    expect(unknownUri.json.code).toBe(12052700);
    expect(unknownUri.json.message).toMatch(/^main_images\[1\]\.uri:/);
    expect((await call("POST", "/product/202309/products", { body: productBody([first, second]) })).json.code).toBe(0);
  });

  it("refuses an upload that is not an image, and does not sign multipart bodies", async () => {
    const { call } = setup();
    const form = new FormData();
    form.append("data", new Blob(["<html>not an image</html>"], { type: "text/html" }), "page.html");
    form.append("use_case", "MAIN_IMAGE");
    const { json } = await call("POST", "/product/202309/images/upload", { form, cipher: null });
    expect(json).toMatchObject({ code: 12052700, message: "data: must be a JPG or PNG image" });
  });
});

describe("TikTok Shop fake: products", () => {
  it("creates a product PENDING, then activates it on the next read", async () => {
    const { fake, call, upload } = setup();
    const created = await call("POST", "/product/202309/products", { body: productBody([await upload()]) });
    expect(created.json.code).toBe(0);
    const productId = created.json.data.product_id;
    expect(created.json.data.skus.map((entry) => entry.seller_sku)).toEqual(["LIN-NAV-M", "LIN-NAV-L"]);
    expect(created.json.data.skus[0]!.external_sku_id).toBe("gid://shopify/ProductVariant/LIN-NAV-M");
    expect(fake.product(productId)?.status).toBe("PENDING");

    const read = await call("GET", `/product/202309/products/${productId}`);
    expect(read.json.data).toMatchObject({ id: productId, status: "ACTIVATE", audit_failed_reasons: [] });
    expect(read.json.data.skus[0]).toMatchObject({ seller_sku: "LIN-NAV-M", price: { amount: "39.00", currency: "USD" }, inventory: [{ warehouse_id: WAREHOUSE, quantity: 5 }] });
    expect((await call("GET", "/product/202309/products/1")).json).toMatchObject({ code: 12052048, message: "Product not found" });
  });

  it("fails the audit of a product with a prohibited claim, with reasons and suggestions", async () => {
    const { fake, call, upload } = setup();
    const uri = await upload();
    const created = await call("POST", "/product/202309/products", { body: productBody([uri], { description: "<p>Satisfaction GUARANTEED or your money back.</p>" }) });
    const settled = fake.settleAudits();
    expect(settled).toEqual([expect.objectContaining({ productId: created.json.data.product_id, status: "FAILED" })]);
    const read = await call("GET", `/product/202309/products/${created.json.data.product_id}`);
    expect(read.json.data.status).toBe("FAILED");
    expect(read.json.data.audit_failed_reasons).toEqual([
      { position: "description", reasons: ["Prohibited claim: guarantees are not allowed"], suggestions: ["Remove the guarantee from the description"] },
    ]);
  });

  it("refuses invalid products as a whole, naming the field", async () => {
    const { fake, call, upload } = setup();
    const uri = await upload();
    const cases: [Record<string, unknown>, string | RegExp][] = [
      [{ skus: [sku("A", "Navy", "M", { price: { amount: "9000.00", currency: "USD" } })] }, "skus[0].price.amount: must be a decimal string between 0.01 and 7600"],
      [{ skus: [sku("A", "Navy", "M", { price: { amount: 39, currency: "USD" } })] }, /^skus\[0\]\.price\.amount:/],
      [{ skus: [sku("A", "Navy", "M", { price: { amount: "39.00", currency: "GBP" } })] }, "skus[0].price.currency: must be USD in a US shop"],
      [{ skus: [sku("A", "Navy", "M", { inventory: [{ warehouse_id: "nowhere", quantity: 1 }] })] }, /^skus\[0\]\.inventory\[0\]\.warehouse_id:/],
      [{ skus: [sku("A", "Navy", "M", { inventory: [{ warehouse_id: WAREHOUSE, quantity: 1_000_000 }] })] }, /^skus\[0\]\.inventory\[0\]\.quantity:/],
      [{ skus: [sku("A", "Navy", "M", { inventory: [{ quantity: 3 }] })] }, /^skus\[0\]\.inventory\[0\]\.warehouse_id:/],
      [{ skus: [] }, /^skus:/],
      [{ skus: Array.from({ length: 101 }, (_, index) => sku(`S${index}`, "Navy", `${index}`)) }, /^skus:/],
      [{ skus: [sku("A", "Navy", "M", { sales_attributes: ["Color", "Size", "Fit", "Length"].map((name) => ({ name, value_name: "x" })) })] }, /^skus\[0\]\.sales_attributes:/],
      [{ skus: [sku("A", "Navy", "M"), sku("B", "Navy", "M")] }, "skus[1].sales_attributes: same values as skus[0]"],
      [{ title: "" }, /^title:/],
      [{ title: "T".repeat(256) }, /^title:/],
      [{ description: "D".repeat(10_001) }, /^description:/],
      [{ main_images: [] }, /^main_images:/],
      [{ main_images: Array.from({ length: 10 }, () => ({ uri })) }, /^main_images:/],
      [{ package_weight: { value: "0", unit: "KILOGRAM" } }, /^package_weight\.value:/],
      [{ package_weight: { value: "1", unit: "GRAM" } }, /^package_weight\.unit:/],
      [{ package_dimensions: undefined }, /^package_dimensions:/],
      [{ brand: { name: "Acme" } }, "brand: unknown field"],
      [{ category_id: undefined }, /^category_id:/],
      [{ skus: [sku("A", "Navy", "M", { id: "123" })] }, /^skus\[0\]\.id:/],
    ];
    for (const [overrides, message] of cases) {
      const { json } = await call("POST", "/product/202309/products", { body: productBody([uri], overrides) });
      expect(json.code, JSON.stringify(overrides).slice(0, 80)).toBe(12052700);
      if (typeof message === "string") expect(json.message).toBe(message);
      else expect(json.message).toMatch(message);
    }
    expect(fake.products.size).toBe(0);
  });

  it("takes a full edit that keeps SKUs with an id, creates SKUs without one and deletes the rest", async () => {
    const { fake, call, upload } = setup();
    const uri = await upload();
    const created = await call("POST", "/product/202309/products", { body: productBody([uri]) });
    const productId = created.json.data.product_id;
    const [medium, large] = created.json.data.skus;
    fake.settleAudits();
    expect(fake.product(productId)?.status).toBe("ACTIVATE");

    const edit = productBody([uri], {
      title: "Linen Shirt (relaxed fit)",
      skus: [sku("LIN-NAV-M", "Navy", "M", { id: medium!.id, price: { amount: "35.00", currency: "USD" } }), sku("LIN-NAV-S", "Navy", "S")],
    });
    const edited = await call("PUT", `/product/202309/products/${productId}`, { body: edit });
    expect(edited.json.code).toBe(0);
    const skus = edited.json.data.skus;
    expect(skus[0]!.id).toBe(medium!.id);
    expect(skus[1]!.id).not.toBe(large!.id);
    expect(skus.map((entry) => entry.seller_sku)).toEqual(["LIN-NAV-M", "LIN-NAV-S"]);

    const snapshot = fake.snapshot().products[productId]!;
    expect(snapshot.status).toBe("PENDING");
    expect(snapshot.payload.title).toBe("Linen Shirt (relaxed fit)");
    expect(snapshot.skus.map((entry) => entry.id)).not.toContain(large!.id);
    expect(snapshot.skus[0]!.price).toEqual({ amount: "35.00", currency: "USD" });

    const foreignSku = await call("PUT", `/product/202309/products/${productId}`, { body: productBody([uri], { skus: [sku("X", "Navy", "M", { id: large!.id })] }) });
    expect(foreignSku.json.code).toBe(12052700);
    expect((await call("PUT", "/product/202309/products/404", { body: edit })).json.code).toBe(12052048);
  });

  it("updates stock and prices, reporting unknown SKUs per SKU and refusing bad values", async () => {
    const { fake, call, upload } = setup();
    const created = await call("POST", "/product/202309/products", { body: productBody([await upload()]) });
    const productId = created.json.data.product_id;
    const [medium, large] = created.json.data.skus;
    const path = `/product/202309/products/${productId}`;

    const stock = await call("POST", `${path}/inventory/update`, {
      body: {
        skus: [
          { id: medium!.id, inventory: [{ warehouse_id: WAREHOUSE, quantity: 0 }] },
          { id: large!.id, inventory: [{ quantity: 7 }] },
          { id: "999", inventory: [{ warehouse_id: WAREHOUSE, quantity: 1 }] },
        ],
      },
    });
    expect(stock.json.code).toBe(0);
    expect(stock.json.data.errors).toEqual([expect.objectContaining({ detail: { sku_id: "999" } })]);
    expect(fake.product(productId)!.skus.map((entry) => entry.inventory)).toEqual([[{ warehouse_id: WAREHOUSE, quantity: 0 }], [{ warehouse_id: WAREHOUSE, quantity: 7 }]]);

    await call("POST", `${path}/inventory/update`, { body: { skus: [{ id: medium!.id, inventory: [{ warehouse_id: OTHER_WAREHOUSE, quantity: 2 }] }] } });
    const ambiguous = await call("POST", `${path}/inventory/update`, { body: { skus: [{ id: medium!.id, inventory: [{ quantity: 2 }] }] } });
    expect(ambiguous.json.data.errors?.[0]?.detail).toEqual({ sku_id: medium!.id });

    const badQuantity = await call("POST", `${path}/inventory/update`, { body: { skus: [{ id: medium!.id, inventory: [{ warehouse_id: WAREHOUSE, quantity: -1 }] }] } });
    expect(badQuantity.json).toMatchObject({ code: 12052700, message: "skus[0].inventory[0].quantity: must be an integer between 0 and 999999" });

    const price = await call("POST", `${path}/prices/update`, { body: { skus: [{ id: large!.id, price: { amount: "42.50", currency: "USD" } }] } });
    expect(price.json).toMatchObject({ code: 0, data: {} });
    expect(fake.product(productId)!.skus[1]!.price).toEqual({ amount: "42.50", currency: "USD" });
    const wrongCurrency = await call("POST", `${path}/prices/update`, { body: { skus: [{ id: large!.id, price: { amount: "42.50", currency: "EUR" } }] } });
    expect(wrongCurrency.json.code).toBe(12052700);
    expect(wrongCurrency.json.message).toMatch(/^skus\[0\]\.price\.currency:/);
    expect(fake.product(productId)!.skus[1]!.price.amount).toBe("42.50");
  });

  it("finds products by seller SKU, a page at a time", async () => {
    const { call, upload } = setup();
    const uri = await upload();
    const shirt = await call("POST", "/product/202309/products", { body: productBody([uri]) });
    const dress = await call("POST", "/product/202309/products", {
      body: productBody([uri], { title: "Linen Dress", external_product_id: "gid://shopify/Product/2", skus: [sku("DRS-RED-S", "Red", "S")] }),
    });
    const found = await call("POST", "/product/202309/products/search", { query: { page_size: "50" }, body: { seller_skus: ["DRS-RED-S", "NOPE"] } });
    expect(found.json.data.products.map((product) => product.id)).toEqual([dress.json.data.product_id]);
    expect(found.json.data.products[0]).toMatchObject({ title: "Linen Dress", status: "PENDING", skus: [{ seller_sku: "DRS-RED-S" }] });

    const first = await call("POST", "/product/202309/products/search", { query: { page_size: "1" }, body: {} });
    expect(first.json.data).toMatchObject({ total_count: 2, products: [{ id: shirt.json.data.product_id }] });
    const second = await call("POST", "/product/202309/products/search", { query: { page_size: "1", page_token: first.json.data.next_page_token }, body: {} });
    expect(second.json.data.products[0]!.id).toBe(dress.json.data.product_id);
    expect(second.json.data.next_page_token).toBe("");
  });

  it("counts creates per external product id, so a duplicate listing shows", async () => {
    const { fake, call, upload } = setup();
    const uri = await upload();
    await call("POST", "/product/202309/products", { body: productBody([uri]) });
    await call("POST", "/product/202309/products", { body: productBody([uri]) });
    expect(fake.createCount.get("gid://shopify/Product/1")).toBe(2);
    expect(fake.products.size).toBe(2);
  });

  it("deactivates products, reporting unknown ids per product", async () => {
    const { fake, call, upload } = setup();
    const created = await call("POST", "/product/202309/products", { body: productBody([await upload()]) });
    const productId = created.json.data.product_id;
    const { json } = await call("POST", "/product/202309/products/deactivate", { body: { product_ids: [productId, "404"] } });
    expect(json.data.errors).toEqual([{ code: 12052048, message: "Product not found", detail: { product_id: "404" } }]);
    expect(fake.product(productId)?.status).toBe("SELLER_DEACTIVATED");
  });

  it("recommends a leaf category", async () => {
    const { call } = setup({ recommendedCategory: { id: "601226", name: "Shirts" } });
    const { json } = await call("POST", "/product/202309/categories/recommend", { body: { product_title: "Linen Shirt" } });
    expect(json.data.leaf_category_id).toBe("601226");
    expect(json.data.categories).toContainEqual(expect.objectContaining({ id: "601226", is_leaf: true }));
  });
});

describe("TikTok Shop fake: webhooks", () => {
  it("signs product status webhooks as TikTok does: hex HMAC-SHA256 of app_key + body", () => {
    const { fake } = setup();
    const { body, headers } = fake.signedWebhook({ product_id: "1729", status: "FAILED" });
    const expected = createHmac("sha256", APP_SECRET).update(APP_KEY + body).digest("hex");
    expect(headers.authorization).toBe(expected);
    expect(JSON.parse(body)).toEqual({ type: 5, shop_id: DEFAULT_TIKTOK_SHOPS[0]!.id, timestamp: START_SECONDS, data: { product_id: "1729", status: "FAILED", update_time: START_SECONDS } });
    const tampered = body.replace("FAILED", "ACTIVATE");
    expect(createHmac("sha256", APP_SECRET).update(APP_KEY + tampered).digest("hex")).not.toBe(headers.authorization);
  });
});

describe("TikTok Shop fake: faults", () => {
  it("throttles with HTTP 429 and fails with 503, refusing the write each time", async () => {
    const { fake, call, upload } = setup();
    const uri = await upload();
    fake.faults.failNext("throttle", "server-error");
    const throttled = await call("POST", "/product/202309/products", { body: productBody([uri]) });
    expect(throttled.response.status).toBe(429);
    expect(throttled.json).toMatchObject({ code: 36009004, message: "Too many requests" });
    const failed = await call("POST", "/product/202309/products", { body: productBody([uri]) });
    expect(failed.response.status).toBe(503);
    expect(failed.json.code).toBe(1000);
    expect(fake.products.size).toBe(0);
    expect((await call("POST", "/product/202309/products", { body: productBody([uri]) })).json.code).toBe(0);
  });

  it("can apply a create and then time out, so a blind retry lists the product twice", async () => {
    const { fake, call, upload } = setup();
    const uri = await upload();
    fake.faults.failNext({ kind: "timeout", applied: true });
    await expect(call("POST", "/product/202309/products", { body: productBody([uri]), signal: AbortSignal.timeout(30) })).rejects.toMatchObject({ name: "TimeoutError" });
    expect(fake.createCount.get("gid://shopify/Product/1")).toBe(1);
    await call("POST", "/product/202309/products", { body: productBody([uri]) });
    expect(fake.createCount.get("gid://shopify/Product/1")).toBe(2);
  });

  it("leaves OAuth and image downloads alone unless told otherwise", async () => {
    const { fake, fetch } = setup({ faults: { rate: 1, kinds: ["server-error"] } });
    expect((await fetch("https://cdn.shopify.com/s/files/1/a.jpg")).status).toBe(200);
    const url = `${AUTH}/api/v2/token/get?${new URLSearchParams({ app_key: APP_KEY, app_secret: APP_SECRET, auth_code: fake.issueAuthCode(), grant_type: "authorized_code" })}`;
    expect(((await (await fetch(url)).json()) as Envelope).code).toBe(0);
    fake.faultsOnOAuth = true;
    expect((await fetch(url)).status).toBe(503);
  });
});

describe("TikTok Shop fake through msw", () => {
  it("answers the global fetch with the same fake", async () => {
    const fake = new TikTokShopFake({ appKey: APP_KEY, appSecret: APP_SECRET });
    useChannelFakes(fake);
    const code = fake.issueAuthCode();
    const response = await globalThis.fetch(`${AUTH}/api/v2/token/get?${new URLSearchParams({ app_key: APP_KEY, app_secret: APP_SECRET, auth_code: code, grant_type: "authorized_code" })}`);
    expect(((await response.json()) as Envelope).code).toBe(0);
    expect(fake.accessTokens.size).toBe(1);
  });
});
