import { createHmac } from "node:crypto";
import { HttpResponse, delay, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { AccessTokenExpiredError, ReconnectError, RetryLaterError, type DueItem, type ItemOutcome, type PublishContext, type TikTokConnection } from "../../../app/.server/channels/publisher";
import { tiktokRequest } from "../../../app/.server/channels/tiktok/tiktok-client";
import { ACCESS_TOKEN_EXPIRED, NO_WAREHOUSE, createTikTokPublisher } from "../../../app/.server/channels/tiktok/tiktok-publisher";
import type { TikTokProductPayload } from "../../../app/domain/channels/adapters/tiktok-shop";
import { tiktokHashes } from "../../../app/domain/publishing/tiktok-changes";
import { mockServer } from "../../mocks/server";

// ---------------------------------------------------------------------------------------------
// A TikTok Shop Partner API written from the wire contract, just enough for these tests. Every
// signed call is checked with a signature computed here independently of the module under test.

const API = "https://open-api.tiktokglobalshop.com";
const APP_KEY = "6appkey0001";
const APP_SECRET = "appSECRETvalue0000000000000000ff";
const ACCESS_TOKEN = "ROW_accessTOKEN_abcdef123456";
const SHOP_CIPHER = "ROW_cipher_001";
const NOW = new Date("2025-03-01T12:00:00Z");

function referenceSign(path: string, query: Record<string, string>, body: string, secret: string): string {
  const keys = Object.keys(query).filter((key) => key !== "sign" && key !== "access_token");
  keys.sort((a, b) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) return a.charCodeAt(i) - b.charCodeAt(i);
    return a.length - b.length;
  });
  const text = path + keys.map((key) => key + query[key]).join("") + body;
  return createHmac("sha256", secret).update(secret + text + secret).digest("hex");
}

interface FakeSku {
  id: string;
  seller_sku?: string;
  external_sku_id: string;
  price: { amount: string; currency: string };
  inventory: { warehouse_id: string; quantity: number }[];
}

interface FakeProduct {
  id: string;
  title: string;
  description: string;
  category_id: string;
  status: string;
  main_images: { uri: string }[];
  skus: FakeSku[];
  audit_failed_reasons: { position: string; reasons: string[]; suggestions: string[] }[];
}

interface Call {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

function envelope(code: number, message: string, data: unknown = {}, init: { status?: number; headers?: Record<string, string> } = {}) {
  return HttpResponse.json({ code, message, request_id: `req-${code}`, data }, { status: init.status ?? 200, headers: init.headers });
}

class FakeTikTok {
  products = new Map<string, FakeProduct>();
  calls: Call[] = [];
  uploads: { fileType: string; size: number; useCase: string }[] = [];
  downloads: string[] = [];
  /** Answers returned instead of the next calls (matched by path fragment). */
  failures: { pathIncludes: string; response: () => Response }[] = [];
  inFlight = 0;
  maxInFlight = 0;
  latencyMs = 0;
  private nextId = 1;

  private id(prefix: string): string {
    return `${prefix}${this.nextId++}`;
  }

  /** Checks the signature and the other parts every signed call carries; returns an error answer or null. */
  private async authProblem(request: Request, pathname: string, rawBody: string, shopScoped: boolean): Promise<Response | null> {
    const query = Object.fromEntries(new URL(request.url).searchParams);
    if (query.app_key !== APP_KEY) return envelope(106001, "Invalid signature");
    if (referenceSign(pathname, query, rawBody, APP_SECRET) !== query.sign) return envelope(106001, "Invalid signature");
    if (Math.abs(Number(query.timestamp) - NOW.getTime() / 1000) > 300) return envelope(106002, "Timestamp expired");
    const token = request.headers.get("x-tts-access-token");
    if (token === "expired-token") return envelope(105002, "Access token expired");
    if (token !== ACCESS_TOKEN) return envelope(105001, "Invalid access token");
    if (shopScoped && query.shop_cipher !== SHOP_CIPHER) return envelope(106011, "Invalid shop_cipher");
    if (!shopScoped && query.shop_cipher !== undefined) return envelope(106011, "Invalid shop_cipher");
    return null;
  }

