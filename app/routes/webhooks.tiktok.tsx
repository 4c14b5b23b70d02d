import type { ActionFunctionArgs } from "@remix-run/node";
import { getRuntime } from "~/.server/runtime";
import { receiveTikTokWebhook } from "~/.server/services/publishing/receive-tiktok-webhook";

/** TikTok Shop's webhooks (product status and audit changes, seller deauthorisation). Signed by TikTok, not Shopify. */
export async function action({ request }: ActionFunctionArgs) {
  return receiveTikTokWebhook(await getRuntime(), request);
}

export async function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
