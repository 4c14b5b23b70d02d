import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMetaPublisher } from "../../../app/.server/channels/meta/meta-publisher";
import { createTikTokPublisher } from "../../../app/.server/channels/tiktok/tiktok-publisher";
import { QUEUES } from "../../../app/.server/jobs/names";
import { deleteProducts, replaceProducts } from "../../../app/.server/repositories/catalog";
import { countDueItems, type CatalogRef } from "../../../app/.server/repositories/channel-items";
import { upsertShopInstalled } from "../../../app/.server/repositories/shops";
import { startRuntime, type Runtime } from "../../../app/.server/runtime";
import { planChannelItems, requestChannelPlan } from "../../../app/.server/services/publishing/plan-channel-items";
import { publishCatalog, type PublishCatalogJob } from "../../../app/.server/services/publishing/publish-catalog";
import type { PublishDeps } from "../../../app/.server/services/publishing/publish-deps";
import { publishSingletonKey } from "../../../app/.server/services/publishing/request-publish";
import { FAULT_KINDS, MetaCatalogFake, TikTokShopFake, type HttpFake } from "../../../app/demo/channel-fakes";
import type { Product } from "../../../app/domain/catalog/types";
import { metaBatchRequest } from "../../../app/domain/publishing/meta-batch";
import { buildPublishableShirt, connectChannelFakes, type ShirtContent } from "../../factories/publishing";
import secretLiterals from "../../fixtures/secret-literals.json";
import { useChannelFakes } from "../../mocks/channel-fakes";
import { startTestApp, stopTestApp } from "../../setup/app";
import { openKillableDatabase, openSameDatabase, type KillableDatabase } from "../../setup/database";

/**
 * Issue 5's fault run, for Meta and TikTok Shop connected at once: with a fifth of the channels'
 * calls throttled, failing with 5xx or timing out (half of the timeouts after the write happened),
 * and the worker killed once mid-publish and replaced by another, each channel ends holding exactly
 * the last content of every record: no duplicate create, nothing missing, nothing extra.
 *
 * The run:
 * 1. A real worker (startWorkers on its own runtime and database handle) plans and starts publishing.
 *    Right after TikTok carried out its third create, the worker dies: its database handle is cut
 *    (nothing it does afterwards reaches the database) before the create's answer is recorded, so
 *    the pg-boss job stays active and the outbox row only knows a create was started.
 * 2. The catalog changes (titles, prices, stock; the product whose create was lost is deleted) and a
 *    second worker process starts on the same database. Time passes for the queue (pg-boss's own
 *    clock function, job_now()) so the dead worker's heartbeat lapses: pg-boss fails the orphaned job
 *    and the second worker takes it over, with a fifth of TikTok's calls failing from now on.
 *    (While real workers run, Meta's faults are scripted: Meta throttles them, so its whole catalog is
 *    left for step 3. Random faults would make a real worker sleep Meta's real waits.)
 * 3. The rest is driven directly through publishCatalog on a fake clock (nothing really waits), every
 *    catalog published until nothing is due or waiting: Meta's first batch is carried out but its
 *    answer times out and a product of it is deleted; a fifth of all calls fail; a second round of
 *    changes comes midway, deleting a product live on both channels.
 */

const SHOP = "fault-run.myshopify.com";
const META_TOKEN = secretLiterals.secrets.faultRunMetaToken;
const TIKTOK_APP_KEY = "faultrunapp01";
const TIKTOK_APP_SECRET = secretLiterals.secrets.faultRunTikTokAppSecret;
const PRODUCTS = 180;
const FIRST_ID = 8_100_000;
/** The worker dies right after TikTok carried out this many creates. */
const KILL_AT_CREATE = 3;
const FAULT_RATE = 0.2;

const JOBS: PublishCatalogJob[] = [
  { shop: SHOP, channel: "meta", market: "US", trigger: "fault-run" },
  { shop: SHOP, channel: "tiktok", market: "US", trigger: "fault-run" },
];
const refOf = (job: PublishCatalogJob): CatalogRef => ({ shop: job.shop, channel: job.channel, market: job.market });

// ─── The catalog: every product valid on both channels, so every record must end live ───────────

