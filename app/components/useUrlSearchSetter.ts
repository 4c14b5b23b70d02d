import { useSearchParams } from "@remix-run/react";
import { useCallback } from "react";

/**
 * Writes a product picker's search text to the URL's `q` (the page's loader reads it back), empty
 * text removing it. Each keystroke replaces the history entry rather than adding one, and the page
 * keeps its scroll position, so searching neither fills the back button nor jumps to the top.
 */
export function useUrlSearchSetter(): (q: string) => void {
  const [, setParams] = useSearchParams();
  return useCallback(
    (q: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (q) next.set("q", q);
          else next.delete("q");
          return next;
        },
        { replace: true, preventScrollReset: true },
      ),
    [setParams],
  );
}
