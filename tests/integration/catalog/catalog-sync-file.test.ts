import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snapshotHash } from "../../../app/.server/repositories/catalog";
import type { Runtime } from "../../../app/.server/runtime";
import { runCatalogSync, type CatalogSyncDeps } from "../../../app/.server/services/catalog-sync/run-catalog-sync";
import { startCatalogSync } from "../../../app/.server/services/catalog-sync/start-catalog-sync";
import { expectedSnapshot, generatedLines, writeLines } from "../../factories/catalog-file";
import { startTestApp, stopTestApp } from "../../setup/app";

const deps = (overrides: Partial<CatalogSyncDeps> = {}): CatalogSyncDeps => ({
  now: () => new Date(),
  adminApi: async () => {
    throw new Error("a file sync never calls Shopify");
  },
  stageBatchLines: 250,
  applyBatchProducts: 7,
  ...overrides,
});

async function syncFile(runtime: Runtime, shop: string, file: string, syncDeps = deps()) {
  const { syncId } = await startCatalogSync(runtime, shop, "file-import", { kind: "file", path: file });
  const result = await runCatalogSync(runtime, { shop, syncId }, syncDeps);
  return { syncId, result, sync: await runtime.db.prisma.catalogSync.findUniqueOrThrow({ where: { id: syncId } }) };
}

