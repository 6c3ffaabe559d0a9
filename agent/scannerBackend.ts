import type {
  ActionRequest,
  ActionResult,
  Diagnostics,
  ErrorsQuery,
  ErrorsReport,
  Health,
  ReportDigest,
  ReportQuery,
  ScanStatus,
} from "../src/wire/agentApi.js";

/**
 * What the agent server asks of a scanner node. Two implementations exist: the
 * PowerShell backend (a real Windows node) and the simulator (tests, demos).
 * The server validates every answer against the agent API schemas, so a
 * backend may throw or misbehave without putting bad JSON on the wire.
 */
export interface ScannerBackend {
  /** Agent, module generation and scanner service state. Cheap; called often. */
  health(): Promise<Health>;
  /** Get-AIPScannerStatus / Get-ScanStatus with repositories and the newest detailed report. */
  status(): Promise<ScanStatus>;
  /** The scanner's own diagnostics plus the agent's checks. Slow (seconds to minutes). */
  diagnostics(): Promise<Diagnostics>;
  /** The newest error entries from the scanner log (and event log when enabled). */
  errors(query: ErrorsQuery): Promise<ErrorsReport>;
  /** Aggregates of one cycle's Summary and DetailedReport, read on the node; never rows or file contents. */
  report(query: ReportQuery): Promise<ReportDigest>;
  /** Runs one guarded action. Expected failures come back as `outcome: "failed"`, not as a throw. */
  runAction(request: ActionRequest): Promise<ActionResult>;
}
