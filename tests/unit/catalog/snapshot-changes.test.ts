import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashCatalog, hashProduct, stableStringify } from "../../../app/domain/catalog/content-hash";
import { planSnapshotChanges } from "../../../app/domain/catalog/plan-snapshot-changes";
import { buildProduct } from "../../factories/product";

const product = (id: number, updatedAt: string, title = `Product ${id}`) => buildProduct({ id: `gid://shopify/Product/${id}`, updatedAt, title });

describe("content hash", () => {
  it("does not depend on key order", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        expect(stableStringify(reversed)).toBe(stableStringify(record));
      }),
    );
  });

  it("changes when any field changes, and a catalog hash ignores product order", () => {
    const a = product(1, "2026-01-01T00:00:00Z");
    expect(hashProduct({ ...a, title: "Other" })).not.toBe(hashProduct(a));
    const entries = [1, 2, 3].map((id) => ({ id: `p${id}`, contentHash: `h${id}` }));
    expect(hashCatalog([...entries].reverse())).toBe(hashCatalog(entries));
    expect(hashCatalog(entries.slice(1))).not.toBe(hashCatalog(entries));
  });
});

describe("planSnapshotChanges", () => {
  const stored = new Map([
    ["gid://shopify/Product/1", { contentHash: hashProduct(product(1, "2026-02-01T00:00:00Z")), shopifyUpdatedAt: new Date("2026-02-01T00:00:00Z") }],
    ["gid://shopify/Product/2", { contentHash: "old", shopifyUpdatedAt: new Date("2026-02-01T00:00:00Z") }],
    ["gid://shopify/Product/3", { contentHash: "old", shopifyUpdatedAt: new Date("2026-03-01T00:00:00Z") }],
  ]);

  it("writes new and changed products, skips unchanged ones and never lets an older read overwrite a newer one", () => {
    const plan = planSnapshotChanges(
      [
        product(1, "2026-02-01T00:00:00Z"), // same content
        product(2, "2026-02-01T00:00:00Z", "Stock moved, updatedAt did not"), // equal time, new content
        product(3, "2026-02-15T00:00:00Z", "Read before the stored change"), // older than stored
        product(4, "2026-01-01T00:00:00Z"), // new
      ],
      stored,
    );
    expect({ added: plan.added, changed: plan.changed, unchanged: plan.unchanged, stale: plan.stale }).toEqual({ added: 1, changed: 1, unchanged: 1, stale: 1 });
    expect(plan.write.map((p) => p.id)).toEqual(["gid://shopify/Product/2", "gid://shopify/Product/4"]);
  });
});
