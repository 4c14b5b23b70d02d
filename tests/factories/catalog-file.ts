import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createBulkCatalogAssembler } from "../../app/domain/catalog/bulk-jsonl";
import { hashCatalog, hashProduct } from "../../app/domain/catalog/content-hash";
import type { Product } from "../../app/domain/catalog/types";
import { generateCatalogJsonl } from "../../app/demo/generate-catalog";

export const GENERATED_AT = "2026-11-22T00:00:00Z";

export function generatedLines(products: number, seed = 11): string[] {
  return [...generateCatalogJsonl({ seed, products, now: GENERATED_AT })];
}

export function writeLines(lines: string[], name = "catalog.jsonl"): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "shelfcast-catalog-")), name);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** What the snapshot must equal: the lines assembled in memory, in one pass. */
export function assembleAll(lines: string[]): Product[] {
  const assembler = createBulkCatalogAssembler();
  lines.forEach((line, index) => assembler.push(line, index + 1));
  return assembler.finish().products;
}

export function expectedSnapshot(lines: string[]) {
  const products = assembleAll(lines);
  return {
    products: products.length,
    variants: products.reduce((sum, p) => sum + p.variants.length, 0),
    hash: hashCatalog(products.map((p) => ({ id: p.id, contentHash: hashProduct(p) }))),
  };
}
