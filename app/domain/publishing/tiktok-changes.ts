/**
 * What to send TikTok Shop for one product record, and what TikTok's verdicts mean to a merchant.
 * Pure: the publisher (app/.server/channels/tiktok) does the calls.
 *
 * Hashes. A record has three: `stockHash` (each SKU's quantities), `priceHash` (each SKU's price) and
 * `hash`, which covers everything. `hash` is built from the content hash (the payload without stock
 * and price) and the two others, so from what was last acknowledged (sent hash, stock hash, price hash)
 * and today's payload the plan can tell "only stock changed" from "content changed too" without
 * storing a fourth hash: combine(today's content, sent stock, sent price) equals the sent hash exactly
 * when the content is unchanged. Stock and price then go through their cheap endpoints, which keep
 * the product out of a new audit; anything else is a full edit.
 */
import { createHash } from "node:crypto";
import type { DueItem } from "./due-item";
import { z } from "zod";
import { stableStringify } from "../catalog/content-hash";
import { describeIssues } from "../catalog/zod-issues";
import type { TikTokProductPayload } from "../channels/adapters/tiktok-shop";
import type { Diagnostic } from "../channels/types";

// ---------------------------------------------------------------------------------------------
// The payload as the adapter stored it

const TikTokPayloadSchema = z.looseObject({
  title: z.string(),
  description: z.string(),
  category_id: z.string(),
  main_images: z.array(z.object({ source_url: z.string().min(1) })).min(1),
  skus: z
    .array(
      z.looseObject({
        external_sku_id: z.string().min(1),
        seller_sku: z.string().optional(),
        price: z.object({ amount: z.string(), currency: z.string() }),
        inventory: z.array(z.looseObject({ quantity: z.number().int().min(0) })).min(1),
      }),
    )
    .min(1),
  package_weight: z.object({ value: z.string(), unit: z.string() }),
  external_product_id: z.string(),
});

/** Reads a stored TikTok payload; a payload Shelfcast's adapter did not produce is refused with the field named. */
export function parseTikTokPayload(payload: unknown): { ok: true; payload: TikTokProductPayload } | { ok: false; reason: string } {
  const parsed = TikTokPayloadSchema.safeParse(payload);
  if (!parsed.success) return { ok: false, reason: `The stored TikTok payload is not usable: ${describeIssues(parsed.error).join("; ")}` };
  return { ok: true, payload: parsed.data as unknown as TikTokProductPayload };
}

// ---------------------------------------------------------------------------------------------
// Hashes

