import { describe, expect, it } from "vitest";
import { entryForEventId, findEntry } from "../../src/knowledge/knowledgeBase.js";
import type { Observation } from "../../src/watch/observation.js";
import { errorStateRule } from "../../src/watch/rules/errorStateRule.js";
import { finishedRule } from "../../src/watch/rules/finishedRule.js";
import { incidentRules } from "../../src/watch/rules/index.js";
import { serviceDown, serviceStoppedRule } from "../../src/watch/rules/serviceStoppedRule.js";
import { slowButAliveRule } from "../../src/watch/rules/slowButAliveRule.js";
import { stallCleared, stallRule } from "../../src/watch/rules/stallRule.js";
import { unreachableRule } from "../../src/watch/rules/unreachableRule.js";
import type { LogEntry } from "../../src/wire/agentApi.js";
import { at, input, run, scanningAt, unreachableAt } from "./ruleFixtures.js";

// The edges of each rule that the one-condition tests leave open: a history whose newest poll failed, entries
// the agent did not date, several nodes and polls in any order, exact boundaries, and every field of a finding.

/** A scanner event the knowledge base knows only by its id (the message says nothing it recognises). */
const bareEvent = (eventId: number, minute: number, message = "Scanner reported an event"): LogEntry => ({
  time: at(minute),
  source: "eventlog",
  origin: "Azure Information Protection Scanner",
  eventId,
  level: "Warning",
  message,
});
const titleOf = (eventId: number) => entryForEventId(eventId)?.title;
const broken = (m: number, over: Partial<Observation> = {}) =>
  scanningAt(m, { clusterStatus: "Error", nodeStatus: "Error", scanning: false, ...over });

describe("every incident rule, when the newest poll did not reach the agent", () => {
  it("says nothing but 'unreachable' (no rule reads a failed poll as a state), and nothing for an empty history", () => {
    const history = [broken(0, { service: "Stopped" }), unreachableAt(1, 3)];
    const findings = incidentRules.flatMap((rule) => rule(input(history, 3, { clusterScanning: true })) ?? []);
    expect(findings.map((f) => f.kind)).toEqual(["unreachable"]);
    for (const rule of incidentRules) expect(rule(input([], 3))).toBeUndefined();
    expect(slowButAliveRule(input(history, 40))).toBeUndefined();
    expect(slowButAliveRule(input([], 40))).toBeUndefined();
  });

  it("finds both a stopped service and a stall on a node that stopped mid-scan, most specific first", () => {
    const stopped = run(0, 40, scanningAt(0, { service: "Stopped" }));
    const kinds = incidentRules.flatMap((rule) => rule(input([stopped], 40, { clusterScanning: true })) ?? []);
    expect(kinds.map((f) => f.kind)).toEqual(["service_stopped", "stalled"]);
  });
});

describe("errorStateRule edges", () => {
  it("names a missing status as '?' and survives a node without a status", () => {
    const clusterOnly = scanningAt(5, { clusterStatus: "Error", nodeStatus: undefined });
    expect(errorStateRule(input([clusterOnly], 5))?.summary).toBe("Status is Error (cluster Error, node ?)");
    const nodeOnly = scanningAt(5, { clusterStatus: undefined, nodeStatus: "Error" });
    expect(errorStateRule(input([nodeOnly], 5))?.summary).toBe("Status is Error (cluster ?, node Error)");
    const neither = scanningAt(5, { clusterStatus: undefined, nodeStatus: undefined });
    expect(errorStateRule(input([neither], 5))).toBeUndefined();
  });

  it("joins every reason in one summary and dates the finding from the earliest of them", () => {
    const history = [scanningAt(0), run(5, 9, broken(5))];
    const finding = errorStateRule(input(history, 9, { recentErrors: [bareEvent(3003, 3)] }));
    expect(finding?.summary).toBe(
      `Status is Error (cluster Error, node Error); the scanner logged ${titleOf(3003)} (event 3003)`,
    );
    expect(finding?.since).toBe(at(3));
    expect(finding?.detail.reasons).toHaveLength(2);
  });

  it("ignores a log entry the agent could not date", () => {
    const undated = { ...bareEvent(3003, 3), time: null };
    const finding = errorStateRule(input([run(5, 9, broken(5))], 9, { recentErrors: [undated] }));
    expect(finding?.summary).toBe("Status is Error (cluster Error, node Error)");
    expect(finding?.detail).not.toHaveProperty("newestError");
  });

  it("names the three newest errors, newest first, lists every event id once in the log's order, explains the newest", () => {
    const errors = [bareEvent(3002, 5), bareEvent(3005, 6), bareEvent(3004, 8), bareEvent(3003, 9, "x".repeat(600))];
    const finding = errorStateRule(input([scanningAt(10)], 10, { recentErrors: errors }));
    expect(finding?.summary).toBe(
      `The scanner logged ${titleOf(3003)}, ${titleOf(3004)}, ${titleOf(3005)} (event 3002, 3005, 3004, 3003)`,
    );
    expect(finding?.kbId).toBe(entryForEventId(3003)?.id);
    expect(finding?.since).toBe(at(5));
    expect(finding?.detail).toMatchObject({ newestError: "x".repeat(500), eventId: 3003 });
  });

  it("adds no event ids for log lines that carry none", () => {
    const line: LogEntry = {
      time: at(9),
      source: "iplog",
      origin: "MSIPScanner.iplog",
      level: "Error",
      message:
        "System.Net.WebException: Unable to connect to the remote server ---> System.Net.Sockets.SocketException: Only one usage of each socket address (protocol/network address/port) is normally permitted 10.20.4.7:443",
    };
    const finding = errorStateRule(input([scanningAt(10)], 10, { recentErrors: [line] }));
    expect(finding?.summary).toBe(`The scanner logged ${findEntry("unable-to-connect-to-remote-server")?.title}`);
    expect(finding?.detail).toMatchObject({ eventId: null });
  });

  it("takes a base exactly errorWindow old, but no poll that does not know its failed files", () => {
    const exactlyWindow = [scanningAt(10, { failedFiles: 10 }), scanningAt(25, { failedFiles: 110 })];
    expect(errorStateRule(input(exactlyWindow, 25))?.summary).toBe(`100 more failed files since ${at(10)}`);
    const unknownBefore = [scanningAt(20, { failedFiles: undefined }), scanningAt(25, { failedFiles: 150 })];
    expect(errorStateRule(input(unknownBefore, 25))).toBeUndefined();
    const neverKnown = [scanningAt(20, { failedFiles: undefined }), scanningAt(25, { failedFiles: undefined })];
    expect(errorStateRule(input(neverKnown, 25))).toBeUndefined();
  });

  it("finds no jump when every poll is older than errorWindow (the rule runs long after the last poll)", () => {
    const stale = [scanningAt(0, { failedFiles: 10 }), scanningAt(5, { failedFiles: 500 })];
    expect(errorStateRule(input(stale, 60))).toBeUndefined();
  });
});

