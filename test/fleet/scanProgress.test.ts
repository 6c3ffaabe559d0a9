import { describe, expect, it, vi } from "vitest";
import {
  clusterEstimate,
  estimate,
  nodeEstimate,
  rateText,
  repositoriesText,
} from "../../src/fleet/progressEstimate.js";
import { previousCycleText, sparkline, sparklineText } from "../../src/fleet/progressFields.js";
import { clusterCurve, ScanProgress, windowRate } from "../../src/fleet/scanProgress.js";
import type { ScanCycleArchive, ScanCycleRecord } from "../../src/store/scanCycleRecord.js";
import type { RepositoryStatus, ScanStatus } from "../../src/wire/agentApi.js";

const t0 = Date.parse("2026-11-25T10:00:00Z");
const minute = 60_000;
const at = (minutes: number) => new Date(t0 + minutes * minute);

interface Reading {
  files?: number | null;
  cluster?: ScanStatus["clusterStatus"];
  scanning?: boolean;
  startTime?: string | null;
  /** What the node's own clock says (may be far off). */
  observedAt?: string;
  repositories?: RepositoryStatus[];
  nodes?: { name: string; files: number }[];
}

function reply(node: string, r: Reading): ScanStatus {
  const files = r.files === undefined ? 0 : r.files;
  const scanning = r.scanning ?? (r.cluster ?? "Scanning") === "Scanning";
  const summary = (n: number) => ({
    scannedFiles: n,
    failedFiles: 0,
    scannedBytes: n * 1000,
    classified: 0,
    labeled: 0,
    extra: {},
  });
  return {
    observedAt: r.observedAt ?? "2026-11-25T10:00:00.000Z",
    nodeName: node,
    cluster: "contoso-prod",
    clusterStatus: r.cluster ?? "Scanning",
    startTime: r.startTime === undefined ? "2026-11-25T09:00:00.000Z" : r.startTime,
    timeFromStart: null,
    elapsedSeconds: 3600,
    node: {
      nodeName: node,
      status: scanning ? "Scanning" : "Idle",
      isScanning: scanning ? "True" : "False",
      summary: files === null ? null : summary(files),
    },
    nodes: (r.nodes ?? []).map((n) => ({
      nodeName: n.name,
      status: "Idle",
      isScanning: "False",
      summary: summary(n.files),
    })),
    repositories: r.repositories ?? [],
    detailedReport: null,
    service: { name: "AIPScanner", state: "Running" },
    moduleGeneration: "AzureInformationProtection",
  };
}

/** An in-memory archive, as the store would keep it. */
function memoryArchive(): ScanCycleArchive & { records: ScanCycleRecord[] } {
  const records: ScanCycleRecord[] = [];
  return {
    records,
    async recordScanCycle(cycle) {
      if (records.some((r) => r.cluster === cycle.cluster && r.startKey === cycle.startKey)) return false;
      records.push(cycle);
      return true;
    },
    async lastScanCycle(cluster) {
      return records.filter((r) => r.cluster === cluster).at(-1);
    },
  };
}

