import { formatDuration } from "../foundation/duration.js";
import type { Status } from "../reply/reply.js";
import { ageMs, type Finding, type RuleInput } from "./rules/finding.js";
import { incidentRules } from "./rules/index.js";
import { slowButAliveRule } from "./rules/slowButAliveRule.js";
import { lastProgress } from "./rules/stallRule.js";

/** How the watcher sees one node right now, for `status` and `watch status`. */
export interface NodeAssessment {
  node: string;
  cluster: string;
  state: "scanning" | "slow-but-alive" | "stalled" | "idle" | "unreachable" | "service-stopped" | "error" | "unknown";
  status: Status;
  /** One line a person can read: "scanning, last progress 2m ago". */
  text: string;
  /** Findings that open (or keep open) incidents. */
  findings: Finding[];
}

const byKind: Record<Finding["kind"], { state: NodeAssessment["state"]; status: Status }> = {
  unreachable: { state: "unreachable", status: "error" },
  service_stopped: { state: "service-stopped", status: "error" },
  error_state: { state: "error", status: "error" },
  stalled: { state: "stalled", status: "warn" },
};

/** Runs every rule over one node's history and says what it amounts to. */
export function assessNode(input: RuleInput): NodeAssessment {
  const base = { node: input.node, cluster: input.cluster };
  const findings = incidentRules.flatMap((rule) => rule(input) ?? []);
  const first = findings[0];
  if (first) return { ...base, ...byKind[first.kind], text: first.summary, findings };
  const latest = input.history.at(-1);
  if (!latest) return { ...base, state: "unknown", status: "info", text: "not polled yet", findings };
  if (!latest.reachable) {
    return {
      ...base,
      state: "unknown",
      status: "warn",
      text: `agent not answering (${latest.polls} poll${latest.polls === 1 ? "" : "s"}): ${latest.error ?? latest.errorCode ?? "no answer"}`,
      findings,
    };
  }
  const slow = slowButAliveRule(input);
  if (slow) {
    return {
      ...base,
      state: "slow-but-alive",
      status: "info",
      text: `slow but alive: counters flat for ${formatDuration(ageMs(slow.countersFlatSince, input.now))}, detailed report still growing (wait, per the article)`,
      findings,
    };
  }
  if (latest.scanning) {
    const progress = lastProgress(input.history);
    const ago = progress ? formatDuration(ageMs(progress.at, input.now)) : "unknown";
    return { ...base, state: "scanning", status: "ok", text: `scanning, last progress ${ago} ago`, findings };
  }
  return {
    ...base,
    state: "idle",
    status: "ok",
    text: `not scanning (${latest.nodeStatus ?? latest.clusterStatus ?? "idle"})`,
    findings,
  };
}
