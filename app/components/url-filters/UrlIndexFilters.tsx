import { ChoiceList, IndexFilters, Text, type AppliedFilterInterface, type FilterInterface, type IndexFiltersProps } from "@shopify/polaris";
import { useMemo } from "react";
import type { UrlFilters } from "./useUrlFilters";

/** One filter of the bar: a choice list kept in the URL under `key`. */
export interface UrlFilterChoice<K extends string> {
  key: K;
  label: string;
  choices: { label: string; value: string }[];
  /** The server's parsed filter values (unknown values already dropped). */
  settled: string[];
  /** While a change loads, keep only the URL's values that are among `choices` (for fixed choice lists). */
  knownOnly?: boolean;
  pinned?: boolean;
  /** One value at most (a radio list instead of checkboxes). */
  single?: boolean;
  /** An applied filter's label for a value that is not among `choices`; the value itself by default. */
  fallbackLabel?: (value: string) => string;
}

/**
 * A list's search box and filters (Polaris IndexFilters) over the URL state of `useUrlFilters`.
 * `emptyChoicesText` says that a filter has no values to choose from (given the filter's label).
 */
export function UrlIndexFilters<K extends string>({
  urlFilters,
  filters,
  emptyChoicesText,
  queryPlaceholder,
  tabs,
  loading,
}: {
  urlFilters: UrlFilters;
  filters: UrlFilterChoice<K>[];
  emptyChoicesText: (label: string) => string;
  queryPlaceholder: string;
  tabs: IndexFiltersProps["tabs"];
  loading: boolean;
}) {
  const { pendingSearch, uiParams, setList, queryValue, setQueryValue, mode, setMode, clearAll } = urlFilters;

  const filterChoices = useMemo(
    () =>
      filters.map((f) => {
        // Settled: the server's parsed filters. Pending: the URL being loaded, keeping only known
        // values for the fixed choice lists.
        const pending = pendingSearch === null ? null : uiParams.getAll(f.key);
        const selected = pending === null ? f.settled : f.knownOnly ? pending.filter((v) => f.choices.some((c) => c.value === v)) : pending;
        return { ...f, selected: f.single ? selected.slice(0, 1) : selected };
      }),
    [filters, pendingSearch, uiParams]
  );

  const filterItems: FilterInterface[] = filterChoices.map((f) => ({
    key: f.key,
    label: f.label,
    pinned: f.pinned,
    filter:
      f.choices.length === 0 ? (
        <Text as="p" tone="subdued">
          {emptyChoicesText(f.label)}
        </Text>
      ) : (
        <ChoiceList
          title={f.label}
          titleHidden
          choices={f.choices}
          selected={f.selected}
          allowMultiple={!f.single}
          onChange={(values) => setList(f.key, values)}
        />
      ),
  }));
  const appliedFilters: AppliedFilterInterface[] = filterChoices
    .filter((f) => f.selected.length > 0)
    .map((f) => {
      const labels = f.selected.map((value) => f.choices.find((c) => c.value === value)?.label ?? (f.fallbackLabel ? f.fallbackLabel(value) : value));
      return {
        key: f.key,
        label: `${f.label}: ${labels.join(", ")}`,
        onRemove: () => setList(f.key, []),
      };
    });

  return (
    <IndexFilters
      tabs={tabs}
      selected={0}
      onSelect={() => undefined}
      canCreateNewView={false}
      queryValue={queryValue}
      queryPlaceholder={queryPlaceholder}
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
      // Polaris treats Escape anywhere on the page as Cancel, and Cancel clears the filters
      // here: pressing Escape to close a filter's popover must not throw the filters away.
      disableKeyboardShortcuts
    />
  );
}
