import { z } from "zod";

/**
 * The node agent's HTTP API, shared by the agent (which validates what it
 * sends) and the fleet client (which validates what it receives).
 * All times are ISO 8601 UTC strings; all sizes are bytes.
 */
export const agentApiVersion = "v1";

/**
 * The oldest agent release this bot fully works with; `status <node>` flags a node whose agent is older.
 * Raise it when the bot starts relying on something an older agent does not send or do.
 */
export const minimumAgentVersion = "0.1.0";

export const agentPaths = {
  health: "/v1/health",
  status: "/v1/status",
  diagnostics: "/v1/diagnostics",
  errors: "/v1/errors",
  action: "/v1/actions",
  report: "/v1/report",
} as const;

const isoTime = z.string().datetime({ offset: true });

/** Windows service states as `Get-Service` reports them, plus what the agent can tell on its own. */
export const serviceStateSchema = z.enum([
  "Running",
  "Stopped",
  "StartPending",
  "StopPending",
  "Paused",
  "NotInstalled",
  "Unknown",
]);

export const serviceSchema = z.object({
  /** Resolved service name: `AIPScanner` (AIP client) or the Purview client's service. */
  name: z.string(),
  displayName: z.string().optional(),
  state: serviceStateSchema,
});

/** Which scanner PowerShell module the node has: `AzureInformationProtection` (Get-AIPScannerStatus) or the newer `PurviewInformationProtection` (Get-ScanStatus). */
export const moduleGenerationSchema = z.enum(["AzureInformationProtection", "PurviewInformationProtection", "none"]);

export const guardedActionSchema = z.enum(["restart-service", "start-scan", "stop-scan", "export-logs"]);
export type GuardedAction = z.infer<typeof guardedActionSchema>;

export const healthSchema = z.object({
  agentVersion: z.string(),
  /** The git revision the agent was built from (`source` when run unbuilt); agents before 0.1.0 do not send it. */
  agentRevision: z.string().optional(),
  nodeName: z.string(),
  backend: z.enum(["powershell", "simulator"]),
  moduleGeneration: moduleGenerationSchema,
  service: serviceSchema,
  actionsEnabled: z.array(guardedActionSchema),
  time: isoTime,
});
export type Health = z.infer<typeof healthSchema>;

/** `ClusterStatus` values documented for Get-AIPScannerStatus; anything else arrives as Unknown with the raw text kept. */
export const clusterStatusSchema = z.enum(["Offline", "Idle", "Scanning", "Error", "Unknown"]);
export type ClusterStatus = z.infer<typeof clusterStatusSchema>;

/** Counters from ScanSummaryData (`NodesInfo[i].Summary`). Extra properties the cmdlet adds are passed through as text. */
export const scanSummarySchema = z.object({
  scannedFiles: z.number().int().nonnegative(),
  failedFiles: z.number().int().nonnegative(),
  scannedBytes: z.number().nonnegative(),
  classified: z.number().int().nonnegative(),
  labeled: z.number().int().nonnegative(),
  extra: z.record(z.string(), z.string()).default({}),
});
export type ScanSummary = z.infer<typeof scanSummarySchema>;

export const nodeInfoSchema = z.object({
  nodeName: z.string(),
  /** Node status as the cmdlet prints it (Scanning, Idle, Offline, Error…). */
  status: z.string(),
  /** The cmdlet shows True, False and (in Microsoft's own sample) Pending: kept as text. */
  isScanning: z.string(),
  summary: scanSummarySchema.nullable(),
});
export type NodeInfo = z.infer<typeof nodeInfoSchema>;

export const repositoryStateSchema = z.enum(["Skipped", "Pending", "Scanning", "Finished", "Unknown"]);
export const repositoryStatusSchema = z.object({
  path: z.string(),
  status: repositoryStateSchema,
});
export type RepositoryStatus = z.infer<typeof repositoryStatusSchema>;

/** The newest `DetailedReport_*.csv`: if it still grows, a slow scan is alive (the article's test). */
export const detailedReportSchema = z.object({
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  lastWriteTime: isoTime,
});

