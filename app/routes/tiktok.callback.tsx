import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { isDemoChannelShop } from "~/.server/channels/channel-fetch";
import { getRuntime } from "~/.server/runtime";
import { completeTikTokAuthorization } from "~/.server/services/publishing/connections";
import { env } from "~/env.server";

/**
 * TikTok sends the seller back here after consent: `/tiktok/callback?code=…&state=…`. There is no
 * Shopify session on this request (TikTok's redirect is a top-level visit): the single-use state
 * names the shop. The merchant lands back on Settings, inside Shopify Admin (or the demo), where the
 * connection shows the outcome.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const runtime = await getRuntime();
  const result = await completeTikTokAuthorization(runtime, { state: url.searchParams.get("state"), code: url.searchParams.get("code") });
  if (result.shop === null) return notCompleted(result.message);
  const outcome = result.ok ? "connected" : "failed";
  const path = `/app/settings?tiktok=${outcome}`;
  if (await isDemoChannelShop(runtime, result.shop)) return redirect(path);
  // Shopify Admin opens the embedded app at this path: https://<shop>/admin/apps/<client id><path>.
  return redirect(`https://${result.shop}/admin/apps/${encodeURIComponent(env().apiKey)}${path}`);
}

/** Nowhere to send the visitor back to (unknown or used state): a plain page that says what to do. */
function notCompleted(message: string): Response {
  const escaped = message.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>TikTok Shop · Shelfcast</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem"><h1>TikTok Shop was not connected</h1><p>${escaped}</p></body></html>`;
  return new Response(body, { status: 400, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "referrer-policy": "no-referrer" } });
}
