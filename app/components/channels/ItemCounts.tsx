import { BlockStack, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { formatCount } from "./format";

export interface ItemCountsValue {
  itemsTotal: number;
  itemsReady: number;
  itemsWithErrors: number;
  itemsExcluded: number;
  itemsWithWarnings: number;
}

/** Segment colours, from Polaris tokens so they follow the admin theme. */
const SEGMENTS = [
  { key: "clean", label: "Ready", color: "var(--p-color-bg-fill-success)" },
  { key: "warned", label: "Ready with warnings", color: "var(--p-color-bg-fill-caution)" },
  { key: "errors", label: "With errors", color: "var(--p-color-bg-fill-critical)" },
  { key: "excluded", label: "Excluded", color: "var(--p-color-border-secondary)" },
] as const;

/**
 * A channel's items as four numbers and one stacked bar. The bar is a picture of the same numbers,
 * so it carries them as its accessible name; the numbers carry `data-testid`s for the e2e check.
 */
export function ItemCounts({ counts, testIdPrefix }: { counts: ItemCountsValue; testIdPrefix: string }) {
  const readyClean = Math.max(0, counts.itemsReady - counts.itemsWithWarnings);
  const values: Record<(typeof SEGMENTS)[number]["key"], number> = {
    clean: readyClean,
    warned: counts.itemsWithWarnings,
    errors: counts.itemsWithErrors,
    excluded: counts.itemsExcluded,
  };
  const total = Math.max(1, counts.itemsTotal);
  const description = `${formatCount(counts.itemsTotal)} items: ${formatCount(counts.itemsReady)} ready (${formatCount(counts.itemsWithWarnings)} with warnings), ${formatCount(
    counts.itemsWithErrors,
  )} with errors, ${formatCount(counts.itemsExcluded)} excluded`;

  return (
    <BlockStack gap="300">
      <InlineGrid columns={4} gap="200">
        <Count label="Items" value={counts.itemsTotal} testId={`${testIdPrefix}-total`} />
        <Count label="Ready" value={counts.itemsReady} testId={`${testIdPrefix}-ready`} color={SEGMENTS[0].color} />
        <Count label="Errors" value={counts.itemsWithErrors} testId={`${testIdPrefix}-errors`} color={SEGMENTS[2].color} tone={counts.itemsWithErrors > 0 ? "critical" : undefined} />
        <Count label="Excluded" value={counts.itemsExcluded} testId={`${testIdPrefix}-excluded`} color={SEGMENTS[3].color} />
      </InlineGrid>
      <div role="img" aria-label={description} title={description} style={{ display: "flex", height: 10, borderRadius: 5, overflow: "hidden", background: "var(--p-color-bg-fill-secondary)" }}>
        {counts.itemsTotal > 0
          ? SEGMENTS.map((segment) =>
              values[segment.key] > 0 ? (
                // A sliver stays visible: one failing item out of 10,000 is still worth seeing.
                <div key={segment.key} style={{ flexGrow: values[segment.key] / total, flexBasis: 0, minWidth: 3, background: segment.color }} />
              ) : null,
            )
          : null}
      </div>
      {counts.itemsWithWarnings > 0 ? (
        <InlineStack gap="100" blockAlign="center" wrap={false}>
          <Swatch color={SEGMENTS[1].color} />
          <Text as="span" variant="bodySm" tone="subdued">
            {`${formatCount(counts.itemsWithWarnings)} ready with warnings (in the feed)`}
          </Text>
        </InlineStack>
      ) : null}
    </BlockStack>
  );
}

function Count({ label, value, testId, color, tone }: { label: string; value: number; testId: string; color?: string; tone?: "critical" }) {
  return (
    <BlockStack gap="050">
      <InlineStack gap="100" blockAlign="center" wrap={false}>
        {color ? <Swatch color={color} /> : null}
        <Text as="span" variant="bodySm" tone="subdued">
          {label}
        </Text>
      </InlineStack>
      <Text as="p" variant="headingLg" numeric tone={tone}>
        <span data-testid={testId}>{formatCount(value)}</span>
      </Text>
    </BlockStack>
  );
}

function Swatch({ color }: { color: string }) {
  return <span aria-hidden style={{ display: "inline-block", width: 8, height: 8, borderRadius: 2, background: color, flexShrink: 0 }} />;
}
