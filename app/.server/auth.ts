import type { AppLoadContext } from "@remix-run/node";
import { DEMO_SHOP, env, isLoopbackHost } from "~/env.server";
import { shopify } from "~/shopify.server";

/**
 * Who is asking: the shop every query of this request is scoped to. In production this is always
 * Shopify's session-token authentication. Demo mode signs the visitor in as the demo shop, and
 * only when the server runs in demo mode (refused in production at boot) and the request came in
 * over a loopback socket.
 */
export interface ShopContext {
  shop: string;
  mode: "shopify" | "demo";
}

export interface RequestContext extends AppLoadContext {
  /** Set by our server (server.mjs) from the socket, never from a header a client can forge. */
  remoteAddress?: string;
}

const LOOPBACK_ADDRESS = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

export function isDemoRequest(request: Request, context: RequestContext | undefined): boolean {
  if (!env().SHELFCAST_DEMO) return false;
  const remote = context?.remoteAddress;
  if (!remote || !LOOPBACK_ADDRESS.test(remote)) return false;
  return isLoopbackHost(new URL(request.url).hostname);
}

export async function requireShop(request: Request, context?: RequestContext): Promise<ShopContext> {
  if (isDemoRequest(request, context)) return { shop: DEMO_SHOP, mode: "demo" };
  const { session } = await shopify().authenticate.admin(request);
  return { shop: session.shop, mode: "shopify" };
}