export const scanStatusSchema = z.object({
  observedAt: isoTime,
  nodeName: z.string(),
  /**
   * The agent's release, as in health, so `status <node>` needs no second call; agents built before it was
   * added leave it out (the bot then asks health).
   */
  agentVersion: z.string().optional(),
  agentRevision: z.string().optional(),
  cluster: z.string().nullable(),
  clusterStatus: clusterStatusSchema,
  /** The raw ClusterStatus text when it was not one of the documented values. */
  clusterStatusText: z.string().optional(),
  startTime: isoTime.nullable(),
  /** TimeFromStart as printed by the cmdlet (format varies by version). */
  timeFromStart: z.string().nullable(),
  elapsedSeconds: z.number().nonnegative().nullable(),
  /** This node's own entry from NodesInfo, if the cluster lists it. */
  node: nodeInfoSchema.nullable(),
  /** Every node of the cluster as this node's cmdlet reports them. */
  nodes: z.array(nodeInfoSchema),
  repositories: z.array(repositoryStatusSchema),
  detailedReport: detailedReportSchema.nullable(),
  service: serviceSchema,
  moduleGeneration: moduleGenerationSchema,
});
export type ScanStatus = z.infer<typeof scanStatusSchema>;

export const checkStatusSchema = z.enum(["ok", "warn", "error", "skipped"]);
export const diagnosticCheckSchema = z.object({
  /** Stable id, e.g. `policy-file`, `tls12`, `dynamic-ports`, `url:<host>`, `database`, `scanner-diagnostics`. */
  id: z.string(),
  title: z.string(),
  status: checkStatusSchema,
  detail: z.string(),
  /** Knowledge-base entry that explains a failure, when the agent can tell. */
  kbId: z.string().optional(),
});
export type DiagnosticCheck = z.infer<typeof diagnosticCheckSchema>;

export const diagnosticsSchema = z.object({
  nodeName: z.string(),
  ranAt: isoTime,
  durationMs: z.number().nonnegative(),
  checks: z.array(diagnosticCheckSchema),
  /** The whole transcript of Start-AIPScannerDiagnostics / Start-ScannerDiagnostics, capped. */
  transcript: z.string(),
});
export type Diagnostics = z.infer<typeof diagnosticsSchema>;

export const errorsQuerySchema = z.object({
  count: z.coerce.number().int().min(1).max(500).default(20),
});
export type ErrorsQuery = z.infer<typeof errorsQuerySchema>;

export const logEntrySchema = z.object({
  time: isoTime.nullable(),
  source: z.enum(["iplog", "eventlog"]),
  /** Log file (for rolled logs, `archive.zip!MSIPScanner.iplog`) or event log name. */
  origin: z.string(),
  eventId: z.number().int().optional(),
  level: z.string(),
  /** The whole error text, with its `--->` chain. */
  message: z.string(),
});
export type LogEntry = z.infer<typeof logEntrySchema>;

export const errorsSchema = z.object({
  nodeName: z.string(),
  entries: z.array(logEntrySchema),
  /** Files and logs that were read, newest first. */
  sources: z.array(z.string()),
  /** True when more matching entries existed than were returned. */
  truncated: z.boolean(),
});
export type ErrorsReport = z.infer<typeof errorsSchema>;

export const actionRequestSchema = z.object({
  action: guardedActionSchema,
  /** Idempotency key: the same id twice runs the action once and returns the first outcome. */
  requestId: z.string().uuid(),
  /** start-scan only: full rescan (`-Reset`). */
  reset: z.boolean().default(false),
});
export type ActionRequest = z.infer<typeof actionRequestSchema>;

export const actionResultSchema = z.object({
  action: guardedActionSchema,
  requestId: z.string(),
  outcome: z.enum(["done", "failed"]),
  message: z.string(),
  startedAt: isoTime,
  finishedAt: isoTime,
  /** export-logs: where the zip was written on the node. */
  artifactPath: z.string().optional(),
  /** True when this answer repeats an earlier run of the same requestId. */
  replayed: z.boolean().default(false),
});
export type ActionResult = z.infer<typeof actionResultSchema>;

/** Which scan cycle's reports: the newest one, or the one before it (read from its zip). */
export const reportCycleSchema = z.enum(["last", "previous"]);
export type ReportCycle = z.infer<typeof reportCycleSchema>;

