import { Badge, DataTable } from "@shopify/polaris";
import type { PublishRunView } from "~/.server/services/publishing/publishing-overview";
import { SectionCard } from "~/components/SectionCard";
import { formatCount, timeAgo } from "../format";

const STATUS: Record<PublishRunView["status"], { label: string; tone?: "success" | "warning" | "critical" | "info" }> = {
  running: { label: "Running", tone: "info" },
  succeeded: { label: "Done", tone: "success" },
  partial: { label: "Done with problems", tone: "warning" },
  failed: { label: "Stopped", tone: "critical" },
};

const CHANNEL_NAMES: Record<string, string> = { meta: "Meta", tiktok: "TikTok Shop" };

/** The activity log: every publish run, newest first, with what it sent and what the channel said. */
export function PublishActivityCard({ runs, now }: { runs: PublishRunView[]; now: string }) {
  return (
    <SectionCard title="Publishing activity" isEmpty={runs.length === 0} emptyText="No publish has run yet.">
      <div data-testid="publish-activity">
        <DataTable
          columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
          headings={["When", "Channel", "Status", "Sent", "Removed", "Rejected", "API calls", "Why it ran / what stopped it"]}
          rows={runs.map((run) => {
            const status = STATUS[run.status];
            return [
              timeAgo(run.startedAt, now),
              `${CHANNEL_NAMES[run.channel] ?? run.channel} (${run.market})`,
              <Badge key="status" tone={status.tone}>
                {status.label}
              </Badge>,
              formatCount(run.itemsLive),
              formatCount(run.itemsDeleted),
              formatCount(run.itemsRejected),
              formatCount(run.calls),
              run.error ?? run.trigger,
            ];
          })}
        />
      </div>
    </SectionCard>
  );
}
