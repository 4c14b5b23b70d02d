import { useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, Divider, Icon, InlineStack, Select, Text, type IconProps } from "@shopify/polaris";
import {
  AlertCircleIcon,
  AlertTriangleIcon,
  CheckCircleIcon,
  DeleteIcon,
  EditIcon,
  FileIcon,
  InventoryIcon,
  ProductAddIcon,
  ProductRemoveIcon,
  SendIcon,
  SettingsIcon,
  StatusActiveIcon,
  XCircleIcon,
} from "@shopify/polaris-icons";
import { useState } from "react";
import type { TimelineEntry, TimelineView } from "~/.server/services/product-timeline";
import { appendDays, type TimelineDay } from "~/domain/timeline/group-by-day";
import { CHANNEL_SHORT_NAMES } from "~/domain/timeline/events";

const KIND_ICONS: Record<string, IconProps["source"]> = {
  "shopify.created": ProductAddIcon,
  "shopify.updated": EditIcon,
  "shopify.deleted": DeleteIcon,
  "mapping.changed": SettingsIcon,
  "rules.changed": InventoryIcon,
  "feed.built": FileIcon,
  "publish.sent": SendIcon,
  "publish.rejected": XCircleIcon,
  "publish.deleted": ProductRemoveIcon,
  "publish.dead": AlertTriangleIcon,
  "channel.status": StatusActiveIcon,
  "issue.opened": AlertCircleIcon,
  "issue.resolved": CheckCircleIcon,
};

const CHANNEL_OPTIONS = [{ label: "All channels", value: "" }, ...Object.entries(CHANNEL_SHORT_NAMES).map(([value, label]) => ({ label, value }))];

interface ProductTimelineProps {
  /** The numeric product id of the page's URL. */
  productNumericId: string;
  timeline: TimelineView;
  variants: { id: string; title: string }[];
}

/**
 * What happened to a product and when, newest first, grouped by day: Shopify changes, rule and
 * mapping changes, feed builds, publishes and the channels' verdicts. The filters live in the URL
 * (a link support can send); "Load more" appends older events in place.
 */
