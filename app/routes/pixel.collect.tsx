import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { getRuntime } from "~/.server/runtime";
import { collectPixelEvents, COLLECTOR_CORS_HEADERS } from "~/.server/services/tracking/collect-pixel-event";

/**
 * The collector: Shelfcast's web pixel posts its events here from storefronts (POST /pixel/collect,
 * usually as a beacon). No session, no cookies: the body names the shop and only installed shops are
 * accepted. Answers 204 on success; 400 names the bad fields; 404 for a shop Shelfcast does not serve;
 * 413 for an oversized batch.
 */
export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return notPost(request);
  const outcome = await collectPixelEvents(await getRuntime(), request, new Date());
  if (outcome.status === 204) return new Response(null, { status: 204, headers: COLLECTOR_CORS_HEADERS });
  const { status, ...body } = outcome;
  return Response.json(body, { status, headers: COLLECTOR_CORS_HEADERS });
}

/** Remix hands GET, HEAD and the CORS preflight (OPTIONS) to the loader. */
export async function loader({ request }: LoaderFunctionArgs) {
  return notPost(request);
}

function notPost(request: Request): Response {
  if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: COLLECTOR_CORS_HEADERS });
  return new Response("Method Not Allowed", { status: 405, headers: { ...COLLECTOR_CORS_HEADERS, Allow: "POST, OPTIONS" } });
}
