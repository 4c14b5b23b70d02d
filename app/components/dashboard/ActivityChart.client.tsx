import { BarChart, LineChart, PolarisVizProvider } from "@shopify/polaris-viz";
import "@shopify/polaris-viz/build/esm/styles.css";
import type { ChartView } from "~/.server/services/channel-dashboard";

/**
 * The dashboard's charts, drawn with @shopify/polaris-viz. Browser only (the `.client` module is
 * empty on the server and loaded lazily after the page is interactive), so the library and its
 * styles never delay the first paint.
 */
export default function ActivityChart({ kind, chart }: { kind: "line" | "bar"; chart: ChartView }) {
  return (
    <PolarisVizProvider>
      {kind === "line" ? (
        <LineChart data={chart.series} theme="Light" isAnimated={false} showLegend emptyStateText="Nothing yet" />
      ) : (
        <BarChart data={chart.series} theme="Light" isAnimated={false} showLegend type="stacked" emptyStateText="Nothing yet" />
      )}
    </PolarisVizProvider>
  );
}
