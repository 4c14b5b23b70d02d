import { z } from "zod";
import type { TikTokProductPayload } from "~/domain/channels/adapters/tiktok-shop";
import type { Diagnostic } from "~/domain/channels/types";
import {
  auditDiagnostics,
  parseTikTokPayload,
  planTikTokWrite,
  requestRejectedDiagnostic,
  statusDiagnostics,
  tiktokInventoryBody,
  tiktokPriceBody,
  tiktokProductBody,
  type TikTokDiagnosticSubject,
} from "~/domain/publishing/tiktok-changes";
import {
  AccessTokenExpiredError,
  ReconnectError,
  RetryLaterError,
  type ChannelPublisher,
  type DueItem,
  type ItemOutcome,
  type PublishContext,
  type ReadBackEntry,
  type TikTokConnection,
} from "../publisher";
import {
  DEFAULT_TIKTOK_TIMEOUT_MS,
  DEFAULT_TIKTOK_UPLOAD_TIMEOUT_MS,
  describeTikTokFailure,
  tiktokRequest,
  tiktokUpload,
  type TikTokFailure,
  type TikTokMethod,
  type TikTokResult,
} from "./tiktok-client";

/**
 * Publishes TikTok Shop product records (one per product, SKUs inside) through the Partner API.
 * Per due item, planTikTokWrite picks the cheapest write: create, full edit (PUT with the known SKU
 * ids, so SKUs are kept), inventory/update, prices/update, or deactivate.
 *
 * - Images: TikTok lists only images it hosts. Each source URL is looked up in the shop's cache
 *   (tiktok_image); a missing one is downloaded and uploaded (MAIN_IMAGE) once, then cached.
 * - Stock goes to the connection's default warehouse (the first entry of warehouseMap).
 * - A create is announced (markCreateStarted) before it is sent; if that announcement is found on a
 *   later attempt, the product is looked up by SKU and adopted instead of created twice.
 * - Success means TikTok accepted the write: its audit verdict arrives later (readBack, webhook).
 * - At most 2 calls per shop run at a time (the spec's rate limits are unconfirmed). After a throttle
 *   answer (HTTP 429, code 36009004) the item gets a retry outcome with TikTok's Retry-After (else
 *   a minute), no further item is started (items without an outcome stay due), and a publish or
 *   read-back for that shop asked before the wait is over throws RetryLaterError without calling.
 * - An access token TikTok calls expired is not refreshed here: the connection layer refreshes ahead
 *   of expiry, so this is rare. AccessTokenExpiredError(ACCESS_TOKEN_EXPIRED) is thrown; the engine asks the
 *   connection layer to refresh the token and runs the publish once more before asking the merchant.
 */

export const ACCESS_TOKEN_EXPIRED = "TikTok says the access token expired; Shelfcast will refresh it";
export const NO_WAREHOUSE = "Map a Shopify location to a TikTok warehouse in Settings → Channels";
/** TikTok's "Product not found". */
const PRODUCT_NOT_FOUND = 12052048;
/** channels.md §2.2: main images are at most 5 MB. */
const DEFAULT_IMAGE_MAX_BYTES = 5 * 1024 * 1024;
const MAX_CONCURRENT_CALLS_PER_SHOP = 2;
/** How long a shop is left alone after a throttle answer without Retry-After. */
export const DEFAULT_THROTTLE_WAIT_MS = 60_000;
/** Adoption after a lost create answer looks through at most this many search pages. */
const MAX_SEARCH_PAGES = 20;
const SEARCH_PAGE_SIZE = "50";

export interface TikTokPublisherOptions {
  /** Concurrent TikTok calls per shop, 1 or 2 (default 2). */
  concurrency?: number;
  timeoutMs?: number;
  uploadTimeoutMs?: number;
  imageMaxBytes?: number;
}

// ---------------------------------------------------------------------------------------------
// Concurrency: one limiter per shop, shared by every publish and read-back of this publisher

class Limiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter, so `active` stays at the limit.
      if (next) next();
      else this.active -= 1;
    }
  }
}

