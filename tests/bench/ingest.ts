// npm run bench:ingest: a 100,000-variant catalog through the real full-sync pipeline (staging,
// chunked assembly, batched writes) on both profiles, against a floor measured in the same run
// (reading and parsing the same JSONL), plus webhook acknowledgement latency under a burst.
// Usage: npm run bench:ingest [-- --variants 100000] [-- --profiles embedded,scale]
// Every measurement runs in a fresh child process, so its peak memory is its own (RSS never
// shrinks: generating the catalog first would otherwise count against the sync), started with the
// memory settings `npm start` and `npm run worker` start the app's processes with (ADR 0017).
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { generateCatalogJsonl } from "../../app/demo/generate-catalog";
import { openDatabase, type Database } from "../../app/.server/db/connection";
import { readFileLines } from "../../app/.server/services/catalog-sync/sources";
import { startRuntime, setRuntime, type Runtime } from "../../app/.server/runtime";
import { runCatalogSync } from "../../app/.server/services/catalog-sync/run-catalog-sync";
import { startCatalogSync } from "../../app/.server/services/catalog-sync/start-catalog-sync";
import { formatRate, percentile, sampleMemory } from "./measure";
import { withProcessMemorySettings } from "../../scripts/process-memory.mjs";

const { values } = parseArgs({
  options: {
    variants: { type: "string", default: "100000" },
    profiles: { type: "string", default: "embedded,scale" },
    burst: { type: "string", default: "2000" },
    rate: { type: "string", default: "400" },
    // Internal: run one measurement in this (child) process and print it as JSON.
    child: { type: "string" },
    file: { type: "string" },
    work: { type: "string" },
  },
});
const TARGET_VARIANTS = Number(values.variants);
const PROFILES = values.profiles!.split(",");
const BURST = Number(values.burst);
/** Deliveries per second arriving in the open-loop burst (Shopify pushes; it does not wait for us). */
const RATE = Number(values.rate);
const VARIANTS_PER_PRODUCT = 5.23; // what the demo generator averages (2,093 variants / 400 products)
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const work = values.work ?? mkdtempSync(path.join(tmpdir(), "shelfcast-bench-"));

Object.assign(process.env, {
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  SHELFCAST_DEMO: "0",
  SHOPIFY_API_KEY: "bench-key",
  SHOPIFY_API_SECRET: API_SECRET_KEY,
  SHOPIFY_APP_URL: "https://shelfcast.bench",
});

