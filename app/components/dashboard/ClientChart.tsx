import { Box, Text } from "@shopify/polaris";
import { lazy, Suspense, useSyncExternalStore } from "react";
import type { ChartView } from "~/.server/services/channel-dashboard";

const ActivityChart = lazy(() => import("./ActivityChart.client"));

export const CHART_HEIGHT = 240;

const subscribeToNothing = () => () => undefined;

/**
 * A chart that renders in the browser only, in a box of fixed height: the server (and the browser
 * until the chart's code has loaded) draws an empty box of the same size, so nothing shifts when
 * the chart arrives and the page's largest paint never waits for it. The summary and a visually
 * hidden table say the same as the chart in words.
 */
export function ClientChart({ kind, chart, title }: { kind: "line" | "bar"; chart: ChartView; title: string }) {
  // false on the server and while hydrating, true once the page runs in the browser.
  const mounted = useSyncExternalStore(subscribeToNothing, () => true, () => false);
  const placeholder = <div style={{ height: CHART_HEIGHT }} />;
  return (
    <figure style={{ margin: 0 }} aria-label={title}>
      <div style={{ height: CHART_HEIGHT }} aria-hidden="true" data-testid={`chart-${kind}`}>
        {chart.empty ? (
          <Box minHeight={`${CHART_HEIGHT}px`} background="bg-surface-secondary" borderRadius="200" padding="400">
            <Text as="p" tone="subdued">
              Nothing to chart yet.
            </Text>
          </Box>
        ) : mounted ? (
          <Suspense fallback={placeholder}>
            <ActivityChart kind={kind} chart={chart} />
          </Suspense>
        ) : (
          placeholder
        )}
      </div>
      <figcaption>
        <Text as="p" variant="bodySm" tone="subdued">
          {chart.summary}
        </Text>
      </figcaption>
      {chart.empty ? null : (
        <Box visuallyHidden>
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                {chart.table.headings.map((heading) => (
                  <th key={heading} scope="col">
                    {heading}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {chart.table.rows.map((row) => (
                <tr key={row[0]}>
                  {row.map((cell, index) => (index === 0 ? <th key={index} scope="row">{cell}</th> : <td key={index}>{cell}</td>))}
                </tr>
              ))}
            </tbody>
          </table>
        </Box>
      )}
    </figure>
  );
}
