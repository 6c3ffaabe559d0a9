import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { ScannerBackend } from "../../agent/scannerBackend.js";
import type { ScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import type { Block, Reply } from "../../src/reply/reply.js";
import { fleetConfig, LoopbackAgents, routerOver, run } from "../fleet/loopbackAgents.js";

const agents = new LoopbackAgents();
afterEach(() => agents.closeAll());

function fields(reply: Reply): Record<string, string> {
  return Object.fromEntries(
    reply.blocks.flatMap((b) => (b.kind === "fields" ? b.fields.map((f) => [f.label, f.value] as const) : [])),
  );
}

function table(reply: Reply): Extract<Block, { kind: "table" }> | undefined {
  return reply.blocks.find((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");
}

/** Two simulated nodes (120 files a minute each) on one fake clock shared by the simulators, the fleet and the router. */
async function fakeClockCluster(withSummaryReports = false) {
  let nowMs = Date.parse("2026-11-25T10:00:00Z");
  const now = () => new Date(nowMs);
  const simulators = new Map<string, ScannerSimulator>();
  const capture = (name: string) => (backend: ScannerBackend) => {
    simulators.set(name, backend as ScannerSimulator);
    return backend;
  };
  const nodes = await Promise.all(
    ["scan-01", "scan-02"].map((n) => agents.agent(n, { cluster: "contoso-prod", now, backend: capture(n) })),
  );
  const fleet = agents.fleet(fleetConfig({ "contoso-prod": nodes }), { now });
  // These tests are about the watched basis: the simulators' own Summary reports would be a basis before it.
  if (!withSummaryReports) fleet.scanProgress.useSummaryReports(async () => []);
  return {
    router: routerOver(fleet, now),
    fleet,
    advance: (minutes: number) => {
      nowMs += minutes * 60_000;
    },
    simulator: (name: string) => simulators.get(name) ?? expect.fail(`no simulator ${name}`),
  };
}

describe("progress", () => {
  it("shows rate only on the first cycle, then percent and ETA against the cycle that finished", async () => {
    const c = await fakeClockCluster();

    const first = await run(c.router, "progress");
    expect(fields(first.reply).Rate).toBe("no rate yet (needs two readings at least 20 s apart)");
    expect(fields(first.reply)["Over time (files)"]).toMatch(/^one reading so far/);
    expect(first.text).toContain("A rate needs two readings of a node's counters at least 20 s apart");

    // A second look a moment later is still no rate: two readings 300 ms apart say nothing about speed.
    c.advance(0.005);
    const moment = await run(c.router, "progress");
    expect(fields(moment.reply).Rate).toBe("no rate yet (needs two readings at least 20 s apart)");
    expect(fields(moment.reply).Estimate).not.toMatch(/not moving/);

    c.advance(5 - 0.005);
    const second = await run(c.router, "progress contoso-prod");
    // 120 files a minute on each node.
    expect(fields(second.reply).Rate).toMatch(/^14,400 files\/h \(/);
    expect(fields(second.reply).Estimate).toBe("no completed cycle seen yet: rate only, no percent or ETA");
    expect(fields(second.reply).Repositories).toMatch(/repositor(y|ies) finished/);
    expect(table(second.reply)?.rows.map((r) => [r.cells[0], r.cells[2]])).toEqual([
      ["scan-01", "7,200 files/h"],
      ["scan-02", "7,200 files/h"],
    ]);

    // The cycle completes: the cluster turns Idle, and its totals become the next cycle's basis.
    c.simulator("scan-01").setScenario("finished");
    c.simulator("scan-02").setScenario("finished");
    c.advance(1);
    const done = await run(c.router, "progress");
    expect(fields(done.reply)["Previous cycle"]).toMatch(/^4,800 files .*finished 2026-11-25 10:06 UTC after 21 min$/);

    // A new cycle: counters restart at zero; 10 minutes in, 2,400 of 4,800 files at 14,400 files/h:
    // 2,400 left take 8.7 min at +15 % (10:24.7, rounded down) to 11.8 min at -15 % (10:27.8, rounded up).
    for (const n of ["scan-01", "scan-02"]) {
      await c.simulator(n).runAction({ action: "start-scan", requestId: randomUUID(), reset: false });
    }
    await run(c.router, "progress");
    c.advance(10);
    const next = await run(c.router, "progress");
    expect(fields(next.reply)["Scanned this cycle"]).toMatch(/^2,400 files/);
    expect(fields(next.reply).Estimate).toBe("about 50 %, likely done 10:20–10:30 UTC");
    // Two readings this cycle: a rate, but no trend yet.
    expect(next.reply.text).toBe(
      "cluster contoso-prod: scanning, 14,400 files/h (6.2 GB/h); about 50 %, likely done 10:20–10:30 UTC",
    );

    // status shows the same per node and for the cluster.
    const status = await run(c.router, "status");
    expect(fields(status.reply).Estimate).toBe("about 50 %, likely done 10:20–10:30 UTC");
    const nodeTable = table(status.reply);
    expect(nodeTable?.columns.slice(-2)).toEqual(["Rate", "Estimate"]);
    const one = await run(c.router, "progress scan-01");
    expect(one.reply.text).toMatch(/^scan-01 \(cluster contoso-prod\): scanning, 7,200 files\/h/);
    // One node is measured against its own share of the previous cycle (2,400 files), as `status` does,
    // not against the whole cluster's 4,800.
    expect(fields(one.reply).Estimate).toBe("about 50 %, likely done 10:20–10:30 UTC");
    expect(fields(one.reply)["Previous cycle"]).toMatch(/^2,400 files on scan-01 \(cluster: 4,800 files .*\)$/);

    // scan-02 stops moving: its row says why it has a percent but no ETA.
    c.simulator("scan-02").setScenario("stalled");
    await run(c.router, "progress");
    c.advance(16);
    const stuck = await run(c.router, "status");
    const row = table(stuck.reply)?.rows.find((r) => r.cells.includes("scan-02"));
    expect(row?.cells.at(-1)).toBe("about 50 %, not moving");
  });

  it("on a fresh store takes the nodes' last Summary reports as the basis and says so, with no duration", async () => {
    const c = await fakeClockCluster(true);
    const first = await run(c.router, "progress");
    await c.fleet.scanProgress.settled();
    const again = await run(c.router, "progress");
    for (const reply of [first.reply, again.reply]) {
      expect(fields(reply)["Previous cycle"]).toMatch(
        /^[\d,]+ files, [\d,]+ failed, from the nodes' last Summary reports \(written \d{4}-\d\d-\d\d \d\d:\d\d UTC\)$/,
      );
      expect(fields(reply).Estimate).toMatch(/of the nodes' last Summary reports \(written [^)]+\)/);
      expect(fields(reply).Estimate).not.toMatch(/previous cycle/);
    }
  });

  it("does not take a scan stopped before its repositories finished for a completed cycle", async () => {
    const c = await fakeClockCluster();
    await run(c.router, "progress");
    c.advance(5);
    await run(c.router, "progress");
    // `scan stop` (Stop-Scan): the cluster turns Idle with its repositories still pending.
    for (const n of ["scan-01", "scan-02"]) {
      await c.simulator(n).runAction({ action: "stop-scan", requestId: randomUUID(), reset: false });
    }
    c.advance(1);
    const stopped = await run(c.router, "progress");
    expect(fields(stopped.reply)["Previous cycle"]).toMatch(/^none kept yet/);
    for (const n of ["scan-01", "scan-02"]) {
      await c.simulator(n).runAction({ action: "start-scan", requestId: randomUUID(), reset: false });
    }
    c.advance(5);
    const resumed = await run(c.router, "progress");
    expect(fields(resumed.reply).Estimate).toBe("no completed cycle seen yet: rate only, no percent or ETA");
  });

  it("calls a node whose counters stood still over the whole window 'stopped moving', not 'steady'", async () => {
    const c = await fakeClockCluster();
    c.simulator("scan-02").setScenario("stalled");
    for (let i = 0; i < 3; i++) {
      await run(c.router, "progress");
      c.advance(5);
    }
    const { reply } = await run(c.router, "progress");
    const rows = table(reply)?.rows.map((r) => [r.cells[0], r.cells[2], r.cells[3]]);
    expect(rows).toEqual([
      ["scan-01", "7,200 files/h", "steady"],
      ["scan-02", "0 files/h", "stopped moving"],
    ]);
  });

  it("names what is unknown for a node that never reported counters", async () => {
    const node = await agents.agent("scan-09", { cluster: "contoso-prod", scenario: "no-cluster" });
    const fleet = agents.fleet(fleetConfig({ "contoso-prod": [node] }));
    fleet.scanProgress.useSummaryReports(async () => []);
    const router = routerOver(fleet);
    const { reply } = await run(router, "progress scan-09");
    expect(fields(reply)["Over time (files)"]).toBe("no readings yet");
    expect(fields(reply).Estimate).toBe("no completed cycle seen yet: rate only, no percent or ETA");
    const unknown = await run(router, "progress nowhere");
    expect(unknown.reply.status).toBe("error");
    expect(unknown.text).toContain("There is no node or cluster `nowhere`");
  });
});
