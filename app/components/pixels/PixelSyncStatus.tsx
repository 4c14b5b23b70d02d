import { Badge, Box, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import type { PixelSyncStatus as SyncStatus, PixelSyncState } from "~/.server/services/tracking/sync-pixel-settings";
import { timeAgo } from "~/components/channels/format";

const BADGES: Record<PixelSyncState, { tone: "success" | "info" | "critical" | undefined; label: string }> = {
  created: { tone: "success", label: "Pixel activated" },
  updated: { tone: "success", label: "Pixel up to date" },
  unchanged: { tone: "success", label: "Pixel up to date" },
  "not-sent": { tone: "info", label: "Not sent" },
  rejected: { tone: "critical", label: "Refused by Shopify" },
};

/**
 * One line under the plan: whether the storefront pixel has the saved plan yet (the plan reaches it
 * through the pixel's settings, written in the background after each save).
 */
export function PixelSyncStatus({ status, now }: { status: SyncStatus; now: string }) {
  return <Box paddingBlockEnd="300">{statusLine(status, now)}</Box>;
}

function statusLine(status: SyncStatus, now: string): ReactNode {
  if (status.kind === "never") {
    return (
      <Text as="p" tone="subdued">
        The storefront pixel has not been sent a plan yet; it runs on the default plan until you save one.
      </Text>
    );
  }
  if (status.kind === "pending") {
    return (
      <InlineStack gap="200" blockAlign="center">
        <Badge tone="attention">Sending</Badge>
        <Text as="span" tone="subdued">{`Sending the saved plan to the storefront pixel (queued ${timeAgo(status.since, now)}).`}</Text>
      </InlineStack>
    );
  }
  if (status.kind === "failed") {
    return (
      <InlineStack gap="200" blockAlign="center">
        <Badge tone="critical">Not sent</Badge>
        <Text as="span" tone="caution">{`The storefront pixel did not get the saved plan (${timeAgo(status.at, now)}): ${status.message}. Save the plan again to retry.`}</Text>
      </InlineStack>
    );
  }
  const badge = BADGES[status.outcome.state];
  return (
    <InlineStack gap="200" blockAlign="center">
      <Badge tone={badge.tone}>{badge.label}</Badge>
      <Text as="span" tone={status.outcome.state === "rejected" ? "caution" : "subdued"}>{`${status.outcome.message} (plan revision ${status.outcome.planRevision}, ${timeAgo(status.outcome.at, now)}).`}</Text>
    </InlineStack>
  );
}
