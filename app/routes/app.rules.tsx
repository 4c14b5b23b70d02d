import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { PLANNED_PAGES, PlannedPage } from "~/components/PlannedPage";

export { plannedPageLoader as loader } from "~/.server/planned-page";

export default function RulesPage() {
  return <PlannedPage {...PLANNED_PAGES.rules} />;
}

export function ErrorBoundary() {
  return <PageErrorBoundary title={PLANNED_PAGES.rules.title} />;
}
