import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import AdmZip from "adm-zip";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import {
  createPowershellBackend,
  defaultScriptsDirectory,
  probeScripts,
} from "../../agent/powershell/powershellBackend.js";
import { createProbeRunner, probeInputVariable } from "../../agent/powershell/probeRunner.js";
import { BotError } from "../../src/foundation/botError.js";
import {
  agentErrorSchema,
  agentPaths,
  diagnosticsSchema,
  errorsSchema,
  healthSchema,
  reportDigestSchema,
  scanStatusSchema,
} from "../../src/wire/agentApi.js";
import { until } from "../support/until.js";
import { agentRequest } from "./signedClient.js";

const fakeDir = join(import.meta.dirname, "..", "support", "fakePowershell");
const fixtures = join(import.meta.dirname, "..", "fixtures", "powershell");
const now = () => new Date("2026-11-25T10:18:00Z");

let work: string;
let logDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "scanner-agent-ps-"));
  logDir = join(work, "Logs");
  const { mkdir } = await import("node:fs/promises");
  await mkdir(logDir);
  await copyFile(join(fixtures, "logs", "MSIPScanner.iplog"), join(logDir, "MSIPScanner.iplog"));
  // The reports probe's fixture lists this folder; the agent reads the file itself.
  await copyFile(
    join(fixtures, "..", "reports", "classic-utf16le.csv"),
    join(logDir, "DetailedReport_2026_11_25_08_00_00.csv"),
  );
  // The scanner zips rolled logs; build one the way it would look on a node.
  const zip = new AdmZip();
  zip.addFile("MSIPScanner.1.iplog", readFileSync(join(fixtures, "logs", "MSIPScanner.1.iplog.txt")));
  const zipPath = join(logDir, "MSIPScanner.iplog.1.zip");
  zip.writeZip(zipPath);
  const yesterday = new Date("2026-11-24T22:20:00Z");
  await utimes(zipPath, yesterday, yesterday);
  // The active log's timestamp says nothing about order (a restored or copied log, a clock change, or, as on a
  // busy test machine, a zip built a second after the copy): it is older than the roll here on purpose.
  const restored = new Date("2026-11-20T08:00:00Z");
  await utimes(join(logDir, "MSIPScanner.iplog"), restored, restored);
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

type Mode = "fixture" | "hang" | "flood" | "exit" | "garbage";

function backendFor(
  generation: "aip" | "purview",
  options: { mode?: Mode; timeoutMs?: number; maxOutputBytes?: number; calls?: string; pidFile?: string } = {},
) {
  const runner = createProbeRunner({
    env: {
      PATH: `${fakeDir}${delimiter}${process.env.PATH ?? ""}`,
      FAKE_PS_FIXTURES: join(fixtures, generation),
      FAKE_PS_MODE: options.mode ?? "fixture",
      FAKE_PS_LOGDIR: logDir,
      ...(options.calls ? { FAKE_PS_CALLS: options.calls } : {}),
      ...(options.pidFile ? { FAKE_PS_PIDFILE: options.pidFile } : {}),
    },
  });
  return createPowershellBackend({
    nodeName: generation === "aip" ? "SCAN01" : "MIPSCAN03",
    runner,
    timeoutMs: options.timeoutMs ?? 10_000,
    diagnosticsTimeoutMs: options.timeoutMs ?? 10_000,
    maxOutputBytes: options.maxOutputBytes ?? 1024 * 1024,
    eventLog: true,
    urls: ["https://login.microsoftonline.com", "https://api.aadrm.com"],
    database: { enabled: true, encrypt: true, trustServerCertificate: false, timeoutMs: 5000 },
    exportDirectory: "C:\\ProgramData\\ScannerBot\\exports",
    now,
  });
}

