import { z } from "zod";
import { describeIssues } from "~/domain/catalog/zod-issues";

/**
 * TikTok Shop webhook bodies (channels.md §2.6): `{type, shop_id, timestamp, data}`. Type 5 is a
 * product status change with `data: {product_id, status, suspended_reason?, update_time}`. The
 * signature is checked first (verifyTikTokWebhook on the raw body); this only reads the body.
 */

export const TIKTOK_PRODUCT_STATUS_CHANGE = 5;

/** TikTok ids are strings, but a number is read as one rather than refused. */
const IdSchema = z.union([z.string().min(1), z.number()]).transform(String);

const TikTokWebhookSchema = z.object({
  type: z.number().int(),
  shop_id: IdSchema,
  timestamp: z.number(),
  data: z.record(z.string(), z.unknown()).nullish(),
});

const ProductStatusDataSchema = z.object({
  product_id: IdSchema,
  status: z.string().min(1),
  suspended_reason: z.string().nullish(),
  update_time: z.number().nullish(),
});

export interface TikTokWebhookEvent {
  type: number;
  shopId: string;
  /** Unix seconds, as TikTok sent it. */
  timestamp: number;
  productId?: string;
  status?: string;
  suspendedReason?: string;
}

export type TikTokWebhookParse = { ok: true; event: TikTokWebhookEvent } | { ok: false; reason: string };

export function parseTikTokWebhook(rawBody: string): TikTokWebhookParse {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return { ok: false, reason: "The body is not JSON" };
  }
  const parsed = TikTokWebhookSchema.safeParse(json);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.error).join("; ") };
  const { type, shop_id: shopId, timestamp, data } = parsed.data;
  const event: TikTokWebhookEvent = { type, shopId, timestamp };
  if (type !== TIKTOK_PRODUCT_STATUS_CHANGE) return { ok: true, event };
  const product = ProductStatusDataSchema.safeParse(data ?? {});
  if (!product.success) return { ok: false, reason: describeIssues(product.error).map((issue) => `data.${issue}`).join("; ") };
  event.productId = product.data.product_id;
  event.status = product.data.status;
  if (product.data.suspended_reason) event.suspendedReason = product.data.suspended_reason;
  return { ok: true, event };
}
