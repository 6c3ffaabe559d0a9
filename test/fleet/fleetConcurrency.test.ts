import { afterEach, describe, expect, it } from "vitest";
import type { ScannerBackend } from "../../agent/scannerBackend.js";
import type { FleetClient } from "../../src/fleet/fleetClient.js";
import { fleetConfig, LoopbackAgents, type LoopbackNode } from "./loopbackAgents.js";

const agents = new LoopbackAgents();
let fleet: FleetClient | undefined;

afterEach(() => agents.closeAll());

/** Counts status probes running at once across every agent server, as the servers see them. */
class InFlightMeter {
  now = 0;
  max = 0;
  readonly perCluster = new Map<string, { now: number; max: number }>();

  wrap(cluster: string, delayMs: number) {
    return (backend: ScannerBackend): ScannerBackend => ({
      ...backend,
      status: async () => {
        const c = this.perCluster.get(cluster) ?? { now: 0, max: 0 };
        this.perCluster.set(cluster, c);
        this.now += 1;
        c.now += 1;
        this.max = Math.max(this.max, this.now);
        c.max = Math.max(c.max, c.now);
        try {
          await new Promise((resolve) => setTimeout(resolve, delayMs));
          return await backend.status();
        } finally {
          this.now -= 1;
          c.now -= 1;
        }
      },
    });
  }
}

async function startNodes(meter: InFlightMeter, cluster: string, count: number, delayMs: number) {
  const nodes: LoopbackNode[] = [];
  for (let i = 0; i < count; i += 50) {
    const batch = Array.from({ length: Math.min(50, count - i) }, (_, j) =>
      agents.agent(`${cluster}-${String(i + j).padStart(3, "0")}`, { cluster, backend: meter.wrap(cluster, delayMs) }),
    );
    nodes.push(...(await Promise.all(batch)));
  }
  return nodes;
}

describe("fleet client under load", () => {
  it("answers for a 200-node cluster, in parallel but never beyond the per-cluster limit", async () => {
    const meter = new InFlightMeter();
    const nodes = await startNodes(meter, "big", 200, 15);
    // Generous: this test counts calls in flight; how fast 200 nodes answer is bench/fanout's measure.
    const timeoutMs = 15_000;
    fleet = agents.fleet(
      fleetConfig({ big: nodes }, { timeout: timeoutMs, concurrency: 64, perClusterConcurrency: 12 }),
    );

    let maxRunning = 0;
    const watch = setInterval(() => {
      maxRunning = Math.max(maxRunning, fleet?.running ?? 0);
    }, 2);
    const outcomes = await fleet.statusOfCluster("big");
    clearInterval(watch);

    expect(outcomes).toHaveLength(200);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(meter.max).toBeLessThanOrEqual(12);
    // It really ran in parallel rather than one by one.
    expect(meter.max).toBeGreaterThan(1);
    expect(maxRunning).toBeLessThanOrEqual(12);
    expect(fleet.pending).toBe(0);
  });

  it("keeps the fleet-wide limit across clusters and each cluster's own limit", async () => {
    const meter = new InFlightMeter();
    const east = await startNodes(meter, "east", 60, 10);
    const west = await startNodes(meter, "west", 60, 10);
    fleet = agents.fleet(fleetConfig({ east, west }, { concurrency: 10, perClusterConcurrency: 8 }));
    const queued = Promise.all([fleet.statusOfCluster("east"), fleet.statusOfCluster("west")]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(fleet.pending + fleet.running).toBeGreaterThan(10);
    const [eastOutcomes, westOutcomes] = await queued;

    expect([...eastOutcomes, ...westOutcomes].every((o) => o.ok)).toBe(true);
    expect(meter.max).toBeLessThanOrEqual(10);
    expect(meter.perCluster.get("east")?.max).toBeLessThanOrEqual(8);
    expect(meter.perCluster.get("west")?.max).toBeLessThanOrEqual(8);
    expect(meter.max).toBeGreaterThan(8);
  });
});
