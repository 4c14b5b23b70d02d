import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, getNamedType, parse, TypeInfo, validate, visit, visitWithTypeInfo, type IntrospectionQuery } from "graphql";
import { describe, expect, it } from "vitest";
import { BulkJsonlError, createBulkCatalogAssembler } from "~/domain/catalog/bulk-jsonl";
import { CATALOG_BULK_QUERIES } from "~/domain/catalog/bulk-query";

const P1 = "gid://shopify/Product/1";
const P2 = "gid://shopify/Product/2";
const V1 = "gid://shopify/ProductVariant/11";
const V2 = "gid://shopify/ProductVariant/12";
const V3 = "gid://shopify/ProductVariant/21";
const GROUP = "gid://shopify/SellingPlanGroup/900";
const IMAGE_URL = "https://cdn.shopify.com/s/files/1/1/files/shirt-sage.jpg";

function productLine(id: string, title: string) {
  return {
    id,
    handle: title.toLowerCase().replace(/\s+/g, "-"),
    title,
    descriptionHtml: "<p>Soft &amp; light</p>",
    vendor: "Maison Lin",
    productType: "Shirts",
    tags: ["social:tiktok", "campaign:spring-drop"],
    status: "ACTIVE",
    options: [{ name: "Size", position: 1, values: ["S", "M"] }],
    onlineStoreUrl: null,
    seo: { title: null, description: null },
    category: { id: "gid://shopify/TaxonomyCategory/aa-1-13-8", fullName: "Apparel & Accessories > Clothing > Shirts & Tops" },
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-02-01T00:00:00Z",
  };
}

function variantLine(id: string, parentId: string, position: number, size: string, image: string | null = null) {
  return {
    id,
    title: size,
    sku: `LS-${size}`,
    barcode: position === 1 ? "4006381333931" : "",
    position,
    price: "49.00",
    compareAtPrice: position === 1 ? "59.00" : null,
    selectedOptions: [{ name: "Size", value: size }],
    image: image ? { url: `${image}?v=2` } : null,
    inventoryPolicy: "DENY",
    inventoryItem: {
      id: id.replace("ProductVariant", "InventoryItem"),
      tracked: true,
      countryCodeOfOrigin: "PT",
      harmonizedSystemCode: "620520",
      measurement: { weight: { value: 0.3, unit: "KILOGRAMS" } },
    },
    __parentId: parentId,
  };
}

function levelLine(n: number, variantId: string, location: number, available: number) {
  return {
    id: `gid://shopify/InventoryLevel/${n}?inventory_item_id=${n}`,
    location: { id: `gid://shopify/Location/${location}`, name: `Location ${location}` },
    quantities: [{ name: "available", quantity: available }],
    __parentId: variantId,
  };
}

function metafieldLine(n: number, parentId: string, key: string, type: string, value: string) {
  return { id: `gid://shopify/Metafield/${n}`, namespace: "custom", key, type, value, __parentId: parentId };
}

/** Two products: output of CATALOG_BULK_QUERY, then of CATALOG_RELATIONS_BULK_QUERY. */
function fixture(): object[] {
  const sellingPlan = {
    id: "gid://shopify/SellingPlan/901",
    name: "Pre-order, ships 15 March",
    category: "PRE_ORDER",
    deliveryPolicy: { fulfillmentTrigger: "EXACT_TIME", fulfillmentExactTime: "2027-03-15T00:00:00Z" },
    inventoryPolicy: { reserve: "ON_FULFILLMENT" },
  };
  const group = { id: GROUP, name: "Pre-order March", merchantCode: "preorder-march" };
  return [
    productLine(P1, "Linen Shirt"),
    { id: "gid://shopify/MediaImage/101", alt: "Front", image: { url: `${IMAGE_URL}?v=1`, width: 2048, height: 2048 }, __parentId: P1 },
    { id: "gid://shopify/Video/102", alt: null, __parentId: P1 },
    { id: "gid://shopify/MediaImage/103", alt: null, image: { url: "https://cdn.shopify.com/s/files/1/1/files/back.jpg", width: 800, height: null }, __parentId: P1 },
    variantLine(V1, P1, 1, "S", IMAGE_URL),
    levelLine(1, V1, 7001, 4),
    levelLine(2, V1, 7002, -1),
    levelLine(3, V1, 7003, 3),
    metafieldLine(201, V1, "swatch", "color", "#9CAF88"),
    variantLine(V2, P1, 2, "M"),
    levelLine(4, V2, 7001, 0),
    productLine(P2, "Wool Coat"),
    variantLine(V3, P2, 1, "S"),
    levelLine(5, V3, 7001, 2),
    { id: P1 },
    metafieldLine(202, P1, "launch_date", "date", "2026-03-01"),
    metafieldLine(203, P1, "features", "list.single_line_text_field", '["Breathable","Pre-washed"]'),
    { id: "gid://shopify/Collection/301", __parentId: P1 },
    { ...group, __parentId: P1 },
    { ...sellingPlan, __parentId: GROUP },
    { id: P2 },
    { ...group, __parentId: P2 },
    { ...sellingPlan, __parentId: GROUP },
  ];
}