describe("scan progress model", () => {
  it("computes files and bytes per hour over the sliding window, per node and summed per cluster", () => {
    const progress = new ScanProgress({ windowMs: 10 * minute });
    for (let m = 0; m <= 20; m++) {
      progress.observe("contoso-prod", "scan-01", reply("scan-01", { files: m * 100 }), at(m));
      progress.observe("contoso-prod", "scan-02", reply("scan-02", { files: m * 50 }), at(m));
    }
    expect(progress.node("scan-01")?.current.rate).toMatchObject({
      filesPerHour: 6000,
      bytesPerHour: 6_000_000,
      trend: "steady",
      spanMs: 10 * minute,
    });
    const cluster = progress.cluster("contoso-prod");
    expect(cluster.scannedFiles).toBe(3000);
    expect(cluster.rate?.filesPerHour).toBe(9000);
    expect(rateText(cluster.rate)).toBe("9,000 files/h (8.6 MB/h), steady");
  });

  it("tells a scan that slows down or stops from a steady one", () => {
    const slowing = [0, 1000, 2000, 2200, 2400].map((files, i) => ({ at: i * 5 * minute, files, bytes: 0 }));
    expect(windowRate(slowing, 20 * minute)?.trend).toBe("slowing down");
    const stopped = [0, 1000, 2000, 2000, 2000].map((files, i) => ({ at: i * 5 * minute, files, bytes: 0 }));
    expect(windowRate(stopped, 20 * minute)?.trend).toBe("stopped moving");
    // One reading is no rate.
    expect(windowRate([{ at: 0, files: 5, bytes: 5 }], 20 * minute)).toBeUndefined();
  });

  it("starts a new cycle when counters go backwards, never showing a negative rate", () => {
    const progress = new ScanProgress();
    progress.observe("contoso-prod", "scan-01", reply("scan-01", { files: 5000 }), at(0));
    progress.observe("contoso-prod", "scan-01", reply("scan-01", { files: 6000 }), at(10));
    // Start-Scan -Reset: same StartTime as far as this reply shows, counters back near zero.
    progress.observe("contoso-prod", "scan-01", reply("scan-01", { files: 40 }), at(11));
    progress.observe("contoso-prod", "scan-01", reply("scan-01", { files: 240 }), at(13));
    const view = progress.node("scan-01");
    expect(view?.previous?.samples.map((s) => s.files)).toEqual([5000, 6000]);
    expect(view?.current.samples.map((s) => s.files)).toEqual([40, 240]);
    expect(view?.current.rate?.filesPerHour).toBe(6000);
    // A new StartTime is a new cycle even when the counters happen to be higher.
    progress.observe(
      "contoso-prod",
      "scan-01",
      reply("scan-01", { files: 300, startTime: "2026-11-25T10:14:00.000Z" }),
      at(14),
    );
    expect(progress.node("scan-01")?.current.samples).toHaveLength(1);
  });

  it("uses the bot's receive time, not the node's clock", () => {
    const progress = new ScanProgress();
    // The node's clock is a year behind and jumps around; only the bot's clock counts.
    progress.observe("c", "scan-01", reply("scan-01", { files: 0, observedAt: "2025-01-01T00:00:00.000Z" }), at(0));
    progress.observe("c", "scan-01", reply("scan-01", { files: 500, observedAt: "2024-06-01T00:00:00.000Z" }), at(30));
    expect(progress.node("scan-01")?.current.rate?.filesPerHour).toBe(1000);
  });

  it("gives rate only on the first cycle, keeps the cycle's totals when it finishes, and estimates the next", async () => {
    const archive = memoryArchive();
    const progress = new ScanProgress({ windowMs: 30 * minute });
    progress.useArchive(archive);
    await progress.loadBaseline("contoso-prod");
    const repos = (finished: number): RepositoryStatus[] =>
      ["A", "B", "C", "D"].map((p, i) => ({ path: `\\\\fs\\${p}`, status: i < finished ? "Finished" : "Pending" }));
    for (let m = 0; m <= 60; m += 5) {
      progress.observe("contoso-prod", "scan-01", reply("scan-01", { files: m * 100, repositories: repos(1) }), at(m));
    }
    const first = progress.cluster("contoso-prod");
    expect(clusterEstimate(first, at(60))).toMatchObject({ basis: "no-previous-cycle", finish: undefined });
    expect(clusterEstimate(first, at(60)).text).toBe("no completed cycle seen yet: rate only, no percent or ETA");
    expect(repositoriesText(first.repositories)).toBe("1 of 4 repositories finished (3 pending)");

    // The cluster goes Idle: its NodesInfo carries every node's final counters.
    progress.observe(
      "contoso-prod",
      "scan-01",
      reply("scan-01", {
        files: 6000,
        cluster: "Idle",
        repositories: repos(4),
        nodes: [{ name: "scan-01", files: 6000 }],
      }),
      at(61),
    );
    await progress.settled();
    expect(archive.records).toHaveLength(1);
    expect(archive.records[0]).toMatchObject({
      cluster: "contoso-prod",
      startKey: "2026-11-25T09:00:00.000Z",
      scannedFiles: 6000,
      repositories: 4,
      nodeFiles: { "scan-01": 6000 },
    });

    // A restarted bot reads the basis back from the store.
    const restarted = new ScanProgress({ windowMs: 30 * minute });
    restarted.useArchive(archive);
    await restarted.loadBaseline("contoso-prod");
    const next = { startTime: "2026-11-25T12:00:00.000Z" };
    restarted.observe("contoso-prod", "scan-01", reply("scan-01", { files: 1200, ...next }), at(120));
    restarted.observe("contoso-prod", "scan-01", reply("scan-01", { files: 3600, ...next }), at(144));
    const second = restarted.cluster("contoso-prod");
    const e = clusterEstimate(second, at(144));
    // 3,600 of 6,000 files; 2,400 left at 6,000 files/h, the rate widened ±15 %.
    expect(e).toMatchObject({ basis: "previous-cycle", percent: 60 });
    // Done by 12:24 + 2,400 / 6,900 h (12:44.9, rounded down) to 12:24 + 2,400 / 5,100 h (12:52.2, rounded up).
    expect(e.text).toBe("about 60 %, likely done 12:40–12:55 UTC");
    expect(nodeEstimate(second.nodes[0] ?? expect.fail(), second.previous, at(144)).percent).toBe(60);
  });

  it("says why there is no ETA: no rate yet, not moving, past the previous total", () => {
    const rate = { filesPerHour: 0, bytesPerHour: 0, recentFilesPerHour: 0, trend: "steady" as const, spanMs: 1 };
    expect(estimate(10, 100, undefined, at(0)).text).toBe(
      "about 10 % of the previous cycle's 100 files; no ETA until a rate is known",
    );
    expect(estimate(10, 100, rate, at(0)).basis).toBe("not-moving");
    expect(estimate(150, 100, { ...rate, filesPerHour: 10 }, at(0)).text).toBe(
      "past the previous cycle's 100 files: no ETA",
    );
    expect(estimate(1, 10_000_000, { ...rate, filesPerHour: 1 }, at(0)).text).toContain("more than a week");
  });

  it("copes with missing counters and a node that appears mid-cycle", () => {
    const progress = new ScanProgress();
    progress.observe("c", "scan-01", reply("scan-01", { files: null }), at(0));
    expect(progress.node("scan-01")?.current.latest).toBeUndefined();
    expect(progress.cluster("c").rate).toBeUndefined();
    progress.observe("c", "scan-01", reply("scan-01", { files: 100 }), at(1));
    progress.observe("c", "scan-01", reply("scan-01", { files: 200 }), at(2));
    // scan-02 joins with 9,000 files already scanned: its first reading is a baseline, not a burst.
    progress.observe("c", "scan-02", reply("scan-02", { files: 9000 }), at(2));
    expect(progress.cluster("c").rate?.filesPerHour).toBe(6000);
    expect(progress.cluster("c").scannedFiles).toBe(9200);
  });

  it("keeps a long cycle's readings bounded, first and newest kept", () => {
    const progress = new ScanProgress({ maxSamples: 50 });
    for (let m = 0; m < 1000; m++) progress.observe("c", "n", reply("n", { files: m }), at(m));
    const samples = progress.node("n")?.current.samples ?? [];
    expect(samples.length).toBeLessThanOrEqual(50);
    expect(samples[0]?.files).toBe(0);
    expect(samples.at(-1)?.files).toBe(999);
  });

  it("keeps no cycle when the cluster stops in error or never scanned", async () => {
    const archive = memoryArchive();
    const progress = new ScanProgress();
    progress.useArchive(archive);
    progress.observe("c", "n", reply("n", { files: 10, cluster: "Idle" }), at(0));
    progress.observe("c", "n", reply("n", { files: 20 }), at(1));
    progress.observe("c", "n", reply("n", { files: 30, cluster: "Error" }), at(2));
    await progress.settled();
    expect(archive.records).toEqual([]);
  });
});

