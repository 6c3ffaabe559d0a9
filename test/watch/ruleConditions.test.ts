import { describe, expect, it } from "vitest";
import type { Observation } from "../../src/watch/observation.js";
import { errorStateRule } from "../../src/watch/rules/errorStateRule.js";
import { finishedRule } from "../../src/watch/rules/finishedRule.js";
import { serviceStoppedRule } from "../../src/watch/rules/serviceStoppedRule.js";
import { slowButAliveRule } from "../../src/watch/rules/slowButAliveRule.js";
import { stallCleared, stallRule } from "../../src/watch/rules/stallRule.js";
import { unreachableRule } from "../../src/watch/rules/unreachableRule.js";
import type { LogEntry } from "../../src/wire/agentApi.js";
import { at, input, run, scanningAt, unreachableAt } from "./ruleFixtures.js";

/** A log entry the knowledge base does not know, so only its event id can make it count. */
const bareEvent = (eventId: number, minute: number): LogEntry => ({
  time: at(minute),
  source: "eventlog",
  origin: "Azure Information Protection Scanner",
  eventId,
  level: "Warning",
  message: "Scanner reported an event",
});

describe("errorStateRule, one condition at a time", () => {
  const quiet = [scanningAt(10)];

  it("counts scanner events 3001 to 3007 by their id alone, and no others", () => {
    for (const id of [3001, 3004, 3007]) {
      expect(errorStateRule(input(quiet, 10, { recentErrors: [bareEvent(id, 9)] }))?.summary).toContain(`event ${id}`);
    }
    for (const id of [3000, 3008, 1002]) {
      expect(errorStateRule(input(quiet, 10, { recentErrors: [bareEvent(id, 9)] }))).toBeUndefined();
    }
  });

  it("fires on the cluster's Error alone, and on the node's Error alone", () => {
    const clusterError = { ...scanningAt(5), clusterStatus: "Error" as const, nodeStatus: "Scanning" };
    expect(errorStateRule(input([clusterError], 5))?.summary).toBe("Status is Error (cluster Error, node Scanning)");
    const nodeError = { ...scanningAt(5), clusterStatus: "Scanning" as const, nodeStatus: " error " };
    expect(errorStateRule(input([nodeError], 5))?.summary).toBe("Status is Error (cluster Scanning, node  error )");
  });

  it("fires on a FailedFiles rise of exactly failedFilesJump within the window, not one less", () => {
    const rise = (by: number) => [scanningAt(0, { failedFiles: 10 }), scanningAt(5, { failedFiles: 10 + by })];
    expect(errorStateRule(input(rise(100), 5))?.summary).toMatch(/^100 more failed files since/);
    expect(errorStateRule(input(rise(99), 5))).toBeUndefined();
  });

  it("does not compare FailedFiles across two scans (a new cycle restarts the count)", () => {
    const before = scanningAt(0, { failedFiles: 10, startTime: "2026-11-24T00:45:00.000Z" });
    const after = scanningAt(5, { failedFiles: 500 });
    expect(errorStateRule(input([before, after], 5))).toBeUndefined();
  });

  it("counts a log error the knowledge base knows as an error only when logged as an error", () => {
    const schema = (level: string): LogEntry => ({
      time: at(9),
      source: "iplog",
      origin: "MSIPScanner.iplog",
      level,
      message:
        "Microsoft.InformationProtection.Scanner.SchemaMismatchException: Database schema is not compatible with the current scanner version",
    });
    expect(errorStateRule(input(quiet, 10, { recentErrors: [schema("Error")] }))).toMatchObject({
      kbId: "mismatched-or-outdated-schema",
    });
    expect(errorStateRule(input(quiet, 10, { recentErrors: [schema("Warning")] }))).toBeUndefined();
    const unknown = { ...schema("Error"), message: "Something nobody documented happened" };
    expect(errorStateRule(input(quiet, 10, { recentErrors: [unknown] }))).toBeUndefined();
  });

  it("keeps log errors for exactly errorWindow (15 min), not a minute more", () => {
    expect(errorStateRule(input(quiet, 24, { recentErrors: [bareEvent(3003, 9)] }))).toBeDefined();
    expect(errorStateRule(input(quiet, 25, { recentErrors: [bareEvent(3003, 9)] }))).toBeUndefined();
  });
});

