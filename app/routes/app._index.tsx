import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Layout, Link, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { requireShop } from "~/.server/auth";
import { loadDashboard, type DashboardView, type SyncHistoryRow } from "~/.server/services/dashboard";
import { syncCatalogNow } from "~/.server/services/start-sync";
import { getRuntime } from "~/.server/runtime";
import { loadLowStockAlerts } from "~/.server/services/rules/low-stock-alerts";
import { StockAlertSections } from "~/components/campaigns/StockAlertSections";
import { ChannelHealthCard } from "~/components/dashboard/ChannelHealthCard";
import { ClientChart } from "~/components/dashboard/ClientChart";
import { RunningJobsCard } from "~/components/dashboard/RunningJobsCard";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { SectionCard } from "~/components/SectionCard";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop } = await requireShop(request, context);
  // Promoted variants running low on a channel (issue 6): read from the feeds' current builds.
  const [dashboard, lowStock] = await Promise.all([loadDashboard(shop), getRuntime().then((runtime) => loadLowStockAlerts(runtime, shop))]);
  return { ...dashboard, lowStock };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const shopContext = await requireShop(request, context);
  return syncCatalogNow(shopContext);
}

const NUMBER = new Intl.NumberFormat("en-US");
const RUNNING = new Set(["queued", "running"]);

export default function Dashboard() {
  const view = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>();
  const revalidator = useRevalidator();
  const running = view.sync !== null && RUNNING.has(view.sync.status);
  const busy = running || view.activity.busy;

  // While a sync, a feed build or a publish runs, refresh the progress every second and a half.
  useEffect(() => {
    if (!busy) return;
    const timer = setInterval(() => revalidator.state === "idle" && revalidator.revalidate(), 1500);
    return () => clearInterval(timer);
  }, [busy, revalidator]);

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
        <StockAlertSections lowStock={view.lowStock} />
        {view.activity.alerts.map((alert) => (
          <Layout.Section key={alert.id}>
            <Banner tone={alert.tone} title={alert.title} action={alert.action}>
              <Text as="p">{alert.body}</Text>
            </Banner>
          </Layout.Section>
        ))}
        <Layout.Section>
          <SyncCard view={view} running={running} />
        </Layout.Section>
        {view.activity.jobs.length > 0 ? (
          <Layout.Section>
            <RunningJobsCard jobs={view.activity.jobs} />
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
            <Metric label="Products" value={view.counts.products} />
            <Metric label="Variants" value={view.counts.variants} />
            <Metric label="Sold-out variants" value={view.counts.soldOutVariants} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
            <BreakdownCard
              title="Products by status"
              items={[
                { label: "Active", value: view.productsByStatus.active, url: "/app/products?status=ACTIVE" },
                { label: "Draft", value: view.productsByStatus.draft, url: "/app/products?status=DRAFT" },
                { label: "Archived", value: view.productsByStatus.archived, url: "/app/products?status=ARCHIVED" },
                ...(view.productsByStatus.unlisted > 0 ? [{ label: "Unlisted", value: view.productsByStatus.unlisted, url: "/app/products?status=UNLISTED" }] : []),
              ]}
            />
            <BreakdownCard
              title="Variant stock"
              items={[
                { label: "In stock", value: view.variantStock.inStock },
                { label: "Sold out", value: view.variantStock.soldOut, tone: view.variantStock.soldOut > 0 ? "critical" : undefined },
                {
                  label: "Continue selling when out of stock",
                  value: view.variantStock.continueSelling,
                  help: view.variantStock.continueSellingOutOfStock > 0 ? `${NUMBER.format(view.variantStock.continueSellingOutOfStock)} of them have none available` : undefined,
                },
              ]}
            />
            <VendorBars vendors={view.topVendors} />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <ChannelHealthCard health={view.activity.health} />
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Open issues per channel
                </Text>
                <ClientChart kind="line" chart={view.activity.charts.issues} title="Open issues per channel, last 30 days" />
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Records published per day
                </Text>
                <ClientChart kind="bar" chart={view.activity.charts.publishVolume} title="Records published per channel and day, last 30 days" />
              </BlockStack>
            </Card>
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <RecentSyncs syncs={view.recentSyncs} />
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
          {view.lastSyncLabel ? `Last completed ${view.lastSyncLabel}` : "No sync has completed yet."}
        </Text>
      </BlockStack>
    </Card>
  );
}

interface BreakdownItem {
  label: string;
  value: number;
  /** The product list filtered to exactly these products. */
  url?: string;
  tone?: "critical";
  help?: string;
}

function BreakdownCard({ title, items }: { title: string; items: BreakdownItem[] }) {
  return (
    <SectionCard title={title} isEmpty={items.length === 0} emptyText="Nothing to show until the catalog is synced.">
      {items.map((item) => (
        <BlockStack gap="050" key={item.label}>
          <InlineStack align="space-between" blockAlign="center" gap="200" wrap={false}>
            {item.url ? (
              <Link url={item.url} removeUnderline>
                {item.label}
              </Link>
            ) : (
              <Text as="span">{item.label}</Text>
            )}
            <Text as="span" numeric fontWeight="semibold" tone={item.tone}>
              {NUMBER.format(item.value)}
            </Text>
          </InlineStack>
          {item.help ? (
            <Text as="p" variant="bodySm" tone="subdued">
              {item.help}
            </Text>
          ) : null}
        </BlockStack>
      ))}
    </SectionCard>
  );
}

/** Products per vendor as plain bars: five rows do not need a chart library. */
function VendorBars({ vendors }: { vendors: DashboardView["topVendors"] }) {
  const max = Math.max(1, ...vendors.map((v) => v.products));
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Top vendors
        </Text>
        {vendors.length === 0 ? (
          <Text as="p" tone="subdued">
            No products yet.
          </Text>
        ) : (
          vendors.map((row) => (
            <BlockStack gap="100" key={row.vendor}>
              <InlineStack align="space-between" gap="200" wrap={false}>
                <Box minWidth="0">
                  {row.vendor ? (
                    <Link url={`/app/products?${new URLSearchParams({ vendor: row.vendor })}`} removeUnderline>
                      <Text as="span" truncate>
                        {row.vendor}
                      </Text>
                    </Link>
                  ) : (
                    <Text as="span" tone="subdued">
                      No vendor
                    </Text>
                  )}
                </Box>
                <Text as="span" numeric>
                  {NUMBER.format(row.products)}
                </Text>
              </InlineStack>
              <Box background="bg-fill-secondary" borderRadius="100" minHeight="8px" width="100%">
                <Box background="bg-fill-info" borderRadius="100" minHeight="8px" width={`${Math.max(2, Math.round((row.products / max) * 100))}%`} />
              </Box>
            </BlockStack>
          ))
        )}
      </BlockStack>
    </Card>
  );
}

