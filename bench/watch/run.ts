/**
 * Watcher benchmark: one watcher over many simulated scanner nodes, polled on
 * a one-minute schedule driven by a simulated clock (so two hours of polling
 * take seconds), while every poll does the real work: the simulator computes
 * the node's status and errors, the answers are validated with the agent API
 * schemas (as the fleet client does), histories go to a SQLite file, the rules
 * run and alerts go through the notification log to a recording Delivery.
 * With `--loopback`, every node is a real agent server on 127.0.0.1 and the
 * polls are signed HTTP calls through the fleet client.
 *
 *   npm run bench:watch -- [--nodes 2000] [--hours 2] [--loopback]
 *
 * Prints CPU and memory per poll cycle and the distribution of detection
 * latency (stall start → alert posted), in simulated minutes. Also the cost of
 * scan progress tracking (every status reply fed to the progress model, every
 * cluster's view read once a cycle, as `status` would) and the time to render
 * a 2,000-point progress chart (`--charts N` renders, default 30). Every cluster has a live scan card in the
 * one subscribed conversation: the bench reports the card edits per simulated minute across clusters.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import {
  createScannerSimulator,
  type ScannerSimulator,
  type SimulatorScenario,
} from "../../agent/simulator/scannerSimulator.js";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { watchSectionSchema } from "../../src/config/watchSection.js";
import type { ConversationAddress, Delivery, PostedMessage, PostOptions } from "../../src/delivery/delivery.js";
import { createFleetClient, type FleetClient } from "../../src/fleet/fleetClient.js";
import { renderProgressChart } from "../../src/fleet/progressChart.js";
import { ScanProgress } from "../../src/fleet/scanProgress.js";
import { silentLogger } from "../../src/foundation/logger.js";
import type { Reply } from "../../src/reply/reply.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { fleetProbe } from "../../src/watch/fleetWatch.js";
import { defaultCardEditsPerMinute } from "../../src/watch/scanCards.js";
import { Watcher, type WatchProbe } from "../../src/watch/watcher.js";
import { errorsSchema, scanStatusSchema } from "../../src/wire/agentApi.js";

const { values } = parseArgs({
  options: {
    nodes: { type: "string", default: "2000" },
    hours: { type: "string", default: "2" },
    // Scanner clusters are a handful of nodes; the simulator models up to 8 per cluster.
    "per-cluster": { type: "string", default: "8" },
    loopback: { type: "boolean", default: false },
    charts: { type: "string", default: "30" },
  },
});
const nodeCount = Number(values.nodes);
const cycles = Math.round(Number(values.hours) * 60);
const perCluster = Number(values["per-cluster"]);
const minute = 60_000;
const stallAfterMinutes = 30;

/** Deterministic PRNG so two runs place the same stalls. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

let clockMs = Date.parse("2026-11-25T01:00:00.000Z");
const firstCycleMs = clockMs;
const now = () => new Date(clockMs);
const rand = random(42);

interface Planned {
  node: string;
  cluster: string;
  sim: ScannerSimulator;
  stallAtMs?: number;
  slow: boolean;
}

// 5% of nodes stall at a random moment in the first half of the run, 5% scan one large file (slow but
// alive), 2% hit database errors.
const plans: Planned[] = [];
const clusterNodes = new Map<string, string[]>();
for (let i = 0; i < nodeCount; i++) {
  const cluster = `cluster-${String(Math.floor(i / perCluster)).padStart(2, "0")}`;
  const node = `scan-${String(i).padStart(4, "0")}`;
  clusterNodes.set(cluster, [...(clusterNodes.get(cluster) ?? []), node]);
}
for (let i = 0; i < nodeCount; i++) {
  const cluster = `cluster-${String(Math.floor(i / perCluster)).padStart(2, "0")}`;
  const node = `scan-${String(i).padStart(4, "0")}`;
  const roll = rand();
  // Any second of a minute, so stall starts do not line up with polls.
  const stallSecond = 60 + Math.floor(rand() * (cycles / 2) * 60);
  const timeline: { atSeconds: number; scenario: SimulatorScenario }[] = [];
  let stallAtMs: number | undefined;
  let slow = false;
  if (roll < 0.05) {
    timeline.push({ atSeconds: stallSecond, scenario: "stalled" });
    stallAtMs = clockMs + stallSecond * 1000;
  } else if (roll < 0.1) {
    timeline.push({ atSeconds: stallSecond, scenario: "slow-large-file" });
    slow = true;
  } else if (roll < 0.12) {
    // 2% run into database trouble: their log errors go through the knowledge base on every poll.
    timeline.push({ atSeconds: stallSecond, scenario: "database-error" });
  }
  const sim = createScannerSimulator({
    nodeName: node,
    cluster,
    clusterNodes: clusterNodes.get(cluster) ?? [node],
    seed: i + 1,
    now,
    timeline,
  });
  plans.push({ node, cluster, sim, slow, ...(stallAtMs === undefined ? {} : { stallAtMs }) });
}
const byNode = new Map(plans.map((p) => [p.node, p]));

/** Records when (simulated time) each alert was posted, and each live card posted and edited. */
class TimedDelivery implements Delivery {
  readonly platform = "slack" as const;
  readonly posts: { at: number; text: string }[] = [];
  readonly cardPosts: number[] = [];
  readonly cardEdits: number[] = [];
  private seq = 0;
  async post(to: ConversationAddress, reply: Reply, options: PostOptions = {}): Promise<PostedMessage> {
    if (options.liveCard) this.cardPosts.push(clockMs);
    else this.posts.push({ at: clockMs, text: reply.text });
    return {
      platform: "slack",
      conversationId: to.conversationId,
      messageId: `${++this.seq}`,
      ...(options.threadOf ? { threadId: options.threadOf.messageId } : {}),
    };
  }
  async update(): Promise<void> {
    this.cardEdits.push(clockMs);
  }
}

