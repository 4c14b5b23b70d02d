import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireShop } from "./auth";

/** Pages whose capability is not built yet still authenticate like every other page. */
export async function plannedPageLoader({ request, context }: LoaderFunctionArgs) {
  await requireShop(request, context);
  return null;
}
