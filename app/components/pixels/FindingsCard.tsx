import { Badge, BlockStack, Box, Card, Divider, InlineStack, Text } from "@shopify/polaris";
import { PLATFORM_LABELS } from "~/domain/tracking/platforms";
import type { Finding, FindingSeverity } from "~/domain/tracking/types";

const GROUPS: { severity: FindingSeverity; title: string; tone: "critical" | "warning" | "info" }[] = [
  { severity: "error", title: "Errors", tone: "critical" },
  { severity: "warning", title: "Warnings", tone: "warning" },
  { severity: "info", title: "Info", tone: "info" },
];

const SOURCE_LABELS: Record<Finding["evidence"]["source"], string> = { plan: "Plan", extension: "Extension", traffic: "Traffic", catalog: "Catalog" };

/** The checker's findings, errors first, each with where it was found and what to change. */
export function FindingsCard({ findings }: { findings: readonly Finding[] }) {
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Findings
        </Text>
        {findings.length === 0 ? (
          <Text as="p" tone="success">
            No problems: everything checked passed every check that applies.
          </Text>
        ) : (
          GROUPS.map(({ severity, title, tone }) => {
            const group = findings.filter((finding) => finding.severity === severity);
            if (group.length === 0) return null;
            return (
              <BlockStack gap="300" key={severity}>
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h3" variant="headingSm">
                    {title}
                  </Text>
                  <Badge tone={tone}>{String(group.length)}</Badge>
                </InlineStack>
                <BlockStack gap="300">
                  {group.map((finding, index) => (
                    <FindingRow key={`${finding.code}|${finding.evidence.location}|${index}`} finding={finding} tone={tone} />
                  ))}
                </BlockStack>
                <Divider />
              </BlockStack>
            );
          })
        )}
      </BlockStack>
    </Card>
  );
}

function FindingRow({ finding, tone }: { finding: Finding; tone: "critical" | "warning" | "info" }) {
  return (
    <Box paddingInlineStart="300" borderInlineStartWidth="050" borderColor={tone === "critical" ? "border-critical" : tone === "warning" ? "border-caution" : "border-info"}>
      <BlockStack gap="100">
        <InlineStack gap="200" blockAlign="center">
          <Text as="span" fontWeight="semibold">
            <code>{finding.code}</code>
          </Text>
          <Badge>{`Check ${finding.check}`}</Badge>
          {finding.platform ? <Badge tone="info">{PLATFORM_LABELS[finding.platform]}</Badge> : null}
        </InlineStack>
        <Text as="p">{finding.message}</Text>
        <Text as="p" variant="bodySm" tone="subdued" breakWord>
          {`${SOURCE_LABELS[finding.evidence.source]}: ${finding.evidence.location}`}
          {finding.evidence.excerpt ? (
            <>
              {" — "}
              <code>{finding.evidence.excerpt}</code>
            </>
          ) : null}
        </Text>
        <Text as="p" variant="bodySm">
          <Text as="span" fontWeight="semibold">
            Fix:
          </Text>{" "}
          {finding.fix}
        </Text>
      </BlockStack>
    </Box>
  );
}