const KIND_LABEL: Record<string, string> = { "demo-import": "Demo import", full: "Full sync", reconcile: "Reconciliation" };
const STATUS_TONE: Record<string, "success" | "critical" | "attention" | "info"> = { succeeded: "success", failed: "critical", running: "attention", queued: "info" };

function RecentSyncs({ syncs }: { syncs: SyncHistoryRow[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Recent catalog syncs
        </Text>
        {syncs.length === 0 ? (
          <Text as="p" tone="subdued">
            No catalog sync has run for this shop yet.
          </Text>
        ) : (
          <DataTable
            columnContentTypes={["text", "text", "numeric", "text", "text", "text"]}
            headings={["Kind", "Status", "Variants", "Started", "Duration", "Outcome"]}
            rows={syncs.map((sync) => [
              KIND_LABEL[sync.kind] ?? sync.kind,
              <Badge key="status" tone={STATUS_TONE[sync.status]}>
                {sync.status}
              </Badge>,
              sync.totalVariants !== null && sync.doneVariants < sync.totalVariants
                ? `${NUMBER.format(sync.doneVariants)} of ${NUMBER.format(sync.totalVariants)}`
                : NUMBER.format(sync.doneVariants),
              sync.started,
              sync.duration ?? (RUNNING.has(sync.status) ? "In progress" : "—"),
              <SyncOutcome key="outcome" sync={sync} />,
            ])}
          />
        )}
      </BlockStack>
    </Card>
  );
}

function SyncOutcome({ sync }: { sync: SyncHistoryRow }) {
  // DataTable cells do not wrap; error messages can be long, so this cell wraps within a width.
  const style = { maxWidth: "26rem", whiteSpace: "normal", overflowWrap: "anywhere" } as const;
  if (sync.error) {
    return (
      <div style={style}>
        <Text as="span" tone="critical">
          {sync.error}
        </Text>
      </div>
    );
  }
  return <div style={style}>{sync.drift ?? <Text as="span" tone="subdued">—</Text>}</div>;
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Dashboard" />;
}
