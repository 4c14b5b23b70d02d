import { BlockStack, IndexTable, Link, Text, type IndexTableProps } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { IssueView } from "~/.server/services/feed-issues/feed-issues-page";
import { FixTargetLink } from "~/components/channels/FixTargetLink";
import { timeAgo } from "~/components/channels/format";
import { SeverityBadge, SourceBadge } from "./IssueBadges";

/**
 * One row per problem of one item on one channel: what is wrong, who found it, where to fix it,
 * and the product's timeline. `resolved` switches the date column to when it was resolved.
 */
export function IssuesTable({
  rows,
  resolved,
  embedded,
  now,
  loading,
  emptyState,
  pagination,
  multipleMarkets,
}: {
  rows: IssueView[];
  resolved: boolean;
  embedded: boolean;
  now: string;
  loading: boolean;
  emptyState: ReactNode;
  pagination: IndexTableProps["pagination"];
  multipleMarkets: boolean;
}) {
  return (
    <IndexTable
      resourceName={{ singular: "issue", plural: "issues" }}
      itemCount={rows.length}
      selectable={false}
      loading={loading}
      emptyState={emptyState}
      headings={[{ title: "Severity" }, { title: "Channel" }, { title: "Product" }, { title: "Problem" }, { title: "Fix" }, { title: resolved ? "Resolved" : "First seen" }]}
      pagination={pagination}
    >
      {rows.map((row, index) => (
        <IndexTable.Row id={row.id} key={row.id} position={index}>
          <IndexTable.Cell>
            {/* Who found it under how bad it is: both are read at a glance, side by side they crowd the text columns. */}
            <BlockStack gap="100" inlineAlign="start">
              <SeverityBadge severity={row.severity} />
              <SourceBadge source={row.source} label={row.sourceLabel} />
            </BlockStack>
          </IndexTable.Cell>
          <IndexTable.Cell>{multipleMarkets ? `${row.channelLabel} · ${row.market}` : row.channelLabel}</IndexTable.Cell>
          <IndexTable.Cell>
            {/* Real catalogs have 200-character titles: the column is capped, the full title is the tooltip. */}
            <div style={{ width: "12rem", maxWidth: "26vw" }} title={row.productTitle}>
              <BlockStack gap="050">
                <Text as="span" fontWeight="semibold" truncate>
                  {row.productTitle || row.productId}
                </Text>
                <Text as="span" variant="bodySm" tone="subdued" truncate>
                  {[row.variantTitle && row.variantTitle !== "Default Title" ? row.variantTitle : null, row.sku ? `SKU ${row.sku}` : null, `Item ${row.itemId}`]
                    .filter(Boolean)
                    .join(" · ")}
                </Text>
                <Link url={row.timelineHref} removeUnderline>
                  Timeline
                </Link>
              </BlockStack>
            </div>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ width: "18rem", maxWidth: "30vw", whiteSpace: "normal" }}>
              <BlockStack gap="050">
                <span title={row.code}>
                  <Text as="span" fontWeight="semibold">
                    {row.codeLabel}
                  </Text>
                </span>
                <Clamp lines={3} title={row.message}>
                  <Text as="p" variant="bodySm" breakWord>
                    {row.message}
                  </Text>
                </Clamp>
              </BlockStack>
            </div>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ width: "12rem", maxWidth: "22vw", whiteSpace: "normal" }}>
              <BlockStack gap="050">
                <Clamp lines={2} title={row.fix}>
                  <Text as="p" variant="bodySm" tone="subdued" breakWord>
                    {row.fix}
                  </Text>
                </Clamp>
                <FixTargetLink target={row.fixTarget} embedded={embedded} />
              </BlockStack>
            </div>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <span title={resolved && row.resolvedAt ? row.resolvedAt : row.firstSeenAt}>{timeAgo(resolved && row.resolvedAt ? row.resolvedAt : row.firstSeenAt, now)}</span>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

/** At most `lines` lines of text; the whole text is the tooltip. */
function Clamp({ lines, title, children }: { lines: number; title: string; children: ReactNode }) {
  return (
    <div title={title} style={{ display: "-webkit-box", WebkitLineClamp: lines, WebkitBoxOrient: "vertical", overflow: "hidden" }}>
      {children}
    </div>
  );
}
