import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link as RemixLink, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Card, EmptyState, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { loadCampaignsPage, type CampaignListItem } from "~/.server/services/rules/campaigns-page";
import { CampaignCalendar } from "~/components/campaigns/CampaignCalendar";
import { StockAlertSections } from "~/components/campaigns/StockAlertSections";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { parseMonth } from "~/domain/campaigns/calendar";
import { IgnoredSettingsBanner } from "~/components/IgnoredSettingsBanner";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const month = parseMonth(new URL(request.url).searchParams.get("month"));
  const view = await loadCampaignsPage(await getRuntime(), shop, { now: new Date(), month });
  return { ...view, embedded: mode === "shopify" };
}

export const meta: MetaFunction = () => [{ title: "Campaigns · Shelfcast" }];

const STATUS: Record<CampaignListItem["status"], { label: string; tone: "success" | "info" | undefined }> = {
  running: { label: "Running", tone: "success" },
  upcoming: { label: "Upcoming", tone: "info" },
  ended: { label: "Ended", tone: undefined },
};

export default function CampaignsPage() {
  const view = useLoaderData<typeof loader>();
  const [, setParams] = useSearchParams();
  const navigation = useNavigation();
  return (
    <Page
      title="Campaigns"
      subtitle="Tag products for a post or a campaign, hold stock for its channels, and see whether each product is ready to promote."
      primaryAction={{ content: "New post", url: "/app/campaigns/new?kind=post" }}
      secondaryActions={[{ content: "New campaign", url: "/app/campaigns/new?kind=campaign" }]}
    >
      <Layout>
        {view.problems.length > 0 ? (
          <Layout.Section>
            <IgnoredSettingsBanner title="Some campaigns are ignored by the stock rules" problems={view.problems} />
          </Layout.Section>
        ) : null}
        <StockAlertSections overReservations={view.overReservations} lowStock={view.lowStock} />
        <Layout.Section>
          {view.campaigns.length === 0 ? (
            <Card>
              <EmptyState heading="No posts or campaigns yet" image="/empty-state.svg" action={{ content: "New post", url: "/app/campaigns/new?kind=post" }}>
                <Text as="p">
                  Tag the products of a social post or campaign, choose its channels and window, and hold units for it. Shelfcast keeps them for those channels until the window ends and tells you whether each product is ready.
                </Text>
              </EmptyState>
            </Card>
          ) : (
            <Card padding="0">
              <div data-testid="campaign-list">
                {view.campaigns.map((campaign, index) => (
                  <div key={campaign.id} style={{ padding: "12px 16px", borderTop: index === 0 ? undefined : "1px solid var(--p-color-border-secondary)" }}>
                    <InlineStack align="space-between" blockAlign="center" gap="300">
                      <BlockStack gap="050">
                        <InlineStack gap="200" blockAlign="center">
                          <RemixLink to={`/app/campaigns/${campaign.id}`} style={{ color: "var(--p-color-text-link)", textDecoration: "none", fontWeight: 600 }}>
                            {campaign.name}
                          </RemixLink>
                          <Badge>{campaign.kind === "post" ? "Post" : "Campaign"}</Badge>
                          <Badge tone={STATUS[campaign.status].tone}>{STATUS[campaign.status].label}</Badge>
                          {campaign.problem ? <Badge tone="critical">Invalid</Badge> : null}
                        </InlineStack>
                        <Text as="p" variant="bodySm" tone="subdued">
                          {campaign.window} · {campaign.channels.map((channel) => channel.label).join(", ")}
                          {campaign.markets.length > 0 ? ` · ${campaign.markets.join(", ")}` : ""}
                        </Text>
                      </BlockStack>
                      <Text as="span" variant="bodySm" tone="subdued">
                        {campaign.lines} {campaign.lines === 1 ? "line" : "lines"} · {campaign.unitsHeld === 0 ? "nothing held" : `${campaign.unitsHeld} units on its lines`}
                      </Text>
                    </InlineStack>
                  </div>
                ))}
              </div>
            </Card>
          )}
        </Layout.Section>
        <Layout.Section>
          <div style={{ opacity: navigation.state === "loading" ? 0.6 : 1 }}>
            <CampaignCalendar
              calendar={view.calendar}
              timeZone={view.timeZone}
              onMonth={(month) =>
                setParams(
                  (current) => {
                    const next = new URLSearchParams(current);
                    next.set("month", month);
                    return next;
                  },
                  { preventScrollReset: true },
                )
              }
            />
          </div>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Campaigns" />;
}
