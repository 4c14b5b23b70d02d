import { Badge } from "@shopify/polaris";

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={severity === "error" ? "critical" : "warning"}>{severity === "error" ? "Error" : "Warning"}</Badge>;
}

/** Who found the problem: Shelfcast's own checks, or the channel that rejected the item. */
export function SourceBadge({ source, label }: { source: string; label: string }) {
  return <Badge tone={source === "shelfcast" ? "info" : "magic"}>{label}</Badge>;
}
