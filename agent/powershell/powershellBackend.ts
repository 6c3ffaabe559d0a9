import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { BotError } from "../../src/foundation/botError.js";
import { buildInfo } from "../../src/foundation/buildInfo.js";
import {
  type ActionRequest,
  type ActionResult,
  actionRequestSchema,
  type DiagnosticCheck,
  type Diagnostics,
  type ErrorsQuery,
  type ErrorsReport,
  errorsQuerySchema,
  type Health,
  type LogEntry,
  type ReportDigest,
  type ReportQuery,
  reportQuerySchema,
  type ScanStatus,
} from "../../src/wire/agentApi.js";
import {
  checkDatabase,
  type DatabaseFinding,
  type DatabaseTarget,
  databaseCheckResult,
  findingFromError,
  parseSqlInstance,
} from "../databaseCheck.js";
import { lazyReportReader } from "../reports/lazyReportReader.js";
import type { ReportReader } from "../reports/reportDigest.js";
import type { ReportListing } from "../reports/reportFiles.js";
import type { ScannerBackend } from "../scannerBackend.js";
import { diagnosticChecks } from "./diagnosticChecks.js";
import { readScannerErrors } from "./iplogReader.js";
import {
  parseProbeOutput,
  type RawDiagnostics,
  rawActionSchema,
  rawDiagnosticsSchema,
  rawErrorsSchema,
  rawHealthSchema,
  rawReportsSchema,
  rawStatusSchema,
} from "./probeOutputs.js";
import type { ProbeRunner } from "./probeRunner.js";
import { toScanStatus, toService } from "./statusProjection.js";

/** The fixed scripts shipped with the agent; nothing else is ever run. */
export const probeScripts = {
  health: "Get-ScannerHealth.ps1",
  status: "Get-ScannerStatus.ps1",
  diagnostics: "Start-ScannerDiagnosticsProbe.ps1",
  errors: "Get-ScannerErrors.ps1",
  action: "Invoke-ScannerAction.ps1",
  reports: "Get-ScannerReports.ps1",
} as const;
type ProbeName = keyof typeof probeScripts;

export const defaultScriptsDirectory = fileURLToPath(new URL("./scripts/", import.meta.url));

export interface PowershellDatabaseOptions {
  enabled: boolean;
  sqlInstance?: string;
  databaseName?: string;
  /** With auth, the agent logs in with mssql; without it the script uses the agent account's Windows login. */
  auth?: { kind: "sql"; user: string } | { kind: "ntlm"; domain: string; user: string };
  password?: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  timeoutMs: number;
}

export interface PowershellBackendOptions {
  nodeName: string;
  runner: ProbeRunner;
  scriptsDirectory?: string;
  timeoutMs: number;
  diagnosticsTimeoutMs: number;
  maxOutputBytes: number;
  logPath?: string;
  reportPath?: string;
  eventLog: boolean;
  urls: string[];
  database: PowershellDatabaseOptions;
  exportDirectory: string;
  now?: () => Date;
  /** Longest diagnostics transcript passed on. */
  maxTranscriptChars?: number;
  /** Reads report files; one per agent so its memory of digests is shared. */
  reportReader?: ReportReader;
  /** Replaceable for tests; defaults to the mssql check. */
  checkDatabase?: (target: DatabaseTarget) => Promise<DiagnosticCheck>;
}

