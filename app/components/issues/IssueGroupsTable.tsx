import { BlockStack, IndexTable, InlineStack, Link, Text, useIndexResourceState } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { IssueGroupView } from "~/.server/services/feed-issues/feed-issues-page";
import { formatCount } from "~/components/channels/format";
import { SeverityBadge, SourceBadge } from "./IssueBadges";

/**
 * The grouped view: one row per problem on one channel ("134 items: title too long on Meta"), with
 * its mapping rule, a link to its items, and bulk actions on the selected groups. `itemsHref`
 * turns a group into the open list filtered to it.
 */
export function IssueGroupsTable({
  groups,
  loading,
  emptyState,
  busy,
  itemsHref,
  onRevalidate,
  onRepublish,
}: {
  groups: IssueGroupView[];
  loading: boolean;
  emptyState: ReactNode;
  busy: boolean;
  itemsHref: (group: IssueGroupView) => string;
  onRevalidate: (groups: IssueGroupView[]) => void;
  onRepublish: (groups: IssueGroupView[]) => void;
}) {
  const { selectedResources, allResourcesSelected, handleSelectionChange, clearSelection } = useIndexResourceState(groups as unknown as { [key: string]: unknown }[]);
  const selected = groups.filter((group) => allResourcesSelected || selectedResources.includes(group.id));
  const republishable = selected.filter((group) => group.canRepublish);
  const act = (action: (groups: IssueGroupView[]) => void, chosen: IssueGroupView[]) => () => {
    action(chosen);
    clearSelection();
  };

  return (
    <IndexTable
      resourceName={{ singular: "problem", plural: "problems" }}
      itemCount={groups.length}
      selectedItemsCount={allResourcesSelected ? "All" : selectedResources.length}
      onSelectionChange={handleSelectionChange}
      loading={loading}
      emptyState={emptyState}
      promotedBulkActions={[
        { content: "Re-validate", onAction: act(onRevalidate, selected), disabled: busy },
        {
          content: republishable.length === selected.length ? "Re-publish" : `Re-publish (${republishable.length} of ${selected.length}: Meta and TikTok Shop only)`,
          onAction: act(onRepublish, republishable),
          disabled: busy || republishable.length === 0,
        },
      ]}
      headings={[{ title: "Severity" }, { title: "Found by" }, { title: "Channel" }, { title: "Problem" }, { title: "Items", alignment: "end" }, { title: "Fix" }]}
    >
      {groups.map((group, index) => (
        <IndexTable.Row id={group.id} key={group.id} position={index} selected={allResourcesSelected || selectedResources.includes(group.id)}>
          <IndexTable.Cell>
            <SeverityBadge severity={group.severity} />
          </IndexTable.Cell>
          <IndexTable.Cell>
            <SourceBadge source={group.source} label={group.sourceLabel} />
          </IndexTable.Cell>
          <IndexTable.Cell>{group.channelLabel}</IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ maxWidth: "min(30rem, 45vw)", minWidth: 0, whiteSpace: "normal" }}>
              <BlockStack gap="050">
                <InlineStack gap="100" blockAlign="baseline" wrap={false}>
                  <Text as="span" fontWeight="semibold">
                    {group.codeLabel}
                  </Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    <code>{group.code}</code>
                  </Text>
                </InlineStack>
                <Text as="p" variant="bodySm" tone="subdued" breakWord>
                  {`For example: ${group.example}`}
                </Text>
              </BlockStack>
            </div>
          </IndexTable.Cell>
          <IndexTable.Cell>
            {/* The link's click must not toggle the row's selection. */}
            <span onClick={(event) => event.stopPropagation()} data-testid="issue-group-items">
              <Link url={itemsHref(group)} removeUnderline>
                <Text as="span" alignment="end" numeric>
                  {`${formatCount(group.items)} ${group.items === 1 ? "item" : "items"}`}
                </Text>
              </Link>
            </span>
          </IndexTable.Cell>
          <IndexTable.Cell>
            <div style={{ maxWidth: "min(22rem, 35vw)", minWidth: 0, whiteSpace: "normal" }}>
              <BlockStack gap="050">
                <Text as="p" variant="bodySm" breakWord>
                  {group.fix}
                </Text>
                <span onClick={(event) => event.stopPropagation()}>
                  <Link url={group.mappingHref} removeUnderline>
                    Open mapping rule
                  </Link>
                </span>
              </BlockStack>
            </div>
          </IndexTable.Cell>
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}
