import { formatDuration } from "../../foundation/duration.js";
import type { Observation } from "../observation.js";
import {
  ageMs,
  type Finding,
  latestReachable,
  type RuleInput,
  reachableBefore,
  runStartThroughSilence,
} from "./finding.js";

/** The progress signals of a scanning node: files, bytes and the newest detailed report. */
export function progressKey(o: Observation): string {
  return JSON.stringify([o.startTime ?? null, o.scannedFiles, o.scannedBytes, o.reportPath, o.reportSize]);
}

/**
 * When the node last made progress: the first poll that saw its current
 * counters and report (polls that did not reach the agent are no progress).
 */
export function lastProgress(history: readonly Observation[]): Observation | undefined {
  const latest = latestReachable(history);
  if (!latest?.scanning) return undefined;
  const key = progressKey(latest);
  return runStartThroughSilence(history, (o) => o.scanning && progressKey(o) === key);
}

/**
 * Stalled: the node scans, but neither its counters nor the newest detailed
 * report changed for `stallAfter`. The article's test for a stuck scanner is
 * whether the report still grows; when it does, see slowButAliveRule.
 */
export function stallRule(input: RuleInput): Finding | undefined {
  const latest = latestReachable(input.history);
  const start = lastProgress(input.history);
  if (!latest || !start) return undefined;
  // Without counters or a report there is nothing that could show progress, so no evidence of a stall either.
  if (latest.scannedFiles === undefined && latest.reportSize === undefined) return undefined;
  const flatFor = ageMs(start.at, input.now);
  if (flatFor < input.settings.stallAfter) return undefined;
  return {
    kind: "stalled",
    summary: `No scan progress for ${formatDuration(flatFor)}`,
    since: start.at,
    kbId: "stuck-scanner-processes",
    detail: {
      scannedFiles: latest.scannedFiles ?? null,
      scannedBytes: latest.scannedBytes ?? null,
      failedFiles: latest.failedFiles ?? null,
      repository: latest.repository ?? null,
      report: latest.reportPath ?? null,
      reportSize: latest.reportSize ?? null,
      lastProgressAt: start.at,
    },
  };
}

/**
 * A stall clears only on evidence: the node stopped scanning, or its counters
 * or report moved between two polls that reached the agent (silence between
 * them included). Missing history (a restart with an empty store) is not
 * evidence, so it never resolves a stall.
 */
export function stallCleared(input: RuleInput): boolean {
  const latest = latestReachable(input.history);
  if (!latest) return false;
  if (!latest.scanning) return true;
  const start = lastProgress(input.history);
  const before = start ? reachableBefore(input.history, start) : undefined;
  return before?.scanning === true;
}
