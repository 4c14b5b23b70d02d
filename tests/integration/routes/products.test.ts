import { API_KEY, API_SECRET_KEY, RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import type { Runtime } from "../../../app/.server/runtime";
import { loader as dashboardLoader } from "../../../app/routes/app._index";
import { loader as productsLoader } from "../../../app/routes/app.products";
import { loader as productLoader } from "../../../app/routes/app.products_.$id";
import { shopify } from "../../../app/shopify.server";
import { buildCatalogProduct } from "../../factories/catalog";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "alpha-products.myshopify.com";
const OTHER_SHOP = "bravo-products.myshopify.com";
const SUMMER = "gid://shopify/Collection/501";
const WINTER = "gid://shopify/Collection/502";
const FILLERS = 60;

/** A request from inside Shopify Admin for one shop: a signed session token, as App Bridge sends it. */
async function adminRequest(shop: string, path: string): Promise<Request> {
  await shopify().sessionStorage.storeSession(setUpValidSession({ shop }));
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`https://shelfcast.test${path}`),
  );
}

async function list(search = "", shop = SHOP) {
  return productsLoader({ request: await adminRequest(shop, `/app/products${search}`), params: {}, context: {} });
}

async function titles(search: string) {
  const page = await list(search);
  return page.rows.map((row) => row.title).sort();
}

async function detail(id: string, shop = SHOP) {
  return productLoader({ request: await adminRequest(shop, `/app/products/${id}`), params: { id }, context: {} });
}

async function status(promise: Promise<unknown>): Promise<number | "served"> {
  return promise.then(
    () => "served" as const,
    (thrown: unknown) => {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    },
  );
}