  private async handle(request: Request, shopScoped: boolean, answer: (body: Record<string, unknown>, path: string, query: Record<string, string>) => Response | Promise<Response>): Promise<Response> {
    const url = new URL(request.url);
    const multipart = (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");
    const rawBody = multipart || request.method === "GET" ? "" : await request.text();
    const problem = await this.authProblem(request, url.pathname, rawBody, shopScoped);
    if (problem) return problem;
    if (!multipart && rawBody !== "" && request.headers.get("content-type") !== "application/json") return envelope(12052700, "content-type must be application/json");
    const query = Object.fromEntries(url.searchParams);
    const body = rawBody === "" ? {} : (JSON.parse(rawBody) as Record<string, unknown>);
    this.calls.push({ method: request.method, path: url.pathname, query, body });
    const failure = this.failures.findIndex((entry) => url.pathname.includes(entry.pathIncludes));
    if (failure >= 0) return this.failures.splice(failure, 1)[0]!.response();
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await delay(this.latencyMs);
      return await answer(body, url.pathname, query);
    } finally {
      this.inFlight -= 1;
    }
  }

  /** The wire contract's create/edit checks, as far as these tests need them. */
  private invalid(body: Record<string, unknown>): string | null {
    const images = body.main_images as { uri?: string }[] | undefined;
    if (!Array.isArray(images) || images.length === 0 || images.some((image) => typeof image.uri !== "string" || "source_url" in image)) return "main_images: 1 to 9 uploaded images ({uri})";
    const skus = body.skus as FakeSku[];
    for (const [index, sku] of skus.entries()) {
      const amount = Number(sku.price.amount);
      if (!(amount >= 0.01 && amount <= 7600)) return `skus[${index}].price.amount: must be a decimal string between 0.01 and 7600`;
      if (!sku.inventory.every((entry) => typeof entry.warehouse_id === "string" && entry.quantity >= 0)) return `skus[${index}].inventory: warehouse_id and quantity are required`;
    }
    if ("brand" in body) return "brand: unknown field";
    return null;
  }

  private writeSkus(skus: FakeSku[], existing: FakeSku[]): FakeSku[] {
    return skus.map((sku) => {
      const kept = sku.id ? existing.find((old) => old.id === sku.id) : undefined;
      return { id: kept?.id ?? this.id("sku-"), seller_sku: sku.seller_sku, external_sku_id: sku.external_sku_id, price: sku.price, inventory: sku.inventory };
    });
  }

  private written(product: FakeProduct) {
    return { product_id: product.id, skus: product.skus.map((sku) => ({ id: sku.id, seller_sku: sku.seller_sku, external_sku_id: sku.external_sku_id, sales_attributes: [] })) };
  }

  handlers() {
    return [
      http.get("https://cdn.shopify.com/:file", ({ request, params }) => {
        this.downloads.push(request.url);
        if (params.file === "gone.jpg") return new HttpResponse("not found", { status: 404 });
        if (params.file === "flaky.jpg") return new HttpResponse("busy", { status: 503 });
        return new HttpResponse(new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]), { headers: { "content-type": "image/jpeg" } });
      }),
      http.post(`${API}/product/202309/images/upload`, ({ request }) =>
        this.handle(request, false, async () => {
          const form = await request.formData();
          const file = form.get("data");
          if (!(file instanceof Blob)) return envelope(12052700, "data: the image file is required");
          this.uploads.push({ fileType: file.type, size: file.size, useCase: String(form.get("use_case")) });
          const uri = `tos-us/img-${this.uploads.length}`;
          return envelope(0, "success", { uri, url: `https://p16.tiktokcdn.com/${uri}.jpg`, width: 800, height: 800, use_case: "MAIN_IMAGE" });
        }),
      ),
      http.post(`${API}/product/202309/products/search`, ({ request }) =>
        this.handle(request, true, (body) => {
          const sellerSkus = (body.seller_skus as string[] | undefined) ?? null;
          const products = [...this.products.values()].filter((product) => !sellerSkus || product.skus.some((sku) => sku.seller_sku && sellerSkus.includes(sku.seller_sku)));
          return envelope(0, "success", {
            products: products.map((product) => ({ id: product.id, title: product.title, status: product.status, skus: product.skus.map((sku) => ({ id: sku.id, seller_sku: sku.seller_sku })), create_time: 1, update_time: 1 })),
            next_page_token: "",
            total_count: products.length,
          });
        }),
      ),
      http.post(`${API}/product/202309/products/deactivate`, ({ request }) =>
        this.handle(request, true, (body) => {
          const errors = (body.product_ids as string[]).flatMap((id) => {
            const product = this.products.get(id);
            if (!product) return [{ code: 12052048, message: "Product not found", detail: { product_id: id } }];
            product.status = "SELLER_DEACTIVATED";
            return [];
          });
          return envelope(0, "success", errors.length > 0 ? { errors } : {});
        }),
      ),
      http.post(`${API}/product/202309/products`, ({ request }) =>
        this.handle(request, true, (body) => {
          const problem = this.invalid(body);
          if (problem) return envelope(12052700, problem);
          const product: FakeProduct = {
            id: this.id("172999"),
            title: String(body.title),
            description: String(body.description),
            category_id: String(body.category_id),
            status: "PENDING",
            main_images: body.main_images as { uri: string }[],
            skus: [],
            audit_failed_reasons: [],
          };
          product.skus = this.writeSkus(body.skus as FakeSku[], []);
          this.products.set(product.id, product);
          return envelope(0, "success", this.written(product));
        }),
      ),
      http.put(`${API}/product/202309/products/:productId`, ({ request, params }) =>
        this.handle(request, true, (body) => {
          const product = this.products.get(String(params.productId));
          if (!product) return envelope(12052048, "Product not found");
          const problem = this.invalid(body);
          if (problem) return envelope(12052700, problem);
          Object.assign(product, { title: body.title, description: body.description, category_id: body.category_id, main_images: body.main_images, status: "PENDING" });
          product.skus = this.writeSkus(body.skus as FakeSku[], product.skus);
          return envelope(0, "success", this.written(product));
        }),
      ),
      http.post(`${API}/product/202309/products/:productId/inventory/update`, ({ request, params }) =>
        this.handle(request, true, (body) => {
          const product = this.products.get(String(params.productId));
          if (!product) return envelope(12052048, "Product not found");
          for (const update of body.skus as { id: string; inventory: FakeSku["inventory"] }[]) {
            const sku = product.skus.find((candidate) => candidate.id === update.id);
            if (sku) sku.inventory = update.inventory;
          }
          return envelope(0, "success", {});
        }),
      ),
      http.post(`${API}/product/202309/products/:productId/prices/update`, ({ request, params }) =>
        this.handle(request, true, (body) => {
          const product = this.products.get(String(params.productId));
          if (!product) return envelope(12052048, "Product not found");
          for (const update of body.skus as { id: string; price: FakeSku["price"] }[]) {
            const sku = product.skus.find((candidate) => candidate.id === update.id);
            if (sku) sku.price = update.price;
          }
          return envelope(0, "success", {});
        }),
      ),
      http.get(`${API}/product/202309/products/:productId`, ({ request, params }) =>
        this.handle(request, true, () => {
          const product = this.products.get(String(params.productId));
          if (!product) return envelope(12052048, "Product not found");
          return envelope(0, "success", product);
        }),
      ),
    ];
  }

  callsTo(method: string, pathIncludes: string): Call[] {
    return this.calls.filter((call) => call.method === method && call.path.includes(pathIncludes));
  }
}

