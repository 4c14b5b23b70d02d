import { BlockStack, Card, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

/** A titled card that says plainly when it has nothing to show, instead of rendering an empty box. */
export function SectionCard({ title, isEmpty, emptyText, children }: { title: string; isEmpty: boolean; emptyText: string; children?: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {isEmpty ? (
          <Text as="p" tone="subdued">
            {emptyText}
          </Text>
        ) : (
          children
        )}
      </BlockStack>
    </Card>
  );
}