describe("products pages", () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await startTestApp();
    const { prisma } = runtime.db;
    for (const shop of [SHOP, OTHER_SHOP]) await prisma.shop.create({ data: { shop, currencyCode: "USD", ianaTimezone: "America/New_York" } });

    const named = [
      buildCatalogProduct(
        1001,
        {
          title: "Alpha Tee",
          handle: "alpha-tee",
          vendor: "Acme",
          productType: "Shirts",
          tags: ["summer", "sale"],
          collectionIds: [SUMMER],
          options: [{ name: "Color", position: 1, values: ["Red", "Blue"] }],
          metafields: [{ namespace: "custom", key: "weight", type: "weight", raw: '{"value":1.5,"unit":"KILOGRAMS"}', value: { value: 1.5, unit: "KILOGRAMS" } }],
          sellingPlanGroups: [
            {
              id: "gid://shopify/SellingPlanGroup/9",
              name: "Pre-order",
              merchantCode: "pre-order",
              sellingPlans: [
                { id: "gid://shopify/SellingPlan/91", name: "Ships in March", category: "PRE_ORDER", fulfillmentTrigger: "EXACT_TIME", fulfillmentExactTime: "2027-03-04T12:00:00Z", inventoryReserve: "ON_FULFILLMENT" },
              ],
            },
          ],
        },
        [
          { sku: "ALPHA-RED", title: "Red", availableQuantity: 10, metafields: [{ namespace: "custom", key: "swatch", type: "color", raw: "#ff0000", value: "#ff0000" }] },
          { sku: "ALPHA-BLUE", title: "Blue", availableQuantity: 0, sellingPlanGroupIds: ["gid://shopify/SellingPlanGroup/9"] },
        ],
      ),
      // Lower-case first letter: the list sorts without regard to case.
      buildCatalogProduct(1002, { title: "beta hoodie", handle: "beta-hoodie", status: "DRAFT", vendor: "Borealis", productType: "Hoodies", tags: ["winter"], collectionIds: [WINTER] }, [
        { sku: "BH-001", availableQuantity: 3 },
      ]),
      buildCatalogProduct(1003, { title: "Gamma Cap", handle: "gamma-cap", status: "ARCHIVED", vendor: "Acme", productType: "Hats", collectionIds: [SUMMER, WINTER] }, [
        { sku: "GC-1", availableQuantity: 0, inventoryPolicy: "CONTINUE" },
      ]),
      buildCatalogProduct(1004, { title: "Delta Socks 50% off", handle: "delta-socks", vendor: "Corvid", productType: "Socks", tags: ["sale"] }, [{ sku: "DS-1", availableQuantity: 5 }]),
    ];
    const fillers = Array.from({ length: FILLERS }, (_, i) =>
      buildCatalogProduct(2000 + i, { title: `Filler ${String(i).padStart(3, "0")}`, handle: `filler-${i}`, vendor: "Filler Co", productType: "Misc" }, [{ availableQuantity: 20 }]),
    );
    await replaceProducts(runtime.db, SHOP, [...named, ...fillers], new Date());
    // The other shop shares a vendor and a SKU with the first: filters must never reach across shops.
    await replaceProducts(runtime.db, OTHER_SHOP, [buildCatalogProduct(3001, { title: "Bravo Only", vendor: "Acme", tags: ["sale", "bravo"] }, [{ sku: "ALPHA-RED", availableQuantity: 0 }])], new Date());

    await prisma.catalogSync.createMany({
      data: [
        { shop: SHOP, kind: "demo-import", status: "succeeded", totalVariants: 65, doneVariants: 65, drift: { added: 65, changed: 0, unchanged: 0, stale: 0, removed: 0, problems: ["line 7: not JSON"] }, startedAt: new Date("2026-11-20T10:00:00Z"), finishedAt: new Date("2026-11-20T10:01:05Z") },
        { shop: SHOP, kind: "reconcile", status: "succeeded", doneVariants: 65, drift: { added: 0, changed: 3, removed: 1 }, startedAt: new Date("2026-11-21T10:00:00Z"), finishedAt: new Date("2026-11-21T10:00:12Z") },
        { shop: SHOP, kind: "full", status: "failed", error: "Bulk operation failed: ACCESS_DENIED", startedAt: new Date("2026-11-22T10:00:00Z"), finishedAt: new Date("2026-11-22T10:00:02Z") },
        { shop: OTHER_SHOP, kind: "full", status: "succeeded", startedAt: new Date("2026-11-23T10:00:00Z") },
      ],
    });
  });
  afterAll(async () => stopTestApp(runtime));

  describe("list", () => {
    it("pages the whole catalog 50 at a time, sorted by title without regard to case", async () => {
      const first = await list();
      expect(first.total).toBe(4 + FILLERS);
      expect(first.pageCount).toBe(2);
      expect(first.rows).toHaveLength(50);
      expect(first.rows.slice(0, 5).map((row) => row.title)).toEqual(["Alpha Tee", "beta hoodie", "Delta Socks 50% off", "Filler 000", "Filler 001"]);

      const second = await list("?page=2");
      expect(second.page).toBe(2);
      expect(second.rows).toHaveLength(4 + FILLERS - 50);
      expect(second.rows.at(-1)?.title).toBe("Gamma Cap");
      const firstIds = new Set(first.rows.map((row) => row.id));
      expect(second.rows.some((row) => firstIds.has(row.id))).toBe(false);
    });

    it("reads a bad page number as page 1 and a page past the end as the last page", async () => {
      expect((await list("?page=abc")).page).toBe(1);
      expect((await list("?page=-3")).page).toBe(1);
      const past = await list("?page=99");
      expect(past.page).toBe(2);
      expect(past.rows).toHaveLength(4 + FILLERS - 50);
    });

    it("filters by status, ignoring statuses that do not exist", async () => {
      expect(await titles("?status=DRAFT")).toEqual(["beta hoodie"]);
      expect(await titles("?status=DRAFT&status=ARCHIVED")).toEqual(["Gamma Cap", "beta hoodie"]);
      const bogus = await list("?status=BOGUS");
      expect(bogus.total).toBe(4 + FILLERS);
      expect(bogus.filters.status).toEqual([]);
    });

    it("filters by vendor and product type, within the shop only", async () => {
      expect(await titles("?vendor=Acme")).toEqual(["Alpha Tee", "Gamma Cap"]);
      expect(await titles("?vendor=Borealis&vendor=Corvid")).toEqual(["Delta Socks 50% off", "beta hoodie"]);
      expect(await titles("?productType=Hats")).toEqual(["Gamma Cap"]);
      expect((await list("?vendor=Acme", OTHER_SHOP)).rows.map((row) => row.title)).toEqual(["Bravo Only"]);
    });

    it("filters by any of the tags and any of the collections", async () => {
      expect(await titles("?tag=sale")).toEqual(["Alpha Tee", "Delta Socks 50% off"]);
      expect(await titles("?tag=sale&tag=winter")).toEqual(["Alpha Tee", "Delta Socks 50% off", "beta hoodie"]);
      expect(await titles("?tag=bravo")).toEqual([]);
      expect(await titles(`?collection=${encodeURIComponent(WINTER)}`)).toEqual(["Gamma Cap", "beta hoodie"]);
      expect(await titles(`?collection=${encodeURIComponent(SUMMER)}&collection=${encodeURIComponent(WINTER)}`)).toEqual(["Alpha Tee", "Gamma Cap", "beta hoodie"]);
    });

    it("filters by stock: in stock, low (1–5 available) and sold out", async () => {
      expect(await titles("?stock=sold_out")).toEqual(["Gamma Cap"]);
      expect(await titles("?stock=low")).toEqual(["Delta Socks 50% off", "beta hoodie"]);
      expect((await list("?stock=in_stock")).total).toBe(3 + FILLERS);
      expect((await list("?stock=plenty")).total).toBe(4 + FILLERS);
    });

    it("searches title, handle, vendor and variant SKU, any case, with LIKE wildcards taken literally", async () => {
      expect(await titles("?query=bh-001")).toEqual(["beta hoodie"]);
      expect(await titles("?query=ALPHA-BLUE")).toEqual(["Alpha Tee"]);
      expect(await titles("?query=gamma-cap")).toEqual(["Gamma Cap"]);
      expect(await titles("?query=corvid")).toEqual(["Delta Socks 50% off"]);
      expect(await titles("?query=50%25")).toEqual(["Delta Socks 50% off"]);
      expect(await titles("?query=_")).toEqual([]);
      expect((await list("?query=ALPHA-RED", OTHER_SHOP)).rows.map((row) => row.title)).toEqual(["Bravo Only"]);
    });

    it("combines filters, and counts only what matches", async () => {
      const page = await list("?vendor=Acme&stock=in_stock&tag=summer");
      expect(page.total).toBe(1);
      expect(page.rows.map((row) => row.title)).toEqual(["Alpha Tee"]);
      expect(page.rows[0]).toMatchObject({ variantCount: 2, totalAvailable: 10, status: "ACTIVE" });
    });

    it("offers the shop's own vendors, types, tags (most used first) and collections as filter choices", async () => {
      const { facets } = await list();
      expect(facets.vendors).toEqual(["Acme", "Borealis", "Corvid", "Filler Co"]);
      expect(facets.productTypes).toEqual(["Hats", "Hoodies", "Misc", "Shirts", "Socks"]);
      expect(facets.tags[0]).toBe("sale");
      expect(facets.tags).not.toContain("bravo");
      expect(facets.collectionIds).toEqual([SUMMER, WINTER]);
    });
  });

  describe("detail", () => {
    it("returns the product with its variants in order, inventory, metafields and selling plans", async () => {
      const view = await detail("1001");
      expect(view.product).toMatchObject({ id: "gid://shopify/Product/1001", title: "Alpha Tee", status: "ACTIVE", vendor: "Acme", tags: ["summer", "sale"], collectionIds: [SUMMER] });
      expect(view.variants.map((v) => [v.sku, v.available, v.price])).toEqual([
        ["ALPHA-RED", 10, "24.00"],
        ["ALPHA-BLUE", 0, "24.00"],
      ]);
      expect(view.locations).toEqual([{ id: "gid://shopify/Location/1", name: "Warehouse" }]);
      expect(view.product.metafields).toEqual([{ key: "custom.weight", type: "weight", display: "1.5 kg" }]);
      expect(view.variants[0]?.metafields).toEqual([{ key: "custom.swatch", type: "color", display: "#ff0000" }]);
      expect(view.sellingPlanGroups).toEqual([
        {
          id: "gid://shopify/SellingPlanGroup/9",
          name: "Pre-order",
          merchantCode: "pre-order",
          variantIds: ["gid://shopify/ProductVariant/100102"],
          plans: [{ id: "gid://shopify/SellingPlan/91", name: "Ships in March", category: "PRE_ORDER", delivery: "Ships Mar 4, 2027, 7:00 AM EST", reserve: "Reserves stock when fulfilled" }],
        },
      ]);
    });

    it("answers 404 for another shop's product, an unknown id and a non-numeric id", async () => {
      expect(await status(detail("3001"))).toBe(404);
      expect(await status(detail("3001", OTHER_SHOP))).toBe("served");
      expect(await status(detail("999999"))).toBe(404);
      expect(await status(detail("gid://shopify/Product/1001"))).toBe(404);
      expect(await status(detail("1001abc"))).toBe(404);
    });
  });

  describe("dashboard", () => {
    it("breaks the catalog down by status, stock and vendor, and lists the last syncs", async () => {
      const view = await dashboardLoader({ request: await adminRequest(SHOP, "/app"), params: {}, context: {} });
      expect(view.productsByStatus).toEqual({ active: 2 + FILLERS, draft: 1, archived: 1, unlisted: 0 });
      expect(view.variantStock).toEqual({ inStock: 3 + FILLERS, soldOut: 1, continueSelling: 1, continueSellingOutOfStock: 1 });
      expect(view.topVendors[0]).toEqual({ vendor: "Filler Co", products: FILLERS });
      expect(view.topVendors[1]).toEqual({ vendor: "Acme", products: 2 });
      expect(view.recentSyncs.map((s) => [s.kind, s.status, s.duration, s.drift, s.error])).toEqual([
        ["full", "failed", "2 s", null, "Bulk operation failed: ACCESS_DENIED"],
        ["reconcile", "succeeded", "12 s", "Reconciliation found 3 changed, 1 removed", null],
        ["demo-import", "succeeded", "1 min 5 s", "Products: 65 added; 1 line could not be read", null],
      ]);
      expect(view.recentSyncs[2]?.started).toBe("Nov 20, 2026, 5:00 AM");
    });
  });
});
