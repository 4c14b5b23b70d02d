import { useCallback, useState } from "react";

/**
 * Downloads the CSV export of the current view. A fetch rather than a link: inside Shopify Admin,
 * App Bridge adds the session token to the app's own fetches, which a plain link navigation would
 * not carry; the demo answers either way. The file name is the server's.
 */
export function useIssuesExport(onError: (message: string) => void): { exporting: boolean; download: (href: string) => Promise<void> } {
  const [exporting, setExporting] = useState(false);
  const download = useCallback(
    async (href: string) => {
      setExporting(true);
      try {
        const response = await fetch(href, { headers: { accept: "text/csv" } });
        if (!response.ok) throw new Error(`the server answered ${response.status}`);
        const name = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "")?.[1] ?? "shelfcast-feed-issues.csv";
        const url = URL.createObjectURL(await response.blob());
        const link = document.createElement("a");
        link.href = url;
        link.download = name;
        document.body.append(link);
        link.click();
        link.remove();
        // The browser has started the download from the object URL; release it afterwards.
        setTimeout(() => URL.revokeObjectURL(url), 30_000);
      } catch (error) {
        onError(`The export failed (${error instanceof Error ? error.message : "network error"}). Try again.`);
      } finally {
        setExporting(false);
      }
    },
    [onError],
  );
  return { exporting, download };
}