describe("errorStateRule, what the finding says", () => {
  it("gives the whole finding for several log errors: newest entry first, each event id once, the detail", () => {
    const schema: LogEntry = {
      time: at(8),
      source: "eventlog",
      origin: "Azure Information Protection Scanner",
      eventId: 3004,
      level: "Error",
      message:
        "Microsoft.InformationProtection.Scanner.SchemaMismatchException: Database schema is not compatible with the current scanner version",
    };
    const history = [scanningAt(10, { failedFiles: 7, repository: "\\\\fs01\\hr" })];
    const finding = errorStateRule(
      input(history, 10, { recentErrors: [bareEvent(3003, 6), schema, bareEvent(3003, 9)] }),
    );
    expect(finding).toEqual({
      kind: "error_state",
      summary: "The scanner logged Database errors, Mismatched or outdated schema (event 3003, 3004)",
      since: at(6),
      kbId: "database-errors",
      detail: {
        reasons: ["the scanner logged Database errors, Mismatched or outdated schema (event 3003, 3004)"],
        clusterStatus: "Scanning",
        failedFiles: 7,
        repository: "\\\\fs01\\hr",
        newestError: "Scanner reported an event",
        eventId: 3003,
      },
    });
  });

  it("dates a FailedFiles jump from the first poll that rose, and looks back only errorWindow", () => {
    const history = [
      scanningAt(0, { failedFiles: 10 }),
      scanningAt(20, { failedFiles: 10 }),
      scanningAt(22, { failedFiles: 60 }),
      scanningAt(25, { failedFiles: 160 }),
    ];
    const finding = errorStateRule(input(history, 25));
    expect(finding?.summary).toBe(`150 more failed files since ${at(20)}`);
    expect(finding?.since).toBe(at(22));
    // The poll at minute 0 is outside the 15-minute window, so it is not the base.
    expect(
      errorStateRule(input([scanningAt(0, { failedFiles: 10 }), scanningAt(25, { failedFiles: 160 })], 25)),
    ).toBeUndefined();
    // A poll that did not reach the agent is no base, and no rise.
    const silent = { ...unreachableAt(21), failedFiles: 0 };
    expect(errorStateRule(input([silent, scanningAt(25, { failedFiles: 160 })], 25))).toBeUndefined();
  });

  it("reads Error as a whole word in a status or a log level", () => {
    for (const status of ["NoError", "ErrorRecovery"]) {
      const o = { ...scanningAt(5), clusterStatus: "Scanning" as const, nodeStatus: status };
      expect(errorStateRule(input([o], 5))).toBeUndefined();
    }
    const known = (level: string): LogEntry => ({
      time: at(9),
      source: "iplog",
      origin: "MSIPScanner.iplog",
      level,
      message:
        "Microsoft.InformationProtection.Scanner.SchemaMismatchException: Database schema is not compatible with the current scanner version",
    });
    for (const level of ["NoError", "ErrorText"]) {
      expect(errorStateRule(input([scanningAt(10)], 10, { recentErrors: [known(level)] }))).toBeUndefined();
    }
  });
});

