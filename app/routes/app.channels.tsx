import { PageErrorBoundary } from "~/components/PageErrorBoundary";
import { PLANNED_PAGES, PlannedPage } from "~/components/PlannedPage";

export { plannedPageLoader as loader } from "~/.server/planned-page";

export default function ChannelsPage() {
  return <PlannedPage {...PLANNED_PAGES.channels} />;
}

export function ErrorBoundary() {
  return <PageErrorBoundary title={PLANNED_PAGES.channels.title} />;
}
