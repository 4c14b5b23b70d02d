import { useNavigation, useSearchParams } from "@remix-run/react";
import { IndexFiltersMode, useSetIndexFiltersMode } from "@shopify/polaris";
import { useCallback, useMemo } from "react";
import { useDebouncedUrlQuery } from "~/components/useDebouncedUrlQuery";

/**
 * The state behind a list's search and filters, all kept in the URL (so a filtered view is a link
 * to share). `path` is the list's own page, `clearKeys` the URL keys "Clear all" removes, and
 * `hasFilters` whether the loaded view is filtered. Render the controls with `UrlIndexFilters`.
 */
export function useUrlFilters({ path, clearKeys, hasFilters }: { path: string; clearKeys: readonly string[]; hasFilters: boolean }) {
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();

  // While a filter change loads, the controls show the URL being loaded, not the one on screen: a
  // ticked box stays ticked at once, and a second quick click builds on the first instead of
  // undoing it.
  const pendingSearch = navigation.location?.pathname === path ? navigation.location.search : null;
  const uiParams = useMemo(() => (pendingSearch === null ? params : new URLSearchParams(pendingSearch)), [pendingSearch, params]);

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

  /** Replaces a repeated URL key (`?vendor=a&vendor=b`) with `values`. */
  const setList = useCallback(
    (key: string, values: string[]) =>
      updateParams((next) => {
        next.delete(key);
        for (const value of values) next.append(key, value);
      }),
    [updateParams]
  );

  // The search box reaches the URL 300 ms after the last keystroke.
  const { queryValue, setQueryValue, clearQuery } = useDebouncedUrlQuery(params.get("query") ?? "", updateParams);

  // A shared link with filters opens with the filter bar showing them; otherwise it stays closed.
  const { mode, setMode } = useSetIndexFiltersMode(hasFilters ? IndexFiltersMode.Filtering : IndexFiltersMode.Default);

  const clearAll = useCallback(() => {
    clearQuery();
    updateParams((next) => {
      for (const key of clearKeys) next.delete(key);
    });
  }, [clearQuery, updateParams, clearKeys]);

  return { params, pendingSearch, uiParams, updateParams, setList, queryValue, setQueryValue, mode, setMode, clearAll };
}

export type UrlFilters = ReturnType<typeof useUrlFilters>;
