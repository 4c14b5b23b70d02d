import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveWebhook } from "~/.server/services/receive-webhook";

/**
 * Every webhook address in shopify.app.toml (/webhooks/<topic>) lands here; the topic's own
 * handler lives in app/.server/webhooks. One route instead of one per topic keeps HMAC checking,
 * inbox recording and enqueueing in one place (docs/decisions/0007-one-webhook-route.md).
 */
export async function action({ request, params }: ActionFunctionArgs) {
  return receiveWebhook(request, params["*"] ?? "");
}

export async function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
