import { setMaxListeners } from "node:events";
import PQueue from "p-queue";
import type { z } from "zod";
import type { BotConfig, ChannelRef } from "../config/botConfig.js";
import { channelConversationId } from "../delivery/notifyOnly.js";
import { BotError } from "../foundation/botError.js";
import {
  type ActionResult,
  actionRequestSchema,
  actionResultSchema,
  agentPaths,
  type Diagnostics,
  diagnosticsSchema,
  type ErrorsReport,
  errorsSchema,
  type Health,
  healthSchema,
  type ReportCycle,
  type ReportDigest,
  reportDigestSchema,
  type ScanStatus,
  scanStatusSchema,
} from "../wire/agentApi.js";
import { type ProgressMark, ProgressTracker } from "./fleetProgress.js";
import { type AgentSockets, callAgent, createAgentSockets, linkedSignal } from "./fleetRequest.js";
import { ScanProgress } from "./scanProgress.js";
import { createSharedReads } from "./sharedReads.js";

/**
 * The bot's view of every scanner node: signed calls to their agents, bounded
 * in parallel (across the fleet and per cluster), each with its own timeout,
 * so one slow or dead node never holds back the answer about the others.
 * Every node call resolves to a NodeOutcome value; failures never throw.
 */

/** A node as commands see it. The shared secret stays inside the client. */
export interface FleetNode {
  name: string;
  cluster: string;
  url: string;
}

/** A cluster as commands see it: its nodes and where its alerts go. */
export interface FleetCluster {
  name: string;
  nodes: readonly FleetNode[];
  /** Where alerts go; a webhook appears by its name, never its URL (a secret). */
  channels: readonly { platform: ChannelRef["platform"]; id: string }[];
}

/** One node's answer: the value, or the reason there is none. Either way, how long it took. */
export type NodeOutcome<T> =
  | { node: string; ok: true; value: T; durationMs: number }
  | { node: string; ok: false; error: BotError; durationMs: number };

/** Per-call options every fleet method accepts. */
export interface FleetCallOptions {
  /** Gives up (as "cancelled") when aborted, e.g. when the command is abandoned. */
  signal?: AbortSignal;
}

/** What `action()` accepts: the agent's request, with defaults filled in by its schema. */
export type ActionInput = z.input<typeof actionRequestSchema>;

/** The bot's only way to reach scanner nodes; see createFleetClient. */
export interface FleetClient {
  clusters(): readonly FleetCluster[];
  /** Every node of every cluster, in config order. */
  nodes(): readonly FleetNode[];
  /** Case-insensitive lookup by node name. */
  findNode(name: string): FleetNode | undefined;
  /** Case-insensitive lookup by cluster name. */
  findCluster(name: string): FleetCluster | undefined;
  health(node: string, options?: FleetCallOptions): Promise<NodeOutcome<Health>>;
  /** Get-AIPScannerStatus / Get-ScanStatus on the node; also feeds the progress tracker. */
  status(node: string, options?: FleetCallOptions): Promise<NodeOutcome<ScanStatus>>;
  /**
   * Status of every node of a cluster, in config order; unreachable nodes included as failures.
   * Rejects with a `not_found` BotError only for a cluster name that is not configured.
   */
  statusOfCluster(cluster: string, options?: FleetCallOptions): Promise<NodeOutcome<ScanStatus>[]>;
  diagnostics(node: string, options?: FleetCallOptions): Promise<NodeOutcome<Diagnostics>>;
  /** The last `count` errors from the node's scanner log (1–500). */
  errors(node: string, count: number, options?: FleetCallOptions): Promise<NodeOutcome<ErrorsReport>>;
  action(node: string, request: ActionInput, options?: FleetCallOptions): Promise<NodeOutcome<ActionResult>>;
  /** Aggregates of the node's scan reports for one cycle; reading a large report may take a while. */
  report(node: string, cycle: ReportCycle, options?: FleetCallOptions): Promise<NodeOutcome<ReportDigest>>;
  /** When the node's scan counters were first seen and last seen to change. */
  progress(node: string): ProgressMark | undefined;
  /** Rates, trends and cycles of every node and cluster, from every status reply (bot receive times). */
  readonly scanProgress: ScanProgress;
  /** Calls waiting for a free slot. */
  readonly pending: number;
  /** Calls in flight to agents right now. */
  readonly running: number;
  /** Drops kept-alive connections; calls still running fail as cancelled. */
  close(): void;
}

/** Injection points for tests: the clock used by the progress tracker. */
export interface FleetClientOptions {
  now?: () => Date;
}

