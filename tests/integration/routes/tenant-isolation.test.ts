import { API_KEY, API_SECRET_KEY, RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Runtime } from "../../../app/.server/runtime";
import { loader as dashboardLoader } from "../../../app/routes/app._index";
import { loader as productsLoader } from "../../../app/routes/app.products";
import { shopify } from "../../../app/shopify.server";
import { seedShop } from "../../factories/shop";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP_A = "alpha-isolation.myshopify.com";
const SHOP_B = "bravo-isolation.myshopify.com";

/** A request from inside Shopify Admin for one shop: a signed session token, as App Bridge sends it. */
async function adminRequest(shop: string, path: string): Promise<Request> {
  await shopify().sessionStorage.storeSession(setUpValidSession({ shop }));
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`https://shelfcast.test${path}`),
  );
}

describe("tenant isolation", () => {
  let runtime: Runtime;
  beforeAll(async () => {
    runtime = await startTestApp();
    await seedShop(runtime, SHOP_A, { sessions: 0, products: 7 });
    await seedShop(runtime, SHOP_B, { sessions: 0, products: 2 });
  });
  afterAll(async () => stopTestApp(runtime));

  it("shows shop B only its own products, never shop A's", async () => {
    const result = await productsLoader({ request: await adminRequest(SHOP_B, "/app/products"), params: {}, context: {} });
    expect(result.total).toBe(2);
    expect(result.rows.map((row) => row.title).every((title) => title.startsWith(SHOP_B))).toBe(true);
  });

  it("counts only shop B's catalog on its dashboard", async () => {
    const view = await dashboardLoader({ request: await adminRequest(SHOP_B, "/app"), params: {}, context: {} });
    expect(view.counts).toEqual({ products: 2, variants: 2, soldOutVariants: 0 });
  });

  it("refuses a request without a valid session token", async () => {
    const forged = new Request("https://shelfcast.test/app/products", { headers: { authorization: "Bearer not-a-token" } });
    const outcome = await productsLoader({ request: forged, params: {}, context: {} }).then(
      () => "served",
      (thrown: unknown) => (thrown instanceof Response ? thrown.status : "error"),
    );
    expect(outcome).not.toBe("served");
    expect(outcome).not.toBe(200);
  });

  it("never signs a non-loopback visitor in as the demo shop, even in demo mode", async () => {
    process.env.SHELFCAST_DEMO = "1";
    const { resetEnvForTests } = await import("../../../app/env.server");
    resetEnvForTests();
    try {
      const request = new Request("http://127.0.0.1:3000/app/products");
      const outcome = await productsLoader({ request, params: {}, context: { remoteAddress: "203.0.113.9" } }).then(
        () => "served",
        () => "refused",
      );
      expect(outcome).toBe("refused");
    } finally {
      process.env.SHELFCAST_DEMO = "0";
      resetEnvForTests();
    }
  });
});