describe("stallRule", () => {
  it("needs stallAfter of no progress, exactly", () => {
    const flat = run(0, 30, scanningAt(0));
    expect(stallRule(input([flat], 30))?.summary).toBe("No scan progress for 30m");
    expect(stallRule(input([run(0, 29, scanningAt(0))], 29))).toBeUndefined();
  });

  it("stalls on counters alone when the node has no detailed report, and on a report alone without counters", () => {
    const countersOnly = run(0, 40, scanningAt(0, { reportPath: undefined, reportSize: undefined }));
    expect(stallRule(input([countersOnly], 40))?.kind).toBe("stalled");
    const reportOnly = run(0, 40, scanningAt(0, { scannedFiles: undefined, scannedBytes: undefined }));
    expect(stallRule(input([reportOnly], 40))?.kind).toBe("stalled");
    const nothing = run(
      0,
      40,
      scanningAt(0, { scannedFiles: undefined, reportSize: undefined, reportPath: undefined }),
    );
    expect(stallRule(input([nothing], 40))).toBeUndefined();
  });

  it("clears when the scan ends or the counters move between two polls it saw, never for lack of history", () => {
    const stalled = run(0, 40, scanningAt(0));
    expect(stallCleared(input([stalled], 40))).toBe(false);
    expect(stallCleared(input([stalled, scanningAt(41)], 41))).toBe(true);
    expect(stallCleared(input([stalled, { ...scanningAt(41, { scannedFiles: 1000 }), scanning: false }], 41))).toBe(
      true,
    );
    // After a restart the first poll has nothing before it: no evidence either way.
    expect(stallCleared(input([scanningAt(41)], 41))).toBe(false);
    // A poll that failed in between is skipped: the two reachable polls around it show the counters moved.
    expect(stallCleared(input([stalled, unreachableAt(41), scanningAt(42)], 42))).toBe(true);
    expect(stallCleared(input([stalled, unreachableAt(41), run(42, 43, scanningAt(0))], 43))).toBe(false);
  });
});

describe("unreachableRule", () => {
  it("counts failed polls in a row (3 by default), merged runs included, and resets on an answer", () => {
    const history = [scanningAt(0), unreachableAt(1, 2), unreachableAt(3)];
    const finding = unreachableRule(input(history, 3));
    expect(finding).toMatchObject({ kind: "unreachable", since: at(1), detail: { failures: 3 } });
    expect(unreachableRule(input([unreachableAt(1, 2), scanningAt(3), unreachableAt(4)], 4))).toBeUndefined();
    expect(unreachableRule(input([scanningAt(0), unreachableAt(1, 2)], 2))).toBeUndefined();
  });
});

describe("serviceStoppedRule", () => {
  const stopped = (m: number, service: Observation["service"] = "Stopped") =>
    scanningAt(m, { service, scanning: false, clusterStatus: "Scanning", nodeStatus: "Idle" });

  it("fires while the cluster scans, with the whole finding, and not for a running or unknown service", () => {
    const history = [scanningAt(0), run(1, 10, stopped(1))];
    expect(serviceStoppedRule(input(history, 10, { clusterScanning: true }))).toEqual({
      kind: "service_stopped",
      summary: "The scanner service is Stopped (for 9m) while the cluster scans",
      since: at(1),
      detail: { service: "Stopped", clusterStatus: "Scanning", scannedFiles: 1001, repository: "\\\\fs01\\finance" },
    });
    expect(
      serviceStoppedRule(input([scanningAt(0), run(1, 10, stopped(1, "Running"))], 10, { clusterScanning: true })),
    ).toBeUndefined();
    const unknown = { ...stopped(1), service: undefined };
    expect(
      serviceStoppedRule(input([scanningAt(0), run(1, 10, unknown)], 10, { clusterScanning: true })),
    ).toBeUndefined();
  });

  it("waits stopGrace after the bot's own stop, exactly", () => {
    const history = [scanningAt(0), run(1, 10, stopped(1))];
    const stopAt = new Date(at(6));
    expect(serviceStoppedRule(input(history, 10, { clusterScanning: true, lastStopAt: stopAt }))).toBeUndefined();
    expect(serviceStoppedRule(input(history, 11, { clusterScanning: true, lastStopAt: stopAt }))).toBeDefined();
  });

  it("when the cluster is idle, fires only for a node that was scanning when it went down, after stopGrace", () => {
    const wasScanning = [scanningAt(0), run(1, 10, stopped(1))];
    expect(serviceStoppedRule(input(wasScanning, 10, { clusterScanning: false }))?.since).toBe(at(1));
    expect(
      serviceStoppedRule(input([scanningAt(0), run(1, 4, stopped(1))], 4, { clusterScanning: false })),
    ).toBeUndefined();
    const idleBefore = [{ ...scanningAt(0), scanning: false }, run(1, 10, stopped(1))];
    expect(serviceStoppedRule(input(idleBefore, 10, { clusterScanning: false }))).toBeUndefined();
  });
});

