import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../../../app/.server/runtime";
import { ingestCatalogFile } from "../../../app/.server/services/ingest-file";
import { writeLines } from "../../factories/catalog-file";
import { startTestApp, stopTestApp } from "../../setup/app";

const EXPORT = readFileSync(new URL("../../fixtures/products-export.json", import.meta.url), "utf8");

describe("ingesting a products JSON export (REST shape)", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestApp();
  });
  afterAll(async () => stopTestApp(runtime));

  it("loads every product of a valid export", async () => {
    const report = await ingestCatalogFile(runtime, "rest-a.myshopify.com", writeLines([EXPORT], "products.json"), () => new Date());
    expect(report).toMatchObject({ format: "products-json", status: "succeeded", products: 1, variants: 2, added: 1, problems: [] });
    const variants = await runtime.db.prisma.variant.findMany({ where: { shop: "rest-a.myshopify.com" }, orderBy: { sku: "asc" } });
    expect(variants.map((v) => [v.sku, v.available, v.inventoryPolicy])).toEqual([
      ["IPOD2008PINK", 10, "CONTINUE"],
      ["IPOD2008RED", 20, "CONTINUE"],
    ]);
  });

  it("writes nothing when any product is invalid, and names the product and field", async () => {
    const bad = EXPORT.replace('"price":"199.00","sku":"IPOD2008RED"', '"price":"cheap","sku":"IPOD2008RED"');
    const report = await ingestCatalogFile(runtime, "rest-b.myshopify.com", writeLines([bad], "products.json"), () => new Date());
    expect(report.status).toBe("failed");
    expect(report.problems).toEqual([expect.stringMatching(/^products\[0\] \(ipod-nano\): variants\.1\.price: /)]);
    expect(await runtime.db.prisma.product.count({ where: { shop: "rest-b.myshopify.com" } })).toBe(0);
  });

  it("records on each product's timeline what an import changed and removed, as a full sync does", async () => {
    const shop = "rest-d.myshopify.com";
    await ingestCatalogFile(runtime, shop, writeLines([EXPORT], "products.json"), () => new Date("2026-12-01T10:00:00Z"));
    const repriced = EXPORT.replace('"price":"199.00","sku":"IPOD2008RED"', '"price":"179.00","sku":"IPOD2008RED"');
    const second = await ingestCatalogFile(runtime, shop, writeLines([repriced], "products.json"), () => new Date("2026-12-02T10:00:00Z"));
    expect(second).toMatchObject({ status: "succeeded", changed: 1 });
    const emptied = await ingestCatalogFile(runtime, shop, writeLines(['{"products": []}'], "products.json"), () => new Date("2026-12-03T10:00:00Z"));
    expect(emptied).toMatchObject({ status: "succeeded", removed: 1 });

    const events = await runtime.db.prisma.productEvent.findMany({ where: { shop }, orderBy: { at: "asc" } });
    expect(events.map((event) => event.kind)).toEqual(["shopify.created", "shopify.updated", "shopify.deleted"]);
    expect(events[1]!.summary).toMatch(/179/);
    expect(events[2]!.summary).toMatch(/^Deleted in Shopify/);
  });

  it("says what is wrong with a file that is not an export", async () => {
    const report = await ingestCatalogFile(runtime, "rest-c.myshopify.com", writeLines(['{"products": {"oops": true}}'], "products.json"), () => new Date());
    expect(report).toMatchObject({ status: "failed", problems: ['expected an object with a "products" array'] });
  });
});

describe("ingesting Shopify's product CSV (the admin's export)", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestApp();
  });
  afterAll(async () => stopTestApp(runtime));

  it("loads Shopify's sample apparel CSV, and a second import of the same file changes nothing", async () => {
    const file = new URL("../../../../shared/data/real-products/apparel.csv", import.meta.url).pathname;
    const first = await ingestCatalogFile(runtime, "csv-a.myshopify.com", file, () => new Date());
    expect(first).toMatchObject({ format: "shopify-csv", status: "succeeded", products: 20, variants: 22, added: 20, problems: [] });
    expect(await runtime.db.prisma.variant.count({ where: { shop: "csv-a.myshopify.com" } })).toBe(22);
    const again = await ingestCatalogFile(runtime, "csv-a.myshopify.com", file, () => new Date());
    expect(again).toMatchObject({ status: "succeeded", added: 0, changed: 0, removed: 0 });
  });
});
