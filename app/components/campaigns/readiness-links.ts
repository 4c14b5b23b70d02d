import type { ReadinessFixTarget } from "~/domain/readiness/types";
import { fixTargetHref, fixTargetLabel } from "~/components/channels/FixTargetLink";

/** Where a readiness reason is fixed, as a link: the app's own pages, or the Diagnostic's targets. */
export function readinessFixHref(target: ReadinessFixTarget, embedded: boolean): string {
  switch (target.kind) {
    case "rules":
      return "/app/rules";
    case "channels":
      return "/app/channels";
    case "connection":
      return "/app/settings";
    default:
      return fixTargetHref(target, embedded);
  }
}

export function readinessFixLabel(target: ReadinessFixTarget, embedded: boolean): string {
  switch (target.kind) {
    case "rules":
      return "Add a buffer in Rules";
    case "channels":
      return "Open Channels";
    case "connection":
      return "Open Settings";
    default:
      return fixTargetLabel(target, embedded);
  }
}
