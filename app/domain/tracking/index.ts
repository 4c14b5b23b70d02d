import { checkExtension } from "./check-extension";
import { checkPlan } from "./check-plan";
import { checkTraffic } from "./check-traffic";
import type { TrafficSource } from "./har";
import type { IdSchemeName } from "../channels/types";
import type { CatalogIds, ExtensionSource, Finding, FindingSeverity, TrackingPlan, TrafficEvent } from "./types";

export interface CheckInputs {
  plan?: TrackingPlan;
  extension?: ExtensionSource;
  traffic?: TrafficEvent[];
  catalog?: CatalogIds;
  /** Where the traffic came from, so evidence reads "har entry 3" or "log line 3". */
  trafficSource?: TrafficSource;
  /** The scheme the catalog ids were built with (the feeds'), which may differ from the plan's. */
  catalogIdScheme?: IdSchemeName;
}

const SEVERITY_ORDER: Record<FindingSeverity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Every check that the given inputs allow, in one list: errors first, then by check number. The
 * plan also informs the extension and traffic checks (what should be sent, under which purpose).
 */
export function runChecks(inputs: CheckInputs): Finding[] {
  const findings: Finding[] = [];
  if (inputs.plan) findings.push(...checkPlan(inputs.plan));
  if (inputs.extension) findings.push(...checkExtension(inputs.extension, inputs.plan));
  if (inputs.traffic && inputs.traffic.length > 0) {
    findings.push(
      ...checkTraffic(inputs.traffic, {
        catalog: inputs.catalog,
        idScheme: inputs.catalogIdScheme ?? inputs.plan?.idScheme,
        plan: inputs.plan,
        source: inputs.trafficSource,
      }),
    );
  }
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || a.check - b.check);
}

export function countBySeverity(findings: readonly Finding[]): Record<FindingSeverity, number> {
  const counts: Record<FindingSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}
