import type { LoaderFunctionArgs } from "@remix-run/node";
import { shopify } from "~/shopify.server";

/** Shopify's auth paths (bounce, exit-iframe, session-token refresh) are handled by the library. */
export async function loader({ request }: LoaderFunctionArgs) {
  await shopify().authenticate.admin(request);
  return null;
}