/** A killed process whose new parent has not reaped it yet is a zombie: dead for our purposes. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const status = existsSync(`/proc/${pid}/status`) ? readFileSync(`/proc/${pid}/status`, "utf8") : "";
  return !/^State:\s+Z/m.test(status);
}

const failureOf = async (promise: Promise<unknown>): Promise<BotError> => {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BotError);
  return err as BotError;
};

describe("PowerShell backend, AzureInformationProtection fixtures", () => {
  // Built per test: the fixture log folder only exists once beforeAll has run.
  const backend = () => backendFor("aip");

  it("reads health", async () => {
    const health = healthSchema.parse(await backend().health());
    expect(health).toMatchObject({
      backend: "powershell",
      nodeName: "SCAN01",
      moduleGeneration: "AzureInformationProtection",
      service: { name: "AIPScanner", state: "Running", displayName: "Azure Information Protection Scanner" },
    });
  });

  it("lists the Reports folder with the fixed script and aggregates the report in the agent", async () => {
    const calls = join(work, "report-calls.jsonl");
    const digest = reportDigestSchema.parse(await backendFor("aip", { calls }).report({ cycle: "last" }));
    expect(digest.detailedReport).toMatchObject({ name: "DetailedReport_2026_11_25_08_00_00.csv", rows: 8 });
    expect(digest.repositories.map((r) => [r.repository, r.files])).toEqual([
      ["\\\\fs01.contoso.com\\Finance", 4],
      ["\\\\fs01.contoso.com\\HR", 4],
    ]);
    const call = JSON.parse((await readFile(calls, "utf8")).trim().split("\n")[0] ?? "{}");
    expect(call.script).toBe("Get-ScannerReports");
    expect(JSON.parse(call.input)).toEqual({ reportPath: null, maxFiles: 200 });
  });

  it("projects Get-AIPScannerStatus with repositories and the detailed report", async () => {
    const status = scanStatusSchema.parse(await backend().status());
    expect(status.cluster).toBe("contoso-prod");
    expect(status.clusterStatus).toBe("Scanning");
    expect(status.startTime).toBe("2026-11-25T09:05:02.000Z");
    expect(status.elapsedSeconds).toBe(3600 + 12 * 60 + 37);
    expect(status.nodes).toHaveLength(2);
    // The cmdlet prints the FQDN; the agent's node name is the short one.
    expect(status.node?.nodeName).toBe("SCAN01.corp.contoso.com");
    expect(status.node?.summary).toMatchObject({ scannedFiles: 2280, scannedBytes: 78478187, failedFiles: 0 });
    expect(status.node?.summary?.extra).toMatchObject({
      SkippedDueToNoMatch: "2201",
      ScannerID: "SCAN01.corp.contoso.com",
    });
    expect(status.nodes[1]?.isScanning).toBe("Pending");
    expect(status.repositories.map((r) => r.status)).toEqual(["Finished", "Scanning", "Pending"]);
    expect(status.detailedReport).toEqual({
      path: "C:\\Users\\svc-aipscanner\\AppData\\Local\\Microsoft\\MSIP\\Scanner\\Reports\\DetailedReport_2026_11_25_09_05_02.csv",
      sizeBytes: 538712,
      lastWriteTime: "2026-11-25T10:17:31.881Z",
    });
  });

  it("judges the diagnostics facts and keeps the transcript", async () => {
    const diagnostics = diagnosticsSchema.parse(await backend().diagnostics());
    const byId = new Map(diagnostics.checks.map((c) => [c.id, c]));
    expect(byId.get("scanner-diagnostics")).toMatchObject({ status: "error", kbId: "mismatched-or-outdated-schema" });
    expect(byId.get("policy-file")?.status).toBe("ok");
    expect(byId.get("tls12")?.status).toBe("ok");
    expect(byId.get("dynamic-ports")).toMatchObject({
      status: "ok",
      detail: expect.stringContaining("Start port 49152, 16384 ports"),
    });
    expect(byId.get("url:api.aadrm.com")).toMatchObject({ status: "ok", detail: "Reachable (HTTP 401)." });
    expect(byId.get("database")).toMatchObject({ status: "ok" });
    expect(byId.get("database")?.detail).toMatch(/AIPScannerUL_contoso-prod on SQL01\\SCANNER is ONLINE/);
    expect(diagnostics.transcript).toContain("Checking database connectivity... Passed");
  });

  it("merges the iplog, its zipped roll and the event log, newest first", async () => {
    const report = errorsSchema.parse(await backend().errors({ count: 10 }));
    expect(report.entries.map((e) => [e.source, e.time])).toEqual([
      ["iplog", "2026-11-25T06:41:12.118Z"],
      ["eventlog", "2026-11-25T06:41:12.118Z"],
      ["iplog", "2026-11-25T06:36:12.104Z"],
      ["iplog", "2026-11-24T22:15:44.001Z"],
      ["iplog", "2026-11-24T22:14:05.310Z"],
    ]);
    const rolled = report.entries[4];
    expect(rolled?.origin).toBe(`${join(logDir, "MSIPScanner.iplog.1.zip")}!MSIPScanner.1.iplog`);
    expect(rolled?.message).toContain(
      "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: Only one usage of each socket address",
    );
    expect(rolled?.message).toContain("--- End of inner exception stack trace ---");
    expect(report.entries[2]?.message).toMatch(/SchemaMismatchException[\s\S]*at Microsoft\.InformationProtection/);
    expect(report.entries[1]?.eventId).toBe(3004);
    expect(report.sources[0]).toBe(join(logDir, "MSIPScanner.iplog"));
    expect(report.sources).toContain("Azure Information Protection Scanner");
    expect(report.truncated).toBe(false);

    const few = await backend().errors({ count: 2 });
    expect(few.entries).toHaveLength(2);
    expect(few.truncated).toBe(true);
  });

  it("runs an action and returns the exported zip", async () => {
    const result = await backend().runAction({
      action: "export-logs",
      requestId: "9b0f8c47-6a8e-4f43-9d55-2a4f3e0f2a11",
      reset: false,
    });
    expect(result).toMatchObject({ outcome: "done", action: "export-logs" });
    expect(result.artifactPath).toMatch(/MSIP-logs-.*\.zip$/);
  });
});

describe("PowerShell backend, PurviewInformationProtection fixtures", () => {
  it("words a Reports folder the agent's account may not list", async () => {
    const digest = await backendFor("purview").report({ cycle: "last" });
    expect(digest.detailedReport).toBeNull();
    expect(digest.problems).toEqual([
      {
        code: "access_denied",
        message:
          "The agent's account may not list C:\\Users\\svc-scanner\\AppData\\Local\\Microsoft\\MSIP\\Scanner\\Reports (access denied): give it read access to the scanner service account's Reports folder.",
      },
    ]);
  });

  const backend = () => backendFor("purview");

  it("reads a stopped node with a single-node cluster that 5.1 unwrapped", async () => {
    const status = scanStatusSchema.parse(await backend().status());
    expect(status.moduleGeneration).toBe("PurviewInformationProtection");
    expect(status.service).toMatchObject({ name: "MIPScanner", state: "Stopped" });
    expect(status.clusterStatus).toBe("Offline");
    expect(status.startTime).toBe("2026-11-25T05:00:00.000Z");
    expect(status.elapsedSeconds).toBe(2 * 86_400 + 3 * 3600 + 4 * 60 + 5);
    expect(status.nodes).toHaveLength(1);
    expect(status.node?.summary?.scannedFiles).toBe(1_204_377);
    expect(status.repositories).toEqual([]);
    expect(status.detailedReport).toBeNull();
  });

  it("finds every failure the facts show, each with its article section", async () => {
    const diagnostics = diagnosticsSchema.parse(await backend().diagnostics());
    const byId = new Map(diagnostics.checks.map((c) => [c.id, c]));
    expect(byId.get("service")?.status).toBe("error");
    expect(byId.get("scanner-diagnostics")).toMatchObject({ status: "error", kbId: "authentication-token-missing" });
    expect(byId.get("policy-file")).toMatchObject({ status: "error", kbId: "policy-missing" });
    expect(byId.get("tls12")).toMatchObject({ status: "error", kbId: "underlying-connection-was-closed" });
    expect(byId.get("tls12")?.detail).toContain("WOW6432Node");
    // French netsh labels: the numbers are read by position.
    expect(byId.get("dynamic-ports")).toMatchObject({ status: "error", kbId: "unable-to-connect-to-remote-server" });
    expect(byId.get("dynamic-ports")?.detail).toContain("Start port 50000, 5000 ports; 4620 connections in TIME_WAIT");
    expect(byId.get("url:api.aadrm.com")).toMatchObject({ status: "error", kbId: "underlying-connection-was-closed" });
    expect(byId.get("database")).toMatchObject({ status: "error", kbId: "database-errors" });
    expect(byId.get("database")?.detail).toMatch(/rejected the login of FABRIKAM\\svc-mipscanner/);
  });

  it("reports a failed action as failed, with the cmdlet's words", async () => {
    const result = await backend().runAction({
      action: "start-scan",
      requestId: "0c0d5bb2-6a4c-4a31-8f5e-8f6f0a0f1b22",
      reset: true,
    });
    expect(result).toMatchObject({ outcome: "failed" });
    expect(result.message).toMatch(/service is not running/);
  });

  it("takes a single event that 5.1 printed as a bare object and sorts it among the log entries", async () => {
    const report = errorsSchema.parse(await backend().errors({ count: 3 }));
    expect(report.entries.map((e) => [e.source, e.eventId ?? null, e.time])).toEqual([
      ["eventlog", 3005, "2026-11-25T07:55:03.204Z"],
      ["iplog", null, "2026-11-25T06:41:12.118Z"],
      ["iplog", null, "2026-11-25T06:36:12.104Z"],
    ]);
    expect(report.entries[0]?.message).toBe("No policies found. Policy is missing");
    expect(report.truncated).toBe(true);
  });
});

describe("probe runner", () => {
  let server: RunningAgentServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("runs a fixed script file with fixed switches and passes parameters as data", async () => {
    const calls = join(work, "calls.jsonl");
    await backendFor("aip", { calls }).errors({ count: 7 });
    const call = JSON.parse((await readFile(calls, "utf8")).trim().split("\n")[0] ?? "{}");
    const script = join(defaultScriptsDirectory, probeScripts.errors);
    expect(call.args).toEqual(["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", script]);
    expect(existsSync(script)).toBe(true);
    expect(JSON.parse(call.input)).toEqual({ count: 7, eventLog: true, logPath: null });
    expect(probeInputVariable).toBe("SCANNER_BOT_PROBE_INPUT");
  });

  it("turns malformed output into a clear probe failure", async () => {
    const err = await failureOf(backendFor("aip", { mode: "garbage" }).status());
    expect(err.code).toBe("probe_failed");
    expect(err.userMessage).toBe("The status probe printed malformed JSON.");
  });

  it("reports a non-zero exit", async () => {
    const err = await failureOf(backendFor("aip", { mode: "exit" }).health());
    expect(err.userMessage).toBe("The health probe failed: The probe exited with code 3.");
  });

  it("stops a hanging probe and its children at the deadline", async () => {
    const pidFile = join(work, "hang.pid");
    // A hanging probe never ends by itself: an answer at all means the deadline stopped it.
    const err = await failureOf(backendFor("aip", { mode: "hang", timeoutMs: 700, pidFile }).status());
    expect(err.userMessage).toMatch(/did not finish within 1 s and was stopped/);
    const grandchild = Number(await readFile(pidFile, "utf8"));
    // Killing the tree takes a moment on a busy machine: wait for it, within a generous bound.
    await until(() => !isAlive(grandchild), "the probe's grandchild to be gone", 15_000);
  });

  it("stops a probe that floods its output", async () => {
    const err = await failureOf(backendFor("aip", { mode: "flood", maxOutputBytes: 256 * 1024 }).diagnostics());
    expect(err.userMessage).toMatch(/wrote more than 262144 bytes/);
  });

  it("reports a missing executable", async () => {
    const runner = createProbeRunner({ executable: "/nonexistent/powershell" });
    const result = await runner.run({ scriptPath: "x.ps1", timeoutMs: 1000, maxOutputBytes: 1024 });
    expect(result).toEqual({
      ok: false,
      failure: { kind: "spawn", message: "Cannot start /nonexistent/powershell (not found)." },
    });
  });

  it("reports an action whose probe hung as failed instead of throwing", async () => {
    const result = await backendFor("aip", { mode: "hang", timeoutMs: 500 }).runAction({
      action: "restart-service",
      requestId: "3e5e2d55-2b5c-4a53-9a34-17f0b0b2b0c3",
      reset: false,
    });
    expect(result.outcome).toBe("failed");
    expect(result.message).toMatch(/did not finish/);
  });

  it("serves probe results through a real agent server, and failures as 500 probe_failed", async () => {
    server = await startAgentServer({ backend: backendFor("aip"), secrets: ["test-secret"], actionsEnabled: [] });
    const ok = await agentRequest(server.url, agentPaths.status);
    expect(ok.status).toBe(200);
    expect(scanStatusSchema.parse(ok.json).clusterStatus).toBe("Scanning");
    await server.close();

    server = await startAgentServer({
      backend: backendFor("aip", { mode: "garbage" }),
      secrets: ["test-secret"],
      actionsEnabled: [],
    });
    const bad = await agentRequest(server.url, agentPaths.status);
    expect(bad.status).toBe(500);
    expect(agentErrorSchema.parse(bad.json).error).toEqual({
      code: "probe_failed",
      message: "The status probe printed malformed JSON.",
    });
  });
});
