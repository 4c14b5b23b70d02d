import { Badge, Banner, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Link, ProgressBar, Text } from "@shopify/polaris";
import { Fragment } from "react";
import type { ProblemView, PublishingChannelView } from "~/.server/services/publishing/publishing-overview";
import { ConnectionStatusBadge } from "../connections/ConnectionStatusBadge";
import { formatCount, numericId, plural, timeAgo } from "../format";

/** What each channel calls the thing it holds, and its own name in "what … reports". */
const CHANNEL_WORDS: Record<string, { holds: string; name: string }> = {
  meta: { holds: "catalog", name: "Meta" },
  tiktok: { holds: "shop", name: "TikTok Shop" },
};

/** Segments of the state bar, from Polaris tokens so they follow the admin theme. */
const STATES = [
  { key: "live", label: "Live", color: "var(--p-color-bg-fill-success)" },
  { key: "pending", label: "Pending", color: "var(--p-color-bg-fill-info)" },
  { key: "rejected", label: "Rejected by the channel", color: "var(--p-color-bg-fill-critical)" },
  { key: "dead", label: "Stuck (needs a retry)", color: "var(--p-color-bg-fill-caution)" },
] as const;

/**
 * One channel's API publishing: connection, what is live, pending, rejected or stuck (as figures
 * and one stacked bar), the run in progress with a progress bar, the last run, the newest problems
 * the channel itself reported, and the records that need a retry.
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
  const words = CHANNEL_WORDS[channel.channel] ?? { holds: "account", name: channel.label };
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
              Feeds are fetched at most hourly. Connect the {words.holds} to send price and stock changes within seconds and to see every rejection the channel makes.
            </Text>
            <InlineStack>
              <Button url="/app/settings">Connect in Settings</Button>
            </InlineStack>
          </BlockStack>
        </Card>
      </div>
    );
  }

  const total = counts.live + counts.pending + counts.rejected + counts.dead;
  return (
    <div data-testid={testId}>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {channel.label}: live publishing
              </Text>
              <ConnectionStatusBadge status={connection.status} />
            </InlineStack>
            {connection.detail ? (
              <Text as="span" tone="subdued">
                {connectionDetail(channel)}
              </Text>
            ) : null}
          </InlineStack>
          {connection.status === "reconnect" ? (
            <Banner tone="critical" title="Reconnect needed" action={{ content: "Open Settings", url: "/app/settings" }}>
              <Text as="p">{connection.lastError ?? "The channel refused Shelfcast's credentials."} Changes wait and are sent as soon as the connection works again.</Text>
            </Banner>
          ) : connection.status === "pending" ? (
            <Banner tone="warning" title="Authorisation not finished" action={{ content: "Open Settings", url: "/app/settings" }}>
              <Text as="p">Nothing is published until the seller authorises Shelfcast and chooses the shop.</Text>
            </Banner>
          ) : null}

          <StateFigures counts={counts} total={total} testId={testId} />

          {running ? (
            <RunProgress run={running} testId={`${testId}-progress`} />
          ) : lastRun ? (
            <Text as="p" tone={lastRun.status === "failed" ? "critical" : "subdued"}>
              {lastRunSentence(lastRun, channel.channel, now)}
            </Text>
          ) : counts.pending > 0 ? (
            <Text as="p" tone="subdued">
              {`${plural(counts.pending, "change")} waiting to be sent: the first publish starts in a moment.`}
            </Text>
          ) : (
            <Text as="p" tone="subdued">
              Nothing published yet: the first publish follows the next feed build.
            </Text>
          )}

          {channel.recentProblems.length > 0 ? (
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                {`What ${words.name} reports: ${plural(channel.openErrors, "error")}, ${plural(channel.openWarnings, "warning")}`}
              </Text>
              <div data-testid={`${testId}-problems`}>
                <BlockStack gap="300">
                  {groupProblems(channel.recentProblems).map((group) => (
                    <InlineStack key={group.key} gap="300" blockAlign="start" wrap={false}>
                      <Box minWidth="5.5rem">
                        <Badge tone={group.severity === "error" ? "critical" : "warning"}>{group.severity === "error" ? "Error" : "Warning"}</Badge>
                      </Box>
                      <BlockStack gap="050">
                        <Text as="p" breakWord>
                          {group.message}
                        </Text>
                        <Text as="p" variant="bodySm" breakWord>
                          {`${group.items.length === 1 ? "Item" : "Items"} `}
                          {group.items.map((item, index) => (
                            <Fragment key={item.itemId}>
                              {index > 0 ? ", " : null}
                              <Link url={`/app/products/${numericId(item.productId)}`} removeUnderline>
                                {item.itemId}
                              </Link>
                            </Fragment>
                          ))}
                          {` · reported ${timeAgo(group.firstSeenAt, now)}`}
                        </Text>
                        <Text as="p" variant="bodySm" tone="subdued">
                          {group.fix}
                        </Text>
                      </BlockStack>
                    </InlineStack>
                  ))}
                </BlockStack>
              </div>
              <Text as="p" variant="bodySm" tone="subdued">
                {channel.openErrors + channel.openWarnings > channel.recentProblems.length ? `The newest ${channel.recentProblems.length} are shown. ` : ""}
                <Link url={`/app/feed-issues?channel=${channel.channel}&source=${channel.channel}`}>{`Every problem ${words.name} reported`}</Link>
              </Text>
            </BlockStack>
          ) : null}

          {channel.deadLetters.length > 0 ? (
            <BlockStack gap="200">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {`Stuck: ${plural(channel.deadLetters.length, "record")} the channel would not take`}
                </Text>
                <Button onClick={() => onRetryDead(channel.channel)} loading={retrying}>
                  Retry all
                </Button>
              </InlineStack>
              {channel.deadLetters.slice(0, 10).map((dead) => (
                <Text as="p" key={`${dead.market}|${dead.key}`} breakWord>
                  <Link url={`/app/products/${numericId(dead.productId)}`} removeUnderline>
                    {dead.key}
                  </Link>
                  {` (${plural(dead.attempts, "attempt")}, ${timeAgo(dead.at, now)}): ${dead.reason}`}
                </Text>
              ))}
            </BlockStack>
          ) : null}
        </BlockStack>
      </Card>
    </div>
  );
}

interface ProblemGroup {
  key: string;
  severity: string;
  message: string;
  fix: string;
  items: { itemId: string; productId: string }[];
  /** The newest report of the group. */
  firstSeenAt: string;
}

