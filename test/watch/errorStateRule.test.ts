import { describe, expect, it } from "vitest";
import { errorStateRule } from "../../src/watch/rules/errorStateRule.js";
import type { LogEntry } from "../../src/wire/agentApi.js";
import { at, input, run, scanningAt } from "./ruleFixtures.js";

const event = (eventId: number, minute: number): LogEntry => ({
  time: at(minute),
  source: "eventlog",
  origin: "Azure Information Protection Scanner",
  eventId,
  level: "Error",
  message:
    "Microsoft.InformationProtection.Scanner.SchemaMismatchException: Database schema is not compatible with the current scanner version",
});

describe("errorStateRule", () => {
  it("fires when the cluster reports Error, from the first poll that saw it", () => {
    const broken = { ...scanningAt(5), clusterStatus: "Error" as const, nodeStatus: "Error", scanning: false };
    const finding = errorStateRule(input([scanningAt(0), run(5, 9, broken)], 9));
    expect(finding).toMatchObject({ kind: "error_state", since: at(5) });
    expect(finding?.summary).toContain("Status is Error (cluster Error, node Error)");
  });

  it("explains event 3004 with the knowledge base (schema mismatch)", () => {
    const finding = errorStateRule(input([scanningAt(10)], 10, { recentErrors: [event(3004, 8)] }));
    expect(finding).toMatchObject({ kind: "error_state", since: at(8), kbId: "mismatched-or-outdated-schema" });
    expect(finding?.detail).toMatchObject({ eventId: 3004 });
  });

  it("ignores old error events and other event ids", () => {
    const old = event(3003, 0);
    const info = { ...event(1002, 9), level: "Information" };
    expect(errorStateRule(input([scanningAt(30)], 30, { recentErrors: [old, info] }))).toBeUndefined();
  });

  it("fires when FailedFiles jumps within the window, not on a slow trickle", () => {
    const jump = [scanningAt(0, { failedFiles: 10 }), scanningAt(5, { failedFiles: 200 })];
    expect(errorStateRule(input(jump, 5))?.summary).toMatch(/^190 more failed files since/);
    const trickle = [scanningAt(0, { failedFiles: 10 }), scanningAt(5, { failedFiles: 40 })];
    expect(errorStateRule(input(trickle, 5))).toBeUndefined();
  });

  it("does not compare failed files across two scans", () => {
    const before = scanningAt(0, { failedFiles: 900 });
    const next = scanningAt(5, { failedFiles: 1000, startTime: at(4) });
    expect(errorStateRule(input([before, next], 5))).toBeUndefined();
  });
});

describe("errorStateRule over scanner log lines", () => {
  const logLine = (message: string, minute: number, level = "Error"): LogEntry => ({
    time: at(minute),
    source: "iplog",
    origin: "MSIPScanner.iplog",
    level,
    message,
  });

  it("raises a recent error the knowledge base knows, and names its article section", () => {
    const line = logLine(
      "System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: Only one usage of each socket address (protocol/network address/port) is normally permitted 10.20.4.7:443",
      9,
    );
    const finding = errorStateRule(input([scanningAt(10)], 10, { recentErrors: [line] }));
    expect(finding).toMatchObject({ kind: "error_state", since: at(9), kbId: "unable-to-connect-to-remote-server" });
    expect(finding?.summary).toMatch(/^The scanner logged Unable to connect to remote server/);
  });

  it("ignores log lines it cannot tie to a known error, warnings, and old lines", () => {
    const unknown = logLine("Something odd happened in a plug-in", 9);
    const warning = logLine("Policy is missing", 9, "Warning");
    const old = logLine("Policy is missing", -30);
    expect(errorStateRule(input([scanningAt(10)], 10, { recentErrors: [unknown, warning, old] }))).toBeUndefined();
  });
});
