import { Badge, BlockStack, Box, InlineStack, Text } from "@shopify/polaris";
import { SectionCard } from "~/components/SectionCard";
import { formatCount } from "./format";

export interface TopProblem {
  channel: string;
  market: string;
  code: string;
  severity: string;
  items: number;
  example: string;
}

/**
 * The most frequent problems of the current feeds, per channel: fixing the top one or two usually
 * fixes most items, so the merchant knows where to start.
 */
export function TopProblemsCard({ problems, labels, multipleMarkets }: { problems: TopProblem[]; labels: Record<string, string>; multipleMarkets: boolean }) {
  // Channels in the page's order (the labels'), each with its problems most frequent first.
  const byChannel = new Map<string, TopProblem[]>(Object.keys(labels).map((channel) => [channel, []]));
  for (const problem of problems) byChannel.set(problem.channel, [...(byChannel.get(problem.channel) ?? []), problem]);

  return (
    <SectionCard title="Top problems" isEmpty={problems.length === 0} emptyText="No problems in the current feeds: every item passed every check.">
      <BlockStack gap="500">
        {[...byChannel].filter(([, rows]) => rows.length > 0).map(([channel, rows]) => (
          <BlockStack gap="300" key={channel}>
            <Text as="h3" variant="headingSm">
              {labels[channel] ?? channel}
            </Text>
            {rows.map((row) => (
              <InlineStack key={`${row.market}|${row.code}|${row.severity}`} gap="300" blockAlign="start" wrap={false}>
                <Box minWidth="5.5rem">
                  <Badge tone={row.severity === "error" ? "critical" : "warning"}>{row.severity === "error" ? "Error" : "Warning"}</Badge>
                </Box>
                <BlockStack gap="050">
                  <InlineStack gap="200" blockAlign="baseline">
                    <Text as="span" fontWeight="semibold">
                      <code>{row.code}</code>
                    </Text>
                    <Text as="span" tone="subdued">
                      {`${formatCount(row.items)} ${row.items === 1 ? "item" : "items"}${multipleMarkets ? ` in ${row.market}` : ""}`}
                    </Text>
                  </InlineStack>
                  <Text as="p" variant="bodySm" tone="subdued" breakWord>
                    {`For example: ${row.example}`}
                  </Text>
                </BlockStack>
              </InlineStack>
            ))}
          </BlockStack>
        ))}
      </BlockStack>
    </SectionCard>
  );
}
