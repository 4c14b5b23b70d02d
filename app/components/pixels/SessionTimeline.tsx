import { Badge, BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import type { TimelineEntry } from "~/.server/services/tracking/pixel-checks";
import { PLATFORM_LABELS } from "~/domain/tracking/platforms";
import type { ObservedConsent } from "~/domain/tracking/types";

const TIME = new Intl.DateTimeFormat("en-US", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "UTC" });

function ConsentBadge({ label, allowed }: { label: string; allowed: boolean | null }) {
  if (allowed === null) return <Badge>{`${label} ?`}</Badge>;
  return <Badge tone={allowed ? "success" : "critical"}>{`${label} ${allowed ? "yes" : "no"}`}</Badge>;
}

function ConsentState({ consent }: { consent: ObservedConsent }) {
  return (
    <BlockStack gap="100" inlineAlign="start">
      <ConsentBadge label="Marketing" allowed={consent.marketing} />
      <ConsentBadge label="Analytics" allowed={consent.analytics} />
      <ConsentBadge label="Sale of data" allowed={consent.saleOfData} />
    </BlockStack>
  );
}

/** Long generated ids (UUIDs) would widen the table; the start is enough to tell them apart. */
function shortId(id: string | null): string {
  if (id === null) return "—";
  return id.length > 20 ? `${id.slice(0, 18)}…` : id;
}

/**
 * One session's events in order: what went to which platform, browser or server side, and the
 * visitor's consent at that moment. The first column is what findings cite as evidence.
 */
export function SessionTimeline({ title, description, entries, emptyText }: { title: string; description: string; entries: readonly TimelineEntry[]; emptyText: string }) {
  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          <Text as="p" tone="subdued">
            {description}
          </Text>
        </BlockStack>
        {entries.length === 0 ? (
          <Text as="p" tone="subdued">
            {emptyText}
          </Text>
        ) : (
          <div data-testid="pixel-timeline">
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text", "text"]}
              headings={["Evidence", "Time (UTC)", "Event", "Event id", "Consent", "Server-side"]}
              rows={entries.map((entry) => [
                entry.location,
                TIME.format(new Date(entry.time)),
                <BlockStack key="event" gap="050">
                  <Text as="span" fontWeight="semibold">
                    <code>{entry.eventName}</code>
                  </Text>
                  <Text as="span" variant="bodySm" tone="subdued">
                    {`${PLATFORM_LABELS[entry.platform]} · ${entry.channel}`}
                  </Text>
                </BlockStack>,
                <span key="id" title={entry.eventId ?? undefined}>
                  {shortId(entry.eventId)}
                </span>,
                <ConsentState key="consent" consent={entry.consent} />,
                entry.forwarding ?? "—",
              ])}
            />
          </div>
        )}
      </BlockStack>
    </Card>
  );
}
