import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QUEUES } from "../../../app/.server/jobs/names";
import { startWorkers } from "../../../app/.server/jobs/worker";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import { countDueItems, type CatalogRef } from "../../../app/.server/repositories/channel-items";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import { startRuntime, type Runtime } from "../../../app/.server/runtime";
import { requestChannelPlan } from "../../../app/.server/services/publishing/plan-channel-items";
import { requestCatalogPublish } from "../../../app/.server/services/publishing/request-publish";
import { MetaCatalogFake, TikTokShopFake, type HttpFake } from "../../../app/demo/channel-fakes";
import { stableStringify } from "../../../app/domain/catalog/content-hash";
import { metaBatchRequest } from "../../../app/domain/publishing/meta-batch";
import { buildPublishableShirt, connectChannelFakes, type ShirtContent } from "../../factories/publishing";
import secretLiterals from "../../fixtures/secret-literals.json";
import { useChannelFakes } from "../../mocks/channel-fakes";
import { startTestApp, stopTestApp } from "../../setup/app";
import { openSameDatabase } from "../../setup/database";
import { TEST_PROFILE } from "../../setup/profile";

/**
 * Issue 5: "Two worker processes on the scale profile share the queue without publishing an item
 * twice at once." Two runtimes, each with its own connection pool on the same PostgreSQL database
 * and its own pg-boss, run the real workers (startWorkers); the catalog changes three times while
 * plans and publish requests for the same catalogs are sent from both, many times over. The fakes
 * count, per record, the writes in flight at once (a Meta batch holds its items for a moment, as a
 * real call does) and every content version they receive.
 *
 * Scale profile only (SHELFCAST_TEST_PROFILE=scale): on the embedded profile PGlite lives inside one
 * process and cannot be shared by two pools. (Both runtimes run in this one Node process; what
 * serialises their writes is pg-boss's stately queue in PostgreSQL, which is what is under test.)
 */

