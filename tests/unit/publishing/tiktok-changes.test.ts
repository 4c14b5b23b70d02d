import { describe, expect, it } from "vitest";
import type { TikTokProductPayload } from "../../../app/domain/channels/adapters/tiktok-shop";
import {
  auditDiagnostics,
  parseTikTokPayload,
  planTikTokWrite,
  requestRejectedDiagnostic,
  statusDiagnostics,
  tiktokHashes,
  tiktokInventoryBody,
  tiktokPriceBody,
  tiktokProductBody,
  type TikTokPlanInput,
} from "../../../app/domain/publishing/tiktok-changes";

const PRODUCT = "gid://shopify/Product/1";
const SUBJECT = { market: "US", key: "shopify_US_1", productId: PRODUCT };

function payload(overrides: Partial<TikTokProductPayload> = {}, skuOverrides: Partial<TikTokProductPayload["skus"][number]>[] = [{}, {}]): TikTokProductPayload {
  return {
    title: "Ceramic mug",
    description: "<p>A mug.</p>",
    category_id: "601226",
    brand: { name: "Acme" },
    main_images: [{ source_url: "https://cdn.shopify.com/mug.jpg" }, { source_url: "https://cdn.shopify.com/mug-2.jpg" }],
    skus: skuOverrides.map((sku, index) => ({
      external_sku_id: `gid://shopify/ProductVariant/${index + 1}`,
      seller_sku: `MUG-${index + 1}`,
      price: { amount: "12.00", currency: "USD" },
      inventory: [{ quantity: 5 }],
      sales_attributes: [{ name: "Color", value_name: index === 0 ? "Red" : "Blue" }],
      ...sku,
    })),
    package_weight: { value: "0.4", unit: "KILOGRAM" },
    external_product_id: PRODUCT,
    ...overrides,
  };
}

const REMOTE_SKUS = { "gid://shopify/ProductVariant/1": "sku-a", "gid://shopify/ProductVariant/2": "sku-b" };

/** A record acknowledged with `before`, now wanted as `after`. */
function due(before: TikTokProductPayload | null, after: TikTokProductPayload | null, sent: Partial<TikTokPlanInput["sent"]> = {}): TikTokPlanInput {
  const sentHashes = before ? tiktokHashes(before) : { hash: null, stockHash: null, priceHash: null };
  return {
    desired: after ? { ...tiktokHashes(after), payload: after } : null,
    sent: { ...sentHashes, remoteId: "p-1", remoteSkus: REMOTE_SKUS, createStartedAt: null, ...sent },
  };
}

