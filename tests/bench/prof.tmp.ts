import { generateCatalogJsonl } from "../../app/demo/generate-catalog";
import { openDatabase } from "../../app/.server/db/connection";
import { startRuntime } from "../../app/.server/runtime";
import { runCatalogSync } from "../../app/.server/services/catalog-sync/run-catalog-sync";
import { startCatalogSync } from "../../app/.server/services/catalog-sync/start-catalog-sync";
import { writeFileSync } from "node:fs";
Object.assign(process.env, { SHELFCAST_DEMO: "1", NODE_ENV: "test" });
writeFileSync("/tmp/prof/c.jsonl", [...generateCatalogJsonl({ seed: 42, products: 4000, now: "2026-11-22T00:00:00Z" })].join("\n"));
const db = openDatabase({ kind: "postgres", connectionString: "postgresql://postgres@127.0.0.1:5432/postgres" });
const runtime = await startRuntime({ db, worker: false });
await db.sql.query(`DELETE FROM product WHERE shop='prof.myshopify.com'`); await db.sql.query(`DELETE FROM variant WHERE shop='prof.myshopify.com'`);
const t0 = performance.now(); let last = t0; const phases: Record<string, number> = {};
const { syncId } = await startCatalogSync(runtime, "prof.myshopify.com", "file-import", { kind: "file", path: "/tmp/prof/c.jsonl" });
await runCatalogSync(runtime, { shop: "prof.myshopify.com", syncId }, { now: () => new Date(), adminApi: async () => { throw new Error(); },
  afterCheckpoint(phase) { const now = performance.now(); phases[phase] = (phases[phase] ?? 0) + (now - last); last = now; } });
console.log("total", Math.round(performance.now() - t0), phases);
await runtime.stop();
