import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type ActionFunctionArgs,
  type LoaderFunctionArgs,
  type MetaFunction,
} from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useCallback, useEffect, useState } from "react";
import { z } from "zod";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { loadPixelsPage, runPixelChecks, type PixelCheckReport } from "~/.server/services/tracking/pixel-checks";
import { listDestinationViews, removeDestination, saveDestination } from "~/.server/services/tracking/pixel-destinations";
import { loadPixelSyncStatus } from "~/.server/services/tracking/sync-pixel-settings";
import { saveTrackingPlan } from "~/.server/services/tracking/tracking-plan";
import { timeAgo } from "~/components/channels/format";
import { useFeedbackToast } from "~/components/channels/useFeedbackToast";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { FindingsCard } from "~/components/pixels/FindingsCard";
import { HarUpload, MAX_HAR_BYTES } from "~/components/pixels/HarUpload";
import { PixelSyncStatus } from "~/components/pixels/PixelSyncStatus";
import { PlanEditor } from "~/components/pixels/PlanEditor";
import { ServerConnectionsCard } from "~/components/pixels/ServerConnectionsCard";
import { SessionTimeline } from "~/components/pixels/SessionTimeline";
import { PLAN_LIMITS } from "~/domain/tracking/plan-schema";
import type { TrackingPlan } from "~/domain/tracking/types";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const runtime = await getRuntime();
  const view = await loadPixelsPage(runtime, shop);
  const pixelSync = await loadPixelSyncStatus(runtime, shop);
  const connections = await listDestinationViews(runtime, shop);
  return { ...view, connections, pixelSync, shop, embedded: mode === "shopify", now: new Date().toISOString() };
}

export const meta: MetaFunction = () => [{ title: "Pixels & consent · Shelfcast" }];

const ActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("save"), plan: z.string().max(PLAN_LIMITS.maxJsonChars), expectedRevision: z.coerce.number().int().min(0) }),
  z.object({ intent: z.literal("check") }),
  // Server-side connections: the fields are validated by the service (pixel-destinations.ts).
  z.object({ intent: z.literal("connect"), platform: z.string(), pixelId: z.string(), accessToken: z.string(), testEventCode: z.string().optional() }),
  z.object({ intent: z.literal("disconnect"), platform: z.string() }),
]);

/** The uploaded HAR as text, or why it cannot be read. Held in memory: 10 MB at most. */
async function readHarUpload(request: Request): Promise<{ ok: true; text: string; name: string } | { ok: false; message: string }> {
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_HAR_BYTES }));
  } catch (error) {
    if (error instanceof MaxPartSizeExceededError) return { ok: false, message: "The HAR file is larger than 10 MB. Record a shorter session (one product, add to cart, checkout) and upload that." };
    throw error;
  }
  const file = form.get("har");
  if (!(file instanceof File) || file.size === 0) return { ok: false, message: "No HAR file arrived; choose the file again." };
  return { ok: true, text: await file.text(), name: file.name };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const runtime = await getRuntime();
  if ((request.headers.get("content-type") ?? "").startsWith("multipart/form-data")) {
    const upload = await readHarUpload(request);
    if (!upload.ok) return { intent: "check" as const, source: "har" as const, fileName: null, result: upload };
    return { intent: "check" as const, source: "har" as const, fileName: upload.name, result: await runPixelChecks(runtime, shop, { har: upload.text }) };
  }
  const parsed = ActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { intent: "invalid" as const, message: "That request was not understood; reload the page and try again." };
  if (parsed.data.intent === "check") return { intent: "check" as const, source: "collector" as const, fileName: null, result: await runPixelChecks(runtime, shop) };
  if (parsed.data.intent === "connect") return { intent: "connection" as const, result: await saveDestination(runtime, shop, parsed.data) };
  if (parsed.data.intent === "disconnect") return { intent: "connection" as const, result: await removeDestination(runtime, shop, parsed.data.platform) };
  const result = await saveTrackingPlan(runtime, shop, parsed.data.plan, parsed.data.expectedRevision);
  // The answer names the revision it was for, so the page drops it once a newer revision loads.
  return { intent: "save" as const, result, revision: parsed.data.expectedRevision };
}