/**
 * Which parts of a cycle's reports to read: everything (the default), or the Summary alone, which the
 * agent answers without opening the DetailedReport (hundreds of MB): the bot's expected total for a cycle.
 */
export const reportPartsSchema = z.enum(["all", "summary"]);
export type ReportParts = z.infer<typeof reportPartsSchema>;

/** `parts` absent means "all" (what an agent before it read anyway). */
export const reportQuerySchema = z.object({
  cycle: reportCycleSchema.default("last"),
  parts: reportPartsSchema.optional(),
});
export type ReportQuery = z.infer<typeof reportQuerySchema>;

const count = z.number().int().nonnegative();
/** A name with how many files carried it (a skip reason, a sensitive information type, a DLP rule). */
export const namedCountSchema = z.object({ name: z.string(), count });
export type NamedCount = z.infer<typeof namedCountSchema>;

/** Files whose label went from `from` (or none) to `to` in this cycle. */
export const labelChangeSchema = z.object({ from: z.string(), to: z.string(), count });
export type LabelChange = z.infer<typeof labelChangeSchema>;

/** Failed files with the same Status and Comment, and a few of their names relative to the repository root. */
export const failureGroupSchema = z.object({
  status: z.string(),
  comment: z.string(),
  count,
  examples: z.array(z.string()).max(5),
});
export type FailureGroup = z.infer<typeof failureGroupSchema>;

/** One repository's figures from a DetailedReport; lists are the top entries, sorted by count. */
export const repositoryReportSchema = z.object({
  repository: z.string(),
  files: count,
  classified: count,
  labeled: count,
  protected: count,
  failed: count,
  skipped: count,
  skippedBy: z.array(namedCountSchema),
  labels: z.array(labelChangeSchema),
  sensitiveTypes: z.array(namedCountSchema),
  failures: z.array(failureGroupSchema),
  dlpRules: z.array(namedCountSchema),
});
export type RepositoryReport = z.infer<typeof repositoryReportSchema>;

/** Why a report could not be read, or read only in part; the message is written for the channel. */
export const reportProblemSchema = z.object({
  code: z.enum([
    "no_report",
    "no_previous_cycle",
    "access_denied",
    "unreadable",
    "wrong_encoding",
    "not_a_report",
    "malformed_rows",
    "record_too_large",
    "unbalanced_quotes",
    "being_written",
    "time_limit",
    "summary_missing",
  ]),
  message: z.string(),
});
export type ReportProblem = z.infer<typeof reportProblemSchema>;

/**
 * Aggregates of one node's Summary and DetailedReport for one cycle. Never
 * rows, file contents or matched strings: only counts, label and type names,
 * scanner comments and a few file names relative to their repository.
 */
export const reportDigestSchema = z.object({
  nodeName: z.string(),
  cycle: reportCycleSchema,
  /** "summary": the DetailedReport was not read, so `detailedReport` is null and `repositories` empty by request. */
  parts: reportPartsSchema.optional(),
  detailedReport: z
    .object({
      /** File name only (inside its zip for an earlier cycle). */
      name: z.string(),
      zipped: z.boolean(),
      sizeBytes: count,
      lastWriteTime: isoTime.nullable(),
      encoding: z.enum(["utf-8", "utf-16le"]),
      bytesRead: count,
      rows: count,
      durationMs: z.number().nonnegative(),
      /** False when reading stopped early (time limit, a fatal format problem) or the file was still growing. */
      complete: z.boolean(),
      /** DLP columns were present (scanner with DLP enabled). */
      dlpColumns: z.boolean(),
      /** Header names the agent does not know; their values were ignored. */
      unknownColumns: z.array(z.string()),
    })
    .nullable(),
  summary: z
    .object({ name: z.string(), lastWriteTime: isoTime.nullable(), counts: z.array(namedCountSchema) })
    .nullable(),
  repositories: z.array(repositoryReportSchema),
  problems: z.array(reportProblemSchema),
});
export type ReportDigest = z.infer<typeof reportDigestSchema>;

/** Body of every non-2xx agent answer. */
export const agentErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type AgentError = z.infer<typeof agentErrorSchema>;
