import { randomBytes } from "node:crypto";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import {
  createScannerSimulator,
  type ScannerSimulator,
  type ScannerSimulatorOptions,
} from "../../agent/simulator/scannerSimulator.js";
import { type BotConfig, botConfigSchema } from "../config/botConfig.js";
import { createFleetClient, type FleetClient } from "../fleet/fleetClient.js";
import type { Logger } from "../foundation/logger.js";
import type { ScanCycleRecord } from "../store/scanCycleRecord.js";

/**
 * The embedded default: a simulated three-node scanner cluster served by real
 * agent servers on loopback, so every command shows real content without any
 * account. One node stalls a little while after start (counters and detailed
 * report freeze); another has had database trouble for a while.
 */

export interface DemoClusterOptions {
  /** Seconds after start when scan-02 stops making progress (default 75). */
  stallAfterSeconds?: number;
  logger?: Logger;
  /** The simulated scanners' clock (tests move it forward). */
  now?: () => Date;
}

/** One demo node: its agent server and the simulator behind it. */
export interface DemoAgent {
  name: string;
  url: string;
  /** The simulated scanner behind the agent; the watcher's demo may steer it. */
  simulator: ScannerSimulator;
  server: RunningAgentServer;
}

/** The running demo: a config and fleet like a real deployment's, plus the agents behind them. */
export interface DemoCluster {
  config: BotConfig;
  fleet: FleetClient;
  agents: DemoAgent[];
  /** Stops the fleet client and every agent server. */
  close(): Promise<void>;
}

/** The demo cluster's name, as `status` shows it. */
export const demoClusterName = "contoso-demo";

type NodePlan = Omit<ScannerSimulatorOptions, "nodeName" | "cluster" | "clusterNodes" | "now">;

/** What each demo node plays. Seeds vary sizes and addresses between nodes. */
function nodePlans(stallAfterSeconds: number): Record<string, NodePlan> {
  return {
    "scan-01": { scenario: "healthy", seed: 11, filesPerMinute: 150 },
    "scan-02": {
      scenario: "healthy",
      seed: 23,
      filesPerMinute: 110,
      timeline: [{ atSeconds: stallAfterSeconds, scenario: "stalled" }],
    },
    "scan-03": {
      // The SQL instance was unreachable for a while; after it came back, the client upgrade
      // left the schema behind: two kinds of database trouble in the log.
      scenario: "schema-mismatch",
      seed: 37,
      moduleGeneration: "PurviewInformationProtection",
      timeline: [{ atSeconds: -14 * 60, scenario: "database-error" }],
      eventLog: true,
    },
  };
}

/** Starts the demo cluster's agents and a fleet client pointed at them. */
export async function startDemoCluster(options: DemoClusterOptions = {}): Promise<DemoCluster> {
  const plans = nodePlans(options.stallAfterSeconds ?? 75);
  const names = Object.keys(plans);
  const agents: DemoAgent[] = [];
  const secrets = new Map<string, string>();
  // One cluster shares one database: every node's view of the others is those nodes' own rows.
  const members = new Map<string, ScannerSimulator>();
  const peerNode = (name: string) => members.get(name)?.ownNode() ?? null;
  try {
    for (const [name, plan] of Object.entries(plans)) {
      const simulator = createScannerSimulator({
        ...plan,
        nodeName: name,
        cluster: demoClusterName,
        clusterNodes: names,
        peerNode,
        ...(options.now ? { now: options.now } : {}),
      });
      // A fresh secret per node and per run: nothing to leak, nothing to configure.
      const secret = randomBytes(32).toString("hex");
      const server = await startAgentServer({
        backend: simulator,
        secrets: [secret],
        host: "127.0.0.1",
        port: 0,
        actionsEnabled: ["restart-service", "start-scan", "stop-scan", "export-logs"],
        // Signatures are checked against the real clock on both sides; only the simulation follows `now`.
        ...(options.logger ? { logger: options.logger } : {}),
      });
      secrets.set(name, secret);
      members.set(name, simulator);
      agents.push({ name, url: server.url, simulator, server });
    }
  } catch (err) {
    await Promise.allSettled(agents.map((a) => a.server.close()));
    throw err;
  }
  const config = botConfigSchema.parse({
    fleet: { timeout: "5s", diagnosticsTimeout: "30s", concurrency: 8, perClusterConcurrency: 4 },
    clusters: [
      {
        name: demoClusterName,
        nodes: agents.map((a) => ({ name: a.name, url: a.url, secret: secrets.get(a.name) })),
      },
    ],
    // Demo timings, so the console shows scan-02's stall alert within about two minutes of start.
    watch: { pollInterval: "5s", stallAfter: "45s", reminderEvery: "10m" },
    // The demo keeps nothing on disk.
    store: { path: ":memory:" },
    // So the console can follow the article's remedy for the stall: `restart scan-02`, confirm, see the recovery.
    actions: { enabled: ["restart-service", "start-scan", "stop-scan", "export-logs"] },
  });
  const fleet = createFleetClient(config, options.now ? { now: options.now } : {});
  let closed: Promise<void> | undefined;
  return {
    config,
    fleet,
    agents,
    close() {
      closed ??= (async () => {
        fleet.close();
        await Promise.allSettled(agents.map((a) => a.server.close()));
      })();
      return closed;
    },
  };
}

/**
 * The demo's "yesterday": a completed cycle of an hour at the nodes' own rates, so `progress` and
 * `status` show percent and ETA at once (a real bot learns this from the first cycle it sees finish).
 */
export function demoPreviousCycle(now: Date): ScanCycleRecord {
  const finished = now.getTime() - 20 * 3_600_000;
  const started = finished - 60 * 60_000;
  // scan-01 150 files/min; the simulators slow each further node of the cluster by 12 %.
  const nodeFiles = { "scan-01": 9000, "scan-02": 5808, "scan-03": 5472 };
  const total = Object.values(nodeFiles).reduce((a, b) => a + b, 0);
  return {
    cluster: demoClusterName,
    startKey: new Date(started).toISOString(),
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    scannedFiles: total,
    scannedBytes: total * 350_000,
    failedFiles: 12,
    repositories: 3,
    nodeFiles,
    curve: Array.from({ length: 13 }, (_, i) => [i * 300, Math.round((total * i) / 12)] as [number, number]),
  };
}

/** What the console prints first in the demo, so people know what they are looking at. */
export function demoBanner(demo: DemoCluster): string {
  const nodes = demo.agents.map((a) => `${a.name} (${a.url})`).join(", ");
  return [
    `Demo cluster ${demoClusterName}: simulated scanner nodes behind real agents on loopback: ${nodes}.`,
    "scan-02 stops making progress after about a minute; scan-03 has database trouble.",
    "scan-03 was upgraded to the Purview client first (service MIPScanner); scan-01 and scan-02 still run the AIP client (AIPScanner).",
    "Try: status · progress · status scan-02 · diagnose · errors scan-03 · explain SchemaMismatchException",
  ].join("\n");
}