async function writeCatalog(file: string): Promise<void> {
  const out = createWriteStream(file);
  for (const line of generateCatalogJsonl({ seed: 42, products: Math.ceil(TARGET_VARIANTS / VARIANTS_PER_PRODUCT), now: "2026-11-22T00:00:00Z" })) {
    if (!out.write(`${line}\n`)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

/** The floor: read and JSON-parse every line, nothing else. */
async function measureFloor(file: string) {
  const memory = sampleMemory();
  const started = performance.now();
  let lines = 0;
  let variants = 0;
  for await (const line of readFileLines(file)) {
    const parsed = JSON.parse(line) as { id: string };
    lines += 1;
    if (parsed.id.startsWith("gid://shopify/ProductVariant/")) variants += 1;
  }
  return { ms: performance.now() - started, lines, variants, ...memory.stop() };
}

async function openProfile(profile: string): Promise<{ db: Database; cleanup: () => Promise<void> }> {
  if (profile === "embedded") {
    const dir = path.join(work, "pglite");
    return { db: openDatabase({ kind: "pglite", dataDir: dir }), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `shelfcast_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    db: openDatabase({ kind: "postgres", connectionString: url.toString() }),
    cleanup: async () => {
      const client = new pg.Client({ connectionString: POSTGRES_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

async function measureSync(runtime: Runtime, file: string) {
  // What the process holds before the sync (runtime, database engine, migrations): the peak includes it.
  const idleRssMb = Math.round(process.memoryUsage().rss / 2 ** 20);
  const memory = sampleMemory();
  const started = performance.now();
  const { syncId } = await startCatalogSync(runtime, "bench.myshopify.com", "file-import", { kind: "file", path: file });
  const result = await runCatalogSync(runtime, { shop: "bench.myshopify.com", syncId }, {
    now: () => new Date(),
    adminApi: async () => {
      throw new Error("file sync");
    },
  });
  const ms = performance.now() - started;
  const sync = await runtime.db.prisma.catalogSync.findUniqueOrThrow({ where: { id: syncId } });
  if (result.state !== "done" || result.status !== "succeeded") throw new Error(`sync did not succeed: ${sync.error}`);
  return { ms, variants: sync.doneVariants, products: sync.doneProducts, idleRssMb, ...memory.stop() };
}

/**
 * Webhook acknowledgement: HMAC check and inbox insert, answered to Shopify. Two load models:
 * an open-loop burst (BURST deliveries arriving at RATE per second, each timed from its arrival,
 * so waiting in line counts), and a closed loop with 50 deliveries in flight at once.
 */
async function measureWebhookAcks(runtime: Runtime) {
  const { action } = await import("../../app/routes/webhooks.$");
  const { getHmac } = await import("@shopify/shopify-api/test-helpers");
  await runtime.db.prisma.shop.upsert({ where: { shop: "bench.myshopify.com" }, create: { shop: "bench.myshopify.com" }, update: {} });
  const deliver = async (i: number) => {
    const body = JSON.stringify({ id: 8200000000000 + (i % 500), updated_at: new Date().toISOString(), title: `Product ${i}` });
    const request = new Request("https://shelfcast.bench/webhooks/products/update", {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-shopify-hmac-sha256": getHmac(body, API_SECRET_KEY),
        "x-shopify-topic": "products/update",
        "x-shopify-shop-domain": "bench.myshopify.com",
        "x-shopify-api-version": "2025-10",
        "x-shopify-webhook-id": `bench-${i}`,
        "x-shopify-event-id": `bench-event-${i % Math.floor(BURST * 0.8)}`, // 20% duplicates
      },
    });
    const response = await action({ request, params: { "*": "products/update" }, context: {} });
    if (response.status !== 200) throw new Error(`webhook answered ${response.status}`);
  };
  // One untimed delivery first: the first request also pays for loading the route and Shopify's library.
  await deliver(-1);

  const open: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: BURST }, (_, i) => {
      const arrival = started + (i * 1000) / RATE;
      return new Promise<void>((resolve, reject) => {
        setTimeout(() => {
          deliver(i)
            .then(() => {
              open.push(performance.now() - arrival);
              resolve();
            })
            .catch(reject);
        }, Math.max(0, arrival - performance.now()));
      });
    }),
  );

  const closed: number[] = [];
  for (let i = 0; i < BURST; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, BURST - i) }, async (_, j) => {
        const sent = performance.now();
        await deliver(BURST + i + j);
        closed.push(performance.now() - sent);
      }),
    );
  }
  open.sort((a, b) => a - b);
  closed.sort((a, b) => a - b);
  return {
    deliveries: BURST,
    p50: percentile(open, 50),
    p99: percentile(open, 99),
    max: open[open.length - 1]!,
    closed50: { p50: percentile(closed, 50), p99: percentile(closed, 99) },
  };
}

/** One measurement in this process: "floor", or "<profile>" (sync then webhook acks). */
async function runChild(kind: string, file: string): Promise<unknown> {
  if (kind === "floor") return measureFloor(file);
  const { db, cleanup } = await openProfile(kind);
  const runtime = await startRuntime({ db, worker: false });
  setRuntime(runtime);
  try {
    const sync = await measureSync(runtime, file);
    const acks = await measureWebhookAcks(runtime);
    return { sync, acks };
  } finally {
    setRuntime(undefined);
    await runtime.stop();
    await cleanup();
  }
}

/** The environment of a measured child: the app's own process memory settings, as it ships them. */
const childEnv = withProcessMemorySettings({ ...process.env, LOG_LEVEL: "silent" });

function inChild<T>(kind: string, file: string): T {
  const result = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, "--child", kind, "--file", file, "--work", work, "--burst", String(BURST), "--rate", String(RATE)], {
    encoding: "utf8",
    env: childEnv,
    maxBuffer: 64 * 2 ** 20,
  });
  const last = result.stdout.trim().split("\n").pop() ?? "";
  if (result.status !== 0 || !last.startsWith("{")) throw new Error(`${kind} measurement failed:\n${result.stderr}`);
  return JSON.parse(last) as T;
}

if (values.child) {
  console.log(JSON.stringify(await runChild(values.child, values.file!)));
  process.exit(0);
}

const file = path.join(work, "catalog.jsonl");
console.log(`Generating a catalog of about ${TARGET_VARIANTS.toLocaleString("en-US")} variants…`);
await writeCatalog(file);
const floor = inChild<Awaited<ReturnType<typeof measureFloor>>>("floor", file);
console.log(`Each measurement runs in a new process started with MALLOC_ARENA_MAX=${childEnv.MALLOC_ARENA_MAX} MALLOC_MMAP_THRESHOLD_=${childEnv.MALLOC_MMAP_THRESHOLD_} (as npm start and npm run worker set them).`);
console.log(`\nfloor (read + JSON.parse every line): ${floor.lines.toLocaleString("en-US")} lines, ${floor.variants.toLocaleString("en-US")} variants in ${(floor.ms / 1000).toFixed(2)} s = ${formatRate(floor.variants, floor.ms)} variants, peak RSS ${floor.peakRssMb} MB`);

/** Issue 3's targets, per profile: a full sync of 100,000 variants, peak memory, webhook acknowledgement. */
const TARGETS: Record<string, { syncSeconds: number }> = { embedded: { syncSeconds: 60 }, scale: { syncSeconds: 30 } };
const PEAK_RSS_TARGET_MB = 300;
const ACK_P99_TARGET_MS = 50;
const verdicts: string[] = [];
const mark = (met: boolean) => (met ? "met" : "NOT met");

for (const profile of PROFILES) {
  const { sync, acks } = inChild<{ sync: Awaited<ReturnType<typeof measureSync>>; acks: Awaited<ReturnType<typeof measureWebhookAcks>> }>(profile, file);
  console.log(
    `${profile.padEnd(9)} | ${sync.variants.toLocaleString("en-US").padStart(8)} variants in ${(sync.ms / 1000).toFixed(1).padStart(5)} s | ${formatRate(sync.variants, sync.ms).padStart(9)} | ${(sync.ms / floor.ms).toFixed(1).padStart(5)}x floor | peak RSS ${String(sync.peakRssMb).padStart(4)} MB (idle before ${sync.idleRssMb} MB, heap ${sync.peakHeapMb} MB) | ack at ${RATE}/s p50 ${acks.p50.toFixed(1)} ms, p99 ${acks.p99.toFixed(1)} ms, max ${acks.max.toFixed(1)} ms over ${acks.deliveries}; 50 in flight p50 ${acks.closed50.p50.toFixed(1)} ms, p99 ${acks.closed50.p99.toFixed(1)} ms`,
  );
  const seconds = sync.ms / 1000;
  // The time target is for 100,000 variants: other sizes are compared at the same rate.
  const secondsPer100k = (seconds * 100_000) / Math.max(1, sync.variants);
  const target = TARGETS[profile]?.syncSeconds ?? Number.NaN;
  verdicts.push(
    `${profile.padEnd(9)} | ${secondsPer100k.toFixed(1)} s per 100k variants (< ${target} s: ${mark(secondsPer100k < target)}) | peak RSS ${sync.peakRssMb} MB (< ${PEAK_RSS_TARGET_MB} MB: ${mark(sync.peakRssMb < PEAK_RSS_TARGET_MB)}${sync.peakRssMb >= PEAK_RSS_TARGET_MB && sync.idleRssMb >= PEAK_RSS_TARGET_MB - 50 ? `; the process held ${sync.idleRssMb} MB before the sync started, see ADR 0017` : ""}) | ack p99 ${acks.p99.toFixed(1)} ms (< ${ACK_P99_TARGET_MS} ms: ${mark(acks.p99 < ACK_P99_TARGET_MS)})`,
  );
}
rmSync(work, { recursive: true, force: true });
console.log(`\nAgainst issue 3's targets (peak RSS includes what the process held before the sync):\n${verdicts.join("\n")}`);
