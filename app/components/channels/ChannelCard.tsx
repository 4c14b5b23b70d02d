import { Badge, BlockStack, Box, Button, Card, Divider, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { Fragment } from "react";
import { FeedRow, type FeedRowData } from "./FeedRow";
import { ItemCounts, type ItemCountsValue } from "./ItemCounts";
import { formatCount } from "./format";

export interface ChannelCardData {
  channel: string;
  label: string;
  feeds: (FeedRowData & { current: (FeedRowData["current"] & ItemCountsValue) | null })[];
}

/** One channel: per market its item counts beside the feed URL to give the channel. */
export function ChannelCard({ channel, now, onMessage }: { channel: ChannelCardData; now: string; onMessage: (message: string, error?: boolean) => void }) {
  const built = channel.feeds.map((feed) => feed.current).filter((current) => current !== null);
  const errors = built.reduce((sum, current) => sum + current.itemsWithErrors, 0);
  const ready = built.reduce((sum, current) => sum + current.itemsReady, 0);

  return (
    <div data-testid={`channel-card-${channel.channel}`}>
      <Card>
        <BlockStack gap="400">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <InlineStack gap="200" blockAlign="center">
              <Text as="h2" variant="headingMd">
                {channel.label}
              </Text>
              {built.length === 0 ? null : errors > 0 ? (
                <Badge tone="warning">{`${formatCount(errors)} ${errors === 1 ? "item needs" : "items need"} a fix`}</Badge>
              ) : ready > 0 ? (
                <Badge tone="success">All items ready</Badge>
              ) : (
                <Badge>No items in the feed</Badge>
              )}
            </InlineStack>
            <Button url={`/app/channels/${channel.channel}/mapping`} accessibilityLabel={`Edit ${channel.label} mapping`}>
              Edit mapping
            </Button>
          </InlineStack>
          {channel.feeds.length === 0 ? (
            <Text as="p" tone="subdued">
              No feed yet: the first build creates one per market, each with its own URL.
            </Text>
          ) : (
            channel.feeds.map((feed, index) => (
              <Fragment key={feed.feedId}>
                {index > 0 ? <Divider /> : null}
                <InlineGrid columns={{ xs: 1, md: ["oneThird", "twoThirds"] }} gap="600">
                  <Box>
                    {feed.current ? (
                      <ItemCounts counts={feed.current} testIdPrefix={`${channel.channel}-${feed.market}`} />
                    ) : (
                      <Text as="p" tone="subdued">
                        No build of this feed has finished yet.
                      </Text>
                    )}
                  </Box>
                  <FeedRow feed={feed} channelLabel={channel.label} now={now} onMessage={onMessage} />
                </InlineGrid>
              </Fragment>
            ))
          )}
        </BlockStack>
      </Card>
    </div>
  );
}
