import { Badge, DataTable, Text } from "@shopify/polaris";
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

/** The publish engine's own words for why a run started (request-publish callers), as a merchant reads them. */
const TRIGGERS: Record<string, string> = {
  "more-due": "More changes were waiting",
  retry: "Retrying records that failed for a moment",
  throttled: "After the channel asked Shelfcast to slow down",
  drift: "The channel lost records (found when reading it back)",
  "retry from dead letters": "Retry of stuck records",
  "Publish now": "Publish now",
};

const UUID = / ?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Why a run started: known engine triggers in words, ids of syncs and builds left out. */
export function describeTrigger(trigger: string): string {
  const known = TRIGGERS[trigger];
  if (known) return known;
  const text = trigger.replace(UUID, "").trim();
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function duration(run: PublishRunView): string | null {
  if (!run.finishedAt) return null;
  const seconds = Math.max(0, Math.round((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000));
  return seconds < 90 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

/** The activity log: every publish run, newest first, with what it sent and what the channel said. */
export function PublishActivityCard({ runs, now }: { runs: PublishRunView[]; now: string }) {
  return (
    <SectionCard title="Publishing activity" isEmpty={runs.length === 0} emptyText="No publish has run yet. The first one follows the next feed build; Publish now starts one at once.">
      <div data-testid="publish-activity">
        <DataTable
          columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
          headings={["When", "Channel", "Status", "Sent", "Removed", "Rejected", "API calls", "Why it ran / what stopped it"]}
          verticalAlign="middle"
          rows={runs.map((run) => {
            const status = STATUS[run.status];
            const took = duration(run);
            return [
              <span key="when" title={run.startedAt}>
                {took ? `${timeAgo(run.startedAt, now)} · ${took}` : timeAgo(run.startedAt, now)}
              </span>,
              `${CHANNEL_NAMES[run.channel] ?? run.channel} (${run.market})`,
              <Badge key="status" tone={status.tone}>
                {status.label}
              </Badge>,
              run.status === "running" ? `${formatCount(run.itemsDone)} of ${formatCount(run.itemsDue)}` : formatCount(run.itemsLive),
              formatCount(run.itemsDeleted),
              formatCount(run.itemsRejected),
              formatCount(run.calls),
              // Table cells do not wrap; this one holds sentences.
              <div key="why" style={{ whiteSpace: "normal", minWidth: "14rem", maxWidth: "26rem" }}>
                <Text as="span" tone={run.error ? "critical" : undefined} breakWord>
                  {run.error ?? describeTrigger(run.trigger)}
                </Text>
              </div>,
            ];
          })}
        />
      </div>
    </SectionCard>
  );
}