describe("finishedRule edges", () => {
  const idle = (m: number, over: Partial<Observation> = {}) =>
    scanningAt(m, { scanning: false, clusterStatus: "Idle", nodeStatus: "Idle", repositoriesDone: true, ...over });

  it("finishes when the last node goes idle, with a node that went idle a poll earlier, over longer histories", () => {
    const early = [scanningAt(0, { startTime: at(-20) }), scanningAt(1), run(2, 3, idle(2, { scannedFiles: 10 }))];
    const last = [
      scanningAt(0, { startTime: at(-30) }),
      scanningAt(2, { startTime: at(-30) }),
      idle(3, { scannedFiles: 5 }),
    ];
    const third = [scanningAt(1, { startTime: at(-25) }), scanningAt(2, { startTime: at(-25) }), run(3, 3, idle(3))];
    // The node that went idle last is listed last here and first below: the result is the same.
    for (const histories of [
      [early, third, last],
      [last, early, third],
    ]) {
      expect(finishedRule("c", histories)).toMatchObject({
        startTime: at(-30),
        finishedAt: at(3),
        nodes: 3,
        scannedFiles: 10 + 5 + 1003,
      });
    }
  });

  it("dates the finish from the newest poll of any node, whatever the order of the nodes", () => {
    const last = [scanningAt(0), scanningAt(1), scanningAt(2), idle(3)];
    const second = [scanningAt(0), scanningAt(1), run(2, 3, idle(2))];
    const first = [scanningAt(0), run(1, 3, idle(1))];
    expect(finishedRule("c", [last, second, first])?.finishedAt).toBe(at(3));
    expect(finishedRule("c", [first, second, last])?.finishedAt).toBe(at(3));
  });

  it("reports once over a longer history: an idle run of two polls is not news", () => {
    expect(finishedRule("c", [[scanningAt(0), scanningAt(1), run(2, 3, idle(2))]])).toBeUndefined();
  });

  it("leaves out nodes that do not answer or were never polled, and nodes seen only once", () => {
    const done = [scanningAt(0), idle(1, { scannedFiles: 7 })];
    const silent = [scanningAt(0), unreachableAt(1)];
    const onlyOnce = [idle(1, { scannedFiles: 3 })];
    expect(finishedRule("c", [silent, [], onlyOnce, done])).toMatchObject({ nodes: 2, scannedFiles: 10 });
  });

  it("is no finish while a node of an idle cluster still scans", () => {
    const done = [scanningAt(0), idle(1)];
    const stillScanning = [scanningAt(0), scanningAt(1, { clusterStatus: "Idle" })];
    expect(finishedRule("c", [done, stillScanning])).toBeUndefined();
  });
});