describe("full sync from a bulk JSONL file", () => {
  let runtime: Runtime;
  const lines = generatedLines(60);
  const expected = expectedSnapshot(lines);

  beforeAll(async () => {
    runtime = await startTestApp();
  });
  afterAll(async () => stopTestApp(runtime));

  it("ends with a snapshot equal to the source (counts and content hash)", async () => {
    const { result, sync } = await syncFile(runtime, "file-a.myshopify.com", writeLines(lines));
    expect(result).toEqual({ state: "done", status: "succeeded" });
    expect(await snapshotHash(runtime.db.prisma, "file-a.myshopify.com")).toEqual(expected);
    expect(sync).toMatchObject({ totalVariants: expected.variants, doneVariants: expected.variants, doneProducts: expected.products });
    expect(sync.drift).toMatchObject({ added: expected.products, changed: 0, removed: 0, problems: [] });
    expect(await runtime.db.prisma.catalogSyncBlock.count({ where: { syncId: sync.id } })).toBe(0); // staging cleared
  });

  it("resumes after a crash at any checkpoint and converges on the same snapshot", async () => {
    const shop = "file-crash.myshopify.com";
    const crashes = new Set(["staging:3", "applying:2", "applying:5"]);
    const seen: Record<string, number> = {};
    const crashing = deps({
      afterCheckpoint(phase) {
        seen[phase] = (seen[phase] ?? 0) + 1;
        if (crashes.delete(`${phase}:${seen[phase]}`)) throw new Error(`simulated crash after ${phase} checkpoint ${seen[phase]}`);
      },
    });
    const { syncId } = await startCatalogSync(runtime, shop, "file-import", { kind: "file", path: writeLines(lines) });
    let crashed = 0;
    for (let attempt = 0; attempt < 10; attempt += 1) {
      try {
        const result = await runCatalogSync(runtime, { shop, syncId }, crashing);
        expect(result.state).toBe("done");
        break;
      } catch (error) {
        expect((error as Error).message).toMatch(/simulated crash/);
        crashed += 1;
      }
    }
    expect(crashed).toBe(3);
    expect(await snapshotHash(runtime.db.prisma, shop)).toEqual(expected);
    const sync = await runtime.db.prisma.catalogSync.findUniqueOrThrow({ where: { id: syncId } });
    expect(sync.status).toBe("succeeded");
    expect(sync.drift).toMatchObject({ added: expected.products, changed: 0, removed: 0 });
  });

  it("runs one full sync per shop at a time", async () => {
    const file = writeLines(lines);
    const first = await startCatalogSync(runtime, "file-once.myshopify.com", "file-import", { kind: "file", path: file });
    const second = await startCatalogSync(runtime, "file-once.myshopify.com", "full", { kind: "file", path: file });
    expect(second).toEqual({ syncId: first.syncId, alreadyRunning: true });
  });

  it("records drift on a re-sync: changed and removed products, deleted from the snapshot", async () => {
    const shop = "file-drift.myshopify.com";
    await syncFile(runtime, shop, writeLines(lines));
    const productLines = lines.filter((line) => !line.includes("__parentId") && line.includes('"handle"'));
    const removed = productLines.slice(0, 2).map((line) => (JSON.parse(line) as { id: string }).id);
    const renamed = JSON.parse(productLines[2]!) as { id: string; title: string };
    const changedLines = lines
      .filter((line) => !removed.some((id) => line.includes(`"${id}"`)))
      .map((line) => (line.startsWith(`{"id":"${renamed.id}",`) && line.includes('"handle"') ? line.replace(`"title":${JSON.stringify(renamed.title)}`, '"title":"Renamed in Shopify"') : line));
    const { sync } = await syncFile(runtime, shop, writeLines(changedLines));
    expect(sync.drift).toMatchObject({ added: 0, changed: 1, removed: 2 });
    expect(await snapshotHash(runtime.db.prisma, shop)).toEqual(expectedSnapshot(changedLines));
    const titles = await runtime.db.prisma.product.findMany({ where: { shop, id: { in: [...removed, renamed.id] } }, select: { title: true } });
    expect(titles).toEqual([{ title: "Renamed in Shopify" }]);
  });

  it("reports a child whose parent never comes, naming its line, and keeps the rest", async () => {
    const orphan = '{"id":"gid://shopify/ProductVariant/999","title":"Ghost","sku":"G","barcode":null,"position":1,"price":"1.00","compareAtPrice":null,"selectedOptions":[],"image":null,"inventoryPolicy":"DENY","inventoryItem":{"id":"gid://shopify/InventoryItem/999","tracked":true,"countryCodeOfOrigin":null,"harmonizedSystemCode":null,"measurement":{"weight":null}},"__parentId":"gid://shopify/Product/404"}';
    const { sync } = await syncFile(runtime, "file-orphan.myshopify.com", writeLines([...lines.slice(0, 40), orphan, ...lines.slice(40)]));
    expect(sync.status).toBe("succeeded");
    expect((sync.drift as { problems: string[] }).problems).toEqual([
      "line 41: ProductVariant gid://shopify/ProductVariant/999 names parent gid://shopify/Product/404, which never appeared in the file",
    ]);
  });

  it("puts lines that came before their variant (an earlier batch, or before a restart) into the variant's product", async () => {
    const shop = "file-early.myshopify.com";
    const idOf = (line: string) => (JSON.parse(line) as { id: string }).id;
    const parentOf = (line: string) => (JSON.parse(line) as { __parentId?: string }).__parentId;
    const variantLines = lines.filter((line) => idOf(line).startsWith("gid://shopify/ProductVariant/"));
    // One variant's children all come first, batches before the variant itself...
    const late = variantLines[3]!;
    const lateChildren = lines.filter((line) => parentOf(line) === idOf(late));
    // ...and another variant's children all come last, staged after a restart forgot the variant.
    const early = variantLines[5]!;
    const earlyChildren = lines.filter((line) => parentOf(line) === idOf(early));
    expect(lateChildren.length).toBeGreaterThan(0);
    expect(earlyChildren.length).toBeGreaterThan(0);
    const moved = new Set([late, ...lateChildren, ...earlyChildren]);
    const reordered = [...lateChildren, ...lines.filter((line) => !moved.has(line)), late, ...earlyChildren];
    let checkpoints = 0;
    const { result, sync } = await syncFile(
      runtime,
      shop,
      writeLines(reordered),
      deps({
        afterCheckpoint(phase) {
          // A restart halfway through staging: the new worker never saw `early`.
          if (phase === "staging" && ++checkpoints === 3) throw new Error("simulated crash while staging");
        },
      }),
    ).catch(async (error: Error) => {
      expect(error.message).toBe("simulated crash while staging");
      const running = await runtime.db.prisma.catalogSync.findFirstOrThrow({ where: { shop } });
      const resumed = await runCatalogSync(runtime, { shop, syncId: running.id }, deps());
      return { result: resumed, sync: await runtime.db.prisma.catalogSync.findUniqueOrThrow({ where: { id: running.id } }) };
    });
    expect(result).toEqual({ state: "done", status: "succeeded" });
    expect(await snapshotHash(runtime.db.prisma, shop)).toEqual(expectedSnapshot(reordered));
    expect(sync.drift).toMatchObject({ problems: [] });
    expect(await runtime.db.prisma.catalogSyncBlock.count({ where: { syncId: sync.id } })).toBe(0);
  });

  it("reports lines under a variant that never comes, naming their line", async () => {
    const ghostLevel =
      '{"id":"gid://shopify/InventoryLevel/1?inventory_item_id=404","location":{"id":"gid://shopify/Location/1","name":"Main"},"quantities":[{"name":"available","quantity":3}],"__parentId":"gid://shopify/ProductVariant/404"}';
    const withGhost = [...lines.slice(0, 30), ghostLevel, ...lines.slice(30)];
    const { sync } = await syncFile(runtime, "file-ghost.myshopify.com", writeLines(withGhost), deps({ stageBatchLines: 5_000 }));
    expect(sync.status).toBe("succeeded");
    expect((sync.drift as { problems: string[] }).problems).toEqual([
      "line 31: InventoryLevel gid://shopify/InventoryLevel/1?inventory_item_id=404 names parent gid://shopify/ProductVariant/404, which never appeared in the file",
    ]);
    expect(await snapshotHash(runtime.db.prisma, "file-ghost.myshopify.com")).toEqual(expected);
  });

  it("fails clearly on a line that is not bulk JSONL, and keeps the previous snapshot", async () => {
    const shop = "file-bad.myshopify.com";
    await syncFile(runtime, shop, writeLines(lines));
    const before = await snapshotHash(runtime.db.prisma, shop);
    const { result, sync } = await syncFile(runtime, shop, writeLines([...lines.slice(0, 10), "{not json", ...lines.slice(10)]));
    expect(result).toEqual({ state: "done", status: "failed" });
    expect(sync.error).toMatch(/^line 11: invalid JSON/);
    expect(await snapshotHash(runtime.db.prisma, shop)).toEqual(before);
  });
});
