import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { exportIssuesCsv } from "~/.server/services/feed-issues/export-issues-csv";

// /app/feed-issues/export.csv?<the list's query>: the issues of the current tab and filters as a
// CSV download (a resource route: no page of its own; the trailing underscore keeps it out of the
// list's layout).
export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request, context);
  return exportIssuesCsv(await getRuntime(), shop, new URL(request.url).searchParams, new Date());
}
