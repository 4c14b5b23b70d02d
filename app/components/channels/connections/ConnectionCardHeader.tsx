import { Banner, Button, InlineStack, Text } from "@shopify/polaris";
import type { ConnectionStatus } from "~/.server/repositories/channel-connections";
import { ConnectionStatusBadge } from "./ConnectionStatusBadge";

/**
 * The top of a channel's connection card: its name, its state in one word and, once something is
 * stored, the Disconnect button. The card keeps the fetcher, so it says how to disconnect.
 */
export function ConnectionCardHeader({
  title,
  status,
  untested,
  disabled,
  disconnecting,
  onDisconnect,
}: {
  title: string;
  /** null while nothing is stored, which also leaves nothing to disconnect. */
  status: ConnectionStatus | null;
  untested?: boolean;
  disabled: boolean;
  disconnecting: boolean;
  onDisconnect: () => void;
}) {
  return (
    <InlineStack gap="200" blockAlign="center" align="space-between">
      <InlineStack gap="200" blockAlign="center">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        <ConnectionStatusBadge status={status} untested={untested} />
      </InlineStack>
      {status !== null ? (
        <Button variant="plain" tone="critical" disabled={disabled} loading={disconnecting} onClick={onDisconnect}>
          Disconnect
        </Button>
      ) : null}
    </InlineStack>
  );
}

/**
 * What went wrong at the last check, if anything: critical when the channel refused the credentials
 * (the merchant must reconnect), a warning otherwise. Each channel words the two titles its own way.
 */
export function ConnectionErrorBanner({
  connection,
  reconnectTitle,
  problemTitle,
}: {
  connection: { status: ConnectionStatus; lastError: string | null } | null;
  reconnectTitle: string;
  problemTitle: string;
}) {
  if (!connection?.lastError) return null;
  const reconnect = connection.status === "reconnect";
  return (
    <Banner tone={reconnect ? "critical" : "warning"} title={reconnect ? reconnectTitle : problemTitle}>
      <Text as="p">{connection.lastError}</Text>
    </Banner>
  );
}