const SHOP = "two-workers.myshopify.com";
const META_TOKEN = secretLiterals.secrets.twoWorkersMetaToken;
const TIKTOK_APP_KEY = "twoworkersapp01";
const TIKTOK_APP_SECRET = secretLiterals.secrets.twoWorkersTikTokAppSecret;
const PRODUCTS = 40;
const FIRST_ID = 8_300_000;
const SIZES = ["Small", "Large"];
const REFS: CatalogRef[] = [
  { shop: SHOP, channel: "meta", market: "US" },
  { shop: SHOP, channel: "tiktok", market: "US" },
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes in flight per record, the most ever seen at once, and every content version received. */
class WriteLedger {
  private readonly inFlight = new Map<string, number>();
  readonly maxInFlight = new Map<string, number>();
  readonly versions = new Map<string, string[]>();

  async around<T>(keys: string[], write: () => Promise<T>): Promise<T> {
    for (const key of keys) {
      const now = (this.inFlight.get(key) ?? 0) + 1;
      this.inFlight.set(key, now);
      this.maxInFlight.set(key, Math.max(now, this.maxInFlight.get(key) ?? 0));
    }
    try {
      return await write();
    } finally {
      for (const key of keys) this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
    }
  }

  received(key: string, content: unknown): void {
    this.versions.set(key, [...(this.versions.get(key) ?? []), stableStringify(content)]);
  }

  mostAtOnce(): number {
    return Math.max(0, ...this.maxInFlight.values());
  }
}

describe.skipIf(TEST_PROFILE !== "scale")("two worker processes share the publish queue (scale profile)", () => {
  let runtime: Runtime;
  const workers: { label: string; runtime: Runtime; jobs: Map<string, number> }[] = [];
  let meta: MetaCatalogFake;
  let tiktok: TikTokShopFake;
  const metaWrites = new WriteLedger();
  const tiktokWrites = new WriteLedger();
  const catalog = new Map<number, ShirtContent>(Array.from({ length: PRODUCTS }, (_, index) => [index, { title: `Heavy cotton tee ${index}`, price: "19.00", quantity: 6 }]));

  /** Meta as the fake answers it; an items_batch call holds its items for 40 ms, as a real upload does. */
  const metaRoute: HttpFake = {
    owns: (url) => meta.owns(url),
    handle: async (request) => {
      if (request.method !== "POST" || !new URL(request.url).pathname.endsWith("/items_batch")) return meta.handle(request);
      const { requests } = (await request.clone().json()) as { requests: { method: string; data: { id: string } }[] };
      return metaWrites.around(
        requests.map((entry) => entry.data.id),
        async () => {
          await sleep(40);
          const response = await meta.handle(request);
          for (const entry of requests) metaWrites.received(entry.data.id, entry);
          return response;
        },
      );
    },
  };

  /** TikTok as the fake answers it; every write is counted against the product (its external id) it changes. */
  const tiktokRoute: HttpFake = {
    owns: (url) => tiktok.owns(url),
    handle: async (request) => {
      const url = new URL(request.url);
      const write = request.method !== "GET" && url.pathname.startsWith("/product/202309/products") && !url.pathname.endsWith("/search");
      if (!write) return tiktok.handle(request);
      const body = (await request.clone().json()) as { external_product_id?: string; product_ids?: string[] };
      const productOf = (id: string) => String(tiktok.product(id)?.payload.external_product_id ?? id);
      const pathId = /^\/product\/202309\/products\/([^/]+)/.exec(url.pathname)?.[1];
      const keys = body.external_product_id ? [body.external_product_id] : body.product_ids ? body.product_ids.map(productOf) : pathId ? [productOf(pathId)] : [];
      return tiktokWrites.around(keys, async () => {
        await sleep(10);
        const response = await tiktok.handle(request);
        for (const key of keys) tiktokWrites.received(`${key} ${request.method} ${url.pathname.replace(/[0-9]{10,}/g, ":id")}`, body);
        return response;
      });
    },
  };

  async function startWorker(label: string): Promise<void> {
    const worker = await startRuntime({ env: runtime.env, db: openSameDatabase(runtime.db), worker: false });
    const jobs = new Map<string, number>();
    const work = worker.boss.work.bind(worker.boss) as (name: string, options: object, handler: (jobs: unknown[]) => Promise<unknown>) => Promise<string>;
    // Counts the jobs this worker runs, per queue, around the real handlers startWorkers registers.
    (worker.boss as unknown as { work: typeof work }).work = (name, options, handler) =>
      work(name, options, async (batch) => {
        jobs.set(name, (jobs.get(name) ?? 0) + batch.length);
        return handler(batch);
      });
    await startWorkers(worker);
    workers.push({ label, runtime: worker, jobs });
  }

  /** Plans and publish requests for the same catalogs from both workers, over and over, while they work. */
  async function requestStorm(rounds: number): Promise<void> {
    for (let round = 0; round < rounds; round++) {
      for (const { runtime: worker } of workers) {
        await requestChannelPlan(worker, SHOP, `storm ${round}`);
        for (const ref of REFS) await requestCatalogPublish(worker, ref, `storm ${round}`);
      }
      await sleep(60);
    }
  }

  async function untilQuiet(): Promise<void> {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const due = await Promise.all(REFS.map((ref) => countDueItems(runtime.db.sql, ref, new Date())));
      const { rows } = await runtime.db.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pgboss.job WHERE "name" = ANY($1::text[]) AND "state" IN ('created', 'retry', 'active')`,
        [[QUEUES.planChannelItems, QUEUES.publishCatalog]],
      );
      if (due.every((entry) => entry.dueNow === 0 && entry.nextRetryAt === null) && rows[0]?.n === 0) return;
      if (Date.now() > deadline) throw new Error(`not quiet: ${JSON.stringify(due)}, ${rows[0]?.n} jobs open`);
      await sleep(100);
    }
  }

  async function changeAll(edit: (content: ShirtContent) => ShirtContent): Promise<void> {
    for (const [index, content] of catalog) catalog.set(index, edit(content));
    await replaceProducts(runtime.db, SHOP, [...catalog].map(([index, content]) => buildPublishableShirt(FIRST_ID + index, content, SIZES)), new Date());
  }

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products", { name: "Two workers", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://two-workers.example.com" });
    await replaceProducts(runtime.db, SHOP, [...catalog].map(([index, content]) => buildPublishableShirt(FIRST_ID + index, content, SIZES)), new Date());
    meta = new MetaCatalogFake({ accessToken: META_TOKEN, pollsUntilFinished: 0 });
    tiktok = new TikTokShopFake({ appKey: TIKTOK_APP_KEY, appSecret: TIKTOK_APP_SECRET });
    useChannelFakes(metaRoute, tiktokRoute);
    await connectChannelFakes(runtime, SHOP, { meta, tiktok }, { metaToken: META_TOKEN, tiktokAppKey: TIKTOK_APP_KEY, tiktokAppSecret: TIKTOK_APP_SECRET });
    await startWorker("A");
    await startWorker("B");
  }, 60_000);

  afterAll(async () => {
    for (const { runtime: worker } of workers) await worker.stop();
    await stopTestApp(runtime);
  });

  it("publishes three versions of the catalog with both workers busy and never two writes of one record at once", async () => {
    useChannelFakes(metaRoute, tiktokRoute);
    await requestStorm(8);
    await untilQuiet();
    await changeAll((content) => ({ ...content, price: "21.00" }));
    await requestStorm(8);
    await untilQuiet();
    await changeAll((content) => ({ ...content, quantity: content.quantity + 2, title: `${content.title}, garment dyed` }));
    await requestStorm(8);
    await untilQuiet();

    // Both workers took jobs from the shared queues, publish jobs included.
    for (const { label, jobs } of workers) {
      expect({ label, publishes: (jobs.get(QUEUES.publishCatalog) ?? 0) > 0, plans: (jobs.get(QUEUES.planChannelItems) ?? 0) > 0 }).toEqual({ label, publishes: true, plans: true });
    }
    // Never two writes of the same record in flight at once, on either channel.
    expect(metaWrites.maxInFlight.size).toBe(PRODUCTS * SIZES.length);
    expect(metaWrites.mostAtOnce()).toBe(1);
    expect(tiktokWrites.maxInFlight.size).toBe(PRODUCTS);
    expect(tiktokWrites.mostAtOnce()).toBe(1);
  }, 120_000);

  it("sends every content version of an item at most once and ends with the last one live, each TikTok product created once", async () => {
    const { rows } = await runtime.db.sql.query<{ channel: string; item_key: string; desired_payload: Record<string, unknown>; desired_hash: string; sent_hash: string; state: string; remote_id: string | null }>(
      `SELECT "channel", "item_key", "desired_payload", "desired_hash", "sent_hash", "state", "remote_id" FROM "channel_item" WHERE "shop" = $1`,
      [SHOP],
    );
    expect(rows).toHaveLength(PRODUCTS * SIZES.length + PRODUCTS);
    expect(rows.filter((row) => row.state !== "live" || row.desired_hash !== row.sent_hash)).toEqual([]);

    for (const row of rows.filter((entry) => entry.channel === "meta")) {
      const versions = metaWrites.versions.get(row.item_key) ?? [];
      // Each version went out once; the last one sent is the one desired, and Meta holds it.
      expect({ key: row.item_key, repeated: versions.length - new Set(versions).size }).toEqual({ key: row.item_key, repeated: 0 });
      const last = metaBatchRequest({ key: row.item_key, desired: { payload: row.desired_payload } });
      expect(versions.at(-1)).toBe(stableStringify(last));
      expect(meta.item(row.item_key)?.data).toEqual(last.data);
    }
    for (const [write, versions] of tiktokWrites.versions) expect({ write, repeated: versions.length - new Set(versions).size }).toEqual({ write, repeated: 0 });
    for (const [externalId, creates] of tiktok.createCount) expect({ externalId, creates }).toEqual({ externalId, creates: 1 });
    for (const row of rows.filter((entry) => entry.channel === "tiktok")) {
      const product = tiktok.product(row.remote_id ?? "");
      expect(product?.payload.title).toBe(row.desired_payload.title);
    }
  });
});