describe("slowButAliveRule", () => {
  it("needs counters flat for stallAfter while the report still grew within it", () => {
    const flat = (m: number, reportSize: number) =>
      scanningAt(m, { scannedFiles: 500, scannedBytes: 9_000, reportSize });
    const growing = [run(0, 20, flat(0, 1000)), run(21, 31, flat(21, 2000))];
    expect(slowButAliveRule(input(growing, 31))).toEqual({
      countersFlatSince: at(0),
      reportSize: 2000,
      reportGrewAt: at(21),
    });
    // Counters flat for less than stallAfter: just scanning.
    expect(slowButAliveRule(input([run(0, 20, flat(0, 1000)), run(21, 29, flat(21, 2000))], 29))).toBeUndefined();
    // The report stopped growing stallAfter ago too: that is a stall, not slow-but-alive.
    expect(slowButAliveRule(input([run(0, 40, flat(0, 1000))], 40))).toBeUndefined();
    // Not scanning: nothing to say.
    const idle = [
      run(0, 20, { ...flat(0, 1000), scanning: false }),
      run(21, 31, { ...flat(21, 2000), scanning: false }),
    ];
    expect(slowButAliveRule(input(idle, 31))).toBeUndefined();
  });
});

describe("finishedRule", () => {
  const idle = (m: number, over = {}) =>
    scanningAt(m, {
      scanning: false,
      clusterStatus: "Idle" as const,
      nodeStatus: "Idle",
      repositoriesDone: true,
      ...over,
    });

  it("reports the cycle once, at the poll where the last node went idle, with the cluster's totals", () => {
    const a = [
      scanningAt(0, { startTime: "2026-11-25T00:40:00.000Z" }),
      idle(1, { scannedFiles: 100, failedFiles: 1, scannedBytes: 10 }),
    ];
    const b = [scanningAt(0), idle(1, { scannedFiles: 50, failedFiles: 2, scannedBytes: 5 })];
    expect(finishedRule("contoso-prod", [a, b])).toEqual({
      cluster: "contoso-prod",
      startTime: "2026-11-25T00:40:00.000Z",
      finishedAt: at(1),
      nodes: 2,
      scannedFiles: 150,
      failedFiles: 3,
      scannedBytes: 15,
    });
    // A poll later (the idle run has two polls) it is not reported again.
    expect(
      finishedRule("contoso-prod", [
        [a[0] as never, run(1, 2, idle(1))],
        [b[0] as never, run(1, 2, idle(1))],
      ]),
    ).toBeUndefined();
  });

  it("is no finish while a node still scans, the cluster is not Idle, or a repository is unfinished", () => {
    const done = [scanningAt(0), idle(1)];
    expect(finishedRule("c", [done, [scanningAt(0), scanningAt(1)]])).toBeUndefined();
    expect(finishedRule("c", [[scanningAt(0), idle(1, { clusterStatus: "Scanning" })]])).toBeUndefined();
    expect(finishedRule("c", [[scanningAt(0), idle(1, { repositoriesDone: false })]])).toBeUndefined();
    // An idle node that was idle before too is no news.
    expect(finishedRule("c", [[idle(0), idle(1)]])).toBeUndefined();
    // A node that does not answer is left out, but cannot finish a cycle alone.
    expect(finishedRule("c", [[scanningAt(0), unreachableAt(1)]])).toBeUndefined();
  });
});
