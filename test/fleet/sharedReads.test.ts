import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { FleetClient, NodeOutcome } from "../../src/fleet/fleetClient.js";
import { createSharedReads } from "../../src/fleet/sharedReads.js";
import { fleetConfig, LoopbackAgents } from "./loopbackAgents.js";

/** A call that settles when the test says so, recording the signal it was given. */
function controllable<T>() {
  let settle!: (value: T) => void;
  const seen: AbortSignal[] = [];
  let starts = 0;
  const start = (signal: AbortSignal) => {
    starts += 1;
    seen.push(signal);
    return new Promise<T>((resolve) => {
      settle = resolve;
      signal.addEventListener("abort", () => resolve("aborted" as T), { once: true });
    });
  };
  return { start, settle: (value: T) => settle(value), seen, starts: () => starts };
}

describe("shared reads", () => {
  it("runs overlapping calls for one key once and gives every caller the answer", async () => {
    const reads = createSharedReads();
    const one = controllable<string>();
    const two = controllable<string>();
    const answers = Promise.all(
      [1, 2, 3].map(() => reads.run("scan-01\n/status", undefined, one.start, () => "cancelled")),
    );
    const other = reads.run("scan-02\n/status", undefined, two.start, () => "cancelled");
    expect([one.starts(), two.starts()]).toEqual([1, 1]);
    expect(reads.inFlight).toBe(2);
    one.settle("scan-01 answer");
    expect(await answers).toEqual(["scan-01 answer", "scan-01 answer", "scan-01 answer"]);
    expect(reads.inFlight).toBe(1);
    two.settle("scan-02 answer");
    expect(await other).toBe("scan-02 answer");
    expect(reads.inFlight).toBe(0);
  });

  it("hands a failed call's error to every caller, with or without a signal", async () => {
    const reads = createSharedReads();
    const one = controllable<string>();
    const failing = (signal: AbortSignal) => one.start(signal).then(() => Promise.reject(new Error("agent broke")));
    const withSignal = reads.run("scan-01\n/status", new AbortController().signal, failing, () => "cancelled");
    const without = reads.run("scan-01\n/status", undefined, failing, () => "cancelled");
    one.settle("ignored");
    await expect(withSignal).rejects.toThrow("agent broke");
    await expect(without).rejects.toThrow("agent broke");
    expect(reads.inFlight).toBe(0);
  });

  it("never hands an answer that has arrived to a later caller", async () => {
    const reads = createSharedReads();
    const call = controllable<string>();
    const first = reads.run("k", undefined, call.start, () => "cancelled");
    call.settle("first");
    expect(await first).toBe("first");
    const second = reads.run("k", undefined, call.start, () => "cancelled");
    expect(call.starts()).toBe(2);
    call.settle("second");
    expect(await second).toBe("second");
    expect(reads.inFlight).toBe(0);
  });

  it("answers a caller who gives up at once and cancels the call only when the last one does", async () => {
    const reads = createSharedReads();
    const call = controllable<string>();
    const a = new AbortController();
    const b = new AbortController();
    const first = reads.run("k", a.signal, call.start, () => "cancelled");
    const second = reads.run("k", b.signal, call.start, () => "cancelled");
    a.abort();
    expect(await first).toBe("cancelled");
    expect(call.seen[0]?.aborted).toBe(false);
    b.abort();
    // The last caller gets what the cancelled call itself answers.
    expect(await second).toBe("aborted");
    expect(call.seen[0]?.aborted).toBe(true);
    // A cancelled call is not joined: the next caller starts a fresh one.
    const third = reads.run("k", undefined, call.start, () => "cancelled");
    expect(call.starts()).toBe(2);
    call.settle("fresh");
    expect(await third).toBe("fresh");
  });

  it("does not start anything for a caller already cancelled", async () => {
    const reads = createSharedReads();
    const call = controllable<string>();
    expect(await reads.run("k", AbortSignal.abort(), call.start, () => "cancelled")).toBe("cancelled");
    expect(call.starts()).toBe(0);
  });
});

describe("fleet client sharing reads", () => {
  const agents = new LoopbackAgents();
  let fleet: FleetClient | undefined;
  afterEach(async () => {
    fleet?.close();
    await agents.closeAll();
  });

  it("asks a node once for fifty overlapping status requests, and again for the next one", async () => {
    let asked = 0;
    const node = await agents.agent("scan-01", {
      backend: (sim) => ({
        ...sim,
        status: async () => {
          asked += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
          return sim.status();
        },
      }),
    });
    // A clock that moves a minute each time it is read: each observation of a reply shows in the progress mark.
    let minute = 0;
    const now = () => new Date(Date.UTC(2026, 10, 25, 3, minute++));
    fleet = agents.fleet(fleetConfig({ prod: [node] }), { now });
    const outcomes: NodeOutcome<unknown>[] = await Promise.all(
      Array.from({ length: 50 }, () => fleet?.status("scan-01") as Promise<NodeOutcome<unknown>>),
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(asked).toBe(1);
    // One reply, one look at the node, however many callers shared it.
    expect(fleet.progress("scan-01")?.lastSeenAt.toISOString()).toBe("2026-11-25T03:00:00.000Z");
    expect((await fleet.status("scan-01")).ok).toBe(true);
    expect(asked).toBe(2);
    expect(fleet.progress("scan-01")?.lastSeenAt.toISOString()).toBe("2026-11-25T03:01:00.000Z");
  });

  it("never shares actions", async () => {
    let exports = 0;
    const node = await agents.agent("scan-01", {
      backend: (sim) => ({
        ...sim,
        runAction: async (request) => {
          exports += 1;
          await new Promise((resolve) => setTimeout(resolve, 50));
          return sim.runAction(request);
        },
      }),
    });
    fleet = agents.fleet(fleetConfig({ prod: [node] }));
    await Promise.all([
      fleet.action("scan-01", { action: "export-logs", requestId: randomUUID() }),
      fleet.action("scan-01", { action: "export-logs", requestId: randomUUID() }),
    ]);
    expect(exports).toBe(2);
  });

  it("keeps answering the callers still waiting when one of them cancels", async () => {
    const node = await agents.agent("scan-01", {
      backend: (sim) => ({
        ...sim,
        status: async () => {
          await new Promise((resolve) => setTimeout(resolve, 100));
          return sim.status();
        },
      }),
    });
    fleet = agents.fleet(fleetConfig({ prod: [node] }));
    const quitter = new AbortController();
    const gaveUp = fleet.status("scan-01", { signal: quitter.signal });
    const stayed = fleet.status("scan-01");
    quitter.abort();
    const cancelled = await gaveUp;
    expect(cancelled.ok).toBe(false);
    if (!cancelled.ok) expect(cancelled.error.userMessage).toContain("cancelled");
    expect((await stayed).ok).toBe(true);
  });
});
