import { API_KEY, API_SECRET_KEY, RequestType, setUpValidRequest, setUpValidSession } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceProducts } from "../../../app/.server/repositories/catalog";
import type { Runtime } from "../../../app/.server/runtime";
import { action, loader } from "../../../app/routes/app.rules";
import { shopify } from "../../../app/shopify.server";
import { buildCatalogProduct } from "../../factories/catalog";
import { startTestApp, stopTestApp } from "../../setup/app";

const SHOP = "rules-route.myshopify.com";
const OTHER_SHOP = "rules-route-other.myshopify.com";
const PRODUCT = buildCatalogProduct(8101, { title: "Limited lamp", tags: ["limited"] }, [{ availableQuantity: 20 }, { availableQuantity: 4 }]);

/** A request from inside Shopify Admin for one shop: a signed session token, as App Bridge sends it. */
async function adminRequest(shop: string, form?: Record<string, string>): Promise<Request> {
  await shopify().sessionStorage.storeSession(setUpValidSession({ shop }));
  const init: RequestInit = form ? { method: "POST", body: new URLSearchParams(form) } : {};
  return setUpValidRequest(
    { type: RequestType.Bearer, store: shop.replace(".myshopify.com", ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request("https://shelfcast.test/app/rules", init),
  );
}

async function post(form: Record<string, string>, shop = SHOP) {
  return action({ request: await adminRequest(shop, form), params: {}, context: {} });
}

async function load(shop = SHOP) {
  return loader({ request: await adminRequest(shop), params: {}, context: {} });
}

function saveForm(document: unknown, expectedRevision: number, part = "new"): Record<string, string> {
  return { intent: "save", document: typeof document === "string" ? document : JSON.stringify(document), expectedRevision: String(expectedRevision), part };
}

describe("the Rules page's action", () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await startTestApp();
    for (const shop of [SHOP, OTHER_SHOP]) await runtime.db.prisma.shop.create({ data: { shop, currencyCode: "USD", countryCode: "US" } });
    await replaceProducts(runtime.db, SHOP, [PRODUCT], new Date());
  });
  afterAll(async () => stopTestApp(runtime));

  it("answers validation errors per field, naming the rule, and saves nothing", async () => {
    const document = {
      version: 1,
      rules: [
        { id: "shop-default", scope: "shop", reserve: { percent: 120 } },
        { id: "limited", scope: { tag: "limited" }, cap: -1, channels: { tiktok: { weight: "double" } } },
        { id: "a-variant", scope: { variant: "not-an-id" }, preorder: { releaseDate: "12 Jan" } },
      ],
    };
    const answer = await post(saveForm(document, 0, "rule:1"));
    if (answer.intent !== "save" || answer.result.ok || !("errors" in answer.result)) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    expect(answer).toMatchObject({ part: "rule:1", revision: 0 });
    const byPath = Object.fromEntries(answer.result.errors.map((error) => [error.path, error]));
    expect(Object.keys(byPath).sort()).toEqual(["rules[0].reserve.percent", "rules[1].cap", "rules[1].channels.tiktok.weight", "rules[2].preorder.releaseDate", "rules[2].scope.variant"]);
    expect(byPath["rules[0].reserve.percent"]).toMatchObject({ entryId: "shop-default", message: "expected a percentage from 0 to 100, got 120" });
    expect(byPath["rules[1].cap"]!.text).toBe('rules[1] ("limited").cap: expected a whole number of units (0 or more), got -1');
    expect(byPath["rules[2].scope.variant"]!.message).toMatch(/ProductVariant/);
    expect((await load()).revision).toBe(0);
  });

  it("reports JSON that does not parse at the root", async () => {
    const answer = await post(saveForm("{ version: 1", 0, "json"));
    expect(answer).toMatchObject({ intent: "save", part: "json", result: { ok: false, errors: [{ path: "(root)" }] } });
  });

  it("saves a valid document, shows it on the page, and refuses a stale revision", async () => {
    const document = { version: 1, channels: ["meta", "tiktok"], rules: [{ id: "keep-2", scope: "shop", reserve: { units: 2 } }] };
    expect(await post(saveForm(document, 0))).toMatchObject({ intent: "save", result: { ok: true, revision: 1 } });
    const view = await load();
    expect(view).toMatchObject({ revision: 1, valid: true, document });
    expect(await post(saveForm({ version: 1 }, 0))).toMatchObject({ intent: "save", result: { ok: false, conflict: true } });
    // Another shop's page shows its own (no) rules.
    expect(await load(OTHER_SHOP)).toMatchObject({ revision: 0, document: { version: 1 } });
  });

  it("simulates a variant at an instant, and refuses a local time without an offset", async () => {
    const answer = await post({ intent: "simulate", productId: PRODUCT.id, variantId: PRODUCT.variants[1]!.id, at: "2026-03-06T12:00:00Z" });
    if (answer.intent !== "simulate" || !answer.result.ok) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    const { simulation } = answer.result;
    expect(simulation.variant.id).toBe(PRODUCT.variants[1]!.id);
    expect(simulation.allocation).toMatchObject({ stock: 4, reservedForWebStore: 2, shared: 2, channelsInPlay: ["meta", "tiktok"] });
    expect(simulation.channels.find((channel) => channel.channel === "meta")).toMatchObject({ quantity: 1, message: "Only 1 left" });
    expect(await post({ intent: "simulate", productId: PRODUCT.id, at: "2026-03-06T12:00" })).toMatchObject({ intent: "simulate", result: { ok: false } });
    // A product of another shop is not found.
    expect(await post({ intent: "simulate", productId: PRODUCT.id }, OTHER_SHOP)).toMatchObject({ intent: "simulate", result: { ok: false } });
  });

  it("lists a product's variants for the scope picker", async () => {
    expect(await post({ intent: "variants", productId: PRODUCT.id })).toMatchObject({ intent: "variants", result: { variants: [{ id: PRODUCT.variants[0]!.id }, { id: PRODUCT.variants[1]!.id }] } });
    expect(await post({ intent: "nonsense" })).toMatchObject({ intent: "invalid" });
  });
});