/** Findings as a JSON file, for a ticket or a CI baseline: the same objects `shelfcast pixel-check --json` prints. */
function exportFindings(report: PixelCheckReport, shop: string): void {
  const body = JSON.stringify({ shop, checkedAt: report.checkedAt, counts: report.counts, traffic: report.traffic, findings: report.findings }, null, 2);
  const url = URL.createObjectURL(new Blob([body], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = `pixel-findings-${report.checkedAt.slice(0, 19).replace(/[:T]/g, "-")}.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export default function PixelsPage() {
  const view = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const { show, toast } = useFeedbackToast(view.embedded);
  const checks = useFetcher<typeof action>();
  const save = useFetcher<typeof action>();
  const [resets, setResets] = useState(0);

  const checkAnswer = checks.data?.intent === "check" ? checks.data : null;
  const checkResult = checkAnswer?.result ?? null;
  const report = checkResult?.ok ? checkResult.report : null;
  const checkFailure = checkResult && !checkResult.ok ? checkResult.message : checks.data?.intent === "invalid" ? checks.data.message : null;
  const checking = checks.state !== "idle";
  const uploadingHar = checking && checks.formEncType === "multipart/form-data";

  const saveAnswer = save.state === "idle" && save.data?.intent === "save" && save.data.revision === view.plan.revision ? save.data.result : null;
  const saveErrors = saveAnswer && !saveAnswer.ok ? (saveAnswer.errors ?? []) : [];
  const saveInvalid = save.state === "idle" && save.data?.intent === "invalid" ? save.data.message : null;
  useEffect(() => {
    if (save.state === "idle" && save.data?.intent === "save" && save.data.result.ok) show(save.data.result.message);
  }, [save.state, save.data, show]);

  const onConnectionSaved = useCallback(
    (message: string) => {
      show(message);
      revalidator.revalidate();
    },
    [show, revalidator],
  );
  const submitChecks = checks.submit;
  const submitSave = save.submit;
  const runChecks = useCallback(() => submitChecks({ intent: "check" }, { method: "post" }), [submitChecks]);
  const uploadHar = useCallback(
    (file: File) => {
      const form = new FormData();
      form.append("har", file);
      submitChecks(form, { method: "post", encType: "multipart/form-data" });
    },
    [submitChecks],
  );
  const submitPlan = useCallback(
    (planText: string) => submitSave({ intent: "save", plan: planText, expectedRevision: String(view.plan.revision) }, { method: "post" }),
    [submitSave, view.plan.revision],
  );

  const conflict = saveAnswer && !saveAnswer.ok && saveAnswer.conflict ? saveAnswer.message : null;
  const timelineFromHar = report?.traffic.source === "har";
  const timeline = report ? report.timeline : view.session;
  const schemeMismatch = report?.catalog && report.catalog.idScheme !== report.plan.idScheme ? report.catalog : null;
  const planSubtitle = view.plan.revision > 0 && view.plan.updatedAt ? `Plan revision ${view.plan.revision}, saved ${timeAgo(view.plan.updatedAt, view.now)}` : "Default plan (not edited yet)";

  return (
    <Page
      fullWidth
      title="Pixels & consent"
      subtitle={`${planSubtitle} · ${view.collectedEvents.toLocaleString("en-US")} events in the collector log`}
      primaryAction={{ content: "Run checks", loading: checking && !uploadingHar, disabled: checking, onAction: runChecks }}
      secondaryActions={[{ content: "Export findings", disabled: report === null, onAction: () => report && exportFindings(report, view.shop) }]}
    >
      <Layout>
        {view.plan.problems.length > 0 ? (
          <Layout.Section variant="fullWidth">
            <Banner tone="warning" title="The saved plan was ignored">
              {view.plan.problems.map((problem) => (
                <Text as="p" key={problem}>
                  {problem}
                </Text>
              ))}
            </Banner>
          </Layout.Section>
        ) : null}
        {checkFailure ? (
          <Layout.Section variant="fullWidth">
            <Banner tone="critical" title="The checks did not run">
              <Text as="p">{checkFailure}</Text>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section variant="fullWidth">
          {report ? (
            <BlockStack gap="400">
              <ReportSummary report={report} fileName={checkAnswer?.fileName ?? null} />
              {schemeMismatch ? (
                <Banner tone="warning" title="The plan and the feeds identify products differently">
                  <Text as="p">{`The plan sends ${report.plan.idScheme} ids while your feeds use ${schemeMismatch.idScheme} ids, so content ids in events will not match catalog items. Choose the feeds' scheme under "Product ids in events" below.`}</Text>
                </Banner>
              ) : null}
              <div data-testid="pixel-findings">
                <FindingsCard findings={report.findings} />
              </div>
            </BlockStack>
          ) : (
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Check your pixels
                </Text>
                <Text as="p">
                  “Run checks” audits the tracking plan below, Shelfcast's web pixel extension and the latest session your storefront sent to the collector: event names and casing, legacy names, required
                  parameters, currency and value, product ids against your catalog, duplicate and unconsented events. Upload a HAR to check a session you recorded in your browser instead.
                </Text>
              </BlockStack>
            </Card>
          )}
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <HarUpload uploading={uploadingHar} onUpload={uploadHar} />
        </Layout.Section>
        <Layout.Section variant="oneHalf">
          <ServerConnectionsCard connections={view.connections} now={view.now} onSaved={onConnectionSaved} />
        </Layout.Section>
        <Layout.Section variant="fullWidth">
          <SessionTimeline
            title={timelineFromHar ? `Session from ${checkAnswer?.fileName ?? "the HAR file"}` : "Latest session (collector)"}
            description={
              timelineFromHar
                ? "Every request to Meta, TikTok, Pinterest and Google in the file, in order, with the consent it carried."
                : "The most recent visitor's events as the web pixel reported them, with the consent at each and the server-side decision."
            }
            entries={timeline}
            emptyText={
              timelineFromHar
                ? "The file holds no requests to Meta, TikTok, Pinterest or Google."
                : "No events received yet. Once the web pixel is connected, browse your storefront and this shows what it sent."
            }
          />
        </Layout.Section>
        <Layout.Section variant="fullWidth">
          <PixelSyncStatus status={view.pixelSync} now={view.now} />
          <PlanEditor
            key={`${view.plan.revision}|${resets}`}
            saved={view.plan.plan as TrackingPlan}
            errors={saveErrors}
            saving={save.state !== "idle"}
            onSave={submitPlan}
            banner={
              conflict ? (
                <Banner
                  tone="critical"
                  title="The plan changed since you opened it"
                  action={{
                    content: "Load the saved version (discards your edits)",
                    onAction: () => {
                      setResets((count) => count + 1);
                      revalidator.revalidate();
                    },
                  }}
                >
                  <Text as="p">{`${conflict} Copy your edits from “Advanced: JSON” first if you want to keep them.`}</Text>
                </Banner>
              ) : saveInvalid ? (
                <Banner tone="critical" title="Nothing was saved">
                  <Text as="p">{saveInvalid}</Text>
                </Banner>
              ) : null
            }
          />
        </Layout.Section>
      </Layout>
      {toast}
    </Page>
  );
}

