import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { buildSupportBundle, supportBundleFilename } from "~/.server/services/support-bundle";

/** GET /app/products/<numeric id>/support-bundle.json: one product's support bundle as a JSON download. */
const ProductIdSchema = z.string().regex(/^\d{1,20}$/);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const id = ProductIdSchema.safeParse(params.id);
  if (!id.success) throw new Response("Product not found", { status: 404, statusText: "Not Found" });
  const productId = `gid://shopify/Product/${id.data}`;
  const now = new Date();
  const bundle = await buildSupportBundle(await getRuntime(), shop, productId, now);
  if (!bundle) throw new Response("Product not found", { status: 404, statusText: "Not Found" });
  return new Response(JSON.stringify(bundle, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${supportBundleFilename(shop, productId, now)}"`,
      // It describes one shop's product at one moment: never cached, never shared.
      "cache-control": "private, no-store",
    },
  });
}
