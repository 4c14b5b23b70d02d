import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { loadProductTimeline, parseTimelineQuery } from "~/.server/services/product-timeline";

/**
 * GET /app/products/<numeric id>/timeline?channel=&variant=&before=: a further page of a product's
 * timeline ("Load more" on the product page). The first page comes with the page itself.
 */
const ProductIdSchema = z.string().regex(/^\d{1,20}$/);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const id = ProductIdSchema.safeParse(params.id);
  if (!id.success) throw new Response("Product not found", { status: 404, statusText: "Not Found" });
  const query = parseTimelineQuery(new URL(request.url).searchParams);
  // Plain JSON: the page reads it with fetch ("Load more"), not through a Remix fetcher.
  return Response.json(await loadProductTimeline(await getRuntime(), shop, `gid://shopify/Product/${id.data}`, query), { headers: { "cache-control": "private, no-store" } });
}
