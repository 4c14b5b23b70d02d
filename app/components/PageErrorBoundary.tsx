import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page, Text } from "@shopify/polaris";

/** One error view for every page: what failed, in words, and what to do next. */
export function PageErrorBoundary({ title = "Shelfcast" }: { title?: string }) {
  const error = useRouteError();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const message =
    status === 404
      ? "This item does not exist in your shop, or it was removed."
      : isRouteErrorResponse(error)
        ? String(error.data || error.statusText)
        : "Something went wrong while loading this page. Reload to try again.";
  return (
    <Page title={title}>
      <Banner tone="critical" title={status === 404 ? "Not found" : "This page could not load"}>
        <Text as="p">{message}</Text>
      </Banner>
    </Page>
  );
}
