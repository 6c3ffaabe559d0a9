import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createScannerSimulator,
  type ScannerSimulatorOptions,
  type SimulatorScenario,
  simulatorScenarios,
} from "../../agent/simulator/scannerSimulator.js";
import {
  diagnosticsSchema,
  errorsSchema,
  healthSchema,
  type ScanStatus,
  scanStatusSchema,
} from "../../src/wire/agentApi.js";

/** A clock the test moves by hand. */
function fakeClock(start = "2026-11-25T08:00:00Z") {
  let ms = Date.parse(start);
  return {
    now: () => new Date(ms),
    advance: (seconds: number) => {
      ms += seconds * 1000;
    },
  };
}

function simulated(options: Partial<ScannerSimulatorOptions> = {}) {
  const clock = fakeClock();
  const sim = createScannerSimulator({ nodeName: "SCAN01", cluster: "contoso-prod", now: clock.now, ...options });
  const status = async (): Promise<ScanStatus> => scanStatusSchema.parse(await sim.status());
  return { sim, clock, status };
}

const files = (s: ScanStatus) => s.node?.summary?.scannedFiles ?? -1;

describe("scanner simulator", () => {
  it("grows counters and the detailed report with time when healthy", async () => {
    const { clock, status } = simulated({ filesPerMinute: 120 });
    const before = await status();
    clock.advance(60);
    const after = await status();
    expect(files(after) - files(before)).toBe(120);
    expect(after.node?.summary?.scannedBytes).toBeGreaterThan(before.node?.summary?.scannedBytes ?? 0);
    expect(after.detailedReport?.sizeBytes).toBeGreaterThan(before.detailedReport?.sizeBytes ?? 0);
    expect(after.detailedReport?.lastWriteTime).toBe("2026-11-25T08:01:00.000Z");
    expect(after.clusterStatus).toBe("Scanning");
    expect(after.repositories.map((r) => r.status)).toContain("Scanning");
    expect(after.elapsedSeconds).toBe(before.elapsedSeconds === null ? null : before.elapsedSeconds + 60);
  });

  it("freezes counters and the detailed report from the moment a stall starts", async () => {
    const { clock, status } = simulated({ timeline: [{ atSeconds: 120, scenario: "stalled" }] });
    clock.advance(120);
    const atStall = await status();
    clock.advance(3600);
    const hourLater = await status();
    expect(files(hourLater)).toBe(files(atStall));
    expect(hourLater.detailedReport).toEqual(atStall.detailedReport);
    expect(hourLater.detailedReport?.lastWriteTime).toBe("2026-11-25T08:02:00.000Z");
    // Still claims to be scanning: that is what makes a stall hard to see.
    expect(hourLater.clusterStatus).toBe("Scanning");
    expect(hourLater.observedAt).not.toBe(atStall.observedAt);
  });

  it("keeps counters flat but grows the detailed report on a slow large file", async () => {
    const { sim, clock, status } = simulated();
    sim.setScenario("slow-large-file");
    const start = await status();
    clock.advance(600);
    const later = await status();
    expect(files(later)).toBe(files(start));
    expect(later.detailedReport?.sizeBytes).toBeGreaterThan(start.detailedReport?.sizeBytes ?? 0);
    expect(later.detailedReport?.lastWriteTime).toBe("2026-11-25T08:10:00.000Z");
  });

  it("gives the same numbers for the same seed and clock", async () => {
    const a = await simulated({ seed: 42 }).status();
    const b = await simulated({ seed: 42 }).status();
    const c = await simulated({ seed: 43 }).status();
    expect(a).toEqual(b);
    expect(a.node?.summary?.scannedBytes).not.toBe(c.node?.summary?.scannedBytes);
  });

  it("follows its timeline", async () => {
    const { sim, clock, status } = simulated({
      timeline: [
        { atSeconds: 60, scenario: "database-error" },
        { atSeconds: 300, scenario: "healthy" },
      ],
    });
    expect(sim.scenario).toBe("healthy");
    clock.advance(61);
    expect(sim.scenario).toBe("database-error");
    expect((await status()).clusterStatus).toBe("Error");
    clock.advance(300);
    expect(sim.scenario).toBe("healthy");
  });

  it("answers schema-valid data in every scenario", async () => {
    for (const scenario of simulatorScenarios) {
      const { sim, clock } = simulated({ scenario, clusterNodes: ["SCAN01", "SCAN02"] });
      clock.advance(1800);
      healthSchema.parse(await sim.health());
      scanStatusSchema.parse(await sim.status());
      diagnosticsSchema.parse(await sim.diagnostics());
      errorsSchema.parse(await sim.errors({ count: 20 }));
    }
  });

  const expectations: [SimulatorScenario, string, string, number | undefined][] = [
    [
      "auth-token-not-accepted",
      "authentication-token-not-accepted",
      "Microsoft.InformationProtection.Exceptions.AccessDeniedException: The service didn't accept the auth token.",
      3001,
    ],
    [
      "auth-token-missing",
      "authentication-token-missing",
      "NoAuthTokenException: Client application failed to provide authentication token for HTTP request",
      3001,
    ],
    ["policy-missing", "policy-missing", "Policy is missing", 3005],
    [
      "no-labeling-conditions",
      "policy-doesnt-include-automatic-labeling-conditions",
      "Policy is missing labeling conditions",
      3002,
    ],
    ["database-error", "database-errors", "DB error", 3003],
    ["schema-mismatch", "mismatched-or-outdated-schema", "SchemaMismatchException", 3004],
    [
      "tls-connection-closed",
      "underlying-connection-was-closed",
      "The underlying connection was closed: An unexpected error occurred on a send.",
      undefined,
    ],
    [
      "port-exhaustion",
      "unable-to-connect-to-remote-server",
      "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: Only one usage of each socket address (protocol/network address/port) is normally permitted",
      undefined,
    ],
    ["no-repositories", "no-repositories-configured", "No repositories are configured", undefined],
    ["no-cluster", "no-cluster-found", "No cluster found", undefined],
    ["missing-content-scan-job", "missing-content-scan-job-or-profile", "No content scan job found", 3007],
  ];

  it.each(expectations)("%s: status, diagnostics and errors agree", async (scenario, kbId, text, eventId) => {
    const { sim, clock, status } = simulated({ scenario });
    clock.advance(900);
    const diagnostics = diagnosticsSchema.parse(await sim.diagnostics());
    const failing = diagnostics.checks.filter((c) => c.status !== "ok");
    expect(failing.map((c) => c.kbId)).toContain(kbId);
    const errors = errorsSchema.parse(await sim.errors({ count: 50 }));
    const iplog = errors.entries.filter((e) => e.source === "iplog");
    expect(iplog.length).toBeGreaterThan(0);
    expect(iplog.every((e) => e.message.includes(text) || scenario === "auth-token-missing")).toBe(true);
    expect(iplog.some((e) => e.message.includes(text))).toBe(true);
    const events = errors.entries.filter((e) => e.source === "eventlog").map((e) => e.eventId);
    if (eventId === undefined) expect(events).toEqual([]);
    else expect(events).toContain(eventId);
    const scan = await status();
    if (scenario === "port-exhaustion") {
      expect(scan.clusterStatus).toBe("Scanning");
      expect(scan.node?.summary?.failedFiles).toBeGreaterThan(0);
    } else {
      expect(scan.clusterStatus).toBe("Error");
    }
  });

  it("words the schema message for the node's client generation", async () => {
    const aip = simulated({ scenario: "schema-mismatch" });
    const purview = simulated({ scenario: "schema-mismatch", moduleGeneration: "PurviewInformationProtection" });
    const first = (s: typeof aip) => s.sim.errors({ count: 1 }).then((r) => r.entries[0]?.message ?? "");
    expect(await first(aip)).toMatch(/Run Update-AIPScanner command/);
    expect(await first(purview)).toMatch(/Run Update-ScannerDatabase command/);
    expect((await purview.sim.health()).service.name).toBe("MIPScanner");
  });

  it("returns the newest errors first, marks truncation and names rolled logs", async () => {
    const { clock, sim } = simulated({ scenario: "database-error", eventLog: false });
    clock.advance(3 * 3600);
    const report = await sim.errors({ count: 200 });
    expect(report.truncated).toBe(false);
    const times = report.entries.map((e) => e.time ?? "");
    expect([...times].sort().reverse()).toEqual(times);
    expect(report.entries.some((e) => e.origin.includes(".zip!MSIPScanner.iplog"))).toBe(true);
    expect(report.entries.every((e) => e.source === "iplog")).toBe(true);
    const few = await sim.errors({ count: 3 });
    expect(few.entries).toHaveLength(3);
    expect(few.truncated).toBe(true);
  });

  it("reports no errors while healthy and a stopped service when stopped", async () => {
    const { sim, status } = simulated();
    expect((await sim.errors({ count: 20 })).entries).toEqual([]);
    sim.setScenario("service-stopped");
    const scan = await status();
    expect(scan.service.state).toBe("Stopped");
    expect(scan.clusterStatus).toBe("Offline");
    const checks = (await sim.diagnostics()).checks;
    expect(checks.find((c) => c.id === "service")?.status).toBe("error");
  });

  it("acts on guarded actions the way the scanner would", async () => {
    const { sim, clock, status } = simulated({ scenario: "stalled" });
    const act = (action: "restart-service" | "start-scan" | "stop-scan", reset = false) =>
      sim.runAction({ action, requestId: randomUUID(), reset });
    const stalledFiles = files(await status());
    expect((await act("restart-service")).outcome).toBe("done");
    clock.advance(60);
    expect(files(await status())).toBeGreaterThan(stalledFiles);
    expect((await act("stop-scan")).outcome).toBe("done");
    expect((await status()).clusterStatus).toBe("Idle");
    expect((await act("start-scan", true)).message).toMatch(/Full rescan/);
    clock.advance(30);
    expect(files(await status())).toBe(60);
    sim.setScenario("service-stopped");
    expect((await act("start-scan")).outcome).toBe("failed");
  });
});

describe("scanner simulator in a big cluster", () => {
  it("reports valid, non-negative counters for every node of a 40-node cluster", async () => {
    const clusterNodes = Array.from({ length: 40 }, (_, i) => `SCAN${String(i + 1).padStart(2, "0")}`);
    const { clock, status } = simulated({ clusterNodes });
    clock.advance(3600);
    const s = await status();
    expect(s.nodes).toHaveLength(40);
    for (const node of s.nodes) expect(node.summary?.scannedFiles ?? 0).toBeGreaterThanOrEqual(0);
  });
});
