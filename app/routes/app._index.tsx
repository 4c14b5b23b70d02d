import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { requireShop } from "~/.server/auth";
import { loadDashboard, type DashboardView } from "~/.server/services/dashboard";
import { startCatalogSync } from "~/.server/services/start-sync";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request, context);
  return loadDashboard(shop);
}

export async function action({ request, context }: ActionFunctionArgs) {
  const shopContext = await requireShop(request, context);
  return startCatalogSync(shopContext);
}

const NUMBER = new Intl.NumberFormat("en-US");
const RUNNING = new Set(["queued", "running"]);

export default function Dashboard() {
  const view = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const revalidator = useRevalidator();
  const running = view.sync !== null && RUNNING.has(view.sync.status);

  // While a sync runs, refresh the progress every second and a half.
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [running, revalidator]);

  return (
    <Page
      title="Dashboard"
      primaryAction={{
        content: "Sync now",
        loading: fetcher.state !== "idle",
        disabled: running,
        onAction: () => fetcher.submit({}, { method: "post" }),
      }}
    >
      <Layout>
        {fetcher.data && !fetcher.data.ok ? (
          <Layout.Section>
            <Banner tone="warning">{fetcher.data.message}</Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <SyncCard view={view} running={running} />
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Metric label="Products" value={view.counts.products} />
            <Metric label="Variants" value={view.counts.variants} />
            <Metric label="Sold-out variants" value={view.counts.soldOutVariants} />
          </InlineGrid>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

function Metric({ label, value }: { label: string; value: number }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {NUMBER.format(value)}
        </Text>
      </BlockStack>
    </Card>
  );
}

function SyncCard({ view, running }: { view: DashboardView; running: boolean }) {
  const sync = view.sync;
  if (!sync) {
    return (
      <Card>
        <Text as="p">No catalog has been synced yet. Choose “Sync now” to read your catalog from Shopify.</Text>
      </Card>
    );
  }
  const total = sync.totalVariants ?? 0;
  const progress = total > 0 ? Math.round((sync.doneVariants / total) * 100) : 0;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h2" variant="headingMd">
            Catalog sync
          </Text>
          <Badge tone={sync.status === "succeeded" ? "success" : sync.status === "failed" ? "critical" : "attention"}>{sync.status}</Badge>
        </InlineStack>
        {running ? (
          <BlockStack gap="200">
            <ProgressBar progress={progress} tone="primary" />
            <Text as="p" tone="subdued">
              {total > 0
                ? `${NUMBER.format(sync.doneVariants)} of ${NUMBER.format(total)} variants`
                : "Reading the catalog file…"}
            </Text>
          </BlockStack>
        ) : null}
        {sync.status === "failed" ? <Banner tone="critical" title="The last sync failed">{sync.error}</Banner> : null}
        <Text as="p" tone="subdued">
          {view.lastSyncAt ? `Last completed ${new Date(view.lastSyncAt).toLocaleString("en-US")}` : "No sync has completed yet."}
        </Text>
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Dashboard" />;
}
