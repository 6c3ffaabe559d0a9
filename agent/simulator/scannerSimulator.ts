import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildInfo } from "../../src/foundation/buildInfo.js";
import type {
  ActionRequest,
  ActionResult,
  DiagnosticCheck,
  Diagnostics,
  ErrorsQuery,
  ErrorsReport,
  Health,
  LogEntry,
  NodeInfo,
  ReportDigest,
  ReportQuery,
  RepositoryStatus,
  ScanStatus,
} from "../../src/wire/agentApi.js";
import { lazyReportReader } from "../reports/lazyReportReader.js";
import type { ReportReader } from "../reports/reportDigest.js";
import type { ScannerBackend } from "../scannerBackend.js";
import {
  type ScenarioDefinition,
  type ScenarioProfile,
  type SimulatorScenario,
  scenarioDefinition,
  simulatorScenarios,
} from "./scenarioCatalog.js";
import { seededRandom } from "./seededRandom.js";

export { type SimulatorScenario, simulatorScenarios };

export type SimulatedModuleGeneration = "AzureInformationProtection" | "PurviewInformationProtection";

export interface ScannerSimulatorOptions {
  nodeName: string;
  cluster: string;
  /** Every node of the cluster, this one included; defaults to this node alone. */
  clusterNodes?: string[];
  /** Repository paths of the content scan job. */
  repositories?: string[];
  /** Scenario from the moment the simulator is created (default `healthy`). */
  scenario?: SimulatorScenario;
  /** Scenario changes, in seconds after the simulator was created. */
  timeline?: { atSeconds: number; scenario: SimulatorScenario }[];
  now?: () => Date;
  /** Varies repository sizes, file sizes and addresses between simulated nodes. */
  seed?: number;
  filesPerMinute?: number;
  moduleGeneration?: SimulatedModuleGeneration;
  /** The scanner service account (its profile holds the logs and reports). */
  serviceAccount?: string;
  sqlInstance?: string;
  /** Whether errors include the scanner's Windows event log (ids 3001-3007). */
  eventLog?: boolean;
  /**
   * How another node of the cluster looks right now. The real cmdlet reads every node's row from the
   * shared SQL database, so a simulated cluster passes its members' own rows here; without it the other
   * nodes are made up from this node's scenario.
   */
  peerNode?: (nodeName: string) => NodeInfo | null;
  /** Where the simulated Reports folder is written; a per-process temporary folder by default. */
  reportDirectory?: string;
  /** Reads the report files (shared with tests that bound it). */
  reportReader?: ReportReader;
}

let simulatorCount = 0;
let reportRoot: string | undefined;

/** The default Reports folders live under one temporary folder per process, removed when the process exits. */
function defaultReportDirectory(nodeName: string): string {
  if (!reportRoot) {
    const root = join(tmpdir(), `scanner-bot-simulator-${process.pid}`);
    reportRoot = root;
    process.once("exit", () => rmSync(root, { recursive: true, force: true }));
  }
  simulatorCount += 1;
  return join(reportRoot, `${nodeName.replace(/[^\w.-]/g, "_")}-${simulatorCount}`, "Reports");
}

/** Removes this process's simulated Reports folders now (test runners may end a process without its exit handlers). */
export function removeSimulatedReportFolders(): void {
  if (reportRoot) rmSync(reportRoot, { recursive: true, force: true });
}

/** A scanner node that exists only in memory; every number is a function of the injected clock. */
export interface ScannerSimulator extends ScannerBackend {
  setScenario(scenario: SimulatorScenario): void;
  readonly scenario: SimulatorScenario;
  /** This node's own row of the cluster status (null when the node is in no cluster). */
  ownNode(): NodeInfo | null;
}

/** The simulated scan ran this long before the simulator was created, so the first status looks lived-in. */
const warmUpMs = 15 * 60_000;
const reportHeaderBytes = 412;
const reportBytesPerFile = 236;
/** While one large file is processed, the detailed report still gains lines for its parts. */
const slowReportBytesPerSecond = 48;

