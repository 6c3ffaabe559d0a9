import { describe, expect, it } from "vitest";
import { formatAge, formatBytes, formatCount, problemRowsFirst } from "../../src/fleet/fleetFigures.js";
import { lastProgressAt, ProgressTracker } from "../../src/fleet/fleetProgress.js";
import type { ScanStatus } from "../../src/wire/agentApi.js";

function status(scannedFiles: number, reportWrite: string): ScanStatus {
  return {
    observedAt: "2026-11-25T03:00:00.000Z",
    nodeName: "scan-01",
    cluster: "contoso-prod",
    clusterStatus: "Scanning",
    startTime: "2026-11-25T01:00:00.000Z",
    timeFromStart: "02:00:00",
    elapsedSeconds: 7200,
    node: {
      nodeName: "scan-01",
      status: "Scanning",
      isScanning: "True",
      summary: {
        scannedFiles,
        failedFiles: 0,
        scannedBytes: scannedFiles * 1000,
        classified: 0,
        labeled: 0,
        extra: {},
      },
    },
    nodes: [],
    repositories: [],
    detailedReport: {
      path: "C:\\Reports\\DetailedReport.csv",
      sizeBytes: 412 + scannedFiles * 236,
      lastWriteTime: reportWrite,
    },
    service: { name: "AIPScanner", state: "Running" },
    moduleGeneration: "AzureInformationProtection",
  };
}

describe("progress tracker", () => {
  it("remembers when the counters last moved, not when they were last seen", () => {
    const tracker = new ProgressTracker();
    const t0 = new Date("2026-11-25T03:00:00Z");
    const t1 = new Date("2026-11-25T03:01:00Z");
    const t2 = new Date("2026-11-25T03:09:00Z");
    tracker.observe("scan-01", status(100, "2026-11-25T02:59:58Z"), t0);
    expect(tracker.observe("scan-01", status(150, "2026-11-25T03:00:59Z"), t1)).toMatchObject({
      lastChangeAt: t1,
      changes: 1,
    });
    const mark = tracker.observe("scan-01", status(150, "2026-11-25T03:00:59Z"), t2);
    expect(mark).toMatchObject({ firstSeenAt: t0, lastSeenAt: t2, lastChangeAt: t1, changedAfter: t0, changes: 1 });
    // The report was written inside the window of the change: its time is the sharper answer.
    expect(lastProgressAt(mark, status(150, "2026-11-25T03:00:59Z"))).toEqual(new Date("2026-11-25T03:00:59Z"));
    // Without a report, the look that saw the change counts.
    expect(lastProgressAt(mark, { ...status(150, "x"), detailedReport: null })).toEqual(t1);
  });

  it("does not date progress seen after a long gap to the moment of the look", () => {
    const tracker = new ProgressTracker();
    const t0 = new Date("2026-11-25T03:00:00Z");
    const t1 = new Date("2026-11-25T03:20:00Z");
    tracker.observe("scan-01", status(100, "2026-11-25T02:59:59Z"), t0);
    // The scan moved a little after t0, then froze at 03:01; the next look is 20 minutes later.
    const mark = tracker.observe("scan-01", status(130, "2026-11-25T03:01:00Z"), t1);
    expect(lastProgressAt(mark, status(130, "2026-11-25T03:01:00Z"))).toEqual(new Date("2026-11-25T03:01:00Z"));
  });

  it("falls back to the detailed report's last write before it has seen a change", () => {
    const tracker = new ProgressTracker();
    const mark = tracker.observe("scan-01", status(100, "2026-11-25T02:40:00Z"), new Date("2026-11-25T03:00:00Z"));
    expect(lastProgressAt(mark, status(100, "2026-11-25T02:40:00Z"))).toEqual(new Date("2026-11-25T02:40:00Z"));
    expect(lastProgressAt(undefined, { ...status(1, "2026-11-25T02:40:00Z"), detailedReport: null })).toBeUndefined();
  });
});

describe("figures", () => {
  it("reads sizes, counts and ages the way admins say them", () => {
    expect(formatBytes(78_478_187)).toBe("75 MB");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(512)).toBe("512 B");
    expect(formatCount(1_234_567)).toBe("1,234,567");
    const now = new Date("2026-11-25T03:00:00Z");
    expect(formatAge(new Date("2026-11-25T02:55:00Z"), now)).toBe("5m ago");
    expect(formatAge(new Date("2026-11-25T03:00:02Z"), now)).toBe("just now");
  });

  it("puts problem rows first only when the table must be cut", () => {
    const rows = [
      { cells: ["a"], status: "ok" as const },
      { cells: ["b"], status: "error" as const },
    ];
    expect(problemRowsFirst(rows, 5)).toEqual(rows);
    expect(problemRowsFirst(rows, 1)).toEqual([{ cells: ["b"], status: "error" }]);
  });
});