/** A ScannerBackend that asks the real scanner through fixed PowerShell probes. */
export function createPowershellBackend(options: PowershellBackendOptions): ScannerBackend {
  const now = options.now ?? (() => new Date());
  const scripts = options.scriptsDirectory ?? defaultScriptsDirectory;
  const maxTranscript = options.maxTranscriptChars ?? 200_000;
  const inFlight = new Map<string, Promise<unknown>>();
  const reports = options.reportReader ?? lazyReportReader();

  /** Runs one probe script and parses its JSON; failures become a BotError with a safe message. */
  async function runProbe<T extends z.ZodType>(
    name: ProbeName,
    schema: T,
    input: Record<string, unknown>,
    timeoutMs = options.timeoutMs,
  ): Promise<z.output<T>> {
    const result = await options.runner.run({
      scriptPath: join(scripts, probeScripts[name]),
      input,
      timeoutMs,
      maxOutputBytes: options.maxOutputBytes,
    });
    if (!result.ok) {
      throw new BotError("probe_failed", `The ${name} probe failed: ${result.failure.message}`, {
        cause: result.failure,
      });
    }
    const parsed = parseProbeOutput(name, result.stdout, schema);
    if (!parsed.ok) throw parsed.error;
    return parsed.value;
  }

  /** Concurrent identical reads share one PowerShell process instead of starting one each. */
  function shared<T>(key: string, run: () => Promise<T>): Promise<T> {
    const running = inFlight.get(key);
    if (running) return running as Promise<T>;
    const started = run().finally(() => inFlight.delete(key));
    inFlight.set(key, started);
    return started;
  }

  async function databaseCheck(raw: RawDiagnostics): Promise<DiagnosticCheck> {
    const db = options.database;
    const title = "Scanner database";
    if (!db.enabled) return { id: "database", title, status: "skipped", detail: "Turned off in the agent config." };
    const instance = db.sqlInstance ?? raw.configuration?.sqlInstance ?? undefined;
    const databaseName = db.databaseName ?? raw.configuration?.databaseName ?? undefined;
    if (!instance || !databaseName) {
      return {
        id: "database",
        title,
        status: "skipped",
        detail:
          "The SQL instance and database are unknown: the scanner configuration did not name them and the agent config does not either.",
      };
    }
    if (db.auth && db.password !== undefined) {
      const target: DatabaseTarget = {
        ...parseSqlInstance(instance),
        databaseName,
        auth: { ...db.auth, password: db.password },
        encrypt: db.encrypt,
        trustServerCertificate: db.trustServerCertificate,
        timeoutMs: db.timeoutMs,
      };
      return (options.checkDatabase ?? checkDatabase)(target);
    }
    const probe = raw.database;
    if (!probe)
      return { id: "database", title, status: "skipped", detail: "The Windows-login database check did not run." };
    let finding: DatabaseFinding;
    if (!probe.connected) {
      finding = findingFromError({
        number: probe.errorNumber ?? undefined,
        message: probe.error ?? "connection failed",
      });
    } else if (probe.dbId == null) {
      finding = { kind: "database-missing" };
    } else {
      finding = {
        kind: "ok",
        state: probe.state ?? "UNKNOWN",
        collation: probe.collation,
        isDbOwner: probe.isDbOwner === true,
      };
    }
    const user = raw.profile?.account ?? "the agent's account";
    return databaseCheckResult(finding, { instance, databaseName, user });
  }

  return {
    health: () =>
      shared("health", async (): Promise<Health> => {
        const raw = await runProbe("health", rawHealthSchema, {});
        return {
          agentVersion: buildInfo.version,
          agentRevision: buildInfo.revision,
          nodeName: options.nodeName,
          backend: "powershell",
          moduleGeneration: raw.moduleGeneration,
          service: toService(raw.service),
          actionsEnabled: [],
          time: now().toISOString(),
        };
      }),

    status: () =>
      shared("status", async (): Promise<ScanStatus> => {
        const raw = await runProbe("status", rawStatusSchema, { reportPath: options.reportPath ?? null });
        return {
          ...toScanStatus(raw, options.nodeName, now()),
          agentVersion: buildInfo.version,
          agentRevision: buildInfo.revision,
        };
      }),

    diagnostics: () =>
      shared("diagnostics", async (): Promise<Diagnostics> => {
        const started = Date.now();
        const db = options.database;
        const raw = await runProbe(
          "diagnostics",
          rawDiagnosticsSchema,
          {
            verboseErrorCount: 30,
            maxTranscriptChars: maxTranscript,
            urls: options.urls,
            urlTimeoutMs: 10_000,
            database: {
              integrated: db.enabled && !db.auth,
              sqlInstance: db.sqlInstance ?? null,
              databaseName: db.databaseName ?? null,
              timeoutSeconds: Math.max(1, Math.round(db.timeoutMs / 1000)),
            },
          },
          options.diagnosticsTimeoutMs,
        );
        const checks = [...diagnosticChecks(raw, now()), await databaseCheck(raw)];
        const transcript =
          raw.transcript.length > maxTranscript
            ? `${raw.transcript.slice(0, maxTranscript)}\n[transcript cut at ${maxTranscript} characters]`
            : raw.transcript;
        return {
          nodeName: options.nodeName,
          ranAt: now().toISOString(),
          durationMs: Date.now() - started,
          checks,
          transcript,
        };
      }),

    errors: (requested: ErrorsQuery) => {
      // Validated here too: the count reaches a script, so it must be a bounded number whoever calls.
      const query = errorsQuerySchema.parse(requested);
      return shared(`errors:${query.count}`, async (): Promise<ErrorsReport> => {
        const raw = await runProbe("errors", rawErrorsSchema, {
          count: query.count,
          eventLog: options.eventLog,
          logPath: options.logPath ?? null,
        });
        let fromLog: Awaited<ReturnType<typeof readScannerErrors>>;
        try {
          fromLog = await readScannerErrors(raw.logDirectory, query.count);
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          if (code !== "ENOENT") {
            throw new BotError(
              "probe_failed",
              `Cannot read the scanner logs in ${raw.logDirectory} (${code ?? "error"}).`,
              {
                cause: err,
              },
            );
          }
          fromLog = { entries: [], sources: [], truncated: false };
        }
        const events: LogEntry[] = raw.events.map((e) => ({
          time: e.time,
          source: "eventlog",
          origin: e.logName,
          eventId: e.id,
          level: e.level ?? "Error",
          message: e.message ?? "",
        }));
        const merged = [...fromLog.entries, ...events].sort((a, b) => (b.time ?? "").localeCompare(a.time ?? ""));
        return {
          nodeName: options.nodeName,
          entries: merged.slice(0, query.count),
          sources: [...fromLog.sources, ...raw.eventLogs],
          truncated: fromLog.truncated || merged.length > query.count || events.length >= query.count,
        };
      });
    },

    report: (requested: ReportQuery) => {
      const query = reportQuerySchema.parse(requested);
      const parts = query.parts ?? "all";
      return shared(`report:${query.cycle}:${parts}`, async (): Promise<ReportDigest> => {
        // The script only lists the folder; the files are read here, in the agent's own process.
        const raw = await runProbe("reports", rawReportsSchema, {
          reportPath: options.reportPath ?? null,
          maxFiles: 200,
        });
        const listing = reportListing(raw);
        return parts === "summary"
          ? reports.summary(options.nodeName, query.cycle, listing)
          : reports.digest(options.nodeName, query.cycle, listing);
      });
    },

    async runAction(requested: ActionRequest): Promise<ActionResult> {
      const request = actionRequestSchema.parse(requested);
      const startedAt = now().toISOString();
      const done = (outcome: "done" | "failed", message: string, artifactPath?: string | null): ActionResult => ({
        action: request.action,
        requestId: request.requestId,
        outcome,
        message,
        startedAt,
        finishedAt: now().toISOString(),
        replayed: false,
        ...(artifactPath ? { artifactPath } : {}),
      });
      try {
        const raw = await runProbe(
          "action",
          rawActionSchema,
          { action: request.action, reset: request.reset, exportDirectory: options.exportDirectory },
          options.diagnosticsTimeoutMs,
        );
        return done(raw.outcome, raw.message.slice(0, 2000), raw.artifactPath);
      } catch (err) {
        // Reported, not thrown: a retried requestId must not run a half-finished restart again.
        const message = err instanceof BotError ? err.userMessage : "The action failed on this node.";
        return done("failed", `${message} Check the node before trying again.`);
      }
    },
  };
}

/** The reports probe's answer as a listing, or the problem that kept it from listing. */
function reportListing(raw: z.output<typeof rawReportsSchema>): ReportListing {
  if (raw.accessDenied) {
    return {
      ok: false,
      directory: raw.directory,
      problem: {
        code: "access_denied",
        message: `The agent's account may not list ${raw.directory} (access denied): give it read access to the scanner service account's Reports folder.`,
      },
    };
  }
  if (!raw.exists) {
    return {
      ok: false,
      directory: raw.directory,
      problem: {
        code: "no_report",
        message: `There is no Reports folder at ${raw.directory} yet: no scan has written a report on this node (or ReportLevel is Off).`,
      },
    };
  }
  return { ok: true, directory: raw.directory, files: raw.files };
}
