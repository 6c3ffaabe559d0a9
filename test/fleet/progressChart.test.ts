import { describe, expect, it } from "vitest";
import { chartPoints, previousSeries, renderProgressChart } from "../../src/fleet/progressChart.js";
import type { ClusterProgressView, ProgressSample } from "../../src/fleet/scanProgress.js";

const t0 = Date.parse("2026-11-25T10:00:00Z");
const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function view(series: Record<string, ProgressSample[]>, extra: Partial<ClusterProgressView> = {}): ClusterProgressView {
  return {
    cluster: "contoso-prod",
    nodes: Object.entries(series).map(([node, samples]) => ({
      current: {
        node,
        cluster: "contoso-prod",
        startKey: null,
        samples,
        latest: samples.at(-1),
        rate: undefined,
        scanning: true,
        lastSeenAt: samples.at(-1)?.at ?? t0,
      },
      previous: undefined,
    })),
    scannedFiles: 0,
    scannedBytes: 0,
    rate: undefined,
    scanning: true,
    repositories: undefined,
    previous: undefined,
    startedAt: undefined,
    startKey: null,
    ...extra,
  };
}

describe("progress chart", () => {
  it("draws a chart with a single reading, and nothing without any", async () => {
    const one = await renderProgressChart(view({ "scan-01": [{ at: t0, files: 10, bytes: 10 }] }));
    expect(one?.png.subarray(0, 8).equals(pngSignature)).toBe(true);
    expect(one?.points).toBe(1);
    expect(one?.altText).toBe("Scanned files, cluster contoso-prod: scanned files over time for 1 node.");
    expect(await renderProgressChart(view({ "scan-01": [] }))).toBeUndefined();
  });

  it("puts the previous cycle on the same time axis: minutes since each cycle started", () => {
    const points = chartPoints(
      view(
        { "scan-01": [{ at: t0 + 5 * 60_000, files: 100, bytes: 0 }] },
        {
          startedAt: t0,
          previous: {
            cluster: "contoso-prod",
            startKey: "k",
            startedAt: "2026-11-24T10:00:00.000Z",
            finishedAt: "2026-11-24T11:00:00.000Z",
            scannedFiles: 900,
            scannedBytes: 0,
            failedFiles: 0,
            repositories: 1,
            nodeFiles: {},
            curve: [
              [0, 0],
              [3600, 900],
            ],
          },
        },
      ),
    );
    expect(points).toEqual([
      { minutes: 5, files: 100, series: "scan-01" },
      { minutes: 0, files: 0, series: previousSeries },
      { minutes: 60, files: 900, series: previousSeries },
    ]);
  });

  it("thins thousands of readings to a bounded number of points per line", () => {
    const samples = Array.from({ length: 2000 }, (_, i) => ({ at: t0 + i * 60_000, files: i * 10, bytes: 0 }));
    expect(chartPoints(view({ "scan-01": samples })).length).toBe(300);
  });
});