const productGid = (index: number) => `gid://shopify/Product/${FIRST_ID + index}`;
const sizesOf = (index: number) => (index % 2 === 0 ? ["Small", "Large"] : ["One size"]);
/** Meta's retailer ids of a product's variants (the variant-id scheme: product number and variant position). */
const retailerIdsOf = (index: number) => sizesOf(index).map((_, variant) => `${FIRST_ID + index}${String(variant + 1).padStart(2, "0")}`);

function buildShirt(index: number, content: ShirtContent): Product {
  return buildPublishableShirt(FIRST_ID + index, content, sizesOf(index));
}

/** What each live product should look like now; the test changes it and replaces the products. */
const catalog = new Map<number, ShirtContent>(Array.from({ length: PRODUCTS }, (_, index) => [index, { title: `Organic cotton tee ${index}`, price: "25.00", quantity: 10 + (index % 7) }]));

async function change(runtime: Runtime, indexes: number[], edit: (content: ShirtContent, index: number) => ShirtContent): Promise<void> {
  for (const index of indexes) catalog.set(index, edit(catalog.get(index) as ShirtContent, index));
  await replaceProducts(runtime.db, SHOP, indexes.map((index) => buildShirt(index, catalog.get(index) as ShirtContent)), new Date());
}

async function remove(runtime: Runtime, index: number): Promise<void> {
  catalog.delete(index);
  expect(await deleteProducts(runtime.db, SHOP, [productGid(index)])).toBe(1);
}

// ─── Time: a clock the test moves; the fakes and the driven publishes read it ─────────────────────

