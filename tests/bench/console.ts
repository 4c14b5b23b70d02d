// npm run bench:console: the Feed issues page's data loader (loadFeedIssuesPage, what the route
// calls) against 200,000 stored issues of one shop plus other shops' noise, for a set of filters,
// searches, deep pages, the grouped view and the resolved history. Prints p50 / p95 / max server
// time per case and overall, next to a baseline measured in the same run on the same data: an
// unfiltered exact count of the shop's issues. Target: every case's p95 under 200 ms.
// Then the write side: one feed build's 200,000 diagnostics reconciled into the issue list (new,
// then found again), and the housekeeping that follows.
// Runs on the embedded profile (PGlite), and on PostgreSQL when SHELFCAST_BENCH_DATABASE_URL (or
// TEST_DATABASE_URL, or the test profile's default server) is reachable.
// Usage: npm run bench:console [-- --issues 200000] [-- --runs 30] [-- --profiles embedded,scale] [-- --reconcile 0]
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { openDatabase, type Database, type SqlExecutor } from "../../app/.server/db/connection";
import { applyMigrations } from "../../app/.server/db/migrate";
import { maintainIssueTables, reconcileBuildIssues } from "../../app/.server/repositories/feed-issues";
import type { Runtime } from "../../app/.server/runtime";
import { loadFeedIssuesPage } from "../../app/.server/services/feed-issues/feed-issues-page";
import { seedFeedIssues, seedIssueCatalog } from "../factories/feed-issues";
import { percentile, sampleMemory } from "./measure";

const { values } = parseArgs({
  options: {
    issues: { type: "string", default: "200000" },
    runs: { type: "string", default: "30" },
    profiles: { type: "string", default: "embedded,scale" },
    reconcile: { type: "string", default: "1" },
  },
});
const ISSUES = Number(values.issues);
const RUNS = Number(values.runs);
const WARMUP = 3;
const PROFILES = values.profiles!.split(",");
const SHOP = "bench-issues.myshopify.com";
const NOISE_SHOPS = ["noise-a.myshopify.com", "noise-b.myshopify.com"];
const NOW = new Date("2026-11-22T12:00:00Z");
const TARGET_MS = 200;
const SERVER_URL = process.env.SHELFCAST_BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Each case is a Feed issues URL, as the page would request it. */
const CASES: [label: string, search: string][] = [
  ["open, no filter", ""],
  ["channel", "channel=meta"],
  ["severity", "severity=error"],
  ["code", "code=title_too_long"],
  ["source (channel-reported)", "source=meta"],
  ["vendor", "vendor=Vendor+7"],
  ["type", "productType=Type+3"],
  ["collection", "collection=gid%3A%2F%2Fshopify%2FCollection%2F5"],
  ["first seen 24 h", "firstSeen=24h"],
  ["first seen > 30 days", "firstSeen=older"],
  ["search title (broad)", "query=linen"],
  ["search title (narrow)", "query=wool+scarf+1042"],
  ["search SKU", "query=SKU-4242"],
  ["search variant id", "query=2012345"],
  ["search variant GID", "query=gid%3A%2F%2Fshopify%2FProductVariant%2F2031337"],
  ["search item id", "query=item-123456"],
  ["search, no match", "query=zzzz-nothing"],
  ["channel+severity+vendor", "channel=meta&severity=error&vendor=Vendor+7"],
  ["channel+code+collection", "channel=tiktok&code=gtin_invalid&collection=gid%3A%2F%2Fshopify%2FCollection%2F105"],
  ["source+search", "source=tiktok&query=cotton"],
  ["deep page (150)", "page=150"],
  ["grouped, no filter", "tab=grouped"],
  ["grouped, channel", "tab=grouped&channel=meta"],
  ["grouped, vendor+search", "tab=grouped&vendor=Vendor+9&query=silk"],
  ["resolved history", "tab=resolved"],
  ["resolved, search", "tab=resolved&query=denim"],
];

interface CaseResult {
  label: string;
  p50: number;
  p95: number;
  max: number;
  shown: string;
}

function timed(samples: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? Number.NaN };
}