/** Channels word a refusal the same way for every item it hits: one line per message, with its items. */
function groupProblems(problems: ProblemView[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup>();
  for (const problem of problems) {
    const key = `${problem.severity}|${problem.code}|${problem.message}|${problem.fix}`;
    const group = groups.get(key);
    if (!group) groups.set(key, { key, severity: problem.severity, message: problem.message, fix: problem.fix, items: [{ itemId: problem.itemId, productId: problem.productId }], firstSeenAt: problem.firstSeenAt });
    else {
      group.items.push({ itemId: problem.itemId, productId: problem.productId });
      if (problem.firstSeenAt > group.firstSeenAt) group.firstSeenAt = problem.firstSeenAt;
    }
  }
  return [...groups.values()];
}

/**
 * The connection's one-line description. Meta's names the catalog with the product count Meta gave
 * at the last connection test; next to the live counts that older number only confuses, so it is
 * left out here (Settings shows it with the time of the test).
 */
function connectionDetail(channel: PublishingChannelView): string | null {
  const { detail } = channel.connection;
  return channel.channel === "meta" && detail ? detail.replace(/ \([\d,]+ products?\)$/, "") : detail;
}

function lastRunSentence(run: NonNullable<PublishingChannelView["lastRun"]>, channel: string, now: string): string {
  const when = timeAgo(run.finishedAt ?? run.startedAt, now);
  if (run.status === "failed" && run.itemsDone === 0) return `The last publish (${when}) stopped: ${run.error ?? "no reason was recorded"}`;
  const parts = [`${formatCount(run.itemsLive)} sent`];
  if (run.itemsDeleted > 0) parts.push(`${formatCount(run.itemsDeleted)} removed`);
  parts.push(`${formatCount(run.itemsRejected)} refused`);
  if (run.itemsRetry > 0) parts.push(`${formatCount(run.itemsRetry)} to retry`);
  if (run.itemsDead > 0) parts.push(`${formatCount(run.itemsDead)} stuck`);
  // TikTok takes a product first and audits it afterwards: its verdicts are not in the run's tally.
  const audit = channel === "tiktok" && run.itemsLive > 0 ? " TikTok Shop's audit verdicts arrive afterwards." : "";
  return `Last publish ${when}: ${parts.join(", ")}${run.error ? `. ${run.error}` : "."}${audit}`;
}

function RunProgress({ run, testId }: { run: NonNullable<PublishingChannelView["running"]>; testId: string }) {
  const progress = run.itemsDue > 0 ? Math.min(100, Math.round((run.itemsDone / run.itemsDue) * 100)) : 0;
  return (
    <div data-testid={testId}>
      <BlockStack gap="100">
        <InlineStack align="space-between" blockAlign="baseline" gap="200">
          <Text as="p">{`Publishing: ${formatCount(run.itemsDone)} of ${plural(run.itemsDue, "change")} sent`}</Text>
          <Text as="span" tone="subdued" numeric>
            {`${progress}% · ${plural(run.calls, "API call")}`}
          </Text>
        </InlineStack>
        <ProgressBar progress={progress} size="small" tone="primary" animated />
      </BlockStack>
    </div>
  );
}

function StateFigures({ counts, total, testId }: { counts: PublishingChannelView["counts"]; total: number; testId: string }) {
  const description = `${formatCount(total)} records: ${STATES.map((state) => `${formatCount(counts[state.key])} ${state.label.toLowerCase()}`).join(", ")}`;
  return (
    <BlockStack gap="300">
      <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
        {STATES.map((state) => (
          <BlockStack gap="050" key={state.key}>
            <InlineStack gap="100" blockAlign="center" wrap={false}>
              <Swatch color={state.color} />
              <Text as="span" variant="bodySm" tone="subdued">
                {state.label}
              </Text>
            </InlineStack>
            <Text as="p" variant="headingLg" numeric tone={(state.key === "rejected" || state.key === "dead") && counts[state.key] > 0 ? "critical" : undefined}>
              <span data-testid={`${testId}-${state.key}`}>{formatCount(counts[state.key])}</span>
            </Text>
          </BlockStack>
        ))}
      </InlineGrid>
      {total > 0 ? (
        <div role="img" aria-label={description} title={description} style={{ display: "flex", height: 10, borderRadius: 5, overflow: "hidden", background: "var(--p-color-bg-fill-secondary)" }}>
          {STATES.map((state) =>
            counts[state.key] > 0 ? (
              // A sliver stays visible: a handful of rejections among thousands is still worth seeing.
              <div key={state.key} style={{ flexGrow: counts[state.key] / total, flexBasis: 0, minWidth: 3, background: state.color }} />
            ) : null,
          )}
        </div>
      ) : null}
      {counts.deleting > 0 ? (
        <Text as="p" variant="bodySm" tone="subdued">
          {`${plural(counts.deleting, "record")} waiting to be removed from the channel`}
        </Text>
      ) : null}
    </BlockStack>
  );
}

function Swatch({ color }: { color: string }) {
  return <span aria-hidden style={{ display: "inline-block", width: 8, height: 8, borderRadius: 2, background: color, flexShrink: 0 }} />;
}