/** The progress model the in-process probe feeds, as the fleet client feeds its own; its cost is timed apart. */
const progress = new ScanProgress();
let progressCpuUs = 0;

async function inProcessProbe(): Promise<WatchProbe> {
  return {
    status: async (node) => {
      const plan = byNode.get(node);
      if (!plan) throw new Error(`unknown node ${node}`);
      // Through JSON and the schema, as an answer from the wire would go.
      const value = scanStatusSchema.parse(JSON.parse(JSON.stringify(await plan.sim.status())));
      const cpu = process.cpuUsage();
      progress.observe(plan.cluster, node, value, now());
      const used = process.cpuUsage(cpu);
      progressCpuUs += used.user + used.system;
      return { ok: true, value };
    },
    errors: async (node) => {
      const plan = byNode.get(node);
      if (!plan) throw new Error(`unknown node ${node}`);
      return { ok: true, value: errorsSchema.parse(JSON.parse(JSON.stringify(await plan.sim.errors({ count: 20 })))) };
    },
  };
}

async function loopbackProbe(servers: RunningAgentServer[]): Promise<{ probe: WatchProbe; fleet: FleetClient }> {
  const clusters = new Map<string, { name: string; url: string; secret: string }[]>();
  for (const plan of plans) {
    const secret = randomBytes(24).toString("hex");
    // Signatures are checked against the real clock on both sides; only the simulation follows `now`.
    const server = await startAgentServer({ backend: plan.sim, secrets: [secret], actionsEnabled: [] });
    servers.push(server);
    clusters.set(plan.cluster, [...(clusters.get(plan.cluster) ?? []), { name: plan.node, url: server.url, secret }]);
  }
  const config = botConfigSchema.parse({
    fleet: { timeout: "10s", concurrency: 64, perClusterConcurrency: 16 },
    clusters: [...clusters].map(([name, nodes]) => ({ name, nodes })),
  });
  const fleet = createFleetClient(config);
  return { probe: fleetProbe(fleet), fleet };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "scanner-bot-bench-"));
  const store = new SqliteStore(join(dir, "scanner-bot.db"));
  await store.addSubscription({
    platform: "slack",
    conversationId: "C0BENCH",
    cluster: "*",
    notifyFinished: false,
    createdBy: "bench",
    createdAt: now().toISOString(),
  });
  const servers: RunningAgentServer[] = [];
  const loop = values.loopback ? await loopbackProbe(servers) : undefined;
  const probe = loop?.probe ?? (await inProcessProbe());
  const delivery = new TimedDelivery();
  const watcher = new Watcher({
    store,
    probe,
    targets: plans.map((p) => ({ node: p.node, cluster: p.cluster })),
    section: watchSectionSchema.parse({ pollInterval: minute, stallAfter: stallAfterMinutes * minute }),
    deliveries: { slack: delivery },
    logger: silentLogger(),
    now,
    concurrency: 64,
    channelIntervalMs: 0,
    // Every cluster's live scan card in the one subscribed conversation, as `watch on` gives.
    progress: loop?.fleet.scanProgress ?? progress,
  });

  const wallMs: number[] = [];
  const cpuMs: number[] = [];
  const heapMb: number[] = [];
  const rssMb: number[] = [];
  const alertedAt = new Map<string, number>();
  const observeMs: number[] = [];
  const viewMs: number[] = [];
  for (let c = 0; c < cycles; c++) {
    progressCpuUs = 0;
    const cpu = process.cpuUsage();
    const start = performance.now();
    await watcher.pollAll();
    await watcher.idle();
    wallMs.push(performance.now() - start);
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    const mem = process.memoryUsage();
    heapMb.push(mem.heapUsed / 2 ** 20);
    rssMb.push(mem.rss / 2 ** 20);
    observeMs.push(progressCpuUs / 1000);
    // Every cluster's progress read once a cycle: what `status` or a scan card would show.
    const viewCpu = process.cpuUsage();
    for (const [cluster, nodes] of clusterNodes) progress.cluster(cluster, nodes);
    const viewUsed = process.cpuUsage(viewCpu);
    viewMs.push((viewUsed.user + viewUsed.system) / 1000);
    for (const post of delivery.posts) {
      const node = /^(scan-\d+): scan stalled/.exec(post.text)?.[1];
      if (node && !alertedAt.has(node)) alertedAt.set(node, post.at);
    }
    clockMs += minute;
  }

  const stalled = plans.filter(
    (p) => p.stallAtMs !== undefined && p.stallAtMs + stallAfterMinutes * minute <= clockMs - minute,
  );
  const latencies = stalled
    .map((p) => ((alertedAt.get(p.node) ?? Number.NaN) - (p.stallAtMs ?? 0)) / minute)
    .filter((n) => Number.isFinite(n))
    .sort((a, b) => a - b);
  const missed = stalled.filter((p) => !alertedAt.has(p.node)).length;
  const falseAlerts = [...alertedAt.keys()].filter((n) => byNode.get(n)?.stallAtMs === undefined).length;
  const slowAlerted = plans.filter((p) => p.slow && alertedAt.has(p.node)).length;
  const kinds = new Map<string, number>();
  for (const post of delivery.posts) {
    const kind = /^scan-\d+: ([a-z ]+)/.exec(post.text)?.[1] ?? post.text.split(":")[0] ?? "?";
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  const sortedWall = [...wallMs].sort((a, b) => a - b);
  const sortedCpu = [...cpuMs].sort((a, b) => a - b);

  const lines = [
    `watcher bench: ${nodeCount} nodes in ${clusterNodes.size} clusters, ${cycles} one-minute cycles (simulated), ${values.loopback ? "loopback agent servers + fleet client" : "in-process simulator backend"}`,
    `poll cycle wall ms: p50 ${fmt(quantile(sortedWall, 0.5))}, p95 ${fmt(quantile(sortedWall, 0.95))}, max ${fmt(sortedWall.at(-1) ?? 0)}`,
    `poll cycle CPU ms:  p50 ${fmt(quantile(sortedCpu, 0.5))}, p95 ${fmt(quantile(sortedCpu, 0.95))}, max ${fmt(sortedCpu.at(-1) ?? 0)} (${fmt((quantile(sortedCpu, 0.5) / minute) * 100, 2)}% of one core at a 1-minute poll)`,
    `memory: heap ${fmt(heapMb[0] ?? 0)} → ${fmt(heapMb.at(-1) ?? 0)} MB (max ${fmt(Math.max(...heapMb))}), rss max ${fmt(Math.max(...rssMb))} MB`,
    `stalls: ${stalled.length} due, ${latencies.length} alerted, ${missed} missed; false stall alerts ${falseAlerts}; slow-but-alive alerted ${slowAlerted}`,
    `detection latency (stall start → alert), minutes: min ${fmt(latencies[0] ?? Number.NaN)}, p50 ${fmt(quantile(latencies, 0.5))}, p95 ${fmt(quantile(latencies, 0.95))}, max ${fmt(latencies.at(-1) ?? Number.NaN)} (stallAfter ${stallAfterMinutes}, poll 1)`,
    `messages posted: ${delivery.posts.length}: ${[...kinds].map(([k, n]) => `${n} ${k}`).join(", ")}`,
    cardRates(delivery),
  ];
  if (!values.loopback) {
    const sortedObserve = [...observeMs].sort((a, b) => a - b);
    const sortedView = [...viewMs].sort((a, b) => a - b);
    const samples = [...clusterNodes.values()]
      .flat()
      .reduce((n, node) => n + (progress.node(node)?.current.samples.length ?? 0), 0);
    lines.push(
      `progress tracking (${progress.size} nodes): feeding replies CPU ms/cycle p50 ${fmt(quantile(sortedObserve, 0.5), 2)}, p95 ${fmt(quantile(sortedObserve, 0.95), 2)}; reading all ${clusterNodes.size} cluster views CPU ms/cycle p50 ${fmt(quantile(sortedView, 0.5), 2)}, p95 ${fmt(quantile(sortedView, 0.95), 2)}; ${samples} readings kept (≤ 240 per node and cycle)`,
    );
  }
  lines.push(await chartBench(Number(values.charts)));
  process.stdout.write(`${lines.join("\n")}\n`);

  await watcher.stop();
  loop?.fleet.close();
  await Promise.all(servers.map((s) => s.close()));
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * The live cards' edit rate: edits per simulated minute across all clusters (one conversation watches them
 * all, as on one Slack workspace), against the platform budget the watcher spreads them within.
 */
