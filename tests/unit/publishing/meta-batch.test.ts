import { describe, expect, it } from "vitest";
import { backoffMs } from "../../../app/domain/publishing/backoff";
import {
  chunkBatchRequests,
  classifyMetaError,
  guessField,
  isMetaBatchFinished,
  isMetaProductRejected,
  META_BODY_MARGIN_BYTES,
  META_MAX_BODY_BYTES,
  META_THROTTLE_WAIT_MS,
  META_TRANSIENT_WAIT_MS,
  MetaBatchResponseSchema,
  metaBatchRequest,
  metaInvalidIds,
  metaVerdictDiagnostics,
  parseAppUsage,
  parseBusinessUseCaseUsage,
  waitFromHeaders,
  type MetaBatchRequest,
  type MetaItemLookup,
} from "../../../app/domain/publishing/meta-batch";

const PRODUCT = "gid://shopify/Product/1001";
const VARIANT = "gid://shopify/Variant/2001";

function headers(values: Record<string, string> = {}) {
  const map = new Map(Object.entries(values).map(([name, value]) => [name.toLowerCase(), value]));
  return { get: (name: string) => map.get(name.toLowerCase()) ?? null };
}

function graphError(code: number, message = "Something happened", extra: Record<string, unknown> = {}) {
  return { error: { message, type: "OAuthException", code, fbtrace_id: "AbC123", ...extra } };
}

function update(id: string, extra: Record<string, unknown> = {}): MetaBatchRequest {
  return { method: "UPDATE", data: { id, title: `Item ${id}`, ...extra } };
}

describe("metaBatchRequest", () => {
  it("turns a desired feed record into an upsert the API accepts", () => {
    const request = metaBatchRequest({
      key: "45100000000123",
      desired: {
        payload: {
          id: "stale-id",
          title: "Linen Shirt",
          description: "",
          price: "49.00 USD",
          sale_price: "",
          additional_image_link: ["https://cdn.shopify.com/a.jpg", "", "https://cdn.shopify.com/b.jpg"],
          quantity_to_sell_on_facebook: "12",
          inventory: "0",
          availability: "in stock",
          color: "  ",
        },
      },
    });
    expect(request).toEqual({
      method: "UPDATE",
      data: {
        id: "45100000000123",
        title: "Linen Shirt",
        price: "49.00 USD",
        additional_image_link: ["https://cdn.shopify.com/a.jpg", "https://cdn.shopify.com/b.jpg"],
        quantity_to_sell_on_facebook: 12,
        inventory: 0,
        availability: "in stock",
      },
    });
    expect(Object.keys(request.data)[0]).toBe("id");
  });

  it("keeps a single image URL as an array and leaves out empty arrays and empty quantities", () => {
    const request = metaBatchRequest({
      key: "k1",
      desired: { payload: { additional_image_link: "https://cdn.shopify.com/only.jpg", quantity_to_sell_on_facebook: "", product_type: [] as string[] } },
    });
    expect(request.data).toEqual({ id: "k1", additional_image_link: ["https://cdn.shopify.com/only.jpg"] });
  });

  it("sends a quantity that is not a whole number as it is, so Meta names the field", () => {
    expect(metaBatchRequest({ key: "k1", desired: { payload: { quantity_to_sell_on_facebook: "2.5" } } }).data.quantity_to_sell_on_facebook).toBe("2.5");
  });

  it("deletes with only the id", () => {
    expect(metaBatchRequest({ key: "gone-1", desired: null })).toEqual({ method: "DELETE", data: { id: "gone-1" } });
  });
});