describe("tiktokHashes", () => {
  it("is stable whatever the key order and changes only the matching hash", () => {
    const base = tiktokHashes(payload());
    const reversed = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(reversed)
        : typeof value === "object" && value !== null
          ? Object.fromEntries(Object.entries(value).reverse().map(([key, inner]) => [key, reversed(inner)]))
          : value;
    const reordered = reversed(payload()) as TikTokProductPayload;
    expect(Object.keys(reordered)[0]).toBe("external_product_id");
    expect(tiktokHashes(reordered)).toEqual(base);

    const stock = tiktokHashes(payload({}, [{ inventory: [{ quantity: 4 }] }, {}]));
    expect(stock.stockHash).not.toBe(base.stockHash);
    expect(stock.priceHash).toBe(base.priceHash);
    expect(stock.hash).not.toBe(base.hash);

    const price = tiktokHashes(payload({}, [{}, { price: { amount: "13.00", currency: "USD" } }]));
    expect(price.priceHash).not.toBe(base.priceHash);
    expect(price.stockHash).toBe(base.stockHash);
    expect(price.hash).not.toBe(base.hash);

    const title = tiktokHashes(payload({ title: "Stoneware mug" }));
    expect(title.stockHash).toBe(base.stockHash);
    expect(title.priceHash).toBe(base.priceHash);
    expect(title.hash).not.toBe(base.hash);
    expect(base.hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("planTikTokWrite", () => {
  it("creates when TikTok has no product, looking up first after a lost create answer", () => {
    expect(planTikTokWrite(due(null, payload(), { remoteId: null, remoteSkus: null }))).toEqual({ kind: "create" });
    expect(planTikTokWrite(due(null, payload(), { remoteId: null, remoteSkus: null, createStartedAt: new Date("2025-01-01T00:00:00Z") }))).toEqual({ kind: "lookup-then-create" });
  });

  it("deactivates a record that should be gone, and does nothing when it never reached TikTok", () => {
    expect(planTikTokWrite(due(payload(), null))).toEqual({ kind: "deactivate" });
    expect(planTikTokWrite(due(payload(), null, { remoteId: null }))).toEqual({ kind: "none" });
  });

  it("does nothing when the content is what TikTok acknowledged", () => {
    expect(planTikTokWrite(due(payload(), payload()))).toEqual({ kind: "none" });
  });

  it("sends stock, price or both through their endpoints when nothing else changed", () => {
    const stock = payload({}, [{ inventory: [{ quantity: 0 }] }, {}]);
    const price = payload({}, [{ price: { amount: "9.50", currency: "USD" } }, {}]);
    const both = payload({}, [{ inventory: [{ quantity: 0 }], price: { amount: "9.50", currency: "USD" } }, {}]);
    expect(planTikTokWrite(due(payload(), stock))).toEqual({ kind: "stock" });
    expect(planTikTokWrite(due(payload(), price))).toEqual({ kind: "price" });
    expect(planTikTokWrite(due(payload(), both))).toEqual({ kind: "stock+price" });
  });

  it("edits when content changed, even together with stock, and when a SKU has no TikTok id", () => {
    expect(planTikTokWrite(due(payload(), payload({ title: "Stoneware mug" })))).toEqual({ kind: "edit" });
    expect(planTikTokWrite(due(payload(), payload({ title: "Stoneware mug" }, [{ inventory: [{ quantity: 1 }] }, {}])))).toEqual({ kind: "edit" });
    const added = payload({}, [{}, {}, { inventory: [{ quantity: 2 }] }]);
    expect(planTikTokWrite(due(payload(), added))).toEqual({ kind: "edit" });
    const stockOnly = payload({}, [{ inventory: [{ quantity: 0 }] }, {}]);
    expect(planTikTokWrite(due(payload(), stockOnly, { remoteSkus: { "gid://shopify/ProductVariant/1": "sku-a" } }))).toEqual({ kind: "edit" });
  });

  it("edits when the acknowledged hashes are unknown or were built another way", () => {
    expect(planTikTokWrite(due(payload(), payload({}, [{ inventory: [{ quantity: 0 }] }, {}]), { hash: null }))).toEqual({ kind: "edit" });
    expect(planTikTokWrite(due(payload(), payload({}, [{ inventory: [{ quantity: 0 }] }, {}]), { hash: "0".repeat(64) }))).toEqual({ kind: "edit" });
  });
});

describe("request bodies", () => {
  it("sends uploaded URIs, the default warehouse and the known SKU ids; drops the unresolved brand", () => {
    const body = tiktokProductBody(payload(), ["tos-uri-1", "tos-uri-2"], "wh-1", { "gid://shopify/ProductVariant/1": "sku-a" });
    expect(body.main_images).toEqual([{ uri: "tos-uri-1" }, { uri: "tos-uri-2" }]);
    expect(body).not.toHaveProperty("brand");
    const skus = body.skus as Record<string, unknown>[];
    expect(skus[0]).toMatchObject({ id: "sku-a", external_sku_id: "gid://shopify/ProductVariant/1", inventory: [{ warehouse_id: "wh-1", quantity: 5 }] });
    expect(skus[1]).not.toHaveProperty("id");
    expect(JSON.stringify(body)).not.toContain("source_url");
  });

  it("builds inventory and price updates by TikTok SKU id", () => {
    const p = payload({}, [{ inventory: [{ quantity: 3 }] }, { price: { amount: "8.00", currency: "USD" } }]);
    expect(tiktokInventoryBody(p, REMOTE_SKUS, "wh-1")).toEqual({
      skus: [
        { id: "sku-a", inventory: [{ warehouse_id: "wh-1", quantity: 3 }] },
        { id: "sku-b", inventory: [{ warehouse_id: "wh-1", quantity: 5 }] },
      ],
    });
    expect(tiktokPriceBody(p, REMOTE_SKUS)).toEqual({
      skus: [
        { id: "sku-a", price: { amount: "12.00", currency: "USD" } },
        { id: "sku-b", price: { amount: "8.00", currency: "USD" } },
      ],
    });
  });

  it("refuses a stored payload that lacks what TikTok needs, naming the field", () => {
    expect(parseTikTokPayload(payload()).ok).toBe(true);
    const broken = parseTikTokPayload({ ...payload(), skus: [{ external_sku_id: "x", price: { amount: "1.00", currency: "USD" } }] });
    expect(broken).toMatchObject({ ok: false });
    expect(broken.ok ? "" : broken.reason).toContain("skus.0.inventory");
  });
});

describe("diagnostics from TikTok", () => {
  it("gives one error per audit reason, with TikTok's suggestions as the fix", () => {
    const diagnostics = auditDiagnostics(
      {
        status: "FAILED",
        audit_failed_reasons: [
          { position: "main_images", reasons: ["The image shows a watermark", "The image is blurry"], suggestions: ["Use a clean photo.", "Use at least 600 px."] },
          { position: "title", reasons: ["The title contains promotional words"], suggestions: [] },
        ],
      },
      SUBJECT,
    );
    expect(diagnostics).toHaveLength(3);
    expect(diagnostics[0]).toEqual({
      code: "tiktok.audit_failed",
      severity: "error",
      channel: "tiktok",
      market: "US",
      itemId: "shopify_US_1",
      productId: PRODUCT,
      variantId: null,
      field: "main_images",
      value: null,
      message: "main_images: The image shows a watermark",
      fix: "Use a clean photo. Use at least 600 px.",
      fixTarget: { kind: "shopify-product", productId: PRODUCT },
      source: "tiktok",
    });
    expect(diagnostics[2]?.message).toBe("title: The title contains promotional words");
    expect(diagnostics[2]?.fix).not.toBe("");
    expect(auditDiagnostics({ status: "ACTIVATE" }, SUBJECT)).toEqual([]);
  });

  it("turns FAILED, PLATFORM_DEACTIVATED and FREEZE into errors and ignores live statuses", () => {
    expect(statusDiagnostics("FAILED", null, SUBJECT).map((d) => d.code)).toEqual(["tiktok.audit_failed"]);
    const deactivated = statusDiagnostics("PLATFORM_DEACTIVATED", "Counterfeit suspicion", SUBJECT);
    expect(deactivated).toMatchObject([{ code: "tiktok.platform_deactivated", severity: "error", source: "tiktok" }]);
    expect(deactivated[0]?.message).toContain("Counterfeit suspicion");
    expect(statusDiagnostics("FREEZE", undefined, SUBJECT).map((d) => d.code)).toEqual(["tiktok.frozen"]);
    expect(statusDiagnostics("ACTIVATE", null, SUBJECT)).toEqual([]);
    expect(statusDiagnostics("PENDING", null, SUBJECT)).toEqual([]);
  });

  it("names TikTok's field when it refuses a request", () => {
    const diagnostic = requestRejectedDiagnostic("skus[0].price.amount: must be a decimal string between 0.01 and 7600", SUBJECT);
    expect(diagnostic).toMatchObject({ code: "tiktok.request_rejected", severity: "error", field: "skus[0].price.amount", source: "tiktok" });
    expect(diagnostic.message).toContain("skus[0].price.amount: must be a decimal string between 0.01 and 7600");
    expect(requestRejectedDiagnostic("Invalid product data", SUBJECT).field).toBe("product");
  });
});