interface Segment {
  atMs: number;
  scenario: SimulatorScenario;
}

const iso = (ms: number) => new Date(ms).toISOString();
const pad = (n: number) => String(n).padStart(2, "0");

/** TimeSpan.ToString() as PowerShell prints it: `hh:mm:ss`, or `d.hh:mm:ss` past a day. */
function timeSpanText(seconds: number): string {
  const whole = Math.floor(seconds);
  const days = Math.floor(whole / 86_400);
  const clock = `${pad(Math.floor((whole % 86_400) / 3600))}:${pad(Math.floor((whole % 3600) / 60))}:${pad(whole % 60)}`;
  return days > 0 ? `${days}.${clock}` : clock;
}

function reportStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}`;
}

/** Creates a simulated scanner node that answers like the PowerShell backend would. */
export function createScannerSimulator(options: ScannerSimulatorOptions): ScannerSimulator {
  const now = options.now ?? (() => new Date());
  const createdMs = now().getTime();
  const random = seededRandom(options.seed ?? 1);
  const filesPerSecond = (options.filesPerMinute ?? 120) / 60;
  const generation = options.moduleGeneration ?? "AzureInformationProtection";
  const aip = generation === "AzureInformationProtection";
  const service = aip
    ? { name: "AIPScanner", displayName: "Azure Information Protection Scanner" }
    : { name: "MIPScanner", displayName: "Microsoft Purview Information Protection Scanner" };
  // The scanner's event source is named after its service, so the log follows the client generation too.
  const eventLogName = service.displayName;
  const account = options.serviceAccount ?? "svc-scanner";
  const profileDir = `C:\\Users\\${account}\\AppData\\Local\\Microsoft\\MSIP`;
  const clusterNodes = options.clusterNodes?.length ? options.clusterNodes : [options.nodeName];
  const repositories = options.repositories ?? [
    "\\\\fs01.contoso.com\\Finance",
    "\\\\fs01.contoso.com\\HR",
    "https://contoso.sharepoint.local/sites/Legal/Shared Documents",
  ];
  const repositorySizes = repositories.map(() => 4000 + Math.floor(random() * 36_000));
  const averageFileBytes = 180_000 + Math.floor(random() * 400_000);
  const remoteEndpoint = `10.20.${1 + Math.floor(random() * 250)}.${1 + Math.floor(random() * 250)}:443`;
  const facts = {
    updateCmdlet: aip ? ("Update-AIPScanner" as const) : ("Update-ScannerDatabase" as const),
    remoteEndpoint,
    sqlInstance: options.sqlInstance ?? "SQL01\\SCANNER",
    databaseName: `AIPScannerUL_${options.cluster}`,
  };
  const definitions = new Map<SimulatorScenario, ScenarioDefinition>(
    simulatorScenarios.map((s) => [s, scenarioDefinition(s, facts)]),
  );
  const definition = (s: SimulatorScenario): ScenarioDefinition => {
    const found = definitions.get(s);
    if (!found) throw new Error(`Unknown simulator scenario: ${s}`);
    return found;
  };

  const segments: Segment[] = [
    { atMs: createdMs - warmUpMs, scenario: "healthy" as SimulatorScenario },
    { atMs: createdMs, scenario: options.scenario ?? "healthy" },
    ...(options.timeline ?? []).map((t) => ({ atMs: createdMs + t.atSeconds * 1000, scenario: t.scenario })),
  ].sort((a, b) => a.atMs - b.atMs);
  let scanStartMs = createdMs - warmUpMs;
  let exportCount = 0;
  const reportDirectory = options.reportDirectory ?? defaultReportDirectory(options.nodeName);
  const reportReader = options.reportReader ?? lazyReportReader();
  /** Which cycle state the files on disk show, and the write in progress (one at a time). */
  let reportsWrittenFor = "";
  let reportWrite: Promise<void> = Promise.resolve();

  function addSegment(atMs: number, scenario: SimulatorScenario): void {
    // Stable insert: a change made now lands after any timeline entry of the same instant.
    const index = segments.findIndex((s) => s.atMs > atMs);
    segments.splice(index === -1 ? segments.length : index, 0, { atMs, scenario });
  }

  function segmentAt(ms: number): { segment: Segment; index: number } {
    let index = 0;
    for (let i = 0; i < segments.length; i++) if ((segments[i] as Segment).atMs <= ms) index = i;
    return { segment: segments[index] as Segment, index };
  }

  /** Seconds within [from, to) spent in scenarios whose profile passes `test`. */
  function secondsWhere(from: number, to: number, test: (p: ScenarioProfile) => boolean): number {
    let total = 0;
    segments.forEach((segment, i) => {
      const end = Math.min(segments[i + 1]?.atMs ?? Number.POSITIVE_INFINITY, to);
      const start = Math.max(segment.atMs, from);
      if (end > start && test(definition(segment.scenario).profile)) total += end - start;
    });
    return total / 1000;
  }

  /** The last instant in [from, to] when `test` held, or null if it never did. */
  function lastMomentWhere(from: number, to: number, test: (p: ScenarioProfile) => boolean): number | null {
    let last: number | null = null;
    segments.forEach((segment, i) => {
      const end = Math.min(segments[i + 1]?.atMs ?? Number.POSITIVE_INFINITY, to);
      const start = Math.max(segment.atMs, from);
      if (end > start && test(definition(segment.scenario).profile)) last = end;
    });
    return last;
  }

  function counters(nowMs: number, factor: number) {
    const scannedFiles = Math.floor(secondsWhere(scanStartMs, nowMs, (p) => p.counting) * filesPerSecond * factor);
    const failedFiles = Math.floor(secondsWhere(scanStartMs, nowMs, (p) => p.failing) * filesPerSecond * factor * 0.4);
    return { scannedFiles, failedFiles };
  }

  function nodeInfo(name: string, index: number, profile: ScenarioProfile, nowMs: number): NodeInfo {
    // Other nodes of the cluster scan a little slower each; never below a fifth, so big clusters stay non-negative.
    const { scannedFiles, failedFiles } = counters(nowMs, Math.max(0.2, 1 - index * 0.12));
    return {
      nodeName: name,
      status: profile.nodeStatus,
      isScanning: profile.isScanning,
      summary: {
        scannedFiles,
        failedFiles,
        scannedBytes: scannedFiles * averageFileBytes,
        classified: Math.floor(scannedFiles * 0.18),
        labeled: Math.floor(scannedFiles * 0.11),
        extra: { ScannerID: name, Protected: String(Math.floor(scannedFiles * 0.04)), RemoveLabel: "0" },
      },
    };
  }

  function repositoryStates(scenario: SimulatorScenario, scannedFiles: number): RepositoryStatus[] {
    const profile = definition(scenario).profile;
    if (!profile.hasRepositories) return [];
    if (scenario === "finished") return repositories.map((path) => ({ path, status: "Finished" }));
    let remaining = scannedFiles;
    return repositories.map((path, i) => {
      const size = repositorySizes[i] ?? 0;
      const isLast = i === repositories.length - 1;
      let status: RepositoryStatus["status"];
      if (remaining >= size && !isLast) status = "Finished";
      else if (remaining >= 0) status = profile.isScanning === "True" ? "Scanning" : "Pending";
      else status = "Pending";
      remaining -= size;
      return { path, status };
    });
  }

  function serviceState(profile: ScenarioProfile) {
    return { ...service, state: profile.serviceRunning ? ("Running" as const) : ("Stopped" as const) };
  }

  const simulator: ScannerSimulator = {
    get scenario() {
      return segmentAt(now().getTime()).segment.scenario;
    },

    ownNode() {
      const nowMs = now().getTime();
      const { segment } = segmentAt(nowMs);
      if (segment.scenario === "no-cluster") return null;
      const index = Math.max(0, clusterNodes.indexOf(options.nodeName));
      return nodeInfo(options.nodeName, index, definition(segment.scenario).profile, nowMs);
    },

    setScenario(scenario) {
      definition(scenario);
      addSegment(now().getTime(), scenario);
    },

    async health(): Promise<Health> {
      const nowMs = now().getTime();
      const profile = definition(segmentAt(nowMs).segment.scenario).profile;
      return {
        agentVersion: buildInfo.version,
        agentRevision: buildInfo.revision,
        nodeName: options.nodeName,
        backend: "simulator",
        moduleGeneration: generation,
        service: serviceState(profile),
        actionsEnabled: [],
        time: iso(nowMs),
      };
    },

    async status(): Promise<ScanStatus> {
      const nowMs = now().getTime();
      const { segment } = segmentAt(nowMs);
      const profile = definition(segment.scenario).profile;
      const noCluster = segment.scenario === "no-cluster";
      const nodes = noCluster
        ? []
        : clusterNodes.map((name, i) =>
            name === options.nodeName
              ? nodeInfo(name, i, profile, nowMs)
              : (options.peerNode?.(name) ?? nodeInfo(name, i, profile, nowMs)),
          );
      const own = nodes.find((n) => n.nodeName === options.nodeName) ?? null;
      // A running scan's clock keeps going; an ended one shows how long it lasted.
      const endMs = profile.isScanning === "True" ? nowMs : Math.max(segment.atMs, scanStartMs);
      const elapsed = Math.max(0, (endMs - scanStartMs) / 1000);
      const lastGrowth = lastMomentWhere(scanStartMs, nowMs, (p) => p.reportGrows || p.counting);
      const reportBytes =
        reportHeaderBytes +
        (own?.summary?.scannedFiles ?? 0) * reportBytesPerFile +
        Math.floor(secondsWhere(scanStartMs, nowMs, (p) => p.reportGrows && !p.counting) * slowReportBytesPerSecond);
      return {
        observedAt: iso(nowMs),
        nodeName: options.nodeName,
        agentVersion: buildInfo.version,
        agentRevision: buildInfo.revision,
        cluster: options.cluster,
        clusterStatus: profile.clusterStatus,
        startTime: iso(scanStartMs),
        timeFromStart: timeSpanText(elapsed),
        elapsedSeconds: elapsed,
        node: own,
        nodes,
        repositories: repositoryStates(segment.scenario, own?.summary?.scannedFiles ?? 0),
        detailedReport: {
          path: `${profileDir}\\Scanner\\Reports\\DetailedReport_${reportStamp(scanStartMs)}.csv`,
          sizeBytes: reportBytes,
          lastWriteTime: iso(Math.floor((lastGrowth ?? scanStartMs) / 1000) * 1000),
        },
        service: serviceState(profile),
        moduleGeneration: generation,
      };
    },

    async diagnostics(): Promise<Diagnostics> {
      const nowMs = now().getTime();
      const scenario = segmentAt(nowMs).segment.scenario;
      const faults = definition(scenario).faults;
      const baseline: DiagnosticCheck[] = [
        { id: "service", title: "Scanner service", status: "ok", detail: `${service.name} is Running.` },
        {
          id: "policy-file",
          title: "Label policy file",
          status: "ok",
          detail: `${profileDir}\\mip\\MSIP.Scanner.exe\\mip\\mip.policies.sqlite3 exists.`,
        },
        {
          id: "tls12",
          title: "TLS 1.2 for .NET Framework",
          status: "ok",
          detail: "SchUseStrongCrypto=1 and SystemDefaultTlsVersions=1 (64-bit and WOW6432Node).",
        },
        {
          id: "dynamic-ports",
          title: "Dynamic TCP port range",
          status: "ok",
          detail: "Start port 49152, 16384 ports.",
        },
        {
          id: "url:login.microsoftonline.com",
          title: "https://login.microsoftonline.com",
          status: "ok",
          detail: "Reachable (HTTP 200).",
        },
        {
          id: "url:api.aadrm.com",
          title: "https://api.aadrm.com",
          status: scenario === "tls-connection-closed" ? "error" : "ok",
          detail:
            scenario === "tls-connection-closed"
              ? "The underlying connection was closed: An unexpected error occurred on a send."
              : "Reachable (HTTP 200).",
          ...(scenario === "tls-connection-closed" ? { kbId: "underlying-connection-was-closed" } : {}),
        },
        {
          id: "database",
          title: "Scanner database",
          status: "ok",
          detail: `${facts.databaseName} on ${facts.sqlInstance} is ONLINE; the service account is db_owner.`,
        },
        { id: "database-schema", title: "Scanner database schema", status: "ok", detail: "Schema is up to date." },
        { id: "authentication", title: "Authentication token", status: "ok", detail: "A token is cached." },
        {
          id: "labeling-conditions",
          title: "Automatic labeling conditions",
          status: "ok",
          detail: "The policy has labels with automatic conditions.",
        },
        { id: "cluster", title: "Scanner cluster", status: "ok", detail: `Cluster ${options.cluster} found.` },
        { id: "content-scan-job", title: "Content scan job", status: "ok", detail: "Content scan job found." },
        {
          id: "repositories",
          title: "Repositories",
          status: "ok",
          detail: `${repositories.length} repositories configured.`,
        },
      ];
      const checks = baseline.map((check) => {
        const fault = faults.find((f) => f.checkId === check.id);
        if (!fault) return check;
        return {
          id: check.id,
          title: fault.title,
          status: fault.status,
          detail: fault.detail,
          ...(fault.kbId ? { kbId: fault.kbId } : {}),
        };
      });
      const cmdlet = aip ? "Start-AIPScannerDiagnostics" : "Start-ScannerDiagnostics";
      const recent = (await simulator.errors({ count: 10 })).entries.filter((e) => e.source === "iplog");
      const transcript = [
        `PS C:\\> ${cmdlet} -Verbose -VerboseErrorCount 10`,
        ...checks
          .filter((c) => !c.id.startsWith("url:"))
          .map((c) => `${c.status === "ok" ? "VERBOSE" : "WARNING"}: ${c.title}: ${c.detail}`),
        recent.length > 0
          ? `VERBOSE: Last ${recent.length} errors from the scanner log:`
          : "VERBOSE: No errors found in the scanner log.",
        ...recent.map((e) => `${e.time ?? ""} ${e.message}`),
        `Diagnostics results were written to ${profileDir}\\Logs\\ScannerDiagnostics.log`,
      ].join("\r\n");
      return {
        nodeName: options.nodeName,
        ranAt: iso(nowMs),
        durationMs: 4200 + faults.length * 1300,
        checks,
        transcript,
      };
    },

    async errors(query: ErrorsQuery): Promise<ErrorsReport> {
      const nowMs = now().getTime();
      const activeLog = `${profileDir}\\Logs\\MSIPScanner.iplog`;
      const rolledLog = `${profileDir}\\Logs\\MSIPScanner.iplog.1.zip!MSIPScanner.iplog`;
      const withEvents = options.eventLog ?? true;
      const entries: LogEntry[] = [];
      // Walk backwards from now so a long-running scenario costs only `count` entries.
      for (let i = segmentAt(nowMs).index; i >= 0 && entries.length <= query.count; i--) {
        const segment = segments[i] as Segment;
        const { log, everySeconds } = definition(segment.scenario);
        if (log.length === 0) continue;
        const end = Math.min(segments[i + 1]?.atMs ?? Number.POSITIVE_INFINITY, nowMs + 1);
        const stepMs = everySeconds * 1000;
        for (
          let at = segment.atMs + Math.floor((end - 1 - segment.atMs) / stepMs) * stepMs;
          at >= segment.atMs;
          at -= stepMs
        ) {
          for (const line of [...log].reverse()) {
            if (withEvents && line.eventId !== undefined) {
              entries.push({
                time: iso(at),
                source: "eventlog",
                origin: eventLogName,
                eventId: line.eventId,
                level: line.level,
                message: line.message,
              });
            }
            entries.push({
              time: iso(at),
              source: "iplog",
              origin: nowMs - at > 3_600_000 ? rolledLog : activeLog,
              level: line.level,
              message: line.message,
            });
          }
          if (entries.length > query.count) break;
        }
      }
      const returned = entries.slice(0, query.count);
      const sources = [activeLog, ...(returned.some((e) => e.origin === rolledLog) ? [rolledLog] : [])];
      if (withEvents) sources.push(eventLogName);
      return { nodeName: options.nodeName, entries: returned, sources, truncated: entries.length > query.count };
    },

    async report(query: ReportQuery): Promise<ReportDigest> {
      const nowMs = now().getTime();
      const { segment } = segmentAt(nowMs);
      const profile = definition(segment.scenario).profile;
      const scanning = profile.isScanning === "True";
      const state = `${scanStartMs}:${scanning}`;
      // The report writer (a zip library) and the folder lister (a zip reader) load with the first report asked for.
      const { writeSimulatedReports } = await import("./simulatedReports.js");
      const { listReportFolder } = await import("../reports/reportFiles.js");
      reportWrite = reportWrite.then(async () => {
        if (reportsWrittenFor === state) return;
        const { scannedFiles } = counters(nowMs, 1);
        await writeSimulatedReports(
          {
            directory: reportDirectory,
            repositories,
            seed: options.seed ?? 1,
            generation: aip ? "classic" : "purview",
          },
          {
            startMs: scanStartMs,
            rows: Math.min(20_000, Math.max(50, scannedFiles)),
            ...(scanning ? {} : { finishedMs: Math.max(segment.atMs, scanStartMs) }),
          },
        );
        reportsWrittenFor = state;
      });
      await reportWrite;
      const listing = await listReportFolder(reportDirectory);
      return query.parts === "summary"
        ? reportReader.summary(options.nodeName, query.cycle, listing)
        : reportReader.digest(options.nodeName, query.cycle, listing);
    },

    async runAction(request: ActionRequest): Promise<ActionResult> {
      const nowMs = now().getTime();
      const scenario = segmentAt(nowMs).segment.scenario;
      const profile = definition(scenario).profile;
      const result = (outcome: "done" | "failed", message: string, artifactPath?: string): ActionResult => ({
        action: request.action,
        requestId: request.requestId,
        outcome,
        message,
        startedAt: iso(nowMs),
        finishedAt: iso(nowMs),
        replayed: false,
        ...(artifactPath ? { artifactPath } : {}),
      });
      switch (request.action) {
        case "restart-service":
          // A restart clears a hung scanner process; configuration errors survive it.
          if (scenario === "service-stopped" || scenario === "stalled") addSegment(nowMs, "healthy");
          return result("done", `Restarted service ${service.name}.`);
        case "start-scan":
          if (!profile.serviceRunning) {
            return result("failed", `The ${service.name} service is not running; start it before starting a scan.`);
          }
          if (profile.clusterStatus === "Error") {
            return result("failed", "The cluster reports an error; fix it (see diagnostics) before starting a scan.");
          }
          if (profile.isScanning === "True") return result("done", `A scan is already running on ${options.cluster}.`);
          scanStartMs = nowMs;
          addSegment(nowMs, "healthy");
          return result("done", request.reset ? "Full rescan started (-Reset)." : "Scan started.");
        case "stop-scan":
          if (profile.isScanning !== "True") return result("done", `No scan is running on ${options.cluster}.`);
          addSegment(nowMs, "idle");
          return result("done", "Scan stopped; it can take up to 5 minutes to reach every node of the cluster.");
        case "export-logs": {
          exportCount += 1;
          const path = `C:\\ProgramData\\ScannerBot\\exports\\MSIP-logs-${reportStamp(nowMs)}-${exportCount}.zip`;
          return result("done", `Logs exported with ${aip ? "Export-AIPLogs" : "Export-DebugLogs"}.`, path);
        }
      }
    },
  };
  return simulator;
}