export function ProductTimeline({ productNumericId, timeline, variants }: ProductTimelineProps) {
  const [searchParams, setSearchParams] = useSearchParams();
  // Older pages loaded with "Load more", for the first page they continue. New filters bring a new
  // first page from the loader, and the pages loaded for the old one no longer apply.
  const [older, setOlder] = useState<{ first: TimelineView; days: TimelineDay<TimelineEntry>[]; next: string | null }>({ first: timeline, days: [], next: timeline.next });
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState(false);
  const current = older.first === timeline ? older : { first: timeline, days: [], next: timeline.next };
  const days = appendDays(timeline.days, current.days);
  const next = current.next;

  const setFilter = (key: "channel" | "variant", value: string) => {
    const params = new URLSearchParams(searchParams);
    params.set("tab", "timeline");
    if (value) params.set(key, value);
    else params.delete(key);
    setSearchParams(params, { preventScrollReset: true, replace: true });
  };

  // Through fetch: inside Shopify Admin, App Bridge adds the session token to it.
  const loadMore = async () => {
    if (!next) return;
    const params = new URLSearchParams({ before: next });
    if (timeline.filters.channel) params.set("channel", timeline.filters.channel);
    if (timeline.filters.variant) params.set("variant", timeline.filters.variant);
    setLoading(true);
    setFailed(false);
    try {
      const response = await fetch(`/app/products/${productNumericId}/timeline?${params}`, { headers: { accept: "application/json" } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const page = (await response.json()) as TimelineView;
      setOlder({ first: timeline, days: appendDays(current.days, page.days), next: page.next });
    } catch {
      setFailed(true);
    } finally {
      setLoading(false);
    }
  };

  const variantTitle = new Map(variants.map((variant) => [variant.id, variant.title]));
  const variantOptions = [{ label: "All variants", value: "" }, ...variants.map((variant) => ({ label: variant.title, value: variant.id.slice(variant.id.lastIndexOf("/") + 1) }))];
  const eventCount = days.reduce((sum, day) => sum + day.events.length, 0);

  return (
    <Card>
      <div data-testid="product-timeline">
        <BlockStack gap="400">
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Timeline
            </Text>
            <Text as="p" tone="subdued">
              Changes from Shopify, rule and mapping changes, feed builds, publishes and what the channels said, newest first. Times are in the shop&apos;s time zone ({timeline.timeZone}).
            </Text>
          </BlockStack>
          <InlineStack gap="300" wrap>
            <Box minWidth="12rem">
              <Select label="Channel" options={CHANNEL_OPTIONS} value={timeline.filters.channel ?? ""} onChange={(value) => setFilter("channel", value)} />
            </Box>
            {variants.length > 1 ? (
              <Box minWidth="12rem">
                <Select label="Variant" options={variantOptions} value={timeline.filters.variant ?? ""} onChange={(value) => setFilter("variant", value)} />
              </Box>
            ) : null}
          </InlineStack>
          {eventCount === 0 ? (
            <Text as="p" tone="subdued">
              Nothing recorded yet{timeline.filters.channel || timeline.filters.variant ? " for these filters" : ""}. Events appear here as Shopify changes the product and Shelfcast builds feeds and publishes.
            </Text>
          ) : (
            <BlockStack gap="500">
              {days.map((day) => (
                <section key={day.day} aria-label={day.label}>
                  <BlockStack gap="200">
                    <Text as="h3" variant="headingSm">
                      {day.label}
                    </Text>
                    <Divider />
                    <BlockStack as="ul" gap="300">
                      {day.events.map((event) => (
                        <TimelineItem key={event.id} event={event} variantTitle={event.variantId ? variantTitle.get(event.variantId) : undefined} />
                      ))}
                    </BlockStack>
                  </BlockStack>
                </section>
              ))}
            </BlockStack>
          )}
          {next ? (
            <InlineStack gap="300" blockAlign="center">
              <Button onClick={loadMore} loading={loading}>
                Load more
              </Button>
              {failed ? (
                <Text as="span" tone="critical">
                  Older events could not be loaded. Try again.
                </Text>
              ) : null}
            </InlineStack>
          ) : eventCount > 0 ? (
            <Text as="p" variant="bodySm" tone="subdued">
              That is everything recorded for this product.
            </Text>
          ) : null}
        </BlockStack>
      </div>
    </Card>
  );
}

function TimelineItem({ event, variantTitle }: { event: TimelineEntry & { time: string }; variantTitle: string | undefined }) {
  return (
    <li data-testid="timeline-event" data-kind={event.kind} style={{ listStyle: "none" }}>
      <InlineStack gap="300" wrap={false} blockAlign="start">
        <Box paddingBlockStart="050">
          <Icon source={KIND_ICONS[event.kind] ?? StatusActiveIcon} tone={event.tone === "critical" ? "critical" : event.tone === "success" ? "success" : "subdued"} />
        </Box>
        <BlockStack gap="100">
          <InlineStack gap="200" blockAlign="center" wrap>
            <Text as="span" variant="bodySm" tone="subdued" numeric>
              <time dateTime={event.at}>{event.time}</time>
            </Text>
            <Badge tone={event.tone}>{event.label}</Badge>
            {event.channelLabel ? <Badge>{event.channelLabel}</Badge> : null}
            {variantTitle ? <Badge tone="info">{variantTitle}</Badge> : null}
            {event.shopWide ? (
              <Text as="span" variant="bodySm" tone="subdued">
                Shop-wide
              </Text>
            ) : null}
          </InlineStack>
          <Text as="p" breakWord>
            {event.summary}
          </Text>
          {event.lines.length > 0 ? (
            <Box paddingInlineStart="300">
              <BlockStack as="ul" gap="050">
                {event.lines.map((line, index) => (
                  <li key={index} style={{ listStyle: "disc" }}>
                    <Text as="span" variant="bodySm" tone="subdued" breakWord>
                      {line}
                    </Text>
                  </li>
                ))}
              </BlockStack>
            </Box>
          ) : null}
        </BlockStack>
      </InlineStack>
    </li>
  );
}
