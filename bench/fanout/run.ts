/**
 * Fan-out benchmark: `status` over a large simulated fleet through the fleet client, versus the
 * same calls made one after another. Every healthy node is a REAL agent server (startAgentServer
 * over the scanner simulator) on 127.0.0.1, all in this one process, with an injected per-agent
 * latency; dead nodes are closed ports, hanging ones accept and never answer.
 *
 * Target: the fan-out finishes within 1.5x the slowest healthy agent's latency (the floor, since
 * no answer can arrive before the slowest agent's) plus the timeout that hanging nodes must run into.
 *
 * Run: `npm run bench:fanout` (defaults: 500 nodes, 50–500 ms, 2% dead, 1% hanging, 2 s timeout,
 * concurrency 512).
 * Options: --nodes N  --timeout MS  --concurrency N  --skip-serial (the serial run takes minutes).
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import type { ScannerBackend } from "../../agent/scannerBackend.js";
import { seededRandom } from "../../agent/simulator/seededRandom.js";
import type { NodeOutcome } from "../../src/fleet/fleetClient.js";
import { fleetConfig, LoopbackAgents, type LoopbackNode } from "../../test/fleet/loopbackAgents.js";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "500" },
    timeout: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "512" },
    "skip-serial": { type: "boolean", default: false },
  },
});
const nodeCount = Number(values.nodes);
const timeoutMs = Number(values.timeout);
const concurrency = Number(values.concurrency);

type Role = { kind: "healthy"; latencyMs: number } | { kind: "dead" } | { kind: "hanging" };

function plan(count: number): Role[] {
  // Seeded so every run builds the same fleet.
  const random = seededRandom(4242);
  const dead = Math.round(count * 0.02);
  const hanging = Math.round(count * 0.01);
  const roles: Role[] = Array.from({ length: count }, (_, i) =>
    i < dead
      ? { kind: "dead" }
      : i < dead + hanging
        ? { kind: "hanging" }
        : { kind: "healthy", latencyMs: 50 + Math.round(random() * 450) },
  );
  // Spread the bad nodes through the list, as they would be in a real config.
  for (let i = roles.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [roles[i], roles[j]] = [roles[j] as Role, roles[i] as Role];
  }
  return roles;
}

const withLatency =
  (ms: number) =>
  (backend: ScannerBackend): ScannerBackend => ({
    ...backend,
    status: async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return backend.status();
    },
  });

function tally(outcomes: NodeOutcome<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const key = o.ok ? "ok" : o.error.code;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const agents = new LoopbackAgents();
try {
  const roles = plan(nodeCount);
  const started = performance.now();
  const nodes: LoopbackNode[] = [];
  for (let i = 0; i < roles.length; i += 50) {
    const batch = roles.slice(i, i + 50).map((role, j) => {
      const name = `node-${String(i + j).padStart(3, "0")}`;
      if (role.kind === "dead") return agents.refusing(name);
      if (role.kind === "hanging") return agents.hanging(name);
      return agents.agent(name, { cluster: "bench", backend: withLatency(role.latencyMs) });
    });
    nodes.push(...(await Promise.all(batch)));
  }
  const floorMs = Math.max(...roles.map((r) => (r.kind === "healthy" ? r.latencyMs : 0)));
  const counts = { healthy: 0, dead: 0, hanging: 0 };
  for (const r of roles) counts[r.kind] += 1;
  console.log(
    `fleet: ${nodeCount} agents (${counts.healthy} healthy at 50–500 ms, ${counts.dead} dead, ${counts.hanging} hanging), ` +
      `started in ${Math.round(performance.now() - started)} ms; timeout ${timeoutMs} ms, concurrency ${concurrency}`,
  );

  const settings = { timeout: timeoutMs, concurrency, perClusterConcurrency: concurrency };
  const fleet = agents.fleet(fleetConfig({ bench: nodes }, settings));
  // Warm-up on a few nodes so the first measurement does not include module loading and JIT.
  await Promise.all(nodes.slice(0, 5).map((n) => fleet.status(n.name)));

  const fanStart = performance.now();
  // The same fan-out as statusOfCluster, with each answer's arrival time kept.
  let lastHealthyMs = 0;
  const fan = await Promise.all(
    nodes.map(async (n) => {
      const outcome = await fleet.status(n.name);
      if (outcome.ok) lastHealthyMs = Math.max(lastHealthyMs, performance.now() - fanStart);
      return outcome;
    }),
  );
  const fanMs = performance.now() - fanStart;
  const slowestOk = Math.max(...fan.map((o) => (o.ok ? o.durationMs : 0)));
  const targetMs = 1.5 * floorMs + (counts.hanging > 0 ? timeoutMs : 0);

  let serialMs: number | undefined;
  let serialTally: Record<string, number> | undefined;
  if (!values["skip-serial"]) {
    const serialFleet = agents.fleet(
      fleetConfig({ bench: nodes }, { ...settings, concurrency: 1, perClusterConcurrency: 1 }),
    );
    const serialStart = performance.now();
    const outcomes: NodeOutcome<unknown>[] = [];
    for (const node of nodes) outcomes.push(await serialFleet.status(node.name));
    serialMs = performance.now() - serialStart;
    serialTally = tally(outcomes);
  }

  const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`fan-out:        ${fmt(fanMs)}  outcomes ${JSON.stringify(tally(fan))}`);
  if (serialMs !== undefined) {
    console.log(`one by one:     ${fmt(serialMs)}  outcomes ${JSON.stringify(serialTally)}`);
    console.log(`speed-up:       ${(serialMs / fanMs).toFixed(1)}x`);
  }
  console.log(
    `floor:          ${fmt(floorMs)} (slowest healthy agent's latency; slowest answer measured ${fmt(slowestOk)})`,
  );
  console.log(
    `healthy done:   ${fmt(lastHealthyMs)} = ${(lastHealthyMs / floorMs).toFixed(2)}x floor (every healthy answer in)`,
  );
  console.log(`fan-out/floor:  ${(fanMs / floorMs).toFixed(2)}x (all answers, hanging nodes' timeouts included)`);
  console.log(
    `target:         ≤ ${fmt(targetMs)} (1.5 × floor + ${fmt(timeoutMs)} timeout) → ${fanMs <= targetMs ? "MET" : "MISSED"}`,
  );
  console.log(
    JSON.stringify({
      nodes: nodeCount,
      timeoutMs,
      concurrency,
      fanoutMs: Math.round(fanMs),
      healthyDoneMs: Math.round(lastHealthyMs),
      serialMs: serialMs === undefined ? null : Math.round(serialMs),
      floorMs,
      targetMs,
      met: fanMs <= targetMs,
    }),
  );
  if (fanMs > targetMs) process.exitCode = 1;
} finally {
  await agents.closeAll();
}
