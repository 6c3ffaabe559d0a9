import type { IncidentKind } from "../../store/store.js";
import { latestReachable, type RuleInput } from "./finding.js";
import { serviceDown } from "./serviceStoppedRule.js";
import { stallCleared } from "./stallRule.js";

/**
 * Whether the node shows evidence that an open incident's problem is gone,
 * asked when the incident's finding is absent from a poll. Only a poll that
 * reached the agent is evidence: silence and missing history clear nothing, so
 * an incident stays open (acknowledged, snoozed, reminding) through an outage
 * of its node's agent, and an agent that returns still failing continues it.
 */
export function incidentCleared(kind: IncidentKind, input: RuleInput): boolean {
  const latest = latestReachable(input.history);
  if (!latest) return false;
  switch (kind) {
    case "unreachable":
    case "error_state":
      // The agent answered, and the error rule (status, failed-file jump, recent log errors) found nothing.
      return true;
    case "stalled":
      return stallCleared(input);
    case "service_stopped":
      // The service runs again, or the scan it stopped is over (the rule's "while the cluster scans" no longer holds).
      return !serviceDown(latest) || (latest.clusterStatus !== "Scanning" && !input.clusterScanning);
  }
}