type AgentRequest = { path: string; method: "GET" | "POST"; body?: string; timeoutMs?: number };

interface NodeEntry extends FleetNode {
  secret: string;
  timeoutMs: number;
  queue: PQueue;
}

/** Builds the fleet client for the clusters and settings of a config. */
export function createFleetClient(
  config: Pick<BotConfig, "fleet" | "clusters">,
  options: FleetClientOptions = {},
): FleetClient {
  const now = options.now ?? (() => new Date());
  const settings = config.fleet;
  const global = new PQueue({ concurrency: settings.concurrency });
  const sockets: AgentSockets = createAgentSockets(Math.min(8, settings.perClusterConcurrency));
  const progress = new ProgressTracker();
  const scanProgress = new ScanProgress();
  const reads = createSharedReads();
  const closing = new AbortController();
  // Every queued call listens on it; hundreds at once is normal for a big cluster.
  setMaxListeners(0, closing.signal);
  let waiting = 0;

  const byNode = new Map<string, NodeEntry>();
  const byCluster = new Map<string, FleetCluster>();
  const clusterList: FleetCluster[] = [];
  for (const cluster of config.clusters) {
    const queue = new PQueue({ concurrency: cluster.concurrency ?? settings.perClusterConcurrency });
    const nodes: FleetNode[] = [];
    for (const node of cluster.nodes) {
      const entry: NodeEntry = {
        name: node.name,
        cluster: cluster.name,
        url: node.url,
        secret: node.secret,
        timeoutMs: cluster.timeoutMs ?? settings.timeout,
        queue,
      };
      byNode.set(node.name.toLowerCase(), entry);
      nodes.push({ name: node.name, cluster: cluster.name, url: node.url });
    }
    const channels = cluster.channels.map((c) => ({ platform: c.platform, id: channelConversationId(c) }));
    const view: FleetCluster = { name: cluster.name, nodes, channels };
    clusterList.push(view);
    byCluster.set(cluster.name.toLowerCase(), view);
  }

  /**
   * One call to a node's agent; reads (GET) already in flight for the same node and path are joined, not repeated.
   * `onReply` sees each reply once, however many callers share it.
   */
  function call<T extends z.ZodType>(
    nodeName: string,
    request: AgentRequest,
    schema: T,
    callOptions: FleetCallOptions,
    onReply?: (outcome: NodeOutcome<z.output<T>>) => void,
  ): Promise<NodeOutcome<z.output<T>>> {
    const entry = byNode.get(nodeName.toLowerCase());
    if (!entry) {
      return Promise.resolve({ node: nodeName, ok: false, error: unknownNodeError(nodeName), durationMs: 0 });
    }
    if (request.method !== "GET") return queued(entry, request, schema, callOptions.signal);
    return reads.run(
      `${entry.name}\n${request.path}`,
      callOptions.signal,
      (signal) =>
        onReply
          ? queued(entry, request, schema, signal).then((outcome) => {
              onReply(outcome);
              return outcome;
            })
          : queued(entry, request, schema, signal),
      () => ({
        node: entry.name,
        ok: false as const,
        error: new BotError("agent_unreachable", "not waited for (the request was cancelled)"),
        durationMs: 0,
      }),
    );
  }

  /** Queues one call: a cluster slot first, then a fleet-wide slot, so a big cluster cannot starve the others. */
  async function queued<T extends z.ZodType>(
    entry: NodeEntry,
    request: AgentRequest,
    schema: T,
    callerSignal: AbortSignal | undefined,
  ): Promise<NodeOutcome<z.output<T>>> {
    // Per call, released below: queue and request listeners must not pile up on the long-lived signals.
    const linked = linkedSignal([callerSignal, closing.signal]);
    const signal = linked.signal;
    waiting += 1;
    let started = false;
    const run = async (): Promise<NodeOutcome<z.output<T>>> => {
      waiting -= 1;
      started = true;
      const startedAt = performance.now();
      const result = await callAgent(
        {
          baseUrl: entry.url,
          path: request.path,
          method: request.method,
          ...(request.body === undefined ? {} : { body: request.body }),
          secret: entry.secret,
          timeoutMs: request.timeoutMs ?? entry.timeoutMs,
          maxReplyBytes: settings.maxReplyBytes,
          signal,
        },
        schema,
        sockets,
      );
      const durationMs = Math.round(performance.now() - startedAt);
      return result.ok
        ? { node: entry.name, ok: true, value: result.value, durationMs }
        : { node: entry.name, ok: false, error: result.error, durationMs };
    };
    try {
      const outcome = await entry.queue.add(() => global.add(run, { signal }), { signal });
      return outcome as NodeOutcome<z.output<T>>;
    } catch (err) {
      // Only reachable when the call was cancelled while still waiting for a slot.
      if (!started) waiting -= 1;
      return {
        node: entry.name,
        ok: false,
        error: new BotError("agent_unreachable", "not asked (the request was cancelled)", { cause: err }),
        durationMs: 0,
      };
    } finally {
      linked.release();
    }
  }

  function unknownNodeError(name: string): BotError {
    const known = [...byNode.values()].map((n) => n.name);
    return new BotError(
      "not_found",
      `There is no node \`${name.slice(0, 63)}\`. Known nodes: ${known.length ? known.join(", ") : "none configured"}.`,
    );
  }

  async function status(node: string, callOptions: FleetCallOptions = {}): Promise<NodeOutcome<ScanStatus>> {
    // Observed once per reply: callers sharing a read must not each count as a look at the node.
    return call(node, { path: agentPaths.status, method: "GET" }, scanStatusSchema, callOptions, (outcome) => {
      if (!outcome.ok) return;
      const at = now();
      progress.observe(outcome.node, outcome.value, at);
      const cluster = byNode.get(outcome.node.toLowerCase())?.cluster;
      if (cluster) scanProgress.observe(cluster, outcome.node, outcome.value, at);
    });
  }

  // A cluster with no kept cycle takes its basis from the nodes' last Summary reports: the last cycle's (there
  // is none while a cycle runs) and the one before; ScanProgress keeps the newest written before the current start.
  // A normal (status-sized) timeout: an agent too old to read only the Summary would read the whole CSV.
  scanProgress.useSummaryReports(async (cluster) => {
    const members = clusterList.find((c) => c.name === cluster)?.nodes ?? [];
    const replies = await Promise.all(
      members.flatMap((n) =>
        (["last", "previous"] as const).map((cycle) =>
          call(
            n.name,
            { path: `${agentPaths.report}?cycle=${cycle}&parts=summary`, method: "GET" },
            reportDigestSchema,
            {
              signal: closing.signal,
            },
          ),
        ),
      ),
    );
    return replies.flatMap((r) => (r.ok && r.value.summary ? [{ node: r.node, ...r.value.summary }] : []));
  });

  return {
    clusters: () => clusterList,
    nodes: () => clusterList.flatMap((c) => c.nodes),
    findNode(name) {
      const entry = byNode.get(name.toLowerCase());
      return entry ? { name: entry.name, cluster: entry.cluster, url: entry.url } : undefined;
    },
    findCluster: (name) => byCluster.get(name.toLowerCase()),
    health: (node, o = {}) => call(node, { path: agentPaths.health, method: "GET" }, healthSchema, o),
    status,
    async statusOfCluster(cluster, o = {}) {
      const view = byCluster.get(cluster.toLowerCase());
      if (!view) throw new BotError("not_found", `There is no cluster \`${cluster.slice(0, 63)}\`.`);
      return Promise.all(view.nodes.map((n) => status(n.name, o)));
    },
    diagnostics: (node, o = {}) =>
      call(
        node,
        { path: agentPaths.diagnostics, method: "GET", timeoutMs: settings.diagnosticsTimeout },
        diagnosticsSchema,
        o,
      ),
    errors(node, count, o = {}) {
      const bounded = Math.min(500, Math.max(1, Math.floor(count)));
      return call(node, { path: `${agentPaths.errors}?count=${bounded}`, method: "GET" }, errorsSchema, o);
    },
    async action(node, request, o = {}) {
      const parsed = actionRequestSchema.safeParse(request);
      if (!parsed.success) {
        const error = new BotError("bad_arguments", "That action request is not valid.", { cause: parsed.error });
        return { node, ok: false, error, durationMs: 0 };
      }
      return call(
        node,
        { path: agentPaths.action, method: "POST", body: JSON.stringify(parsed.data) },
        actionResultSchema,
        o,
      );
    },
    report: (node, cycle, o = {}) =>
      call(
        node,
        // Reading a report of hundreds of MB takes as long as diagnostics, not as long as a status read.
        {
          path: `${agentPaths.report}?cycle=${cycle === "previous" ? "previous" : "last"}`,
          method: "GET",
          timeoutMs: settings.diagnosticsTimeout,
        },
        reportDigestSchema,
        o,
      ),
    progress: (node) => progress.get(byNode.get(node.toLowerCase())?.name ?? node),
    scanProgress,
    get pending() {
      return waiting;
    },
    get running() {
      return global.pending;
    },
    close() {
      closing.abort();
      sockets.close();
    },
  };
}
