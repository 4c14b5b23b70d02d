import { useNavigation, useSearchParams } from "@remix-run/react";
import {
  ChoiceList,
  IndexFilters,
  IndexFiltersMode,
  Tabs,
  Text,
  useSetIndexFiltersMode,
  type AppliedFilterInterface,
  type FilterInterface,
} from "@shopify/polaris";
import { useCallback, useMemo } from "react";
import type { FeedIssuesPage } from "~/.server/services/feed-issues/feed-issues-page";
import { numericId } from "~/components/channels/format";
import { ISSUE_FILTER_KEYS, type IssueTab } from "~/domain/issues/list-query";
import { useDebouncedUrlQuery } from "~/components/useDebouncedUrlQuery";

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

function collectionLabel(gid: string): string {
  return `Collection ${numericId(gid)}`;
}

/**
 * The list's tabs, search and filters, all kept in the URL (so a filtered view is a link to
 * share). While a change loads, the controls show the URL being loaded, so a second quick click
 * builds on the first. The search box reaches the URL 300 ms after the last keystroke.
 */
export function IssueFilterBar({ page, loading }: { page: Pick<FeedIssuesPage, "tab" | "filters" | "facets">; loading: boolean }) {
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const pendingSearch = navigation.location?.pathname === ISSUES_PATH ? navigation.location.search : null;
  const uiParams = useMemo(() => (pendingSearch === null ? params : new URLSearchParams(pendingSearch)), [pendingSearch, params]);
  const { filters, facets } = page;

  /** Every change starts again at page 1: the page number belongs to the old result. */
  const updateParams = useCallback(
    (change: (next: URLSearchParams) => void, options: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(uiParams);
      change(next);
      next.delete("page");
      setParams(next, { preventScrollReset: true, replace: options.replace });
    },
    [uiParams, setParams]
  );
  const setList = useCallback(
    (key: ListFilterKey, values: string[]) =>
      updateParams((next) => {
        next.delete(key);
        for (const value of values) next.append(key, value);
      }),
    [updateParams]
  );

  const { queryValue, setQueryValue, clearQuery } = useDebouncedUrlQuery(params.get("query") ?? "", updateParams);

  const hasFilters = ISSUE_FILTER_KEYS.some((key) =>
    key === "query" ? filters.query !== "" : key === "firstSeen" ? filters.firstSeen !== null : filters[key].length > 0
  );
  const { mode, setMode } = useSetIndexFiltersMode(hasFilters ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);

  const clearAll = useCallback(() => {
    clearQuery();
    updateParams((next) => {
      for (const key of ISSUE_FILTER_KEYS) next.delete(key);
    });
  }, [clearQuery, updateParams]);

  const filterChoices = useMemo(() => {
    const selected = (key: ListFilterKey, settled: string[], known?: { value: string }[]) => {
      if (pendingSearch === null) return settled;
      const values = uiParams.getAll(key);
      return known ? values.filter((v) => known.some((c) => c.value === v)) : values;
    };
    const plain = (values: string[]) => values.map((value) => ({ label: value, value }));
    return [
      {
        key: "channel",
        label: "Channel",
        choices: facets.channels,
        selected: selected("channel", filters.channel, facets.channels),
        pinned: true,
      },
      {
        key: "severity",
        label: "Severity",
        choices: SEVERITY_CHOICES,
        selected: selected("severity", filters.severity, SEVERITY_CHOICES),
        pinned: true,
      },
      {
        key: "source",
        label: "Found by",
        choices: facets.sources,
        selected: selected("source", filters.source, facets.sources),
        pinned: true,
      },
      {
        key: "code",
        label: "Problem code",
        choices: plain(facets.codes),
        selected: selected("code", filters.code),
      },
      {
        key: "vendor",
        label: "Vendor",
        choices: plain(facets.vendors),
        selected: selected("vendor", filters.vendor),
      },
      {
        key: "productType",
        label: "Product type",
        choices: plain(facets.productTypes),
        selected: selected("productType", filters.productType),
      },
      {
        key: "collection",
        label: "Collection",
        choices: facets.collections.map((value) => ({
          label: collectionLabel(value),
          value,
        })),
        selected: selected("collection", filters.collection),
      },
      {
        key: "firstSeen",
        label: "First seen",
        choices: FIRST_SEEN_CHOICES,
        selected: selected("firstSeen", filters.firstSeen ? [filters.firstSeen] : [], FIRST_SEEN_CHOICES).slice(0, 1),
        single: true,
      },
    ] satisfies {
      key: ListFilterKey;
      label: string;
      choices: { label: string; value: string }[];
      selected: string[];
      pinned?: boolean;
      single?: boolean;
    }[];
  }, [filters, facets, pendingSearch, uiParams]);

  const filterItems: FilterInterface[] = filterChoices.map((f) => ({
    key: f.key,
    label: f.label,
    pinned: "pinned" in f ? f.pinned : undefined,
    filter:
      f.choices.length === 0 ? (
        <Text as="p" tone="subdued">
          No {f.label.toLowerCase()} values among the open issues.
        </Text>
      ) : (
        <ChoiceList
          title={f.label}
          titleHidden
          choices={f.choices}
          selected={f.selected}
          allowMultiple={!("single" in f)}
          onChange={(values) => setList(f.key, values)}
        />
      ),
  }));
  const appliedFilters: AppliedFilterInterface[] = filterChoices
    .filter((f) => f.selected.length > 0)
    .map((f) => {
      const labels = f.selected.map((value) => f.choices.find((c) => c.value === value)?.label ?? (f.key === "collection" ? collectionLabel(value) : value));
      return {
        key: f.key,
        label: `${f.label}: ${labels.join(", ")}`,
        onRemove: () => setList(f.key, []),
      };
    });

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
      <IndexFilters
        tabs={[]}
        selected={0}
        onSelect={() => undefined}
        canCreateNewView={false}
        queryValue={queryValue}
        queryPlaceholder="Search by product title, SKU, variant id or item id"
        onQueryChange={setQueryValue}
        onQueryClear={() => setQueryValue("")}
        filters={filterItems}
        appliedFilters={appliedFilters}
        onClearAll={clearAll}
        // Closing the filter bar also clears it: active filters hidden behind a closed bar would
        // leave the merchant looking at a narrowed list without saying so.
        cancelAction={{ onAction: clearAll, disabled: false, loading: false }}
        mode={mode}
        setMode={setMode}
        loading={loading}
        // Escape in a filter's popover must not clear the filters (Cancel clears them here).
        disableKeyboardShortcuts
      />
    </>
  );
}
