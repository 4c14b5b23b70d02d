import { Badge, BlockStack, Button, Card, InlineStack, Text, TextField } from "@shopify/polaris";
import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { DestinationView } from "~/.server/services/tracking/pixel-destinations";
import { timeAgo } from "~/components/channels/format";

/** A connection as the page receives it: never the token, only its last four characters. */
export type ServerConnection = DestinationView;

type ConnectionAnswer = { intent: "connection"; result: { ok: true; message: string } | { ok: false; errors: { field: string; message: string }[] } };

const PLATFORM_COPY = {
  meta: { title: "Meta Conversions API", pixelLabel: "Pixel (dataset) id", tokenLabel: "Conversions API access token", tokenHelp: "Events Manager → your pixel → Settings → Conversions API → Generate access token." },
  tiktok: { title: "TikTok Events API", pixelLabel: "Pixel code", tokenLabel: "Events API access token", tokenHelp: "TikTok Events Manager → your pixel → Settings → Events API → Generate access token." },
} as const;

/**
 * Server-side connections: where cleared events are forwarded. Saving sends the token once; the page
 * only ever shows "•••• last4" back.
 */
export function ServerConnectionsCard({ connections, now, onSaved }: { connections: ServerConnection[]; now: string; onSaved: (message: string) => void }) {
  return (
    <Card>
      <BlockStack gap="400">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            Server-side connections
          </Text>
          <Text as="p" tone="subdued">
            Events that pass the consent rules (marketing consent, limited data use when the visitor refused the sale of data, an event id shared with the browser copy) are sent to the platforms you connect
            here. Tokens are stored encrypted.
          </Text>
        </BlockStack>
        {(["meta", "tiktok"] as const).map((platform) => (
          <ConnectionForm key={platform} platform={platform} connection={connections.find((c) => c.platform === platform) ?? null} now={now} onSaved={onSaved} />
        ))}
      </BlockStack>
    </Card>
  );
}

function ConnectionForm({ platform, connection, now, onSaved }: { platform: "meta" | "tiktok"; connection: ServerConnection | null; now: string; onSaved: (message: string) => void }) {
  const copy = PLATFORM_COPY[platform];
  const fetcher = useFetcher<ConnectionAnswer>();
  const [pixelId, setPixelId] = useState(connection?.pixelId ?? "");
  const [accessToken, setAccessToken] = useState("");
  const [testEventCode, setTestEventCode] = useState(connection?.testEventCode ?? "");
  const answer = fetcher.state === "idle" && fetcher.data?.intent === "connection" ? fetcher.data.result : null;
  const errorFor = (field: string) => (answer && !answer.ok ? answer.errors.find((error) => error.field === field)?.message : undefined);

  // Each answer is reported once, even when the parent hands down a new onSaved after revalidating.
  const reported = useRef<unknown>(null);
  useEffect(() => {
    if (!answer?.ok || reported.current === answer) return;
    reported.current = answer;
    setAccessToken("");
    onSaved(answer.message);
  }, [answer, onSaved]);

  const busy = fetcher.state !== "idle";
  return (
    <BlockStack gap="200">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {copy.title}
        </Text>
        {connection ? <Badge tone={connection.status === "connected" ? "success" : "critical"}>{connection.status === "connected" ? "Connected" : "Reconnect needed"}</Badge> : <Badge>Not connected</Badge>}
      </InlineStack>
      {connection ? (
        <Text as="p" tone="subdued">
          {`Token ${connection.tokenMask} · ${connection.lastForwardedAt ? `last sent ${timeAgo(connection.lastForwardedAt, now)}` : "nothing sent yet"}`}
          {connection.lastError ? ` · last error: ${connection.lastError}` : ""}
        </Text>
      ) : null}
      <InlineStack gap="200" wrap>
        <TextField label={copy.pixelLabel} value={pixelId} onChange={setPixelId} autoComplete="off" error={errorFor("pixelId")} />
        <TextField
          label={copy.tokenLabel}
          type="password"
          value={accessToken}
          onChange={setAccessToken}
          autoComplete="off"
          placeholder={connection ? `${connection.tokenMask} (paste a new token to replace it)` : undefined}
          helpText={copy.tokenHelp}
          error={errorFor("accessToken")}
        />
        <TextField label="Test event code (optional)" value={testEventCode} onChange={setTestEventCode} autoComplete="off" error={errorFor("testEventCode")} />
      </InlineStack>
      <InlineStack gap="200">
        <Button
          variant="primary"
          loading={busy}
          disabled={accessToken.trim() === "" || pixelId.trim() === ""}
          onClick={() => fetcher.submit({ intent: "connect", platform, pixelId, accessToken, testEventCode }, { method: "post" })}
        >
          {connection ? "Save connection" : "Connect"}
        </Button>
        {connection ? (
          <Button tone="critical" disabled={busy} onClick={() => fetcher.submit({ intent: "disconnect", platform }, { method: "post" })}>
            Remove
          </Button>
        ) : null}
      </InlineStack>
    </BlockStack>
  );
}
