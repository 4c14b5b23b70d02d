import { parseTikTokWebhook, TIKTOK_PRODUCT_STATUS_CHANGE } from "../../channels/tiktok/webhook";
import { logger } from "../../logger";
import { findItemByRemoteId } from "../../repositories/channel-items";
import type { Runtime } from "../../runtime";
import { markConnectionReconnect, shopsVerifyingTikTokWebhook } from "./connections";
import { requestCatalogReadBack } from "./request-publish";

/** TikTok's webhook types Shelfcast acts on (channels.md §2.6). */
const SELLER_DEAUTHORISED = 6;
/** TikTok sends small JSON bodies; anything this large is not one of its webhooks. */
const MAX_BODY_BYTES = 256 * 1024;

/**
 * A TikTok Shop webhook (`POST /webhooks/tiktok`). The signature is checked against every Shopify
 * shop connected to the TikTok shop it names; nothing is read from an unverified body beyond that id.
 * The answer is immediate: the work is queued. A product status change asks for a read-back of that
 * product, which fetches its status and audit reasons (the webhook carries neither in full) and
 * records them as the channel's verdict; TikTok retries webhooks, and a repeated read-back is harmless.
 */
export async function receiveTikTokWebhook(runtime: Runtime, request: Request): Promise<Response> {
  const rawBody = await request.text();
  if (Buffer.byteLength(rawBody) > MAX_BODY_BYTES) return json(413, "Payload too large");
  const parsed = parseTikTokWebhook(rawBody);
  if (!parsed.ok) return json(400, `Not a TikTok Shop webhook: ${parsed.reason}`);
  const { event } = parsed;
  const shops = await shopsVerifyingTikTokWebhook(runtime, event.shopId, rawBody, request.headers.get("authorization"));
  if (shops.length === 0) {
    logger.warn({ tiktokShopId: event.shopId, type: event.type }, "TikTok webhook with a signature no connection matches");
    return json(401, "Unauthorized");
  }
  for (const shop of shops) {
    if (event.type === TIKTOK_PRODUCT_STATUS_CHANGE && event.productId) {
      const item = await findItemByRemoteId(runtime.db.sql, shop, "tiktok", event.productId);
      if (item) await requestCatalogReadBack(runtime, item, `TikTok status ${event.status ?? "changed"}`, [item.key]);
      else logger.info({ shop, productId: event.productId }, "TikTok status change for a product Shelfcast did not publish");
    } else if (event.type === SELLER_DEAUTHORISED) {
      await markConnectionReconnect(runtime, shop, "tiktok", "The seller removed Shelfcast's authorisation in TikTok Shop: connect TikTok Shop again in Settings → Channels.");
    }
  }
  return json(200, "success");
}

function json(status: number, message: string): Response {
  return Response.json({ code: status === 200 ? 0 : status, message }, { status });
}
