import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { Card, EmptyState, Page, Text } from "@shopify/polaris";
import { ExportIcon } from "@shopify/polaris-icons";
import { useCallback, useEffect, useMemo } from "react";
import { requireShop } from "~/.server/auth";
import { getRuntime } from "~/.server/runtime";
import { IssueActionSchema, loadFeedIssuesPage, runIssueAction, type IssueGroupView } from "~/.server/services/feed-issues/feed-issues-page";
import { formatCount } from "~/components/channels/format";
import { useFeedbackToast } from "~/components/channels/useFeedbackToast";
import { IssueFilterBar, ISSUES_PATH } from "~/components/issues/IssueFilterBar";
import { IssueGroupsTable } from "~/components/issues/IssueGroupsTable";
import { IssuesTable } from "~/components/issues/IssuesTable";
import { useIssuesExport } from "~/components/issues/useIssuesExport";
import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { ISSUE_FILTER_KEYS } from "~/domain/issues/list-query";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { shop, mode } = await requireShop(request, context);
  const now = new Date();
  const page = await loadFeedIssuesPage(await getRuntime(), shop, new URL(request.url).searchParams, now);
  // `now` travels with the data so "3 days ago" reads the same on the server and in the browser.
  return { ...page, embedded: mode === "shopify", now: now.toISOString() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { shop } = await requireShop(request, context);
  const parsed = IssueActionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return { ok: false, message: "That request was not understood; reload the page and try again." };
  return runIssueAction(await getRuntime(), shop, parsed.data, new Date());
}

export default function FeedIssuesPage() {
  const view = useLoaderData<typeof loader>();
  const [params, setParams] = useSearchParams();
  const navigation = useNavigation();
  const fetcher = useFetcher<typeof action>();
  const { show, toast } = useFeedbackToast(view.embedded);
  const onExportError = useCallback((message: string) => show(message, { error: true }), [show]);
  const { exporting, download } = useIssuesExport(onExportError);
  const loading = navigation.state === "loading" && navigation.location.pathname === ISSUES_PATH;

  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  useEffect(() => {
    if (answer) show(answer.message, { error: !answer.ok });
  }, [answer, show]);

  const resolved = view.tab === "resolved";
  const grouped = view.tab === "grouped";
  const hasFilters = ISSUE_FILTER_KEYS.some((key) => params.has(key));
  const clearFilters = () => {
    const next = new URLSearchParams(params);
    for (const key of [...ISSUE_FILTER_KEYS, "page"]) next.delete(key);
    setParams(next);
  };
  const search = params.toString();
  const exportHref = `${ISSUES_PATH}/export.csv${search ? `?${search}` : ""}`;
  const pageHref = (target: number) => {
    const next = new URLSearchParams(params);
    if (target <= 1) next.delete("page");
    else next.set("page", String(target));
    const query = next.toString();
    return query ? `${ISSUES_PATH}?${query}` : ISSUES_PATH;
  };
  const itemsHref = (group: IssueGroupView) => {
    const next = new URLSearchParams(params);
    for (const key of ["tab", "page", "channel", "source", "code"]) next.delete(key);
    next.set("channel", group.channel);
    next.set("source", group.source);
    next.set("code", group.code);
    return `${ISSUES_PATH}?${next}`;
  };
  const submitGroups = (intent: "revalidate" | "republish") => (groups: IssueGroupView[]) =>
    fetcher.submit(
      { intent, groups: JSON.stringify(groups.map((group) => ({ channel: group.channel, source: group.source, code: group.code }))), search },
      { method: "post" },
    );
  const multipleMarkets = useMemo(() => new Set(view.rows.map((row) => row.market)).size > 1, [view.rows]);

  const shownTotal = `${formatCount(view.total)}${view.totalCapped ? "+" : ""}`;
  const subtitle = grouped
    ? `${shownTotal} open ${view.total === 1 ? "issue" : "issues"} in ${formatCount(view.groups.length)} ${view.groups.length === 1 ? "problem" : "problems"}`
    : resolved
      ? `${shownTotal} resolved ${view.total === 1 ? "issue" : "issues"}${hasFilters ? " match" : " in the history"}`
      : `${shownTotal} open ${view.total === 1 ? "issue" : "issues"}${hasFilters ? " match" : " across channels"}`;

  const emptyState = hasFilters ? (
    <EmptyState heading="No issues match these filters" image="/empty-state.svg" action={{ content: "Clear all filters", onAction: clearFilters }}>
      <p>Try fewer filters, or search by another title, SKU, variant id or item id.</p>
    </EmptyState>
  ) : resolved ? (
    <EmptyState heading="Nothing resolved yet" image="/empty-state.svg">
      <p>When a problem is fixed, the next feed build or channel report moves it here, with the date it was resolved.</p>
    </EmptyState>
  ) : (
    <EmptyState heading="No open issues" image="/empty-state.svg" action={{ content: "Go to channels", url: "/app/channels" }}>
      <p>Every item passed Shelfcast's checks and no channel reported a problem. New problems appear here after each feed build and publish.</p>
    </EmptyState>
  );

  const first = view.total === 0 ? 0 : (view.page - 1) * view.pageSize + 1;
  const last = Math.min(view.total, view.page * view.pageSize);
  const pagination =
    view.total > 0
      ? {
          hasPrevious: view.page > 1,
          hasNext: view.page < view.pageCount,
          previousURL: pageHref(view.page - 1),
          nextURL: pageHref(view.page + 1),
          label: `${formatCount(first)}–${formatCount(last)} of ${shownTotal}`,
        }
      : undefined;

  return (
    <Page
      title="Feed issues"
      subtitle={subtitle}
      fullWidth
      primaryAction={{ content: "Export CSV", icon: ExportIcon, loading: exporting, disabled: view.total === 0, onAction: () => void download(exportHref) }}
    >
      <Card padding="0">
        <IssueFilterBar page={view} loading={loading} />
        {grouped ? (
          <IssueGroupsTable
            groups={view.groups}
            loading={loading}
            emptyState={emptyState}
            busy={fetcher.state !== "idle"}
            itemsHref={itemsHref}
            onRevalidate={submitGroups("revalidate")}
            onRepublish={submitGroups("republish")}
          />
        ) : (
          <IssuesTable
            rows={view.rows}
            resolved={resolved}
            embedded={view.embedded}
            now={view.now}
            loading={loading}
            emptyState={emptyState}
            pagination={pagination}
            multipleMarkets={multipleMarkets}
          />
        )}
      </Card>
      {view.totalCapped && !grouped ? (
        <div style={{ padding: "var(--p-space-300) 0" }}>
          <Text as="p" tone="subdued" alignment="center">
            The list shows the first {formatCount(view.total)} issues; filter or search to reach the others, or export them all as CSV.
          </Text>
        </div>
      ) : null}
      {toast}
    </Page>
  );
}

export function ErrorBoundary() {
  return <PageErrorBoundary title="Feed issues" />;
}
