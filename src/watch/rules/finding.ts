import type { WatchSettings } from "../../config/watchSection.js";
import type { IncidentKind } from "../../store/store.js";
import type { LogEntry } from "../../wire/agentApi.js";
import type { Observation } from "../observation.js";

/** What every rule gets: one node's history and what the watcher knows about its cluster. */
export interface RuleInput {
  node: string;
  cluster: string;
  /** Oldest first; the newest entry is the latest poll. */
  history: readonly Observation[];
  now: Date;
  settings: WatchSettings;
  /** Another node of the cluster reports scanning right now. */
  clusterScanning: boolean;
  /** When the cluster's scan was last stopped (or first seen stopping), if it was. */
  lastStopAt?: Date;
  /** Newest scanner log entries from the node's agent, when the watcher reads them. */
  recentErrors: readonly LogEntry[];
}

/** A problem a rule found: becomes (or keeps open) the incident of `kind` for the node. */
export interface Finding {
  kind: IncidentKind;
  /** One line for the alert heading. */
  summary: string;
  /** When the problem began (ISO), e.g. the last progress of a stalled scan. */
  since: string;
  /** Knowledge-base entry whose next steps the alert shows. */
  kbId?: string;
  /** JSON-serialisable facts for the alert and `incidents`. */
  detail: Record<string, unknown>;
}

/** A rule: one node's history in, at most one finding out. */
export type Rule = (input: RuleInput) => Finding | undefined;

/** The newest entry, when the latest poll reached the agent. */
export function latestReachable(history: readonly Observation[]): Observation | undefined {
  const last = history.at(-1);
  return last?.reachable ? last : undefined;
}

/**
 * Walks back from the newest entry while `same` holds and returns the oldest
 * entry of that run: the moment the current condition was first seen. Polls
 * that did not reach the agent are stepped over: silence is no evidence that
 * the condition changed, so an agent that comes back in the same state
 * continues the run it left (and the incident it raised).
 */
export function runStartThroughSilence(
  history: readonly Observation[],
  same: (o: Observation) => boolean,
): Observation | undefined {
  let start: Observation | undefined;
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i];
    if (!entry) break;
    if (!entry.reachable) continue;
    if (!same(entry)) break;
    start = entry;
  }
  return start;
}

/** The newest poll before `entry` that reached the agent. */
export function reachableBefore(history: readonly Observation[], entry: Observation): Observation | undefined {
  for (let i = history.indexOf(entry) - 1; i >= 0; i--) {
    const candidate = history[i];
    if (candidate?.reachable) return candidate;
  }
  return undefined;
}

/** Milliseconds from an ISO time to now. */
export function ageMs(iso: string, now: Date): number {
  return now.getTime() - Date.parse(iso);
}