// ---------------------------------------------------------------------------------------------
// Records and context

const CONNECTION: TikTokConnection = {
  channel: "tiktok",
  appKey: APP_KEY,
  appSecret: APP_SECRET,
  accessToken: ACCESS_TOKEN,
  shopCipher: SHOP_CIPHER,
  warehouseMap: { "gid://shopify/Location/1": "wh-default", "gid://shopify/Location/2": "wh-other" },
};

function payload(n: number, overrides: Partial<TikTokProductPayload> = {}, skus: Partial<TikTokProductPayload["skus"][number]>[] = [{}, {}]): TikTokProductPayload {
  return {
    title: `Ceramic mug ${n}`,
    description: "<p>A mug.</p>",
    category_id: "601226",
    brand: { name: "Acme" },
    main_images: [{ source_url: "https://cdn.shopify.com/shared.jpg" }, { source_url: `https://cdn.shopify.com/mug-${n}.jpg` }],
    skus: skus.map((sku, index) => ({
      external_sku_id: `gid://shopify/ProductVariant/${n}0${index}`,
      seller_sku: `MUG-${n}-${index}`,
      price: { amount: "12.00", currency: "USD" },
      inventory: [{ quantity: 5 + index }],
      sales_attributes: [{ name: "Color", value_name: `Color ${index}` }],
      ...sku,
    })),
    package_weight: { value: "0.4", unit: "KILOGRAM" },
    external_product_id: `gid://shopify/Product/${n}`,
    ...overrides,
  };
}

function newItem(n: number, body: TikTokProductPayload = payload(n), sent: Partial<DueItem["sent"]> = {}): DueItem {
  return {
    key: `group-${n}`,
    productId: `gid://shopify/Product/${n}`,
    itemIds: body.skus.map((sku) => sku.external_sku_id),
    desired: { ...tiktokHashes(body), payload: body },
    sent: { hash: null, stockHash: null, priceHash: null, remoteId: null, remoteSkus: null, createStartedAt: null, ...sent },
  };
}

