import {
  type ClusterStatus,
  clusterStatusSchema,
  type NodeInfo,
  type RepositoryStatus,
  repositoryStateSchema,
  type ScanStatus,
  type ScanSummary,
  serviceStateSchema,
} from "../../src/wire/agentApi.js";
import type { RawNode, RawService, RawStatus } from "./probeOutputs.js";

/** Get-Service states outside the API's list (ContinuePending, PausePending) become Unknown. */
export function toService(raw: RawService): ScanStatus["service"] {
  const state = serviceStateSchema.safeParse(raw.state);
  return {
    name: raw.name,
    ...(raw.displayName ? { displayName: raw.displayName } : {}),
    state: state.success ? state.data : "Unknown",
  };
}

const caseless = <T extends string>(options: readonly T[], value: string | null): T | undefined =>
  options.find((o) => o.toLowerCase() === (value ?? "").trim().toLowerCase());

/** Counts as the cmdlet prints them: `2280`, `2,280` or `2 280` depending on culture. */
function count(value: string | null | undefined): number | undefined {
  if (value == null) return undefined;
  const digits = value.replace(/[\s,.\u00a0\u202f']/g, "");
  return /^\d+$/.test(digits) ? Number(digits) : undefined;
}

const summaryFields = {
  ScannedFiles: "scannedFiles",
  FailedFiles: "failedFiles",
  ScannedBytes: "scannedBytes",
  Classified: "classified",
  Labeled: "labeled",
} as const;

/** ScanSummaryData → API summary; properties the agent does not know are passed through as text. */
export function toSummary(raw: Record<string, string | null> | null | undefined): ScanSummary | null {
  if (!raw) return null;
  const summary: ScanSummary = {
    scannedFiles: 0,
    failedFiles: 0,
    scannedBytes: 0,
    classified: 0,
    labeled: 0,
    extra: {},
  };
  for (const [key, value] of Object.entries(raw)) {
    const field = summaryFields[key as keyof typeof summaryFields];
    const number = count(value);
    if (field && number !== undefined) summary[field] = number;
    else if (value !== null) summary.extra[key] = value;
  }
  return summary;
}

function toNode(raw: RawNode): NodeInfo {
  return { nodeName: raw.nodeName, status: raw.status, isScanning: raw.isScanning, summary: toSummary(raw.summary) };
}

/**
 * TimeSpan text (`1.02:03:04`, `02:03:04.5`) → seconds. The documented sample's
 * four-part `00:00:00:37` is ambiguous (days or milliseconds first?), so it
 * gives null and the caller falls back to StartTime.
 */
export function timeFromStartSeconds(text: string | null): number | null {
  if (!text) return null;
  const match = /^(?:(\d+)\.)?(\d+):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(text.trim());
  if (!match) return null;
  const [, d, h, m, s] = match;
  return Number(d ?? 0) * 86_400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
}

/** Node names compare without domain and case: the cmdlet prints FQDNs, hostname() may not. */
function sameNode(a: string, b: string): boolean {
  const short = (n: string) => n.toLowerCase().split(".")[0] ?? "";
  return a.toLowerCase() === b.toLowerCase() || short(a) === short(b);
}

/** Builds the API's ScanStatus from the status probe's raw output. */
export function toScanStatus(raw: RawStatus, nodeName: string, observedAt: Date): ScanStatus {
  const service = toService(raw.service);
  const nodes = (raw.status?.nodes ?? []).map(toNode);
  const names = raw.computerName ? [nodeName, raw.computerName] : [nodeName];
  const own = nodes.find((n) => names.some((name) => sameNode(n.nodeName, name))) ?? null;

  let clusterStatus: ClusterStatus;
  let clusterStatusText: string | undefined;
  if (raw.status) {
    const known = caseless(clusterStatusSchema.options, raw.status.clusterStatus);
    clusterStatus = known ?? "Unknown";
    if (!known) clusterStatusText = raw.status.clusterStatus ?? "";
  } else {
    // The cmdlet failed: a stopped service is Offline by the docs' own definition; anything else is unknown.
    clusterStatus = service.state === "Stopped" ? "Offline" : "Unknown";
    clusterStatusText = raw.statusError
      ? `Status cmdlet failed: ${raw.statusError.slice(0, 300)}`
      : raw.moduleGeneration === "none"
        ? "No scanner PowerShell module is installed."
        : undefined;
  }
  const repositories: RepositoryStatus[] = raw.repositories.map((r) => ({
    path: r.path,
    status: caseless(repositoryStateSchema.options, r.status) ?? "Unknown",
  }));
  const startTime = raw.status?.startTime ?? null;
  const elapsed =
    timeFromStartSeconds(raw.status?.timeFromStart ?? null) ??
    (startTime ? Math.max(0, Math.round((observedAt.getTime() - Date.parse(startTime)) / 1000)) : null);
  return {
    observedAt: observedAt.toISOString(),
    nodeName,
    cluster: raw.status?.cluster || null,
    clusterStatus,
    ...(clusterStatusText === undefined ? {} : { clusterStatusText }),
    startTime,
    timeFromStart: raw.status?.timeFromStart || null,
    elapsedSeconds: elapsed,
    node: own,
    nodes,
    repositories,
    detailedReport:
      raw.detailedReport?.lastWriteTime != null
        ? {
            path: raw.detailedReport.path,
            sizeBytes: raw.detailedReport.sizeBytes,
            lastWriteTime: raw.detailedReport.lastWriteTime,
          }
        : null,
    service,
    moduleGeneration: raw.moduleGeneration,
  };
}