/** Runs `work` over the items with `concurrency` workers, in input order; starts no item once `stop()` says so or a worker threw. */
async function eachConcurrently<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>, stop: () => boolean): Promise<R[]> {
  const results: (R | undefined)[] = new Array(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (!stop() && failure === null && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  return results.filter((result): result is R => result !== undefined);
}

// ---------------------------------------------------------------------------------------------
// TikTok's answers

const IdSchema = z.union([z.string().min(1), z.number()]).transform(String);

const WrittenProductSchema = z.object({
  product_id: IdSchema,
  skus: z
    .array(z.object({ id: IdSchema, seller_sku: z.string().nullish(), external_sku_id: z.string().nullish() }))
    .nullish(),
});

const UploadedImageSchema = z.object({
  uri: z.string().min(1),
  url: z.string().nullish(),
  width: z.number().nullish(),
  height: z.number().nullish(),
});

const SearchSchema = z.object({
  products: z
    .array(
      z.object({
        id: IdSchema,
        title: z.string().nullish(),
        status: z.string().nullish(),
        skus: z.array(z.object({ id: IdSchema, seller_sku: z.string().nullish() })).nullish(),
      }),
    )
    .nullish(),
  next_page_token: z.string().nullish(),
});

const ProductDetailSchema = z.object({
  id: IdSchema,
  status: z.string().nullish(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  category_id: IdSchema.nullish(),
  external_product_id: z.string().nullish(),
  audit_failed_reasons: z
    .array(z.object({ position: z.string().nullish(), reasons: z.array(z.string()).nullish(), suggestions: z.array(z.string()).nullish() }))
    .nullish(),
  skus: z
    .array(
      z.object({
        id: IdSchema,
        seller_sku: z.string().nullish(),
        external_sku_id: z.string().nullish(),
        price: z.object({ amount: z.string(), currency: z.string() }).nullish(),
        inventory: z.array(z.object({ warehouse_id: IdSchema.nullish(), quantity: z.number() })).nullish(),
      }),
    )
    .nullish(),
});
type ProductDetail = z.infer<typeof ProductDetailSchema>;

const WriteErrorsSchema = z.object({
  errors: z.array(z.object({ code: z.number().nullish(), message: z.string().nullish() })).nullish(),
});

function writeErrors(data: Record<string, unknown>): { code: number | null; message: string }[] {
  const parsed = WriteErrorsSchema.safeParse(data);
  if (!parsed.success) return [];
  return (parsed.data.errors ?? []).map((error) => ({ code: error.code ?? null, message: error.message ?? "Unknown error" }));
}

/** external_sku_id → TikTok SKU id, from TikTok's answer; SKUs it names only by seller_sku or position are matched to the payload. */
function remoteSkusFrom(payload: TikTokProductPayload, answered: readonly { id: string; seller_sku?: string | null; external_sku_id?: string | null }[]): Record<string, string> {
  const remoteSkus: Record<string, string> = {};
  answered.forEach((sku, index) => {
    const external =
      sku.external_sku_id ??
      (sku.seller_sku ? payload.skus.find((candidate) => candidate.seller_sku === sku.seller_sku)?.external_sku_id : undefined) ??
      (answered.length === payload.skus.length ? payload.skus[index]?.external_sku_id : undefined);
    if (external) remoteSkus[external] = sku.id;
  });
  return remoteSkus;
}

// ---------------------------------------------------------------------------------------------
// One publish (or read-back) call

type ImageResult = { ok: true; uri: string } | { ok: false; kind: "retry" | "dead"; reason: string; waitMs?: number };

class TikTokSession {
  private readonly cachedImages = new Map<string, string>();
  private readonly pendingImages = new Map<string, Promise<ImageResult>>();

  constructor(
    private readonly ctx: PublishContext<TikTokConnection>,
    private readonly limiter: Limiter,
    private readonly options: Required<TikTokPublisherOptions>,
  ) {}

  private get auth() {
    const { appKey, appSecret, accessToken, shopCipher } = this.ctx.connection;
    return { appKey, appSecret, accessToken, shopCipher };
  }

  subject(item: { key: string; productId: string }): TikTokDiagnosticSubject {
    return { market: this.ctx.market, key: item.key, productId: item.productId };
  }

  /** Set once TikTok answered with a throttle (the wait it asked for): no further item is started in this run. */
  throttledForMs: number | null = null;

  private async limited(send: () => Promise<TikTokResult>): Promise<TikTokResult> {
    const result = await this.limiter.run(() => {
      this.ctx.countCall();
      return send();
    });
    if (!result.ok && result.throttled) this.throttledForMs = Math.max(this.throttledForMs ?? 0, result.waitMs ?? DEFAULT_THROTTLE_WAIT_MS);
    return result;
  }

  call(method: TikTokMethod, path: string, body?: unknown, query?: Record<string, string>): Promise<TikTokResult> {
    return this.limited(() => tiktokRequest(this.ctx.fetch, { method, path, query, body, auth: this.auth, now: this.ctx.now(), timeoutMs: this.options.timeoutMs }));
  }

  /** The default warehouse: the first entry of the location → warehouse map. */
  get warehouseId(): string | null {
    return Object.values(this.ctx.connection.warehouseMap)[0] ?? null;
  }

  // --- images -------------------------------------------------------------------------------

  async loadImageCache(sourceUrls: readonly string[]): Promise<void> {
    if (sourceUrls.length === 0) return;
    const found = await this.ctx.images.get([...new Set(sourceUrls)]);
    for (const [sourceUrl, image] of found) this.cachedImages.set(sourceUrl, image.uri);
  }

  /** TikTok URIs for the source URLs, in order; the first that cannot be had decides the item's outcome. */
  async imageUris(sourceUrls: readonly string[]): Promise<{ ok: true; uris: string[] } | Extract<ImageResult, { ok: false }>> {
    const results = await Promise.all(sourceUrls.map((url) => this.imageUri(url)));
    const uris: string[] = [];
    for (const result of results) {
      if (!result.ok) return result;
      uris.push(result.uri);
    }
    return { ok: true, uris };
  }

  private imageUri(sourceUrl: string): Promise<ImageResult> {
    const cached = this.cachedImages.get(sourceUrl);
    if (cached !== undefined) return Promise.resolve({ ok: true, uri: cached });
    let pending = this.pendingImages.get(sourceUrl);
    if (!pending) {
      // Items sharing an image wait for one upload. A success is cached; a failure may be tried again by a later item.
      pending = this.uploadImage(sourceUrl).then(
        (result) => {
          if (result.ok) this.cachedImages.set(sourceUrl, result.uri);
          this.pendingImages.delete(sourceUrl);
          return result;
        },
        (error: unknown) => {
          this.pendingImages.delete(sourceUrl);
          throw error;
        },
      );
      this.pendingImages.set(sourceUrl, pending);
    }
    return pending;
  }

  private async uploadImage(sourceUrl: string): Promise<ImageResult> {
    const download = await this.downloadImage(sourceUrl);
    if (!download.ok) return download;
    const form = new FormData();
    form.append("data", new Blob([download.bytes], { type: download.contentType }), download.fileName);
    form.append("use_case", "MAIN_IMAGE");
    const result = await this.limited(() =>
      tiktokUpload(this.ctx.fetch, { path: "/product/202309/images/upload", form, auth: this.auth, now: this.ctx.now(), timeoutMs: this.options.uploadTimeoutMs }),
    );
    if (!result.ok) {
      throwOnAuthFailure(result);
      const reason = `TikTok Shop did not take the image ${sourceUrl}: ${describeTikTokFailure(result)}`;
      if (result.kind !== "retry") return { ok: false, kind: "dead", reason };
      const waitMs = result.waitMs ?? (result.throttled ? DEFAULT_THROTTLE_WAIT_MS : undefined);
      return { ok: false, kind: "retry", reason, ...(waitMs !== undefined ? { waitMs } : {}) };
    }
    const parsed = UploadedImageSchema.safeParse(result.data);
    if (!parsed.success) return { ok: false, kind: "retry", reason: `TikTok Shop's answer to the upload of ${sourceUrl} was not understood` };
    const image = { uri: parsed.data.uri, url: parsed.data.url ?? null, width: parsed.data.width ?? null, height: parsed.data.height ?? null };
    await this.ctx.images.put(sourceUrl, image);
    return { ok: true, uri: image.uri };
  }

  private async downloadImage(sourceUrl: string): Promise<{ ok: true; bytes: ArrayBuffer; contentType: string; fileName: string } | Extract<ImageResult, { ok: false }>> {
    let response: Response;
    try {
      response = await this.ctx.fetch(sourceUrl, { signal: AbortSignal.timeout(this.options.timeoutMs) });
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      return { ok: false, kind: "retry", reason: `The image ${sourceUrl} could not be downloaded (${name})` };
    }
    if (response.status === 429 || response.status >= 500) {
      return { ok: false, kind: "retry", reason: `The image ${sourceUrl} could not be downloaded (HTTP ${response.status})` };
    }
    if (!response.ok) return { ok: false, kind: "dead", reason: `The image ${sourceUrl} could not be downloaded (HTTP ${response.status}); fix or replace it in Shopify` };
    const contentType = (response.headers.get("content-type") ?? "image/jpeg").split(";")[0]?.trim().toLowerCase() || "image/jpeg";
    if (!contentType.startsWith("image/")) return { ok: false, kind: "dead", reason: `${sourceUrl} is not an image (${contentType})` };
    const tooLarge = { ok: false, kind: "dead", reason: `The image ${sourceUrl} is larger than TikTok Shop's ${Math.round(this.options.imageMaxBytes / 1024 / 1024)} MB limit` } as const;
    if (Number(response.headers.get("content-length") ?? 0) > this.options.imageMaxBytes) {
      await response.body?.cancel().catch(() => undefined);
      return tooLarge;
    }
    let bytes: ArrayBuffer;
    try {
      bytes = await response.arrayBuffer();
    } catch (error) {
      const name = error instanceof Error ? error.name : "Error";
      return { ok: false, kind: "retry", reason: `The image ${sourceUrl} could not be downloaded (${name})` };
    }
    if (bytes.byteLength > this.options.imageMaxBytes) return tooLarge;
    const extension = contentType === "image/png" ? "png" : "jpg";
    return { ok: true, bytes, contentType, fileName: `image.${extension}` };
  }

  // --- writes -------------------------------------------------------------------------------

  async publishItem(item: DueItem): Promise<ItemOutcome> {
    const plan = planTikTokWrite(item);
    const { remoteId, remoteSkus } = item.sent;
    switch (plan.kind) {
      case "none":
        return item.desired ? live(item.key, remoteId, remoteSkus) : { key: item.key, kind: "deleted" };
      case "deactivate":
        return this.deactivate(item, remoteId ?? "");
      default:
        break;
    }
    const parsed = parseTikTokPayload(item.desired?.payload);
    if (!parsed.ok) return { key: item.key, kind: "dead", reason: parsed.reason };
    const payload = parsed.payload;
    const known = remoteSkus ?? {};
    switch (plan.kind) {
      case "create":
        return this.create(item, payload, false);
      case "lookup-then-create":
        return this.create(item, payload, true);
      case "edit":
        return this.edit(item, payload, remoteId ?? "", known);
      case "stock":
        return this.updateStock(item, payload, remoteId ?? "", known, () => Promise.resolve(live(item.key, remoteId, known)));
      case "price":
        return this.updatePrice(item, payload, remoteId ?? "", known);
      case "stock+price":
        return this.updateStock(item, payload, remoteId ?? "", known, () => this.updatePrice(item, payload, remoteId ?? "", known));
    }
  }

  /** The product's image URIs and warehouse, or the outcome that stops the item. */
  private async productBody(item: DueItem, payload: TikTokProductPayload, remoteSkus: Record<string, string> | null): Promise<{ ok: true; body: Record<string, unknown> } | { ok: false; outcome: ItemOutcome }> {
    const warehouseId = this.warehouseId;
    if (warehouseId === null) return { ok: false, outcome: { key: item.key, kind: "dead", reason: NO_WAREHOUSE } };
    const images = await this.imageUris(payload.main_images.map((image) => image.source_url));
    if (!images.ok) {
      const outcome: ItemOutcome =
        images.kind === "retry"
          ? { key: item.key, kind: "retry", reason: images.reason, ...(images.waitMs !== undefined ? { waitMs: images.waitMs } : {}) }
          : { key: item.key, kind: "dead", reason: images.reason };
      return { ok: false, outcome };
    }
    return { ok: true, body: tiktokProductBody(payload, images.uris, warehouseId, remoteSkus) };
  }

  private async create(item: DueItem, payload: TikTokProductPayload, lookupFirst: boolean): Promise<ItemOutcome> {
    const prepared = await this.productBody(item, payload, null);
    if (!prepared.ok) return prepared.outcome;
    if (lookupFirst) {
      const found = await this.findCreated(item, payload);
      if (!found.ok) return found.outcome;
      if (found.product) {
        const { id, remoteSkus, detail } = found.product;
        if (sameContent(detail, payload)) return live(item.key, id, remoteSkus);
        return this.edit(item, payload, id, remoteSkus);
      }
    }
    // Announced before sending: if this worker dies before the answer is recorded, the next attempt looks first.
    await this.ctx.markCreateStarted([item.key]);
    const result = await this.call("POST", "/product/202309/products", prepared.body);
    if (!result.ok) return failureOutcome(result, item.key, this.subject(item));
    const written = WrittenProductSchema.safeParse(result.data);
    if (!written.success) {
      return { key: item.key, kind: "retry", reason: "TikTok Shop's answer to the create was not understood; the product is looked up before any new create" };
    }
    return live(item.key, written.data.product_id, remoteSkusFrom(payload, written.data.skus ?? []));
  }

  private async edit(item: DueItem, payload: TikTokProductPayload, productId: string, remoteSkus: Record<string, string>): Promise<ItemOutcome> {
    const prepared = await this.productBody(item, payload, remoteSkus);
    if (!prepared.ok) return prepared.outcome;
    const result = await this.call("PUT", `/product/202309/products/${encodeURIComponent(productId)}`, prepared.body);
    if (!result.ok) {
      if (result.code === PRODUCT_NOT_FOUND) return this.create(item, payload, false);
      return failureOutcome(result, item.key, this.subject(item), { remoteId: productId, remoteSkus });
    }
    const written = WrittenProductSchema.safeParse(result.data);
    const answered = written.success ? remoteSkusFrom(payload, written.data.skus ?? []) : {};
    // SKUs TikTok did not list again keep their known ids as long as the payload still has them.
    const merged: Record<string, string> = {};
    for (const sku of payload.skus) {
      const id = answered[sku.external_sku_id] ?? remoteSkus[sku.external_sku_id];
      if (id) merged[sku.external_sku_id] = id;
    }
    return live(item.key, productId, merged);
  }

  private async updateStock(item: DueItem, payload: TikTokProductPayload, productId: string, remoteSkus: Record<string, string>, then: () => Promise<ItemOutcome>): Promise<ItemOutcome> {
    const warehouseId = this.warehouseId;
    if (warehouseId === null) return { key: item.key, kind: "dead", reason: NO_WAREHOUSE };
    const result = await this.call("POST", `/product/202309/products/${encodeURIComponent(productId)}/inventory/update`, tiktokInventoryBody(payload, remoteSkus, warehouseId));
    const refused = this.partialWriteOutcome(item, payload, productId, remoteSkus, result);
    return refused ?? then();
  }

  private async updatePrice(item: DueItem, payload: TikTokProductPayload, productId: string, remoteSkus: Record<string, string>): Promise<ItemOutcome> {
    const result = await this.call("POST", `/product/202309/products/${encodeURIComponent(productId)}/prices/update`, tiktokPriceBody(payload, remoteSkus));
    return this.partialWriteOutcome(item, payload, productId, remoteSkus, result) ?? live(item.key, productId, remoteSkus);
  }

  /** The outcome of a stock or price update that did not go through, or null when it did. */
  private partialWriteOutcome(item: DueItem, payload: TikTokProductPayload, productId: string, remoteSkus: Record<string, string>, result: TikTokResult): ItemOutcome | Promise<ItemOutcome> | null {
    const remote = { remoteId: productId, remoteSkus };
    if (!result.ok) {
      // The product vanished from TikTok (deleted in Seller Center): list it again.
      if (result.code === PRODUCT_NOT_FOUND) return this.create(item, payload, false);
      return failureOutcome(result, item.key, this.subject(item), remote);
    }
    const errors = writeErrors(result.data);
    if (errors.length === 0) return null;
    const diagnostics = errors.map((error) => requestRejectedDiagnostic(error.message, this.subject(item)));
    return { key: item.key, kind: "rejected", ...remote, diagnostics };
  }

  private async deactivate(item: DueItem, productId: string): Promise<ItemOutcome> {
    const result = await this.call("POST", "/product/202309/products/deactivate", { product_ids: [productId] });
    if (!result.ok) {
      if (result.code === PRODUCT_NOT_FOUND) return { key: item.key, kind: "deleted" };
      if (result.kind === "invalid") return { key: item.key, kind: "dead", reason: `TikTok Shop did not deactivate product ${productId}: ${describeTikTokFailure(result)}` };
      return failureOutcome(result, item.key, this.subject(item));
    }
    const errors = writeErrors(result.data).filter((error) => error.code !== PRODUCT_NOT_FOUND);
    if (errors.length > 0) return { key: item.key, kind: "dead", reason: `TikTok Shop did not deactivate product ${productId}: ${errors.map((error) => error.message).join("; ")}` };
    return { key: item.key, kind: "deleted" };
  }

  // --- adoption after a lost create answer -----------------------------------------------------

  /**
   * The product an earlier create made, if TikTok has it: products/search by the payload's seller
   * SKUs (by title when it has none), each candidate confirmed by Get Product holding one of the
   * record's external SKU ids (or its external product id).
   */
  private async findCreated(item: DueItem, payload: TikTokProductPayload): Promise<{ ok: true; product: { id: string; remoteSkus: Record<string, string>; detail: ProductDetail } | null } | { ok: false; outcome: ItemOutcome }> {
    const sellerSkus = [...new Set(payload.skus.flatMap((sku) => (sku.seller_sku ? [sku.seller_sku] : [])))];
    const externalIds = new Set(payload.skus.map((sku) => sku.external_sku_id));
    let pageToken: string | null = null;
    for (let page = 0; page < MAX_SEARCH_PAGES; page++) {
      const query: Record<string, string> = { page_size: SEARCH_PAGE_SIZE };
      if (pageToken) query.page_token = pageToken;
      const result = await this.call("POST", "/product/202309/products/search", sellerSkus.length > 0 ? { seller_skus: sellerSkus } : {}, query);
      if (!result.ok) return { ok: false, outcome: failureOutcome(result, item.key, this.subject(item)) };
      const parsed = SearchSchema.safeParse(result.data);
      if (!parsed.success) return { ok: false, outcome: { key: item.key, kind: "retry", reason: "TikTok Shop's product search answer was not understood" } };
      const candidates = (parsed.data.products ?? []).filter(
        (product) =>
          product.status !== "DELETED" &&
          (sellerSkus.length > 0 ? (product.skus ?? []).some((sku) => sku.seller_sku && sellerSkus.includes(sku.seller_sku)) : product.title === payload.title),
      );
      for (const candidate of candidates) {
        const detail = await this.productDetail(candidate.id);
        if (!detail.ok) {
          if (detail.failure.code === PRODUCT_NOT_FOUND) continue;
          return { ok: false, outcome: failureOutcome(detail.failure, item.key, this.subject(item)) };
        }
        const skus = detail.product.skus ?? [];
        const ours = skus.some((sku) => sku.external_sku_id && externalIds.has(sku.external_sku_id)) || (detail.product.external_product_id ?? null) === payload.external_product_id;
        if (ours) return { ok: true, product: { id: detail.product.id, remoteSkus: remoteSkusFrom(payload, skus), detail: detail.product } };
      }
      pageToken = parsed.data.next_page_token || null;
      if (!pageToken) break;
    }
    return { ok: true, product: null };
  }

  async productDetail(productId: string): Promise<{ ok: true; product: ProductDetail } | { ok: false; failure: TikTokFailure }> {
    const result = await this.call("GET", `/product/202309/products/${encodeURIComponent(productId)}`);
    if (!result.ok) return { ok: false, failure: result };
    const parsed = ProductDetailSchema.safeParse(result.data);
    if (!parsed.success) return { ok: false, failure: { ok: false, kind: "retry", code: null, message: "TikTok Shop's product answer was not understood", requestId: result.requestId } };
    return { ok: true, product: parsed.data };
  }

  // --- read-back ----------------------------------------------------------------------------

  async readBackItem(item: { key: string; productId: string; remoteId: string | null }): Promise<ReadBackEntry | { key: string; skipped: TikTokFailure }> {
    if (!item.remoteId) return { key: item.key, state: "missing", diagnostics: [] };
    const detail = await this.productDetail(item.remoteId);
    if (!detail.ok) {
      if (detail.failure.code === PRODUCT_NOT_FOUND) return { key: item.key, state: "missing", diagnostics: [] };
      throwOnAuthFailure(detail.failure);
      return { key: item.key, skipped: detail.failure };
    }
    const subject = this.subject(item);
    const status = detail.product.status ?? "";
    switch (status) {
      case "FAILED": {
        const audit = auditDiagnostics(detail.product, subject);
        return { key: item.key, state: "rejected", diagnostics: audit.length > 0 ? audit : statusDiagnostics(status, null, subject) };
      }
      case "PLATFORM_DEACTIVATED":
      case "FREEZE":
        return { key: item.key, state: "rejected", diagnostics: [...statusDiagnostics(status, null, subject), ...auditDiagnostics(detail.product, subject)] };
      case "DELETED":
        return { key: item.key, state: "missing", diagnostics: [] };
      default:
        // ACTIVATE, PENDING (audit running: its verdict comes later), DRAFT; SELLER_DEACTIVATED with a warning.
        return { key: item.key, state: "live", diagnostics: statusDiagnostics(status, null, subject) };
    }
  }
}

function live(key: string, remoteId: string | null, remoteSkus: Record<string, string> | null): ItemOutcome {
  return { key, kind: "live", ...(remoteId ? { remoteId } : {}), ...(remoteSkus ? { remoteSkus } : {}), diagnostics: [] as Diagnostic[] };
}

function throwOnAuthFailure(failure: TikTokFailure): void {
  if (failure.kind === "refresh") throw new AccessTokenExpiredError(ACCESS_TOKEN_EXPIRED);
  if (failure.kind === "reconnect") {
    throw new ReconnectError(`TikTok Shop refused Shelfcast's authorisation: ${describeTikTokFailure(failure)}. Connect TikTok Shop again in Settings → Channels.`);
  }
}

/** A failed call as the item's outcome; credentials TikTok refuses stop the whole publish. */
function failureOutcome(failure: TikTokFailure, key: string, subject: TikTokDiagnosticSubject, remote: { remoteId?: string; remoteSkus?: Record<string, string> } = {}): ItemOutcome {
  throwOnAuthFailure(failure);
  if (failure.kind === "retry") {
    const waitMs = failure.waitMs ?? (failure.throttled ? DEFAULT_THROTTLE_WAIT_MS : undefined);
    return { key, kind: "retry", reason: `TikTok Shop: ${describeTikTokFailure(failure)}`, ...(waitMs !== undefined ? { waitMs } : {}) };
  }
  return { key, kind: "rejected", ...remote, diagnostics: [requestRejectedDiagnostic(failure.message, subject)] };
}

/** Whether the product TikTok holds already matches the payload, on what Get Product returns. */
function sameContent(detail: ProductDetail, payload: TikTokProductPayload): boolean {
  if (detail.title !== undefined && detail.title !== null && detail.title !== payload.title) return false;
  if (detail.description !== undefined && detail.description !== null && detail.description !== payload.description) return false;
  if (detail.category_id !== undefined && detail.category_id !== null && detail.category_id !== payload.category_id) return false;
  const remote = new Map((detail.skus ?? []).flatMap((sku) => (sku.external_sku_id ? [[sku.external_sku_id, sku] as const] : [])));
  if (remote.size !== payload.skus.length) return false;
  return payload.skus.every((sku) => {
    const held = remote.get(sku.external_sku_id);
    if (!held?.price || held.price.amount !== sku.price.amount || held.price.currency !== sku.price.currency) return false;
    const heldQuantity = (held.inventory ?? []).reduce((sum, entry) => sum + entry.quantity, 0);
    return heldQuantity === sku.inventory.reduce((sum, entry) => sum + entry.quantity, 0);
  });
}

export function createTikTokPublisher(options: TikTokPublisherOptions = {}): ChannelPublisher<TikTokConnection> {
  const settings: Required<TikTokPublisherOptions> = {
    concurrency: Math.max(1, Math.min(MAX_CONCURRENT_CALLS_PER_SHOP, Math.floor(options.concurrency ?? MAX_CONCURRENT_CALLS_PER_SHOP))),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIKTOK_TIMEOUT_MS,
    uploadTimeoutMs: options.uploadTimeoutMs ?? DEFAULT_TIKTOK_UPLOAD_TIMEOUT_MS,
    imageMaxBytes: options.imageMaxBytes ?? DEFAULT_IMAGE_MAX_BYTES,
  };
  // Publishes and read-backs of one shop running at once share its limiter; it goes when the last one ends.
  const limiters = new Map<string, { limiter: Limiter; users: number }>();

  // A shop that answered with a throttle is left alone until then: a publish or read-back asked
  // for sooner throws RetryLaterError before any call (the engine reschedules the catalog).
  const throttledUntil = new Map<string, number>();

  async function withShopLimiter<T>(ctx: PublishContext<TikTokConnection>, task: (session: TikTokSession) => Promise<T>): Promise<T> {
    const { shop } = ctx;
    const until = throttledUntil.get(shop);
    const now = ctx.now().getTime();
    if (until !== undefined && until > now) throw new RetryLaterError(until - now, "TikTok Shop asked Shelfcast to slow down.");
    throttledUntil.delete(shop);
    let entry = limiters.get(shop);
    if (!entry) {
      entry = { limiter: new Limiter(settings.concurrency), users: 0 };
      limiters.set(shop, entry);
    }
    entry.users += 1;
    const session = new TikTokSession(ctx, entry.limiter, settings);
    try {
      return await task(session);
    } finally {
      entry.users -= 1;
      if (entry.users === 0) limiters.delete(shop);
      if (session.throttledForMs !== null) throttledUntil.set(shop, ctx.now().getTime() + session.throttledForMs);
    }
  }

  return {
    channel: "tiktok",

    publish(ctx, items) {
      return withShopLimiter(ctx, async (session) => {
        const needImages = items.filter((item) => ["create", "lookup-then-create", "edit"].includes(planTikTokWrite(item).kind));
        const sourceUrls = needImages.flatMap((item) => {
          const parsed = parseTikTokPayload(item.desired?.payload);
          return parsed.ok ? parsed.payload.main_images.map((image) => image.source_url) : [];
        });
        await session.loadImageCache(sourceUrls);
        // After a throttle answer no new item starts: they stay due and go in a later run.
        return eachConcurrently(items, settings.concurrency, (item) => session.publishItem(item), () => session.throttledForMs !== null);
      });
    },

    readBack(ctx, items) {
      return withShopLimiter(ctx, async (session) => {
        const entries = await eachConcurrently(items, settings.concurrency, (item) => session.readBackItem(item), () => session.throttledForMs !== null);
        // Records TikTok could not be asked about now are left out: the engine keeps its current view of them.
        return entries.filter((entry): entry is ReadBackEntry => !("skipped" in entry));
      });
    },
  };
}
