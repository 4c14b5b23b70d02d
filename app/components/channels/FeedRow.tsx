import { useFetcher } from "@remix-run/react";
import { Badge, BlockStack, Button, InlineStack, Modal, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { formatBytes, timeAgo } from "./format";

/** The subset of the overview's FeedView this row reads (kept structural so the route's JSON fits). */
export interface FeedRowData {
  feedId: string;
  market: string;
  format: string;
  url: string | null;
  revoked: boolean;
  current: { finishedAt: string | null; bytes: number; contentChangedAt: string | null } | null;
  latest: { status: string; error: string | null } | null;
}

type TokenIntent = "rotate" | "revoke";

const CONFIRM: Record<TokenIntent, { title: string; action: string; body: (channel: string, revoked: boolean) => string }> = {
  rotate: {
    title: "Create a new feed URL?",
    action: "Create new URL",
    body: (channel, revoked) =>
      revoked
        ? `The feed gets a new URL that serves its latest build. Paste it into ${channel}'s feed settings so its scheduled fetches work again.`
        : `The current URL stops working at once. ${channel} keeps its catalog, but its next scheduled fetch fails until you paste the new URL into its feed settings. Do this if the URL was shared with someone who should not have it.`,
  },
  revoke: {
    title: "Revoke this feed URL?",
    action: "Revoke URL",
    body: (channel) =>
      `The URL will answer "not found" from now on. ${channel}'s scheduled fetches fail and, after a few failures, it may stop updating or remove the items from this feed. You can create a new URL later.`,
  },
};

/**
 * One market's feed of a channel: the URL to paste into the channel with a copy button, when it was
 * last built, and the token actions behind a confirmation that says what happens to the channel.
 */
export function FeedRow({ feed, channelLabel, now, onMessage }: { feed: FeedRowData; channelLabel: string; now: string; onMessage: (message: string, error?: boolean) => void }) {
  const fetcher = useFetcher<{ ok: boolean; message: string }>();
  const [confirming, setConfirming] = useState<TokenIntent | null>(null);
  const busy = fetcher.state !== "idle";

  // The action's answer becomes a toast once, when it arrives.
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer) onMessage(answer.message, !answer.ok);
  }, [answer, onMessage]);

  const copy = async () => {
    if (!feed.url) return;
    try {
      await navigator.clipboard.writeText(feed.url);
      onMessage("Feed URL copied");
    } catch {
      // Clipboard access can be refused (permissions, an insecure origin): the field stays selectable.
      onMessage("Copy was blocked by the browser; select the URL and copy it instead", true);
    }
  };

  const confirm = (intent: TokenIntent) => {
    fetcher.submit({ intent, feedId: feed.feedId }, { method: "post" });
    setConfirming(null);
  };

  const label = `${channelLabel} feed URL for ${feed.market === "*" ? "all markets" : feed.market}`;
  const built = feed.current?.finishedAt
    ? `Built ${timeAgo(feed.current.finishedAt, now)} · ${formatBytes(feed.current.bytes)} · ${feed.format.toUpperCase()}`
    : "Not built yet";

  return (
    <BlockStack gap="200">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h3" variant="headingSm">
            {feed.market}
          </Text>
          {feed.revoked ? <Badge tone="critical">Revoked</Badge> : null}
          {feed.latest?.status === "running" ? <Badge tone="info">Building</Badge> : null}
          {feed.latest?.status === "failed" ? <Badge tone="critical">Last build failed</Badge> : null}
        </InlineStack>
        <Text as="span" variant="bodySm" tone="subdued">
          {built}
        </Text>
      </InlineStack>
      {feed.url ? (
        <TextField
          label={label}
          labelHidden
          value={feed.url}
          readOnly
          autoComplete="off"
          monospaced
          selectTextOnFocus
          connectedRight={
            <Button onClick={copy} accessibilityLabel={`Copy ${label}`}>
              Copy
            </Button>
          }
        />
      ) : (
        <Text as="p" tone="subdued">
          This feed has no URL: it was revoked. Create a new URL and give it to {channelLabel}.
        </Text>
      )}
      {feed.latest?.status === "failed" && feed.latest.error ? (
        <Text as="p" variant="bodySm" tone="critical">
          {feed.latest.error} The URL keeps serving the previous build.
        </Text>
      ) : null}
      <InlineStack gap="200">
        <Button variant="plain" onClick={() => setConfirming("rotate")} loading={busy && fetcher.formData?.get("intent") === "rotate"} disabled={busy}>
          {feed.revoked ? "Create new URL" : "Rotate URL"}
        </Button>
        {feed.revoked ? null : (
          <Button variant="plain" tone="critical" onClick={() => setConfirming("revoke")} loading={busy && fetcher.formData?.get("intent") === "revoke"} disabled={busy}>
            Revoke
          </Button>
        )}
      </InlineStack>
      {confirming ? (
        <Modal
          open
          onClose={() => setConfirming(null)}
          title={CONFIRM[confirming].title}
          primaryAction={{ content: CONFIRM[confirming].action, destructive: !(confirming === "rotate" && feed.revoked), onAction: () => confirm(confirming) }}
          secondaryActions={[{ content: "Cancel", onAction: () => setConfirming(null) }]}
        >
          <Modal.Section>
            <Text as="p">{CONFIRM[confirming].body(channelLabel, feed.revoked)}</Text>
          </Modal.Section>
        </Modal>
      ) : null}
    </BlockStack>
  );
}
