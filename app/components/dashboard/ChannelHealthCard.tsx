import { Badge, BlockStack, Card, DataTable, Link, Text } from "@shopify/polaris";
import type { ChannelHealthView } from "~/.server/services/channel-dashboard";

const NUMBER = new Intl.NumberFormat("en-US");
const PERCENT = new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 });

function count(value: number | null): string {
  return value === null ? "—" : NUMBER.format(value);
}

const CONNECTION_BADGE: Record<string, { label: string; tone?: "success" | "critical" | "attention" }> = {
  connected: { label: "API connected", tone: "success" },
  pending: { label: "Connecting", tone: "attention" },
  reconnect: { label: "Reconnect", tone: "critical" },
  "not-connected": { label: "Feed only" },
};

/** Per channel: live, ready, blocked and the error rate, with where each number comes from. */
export function ChannelHealthCard({ health }: { health: ChannelHealthView[] }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Channel health
        </Text>
        <div data-testid="channel-health">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Channel", "Live", "Ready", "Blocked", "Error rate"]}
            rows={health.map((row) => {
              const badge = row.connection ? CONNECTION_BADGE[row.connection] : null;
              return [
                <BlockStack key="channel" gap="100" inlineAlign="start">
                  <Link url={`/app/feed-issues?${new URLSearchParams({ channel: row.channel })}`} removeUnderline>
                    {row.label}
                  </Link>
                  {badge ? <Badge tone={badge.tone}>{badge.label}</Badge> : null}
                </BlockStack>,
                count(row.live),
                count(row.ready),
                row.blocked ? (
                  <Text key="blocked" as="span" tone="critical" numeric>
                    {count(row.blocked)}
                  </Text>
                ) : (
                  count(row.blocked)
                ),
                row.errorRate === null ? "—" : PERCENT.format(row.errorRate),
              ];
            })}
          />
        </div>
        <Text as="p" variant="bodySm" tone="subdued">
          Live: records the channel accepted (API channels) or items ready in the feed the channel fetches. Blocked: items an error keeps out. Error rate: records the
          channel refused (API channels) or items with an error (feeds).
        </Text>
      </BlockStack>
    </Card>
  );
}