describe("chunkBatchRequests", () => {
  it("cuts 12,000 requests into 3 calls of at most 5,000, in order", () => {
    const requests = Array.from({ length: 12_000 }, (_, index) => update(`item-${index}`));
    const chunks = chunkBatchRequests(requests);
    expect(chunks.map((chunk) => chunk.requests.length)).toEqual([5_000, 5_000, 2_000]);
    expect(chunks.every((chunk) => !chunk.oversize)).toBe(true);
    expect(chunks.flatMap((chunk) => chunk.requests.map((request) => request.data.id))).toEqual(requests.map((request) => request.data.id));
  });

  it("keeps each call's requests within the byte budget, counting multi-byte characters", () => {
    // 300 × "é" is 600 bytes in UTF-8 but 300 characters: a length-based count would overfill.
    const requests = Array.from({ length: 10 }, (_, index) => update(`item-${index}`, { description: "é".repeat(300) }));
    const one = Buffer.byteLength(JSON.stringify(requests[0]), "utf8");
    const maxBytes = one * 3 + 4; // three requests, two commas and the brackets fit; four do not
    const chunks = chunkBatchRequests(requests, { maxBytes });
    expect(chunks.map((chunk) => chunk.requests.length)).toEqual([3, 3, 3, 1]);
    for (const chunk of chunks) {
      const actual = Buffer.byteLength(JSON.stringify(chunk.requests), "utf8");
      expect(chunk.bytes).toBe(actual);
      expect(actual).toBeLessThanOrEqual(maxBytes);
    }
  });

  it("flags a request larger than the budget as its own oversize chunk without reordering", () => {
    const requests = [update("a"), update("b"), update("huge", { description: "x".repeat(5_000) }), update("c")];
    const chunks = chunkBatchRequests(requests, { maxBytes: 2_000 });
    expect(chunks.map((chunk) => [chunk.requests.map((request) => request.data.id), chunk.oversize])).toEqual([
      [["a", "b"], false],
      [["huge"], true],
      [["c"], false],
    ]);
  });

  it("defaults to 28 MB less a margin for the envelope", () => {
    const big = "y".repeat(1024 * 1024); // 1 MiB per request
    const requests = Array.from({ length: 30 }, (_, index) => update(`item-${index}`, { description: big }));
    const chunks = chunkBatchRequests(requests);
    // 27.5 MiB of budget: 27 requests of just over 1 MiB fit, a 28th does not.
    expect(chunks.map((chunk) => chunk.requests.length)).toEqual([27, 3]);
    for (const chunk of chunks) expect(chunk.bytes).toBeLessThanOrEqual(META_MAX_BODY_BYTES - META_BODY_MARGIN_BYTES);
  });

  it("gives nothing for nothing", () => {
    expect(chunkBatchRequests([])).toEqual([]);
  });
});

describe("classifyMetaError", () => {
  const none = headers();

  it.each([
    [400, graphError(2, "Service temporarily unavailable"), "retry"],
    [400, graphError(4, "Application request limit reached"), "retry"],
    [400, graphError(17, "User request limit reached"), "retry"],
    [403, graphError(32, "Page request limit reached"), "retry"],
    [400, graphError(613, "Calls to this api have exceeded the rate limit"), "retry"],
    [400, graphError(80009, "There have been too many calls to this catalog"), "retry"],
    [400, graphError(80014, "There have been too many calls for this product catalog"), "retry"],
    [500, graphError(1, "An unknown error occurred"), "retry"],
    [500, null, "retry"],
    [503, graphError(2, "Service temporarily unavailable", { is_transient: true }), "retry"],
    [429, null, "retry"],
    [0, { error: { message: "Meta could not be reached (TimeoutError)" } }, "retry"],
    [400, graphError(1, "Please reduce the amount of data you're asking for, then retry your request"), "oversize"],
    [400, graphError(190, "Invalid OAuth access token"), "reconnect"],
    [400, graphError(100, "requests: at most 5000 per call"), "dead"],
    [400, graphError(10, "Application does not have permission for this action"), "dead"],
    [403, graphError(200, "Requires catalog_management permission"), "dead"],
    [403, graphError(299, "Permission error"), "dead"],
    [400, graphError(368, "The action attempted has been deemed abusive"), "dead"],
  ])("HTTP %i %j → %s", (status, body, kind) => {
    expect(classifyMetaError(status, body, none).kind).toBe(kind);
  });

  it("tells a missing permission (every call fails) from an invalid request (this call fails)", () => {
    expect(classifyMetaError(403, graphError(200), none)).toMatchObject({ kind: "dead", scope: "connection" });
    expect(classifyMetaError(400, graphError(100), none)).toMatchObject({ kind: "dead", scope: "request" });
  });

  it("waits as long as X-Business-Use-Case-Usage says (minutes), the longest entry winning", () => {
    const usage = JSON.stringify({
      "1234": [
        { type: "catalog_batch", call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 3 },
        { type: "catalog_management", call_count: 20, total_cputime: 1, total_time: 1, estimated_time_to_regain_access: 0 },
      ],
    });
    const result = classifyMetaError(400, graphError(80014, "There have been too many calls for this product catalog"), headers({ "X-Business-Use-Case-Usage": usage }));
    expect(result).toEqual({ kind: "retry", waitMs: 180_000, reason: "Meta answered HTTP 400 (code 80014): There have been too many calls for this product catalog" });
  });

  it("waits a minute when X-App-Usage is at 100 %, and the default otherwise", () => {
    expect(classifyMetaError(400, graphError(4), headers({ "x-app-usage": '{"call_count":100,"total_cputime":12,"total_time":9}' }))).toMatchObject({ waitMs: 60_000 });
    expect(classifyMetaError(400, graphError(4), headers({ "x-app-usage": '{"call_count":40,"total_cputime":12,"total_time":9}' }))).toMatchObject({ waitMs: META_THROTTLE_WAIT_MS });
    expect(classifyMetaError(400, graphError(80014), headers({ "x-business-use-case-usage": "not json" }))).toMatchObject({ waitMs: META_THROTTLE_WAIT_MS });
    expect(classifyMetaError(500, graphError(2), none)).toMatchObject({ waitMs: META_TRANSIENT_WAIT_MS });
  });

  it("keeps Meta's words in the reason, shortened", () => {
    const long = `Invalid parameter ${"x".repeat(1_000)}`;
    const result = classifyMetaError(400, graphError(100, long, { error_subcode: 2_446_000 }), none);
    expect(result.reason.startsWith("Meta answered HTTP 400 (code 100/2446000): Invalid parameter")).toBe(true);
    expect(result.reason.length).toBeLessThan(400);
  });
});

