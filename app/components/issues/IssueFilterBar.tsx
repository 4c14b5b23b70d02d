import { Tabs } from "@shopify/polaris";
import { useMemo } from "react";
import type { FeedIssuesPage } from "~/.server/services/feed-issues/feed-issues-page";
import { ISSUE_FILTER_KEYS, type IssueTab } from "~/domain/issues/list-query";
import { collectionLabel } from "~/components/url-filters/labels";
import { UrlIndexFilters, type UrlFilterChoice } from "~/components/url-filters/UrlIndexFilters";
import { useUrlFilters } from "~/components/url-filters/useUrlFilters";

export const ISSUES_PATH = "/app/feed-issues";
const TABS: { id: IssueTab; content: string }[] = [
  { id: "open", content: "Open" },
  { id: "grouped", content: "By problem" },
  { id: "resolved", content: "Resolved history" },
];
type ListFilterKey = Exclude<(typeof ISSUE_FILTER_KEYS)[number], "query">;

const SEVERITY_CHOICES = [
  { label: "Error", value: "error" },
  { label: "Warning", value: "warning" },
];
const FIRST_SEEN_CHOICES = [
  { label: "In the last 24 hours", value: "24h" },
  { label: "In the last 7 days", value: "7d" },
  { label: "In the last 30 days", value: "30d" },
  { label: "More than 30 days ago", value: "older" },
];

/**
 * The list's tabs, search and filters, all kept in the URL (so a filtered view is a link to
 * share). While a change loads, the controls show the URL being loaded, so a second quick click
 * builds on the first. The search box reaches the URL 300 ms after the last keystroke.
 */
export function IssueFilterBar({ page, loading }: { page: Pick<FeedIssuesPage, "tab" | "filters" | "facets">; loading: boolean }) {
  const { filters, facets } = page;
  const hasFilters = ISSUE_FILTER_KEYS.some((key) =>
    key === "query" ? filters.query !== "" : key === "firstSeen" ? filters.firstSeen !== null : filters[key].length > 0
  );
  const urlFilters = useUrlFilters({ path: ISSUES_PATH, clearKeys: ISSUE_FILTER_KEYS, hasFilters });
  const { pendingSearch, uiParams, updateParams } = urlFilters;

  const filterChoices = useMemo((): UrlFilterChoice<ListFilterKey>[] => {
    const plain = (values: string[]) => values.map((value) => ({ label: value, value }));
    return [
      {
        key: "channel",
        label: "Channel",
        choices: facets.channels,
        settled: filters.channel,
        knownOnly: true,
        pinned: true,
      },
      {
        key: "severity",
        label: "Severity",
        choices: SEVERITY_CHOICES,
        settled: filters.severity,
        knownOnly: true,
        pinned: true,
      },
      {
        key: "source",
        label: "Found by",
        choices: facets.sources,
        settled: filters.source,
        knownOnly: true,
        pinned: true,
      },
      {
        key: "code",
        label: "Problem code",
        choices: plain(facets.codes),
        settled: filters.code,
      },
      {
        key: "vendor",
        label: "Vendor",
        choices: plain(facets.vendors),
        settled: filters.vendor,
      },
      {
        key: "productType",
        label: "Product type",
        choices: plain(facets.productTypes),
        settled: filters.productType,
      },
      {
        key: "collection",
        label: "Collection",
        choices: facets.collections.map((value) => ({
          label: collectionLabel(value),
          value,
        })),
        settled: filters.collection,
        fallbackLabel: collectionLabel,
      },
      {
        key: "firstSeen",
        label: "First seen",
        choices: FIRST_SEEN_CHOICES,
        settled: filters.firstSeen ? [filters.firstSeen] : [],
        knownOnly: true,
        single: true,
      },
    ];
  }, [filters, facets]);

  const selectedTab = Math.max(
    0,
    TABS.findIndex((tab) => tab.id === (pendingSearch === null ? page.tab : uiParams.get("tab") ?? "open"))
  );

  // The views are tabs of their own, above the filter bar: IndexFilters hides its tabs while
  // filtering, and a merchant filters first, then switches to the grouped view or the history.
  return (
    <>
      <Tabs
        tabs={TABS.map((tab) => ({
          id: `issues-${tab.id}`,
          content: tab.content,
        }))}
        selected={selectedTab}
        onSelect={(index) =>
          updateParams((next) => {
            const tab = TABS[index]?.id ?? "open";
            if (tab === "open") next.delete("tab");
            else next.set("tab", tab);
          })
        }
      />
      <UrlIndexFilters
        urlFilters={urlFilters}
        filters={filterChoices}
        emptyChoicesText={(label) => `No ${label.toLowerCase()} values among the open issues.`}
        queryPlaceholder="Search by product title, SKU, variant id or item id"
        tabs={[]}
        loading={loading}
      />
    </>
  );
}
