import { BlockStack, Card, InlineStack, ProgressBar, Spinner, Text } from "@shopify/polaris";
import type { RunningJobView } from "~/.server/services/channel-dashboard";

/** Feed builds and publish runs in progress, with a bar each where the amount of work is known. */
export function RunningJobsCard({ jobs }: { jobs: RunningJobView[] }) {
  if (jobs.length === 0) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          Running now
        </Text>
        {jobs.map((job) => (
          <BlockStack key={job.id} gap="100">
            <InlineStack align="space-between" blockAlign="center" gap="200">
              <Text as="span" fontWeight="semibold" id={`job-${job.id}`}>
                {job.title}
              </Text>
              <Text as="span" tone="subdued" numeric>
                {job.detail}
              </Text>
            </InlineStack>
            {job.progress === null ? (
              <InlineStack gap="200" blockAlign="center">
                <Spinner size="small" accessibilityLabel={job.title} />
                <Text as="span" variant="bodySm" tone="subdued">
                  Waiting to start
                </Text>
              </InlineStack>
            ) : (
              <ProgressBar progress={job.progress} tone="primary" size="small" ariaLabelledBy={`job-${job.id}`} />
            )}
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