describe("usage headers", () => {
  it("reads X-Business-Use-Case-Usage per business and type", () => {
    expect(
      parseBusinessUseCaseUsage('{"99":[{"type":"catalog_batch","call_count":"55","total_cputime":3,"total_time":4,"estimated_time_to_regain_access":0}]}'),
    ).toEqual([{ businessId: "99", type: "catalog_batch", callCount: 55, totalCputime: 3, totalTime: 4, estimatedTimeToRegainAccess: 0 }]);
  });

  it("gives nothing for missing or broken headers", () => {
    expect(parseBusinessUseCaseUsage(null)).toEqual([]);
    expect(parseBusinessUseCaseUsage("{")).toEqual([]);
    expect(parseBusinessUseCaseUsage("[1,2]")).toEqual([]);
    expect(parseAppUsage("")).toBeNull();
    expect(waitFromHeaders(headers())).toBeNull();
  });
});

describe("answers", () => {
  it("reads a batch answer, dropping entries it cannot read instead of failing", () => {
    const parsed = MetaBatchResponseSchema.parse({
      handles: ["h-1"],
      validation_status: [{ retailer_id: 17, errors: [{ message: "Unknown field: foo" }] }, { errors: "nope" }, "junk"],
    });
    expect(parsed).toEqual({ handles: ["h-1"], validation_status: [{ retailer_id: "17", errors: [{ message: "Unknown field: foo" }], warnings: undefined }] });
  });

  it("only 'finished' ends the polling", () => {
    expect(isMetaBatchFinished({ status: "finished" })).toBe(true);
    expect(isMetaBatchFinished({ status: "in_progress" })).toBe(false);
    expect(isMetaBatchFinished({ status: "started" })).toBe(false);
    expect(isMetaBatchFinished({ status: "dispatched" })).toBe(false);
    expect(isMetaBatchFinished(undefined)).toBe(false);
  });

  it("collects refused ids from ids_of_invalid_requests and the errors sample", () => {
    expect([...metaInvalidIds({ ids_of_invalid_requests: ["a"], errors: [{ id: "b", message: "x" }, { line: 3, message: "y" }] })].sort()).toEqual(["a", "b"]);
  });

  it("calls a product rejected on a rejected review or a HIGH problem", () => {
    expect(isMetaProductRejected({ retailer_id: "a", review_status: "rejected" })).toBe(true);
    expect(isMetaProductRejected({ retailer_id: "a", review_status: "approved", errors: [{ error_priority: "HIGH" }] })).toBe(true);
    expect(isMetaProductRejected({ retailer_id: "a", review_status: "approved", errors: [{ error_priority: "LOW" }] })).toBe(false);
    expect(isMetaProductRejected({ retailer_id: "a", review_status: "pending" })).toBe(false);
  });
});