export interface TikTokHashes {
  hash: string;
  stockHash: string;
  priceHash: string;
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function skusOf(payload: unknown): Record<string, unknown>[] {
  const skus = asRecord(payload).skus;
  return Array.isArray(skus) ? skus.map(asRecord) : [];
}

function byExternalId(a: { external_sku_id: unknown }, b: { external_sku_id: unknown }): number {
  const x = String(a.external_sku_id);
  const y = String(b.external_sku_id);
  return x < y ? -1 : x > y ? 1 : 0;
}

function quantities(inventory: unknown): unknown[] {
  return Array.isArray(inventory) ? inventory.map((entry) => asRecord(entry).quantity) : [];
}

/** The payload without stock and price: a change here needs a full edit. */
export function tiktokContentHash(payload: unknown): string {
  const skus = skusOf(payload).map((sku) => {
    const { inventory: _inventory, price: _price, ...rest } = sku;
    return rest;
  });
  return sha256(stableStringify({ ...asRecord(payload), skus }));
}

function stockHashOf(payload: unknown): string {
  const stock = skusOf(payload)
    .map((sku) => ({ external_sku_id: sku.external_sku_id, quantities: quantities(sku.inventory) }))
    .sort(byExternalId);
  return sha256(stableStringify(stock));
}

function priceHashOf(payload: unknown): string {
  const prices = skusOf(payload)
    .map((sku) => ({ external_sku_id: sku.external_sku_id, price: sku.price }))
    .sort(byExternalId);
  return sha256(stableStringify(prices));
}

function combineHashes(contentHash: string, stockHash: string, priceHash: string): string {
  return sha256(`tiktok-product\n${contentHash}\n${stockHash}\n${priceHash}`);
}

/**
 * The three hashes of a TikTok record. The engine must store exactly these as the desired hashes
 * (and copy them to the sent hashes on success): planTikTokWrite relies on how `hash` is built.
 */
export function tiktokHashes(payload: TikTokProductPayload | Record<string, unknown>): TikTokHashes {
  const stockHash = stockHashOf(payload);
  const priceHash = priceHashOf(payload);
  return { hash: combineHashes(tiktokContentHash(payload), stockHash, priceHash), stockHash, priceHash };
}

// ---------------------------------------------------------------------------------------------
// Plan

/** The parts of a DueItem the plan reads. */
export type TikTokPlanInput = Pick<DueItem, "desired" | "sent">;

/**
 * - create: TikTok has no product for the record yet;
 * - lookup-then-create: a create was sent before and its answer was lost: look the product up by SKU first;
 * - edit: a full edit (PUT) carrying the known SKU ids, so SKUs are kept rather than deleted and recreated;
 * - stock / price / stock+price: only those changed, through inventory/update and prices/update;
 * - deactivate: the record should no longer be on TikTok (deactivated, not deleted, to keep order history);
 * - none: nothing to send.
 */
export type TikTokWritePlan = { kind: "create" | "lookup-then-create" | "edit" | "stock" | "price" | "stock+price" | "deactivate" | "none" };

export function planTikTokWrite(item: TikTokPlanInput): TikTokWritePlan {
  const { desired, sent } = item;
  if (desired === null) return { kind: sent.remoteId ? "deactivate" : "none" };
  if (!sent.remoteId) return { kind: sent.createStartedAt ? "lookup-then-create" : "create" };
  if (sent.hash !== null && sent.hash === desired.hash) return { kind: "none" };
  if (sent.hash === null || sent.stockHash === null || sent.priceHash === null) return { kind: "edit" };
  const contentUnchanged = combineHashes(tiktokContentHash(desired.payload), sent.stockHash, sent.priceHash) === sent.hash;
  if (!contentUnchanged) return { kind: "edit" };
  // Stock and price updates address SKUs by TikTok's id: a SKU TikTok has no id for needs an edit.
  const remoteSkus = sent.remoteSkus ?? {};
  if (!skusOf(desired.payload).every((sku) => typeof sku.external_sku_id === "string" && remoteSkus[sku.external_sku_id] !== undefined)) return { kind: "edit" };
  const stockChanged = stockHashOf(desired.payload) !== sent.stockHash;
  const priceChanged = priceHashOf(desired.payload) !== sent.priceHash;
  if (stockChanged && priceChanged) return { kind: "stock+price" };
  if (stockChanged) return { kind: "stock" };
  if (priceChanged) return { kind: "price" };
  // The hashes disagree although nothing differs: they were built another way; a full edit is always right.
  return { kind: "edit" };
}

// ---------------------------------------------------------------------------------------------
// Request bodies

/** Every inventory entry of a SKU becomes one entry in the default warehouse (the adapter's quantity is the exposed total). */
function warehouseInventory(inventory: readonly { quantity: number }[], warehouseId: string): { warehouse_id: string; quantity: number }[] {
  return [{ warehouse_id: warehouseId, quantity: inventory.reduce((sum, entry) => sum + entry.quantity, 0) }];
}

/**
 * The create / full-edit body: uploaded image URIs instead of source URLs, the warehouse on every
 * SKU's inventory, and (for an edit) TikTok's id on every SKU it already has, so those SKUs are kept.
 * `brand` ({name}) is left out: resolving it to a brand_id is not part of the wire contract yet.
 */
export function tiktokProductBody(
  payload: TikTokProductPayload,
  imageUris: readonly string[],
  warehouseId: string,
  remoteSkus: Record<string, string> | null = null,
): Record<string, unknown> {
  const { brand: _brand, main_images: _images, skus, ...rest } = payload;
  return {
    ...rest,
    main_images: imageUris.map((uri) => ({ uri })),
    skus: skus.map((sku) => {
      const id = remoteSkus?.[sku.external_sku_id];
      return { ...sku, ...(id ? { id } : {}), inventory: warehouseInventory(sku.inventory, warehouseId) };
    }),
  };
}

/** inventory/update body; SKUs TikTok has no id for are left out (planTikTokWrite sends an edit then). */
export function tiktokInventoryBody(payload: TikTokProductPayload, remoteSkus: Record<string, string>, warehouseId: string): { skus: { id: string; inventory: { warehouse_id: string; quantity: number }[] }[] } {
  return {
    skus: payload.skus.flatMap((sku) => {
      const id = remoteSkus[sku.external_sku_id];
      return id ? [{ id, inventory: warehouseInventory(sku.inventory, warehouseId) }] : [];
    }),
  };
}

/** prices/update body. */
export function tiktokPriceBody(payload: TikTokProductPayload, remoteSkus: Record<string, string>): { skus: { id: string; price: { amount: string; currency: string } }[] } {
  return {
    skus: payload.skus.flatMap((sku) => {
      const id = remoteSkus[sku.external_sku_id];
      return id ? [{ id, price: { amount: sku.price.amount, currency: sku.price.currency } }] : [];
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// TikTok's verdicts as diagnostics

/** The record a verdict is about: TikTok records are product-level, so the record key stands for the item id. */
export interface TikTokDiagnosticSubject {
  market: string;
  key: string;
  productId: string;
}

export interface TikTokAuditFailure {
  position?: string | null;
  reasons?: readonly string[] | null;
  suggestions?: readonly string[] | null;
}

/** The parts of Get Product's answer the verdicts read. */
export interface TikTokProductDetail {
  status?: string | null;
  audit_failed_reasons?: readonly TikTokAuditFailure[] | null;
}

function channelDiagnostic(subject: TikTokDiagnosticSubject, parts: Pick<Diagnostic, "code" | "severity" | "field" | "value" | "message" | "fix">): Diagnostic {
  return {
    ...parts,
    channel: "tiktok",
    market: subject.market,
    itemId: subject.key,
    productId: subject.productId,
    variantId: null,
    fixTarget: { kind: "shopify-product", productId: subject.productId },
    source: "tiktok",
  };
}

const AUDIT_FIX = "Change the product as TikTok Shop asks; Shelfcast sends it again when it changes.";

/** One error per reason TikTok's audit gave: message "<position>: <reason>", fix = TikTok's suggestions. */
export function auditDiagnostics(detail: TikTokProductDetail, subject: TikTokDiagnosticSubject): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const failure of detail.audit_failed_reasons ?? []) {
    const position = failure.position?.trim() || "product";
    const suggestions = (failure.suggestions ?? []).map((text) => text.trim()).filter(Boolean);
    for (const reason of failure.reasons ?? []) {
      diagnostics.push(
        channelDiagnostic(subject, {
          code: "tiktok.audit_failed",
          severity: "error",
          field: position,
          value: null,
          message: `${position}: ${reason}`,
          fix: suggestions.length > 0 ? suggestions.join(" ") : AUDIT_FIX,
        }),
      );
    }
  }
  return diagnostics;
}

/** What a product status means to the merchant: FAILED, PLATFORM_DEACTIVATED and FREEZE are errors, SELLER_DEACTIVATED a warning; other statuses say nothing. */
export function statusDiagnostics(status: string, suspendedReason: string | null | undefined, subject: TikTokDiagnosticSubject): Diagnostic[] {
  const reason = suspendedReason?.trim() ? ` TikTok's reason: ${suspendedReason.trim()}` : "";
  const base = { field: "status", value: status } as const;
  switch (status) {
    case "FAILED":
      return [channelDiagnostic(subject, { ...base, code: "tiktok.audit_failed", severity: "error", message: `TikTok Shop's audit refused the product.${reason}`, fix: AUDIT_FIX })];
    case "PLATFORM_DEACTIVATED":
      return [
        channelDiagnostic(subject, {
          ...base,
          code: "tiktok.platform_deactivated",
          severity: "error",
          message: `TikTok Shop deactivated the product.${reason}`,
          fix: "Fix what TikTok Shop names, or appeal in TikTok Seller Center; Shelfcast sends the product again when it changes.",
        }),
      ];
    case "FREEZE":
      return [
        channelDiagnostic(subject, {
          ...base,
          code: "tiktok.frozen",
          severity: "error",
          message: `TikTok Shop froze the product: it cannot be sold or edited for now.${reason}`,
          fix: "See the notice in TikTok Seller Center; the product is sellable again when TikTok lifts the freeze.",
        }),
      ];
    case "SELLER_DEACTIVATED":
      return [
        channelDiagnostic(subject, {
          ...base,
          code: "tiktok.seller_deactivated",
          severity: "warning",
          message: "The product is deactivated in TikTok Seller Center, so buyers cannot see it.",
          fix: "Activate it in TikTok Seller Center if it should be for sale.",
        }),
      ];
    default:
      return [];
  }
}

/** TikTok's validation messages lead with the field ("skus[0].price.amount: must be …"). */
const LEADING_FIELD = /^\s*([A-Za-z_][\w.[\]]*)\s*:/;

/** TikTok refused a request outright (code "invalid"): the message names TikTok's field. */
export function requestRejectedDiagnostic(message: string, subject: TikTokDiagnosticSubject): Diagnostic {
  const field = LEADING_FIELD.exec(message)?.[1] ?? "product";
  return channelDiagnostic(subject, {
    code: "tiktok.request_rejected",
    severity: "error",
    field,
    value: null,
    message: `TikTok Shop refused the product: ${message}`,
    fix: field === "product" ? AUDIT_FIX : `Correct ${field} as TikTok Shop asks; Shelfcast sends the product again when it changes.`,
  });
}