const clock = {
  offsetMs: 0,
  now: () => new Date(Date.now() + clock.offsetMs),
};

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16_807) % 2_147_483_647;
    return state / 2_147_483_647;
  };
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("fault run: Meta and TikTok Shop under 20% faults with the worker killed mid-run", () => {
  let runtime: Runtime;
  let meta: MetaCatalogFake;
  let tiktok: TikTokShopFake;
  /** Set while the first worker runs: its death is armed. */
  let firstWorker: { killable: KillableDatabase; runtime: Runtime | null; creates: number; died: Promise<string>; die: (productId: string) => void } | null = null;
  let orphanedJobId = "";
  let lostCreateIndex = -1;
  /** Deleted in the second round of changes, while live on both channels. */
  let deletedLive = -1;
  /** Deleted after Meta carried out its first write of the product but the answer was lost. */
  let deletedUnanswered = -1;

  const deps: PublishDeps = {
    now: clock.now,
    sleep: async (ms) => {
      clock.offsetMs += ms;
    },
    random: seededRandom(7),
    fetchFor: async () => ((input: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(input, init)) as typeof fetch,
    publishers: { meta: createMetaPublisher({ maxRequestsPerCall: 50, pollDelaysMs: [0] }), tiktok: createTikTokPublisher() },
  };

  /** TikTok as the fake answers it, except that the first worker dies right after the fake carried out its Nth create. */
  const tiktokRoute: HttpFake = {
    owns: (url) => tiktok.owns(url),
    handle: async (request) => {
      const url = new URL(request.url);
      const isCreate = request.method === "POST" && url.pathname === "/product/202309/products";
      const before = tiktok.products.size;
      const response = await tiktok.handle(request);
      const worker = firstWorker;
      if (isCreate && worker && tiktok.products.size > before) {
        worker.creates += 1;
        if (worker.creates === KILL_AT_CREATE) {
          // The process dies after TikTok listed the product and before Shelfcast recorded the answer.
          await worker.killable.kill();
          const created = [...tiktok.products.values()].at(-1);
          worker.die(String(created?.payload.external_product_id ?? ""));
        }
      }
      return response;
    },
  };

  const useFakes = () => useChannelFakes(meta, tiktokRoute);

  async function rows() {
    const { rows: found } = await runtime.db.sql.query<{
      channel: string;
      item_key: string;
      product_id: string;
      desired_hash: string | null;
      sent_hash: string | null;
      state: string;
      desired_payload: Record<string, unknown> | string | null;
      remote_id: string | null;
      create_started_at: Date | null;
      last_error: string | null;
    }>(
      `SELECT "channel", "item_key", "product_id", "desired_hash", "sent_hash", "state", "desired_payload", "remote_id", "create_started_at", "last_error"
       FROM "channel_item" WHERE "shop" = $1 ORDER BY "channel", "item_key"`,
      [SHOP],
    );
    return found.map((row) => ({ ...row, desired_payload: typeof row.desired_payload === "string" ? (JSON.parse(row.desired_payload) as Record<string, unknown>) : row.desired_payload }));
  }

  /** pg-boss's clock moved forward, as if that much time had passed for every job in the queue. */
  async function queueClockAhead(minutes: number): Promise<void> {
    await runtime.db.sql.exec(
      `CREATE OR REPLACE FUNCTION pgboss.job_now() RETURNS timestamp with time zone AS $$ SELECT pg_catalog.now() + interval '${minutes} minutes'; $$ LANGUAGE sql STABLE;`,
    );
  }

  /**
   * Publishes every catalog until nothing is due and no retry waits, moving the fake clock past
   * TikTok's throttle window and the earliest retry whenever nothing more can go now.
   */
  async function publishUntilQuiet(maxRounds: number): Promise<number> {
    for (let round = 1; round <= maxRounds; round++) {
      let dueNow = false;
      let nextRetry: number | null = null;
      for (const job of JOBS) {
        if ((await countDueItems(runtime.db.sql, refOf(job), clock.now())).dueNow > 0) await publishCatalog(runtime, job, deps);
        const after = await countDueItems(runtime.db.sql, refOf(job), clock.now());
        if (after.dueNow > 0) dueNow = true;
        if (after.nextRetryAt) nextRetry = Math.min(nextRetry ?? Number.POSITIVE_INFINITY, after.nextRetryAt.getTime());
      }
      if (!dueNow && nextRetry === null) return round;
      // TikTok leaves a throttled shop alone for a minute; an item's retry waits for its own time.
      const untilRetry = nextRetry === null ? 0 : nextRetry - clock.now().getTime() + 1;
      clock.offsetMs += dueNow ? 61_000 : Math.max(untilRetry, 1);
    }
    return maxRounds + 1;
  }

  beforeAll(async () => {
    runtime = await startTestApp();
    await upsertShopInstalled(runtime.db.prisma, SHOP, "read_products", { name: "Fault run", currencyCode: "USD", countryCode: "US", storefrontUrl: "https://fault-run.example.com" });
    await replaceProducts(runtime.db, SHOP, [...catalog].map(([index, content]) => buildShirt(index, content)), new Date());

    // Faults stay off while connecting; timeouts answer a gateway 504 after 5 ms so nothing really waits.
    meta = new MetaCatalogFake({ accessToken: META_TOKEN, regainAccessMinutes: 0, pollsUntilFinished: 0, now: clock.now, faults: { rate: 0, seed: 5, timeoutMs: 5 } });
    tiktok = new TikTokShopFake({ appKey: TIKTOK_APP_KEY, appSecret: TIKTOK_APP_SECRET, now: clock.now, faults: { rate: 0, seed: 9, timeoutMs: 5 } });
    useFakes();
    await connectChannelFakes(runtime, SHOP, { meta, tiktok }, { metaToken: META_TOKEN, tiktokAppKey: TIKTOK_APP_KEY, tiktokAppSecret: TIKTOK_APP_SECRET });
  }, 60_000);

  afterAll(async () => {
    await firstWorker?.runtime?.stop().catch(() => undefined);
    await stopTestApp(runtime);
  });

  it("a real worker dies right after TikTok carried out a create, before the answer is recorded", async () => {
    useFakes();
    const killable = await openKillableDatabase(runtime.db);
    let die: (productId: string) => void = () => undefined;
    const died = new Promise<string>((resolve) => {
      die = resolve;
    });
    firstWorker = { killable, runtime: null, creates: 0, died, die };
    // Scripted for this phase: Meta's first batch is throttled (the catalog is rescheduled); TikTok's first
    // call times out without effect. Random faults would make a real worker wait real seconds.
    meta.faults.failNext("throttle");
    tiktok.faults.failNext({ kind: "timeout", applied: false });

    firstWorker.runtime = await startRuntime({ env: runtime.env, db: killable.db, worker: true });
    await requestChannelPlan(firstWorker.runtime, SHOP, "fault-run");
    const killedAt = await Promise.race([died, new Promise<string>((_, reject) => setTimeout(() => reject(new Error("the first worker never reached its third TikTok create")), 30_000))]);
    await firstWorker.runtime.stop();
    firstWorker = null;

    // The crash left the publish job claimed by nobody alive: pg-boss still has it active.
    const { rows: active } = await runtime.db.sql.query<{ id: string }>(`SELECT "id" FROM pgboss.job WHERE "name" = $1 AND "singleton_key" = $2 AND "state" = 'active'`, [
      QUEUES.publishCatalog,
      publishSingletonKey(refOf(JOBS[1] as PublishCatalogJob)),
    ]);
    expect(active).toHaveLength(1);
    orphanedJobId = active[0]?.id ?? "";

    // TikTok lists the product; the outbox only knows a create was started.
    const lost = (await rows()).find((row) => row.channel === "tiktok" && row.product_id === killedAt);
    expect(lost).toMatchObject({ remote_id: null, sent_hash: null });
    expect(lost?.create_started_at).not.toBeNull();
    expect(tiktok.createCount.get(killedAt)).toBe(1);
    lostCreateIndex = Number(killedAt.split("/").pop()) - FIRST_ID;
    // Meta's first call was throttled and the worker was busy with TikTok since: Meta holds nothing yet.
    expect(meta.items.size).toBe(0);
  }, 60_000);

  it("after changes, a second worker on the same database takes the orphaned job over once its heartbeat lapses", async () => {
    useFakes();
    // The catalog moves on: titles, prices and stock change, and the product whose create was lost is deleted.
    await change(runtime, [1, 2, 3, 4, 5, 6, 7, 8], (content, index) => ({ ...content, title: `Organic cotton tee ${index}, washed` }));
    await change(runtime, [20, 21, 22, 23, 24, 25, 26, 27, 28, 29], (content) => ({ ...content, price: "27.50" }));
    await change(runtime, [40, 41, 42, 43, 44, 45, 46, 47, 48, 49], (content) => ({ ...content, quantity: content.quantity + 5 }));
    await remove(runtime, lostCreateIndex);

    tiktok.faults.rate = FAULT_RATE;
    // Meta throttles every call while the second worker runs: its whole catalog is left for the
    // fault run below, where it goes out in several batches.
    meta.faults.failNext(...Array.from({ length: 50 }, () => "throttle" as const));
    const second = await startRuntime({ env: runtime.env, db: openSameDatabase(runtime.db), worker: true });
    try {
      await requestChannelPlan(second, SHOP, "fault-run");
      // Minutes pass for the queue: the dead worker's heartbeat lapses and pg-boss fails its job, which is retried.
      await queueClockAhead(10);
      await second.boss.supervise();
      const orphaned = async () =>
        (await runtime.db.sql.query<{ state: string; retry_count: number }>(`SELECT "state", "retry_count" FROM pgboss.job WHERE "id" = $1`, [orphanedJobId])).rows[0];
      expect(await orphaned()).toMatchObject({ state: "retry" });
      await queueClockAhead(30);

      const takenOver = await waitFor("the second worker to finish the orphaned job", async () => {
        const job = await orphaned();
        return job?.state === "completed" ? job : null;
      });
      expect(takenOver.retry_count).toBe(1);
      await waitFor("the second worker to plan the changes", async () => {
        const { rows: open } = await runtime.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE "name" = $1 AND "state" IN ('created', 'retry', 'active')`, [
          QUEUES.planChannelItems,
        ]);
        return open[0]?.n === 0;
      });
      // A worker that stops finishes what it is running first.
      for (const queue of Object.values(QUEUES)) await second.boss.offWork(queue);
    } finally {
      await second.stop();
      await queueClockAhead(0);
      meta.faults.clear();
    }
    // The second worker published part of TikTok's catalog; Meta still holds nothing.
    expect((await rows()).some((row) => row.channel === "tiktok" && row.remote_id !== null)).toBe(true);
    expect(meta.items.size).toBe(0);
  }, 60_000);

  it("publishing on under 20% faults, with a second round of changes midway, ends with nothing due, waiting or dead", async () => {
    useFakes();
    meta.faults.rate = FAULT_RATE;
    tiktok.faults.rate = FAULT_RATE;
    const metaCallsBefore = meta.calls.length;
    const tiktokCallsBefore = tiktok.calls.length;
    const metaFaultsBefore = meta.faults.injected.length;
    const tiktokFaultsBefore = tiktok.faults.injected.length;

    // Meta's first batch is carried out but its answer times out; a product of that batch is then
    // deleted: Meta holds items Shelfcast never saw acknowledged, which must still be deleted there.
    meta.faults.failNext({ kind: "timeout", applied: true });
    expect((await publishCatalog(runtime, JOBS[0] as PublishCatalogJob, deps)).status).toBe("throttled");
    const unanswered = new Set([...meta.batches.values()][0]?.retailerIds ?? []);
    deletedUnanswered = [...catalog.keys()].find((index) => index > 10 && retailerIdsOf(index).every((id) => unanswered.has(id))) ?? -1;
    expect(deletedUnanswered).toBeGreaterThan(0);
    expect(retailerIdsOf(deletedUnanswered).every((id) => meta.items.has(id))).toBe(true);
    await remove(runtime, deletedUnanswered);
    await planChannelItems(runtime, { shop: SHOP, trigger: "fault-run" }, clock.now);

    expect(await publishUntilQuiet(2)).toBeGreaterThan(2);
    // Round two: a price change on 40 products and a stock change on 40 others (over a hundred Meta items,
    // several batches of 50), new titles, and a product live on both channels deleted.
    const live = (from: number, to: number) => [...catalog.keys()].filter((index) => index >= from && index < to);
    await change(runtime, live(60, 100), (content) => ({ ...content, price: "22.00" }));
    await change(runtime, live(100, 140), (content) => ({ ...content, quantity: content.quantity + 3 }));
    await change(runtime, live(140, 145), (content, index) => ({ ...content, title: `Organic cotton tee ${index}, second edition` }));
    const published = await rows();
    const liveOn = (channel: string, index: number) => published.some((row) => row.channel === channel && row.product_id === productGid(index) && row.sent_hash !== null);
    deletedLive = [...catalog.keys()].reverse().find((index) => (index < 60 || index >= 145) && liveOn("meta", index) && liveOn("tiktok", index)) ?? -1;
    expect(deletedLive).toBeGreaterThan(0);
    await remove(runtime, deletedLive);
    const replanned = await planChannelItems(runtime, { shop: SHOP, trigger: "fault-run" }, clock.now);
    expect(replanned.map((plan) => plan.channel).sort()).toEqual(["meta", "tiktok"]);
    expect(replanned.map(({ channel, becameDue, retired }) => ({ channel, due: becameDue > 0, retired }))).toEqual(
      expect.arrayContaining([
        { channel: "meta", due: true, retired: sizesOf(deletedLive).length },
        { channel: "tiktok", due: true, retired: 1 },
      ]),
    );

    const rounds = await publishUntilQuiet(400);
    expect(rounds).toBeLessThanOrEqual(400);

    // The faults were really there: about a fifth of the calls, of every kind, on both channels.
    const metaFaults = meta.faults.injected.slice(metaFaultsBefore);
    const tiktokFaults = tiktok.faults.injected.slice(tiktokFaultsBefore);
    const faults = [...metaFaults, ...tiktokFaults];
    const calls = meta.calls.length - metaCallsBefore + (tiktok.calls.length - tiktokCallsBefore);
    expect(faults.length / calls).toBeGreaterThan(0.15);
    expect(faults.length / calls).toBeLessThan(0.25);
    expect(new Set(faults.map((fault) => fault.kind))).toEqual(new Set(FAULT_KINDS));
    expect(metaFaults.length).toBeGreaterThan(0);
    // Timeouts that hid a write that happened: the replays must converge without duplicates.
    expect(faults.filter((fault) => fault.kind === "timeout" && fault.applied).length).toBeGreaterThan(0);

    const all = await rows();
    expect(all.filter((row) => row.state === "dead")).toEqual([]);
    expect(all.filter((row) => row.desired_hash !== row.sent_hash)).toEqual([]);
    expect(all.filter((row) => row.state !== "live")).toEqual([]);
    // The desired state is the catalog's: planning again finds nothing to change.
    const again = await planChannelItems(runtime, { shop: SHOP, trigger: "fault-run" }, clock.now);
    expect(again.map(({ channel, becameDue, retired }) => ({ channel, becameDue, retired }))).toEqual(
      expect.arrayContaining([
        { channel: "meta", becameDue: 0, retired: 0 },
        { channel: "tiktok", becameDue: 0, retired: 0 },
      ]),
    );
  }, 120_000);

  it("Meta holds exactly the last content of every item: nothing missing, nothing extra, no item created twice", async () => {
    const metaRows = (await rows()).filter((row) => row.channel === "meta");
    const variants = [...catalog.keys()].reduce((sum, index) => sum + sizesOf(index).length, 0);
    expect(metaRows).toHaveLength(variants);
    expect([...meta.items.keys()].sort()).toEqual(metaRows.map((row) => row.item_key).sort());
    for (const row of metaRows) {
      const desired = { key: row.item_key, desired: { payload: row.desired_payload as Record<string, unknown> } };
      expect(meta.item(row.item_key)?.data).toEqual(metaBatchRequest(desired).data);
      const index = Number(row.product_id.split("/").pop()) - FIRST_ID;
      const content = catalog.get(index) as ShirtContent;
      expect(meta.item(row.item_key)?.data).toMatchObject({ price: `${content.price} USD`, quantity_to_sell_on_facebook: content.quantity });
      expect(String(meta.item(row.item_key)?.data.title)).toContain(content.title);
    }
    for (const [retailerId, history] of meta.history) {
      expect({ retailerId, creates: history.creates }).toEqual({ retailerId, creates: 1 });
    }
    // Products deleted while Meta held their items (acknowledged or not) are gone: created once, deleted once.
    for (const retailerId of [...retailerIdsOf(deletedLive), ...retailerIdsOf(deletedUnanswered)]) {
      expect({ retailerId, ...meta.history.get(retailerId), held: meta.items.has(retailerId) }).toEqual({ retailerId, creates: 1, updates: expect.any(Number), deletes: 1, held: false });
    }
  });

  it("TikTok lists every product once with its last title, prices and stock; deleted products are deactivated", async () => {
    const tiktokRows = (await rows()).filter((row) => row.channel === "tiktok");
    expect(tiktokRows).toHaveLength(catalog.size);
    for (const [externalId, creates] of tiktok.createCount) expect({ externalId, creates }).toEqual({ externalId, creates: 1 });

    const listed = [...tiktok.products.values()].filter((product) => product.status !== "SELLER_DEACTIVATED" && product.status !== "DELETED");
    expect(listed.map((product) => product.id).sort()).toEqual(tiktokRows.map((row) => row.remote_id).sort());
    for (const row of tiktokRows) {
      const product = tiktok.product(row.remote_id ?? "");
      const desired = row.desired_payload as { title: string; description: string; external_product_id: string; skus: { external_sku_id: string; price: { amount: string; currency: string }; inventory: { quantity: number }[] }[] };
      expect(product?.payload).toMatchObject({ title: desired.title, description: desired.description, external_product_id: row.product_id });
      const content = catalog.get(Number(row.product_id.split("/").pop()) - FIRST_ID) as ShirtContent;
      expect(desired.title).toBe(content.title);
      expect(product?.skus).toHaveLength(desired.skus.length);
      for (const sku of desired.skus) {
        const held = product?.skus.find((candidate) => candidate.external_sku_id === sku.external_sku_id);
        expect(held?.price).toEqual(sku.price);
        expect(held?.price.amount).toBe(content.price);
        expect(held?.inventory.reduce((sum, entry) => sum + entry.quantity, 0)).toBe(content.quantity);
      }
    }
    // Whatever TikTok still holds for the deleted products (including the one whose create the crash lost) is deactivated.
    for (const index of [lostCreateIndex, deletedUnanswered, deletedLive]) {
      const held = [...tiktok.products.values()].filter((product) => product.payload.external_product_id === productGid(index));
      expect(held.length).toBeLessThanOrEqual(1);
      for (const product of held) expect({ index, status: product.status }).toEqual({ index, status: "SELLER_DEACTIVATED" });
    }
  });
});