async function time(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

async function seed(sql: SqlExecutor): Promise<number> {
  const started = performance.now();
  await seedIssueCatalog(sql, SHOP, { issues: ISSUES });
  // Written in slices: one statement of 200,000 rows would hold PGlite's whole WAL in memory.
  for (let from = 0; from < ISSUES; from += 50_000) await seedFeedIssues(sql, SHOP, { from, count: Math.min(50_000, ISSUES - from), now: NOW });
  // A resolved history a tenth the size of the open list, beyond the open rows' numbers.
  await seedFeedIssues(sql, SHOP, { from: ISSUES, count: Math.round(ISSUES / 10), now: NOW, resolved: true });
  for (const shop of NOISE_SHOPS) {
    await seedIssueCatalog(sql, shop, { issues: ISSUES / 10 });
    await seedFeedIssues(sql, shop, { count: ISSUES / 10, now: NOW });
  }
  // What a build that wrote this many issues does next (build-feeds.ts): statistics and visibility.
  await maintainIssueTables(sql, SHOP, NOW);
  return performance.now() - started;
}

async function measureReads(db: Database): Promise<{ baseline: { p50: number; p95: number; max: number }; cases: CaseResult[] }> {
  const runtime = { db } as unknown as Runtime;
  const baselineSamples: number[] = [];
  for (let run = 0; run < WARMUP + RUNS; run += 1) {
    const ms = await time(() => db.sql.query(`SELECT count(*) FROM "feed_issue" WHERE "shop" = $1`, [SHOP]));
    if (run >= WARMUP) baselineSamples.push(ms);
  }
  const cases: CaseResult[] = [];
  for (const [label, search] of CASES) {
    const samples: number[] = [];
    let shown = "";
    for (let run = 0; run < WARMUP + RUNS; run += 1) {
      let page: Awaited<ReturnType<typeof loadFeedIssuesPage>> | null = null;
      const ms = await time(async () => {
        page = await loadFeedIssuesPage(runtime, SHOP, new URLSearchParams(search), NOW);
      });
      if (run >= WARMUP) samples.push(ms);
      const loaded = page as Awaited<ReturnType<typeof loadFeedIssuesPage>> | null;
      if (loaded) shown = loaded.tab === "grouped" ? `${loaded.groups.length} groups, ${loaded.total} issues` : `${loaded.rows.length} rows of ${loaded.total}${loaded.totalCapped ? "+" : ""}`;
    }
    cases.push({ label, ...timed(samples), shown });
  }
  return { baseline: timed(baselineSamples), cases };
}

/** One build's diagnostics, written like insertDiagnostics writes them, for a shop with no issues yet. */
async function measureReconcile(db: Database): Promise<string[]> {
  const shop = "bench-reconcile.myshopify.com";
  await seedIssueCatalog(db.sql, shop, { issues: ISSUES });
  const { rows } = await db.sql.query<{ id: string }>(
    `INSERT INTO "channel_feed" ("shop", "channel", "market", "format", "token") VALUES ($1, 'meta', 'US', 'csv', $2) RETURNING "id"`,
    [shop, randomUUID()],
  );
  const feedId = rows[0]!.id;
  const buildId = randomUUID();
  await db.sql.query(`INSERT INTO "feed_build" ("id", "shop", "feed_id", "status", "started_at") VALUES ($1, $2, $3, 'running', $4)`, [buildId, shop, feedId, NOW]);
  for (let from = 0; from < ISSUES; from += 50_000) {
    await db.sql.query(
      `INSERT INTO "channel_diagnostic" ("shop", "build_id", "channel", "market", "item_id", "product_id", "variant_id", "code", "severity", "field", "value",
         "message", "fix", "fix_target")
       SELECT $1, $2, 'meta', 'US', 'item-' || n, 'gid://shopify/Product/' || (1000000 + n / 15), 'gid://shopify/ProductVariant/' || (2000000 + n / 3),
         'code_' || (n % 40), CASE WHEN n % 3 = 0 THEN 'error' ELSE 'warning' END, 'title', 'value ' || n,
         'title has ' || (150 + n % 100) || ' characters; Meta accepts at most 150.', 'Shorten the title', '{"kind":"settings","section":"channels"}'::jsonb
       FROM generate_series($3::int, $3::int + $4::int - 1) AS n`,
      [shop, buildId, from, Math.min(50_000, ISSUES - from)],
    );
  }
  const lines: string[] = [];
  const build = { buildId, channel: "meta", market: "US" };
  const memory = sampleMemory();
  let changes = { opened: 0, resolved: 0, written: 0 };
  const first = await time(async () => {
    changes = await db.transaction((tx) => reconcileBuildIssues(tx, shop, { ...build, seenAt: NOW }));
  });
  lines.push(`reconcile, ${ISSUES.toLocaleString("en-US")} new issues:      ${(first / 1000).toFixed(2).padStart(6)} s  (${changes.opened.toLocaleString("en-US")} opened, events written)`);
  const housekeeping = await time(() => maintainIssueTables(db.sql, shop, NOW));
  lines.push(`housekeeping (VACUUM ANALYZE):        ${(housekeeping / 1000).toFixed(2).padStart(6)} s`);
  // The next build finds the same problems, except every tenth item's, which were fixed.
  await db.sql.query(`DELETE FROM "channel_diagnostic" WHERE "shop" = $1 AND "build_id" = $2 AND substring("item_id" from 6)::int % 10 = 0`, [shop, buildId]);
  const later = new Date(NOW.getTime() + 3_600_000);
  const second = await time(async () => {
    changes = await db.transaction((tx) => reconcileBuildIssues(tx, shop, { ...build, seenAt: later }));
  });
  const { peakRssMb } = memory.stop();
  lines.push(
    `reconcile, found again (10% fixed):   ${(second / 1000).toFixed(2).padStart(6)} s  (${changes.written.toLocaleString("en-US")} rewritten, ${changes.resolved.toLocaleString("en-US")} resolved); peak RSS ${peakRssMb} MB`,
  );
  return lines;
}

function report(profile: string, seedMs: number, result: Awaited<ReturnType<typeof measureReads>>): boolean {
  const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
  process.stdout.write(`\n[${profile}] ${ISSUES.toLocaleString("en-US")} open issues + ${(ISSUES / 10).toLocaleString("en-US")} resolved + noise, seeded in ${(seedMs / 1000).toFixed(1)} s; ${RUNS} runs per case\n`);
  process.stdout.write(`${"case".padEnd(28)} ${"p50".padStart(10)} ${"p95".padStart(10)} ${"max".padStart(10)}  ${"p95/base".padStart(8)}  result\n`);
  process.stdout.write(`${"baseline: count(*) of shop".padEnd(28)} ${ms(result.baseline.p50)} ${ms(result.baseline.p95)} ${ms(result.baseline.max)}  ${"1.0x".padStart(8)}\n`);
  let allMet = true;
  for (const row of result.cases) {
    const met = row.p95 < TARGET_MS;
    allMet &&= met;
    process.stdout.write(
      `${row.label.padEnd(28)} ${ms(row.p50)} ${ms(row.p95)} ${ms(row.max)}  ${`${(row.p95 / result.baseline.p95).toFixed(1)}x`.padStart(8)}  ${met ? "" : "OVER 200 ms  "}${row.shown}\n`,
    );
  }
  const all = timed(result.cases.flatMap((row) => [row.p50, row.p95]));
  const worst = result.cases.reduce((a, b) => (b.p95 > a.p95 ? b : a));
  process.stdout.write(`overall: worst p95 ${worst.p95.toFixed(1)} ms (${worst.label}), median of case p50s ${all.p50.toFixed(1)} ms; target p95 < ${TARGET_MS} ms: ${allMet ? "met" : "MISSED"}\n`);
  return allMet;
}

async function runProfile(profile: string): Promise<void> {
  let db: Database;
  let dropServerDatabase: (() => Promise<void>) | null = null;
  if (profile === "embedded") {
    db = openDatabase({ kind: "pglite", dataDir: "memory://" });
  } else {
    const admin = new pg.Client({ connectionString: SERVER_URL, connectionTimeoutMillis: 3_000 });
    try {
      await admin.connect();
    } catch (error) {
      process.stdout.write(`\n[scale] skipped: no PostgreSQL at ${SERVER_URL.replace(/\/\/[^@]*@/, "//…@")} (${(error as Error).message}); set SHELFCAST_BENCH_DATABASE_URL\n`);
      return;
    }
    const name = `shelfcast_bench_console_${process.pid}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(SERVER_URL);
    url.pathname = `/${name}`;
    db = openDatabase({ kind: "postgres", connectionString: url.toString(), poolSize: 4 });
    dropServerDatabase = async () => {
      const again = new pg.Client({ connectionString: SERVER_URL });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    };
  }
  try {
    await applyMigrations(db.sql);
    const seedMs = await seed(db.sql);
    const result = await measureReads(db);
    report(profile, seedMs, result);
    if (values.reconcile !== "0") for (const line of await measureReconcile(db)) process.stdout.write(`${line}\n`);
  } finally {
    await db.close();
    await dropServerDatabase?.();
  }
}

for (const profile of PROFILES) await runProfile(profile);
