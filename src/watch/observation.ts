import { z } from "zod";
import { clusterStatusSchema, type ScanStatus, serviceStateSchema } from "../wire/agentApi.js";

/**
 * What one poll of a node told the watcher, reduced to the signals the rules
 * use. A node's history is run-length encoded: consecutive polls that saw the
 * same state share one entry (`at` = first seen, `lastAt` = last seen), so a
 * short history still covers a stall of many hours.
 */
export const observationSchema = z.object({
  at: z.string(),
  lastAt: z.string(),
  polls: z.number().int().positive(),
  reachable: z.boolean(),
  /** Why the poll failed (BotError code), when it did. */
  errorCode: z.string().optional(),
  error: z.string().optional(),
  clusterStatus: clusterStatusSchema.optional(),
  nodeStatus: z.string().optional(),
  scanning: z.boolean().default(false),
  scannedFiles: z.number().optional(),
  failedFiles: z.number().optional(),
  scannedBytes: z.number().optional(),
  reportPath: z.string().optional(),
  reportSize: z.number().optional(),
  service: serviceStateSchema.optional(),
  startTime: z.string().nullable().optional(),
  /** The repository being scanned (or the first still pending), for the alert text. */
  repository: z.string().optional(),
  /** Every repository is Finished or Skipped: a scan that went idle this way completed rather than stopped. */
  repositoriesDone: z.boolean().optional(),
});
export type Observation = z.infer<typeof observationSchema>;

/** What a poll gave back: the fleet client's `NodeOutcome<ScanStatus>` fits this shape. */
export type StatusOutcome =
  | { ok: true; value: ScanStatus }
  | { ok: false; error: { code: string; userMessage: string } };

/** True when the node itself reports scanning ("Pending" nodes wait for work, so they are not). */
export function isScanning(status: ScanStatus): boolean {
  if (status.node) return status.node.isScanning.trim().toLowerCase() === "true";
  return status.clusterStatus === "Scanning";
}

/** Turns one poll result into an observation seen at `at`. */
export function observe(outcome: StatusOutcome, at: Date): Observation {
  const iso = at.toISOString();
  if (!outcome.ok) {
    return {
      at: iso,
      lastAt: iso,
      polls: 1,
      reachable: false,
      errorCode: outcome.error.code,
      error: outcome.error.userMessage.slice(0, 300),
      scanning: false,
    };
  }
  const s = outcome.value;
  const summary = s.node?.summary ?? undefined;
  const active =
    s.repositories.find((r) => r.status === "Scanning") ?? s.repositories.find((r) => r.status === "Pending");
  return {
    at: iso,
    lastAt: iso,
    polls: 1,
    reachable: true,
    clusterStatus: s.clusterStatus,
    ...(s.node ? { nodeStatus: s.node.status } : {}),
    scanning: isScanning(s),
    ...(summary
      ? { scannedFiles: summary.scannedFiles, failedFiles: summary.failedFiles, scannedBytes: summary.scannedBytes }
      : {}),
    ...(s.detailedReport ? { reportPath: s.detailedReport.path, reportSize: s.detailedReport.sizeBytes } : {}),
    service: s.service.state,
    startTime: s.startTime,
    ...(active ? { repository: active.path } : {}),
    ...(s.repositories.length > 0
      ? { repositoriesDone: s.repositories.every((r) => r.status === "Finished" || r.status === "Skipped") }
      : {}),
  };
}

/** Everything but the timing fields: two polls that agree on this saw the same state. */
function stateKey(o: Observation): string {
  const { at: _at, lastAt: _lastAt, polls: _polls, error: _error, ...state } = o;
  return JSON.stringify(state, Object.keys(state).sort());
}

/** Adds an observation to a history (newest last), merging it into the newest entry when nothing changed. */
export function appendObservation(history: readonly Observation[], next: Observation, limit: number): Observation[] {
  const last = history.at(-1);
  if (last && stateKey(last) === stateKey(next)) {
    return [...history.slice(0, -1), { ...last, lastAt: next.lastAt, polls: last.polls + next.polls }];
  }
  // Reuse the previous entry's strings: a fresh copy per poll of the same report path adds up over thousands of nodes.
  const entry = { ...next };
  if (last) {
    for (const key of ["reportPath", "repository", "startTime", "nodeStatus"] as const) {
      if (entry[key] !== undefined && entry[key] === last[key]) Object.assign(entry, { [key]: last[key] });
    }
  }
  const grown = [...history, entry];
  return grown.length > limit ? grown.slice(grown.length - limit) : grown;
}

/** Reads a stored history back, dropping entries that no longer fit the schema. */
export function parseHistory(entries: readonly unknown[]): Observation[] {
  return entries.flatMap((entry) => {
    const parsed = observationSchema.safeParse(entry);
    return parsed.success ? [parsed.data] : [];
  });
}