function ReportSummary({ report, fileName }: { report: PixelCheckReport; fileName: string | null }) {
  const traffic =
    report.traffic.source === "har"
      ? `${fileName ?? "HAR"}: ${report.traffic.events} platform events (${report.traffic.skipped} other requests skipped)`
      : report.traffic.source === "collector"
        ? `latest collector session: ${report.traffic.events} events`
        : "no traffic yet (plan and extension only)";
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Badge tone={report.counts.error > 0 ? "critical" : "success"}>{`${report.counts.error} errors`}</Badge>
          <Badge tone={report.counts.warning > 0 ? "warning" : undefined}>{`${report.counts.warning} warnings`}</Badge>
          <Badge tone="info">{`${report.counts.info} info`}</Badge>
        </InlineStack>
        <Text as="p" tone="subdued">
          {`Checked the ${report.plan.isDefault ? "default plan" : `plan (revision ${report.plan.revision})`}, ${report.extension.error ? "not the extension" : `the extension in ${report.extension.path}`} and ${traffic}${
            report.catalog ? `, against ${report.catalog.itemIds.toLocaleString("en-US")} catalog item ids` : ""
          }.`}
        </Text>
        {report.extension.error ? (
          <Text as="p" tone="caution">
            {report.extension.error}
          </Text>
        ) : null}
        {report.traffic.problems.length > 0 ? (
          <Text as="p" tone="caution">
            {`${report.traffic.problems.length === 1 ? "1 request" : `${report.traffic.problems.length} requests`} could not be decoded, for example ${report.traffic.problems[0]}`}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Pixels & consent" />;
}