describe("text sparkline", () => {
  it("draws growth from the lowest to the highest reading, one point and no points included", () => {
    const samples = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ at: i * minute, files: 10_000 + i * 100, bytes: 0 }));
    expect(sparkline(samples, 8)).toBe("▁▂▃▄▅▆▇█");
    const flat = samples.map((s) => ({ ...s, files: 500 }));
    expect(sparkline(flat, 8)).toBe("▁▁▁▁▁▁▁▁");
    expect(sparklineText(samples.slice(0, 1))).toBe("one reading so far (1970-01-01 00:00 UTC)");
    expect(sparklineText([])).toBe("no readings yet");
  });

  it("starts the cluster curve with every node's first reading, so a late first look is no jump", () => {
    const curve = clusterCurve([
      {
        samples: [
          { at: 0, files: 1000, bytes: 0 },
          { at: 120, files: 1200, bytes: 0 },
        ],
      },
      { samples: [{ at: 60, files: 5000, bytes: 0 }] },
    ]);
    expect(curve.map((p) => p.files)).toEqual([6000, 6000, 6200]);
  });
});

describe("trend", () => {
  it("is unknown when one half of the window is a moment (two polls a second apart), not 'stopped moving'", () => {
    const samples = [
      { at: 0, files: 0, bytes: 0 },
      { at: 10 * minute, files: 1000, bytes: 0 },
      { at: 10 * minute + 1000, files: 1000, bytes: 0 },
    ];
    expect(windowRate(samples, 15 * minute)?.trend).toBe("unknown");
  });
});

