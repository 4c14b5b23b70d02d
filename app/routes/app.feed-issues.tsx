import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { PLANNED_PAGES, PlannedPage } from "~/components/PlannedPage";

export { plannedPageLoader as loader } from "~/.server/planned-page";

export default function FeedIssuesPage() {
  return <PlannedPage {...PLANNED_PAGES.feedIssues} />;
}

export function ErrorBoundary() {
  return <PageErrorBoundary title={PLANNED_PAGES.feedIssues.title} />;
}