describe("metaVerdictDiagnostics", () => {
  const refs: Record<string, { productId: string; variantId: string | null; itemId: string; market: string }> = {
    "item-1": { productId: PRODUCT, variantId: VARIANT, itemId: "item-1", market: "US" },
    "item-2": { productId: PRODUCT, variantId: null, itemId: "item-2", market: "US" },
  };
  const lookup: MetaItemLookup = (id) => refs[id] ?? null;

  it("turns synchronous validation messages into diagnostics with the field they name", () => {
    const found = metaVerdictDiagnostics(
      {
        validationStatus: [
          {
            retailer_id: "item-1",
            errors: [{ message: "Unknown field: fabric_weight" }],
            warnings: [{ message: "availability value 'in_stock' was read as 'in stock'" }],
          },
        ],
      },
      lookup,
    );
    expect(found.get("item-1")).toEqual([
      {
        code: "meta.rejected",
        severity: "error",
        channel: "meta",
        market: "US",
        itemId: "item-1",
        productId: PRODUCT,
        variantId: VARIANT,
        field: "fabric_weight",
        value: null,
        message: "Unknown field: fabric_weight",
        fix: expect.stringContaining('"fabric_weight"'),
        fixTarget: { kind: "mapping", channel: "meta", field: "fabric_weight" },
        source: "meta",
      },
      expect.objectContaining({ code: "meta.warning", severity: "warning", field: "availability", message: "availability value 'in_stock' was read as 'in stock'" }),
    ]);
  });

  it("gives specific advice for a bad enum value and keeps the value", () => {
    const [diagnostic] = metaVerdictDiagnostics({ validationStatus: [{ retailer_id: "item-1", errors: [{ message: 'Invalid value "brand new" for condition' }] }] }, lookup).get("item-1") ?? [];
    expect(diagnostic).toMatchObject({ field: "condition", value: "brand new", fixTarget: { kind: "mapping", channel: "meta", field: "condition" } });
    expect(diagnostic?.fix).toContain("allowed values");
  });

  it("maps batch status errors, policy rejections and unexplained invalid ids", () => {
    const found = metaVerdictDiagnostics(
      {
        batchStatus: {
          status: "finished",
          errors: [{ id: "item-1", message: "Item rejected: the image shows text or a watermark (policy)" }],
          warnings: [{ id: "item-2", message: "sale_price is not lower than price" }],
          ids_of_invalid_requests: ["item-1", "item-2", "not-ours"],
        },
      },
      lookup,
    );
    const first = found.get("item-1") ?? [];
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({
      code: "meta.rejected",
      severity: "error",
      field: "image_link",
      message: "Item rejected: the image shows text or a watermark (policy)",
      fixTarget: { kind: "shopify-product", productId: PRODUCT },
    });
    expect(first[0]?.fix).toContain("commerce policies");
    const second = found.get("item-2") ?? [];
    expect(second.map((diagnostic) => [diagnostic.code, diagnostic.severity, diagnostic.field])).toEqual([
      ["meta.rejected", "error", "item"],
      ["meta.warning", "warning", "sale_price"],
    ]);
    // No variant known: price problems point at the product.
    expect(second[1]?.fixTarget).toEqual({ kind: "shopify-product", productId: PRODUCT });
    expect(found.has("not-ours")).toBe(false);
  });

  it("maps read-back problems by error_type and priority", () => {
    const found = metaVerdictDiagnostics(
      {
        products: [
          {
            retailer_id: "item-1",
            review_status: "approved",
            errors: [
              { error_type: "image_resolution_low", error_priority: "HIGH", title: "Image too small", description: "Images must be at least 500 x 500 pixels." },
              { error_type: "invalid_sale_price", error_priority: "MEDIUM", title: "Sale price is higher than price" },
              { error_type: "missing_tax_category", error_priority: "LOW", title: "Missing tax category" },
              { error_type: "image_fetch_failed_link_broken", error_priority: "HIGH", title: "Image link broken" },
              { error_type: "ItemGroupNotSpecified", error_priority: "LOW", title: "No item group" },
              { error_type: "weird_new_thing", error_priority: "LOW", title: "Something new", description: "Check it" },
            ],
          },
        ],
      },
      lookup,
    );
    const byCode = new Map((found.get("item-1") ?? []).map((diagnostic) => [diagnostic.code, diagnostic]));
    expect([...byCode.keys()]).toEqual([
      "meta.image_resolution_low",
      "meta.invalid_sale_price",
      "meta.missing_tax_category",
      "meta.image_fetch_failed_link_broken",
      "meta.item_group_not_specified",
      "meta.weird_new_thing",
    ]);
    expect(byCode.get("meta.image_resolution_low")).toMatchObject({
      severity: "error",
      field: "image_link",
      message: "Image too small — Images must be at least 500 x 500 pixels.",
      fixTarget: { kind: "shopify-product", productId: PRODUCT },
    });
    expect(byCode.get("meta.image_resolution_low")?.fix).toContain("500 × 500");
    expect(byCode.get("meta.invalid_sale_price")).toMatchObject({ severity: "warning", field: "sale_price", fixTarget: { kind: "shopify-variant", productId: PRODUCT, variantId: VARIANT } });
    expect(byCode.get("meta.missing_tax_category")).toMatchObject({ field: "google_product_category", fixTarget: { kind: "mapping", channel: "meta", field: "google_product_category" } });
    expect(byCode.get("meta.image_fetch_failed_link_broken")?.fix).toContain("opens publicly");
    expect(byCode.get("meta.item_group_not_specified")?.field).toBe("item_group_id");
    expect(byCode.get("meta.weird_new_thing")).toMatchObject({ field: "item", fix: "Fix what Meta reports, then Shelfcast republishes the item automatically" });
  });

  it("adds a rejection when the review refused the item without a HIGH problem", () => {
    const found = metaVerdictDiagnostics(
      { products: [{ retailer_id: "item-2", review_status: "rejected", errors: [{ error_type: "bad_quality_image", error_priority: "MEDIUM", title: "Blurry image" }] }] },
      lookup,
    );
    expect((found.get("item-2") ?? []).map((diagnostic) => [diagnostic.code, diagnostic.severity])).toEqual([
      ["meta.bad_quality_image", "warning"],
      ["meta.rejected", "error"],
    ]);
  });

  it("merges two problems with the same code on one item (codes are unique per item where verdicts are stored)", () => {
    const found = metaVerdictDiagnostics(
      {
        validationStatus: [{ retailer_id: "item-1", errors: [{ message: "Unknown field: foo" }, { message: "Unknown field: foo" }, { message: "Invalid value 'x' for gender" }] }],
      },
      lookup,
    );
    const list = found.get("item-1") ?? [];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ code: "meta.rejected", field: "item", message: "Unknown field: foo; Invalid value 'x' for gender" });
  });
});