/** The record after TikTok acknowledged `before` (with `outcome`), now wanted as `after`. */
function changedItem(n: number, before: TikTokProductPayload, outcome: ItemOutcome, after: TikTokProductPayload | null): DueItem {
  if (outcome.kind !== "live") throw new Error(`expected live, got ${outcome.kind}`);
  const item = newItem(n, before, { ...tiktokHashes(before), remoteId: outcome.remoteId ?? null, remoteSkus: outcome.remoteSkus ?? null });
  return { ...item, desired: after ? { ...tiktokHashes(after), payload: after } : null };
}

interface TestContext extends PublishContext<TikTokConnection> {
  events: string[];
  imageCache: Map<string, { uri: string; url: string | null }>;
  calls: number;
  clock: { now: Date };
}

function context(connection: Partial<TikTokConnection> = {}, imageCache = new Map<string, { uri: string; url: string | null }>()): TestContext {
  const ctx: TestContext = {
    shop: "acme.myshopify.com",
    market: "US",
    connection: { ...CONNECTION, ...connection },
    fetch: (input, init) => fetch(input, init),
    clock: { now: NOW },
    now: () => ctx.clock.now,
    sleep: () => Promise.resolve(),
    events: [],
    imageCache,
    calls: 0,
    markCreateStarted: (keys) => {
      ctx.events.push(`markCreateStarted:${keys.join(",")}`);
      return Promise.resolve();
    },
    images: {
      get: (urls) => Promise.resolve(new Map(urls.flatMap((url) => (imageCache.has(url) ? [[url, imageCache.get(url)!] as const] : [])))),
      put: (url, image) => {
        imageCache.set(url, { uri: image.uri, url: image.url });
        ctx.events.push(`put:${url}`);
        return Promise.resolve();
      },
    },
    countCall: () => {
      ctx.calls += 1;
    },
  };
  return ctx;
}

function only<T>(values: T[]): T {
  expect(values).toHaveLength(1);
  return values[0] as T;
}

function live(outcomes: ItemOutcome[], key: string): Extract<ItemOutcome, { kind: "live" }> {
  const outcome = outcomes.find((candidate) => candidate.key === key);
  expect(outcome?.kind).toBe("live");
  return outcome as Extract<ItemOutcome, { kind: "live" }>;
}

// ---------------------------------------------------------------------------------------------

