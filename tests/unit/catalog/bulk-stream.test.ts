import { describe, expect, it } from "vitest";
import { generateCatalogJsonl } from "~/demo/generate-catalog";
import { BulkJsonlError, createBulkCatalogAssembler, parseBulkLine } from "~/domain/catalog/bulk-jsonl";
import { BulkNotGroupedError, createBulkGroupingCheck, createStreamingBulkAssembler } from "~/domain/catalog/bulk-stream";
import type { Product } from "~/domain/catalog/types";

const NOW = "2026-11-22T09:00:00Z";
const P1 = "gid://shopify/Product/1";
const P2 = "gid://shopify/Product/2";
const P3 = "gid://shopify/Product/3";
const V11 = "gid://shopify/ProductVariant/11";
const V21 = "gid://shopify/ProductVariant/21";
const GROUP = "gid://shopify/SellingPlanGroup/900";
const PLAN = "gid://shopify/SellingPlan/901";

function generate(seed: number, products: number, relations: "separate" | "inline"): string[] {
  return [...generateCatalogJsonl({ seed, products, now: NOW, relations })];
}

function wholeFile(lines: string[], shopCurrency = "EUR") {
  const assembler = createBulkCatalogAssembler({ shopCurrency });
  lines.forEach((line, index) => assembler.push(line, index + 1));
  return assembler.finish();
}

/** Streams the lines; `emittedAt` records the line number whose push returned each product. */
function streamed(lines: string[], shopCurrency = "EUR") {
  const assembler = createStreamingBulkAssembler({ shopCurrency });
  const products: Product[] = [];
  const emittedAt = new Map<string, number>();
  lines.forEach((line, index) => {
    for (const product of assembler.push(line, index + 1)) {
      products.push(product);
      emittedAt.set(product.id, index + 1);
    }
  });
  const rest = assembler.finish();
  products.push(...rest.products);
  return { products, problems: rest.problems, emittedAt, returnedByFinish: rest.products.map((product) => product.id) };
}

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}

function productLine(id: string, title: string) {
  return {
    id,
    handle: title.toLowerCase().replace(/\s+/g, "-"),
    title,
    descriptionHtml: "<p>Soft</p>",
    vendor: "Maison Lin",
    productType: "Shirts",
    tags: [],
    status: "ACTIVE",
    options: [{ name: "Size", position: 1, values: ["S"] }],
    onlineStoreUrl: null,
    seo: { title: null, description: null },
    category: null,
    createdAt: null,
    updatedAt: null,
  };
}

function variantLine(id: string, parentId: string) {
  return {
    id,
    title: "S",
    sku: "SKU-S",
    barcode: null,
    position: 1,
    price: "10.00",
    compareAtPrice: null,
    selectedOptions: [{ name: "Size", value: "S" }],
    image: null,
    inventoryPolicy: "DENY",
    inventoryItem: { id: id.replace("ProductVariant", "InventoryItem"), tracked: true, countryCodeOfOrigin: null, harmonizedSystemCode: null, measurement: { weight: null } },
    __parentId: parentId,
  };
}

function levelLine(n: number, variantId: string, available: number) {
  return {
    id: `gid://shopify/InventoryLevel/${n}?inventory_item_id=${n}`,
    location: { id: "gid://shopify/Location/1", name: "Warehouse" },
    quantities: [{ name: "available", quantity: available }],
    __parentId: variantId,
  };
}

const groupLine = (parentId: string) => ({ id: GROUP, name: "Pre-order", merchantCode: "preorder", __parentId: parentId });
const planLine = () => ({
  id: PLAN,
  name: "Ships in March",
  category: "PRE_ORDER",
  deliveryPolicy: { fulfillmentTrigger: "EXACT_TIME", fulfillmentExactTime: "2027-03-15T00:00:00Z" },
  inventoryPolicy: { reserve: "ON_FULFILLMENT" },
  __parentId: GROUP,
});

const jsonl = (lines: object[]) => lines.map((line) => JSON.stringify(line));

