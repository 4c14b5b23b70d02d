import { BlockStack, Card, EmptyState, List, Page, Text } from "@shopify/polaris";

export interface PlannedPageProps {
  title: string;
  heading: string;
  description: string;
  /** What the page will let the merchant do, in their words. */
  upcoming: string[];
}

/**
 * A page whose capability is not built yet: it still renders, says plainly what will be here,
 * and never pretends to work.
 */
export function PlannedPage({ title, heading, description, upcoming }: PlannedPageProps) {
  return (
    <Page title={title}>
      <Card>
        <EmptyState heading={heading} image="/empty-state.svg">
          <BlockStack gap="300">
            <Text as="p">{description}</Text>
            <div style={{ textAlign: "start", display: "inline-block", margin: "0 auto" }}>
              <List type="bullet">
                {upcoming.map((item) => (
                  <List.Item key={item}>{item}</List.Item>
                ))}
              </List>
            </div>
          </BlockStack>
        </EmptyState>
      </Card>
    </Page>
  );
}

/** What each not-yet-built page promises, in one place; each entry leaves as its capability lands. */
export const PLANNED_PAGES = {
  settings: {
    title: "Settings",
    heading: "Connections and preferences",
    description:
      "Channel connections, markets and sync schedules will be managed here. Secrets are encrypted at rest and never shown again.",
    upcoming: [
      "Meta system-user token and catalog, TikTok Shop authorisation",
      "Markets, currencies and languages per feed",
      "Reconciliation schedule and alert thresholds",
    ],
  },
} satisfies Record<string, PlannedPageProps>;