describe("TikTok Shop publisher", () => {
  let tiktok: FakeTikTok;

  beforeEach(() => {
    tiktok = new FakeTikTok();
    mockServer.use(...tiktok.handlers());
  });

  /** Creates products through the publisher and returns their outcomes. */
  async function created(...numbers: number[]): Promise<ItemOutcome[]> {
    const outcomes = await createTikTokPublisher().publish(context(), numbers.map((n) => newItem(n)));
    tiktok.calls = [];
    tiktok.uploads = [];
    return outcomes;
  }

  it("creates products: uploads each image once, reuses the cache, sends URIs and the default warehouse", async () => {
    const ctx = context();
    const publisher = createTikTokPublisher();
    const outcomes = await publisher.publish(ctx, [newItem(1), newItem(2)]);

    // shared.jpg, mug-1.jpg and mug-2.jpg: three uploads for four image references.
    expect(tiktok.uploads).toHaveLength(3);
    expect(tiktok.uploads.every((upload) => upload.useCase === "MAIN_IMAGE" && upload.fileType === "image/jpeg" && upload.size > 0)).toBe(true);
    expect([...ctx.imageCache.keys()].sort()).toEqual(["https://cdn.shopify.com/mug-1.jpg", "https://cdn.shopify.com/mug-2.jpg", "https://cdn.shopify.com/shared.jpg"]);

    const creates = tiktok.callsTo("POST", "/product/202309/products").filter((call) => call.path === "/product/202309/products");
    expect(creates).toHaveLength(2);
    for (const call of creates) {
      const body = call.body as { main_images: unknown[]; skus: { inventory: unknown[] }[] };
      expect(body.main_images).toEqual([{ uri: ctx.imageCache.get("https://cdn.shopify.com/shared.jpg")?.uri }, { uri: expect.stringMatching(/^tos-us\/img-/) }]);
      expect(body.skus.map((sku) => sku.inventory)).toEqual([[{ warehouse_id: "wh-default", quantity: 5 }], [{ warehouse_id: "wh-default", quantity: 6 }]]);
      expect(JSON.stringify(body)).not.toContain("source_url");
    }

    const first = live(outcomes, "group-1");
    const product = tiktok.products.get(first.remoteId ?? "");
    expect(product?.title).toBe("Ceramic mug 1");
    expect(first.remoteSkus).toEqual({
      "gid://shopify/ProductVariant/100": product?.skus[0]?.id,
      "gid://shopify/ProductVariant/101": product?.skus[1]?.id,
    });
    expect(live(outcomes, "group-2").remoteId).not.toBe(first.remoteId);
    // The create was announced before it was sent, for each record.
    expect(ctx.events.filter((event) => event.startsWith("markCreateStarted")).sort()).toEqual(["markCreateStarted:group-1", "markCreateStarted:group-2"]);
    expect(ctx.calls).toBe(tiktok.calls.length);

    // A later run with the shop's cache uploads only the new image.
    tiktok.uploads = [];
    const later = context({}, ctx.imageCache);
    const third = payload(3, { main_images: [{ source_url: "https://cdn.shopify.com/shared.jpg" }, { source_url: "https://cdn.shopify.com/mug-1.jpg" }] });
    const outcomes3 = await publisher.publish(later, [newItem(3, third)]);
    expect(live(outcomes3, "group-3").remoteId).toBeDefined();
    expect(tiktok.uploads).toHaveLength(0);
    expect(tiktok.downloads.filter((url) => url.endsWith("shared.jpg"))).toHaveLength(1);
  });

  it("announces a create before sending it", async () => {
    const ctx = context();
    const publisher = createTikTokPublisher();
    let productsWhenMarked = -1;
    ctx.markCreateStarted = () => {
      productsWhenMarked = tiktok.products.size;
      return Promise.resolve();
    };
    await publisher.publish(ctx, [newItem(1)]);
    expect(productsWhenMarked).toBe(0);
    expect(tiktok.products.size).toBe(1);
  });

  it("sends a stock-only change through inventory/update only", async () => {
    const [outcome] = await created(1);
    const after = payload(1, {}, [{ inventory: [{ quantity: 0 }] }, {}]);
    const outcomes = await createTikTokPublisher().publish(context(), [changedItem(1, payload(1), outcome!, after)]);
    expect(live(outcomes, "group-1").remoteSkus).toEqual(outcome?.kind === "live" ? outcome.remoteSkus : null);
    const call = only(tiktok.calls);
    expect(call.path).toBe(`/product/202309/products/${outcome?.kind === "live" ? outcome.remoteId : ""}/inventory/update`);
    const product = [...tiktok.products.values()][0]!;
    expect(call.body).toEqual({
      skus: [
        { id: product.skus[0]!.id, inventory: [{ warehouse_id: "wh-default", quantity: 0 }] },
        { id: product.skus[1]!.id, inventory: [{ warehouse_id: "wh-default", quantity: 6 }] },
      ],
    });
    expect(product.skus[0]?.inventory).toEqual([{ warehouse_id: "wh-default", quantity: 0 }]);
    expect(tiktok.uploads).toHaveLength(0);
  });

  it("sends a price-only change through prices/update only", async () => {
    const [outcome] = await created(1);
    const after = payload(1, {}, [{}, { price: { amount: "15.50", currency: "USD" } }]);
    const outcomes = await createTikTokPublisher().publish(context(), [changedItem(1, payload(1), outcome!, after)]);
    expect(live(outcomes, "group-1").kind).toBe("live");
    const call = only(tiktok.calls);
    expect(call.path).toMatch(/\/prices\/update$/);
    const product = [...tiktok.products.values()][0]!;
    expect(call.body).toEqual({
      skus: [
        { id: product.skus[0]!.id, price: { amount: "12.00", currency: "USD" } },
        { id: product.skus[1]!.id, price: { amount: "15.50", currency: "USD" } },
      ],
    });
    expect(product.skus[1]?.price.amount).toBe("15.50");
  });

  it("sends stock and price changes through both endpoints", async () => {
    const [outcome] = await created(1);
    const after = payload(1, {}, [{ inventory: [{ quantity: 1 }], price: { amount: "10.00", currency: "USD" } }, {}]);
    await createTikTokPublisher().publish(context(), [changedItem(1, payload(1), outcome!, after)]);
    expect(tiktok.calls.map((call) => call.path.split("/").slice(-2).join("/"))).toEqual(["inventory/update", "prices/update"]);
  });

  it("sends a content change as a full edit that keeps the SKUs by id", async () => {
    const [outcome] = await created(1);
    const product = [...tiktok.products.values()][0]!;
    const skuIds = product.skus.map((sku) => sku.id);
    const after = payload(1, { title: "Stoneware mug 1" }, [{ inventory: [{ quantity: 2 }] }, {}, {}]);
    const outcomes = await createTikTokPublisher().publish(context(), [changedItem(1, payload(1), outcome!, after)]);

    const call = only(tiktok.calls.filter((entry) => !entry.path.endsWith("images/upload")));
    expect(call.method).toBe("PUT");
    expect(call.path).toBe(`/product/202309/products/${product.id}`);
    const skus = (call.body as { skus: { id?: string }[] }).skus;
    expect(skus.map((sku) => sku.id)).toEqual([skuIds[0], skuIds[1], undefined]);
    expect(product.title).toBe("Stoneware mug 1");
    expect(product.skus.slice(0, 2).map((sku) => sku.id)).toEqual(skuIds);
    const remoteSkus = live(outcomes, "group-1").remoteSkus ?? {};
    expect(Object.keys(remoteSkus)).toHaveLength(3);
    expect(remoteSkus["gid://shopify/ProductVariant/100"]).toBe(skuIds[0]);
    expect(remoteSkus["gid://shopify/ProductVariant/102"]).toBe(product.skus[2]?.id);
  });

  it("deactivates a record that should be gone", async () => {
    const [outcome] = await created(1);
    const outcomes = await createTikTokPublisher().publish(context(), [changedItem(1, payload(1), outcome!, null)]);
    expect(outcomes).toEqual([{ key: "group-1", kind: "deleted" }]);
    const call = only(tiktok.calls);
    expect(call).toMatchObject({ method: "POST", path: "/product/202309/products/deactivate", body: { product_ids: [outcome?.kind === "live" ? outcome.remoteId : ""] } });
    expect([...tiktok.products.values()][0]?.status).toBe("SELLER_DEACTIVATED");
  });

  it("adopts the product a lost create made instead of creating it twice", async () => {
    await created(1);
    const product = [...tiktok.products.values()][0]!;
    const ctx = context();
    const retried = newItem(1, payload(1), { createStartedAt: new Date("2025-03-01T11:59:00Z") });
    const outcomes = await createTikTokPublisher().publish(ctx, [retried]);

    const adopted = live(outcomes, "group-1");
    expect(adopted.remoteId).toBe(product.id);
    expect(adopted.remoteSkus).toEqual({ "gid://shopify/ProductVariant/100": product.skus[0]?.id, "gid://shopify/ProductVariant/101": product.skus[1]?.id });
    expect(tiktok.products.size).toBe(1);
    expect(tiktok.callsTo("POST", "/product/202309/products").filter((call) => call.path === "/product/202309/products")).toHaveLength(0);
    expect(only(tiktok.callsTo("POST", "/products/search")).body).toEqual({ seller_skus: ["MUG-1-0", "MUG-1-1"] });
    // Same content: nothing to edit.
    expect(tiktok.callsTo("PUT", "/products/")).toHaveLength(0);
    expect(ctx.events.some((event) => event.startsWith("markCreateStarted"))).toBe(false);
  });

  it("edits an adopted product whose content differs, and creates when the lookup finds nothing", async () => {
    await created(1);
    const product = [...tiktok.products.values()][0]!;
    const changed = newItem(1, payload(1, { title: "Renamed mug" }), { createStartedAt: NOW });
    const outcomes = await createTikTokPublisher().publish(context(), [changed, newItem(2, payload(2), { createStartedAt: NOW })]);
    expect(live(outcomes, "group-1").remoteId).toBe(product.id);
    expect(only(tiktok.callsTo("PUT", "/products/")).path).toBe(`/product/202309/products/${product.id}`);
    expect(product.title).toBe("Renamed mug");
    expect(tiktok.products.size).toBe(2);
    expect(live(outcomes, "group-2").remoteId).not.toBe(product.id);
  });

  it("turns a throttle into a retry with TikTok's wait, and leaves the shop alone until then", async () => {
    tiktok.failures.push({ pathIncludes: "/product/202309/products", response: () => envelope(36009004, "Too many requests", {}, { status: 429, headers: { "Retry-After": "7" } }) });
    const ctx = context();
    const publisher = createTikTokPublisher({ concurrency: 1 });
    const outcomes = await publisher.publish(ctx, [newItem(1), newItem(2)]);
    expect(outcomes).toEqual([{ key: "group-1", kind: "retry", reason: expect.stringContaining("Too many requests"), waitMs: 7000 }]);
    // group-2 was not started: it stays due.
    expect(tiktok.products.size).toBe(0);

    await expect(publisher.publish(ctx, [newItem(2)])).rejects.toBeInstanceOf(RetryLaterError);
    ctx.clock.now = new Date(NOW.getTime() + 8_000);
    const afterWait = await publisher.publish(ctx, [newItem(2)]);
    expect(live(afterWait, "group-2").remoteId).toBeDefined();
  });

  it("retries an item when TikTok is down", async () => {
    tiktok.failures.push({ pathIncludes: "/product/202309/products", response: () => envelope(1000, "Internal error", {}, { status: 503 }) });
    const outcomes = await createTikTokPublisher().publish(context(), [newItem(1)]);
    expect(outcomes).toEqual([{ key: "group-1", kind: "retry", reason: expect.stringContaining("Internal error") }]);
  });

  it("rejects a product TikTok refuses, with TikTok's message naming the field", async () => {
    const outcomes = await createTikTokPublisher().publish(context(), [newItem(1, payload(1, {}, [{ price: { amount: "9000.00", currency: "USD" } }]))]);
    const outcome = only(outcomes);
    expect(outcome.kind).toBe("rejected");
    const diagnostic = only(outcome.kind === "rejected" ? outcome.diagnostics : []);
    expect(diagnostic).toMatchObject({ code: "tiktok.request_rejected", source: "tiktok", field: "skus[0].price.amount", itemId: "group-1", market: "US" });
    expect(diagnostic.message).toContain("skus[0].price.amount: must be a decimal string between 0.01 and 7600");
  });

  it("stops with ReconnectError when TikTok calls the token expired or unknown, never echoing it", async () => {
    await expect(createTikTokPublisher().publish(context({ accessToken: "expired-token" }), [newItem(1)])).rejects.toThrow(new AccessTokenExpiredError(ACCESS_TOKEN_EXPIRED));
    const unknown = createTikTokPublisher().publish(context({ accessToken: "nobody-knows-this-token" }), [newItem(1)]);
    await expect(unknown).rejects.toBeInstanceOf(ReconnectError);
    await expect(unknown).rejects.toThrow(/Connect TikTok Shop again/);
    await unknown.catch((error: Error) => expect(error.message).not.toContain("nobody-knows-this-token"));

    // Images already cached: the create itself is refused.
    const cache = new Map([1, 2].map((n) => [n === 1 ? "https://cdn.shopify.com/shared.jpg" : "https://cdn.shopify.com/mug-1.jpg", { uri: `tos-us/cached-${n}`, url: null }]));
    const ctx = context({ accessToken: "expired-token" }, cache);
    await expect(createTikTokPublisher().publish(ctx, [newItem(1)])).rejects.toThrow(ACCESS_TOKEN_EXPIRED);
    expect(ctx.events).toEqual(["markCreateStarted:group-1"]);
    expect(tiktok.products.size).toBe(0);
  });

  it("cannot list a product without a mapped warehouse", async () => {
    const outcomes = await createTikTokPublisher().publish(context({ warehouseMap: {} }), [newItem(1)]);
    expect(outcomes).toEqual([{ key: "group-1", kind: "dead", reason: NO_WAREHOUSE }]);
    expect(tiktok.calls).toHaveLength(0);
  });

  it("gives up on an image that is gone and retries one whose host is busy", async () => {
    const gone = payload(1, { main_images: [{ source_url: "https://cdn.shopify.com/gone.jpg" }] });
    const busy = payload(2, { main_images: [{ source_url: "https://cdn.shopify.com/flaky.jpg" }] });
    const outcomes = await createTikTokPublisher().publish(context(), [newItem(1, gone), newItem(2, busy)]);
    expect(outcomes).toEqual([
      { key: "group-1", kind: "dead", reason: expect.stringContaining("https://cdn.shopify.com/gone.jpg could not be downloaded (HTTP 404)") },
      { key: "group-2", kind: "retry", reason: expect.stringContaining("HTTP 503") },
    ]);
    expect(tiktok.products.size).toBe(0);
  });

  it("makes at most 2 calls to a shop at a time", async () => {
    tiktok.latencyMs = 20;
    const publisher = createTikTokPublisher();
    const ctx = context();
    await Promise.all([publisher.publish(ctx, [1, 2, 3].map((n) => newItem(n))), publisher.publish({ ...ctx, market: "GB" }, [4, 5].map((n) => newItem(n)))]);
    expect(tiktok.products.size).toBe(5);
    expect(tiktok.maxInFlight).toBe(2);
  });

  describe("readBack", () => {
    it("reads TikTok's audit verdicts", async () => {
      const outcomes = await created(1, 2, 3, 4);
      const ids = outcomes.map((outcome) => (outcome.kind === "live" ? (outcome.remoteId ?? null) : null));
      const failed = tiktok.products.get(ids[0]!)!;
      failed.status = "FAILED";
      failed.audit_failed_reasons = [{ position: "main_images[0]", reasons: ["The image shows a watermark"], suggestions: ["Use a photo without text.", "Use a white background."] }];
      tiktok.products.get(ids[1]!)!.status = "ACTIVATE";
      tiktok.products.get(ids[3]!)!.status = "PLATFORM_DEACTIVATED";
      const items = [1, 2, 3, 4].map((n, index) => ({ key: `group-${n}`, productId: `gid://shopify/Product/${n}`, itemIds: [], remoteId: ids[index] ?? null }));
      items.push({ key: "group-9", productId: "gid://shopify/Product/9", itemIds: [], remoteId: "no-such-product" });
      items.push({ key: "group-10", productId: "gid://shopify/Product/10", itemIds: [], remoteId: null });

      const entries = await createTikTokPublisher().readBack(context(), items);
      const byKey = new Map(entries.map((entry) => [entry.key, entry]));
      expect(byKey.get("group-1")).toMatchObject({ state: "rejected" });
      expect(byKey.get("group-1")?.diagnostics).toEqual([
        expect.objectContaining({
          code: "tiktok.audit_failed",
          severity: "error",
          source: "tiktok",
          field: "main_images[0]",
          message: "main_images[0]: The image shows a watermark",
          fix: "Use a photo without text. Use a white background.",
          itemId: "group-1",
          productId: "gid://shopify/Product/1",
        }),
      ]);
      expect(byKey.get("group-2")).toEqual({ key: "group-2", state: "live", diagnostics: [] });
      expect(byKey.get("group-3")).toEqual({ key: "group-3", state: "live", diagnostics: [] });
      expect(byKey.get("group-4")).toMatchObject({ state: "rejected", diagnostics: [expect.objectContaining({ code: "tiktok.platform_deactivated" })] });
      expect(byKey.get("group-9")).toEqual({ key: "group-9", state: "missing", diagnostics: [] });
      expect(byKey.get("group-10")).toEqual({ key: "group-10", state: "missing", diagnostics: [] });
    });
  });
});

