import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { withBoundedHeapGrowth } from "../../../app/.server/heap-growth";

const heapUsedMb = () => process.memoryUsage().heapUsed / 2 ** 20;

describe("withBoundedHeapGrowth (ADR 0017)", () => {
  it("collects the garbage already there before the work starts, so the bound holds from its first allocation", async () => {
    let garbage: string[] | null = Array.from({ length: 400_000 }, (_, i) => `line ${i} ${"x".repeat(64)}`);
    const withGarbage = heapUsedMb();
    garbage = null;
    const atStart = await withBoundedHeapGrowth(async () => heapUsedMb());
    expect(garbage).toBeNull();
    // About 40 MB of strings were dropped; V8 alone would keep them until its initial limit.
    expect(withGarbage - atStart).toBeGreaterThan(25);
  });

  it("returns the work's result and passes its failure on", async () => {
    await expect(withBoundedHeapGrowth(async () => 42)).resolves.toBe(42);
    await expect(withBoundedHeapGrowth(async () => Promise.reject(new Error("sync failed")))).rejects.toThrow("sync failed");
  });

  it("does not expose gc to the rest of the process", async () => {
    await withBoundedHeapGrowth(async () => undefined);
    expect((globalThis as { gc?: unknown }).gc).toBeUndefined();
    expect(runInNewContext("typeof gc")).toBe("undefined");
  });
});
