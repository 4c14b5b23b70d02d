import { readFile, open } from "node:fs/promises";
import { normalizeRestProduct } from "~/domain/catalog/rest-product";
import { planSnapshotChanges } from "~/domain/catalog/plan-snapshot-changes";
import type { Product } from "~/domain/catalog/types";
import { deleteProductsNotSyncedSince, getProductVersions, markProductsSeen, writeProducts } from "../repositories/catalog";
import { upsertShopInstalled } from "../repositories/shops";
import type { Runtime } from "../runtime";
import { runCatalogSync } from "./catalog-sync/run-catalog-sync";
import { describeSnapshotChanges, recordRemovalEvents } from "./catalog-sync/snapshot-events";
import { recordProductEvents } from "../repositories/product-events";
import { detectCatalogFormat, readCatalogFile } from "./catalog-files/read-catalog-file";
import { startCatalogSync } from "./catalog-sync/start-catalog-sync";

export type IngestFormat = "bulk-jsonl" | "products-json" | "shopify-csv";

export interface IngestReport {
  format: IngestFormat;
  status: "succeeded" | "failed";
  products: number;
  variants: number;
  added: number;
  changed: number;
  removed: number;
  problems: string[];
}

/**
 * A file is a REST products export when it is one JSON object (`{"products": [...]}`), Shopify's
 * product CSV when its header has a Handle column, else bulk JSONL.
 */
export async function detectFormat(path: string): Promise<IngestFormat> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const head = buffer.subarray(0, bytesRead).toString("utf8").trimStart();
    if (/^\{\s*"products"\s*:/.test(head)) return "products-json";
    return head.startsWith("{") ? "bulk-jsonl" : detectCatalogFormat(path, head) === "shopify-csv" ? "shopify-csv" : "bulk-jsonl";
  } finally {
    await handle.close();
  }
}

/**
 * Loads a catalog file into one shop's snapshot, as a full sync: products the file lacks are
 * removed. Support uses it to reproduce a merchant's catalog from their export.
 */
export async function ingestCatalogFile(runtime: Runtime, shop: string, path: string, now: () => Date): Promise<IngestReport> {
  await upsertShopInstalled(runtime.db.prisma, shop, runtime.env.scopes.join(","));
  const format = await detectFormat(path);
  if (format === "products-json") return ingestRestExport(runtime, shop, path, now);
  if (format === "shopify-csv") return ingestShopifyCsv(runtime, shop, path, now);
  return ingestBulkJsonl(runtime, shop, path, now);
}

async function ingestBulkJsonl(runtime: Runtime, shop: string, path: string, now: () => Date): Promise<IngestReport> {
  const { syncId } = await startCatalogSync(runtime, shop, "file-import", { kind: "file", path });
  const result = await runCatalogSync(runtime, { shop, syncId }, {
    now,
    adminApi: async () => {
      throw new Error("a file import never calls Shopify");
    },
  });
  const sync = await runtime.db.prisma.catalogSync.findUniqueOrThrow({ where: { id: syncId } });
  const drift = (sync.drift ?? {}) as { added?: number; changed?: number; removed?: number; problems?: string[] };
  return {
    format: "bulk-jsonl",
    status: result.state === "done" ? result.status : "failed",
    products: sync.doneProducts,
    variants: sync.doneVariants,
    added: drift.added ?? 0,
    changed: drift.changed ?? 0,
    removed: drift.removed ?? 0,
    problems: sync.error ? [sync.error, ...(drift.problems ?? [])] : (drift.problems ?? []),
  };
}

/** All products valid, or nothing written: a half-imported export would mislead support. */
async function ingestRestExport(runtime: Runtime, shop: string, path: string, now: () => Date): Promise<IngestReport> {
  const failed = (problems: string[]): IngestReport => ({ format: "products-json", status: "failed", products: 0, variants: 0, added: 0, changed: 0, removed: 0, problems });
  let document: unknown;
  try {
    document = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    return failed([`not valid JSON: ${(error as Error).message}`]);
  }
  const items = (document as { products?: unknown }).products;
  if (!Array.isArray(items)) return failed(['expected an object with a "products" array']);
  const products: Product[] = [];
  const problems: string[] = [];
  items.forEach((item, index) => {
    const result = normalizeRestProduct(item);
    const label = `products[${index}]${typeof (item as { handle?: unknown })?.handle === "string" ? ` (${(item as { handle: string }).handle})` : ""}`;
    if (result.ok) products.push(result.product);
    else problems.push(...result.problems.map((problem) => `${label}: ${problem}`));
  });
  if (problems.length > 0) return failed(problems);
  return replaceWholeCatalog(runtime, shop, products, "products-json", now);
}

/** Shopify's product CSV (the admin's export), all products valid or nothing written, like a products export. */
async function ingestShopifyCsv(runtime: Runtime, shop: string, path: string, now: () => Date): Promise<IngestReport> {
  const file = await readCatalogFile(path);
  const products: Product[] = [];
  for await (const product of file.products) products.push(product);
  const problems = file.problems().map((problem) => problem.message);
  if (problems.length > 0) return { format: "shopify-csv", status: "failed", products: 0, variants: 0, added: 0, changed: 0, removed: 0, problems };
  return replaceWholeCatalog(runtime, shop, products, "shopify-csv", now);
}

/** Writes a complete catalog as a full sync would: changed products written, the rest marked seen, absent ones removed. */
async function replaceWholeCatalog(runtime: Runtime, shop: string, products: Product[], format: IngestFormat, now: () => Date): Promise<IngestReport> {
  const startedAt = now();
  const versions = await getProductVersions(runtime.db.sql, shop, products.map((p) => p.id));
  const plan = planSnapshotChanges(products, versions);
  // The same timeline events a full sync records: support reading a product's history after an
  // import sees what the file changed.
  const shopRow = await runtime.db.prisma.shop.findUnique({ where: { shop }, select: { currencyCode: true } });
  const events = await describeSnapshotChanges(runtime.db.sql, shop, plan.write, versions, { at: startedAt, currency: shopRow?.currencyCode ?? null });
  await runtime.db.transaction(async (tx) => {
    await writeProducts(tx, shop, plan.write, startedAt);
    await markProductsSeen(tx, shop, products.map((p) => p.id), startedAt);
    await recordProductEvents(tx, shop, events);
  });
  const removed = await deleteProductsNotSyncedSince(runtime.db, shop, startedAt, recordRemovalEvents(shop, startedAt));
  return {
    format,
    status: "succeeded",
    products: products.length,
    variants: products.reduce((sum, p) => sum + p.variants.length, 0),
    added: plan.added,
    changed: plan.changed,
    removed,
    problems: [],
  };
}
