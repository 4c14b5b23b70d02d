import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { PublishingChannelView } from "~/.server/services/publishing/publishing-overview";
import { formatCount, timeAgo } from "../format";


/**
 * One channel's API publishing: connection, what is live, pending, rejected or stuck, the run in
 * progress with a progress bar, and the newest problems the channel itself reported.
 */
export function PublishingCard({
  channel,
  now,
  onRetryDead,
  retrying,
}: {
  channel: PublishingChannelView;
  now: string;
  onRetryDead: (channel: string) => void;
  retrying: boolean;
}) {
  const { counts, running, lastRun, connection } = channel;
  const testId = `publishing-card-${channel.channel}`;
  if (connection.status === "not-connected") {
    return (
      <div data-testid={testId}>
        <Card>
          <BlockStack gap="300">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {channel.label}: live publishing
              </Text>
              <Badge>Not connected</Badge>
            </InlineStack>
            <Text as="p" tone="subdued">
              Feeds are fetched at most hourly. Connect the {channel.channel === "meta" ? "catalog" : "shop"} to send price and stock changes within seconds and to see every rejection
              the channel makes.
            </Text>
            <InlineStack>
              <Button url="/app/settings#channels">Connect in Settings</Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </div>
    );
  }

  const progress = running && running.itemsDue > 0 ? Math.min(100, Math.round((running.itemsDone / running.itemsDue) * 100)) : null;
  return (
    <div data-testid={testId}>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {channel.label}: live publishing
              </Text>
              <ConnectionBadge status={connection.status} />
            </InlineStack>
            {connection.detail ? (
              <Text as="span" tone="subdued">
                {connection.detail}
              </Text>
            ) : null}
          </InlineStack>
          {connection.status === "reconnect" ? (
            <Banner tone="critical" title="Reconnect needed" action={{ content: "Open Settings", url: "/app/settings#channels" }}>
              <Text as="p">{connection.lastError ?? "The channel refused Shelfcast's credentials."} Changes wait and are sent as soon as the connection works again.</Text>
            </Banner>
          ) : null}
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Figure label="Live" value={counts.live} testId={`${testId}-live`} />
            <Figure label="Pending" value={counts.pending} testId={`${testId}-pending`} />
            <Figure label="Rejected by the channel" value={counts.rejected} tone={counts.rejected > 0 ? "critical" : undefined} testId={`${testId}-rejected`} />
            <Figure label="Stuck (needs a retry)" value={counts.dead} tone={counts.dead > 0 ? "critical" : undefined} testId={`${testId}-dead`} />
          </InlineGrid>
          {running ? (
            <BlockStack gap="100">
              <Text as="p">
                Publishing {formatCount(running.itemsDone)} of {formatCount(running.itemsDue)} changes ({formatCount(running.calls)} API calls so far)
              </Text>
              <ProgressBar progress={progress ?? 0} size="small" tone="primary" ariaLabelledBy={undefined} />
            </BlockStack>
          ) : lastRun ? (
            <Text as="p" tone="subdued">
              Last publish {timeAgo(lastRun.finishedAt ?? lastRun.startedAt, now)}: {formatCount(lastRun.itemsLive)} sent, {formatCount(lastRun.itemsDeleted)} removed,{" "}
              {formatCount(lastRun.itemsRejected)} rejected{lastRun.error ? `. ${lastRun.error}` : "."}
            </Text>
          ) : (
            <Text as="p" tone="subdued">
              Nothing published yet: the first publish follows the next feed build.
            </Text>
          )}
          {channel.recentProblems.length > 0 ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                What {channel.channel === "meta" ? "Meta" : "TikTok"} reports ({formatCount(channel.openErrors)} errors, {formatCount(channel.openWarnings)} warnings)
              </Text>
              {channel.recentProblems.map((problem) => (
                <InlineStack key={`${problem.itemId}|${problem.code}`} gap="300" blockAlign="start" wrap={false}>
                  <Box minWidth="5.5rem">
                    <Badge tone={problem.severity === "error" ? "critical" : "warning"}>{problem.severity === "error" ? "Error" : "Warning"}</Badge>
                  </Box>
                  <BlockStack gap="050">
                    <Text as="p">
                      <Text as="span" fontWeight="semibold">
                        Item {problem.itemId}
                      </Text>
                      : {problem.message}
                    </Text>
                    <Text as="p" tone="subdued">
                      {problem.fix}
                    </Text>
                  </BlockStack>
                </InlineStack>
              ))}
            </BlockStack>
          ) : null}
          {channel.deadLetters.length > 0 ? (
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  Stuck items
                </Text>
                <Button onClick={() => onRetryDead(channel.channel)} loading={retrying}>
                  Retry all
                </Button>
              </InlineStack>
              {channel.deadLetters.slice(0, 10).map((dead) => (
                <Text as="p" key={`${dead.market}|${dead.key}`}>
                  <Text as="span" fontWeight="semibold">
                    {dead.key}
                  </Text>{" "}
                  ({dead.attempts} attempts): {dead.reason}
                </Text>
              ))}
            </BlockStack>
          ) : null}
        </BlockStack>
      </Card>
    </div>
  );
}

function ConnectionBadge({ status }: { status: PublishingChannelView["connection"]["status"] }) {
  if (status === "connected") return <Badge tone="success">Connected</Badge>;
  if (status === "pending") return <Badge tone="attention">Authorisation pending</Badge>;
  if (status === "reconnect") return <Badge tone="critical">Reconnect needed</Badge>;
  return <Badge>Not connected</Badge>;
}

function Figure({ label, value, tone, testId }: { label: string; value: number; tone?: "critical"; testId: string }) {
  return (
    <BlockStack gap="050">
      <Text as="p" tone="subdued">
        {label}
      </Text>
      <span data-testid={testId}>
        <Text as="p" variant="headingLg" tone={tone}>
          {formatCount(value)}
        </Text>
      </span>
    </BlockStack>
  );
}