describe("guessField", () => {
  it.each([
    ["Unknown field: foo_bar", "foo_bar"],
    ["sale_price must be lower than price", "sale_price"],
    ["The price is missing", "price"],
    ["additional_image_link has too many entries", "additional_image_link"],
    ["The image shows a watermark", "image_link"],
    ["Something went wrong", "item"],
  ])("%s → %s", (message, field) => {
    expect(guessField(message)).toBe(field);
  });
});

describe("backoffMs", () => {
  const policy = { baseMs: 1_000, maxMs: 60_000 };

  it("draws from zero up to an exponential ceiling", () => {
    expect(backoffMs(0, policy, () => 0)).toBe(0);
    expect(backoffMs(0, policy, () => 0.5)).toBe(500);
    expect(backoffMs(3, policy, () => 0.5)).toBe(4_000);
    expect(backoffMs(3, policy, () => 0.999_999)).toBeLessThan(8_000);
  });

  it("never exceeds maxMs, even for huge attempt numbers", () => {
    expect(backoffMs(10, policy, () => 0.999_999)).toBeLessThanOrEqual(60_000);
    expect(backoffMs(5_000, policy, () => 0.5)).toBe(30_000);
    expect(backoffMs(-3, policy, () => 0.5)).toBe(500);
  });

  it("spreads retries out (full jitter)", () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return seed / 2_147_483_647;
    };
    const delays = new Set(Array.from({ length: 50 }, () => backoffMs(4, policy, random)));
    expect(delays.size).toBeGreaterThan(40);
  });
});
