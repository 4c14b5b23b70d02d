import { describe, expect, it } from "vitest";
import type { Product } from "../../../app/domain/catalog/types";
import { describeProductChange, describeRemovals, describeSnapshotWrites, listProductChanges, summarizeChanges } from "../../../app/domain/timeline/product-changes";
import { buildCatalogProduct } from "../../factories/catalog";

const AT = new Date("2026-11-22T14:41:00Z");
const OPTIONS = { at: AT, currency: "USD" };

function shirt(overrides: Partial<Omit<Product, "id" | "variants">> = {}, prices = ["25.00", "25.00", "25.00"], stock = [5, 4, 3]): Product {
  return buildCatalogProduct(
    9001,
    { title: "Linen shirt", options: [{ name: "Size", position: 1, values: ["S", "M", "L"] }], ...overrides },
    ["S", "M", "L"].map((size, index) => ({ title: size, price: prices[index], availableQuantity: stock[index], selectedOptions: [{ name: "Size", value: size }] })),
  );
}

describe("product change events", () => {
  it("a product new to the snapshot is 'added from Shopify' with its variants and stock", () => {
    const event = describeProductChange(null, shirt(), OPTIONS);
    expect(event).toMatchObject({ kind: "shopify.created", productId: "gid://shopify/Product/9001", at: AT, summary: "Added from Shopify: “Linen shirt” (3 variants, 12 in stock)" });
  });

  it("names a price and a stock change with the variant they concern, and lists those variants for the variant filter", () => {
    const before = shirt();
    const after = shirt({}, ["25.00", "19.50", "25.00"], [5, 0, 3]);
    const event = describeProductChange(before, after, OPTIONS)!;
    expect(event.kind).toBe("shopify.updated");
    expect(event.summary).toBe("Changed in Shopify: price 25.00 → 19.50 USD (M); stock 4 → 0 (M)");
    // Both changes are to variant M: the event is that variant's.
    expect(event.variantId).toBe("gid://shopify/ProductVariant/900102");
    expect(event.details).toMatchObject({ variantIds: ["gid://shopify/ProductVariant/900102"] });
  });

  it("a product-level change concerns every variant: no variant list, no variant id", () => {
    const event = describeProductChange(shirt(), shirt({ title: "Washed linen shirt", status: "DRAFT" }, ["25.00", "25.00", "20.00"]), OPTIONS)!;
    expect(event.summary).toBe("Changed in Shopify: title “Linen shirt” → “Washed linen shirt”; status Active → Draft; price 25.00 → 20.00 USD (L)");
    expect(event.variantId).toBeNull();
    expect(event.details).not.toHaveProperty("variantIds");
  });

  it("groups one field changed on many variants and cuts a long list short", () => {
    const before = shirt();
    const after = shirt({ title: "New", descriptionHtml: "<p>New</p>", tags: ["sale"], vendor: "Other" }, ["20.00", "20.00", "20.00"]);
    const event = describeProductChange(before, after, OPTIONS)!;
    expect(event.summary).toBe("Changed in Shopify: title “Linen shirt” → “New”; description; vendor; tags; and 1 more");
    expect(summarizeChanges(listProductChanges(before, after).filter((c) => c.field === "price"), "USD", 3)).toBe("price (3 variants)");
  });

  it("names variants added and removed", () => {
    const before = shirt();
    const after = { ...before, variants: [...before.variants.slice(0, 2), { ...before.variants[2]!, id: "gid://shopify/ProductVariant/777", title: "XL" }] };
    expect(describeProductChange(before, after, OPTIONS)!.summary).toBe("Changed in Shopify: variant added: XL; variant removed: L");
  });

  it("no event when nothing differs, an event naming the deletion when the product is gone", () => {
    expect(describeProductChange(shirt(), shirt(), OPTIONS)).toBeNull();
    expect(describeProductChange(shirt(), null, OPTIONS)).toMatchObject({ kind: "shopify.deleted", summary: "Deleted in Shopify: “Linen shirt”" });
    expect(describeRemovals([{ id: "gid://shopify/Product/1", title: "Mug" }], AT)).toEqual([
      { productId: "gid://shopify/Product/1", at: AT, kind: "shopify.deleted", summary: "Deleted in Shopify: “Mug”", details: { title: "Mug" } },
    ]);
  });

  it("a snapshot write gets one event per product, new or changed, even when the change is not one it can name", () => {
    const stored = shirt();
    const moved = { ...stored, createdAt: "2020-01-01T00:00:00Z" };
    const added = buildCatalogProduct(9002, { title: "Mug" });
    const events = describeSnapshotWrites(new Map([[stored.id, stored]]), [moved, added], OPTIONS);
    expect(events.map((event) => [event.productId, event.kind])).toEqual([
      [stored.id, "shopify.updated"],
      [added.id, "shopify.created"],
    ]);
    expect(events[0]!.summary).toBe("Changed in Shopify (details Shelfcast does not show)");
  });
});