function assemble(lines: object[], shopCurrency?: string) {
  const assembler = createBulkCatalogAssembler({ shopCurrency });
  lines.forEach((line, index) => assembler.push(JSON.stringify(line), index + 1));
  return assembler.finish();
}

type FixtureLine = { id: string; __parentId?: string };

/** Nesting depth of a line: 0 for products, 2 for children of variants and of plan groups. */
function depthOf(line: FixtureLine, firstById: Map<string, FixtureLine>): number {
  const parent = line.__parentId ? firstById.get(line.__parentId) : undefined;
  return parent ? 1 + depthOf(parent, firstById) : 0;
}

/** Every child before its parent; a stable sort keeps siblings (media, plans) in their order. */
function childrenFirst(lines: object[]): object[] {
  const typed = lines as FixtureLine[];
  const firstById = new Map<string, FixtureLine>();
  for (const line of typed) if (!firstById.has(line.id)) firstById.set(line.id, line);
  return [...typed].sort((a, b) => depthOf(b, firstById) - depthOf(a, firstById));
}

function catchError(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected the action to throw");
}

describe("createBulkCatalogAssembler", () => {
  it("assembles products with variants, media, inventory, metafields, collections and selling plans", () => {
    const { products, problems } = assemble(fixture());
    expect(problems).toEqual([]);
    expect(products.map((product) => product.id)).toEqual([P1, P2]);
    const [shirt] = products;
    expect(shirt?.title).toBe("Linen Shirt");
    expect(shirt?.tags).toEqual(["social:tiktok", "campaign:spring-drop"]);
    expect(shirt?.media.map((media) => media.id)).toEqual(["gid://shopify/MediaImage/101", "gid://shopify/MediaImage/103"]);
    expect(shirt?.collectionIds).toEqual(["gid://shopify/Collection/301"]);
    expect(shirt?.metafields.map((metafield) => [metafield.key, metafield.value])).toEqual([
      ["launch_date", "2026-03-01"],
      ["features", ["Breathable", "Pre-washed"]],
    ]);
    const [small, medium] = shirt?.variants ?? [];
    expect(small).toMatchObject({
      productId: P1,
      barcode: "4006381333931",
      imageId: "gid://shopify/MediaImage/101",
      weight: 0.3,
      weightUnit: "KILOGRAMS",
      metafields: [{ key: "swatch", value: "#9CAF88" }],
    });
    expect(medium).toMatchObject({ barcode: null, imageId: null, availableQuantity: 0 });
  });

  it("sums available over every location, negative levels included", () => {
    const { products } = assemble(fixture());
    const small = products[0]?.variants[0];
    expect(small?.inventoryItem.levels.map((level) => level.available)).toEqual([4, -1, 3]);
    expect(small?.availableQuantity).toBe(6);
    expect(products[1]?.variants[0]?.availableQuantity).toBe(2);
  });

  it("reads selling plan groups and shares one group between the products it applies to", () => {
    const { products } = assemble(fixture());
    const expectedGroup = {
      id: GROUP,
      name: "Pre-order March",
      merchantCode: "preorder-march",
      sellingPlans: [
        {
          id: "gid://shopify/SellingPlan/901",
          name: "Pre-order, ships 15 March",
          category: "PRE_ORDER",
          fulfillmentTrigger: "EXACT_TIME",
          fulfillmentExactTime: "2027-03-15T00:00:00Z",
          inventoryReserve: "ON_FULFILLMENT",
        },
      ],
    };
    expect(products[0]?.sellingPlanGroups).toEqual([expectedGroup]);
    expect(products[1]?.sellingPlanGroups).toEqual([expectedGroup]);
    // Variant membership is only known from variant-level lines, which these queries do not fetch.
    expect(products[0]?.variants[0]?.sellingPlanGroupIds).toEqual([]);
  });

  it("records variant-level selling plan group lines as the variant's groups", () => {
    const lines = [...fixture(), { id: GROUP, name: "Pre-order March", merchantCode: "preorder-march", __parentId: V2 }];
    const { products, problems } = assemble(lines);
    expect(problems).toEqual([]);
    expect(products[0]?.variants[1]?.sellingPlanGroupIds).toEqual([GROUP]);
  });

  it("builds identical products whether children come before or after their parents", () => {
    const inOrder = assemble(fixture());
    const reordered = childrenFirst(fixture());
    expect(reordered).not.toEqual(fixture());
    expect((reordered[0] as { __parentId?: string }).__parentId).toBeDefined();
    const outOfOrder = assemble(reordered);
    expect(outOfOrder.problems).toEqual([]);
    expect(outOfOrder.products).toEqual(inOrder.products);
  });

  it("orders variants by position, not by line order", () => {
    const lines = fixture();
    const swapped = [lines[0], ...lines.slice(9, 11), ...lines.slice(1, 9), ...lines.slice(11)] as object[];
    const { products } = assemble(swapped);
    expect(products[0]?.variants.map((variant) => variant.position)).toEqual([1, 2]);
  });

  it("reports a child whose parent never appears, naming the line and the missing parent", () => {
    const lines = [...fixture(), variantLine("gid://shopify/ProductVariant/99", "gid://shopify/Product/404", 1, "L")];
    const { products, problems } = assemble(lines);
    expect(products.map((product) => product.id)).toEqual([P1, P2]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.lineNumber).toBe(lines.length);
    expect(problems[0]?.message).toContain("gid://shopify/Product/404");
    expect(problems[0]?.message).toContain("never appeared");
  });

  it("reports a product seen only in id-only lines instead of inventing it", () => {
    const lines = [...fixture(), { id: "gid://shopify/Product/3" }, metafieldLine(204, "gid://shopify/Product/3", "gift", "boolean", "true")];
    const { products, problems } = assemble(lines);
    expect(products).toHaveLength(2);
    expect(problems).toEqual([{ lineNumber: lines.length - 1, message: expect.stringContaining("id-only") }]);
  });

  it("keeps a malformed metafield as its raw string and reports its line", () => {
    const lines = [...fixture(), metafieldLine(205, P2, "launch_date", "date", "next spring")];
    const { products, problems } = assemble(lines);
    expect(products[1]?.metafields).toEqual([{ namespace: "custom", key: "launch_date", type: "date", raw: "next spring", value: "next spring" }]);
    expect(problems).toEqual([{ lineNumber: lines.length, message: expect.stringContaining("not a valid date") }]);
  });

  it("reports a line whose fields do not match the query, naming the field", () => {
    const lines = fixture();
    lines[9] = { ...variantLine(V2, P1, 2, "M"), price: 49 };
    const { products, problems } = assemble(lines);
    expect(products[0]?.variants.map((variant) => variant.id)).toEqual([V1]);
    expect(problems).toEqual([{ lineNumber: 10, message: expect.stringMatching(/ProductVariant .*12: price: /) }]);
  });

  it("reports a child under a parent of the wrong kind", () => {
    const lines = [...fixture(), levelLine(6, P1, 7001, 5)];
    const { problems } = assemble(lines);
    expect(problems).toEqual([{ lineNumber: lines.length, message: expect.stringContaining("not expected under Product") }]);
  });

  it("throws BulkJsonlError with the line number for invalid JSON", () => {
    const assembler = createBulkCatalogAssembler();
    assembler.push(JSON.stringify(productLine(P1, "Linen Shirt")), 1);
    const error = catchError(() => assembler.push('{"id":"gid://shopify/Product/2",', 7));
    expect(error).toBeInstanceOf(BulkJsonlError);
    expect((error as BulkJsonlError).lineNumber).toBe(7);
    expect((error as Error).message).toMatch(/^line 7: invalid JSON/);
  });

  it("throws BulkJsonlError for an object without an id", () => {
    const assembler = createBulkCatalogAssembler();
    expect(() => assembler.push('{"title":"No id"}', 3)).toThrow(/line 3: object has no id/);
    expect(() => assembler.push("[1,2]", 4)).toThrow(BulkJsonlError);
  });

  it("ignores blank lines such as the file's trailing newline", () => {
    const assembler = createBulkCatalogAssembler();
    assembler.push("", 1);
    expect(assembler.finish()).toEqual({ products: [], problems: [] });
  });
});