describe("rate", () => {
  it("is no rate at all when the readings are moments apart (a status then a progress), not '0 files/h, not moving'", () => {
    const start = { at: 0, files: 2250, bytes: 10 };
    expect(windowRate([start, { at: 300, files: 2250, bytes: 10 }], 15 * minute)).toBeUndefined();
    // Just under the shortest span a rate is drawn from, still none; at it, a rate.
    expect(windowRate([start, { at: 19_999, files: 2300, bytes: 10 }], 15 * minute)).toBeUndefined();
    expect(windowRate([start, { at: 20_000, files: 2300, bytes: 10 }], 15 * minute)?.filesPerHour).toBe(9000);
  });

  it("reaches back past readings taken moments ago to one far enough apart", () => {
    const samples = [
      { at: 0, files: 0, bytes: 0 },
      { at: 5 * minute, files: 600, bytes: 0 },
      { at: 5 * minute + 500, files: 600, bytes: 0 },
    ];
    expect(windowRate(samples, 15 * minute)?.filesPerHour).toBeCloseTo((600 / (5 * minute + 500)) * 3_600_000);
  });
});

describe("a basis from the nodes' Summary reports", () => {
  const counts = (files: number) => [
    { name: "scanned FILES", count: files },
    { name: "Failed", count: 2 },
  ];
  /** Scan started 09:00 (startTime); scan-01 has a Summary from yesterday, scan-02 one from this cycle's minutes. */
  const reports = [
    { node: "scan-01", lastWriteTime: "2026-11-24T18:00:00.000Z", counts: counts(1_000) },
    { node: "scan-01", lastWriteTime: "2026-11-23T18:00:00.000Z", counts: counts(900) },
    { node: "scan-02", lastWriteTime: "2026-11-24T17:00:00.000Z", counts: counts(3_000) },
    { node: "scan-02", lastWriteTime: "2026-11-25T09:30:00.000Z", counts: counts(50) },
    { node: "scan-03", lastWriteTime: null, counts: counts(7_000) },
  ];

  function scanning(progress: ScanProgress): void {
    progress.observe("contoso-prod", "scan-01", reply("scan-01", { files: 250 }), at(0));
    progress.observe("contoso-prod", "scan-02", reply("scan-02", { files: 750 }), at(0));
  }

  /** Feeds `reports` to `progress`, starts a cycle and loads the basis; how often the nodes were asked. */
  async function askedWhileScanning(progress: ScanProgress): Promise<() => number> {
    let asked = 0;
    progress.useSummaryReports(async () => {
      asked += 1;
      return reports;
    });
    scanning(progress);
    await progress.loadBaseline("contoso-prod");
    return () => asked;
  }

  it("sums per node the newest Summary written before the current cycle started, marked as such", async () => {
    const progress = new ScanProgress();
    const asked = await askedWhileScanning(progress);
    await progress.loadBaseline("contoso-prod");
    expect(asked()).toBe(1);
    const previous = progress.cluster("contoso-prod").previous;
    expect(previous).toMatchObject({
      basis: "summary-report",
      scannedFiles: 4_000,
      failedFiles: 4,
      finishedAt: "2026-11-24T18:00:00.000Z",
      nodeFiles: { "scan-01": 1_000, "scan-02": 3_000 },
      curve: [],
    });
    const e = clusterEstimate(progress.cluster("contoso-prod"), at(0));
    expect(e.text).toBe(
      "about 25 % of the 4,000 files of the nodes' last Summary reports (written 2026-11-24 18:00 UTC); no ETA until a rate is known",
    );
    expect(previousCycleText(progress.cluster("contoso-prod"))).toBe(
      "4,000 files, 4 failed, from the nodes' last Summary reports (written 2026-11-24 18:00 UTC)",
    );
  });

  it("prefers a stored cycle and never asks the nodes then; a watched one replaces the Summary basis", async () => {
    const archive = memoryArchive();
    const stored: ScanCycleRecord = {
      cluster: "contoso-prod",
      startKey: "2026-11-24T08:00:00.000Z",
      startedAt: "2026-11-24T08:00:00.000Z",
      finishedAt: "2026-11-24T12:00:00.000Z",
      scannedFiles: 2_000,
      scannedBytes: 2_000_000,
      failedFiles: 0,
      repositories: 1,
      nodeFiles: { "scan-01": 1_000, "scan-02": 1_000 },
      curve: [],
    };
    await archive.recordScanCycle(stored);
    const progress = new ScanProgress();
    progress.useArchive(archive);
    const asked = await askedWhileScanning(progress);
    expect(asked()).toBe(0);
    expect(progress.cluster("contoso-prod").previous).toEqual(stored);

    const fresh = new ScanProgress();
    fresh.useSummaryReports(async () => reports);
    scanning(fresh);
    await fresh.loadBaseline("contoso-prod");
    expect(fresh.cluster("contoso-prod").previous?.basis).toBe("summary-report");
    // The cycle finishes while watched: its totals are the basis now, and only they are archived.
    const finished = memoryArchive();
    fresh.useArchive(finished);
    fresh.observe("contoso-prod", "scan-01", reply("scan-01", { files: 1_200, cluster: "Idle" }), at(30));
    await fresh.settled();
    expect(fresh.cluster("contoso-prod").previous).toMatchObject({ scannedFiles: 1_950 });
    expect(fresh.cluster("contoso-prod").previous?.basis).toBeUndefined();
    expect(finished.records.map((r) => r.basis)).toEqual([undefined]);
  });

  it("has no basis when only this cycle's Summary exists, when the nodes fail, or when they never answer", async () => {
    const own = new ScanProgress();
    own.useSummaryReports(async () => [reports[3] as (typeof reports)[number]]);
    scanning(own);
    await own.loadBaseline("contoso-prod");
    expect(own.cluster("contoso-prod").previous).toBeUndefined();
    expect(clusterEstimate(own.cluster("contoso-prod"), at(0)).basis).toBe("no-previous-cycle");

    const refused = new ScanProgress();
    refused.useSummaryReports(async () => {
      throw new Error("400 bad_request");
    });
    scanning(refused);
    await refused.loadBaseline("contoso-prod");
    await refused.settled();
    expect(refused.cluster("contoso-prod").previous).toBeUndefined();

    vi.useFakeTimers();
    try {
      const silent = new ScanProgress({ summaryWaitMs: 1_000 });
      silent.useSummaryReports(() => new Promise(() => {}));
      scanning(silent);
      const loading = silent.loadBaseline("contoso-prod");
      await vi.advanceTimersByTimeAsync(1_000);
      await loading;
      expect(silent.cluster("contoso-prod").previous).toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