describe("tiktokRequest", () => {
  const auth = { appKey: APP_KEY, appSecret: APP_SECRET, accessToken: ACCESS_TOKEN, shopCipher: SHOP_CIPHER };
  const path = "/product/202309/products/1";

  it.each([
    [{ code: 105002, message: "Access token expired" }, 200, "refresh"],
    [{ code: 105001, message: "Invalid access token" }, 200, "reconnect"],
    [{ code: 105005, message: "API package not granted" }, 200, "reconnect"],
    [{ code: 36004005, message: "No auth record" }, 200, "reconnect"],
    [{ code: 36009004, message: "Too many requests" }, 429, "retry"],
    [{ code: 1000, message: "Internal error" }, 500, "retry"],
    [{ code: 12052700, message: "title: required" }, 200, "invalid"],
  ] as const)("classifies %o (HTTP %i) as %s", async (answer, status, kind) => {
    mockServer.use(http.get(`${API}${path}`, () => HttpResponse.json({ ...answer, request_id: "r-1" }, { status })));
    const result = await tiktokRequest(fetch, { method: "GET", path, auth, now: NOW });
    expect(result).toMatchObject({ ok: false, kind, code: answer.code, requestId: "r-1" });
  });

  it("retries network errors and timeouts, scrubs secrets, and signs the exact body sent", async () => {
    mockServer.use(http.get(`${API}${path}`, () => HttpResponse.error()));
    expect(await tiktokRequest(fetch, { method: "GET", path, auth, now: NOW })).toMatchObject({ ok: false, kind: "retry", code: null });

    mockServer.use(
      http.get(`${API}${path}`, async () => {
        await delay(200);
        return HttpResponse.json({ code: 0, message: "success", request_id: "r", data: {} });
      }),
    );
    expect(await tiktokRequest(fetch, { method: "GET", path, auth, now: NOW, timeoutMs: 20 })).toMatchObject({ ok: false, kind: "retry", message: "TikTok Shop did not answer in time" });

    mockServer.use(http.get(`${API}${path}`, () => HttpResponse.json({ code: 12052700, message: `bad ${ACCESS_TOKEN} and ${APP_SECRET}`, request_id: "r" })));
    const scrubbed = await tiktokRequest(fetch, { method: "GET", path, auth, now: NOW });
    expect(JSON.stringify(scrubbed)).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(scrubbed)).not.toContain(APP_SECRET);

    let verified = false;
    mockServer.use(
      http.post(`${API}/product/202309/products`, async ({ request }) => {
        const url = new URL(request.url);
        const raw = await request.text();
        verified = referenceSign(url.pathname, Object.fromEntries(url.searchParams), raw, APP_SECRET) === url.searchParams.get("sign") && raw.includes("Tasse à café ☕");
        return HttpResponse.json({ code: 0, message: "success", request_id: "r", data: { product_id: "1" } });
      }),
    );
    const created = await tiktokRequest(fetch, { method: "POST", path: "/product/202309/products", body: { title: "Tasse à café ☕" }, auth, now: NOW });
    expect(created).toEqual({ ok: true, data: { product_id: "1" }, requestId: "r" });
    expect(verified).toBe(true);
  });
});
