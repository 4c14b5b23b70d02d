import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { searchPickableProducts } from "~/.server/services/rules/campaigns-page";

/** The catalog search behind the demo's "Tag a product" picker: `GET /app/campaigns/products?q=linen`. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const search = new URL(request.url).searchParams.get("q") ?? "";
  return { search, products: await searchPickableProducts(await getRuntime(), shop, search) };
}
