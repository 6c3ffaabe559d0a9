import { watchSectionSchema, watchSettingsFor } from "../../src/config/watchSection.js";
import type { Observation } from "../../src/watch/observation.js";
import type { RuleInput } from "../../src/watch/rules/finding.js";
import type { LogEntry } from "../../src/wire/agentApi.js";

export const t0 = Date.parse("2026-11-25T01:00:00.000Z");
/** ISO time `minutes` after t0. */
export const at = (minutes: number) => new Date(t0 + minutes * 60_000).toISOString();

/** A reachable, scanning node's poll at minute `m`, with overrides. */
export function scanningAt(m: number, over: Partial<Observation> = {}): Observation {
  return {
    at: at(m),
    lastAt: at(m),
    polls: 1,
    reachable: true,
    clusterStatus: "Scanning",
    nodeStatus: "Scanning",
    scanning: true,
    scannedFiles: 1000 + m,
    failedFiles: 0,
    scannedBytes: 50_000_000 + m * 1000,
    reportPath:
      "C:\\Users\\svc-scanner\\AppData\\Local\\Microsoft\\MSIP\\Scanner\\Reports\\DetailedReport_2026_11_25_00_45_00.csv",
    reportSize: 412 + m * 236,
    service: "Running",
    startTime: "2026-11-25T00:45:00.000Z",
    repository: "\\\\fs01\\finance",
    ...over,
  };
}

/** Merges runs the way the watcher does: `polls` polls from minute `from` to `to`. */
export function run(from: number, to: number, o: Observation): Observation {
  return { ...o, at: at(from), lastAt: at(to), polls: to - from + 1 };
}

export function unreachableAt(m: number, polls = 1): Observation {
  return {
    at: at(m),
    lastAt: at(m + polls - 1),
    polls,
    reachable: false,
    errorCode: "agent_unreachable",
    error: "connect ECONNREFUSED 10.0.4.21:8733",
    scanning: false,
  };
}

export function input(history: Observation[], nowMinutes: number, over: Partial<RuleInput> = {}): RuleInput {
  return {
    node: "scan-01",
    cluster: "contoso-prod",
    history,
    now: new Date(at(nowMinutes)),
    settings: watchSettingsFor(watchSectionSchema.parse({}), "contoso-prod"),
    clusterScanning: false,
    recentErrors: [] as LogEntry[],
    ...over,
  };
}