describe("createStreamingBulkAssembler on generated catalogs", () => {
  for (const [seed, count] of [
    [20261122, 400],
    [7, 120],
  ] as const) {
    describe(`seed ${seed}, ${count} products, relations inline`, () => {
      const inline = generate(seed, count, "inline");
      const reference = wholeFile(inline);
      const result = streamed(inline);

      it("returns exactly what the whole-file assembler returns, products and problems", () => {
        expect(reference.products).toHaveLength(count);
        expect(result.products).toEqual(reference.products);
        expect(result.problems).toEqual(reference.problems);
      });

      it("matches the whole-file reading of the separate layout: only the line order differs", () => {
        const separate = generate(seed, count, "separate");
        expect([...inline].sort()).toEqual([...separate].sort());
        expect(inline).not.toEqual(separate);
        expect(result.products).toEqual(wholeFile(separate).products);
      });

      it("returns each product as soon as the next product's own line arrives, the last one from finish", () => {
        const productLineNumbers = new Map<string, number>();
        inline.forEach((line, index) => {
          const parsed = parseBulkLine(line, index + 1);
          if (parsed.kind === "Product" && parsed.parentId === null && !productLineNumbers.has(parsed.id)) productLineNumbers.set(parsed.id, index + 1);
        });
        const order = [...productLineNumbers.keys()];
        expect(result.returnedByFinish).toEqual([order[order.length - 1]]);
        order.slice(0, -1).forEach((id, k) => expect(result.emittedAt.get(id)).toBe(productLineNumbers.get(order[k + 1] as string)));
      });
    });
  }

  it("stops at the relations section of the separate layout: its product was already returned", () => {
    const separate = generate(7, 40, "separate");
    const firstProduct = parseBulkLine(separate[0] as string, 1).id;
    const error = catchError(() => streamed(separate));
    expect(error).toBeInstanceOf(BulkNotGroupedError);
    const { lineNumber, lineId } = error as BulkNotGroupedError;
    const offending = JSON.parse(separate[lineNumber - 1] as string) as { id: string; __parentId?: string };
    expect(offending.id).toBe(lineId);
    // The first line of the relations section: the first product's id-only line or one of its children.
    expect([offending.id, offending.__parentId]).toContain(firstProduct);
    expect(lineNumber).toBeGreaterThan(separate.length - 40 * 15);
    expect((error as Error).message).toMatch(new RegExp(`^line ${lineNumber}: .*not grouped by product`));
  });
});

