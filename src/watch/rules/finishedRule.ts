import type { Observation } from "../observation.js";

/** A cluster's scan that just completed, with totals summed over its nodes. */
export interface FinishedScan {
  cluster: string;
  startTime: string | null;
  finishedAt: string;
  nodes: number;
  scannedFiles: number;
  failedFiles: number;
  scannedBytes: number;
}

/**
 * Finished: every reachable node of the cluster went from scanning to Idle at
 * this poll or earlier, at least one of them at this poll, and every repository
 * is Finished or Skipped (an idle cluster with unfinished repositories was
 * stopped, not finished). Scans on an "Always" schedule restart on their own;
 * the next scan is a new scan, not an incident.
 */
export function finishedRule(
  cluster: string,
  histories: readonly (readonly Observation[])[],
): FinishedScan | undefined {
  const latest = histories.map((h) => h.at(-1)).filter((o): o is Observation => o?.reachable === true);
  if (latest.length === 0) return undefined;
  if (latest.some((o) => o.scanning || o.clusterStatus !== "Idle" || o.repositoriesDone === false)) return undefined;
  const justStopped = histories.some((h) => {
    const [before, last] = [h.at(-2), h.at(-1)];
    return last?.reachable && last.polls === 1 && before?.reachable && before.scanning;
  });
  if (!justStopped) return undefined;
  const startTimes = histories.map((h) => h.at(-2)?.startTime ?? null).filter((s): s is string => s !== null);
  return {
    cluster,
    startTime: startTimes.sort().at(0) ?? null,
    finishedAt:
      latest
        .map((o) => o.at)
        .sort()
        .at(-1) ?? "",
    nodes: latest.length,
    scannedFiles: latest.reduce((sum, o) => sum + (o.scannedFiles ?? 0), 0),
    failedFiles: latest.reduce((sum, o) => sum + (o.failedFiles ?? 0), 0),
    scannedBytes: latest.reduce((sum, o) => sum + (o.scannedBytes ?? 0), 0),
  };
}