describe("CATALOG_BULK_QUERIES against the Admin API 2025-01 schema", () => {
  const schemaPath = path.resolve(process.cwd(), "../shared/data/shopify-admin-schema/admin_schema_2025-01.json.gz");
  const introspection = JSON.parse(gunzipSync(readFileSync(schemaPath)).toString("utf8")) as { data: IntrospectionQuery };
  const schema = buildClientSchema(introspection.data);

  /** Connections in the document and the longest chain of nested connections. */
  function connectionStats(query: string): { connections: number; deepestChain: number } {
    const typeInfo = new TypeInfo(schema);
    const stack: boolean[] = [];
    let connections = 0;
    let depth = 0;
    let deepestChain = 0;
    visit(parse(query), visitWithTypeInfo(typeInfo, {
      Field: {
        enter() {
          const isConnection = getNamedType(typeInfo.getType())?.name.endsWith("Connection") ?? false;
          stack.push(isConnection);
          if (isConnection) {
            connections += 1;
            depth += 1;
            deepestChain = Math.max(deepestChain, depth);
          }
        },
        leave() {
          if (stack.pop()) depth -= 1;
        },
      },
    }));
    return { connections, deepestChain };
  }

  it.each(CATALOG_BULK_QUERIES.map((query, index) => [index, query] as const))("query %i is valid and within bulk limits", (_index, query) => {
    expect(validate(schema, parse(query)).map((error) => error.message)).toEqual([]);
    const { connections, deepestChain } = connectionStats(query);
    expect(connections).toBeLessThanOrEqual(5);
    // The top-level connection plus at most two levels of nested connections.
    expect(deepestChain).toBeLessThanOrEqual(3);
  });
});