describe("serviceStoppedRule edges", () => {
  const stopped = (m: number, service: Observation["service"]) =>
    scanningAt(m, { service, scanning: false, nodeStatus: "Idle" });

  it("counts StopPending and Paused as down, like Stopped", () => {
    for (const service of ["StopPending", "Paused"] as const) {
      const finding = serviceStoppedRule(
        input([scanningAt(0), run(1, 10, stopped(1, service))], 10, { clusterScanning: true }),
      );
      expect(finding?.summary).toBe(`The scanner service is ${service} (for 9m) while the cluster scans`);
      expect(serviceDown(stopped(1, service))).toBe(true);
    }
    expect(serviceDown(stopped(1, "Running"))).toBe(false);
  });

  it("does not read a poll that failed as a stopped service", () => {
    expect(serviceDown({ ...unreachableAt(1), service: "Stopped" })).toBe(false);
  });

  it("fires for a node already stopped at its first poll while the cluster scans", () => {
    expect(serviceStoppedRule(input([run(0, 10, stopped(0, "Stopped"))], 10, { clusterScanning: true }))?.since).toBe(
      at(0),
    );
    expect(serviceStoppedRule(input([run(0, 10, stopped(0, "Stopped"))], 10))).toBeUndefined();
  });

  it("remembers that a node was scanning before a silence in which its service stopped", () => {
    const history = [scanningAt(0), unreachableAt(1, 2), run(3, 12, stopped(3, "Stopped"))];
    expect(serviceStoppedRule(input(history, 12))?.since).toBe(at(3));
    const idleBefore = [{ ...scanningAt(0), scanning: false }, unreachableAt(1, 2), run(3, 12, stopped(3, "Stopped"))];
    expect(serviceStoppedRule(input(idleBefore, 12))).toBeUndefined();
  });
});

describe("slowButAliveRule edges", () => {
  const flat = (m: number, reportSize: number, over: Partial<Observation> = {}) =>
    scanningAt(m, { scannedFiles: 500, scannedBytes: 9_000, reportSize, ...over });

  it("is nothing while the counters move, however long the scan runs", () => {
    const moving = [scanningAt(0), scanningAt(20), scanningAt(31)];
    expect(slowButAliveRule(input(moving, 31))).toBeUndefined();
  });

  it("counts the flat time from when the node began scanning, and from the start of the current scan", () => {
    const idleFirst = [run(0, 20, { ...flat(0, 1000), scanning: false }), run(21, 31, flat(21, 2000))];
    expect(slowButAliveRule(input(idleFirst, 31))).toBeUndefined();
    const restarted = [run(0, 20, flat(0, 1000)), run(21, 31, flat(21, 2000, { startTime: at(21) }))];
    expect(slowButAliveRule(input(restarted, 31))).toBeUndefined();
  });

  it("needs counters flat for exactly stallAfter and the report grown within less than stallAfter", () => {
    const history = [run(0, 9, flat(0, 1000)), run(10, 30, flat(10, 2000))];
    expect(slowButAliveRule(input(history, 30))).toEqual({
      countersFlatSince: at(0),
      reportSize: 2000,
      reportGrewAt: at(10),
    });
    expect(slowButAliveRule(input(history, 29))).toBeUndefined();
    const reportFlatAsLong = [run(0, 9, flat(0, 1000)), run(10, 39, flat(10, 2000))];
    expect(slowButAliveRule(input(reportFlatAsLong, 39))).toBeDefined();
    expect(slowButAliveRule(input(reportFlatAsLong, 40))).toBeUndefined();
  });
});

describe("stallRule edges", () => {
  it("gives the whole finding", () => {
    const flat = run(0, 30, scanningAt(0, { failedFiles: 4 }));
    expect(stallRule(input([flat], 30))).toEqual({
      kind: "stalled",
      summary: "No scan progress for 30m",
      since: at(0),
      kbId: "stuck-scanner-processes",
      detail: {
        scannedFiles: 1000,
        scannedBytes: 50_000_000,
        failedFiles: 4,
        repository: "\\\\fs01\\finance",
        report: flat.reportPath,
        reportSize: 412,
        lastProgressAt: at(0),
      },
    });
  });

  it("counts a new scan as progress even when its counters equal the old scan's", () => {
    const stuck = scanningAt(0, { scannedFiles: 0, scannedBytes: 0, reportPath: undefined, reportSize: undefined });
    const history = [run(0, 20, stuck), run(21, 35, { ...stuck, startTime: at(21) })];
    expect(stallRule(input(history, 35))).toBeUndefined();
    expect(stallCleared(input(history, 35))).toBe(true);
  });
});

describe("unreachableRule edges", () => {
  it("gives the whole finding, with and without the failure's code and message", () => {
    expect(unreachableRule(input([unreachableAt(1, 3)], 3))).toEqual({
      kind: "unreachable",
      summary: "The node agent failed 3 polls in a row (agent_unreachable)",
      since: at(1),
      detail: { failures: 3, errorCode: "agent_unreachable", error: "connect ECONNREFUSED 10.0.4.21:8733" },
    });
    const bare = { ...unreachableAt(1, 3), errorCode: undefined, error: undefined };
    expect(unreachableRule(input([bare], 3))).toMatchObject({
      summary: "The node agent failed 3 polls in a row (no answer)",
      detail: { failures: 3, errorCode: null, error: null },
    });
  });
});
