import { randomBytes } from "node:crypto";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import type { ScannerBackend } from "../../agent/scannerBackend.js";
import { createScannerSimulator, type ScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { type BotConfig, botConfigSchema } from "../../src/config/botConfig.js";
import type { WatchSection } from "../../src/config/watchSection.js";
import { createFleetClient, type FleetClient } from "../../src/fleet/fleetClient.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { type LeaseChange, leasedTargets, PostgresClusterLeases } from "../../src/store/leases.js";
import { PostgresStore } from "../../src/store/postgresStore.js";
import { fleetProbe, fleetTargets, subscribeConfiguredChannels } from "../../src/watch/fleetWatch.js";
import { Watcher } from "../../src/watch/watcher.js";
import { RecordingDelivery } from "../watch/watchHarness.js";

/**
 * Many scanner nodes as real agent servers on 127.0.0.1 (simulated scanners
 * on a shared clock), split into clusters, plus bot replicas over them: each
 * replica has its own PostgreSQL connection pool, lease holder, fleet client,
 * watcher and recording Delivery, as separate processes would. Used by the
 * scale test and by bench/scale.
 */
export class LoopbackFleet {
  readonly simulators = new Map<string, ScannerSimulator>();
  private constructor(
    readonly config: BotConfig,
    private readonly servers: RunningAgentServer[],
  ) {}

  /** Starts `clusters × nodesPerCluster` agents; every cluster alerts one Slack channel. */
  static async start(options: {
    clusters: number;
    nodesPerCluster: number;
    now?: () => Date;
    watch?: Partial<WatchSection>;
    /** Added before every status and errors answer, as a real node's PowerShell would take. */
    latencyMs?: number;
  }): Promise<LoopbackFleet> {
    const servers: RunningAgentServer[] = [];
    const simulators = new Map<string, ScannerSimulator>();
    const clusters = [];
    for (let c = 1; c <= options.clusters; c++) {
      const cluster = `cluster-${String(c).padStart(2, "0")}`;
      const names = Array.from({ length: options.nodesPerCluster }, (_, i) => `${cluster}-scan-${i + 1}`);
      const nodes = [];
      for (const [i, name] of names.entries()) {
        const simulator = createScannerSimulator({
          nodeName: name,
          cluster,
          clusterNodes: names,
          seed: c * 100 + i,
          ...(options.now ? { now: options.now } : {}),
        });
        simulators.set(name, simulator);
        const secret = randomBytes(24).toString("hex");
        const backend = options.latencyMs ? slowed(simulator, options.latencyMs) : simulator;
        const server = await startAgentServer({ backend, secrets: [secret], actionsEnabled: [] });
        servers.push(server);
        nodes.push({ name, url: server.url, secret });
      }
      clusters.push({ name: cluster, nodes, channels: [{ platform: "slack", id: "C0SCANOPS" }] });
    }
    const config = botConfigSchema.parse({
      fleet: { timeout: 5000, concurrency: 64, perClusterConcurrency: 16 },
      clusters,
      watch: options.watch ?? {},
    });
    const fleet = new LoopbackFleet(config, servers);
    for (const [name, sim] of simulators) fleet.simulators.set(name, sim);
    return fleet;
  }

  clusterNames(): string[] {
    return this.config.clusters.map((c) => c.name);
  }

  nodesOf(cluster: string): string[] {
    return this.config.clusters.find((c) => c.name === cluster)?.nodes.map((n) => n.name) ?? [];
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.splice(0).map((s) => s.close()));
  }
}

/** The backend with a fixed delay before each status and errors answer. */
function slowed(backend: ScannerBackend, ms: number): ScannerBackend {
  const pause = () => new Promise((resolve) => setTimeout(resolve, ms));
  return {
    ...backend,
    status: async () => {
      await pause();
      return backend.status();
    },
    errors: async (query) => {
      await pause();
      return backend.errors(query);
    },
  };
}

/** One bot replica: its own pool, leases, fleet client, watcher and Delivery. */
export class Replica {
  readonly store: PostgresStore;
  readonly leases: PostgresClusterLeases;
  readonly fleet: FleetClient;
  readonly watcher: Watcher;
  readonly delivery = new RecordingDelivery("slack");
  /** Nodes polled by this replica (status calls answered or not). */
  polls = 0;
  readonly changes: LeaseChange[] = [];
  private readonly config: BotConfig;

  constructor(
    readonly id: string,
    options: {
      config: BotConfig;
      url: string;
      schema: string;
      ttlMs: number;
      now?: () => Date;
    },
  ) {
    const { config } = options;
    this.config = config;
    this.store = new PostgresStore({ url: options.url, schema: options.schema, poolSize: 4 });
    this.fleet = createFleetClient(config);
    this.leases = new PostgresClusterLeases({
      store: this.store,
      clusters: () => config.clusters.map((c) => c.name),
      ttlMs: options.ttlMs,
      replicaId: id,
      ...(options.now ? { now: options.now } : {}),
      // As the runtime does: a cluster taken over is adopted (histories, leftover claims) before it is polled.
      onChange: async (change) => {
        this.changes.push(change);
        if (change.acquired.length > 0) await this.watcher.adoptClusters(change.acquired);
      },
    });
    const probe = fleetProbe(this.fleet);
    this.watcher = new Watcher({
      store: this.store,
      probe: {
        ...probe,
        status: (node) => {
          this.polls++;
          return probe.status(node);
        },
      },
      targets: leasedTargets(fleetTargets(this.fleet), this.leases),
      leases: this.leases,
      ...(config.watch ? { section: config.watch } : {}),
      deliveries: { slack: this.delivery },
      logger: silentLogger(),
      ...(options.now ? { now: options.now } : {}),
      channelIntervalMs: 0,
      sleep: async () => {},
    });
  }

  /** Subscribes the configured channels (any replica may: the store keeps one row per channel and cluster). */
  subscribe(at: Date): Promise<void> {
    return subscribeConfiguredChannels(this.config, this.store, at);
  }

  /** Stops everything this replica runs and closes its connections. */
  async close(): Promise<void> {
    this.leases.halt();
    await this.watcher.stop();
    this.fleet.close();
    await this.store.close();
  }
}
