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
  rules: {
    title: "Rules",
    heading: "Reserve stock and promise only what ships",
    description:
      "Stock reservation and pre-order rules will decide what quantity and availability each channel is told, so social posts never oversell.",
    upcoming: [
      "Buffers, floors and caps by collection, type, tag, product or variant",
      "Honest pre-order messages with a release date on every channel",
      "A simulator: pick a variant and a date, see the offer on every channel and why",
    ],
  },
  campaigns: {
    title: "Campaigns",
    heading: "Tag products for posts and campaigns",
    description:
      "Marketers will tag products for a social post or campaign and see whether each one is ready to promote.",
    upcoming: [
      "Campaign windows that hold stock for a channel",
      "A readiness board: Ready or Blocked, with the reasons and fix links",
      "UTM link builder for each channel",
    ],
  },
  feedIssues: {
    title: "Feed issues",
    heading: "Every problem across channels in one list",
    description:
      "Shelfcast's own checks and the channels' rejections will appear here together, each with the fix.",
    upcoming: [
      "Filter by channel, severity, code, vendor, type and collection",
      "Grouped view: one row per problem with bulk re-validate and re-publish",
      "A history of resolved problems and a timeline per product",
    ],
  },
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
