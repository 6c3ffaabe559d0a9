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

const down = new Set(["Stopped", "StopPending", "Paused"]);

/** True when a poll saw the scanner service not running. */
export function serviceDown(o: Observation): boolean {
  return o.reachable && o.service !== undefined && down.has(o.service);
}

/**
 * Service stopped: the scanner service on this node is not running while its
 * cluster scans (another node scans, or this node was scanning when it went
 * down). A stop needs up to `stopGrace` to reach every node, so nothing is
 * raised that soon after one.
 */
export function serviceStoppedRule(input: RuleInput): Finding | undefined {
  const latest = latestReachable(input.history);
  if (!latest?.service || !down.has(latest.service)) return undefined;
  if (input.lastStopAt && input.now.getTime() - input.lastStopAt.getTime() < input.settings.stopGrace) return undefined;
  const start = runStartThroughSilence(input.history, serviceDown);
  if (!start) return undefined;
  const wasScanning = reachableBefore(input.history, start)?.scanning === true;
  if (!input.clusterScanning && !wasScanning) return undefined;
  if (ageMs(start.at, input.now) < input.settings.stopGrace && !input.clusterScanning) return undefined;
  return {
    kind: "service_stopped",
    summary: `The scanner service is ${latest.service} (for ${formatDuration(ageMs(start.at, input.now))}) while the cluster scans`,
    since: start.at,
    detail: {
      service: latest.service,
      clusterStatus: latest.clusterStatus ?? null,
      scannedFiles: latest.scannedFiles ?? null,
      repository: latest.repository ?? null,
    },
  };
}
