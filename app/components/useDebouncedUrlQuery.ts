import { useCallback, useEffect, useRef, useState } from "react";

type UpdateParams = (change: (next: URLSearchParams) => void, options?: { replace?: boolean }) => void;

/**
 * A search box whose text reaches the URL's `query` 300 ms after the last keystroke, so typing is not
 * one request per letter. `pushed` remembers what was written, so a URL change from elsewhere (back
 * button, a shared link, "Clear all") updates the box, but our own late-arriving navigation never
 * overwrites what the merchant has typed since.
 */
export function useDebouncedUrlQuery(urlQuery: string, updateParams: UpdateParams): { queryValue: string; setQueryValue: (value: string) => void; clearQuery: () => void } {
  const [queryValue, setQueryValue] = useState(urlQuery);
  const pushed = useRef(urlQuery);
  useEffect(() => {
    if (urlQuery !== pushed.current) {
      pushed.current = urlQuery;
      setQueryValue(urlQuery);
    }
  }, [urlQuery]);
  useEffect(() => {
    const wanted = queryValue.trim();
    if (wanted === pushed.current) return;
    const timer = setTimeout(() => {
      pushed.current = wanted;
      updateParams((next) => (wanted ? next.set("query", wanted) : next.delete("query")), { replace: true });
    }, 300);
    return () => clearTimeout(timer);
  }, [queryValue, updateParams]);
  /** Empties the box at once, for "Clear all" (which removes `query` from the URL itself). */
  const clearQuery = useCallback(() => {
    pushed.current = "";
    setQueryValue("");
  }, []);
  return { queryValue, setQueryValue, clearQuery };
}
