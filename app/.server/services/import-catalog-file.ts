import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { z } from "zod";
import { createBulkCatalogAssembler } from "~/domain/catalog/bulk-jsonl";
import { deleteProductsNotSyncedSince, replaceProducts } from "../repositories/catalog";
import { getCatalogSync, updateCatalogSync } from "../repositories/catalog-syncs";
import type { Runtime } from "../runtime";

export const ImportCatalogFileJobSchema = z.object({ shop: z.string().min(1), syncId: z.string().uuid(), path: z.string().min(1) });
export type ImportCatalogFileJob = z.infer<typeof ImportCatalogFileJobSchema>;

const PRODUCTS_PER_BATCH = 100;

/**
 * Reads a bulk-operation JSONL file (a real bulk result or the demo's generated one) through the
 * same assembler as a live full sync, then writes the snapshot in batches with progress, and
 * removes products the file no longer has.
 */
export async function importCatalogFile(runtime: Runtime, job: ImportCatalogFileJob, now: () => Date): Promise<{ products: number; variants: number; removed: number }> {
  const { prisma } = runtime.db;
  const sync = await getCatalogSync(prisma, job.shop, job.syncId);
  if (!sync) throw new Error(`catalog sync ${job.syncId} not found for ${job.shop}`);
  const startedAt = now();
  await updateCatalogSync(prisma, job.shop, job.syncId, { status: "running", doneVariants: 0, doneProducts: 0, error: null });
  try {
    const assembler = createBulkCatalogAssembler();
    const lines = createInterface({ input: createReadStream(job.path, "utf8"), crlfDelay: Infinity });
    let lineNumber = 0;
    for await (const line of lines) {
      lineNumber += 1;
      if (line.trim() !== "") assembler.push(line, lineNumber);
    }
    const { products } = assembler.finish();
    const totalVariants = products.reduce((sum, p) => sum + p.variants.length, 0);
    await updateCatalogSync(prisma, job.shop, job.syncId, { totalVariants });
    let doneVariants = 0;
    for (let start = 0; start < products.length; start += PRODUCTS_PER_BATCH) {
      const batch = products.slice(start, start + PRODUCTS_PER_BATCH);
      await replaceProducts(prisma, job.shop, batch, startedAt);
      doneVariants += batch.reduce((sum, p) => sum + p.variants.length, 0);
      await updateCatalogSync(prisma, job.shop, job.syncId, { doneVariants, doneProducts: start + batch.length });
    }
    const removed = await deleteProductsNotSyncedSince(prisma, job.shop, startedAt);
    await updateCatalogSync(prisma, job.shop, job.syncId, { status: "succeeded", finishedAt: now() });
    await prisma.shop.updateMany({ where: { shop: job.shop }, data: { lastSyncAt: now() } });
    return { products: products.length, variants: totalVariants, removed };
  } catch (error) {
    await updateCatalogSync(prisma, job.shop, job.syncId, { status: "failed", error: (error as Error).message, finishedAt: now() });
    throw error;
  }
}
