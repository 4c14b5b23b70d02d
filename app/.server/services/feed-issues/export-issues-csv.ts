import { createFeedSerializer } from "~/domain/feeds/serializer";
import { channelShortLabel, issueCodeLabel, sourceLabel } from "~/domain/issues/labels";
import { exportIssues, type IssueRow } from "../../repositories/feed-issues";
import type { Runtime } from "../../runtime";
import { issueFiltersFor, parseFeedIssuesQuery } from "./feed-issues-page";

/** The export's columns, in order: what an agency needs to fix the items without opening Shelfcast. */
export const ISSUE_CSV_COLUMNS = [
  "severity",
  "source",
  "channel",
  "market",
  "code",
  "problem",
  "field",
  "value",
  "message",
  "fix",
  "product_title",
  "product_id",
  "variant_id",
  "sku",
  "item_id",
  "vendor",
  "product_type",
  "first_seen_at",
  "last_seen_at",
  "resolved_at",
] as const;

/** Rows are encoded and handed to the response in slices about this large. */
const SLICE_CHARS = 64 * 1024;

function csvFields(issue: IssueRow): Record<(typeof ISSUE_CSV_COLUMNS)[number], string> {
  return {
    severity: issue.severity,
    source: sourceLabel(issue.source),
    channel: channelShortLabel(issue.channel),
    market: issue.market,
    code: issue.code,
    problem: issueCodeLabel(issue.code),
    field: issue.field,
    value: issue.value ?? "",
    message: issue.message,
    fix: issue.fix,
    product_title: issue.productTitle,
    product_id: issue.productId,
    variant_id: issue.variantId ?? "",
    sku: issue.sku ?? "",
    item_id: issue.itemId,
    vendor: issue.vendor ?? "",
    product_type: issue.productType ?? "",
    first_seen_at: issue.firstSeenAt.toISOString(),
    last_seen_at: issue.lastSeenAt.toISOString(),
    resolved_at: issue.resolvedAt ? issue.resolvedAt.toISOString() : "",
  };
}

/**
 * The issues matching a Feed issues URL (tab and filters) as a CSV download, streamed from the
 * database in batches. Written by the feeds' own CSV serializer: RFC 4180, and every cell a
 * spreadsheet would run as a formula (a product title "=HYPERLINK(…)") is neutralised. A byte order
 * mark makes Excel read the UTF-8.
 */
export function exportIssuesCsv(runtime: Runtime, shop: string, searchParams: URLSearchParams, now: Date): Response {
  const query = parseFeedIssuesQuery(searchParams);
  const filters = issueFiltersFor(query, now);
  const serializer = createFeedSerializer({ format: "csv", columns: ISSUE_CSV_COLUMNS, bom: true });
  const rows = exportIssues(runtime.db.sql, shop, filters)[Symbol.asyncIterator]();
  const encoder = new TextEncoder();
  let headerSent = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let slice = headerSent ? "" : serializer.header();
      headerSent = true;
      while (slice.length < SLICE_CHARS) {
        const next = await rows.next();
        if (next.done) {
          if (slice) controller.enqueue(encoder.encode(slice));
          controller.close();
          return;
        }
        slice += serializer.record({ key: next.value.id, itemIds: [next.value.itemId], fields: csvFields(next.value) });
      }
      controller.enqueue(encoder.encode(slice));
    },
    async cancel() {
      await rows.return?.();
    },
  });
  const day = now.toISOString().slice(0, 10);
  const name = `shelfcast-${query.tab === "resolved" ? "resolved-issues" : "feed-issues"}-${shop.replace(/\.myshopify\.com$/, "").replace(/[^A-Za-z0-9-]/g, "-")}-${day}.csv`;
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": serializer.contentType,
      "content-disposition": `attachment; filename="${name}"`,
      "cache-control": "private, no-store",
    },
  });
}