describe("createStreamingBulkAssembler on hand-made lines", () => {
  it("takes children, grandchildren and selling plans that arrive before their parents into the right product", () => {
    const lines = jsonl([
      productLine(P1, "Linen Shirt"),
      variantLine(V11, P1),
      // Product 2's lines before its own line, while product 1 is still open: plan before group, level before variant.
      planLine(),
      levelLine(2, V21, 5),
      groupLine(P2),
      variantLine(V21, P2),
      productLine(P2, "Wool Coat"),
      { id: "gid://shopify/Collection/5", __parentId: P2 },
      { id: P2 },
      productLine(P3, "Silk Scarf"),
      { id: "gid://shopify/Metafield/7", namespace: "custom", key: "material", type: "single_line_text_field", value: "Silk", __parentId: P3 },
      variantLine("gid://shopify/ProductVariant/31", P3),
    ]);
    const result = streamed(lines);
    expect(result.problems).toEqual([]);
    expect(result.products).toEqual(wholeFile(lines).products);
    const [, coat, scarf] = result.products;
    expect(coat?.variants[0]?.availableQuantity).toBe(5);
    expect(coat?.sellingPlanGroups[0]?.sellingPlans.map((plan) => plan.id)).toEqual([PLAN]);
    expect(coat?.collectionIds).toEqual(["gid://shopify/Collection/5"]);
    expect(scarf?.metafields.map((metafield) => metafield.value)).toEqual(["Silk"]);
    expect(result.emittedAt.get(P1)).toBe(7);
    expect(result.emittedAt.get(P2)).toBe(10);
  });

  it("builds a selling plan group shared by several products once, as the whole-file assembler does", () => {
    const lines = jsonl([productLine(P1, "A"), variantLine(V11, P1), groupLine(P1), planLine(), productLine(P2, "B"), variantLine(V21, P2), groupLine(P2), planLine()]);
    const result = streamed(lines);
    expect(result.products).toEqual(wholeFile(lines).products);
    expect(result.products[1]?.sellingPlanGroups).toEqual(result.products[0]?.sellingPlanGroups);
  });

  it("reports the same problems as the whole-file assembler, in line order, for grouped but broken input", () => {
    const lines = jsonl([
      productLine(P1, "Linen Shirt"),
      { ...variantLine(V11, P1), price: 10 },
      { id: "gid://shopify/Collection/5", __parentId: "gid://shopify/Product/404" },
      { id: "gid://shopify/Collection/9" },
      { id: "gid://shopify/Metafield/8", namespace: "custom", key: "launch", type: "date", value: "2026-02-30", __parentId: P1 },
      { id: P2 },
    ]);
    const result = streamed(lines);
    const reference = wholeFile(lines);
    expect(result.products).toEqual(reference.products);
    expect(result.problems).toEqual(reference.problems);
    expect(result.problems.map((problem) => problem.lineNumber)).toEqual([2, 3, 4, 5, 6]);
    expect(result.problems[1]?.message).toBe("Collection gid://shopify/Collection/5 names parent gid://shopify/Product/404, which never appeared in the file");
  });

  it("leaves a line under a kind that cannot have children waiting, and refuses at finish", () => {
    const lines = jsonl([
      productLine(P1, "Linen Shirt"),
      { id: "gid://shopify/Collection/5", __parentId: P1 },
      { id: "gid://shopify/InventoryLevel/3?inventory_item_id=3", location: { id: "gid://shopify/Location/1", name: "W" }, quantities: [], __parentId: "gid://shopify/Collection/5" },
    ]);
    expect(wholeFile(lines).problems.map((problem) => problem.lineNumber)).toEqual([3]);
    expect(catchError(() => streamed(lines))).toMatchObject({ name: "BulkNotGroupedError", lineNumber: 3 });
  });

  it("throws BulkNotGroupedError when a product reappears after another product", () => {
    const lines = jsonl([productLine(P1, "A"), variantLine(V11, P1), productLine(P2, "B"), variantLine(V21, P2), { id: P1 }]);
    const error = catchError(() => streamed(lines));
    expect(error).toBeInstanceOf(BulkNotGroupedError);
    expect(error).toMatchObject({ lineNumber: 5, lineId: P1 });
  });

  it("throws at finish when a variant's line comes after its product was returned (it cannot tell where it belongs)", () => {
    const lines = jsonl([productLine(P1, "A"), variantLine(V11, P1), productLine(P2, "B"), variantLine(V21, P2), levelLine(1, V11, 3)]);
    // The whole-file assembler puts the level on the variant...
    expect(wholeFile(lines).products[0]?.variants[0]?.availableQuantity).toBe(3);
    // ...the streaming one already returned product 1, so it refuses rather than differ.
    const error = catchError(() => streamed(lines));
    expect(error).toBeInstanceOf(BulkNotGroupedError);
    expect(error).toMatchObject({ lineNumber: 5, lineId: "gid://shopify/InventoryLevel/1?inventory_item_id=1" });
    expect((error as Error).message).toContain(`names parent ${V11}, which is in no product still being read`);
  });

  it("passes unreadable lines on as BulkJsonlError and skips blank lines and video media", () => {
    expect(catchError(() => streamed(["{not json"]))).toBeInstanceOf(BulkJsonlError);
    const lines = [...jsonl([productLine(P1, "A"), { id: "gid://shopify/Video/4", alt: null, __parentId: P1 }, variantLine(V11, P1)]), ""];
    expect(streamed(lines).products).toEqual(wholeFile(lines).products);
  });
});

describe("createBulkGroupingCheck", () => {
  function check(lines: string[]): void {
    const grouping = createBulkGroupingCheck();
    lines.forEach((line, index) => {
      if (line.trim() === "") return;
      const { id, kind, parentId } = parseBulkLine(line, index + 1);
      grouping.push({ id, kind, parentId }, index + 1);
    });
    grouping.finish();
  }

  it("accepts the inline layout and refuses the separate one at the line where the assembler would stop", () => {
    expect(() => check(generate(7, 60, "inline"))).not.toThrow();
    const separate = generate(7, 60, "separate");
    const fromCheck = catchError(() => check(separate)) as BulkNotGroupedError;
    const fromAssembler = catchError(() => streamed(separate)) as BulkNotGroupedError;
    expect(fromCheck).toBeInstanceOf(BulkNotGroupedError);
    expect(fromCheck.lineNumber).toBe(fromAssembler.lineNumber);
  });

  it("refuses lines left waiting for a parent at the end", () => {
    const lines = jsonl([productLine(P1, "A"), variantLine(V11, P1), productLine(P2, "B"), levelLine(1, V11, 3)]);
    expect(catchError(() => check(lines))).toMatchObject({ name: "BulkNotGroupedError", lineNumber: 4 });
  });
});