function cardRates(delivery: TimedDelivery): string {
  const perMinute = new Map<number, number>();
  for (const at of delivery.cardEdits) perMinute.set(at, (perMinute.get(at) ?? 0) + 1);
  const counts = Array.from({ length: cycles }, (_, i) => perMinute.get(firstCycleMs + i * minute) ?? 0);
  const sorted = [...counts].sort((a, b) => a - b);
  const mean = counts.reduce((a, b) => a + b, 0) / Math.max(1, counts.length);
  return (
    `live scan cards: ${delivery.cardPosts.length} posted (one per cluster), ${delivery.cardEdits.length} edits; ` +
    `edits per minute across clusters: mean ${fmt(mean)}, p50 ${quantile(sorted, 0.5)}, max ${sorted.at(-1) ?? 0} ` +
    `(budget ${defaultCardEditsPerMinute} a minute per platform; each card at most once a minute, spread out beyond the budget)`
  );
}

/** Renders a 2,000-point chart (8 nodes × 250 readings, the previous cycle too) `runs` times; p50/p99 wall ms. */
async function chartBench(runs: number): Promise<string> {
  const chartModel = new ScanProgress({ maxSamples: 250 });
  const start = Date.parse("2026-11-25T01:00:00.000Z");
  const totals = new Array<number>(8).fill(0);
  for (let r = 0; r < 250; r++) {
    for (let n = 0; n < 8; n++) {
      const node = `chart-${n}`;
      // Counters only grow within a cycle; the pace varies from minute to minute.
      totals[n] = (totals[n] ?? 0) + Math.round((40 + n * 5) * (1 + 0.5 * Math.sin(r / 10)));
      const files = totals[n] ?? 0;
      chartModel.observe(
        "chart-cluster",
        node,
        {
          observedAt: new Date(start).toISOString(),
          nodeName: node,
          cluster: "chart-cluster",
          clusterStatus: "Scanning",
          startTime: new Date(start).toISOString(),
          timeFromStart: null,
          elapsedSeconds: 0,
          node: {
            nodeName: node,
            status: "Scanning",
            isScanning: "True",
            summary: {
              scannedFiles: files,
              failedFiles: 0,
              scannedBytes: files * 1e5,
              classified: 0,
              labeled: 0,
              extra: {},
            },
          },
          nodes: [],
          repositories: [],
          detailedReport: null,
          service: { name: "AIPScanner", state: "Running" },
          moduleGeneration: "AzureInformationProtection",
        },
        new Date(start + r * minute),
      );
    }
  }
  const view = chartModel.cluster("chart-cluster");
  const times: number[] = [];
  let bytes = 0;
  let points = 0;
  for (let i = 0; i < Math.max(1, runs); i++) {
    const t = performance.now();
    const chart = await renderProgressChart(view);
    times.push(performance.now() - t);
    bytes = chart?.png.length ?? 0;
    points = chart?.points ?? 0;
  }
  times.sort((a, b) => a - b);
  return `chart: ${points} points, PNG ${fmt(bytes / 1024)} KB, render wall ms over ${times.length} runs: p50 ${fmt(quantile(times, 0.5))}, p99 ${fmt(quantile(times, 0.99))}, min ${fmt(times[0] ?? 0)} (Vega-Lite compile + Vega SVG + resvg PNG)`;
}

await main();
