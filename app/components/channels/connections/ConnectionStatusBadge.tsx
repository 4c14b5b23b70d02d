import { Badge } from "@shopify/polaris";
import type { ConnectionStatus } from "~/.server/repositories/channel-connections";

/** A connection's state in one word, the same on both channels' cards. */
export function ConnectionStatusBadge({ status, untested = false }: { status: ConnectionStatus | null; untested?: boolean }) {
  if (status === null) return <Badge>Not connected</Badge>;
  if (status === "reconnect") return <Badge tone="critical">Reconnect needed</Badge>;
  if (status === "pending") return <Badge tone="attention">Authorisation pending</Badge>;
  if (untested) return <Badge tone="info">Saved, not tested</Badge>;
  return <Badge tone="success">Connected</Badge>;
}
