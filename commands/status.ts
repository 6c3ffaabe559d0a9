import { type AgentReleaseView, agentRelease } from "../src/fleet/agentRelease.js";
import type { FleetClient, FleetCluster, FleetNode, NodeOutcome } from "../src/fleet/fleetClient.js";
import {
  formatAge,
  formatBytes,
  formatCount,
  formatElapsed,
  formatUtc,
  maxTableRows,
  problemRowsFirst,
} from "../src/fleet/fleetFigures.js";
import { lastProgressAt } from "../src/fleet/fleetProgress.js";
import { type FleetTarget, requireFleet, resolveTarget, targetSize } from "../src/fleet/fleetTarget.js";
import { clusterProgressFields, nodeProgressCells } from "../src/fleet/progressFields.js";
import type { ClusterProgressView } from "../src/fleet/scanProgress.js";
import { type Action, type ReplyBuilder, reply, type Status, type TableRow, worstStatus } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import { targetArgsSchema, targetInput } from "../src/routing/targetArgs.js";
import type { WatchControl } from "../src/watch/watcher.js";
import type { ScanStatus } from "../src/wire/agentApi.js";

/** A scanning node whose counters and report have not moved for this long gets a warning badge. */
export const quietAfterMs = 2 * 60_000;

/** How one node looks: a badge and a few words why. */
export interface NodeAssessment {
  status: Status;
  note: string;
  lastProgress?: Date;
  /** The stall watcher's own line for this node, when it has polled it. */
  watcherText?: string;
}

/** Judges one node's status reply: errors and stopped services first, then a scan that stopped moving. */
export function assessNode(value: ScanStatus, lastProgress: Date | undefined, now: Date): NodeAssessment {
  const nodeStatus = value.node?.status ?? value.clusterStatus;
  const base = lastProgress ? { lastProgress } : {};
  if (value.service.state !== "Running") {
    return { ...base, status: "error", note: `service ${value.service.name} is ${value.service.state}` };
  }
  if (nodeStatus === "Error" || value.clusterStatus === "Error") {
    return { ...base, status: "error", note: "cannot scan, run diagnose" };
  }
  if (nodeStatus === "Offline") return { ...base, status: "error", note: "offline, is the service started?" };
  const scanning = value.node?.isScanning === "True" || nodeStatus === "Scanning";
  if (scanning && lastProgress && now.getTime() - lastProgress.getTime() > quietAfterMs) {
    return { ...base, status: "warn", note: `no progress since ${formatAge(lastProgress, now)}` };
  }
  if (!value.node) return { ...base, status: "warn", note: "this node is not in its cluster's NodesInfo" };
  return { ...base, status: scanning ? "ok" : "info", note: scanning ? "scanning" : nodeStatus.toLowerCase() };
}

const nodeColumns = [
  "Node",
  "Status",
  "Scanned files",
  "Failed",
  "Scanned size",
  "Classified",
  "Labeled",
  "Last progress",
  "Rate",
  "Estimate",
];

/** What a narrow chat pane shows of the node table: files and size share a column. */
const narrowNodeColumns = [
  { label: "Node", from: [0] },
  { label: "Status", from: [1] },
  { label: "Scanned", from: [2, 4] },
  { label: "Last progress", from: [7] },
];

/**
 * The watcher has history this one reply lacks: a slow but alive scan (counters flat, report growing)
 * is shown as such so nobody restarts it, and a stall it has confirmed is shown as a stall.
 */
function withWatcherView(assessment: NodeAssessment, node: string, watcher: WatchControl | undefined): NodeAssessment {
  const view = watcher?.assessment(node);
  const watched = view ? { ...assessment, watcherText: view.text } : assessment;
  if (view?.state === "slow-but-alive") return { ...watched, status: "info", note: view.text };
  if (view?.state === "stalled" && assessment.status !== "error") {
    return { ...watched, status: "warn", note: view.text };
  }
  return watched;
}

function nodeRow(
  outcome: NodeOutcome<ScanStatus>,
  fleet: FleetClient,
  now: Date,
  progress: ClusterProgressView,
  watcher?: WatchControl,
): TableRow {
  if (!outcome.ok) {
    const dash = Array(nodeColumns.length - 2).fill("—");
    return { cells: [outcome.node, outcome.error.userMessage, ...dash], status: "error" };
  }
  const value = outcome.value;
  const assessment = withWatcherView(
    assessNode(value, lastProgressAt(fleet.progress(outcome.node), value), now),
    outcome.node,
    watcher,
  );
  const s = value.node?.summary;
  const figure = (n: number | undefined, format: (n: number) => string = formatCount) =>
    n === undefined ? "—" : format(n);
  return {
    cells: [
      outcome.node,
      assessment.status === "ok" || (assessment.status === "info" && !assessment.watcherText)
        ? (value.node?.status ?? value.clusterStatus)
        : `${value.node?.status ?? value.clusterStatus} (${assessment.note})`,
      figure(s?.scannedFiles),
      figure(s?.failedFiles),
      figure(s?.scannedBytes, formatBytes),
      figure(s?.classified),
      figure(s?.labeled),
      assessment.lastProgress ? formatAge(assessment.lastProgress, now) : "—",
      ...nodeProgressCells(
        progress.nodes.find((n) => n.current.node === outcome.node),
        progress,
        now,
      ),
    ],
    status: assessment.status,
  };
}

/** "2 of 3 nodes scanning · 1 unreachable · 1 with no progress". */
function summaryLine(outcomes: NodeOutcome<ScanStatus>[], rows: TableRow[]): string {
  const scanning = outcomes.filter(
    (o) => o.ok && (o.value.node?.isScanning === "True" || o.value.node?.status === "Scanning"),
  );
  const unreachable = outcomes.filter((o) => !o.ok).length;
  const troubled = rows.filter((r, i) => outcomes[i]?.ok && r.status === "error").length;
  const quiet = rows.filter((r) => r.status === "warn").length;
  const parts = [`${scanning.length} of ${outcomes.length} node${outcomes.length === 1 ? "" : "s"} scanning`];
  if (unreachable) parts.push(`${unreachable} unreachable`);
  if (troubled) parts.push(`${troubled} in error`);
  if (quiet) parts.push(`${quiet} need${quiet === 1 ? "s" : ""} a look`);
  return parts.join(" · ");
}

/** Buttons for the node that most needs attention, so the next step is one click away. */
function nextSteps(node: string | undefined): Action[] {
  if (!node) return [];
  return [
    { label: `Run diagnostics on ${node}`, command: `diagnose ${node}`, style: "primary" },
    { label: `Show errors of ${node}`, command: `errors ${node}` },
  ];
}

/**
 * The cluster's status as its nodes report it. Every node reads it from the same
 * database, so they normally agree; when they don't, say who says what.
 */
function clusterStatusText(values: readonly ScanStatus[]): string {
  const byStatus = new Map<string, string[]>();
  for (const v of values) {
    const text = v.clusterStatusText ?? v.clusterStatus;
    byStatus.set(text, [...(byStatus.get(text) ?? []), v.nodeName]);
  }
  if (byStatus.size <= 1) return [...byStatus.keys()][0] ?? "unknown";
  return [...byStatus].map(([text, nodes]) => `${text} (${nodes.join(", ")})`).join(" · ");
}

function clusterFields(values: readonly ScanStatus[], now: Date) {
  const value = values[0];
  if (!value) return [{ label: "Cluster status", value: "unknown (no node answered)", status: "error" as const }];
  const started = value.startTime ? new Date(value.startTime) : undefined;
  const bad = values.some((v) => v.clusterStatus === "Error" || v.clusterStatus === "Offline");
  return [
    {
      label: "Cluster status",
      value: clusterStatusText(values),
      status: bad ? ("error" as const) : undefined,
    },
    { label: "Scan started", value: started ? `${formatUtc(started)} (${formatAge(started, now)})` : "—" },
    { label: "Time from start", value: value.timeFromStart ? formatElapsed(value.timeFromStart) : "—" },
  ].map(({ status, ...f }) => (status ? { ...f, status } : f));
}

function addCluster(
  builder: ReplyBuilder,
  cluster: FleetCluster,
  outcomes: NodeOutcome<ScanStatus>[],
  fleet: FleetClient,
  now: Date,
  watcher?: WatchControl,
): { status: Status; summary: string; attention?: string } {
  const progress = fleet.scanProgress.cluster(
    cluster.name,
    cluster.nodes.map((n) => n.name),
  );
  const rows = outcomes.map((o) => nodeRow(o, fleet, now, progress, watcher));
  const status = worstStatus(rows.map((r) => r.status));
  const summary = summaryLine(outcomes, rows);
  const answers = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
  const answered = answers[0];
  builder
    .heading(`Cluster ${cluster.name}`)
    .status(status === "info" ? "ok" : status, summary)
    .fields([...clusterFields(answers, now), ...clusterProgressFields(progress, now)])
    .table(
      nodeColumns,
      problemRowsFirst(rows),
      rows.length > maxTableRows ? rows.length : undefined,
      narrowNodeColumns,
    );
  const repositories = answered?.repositories ?? [];
  if (repositories.length > 0) {
    builder.table(
      ["Repository", "State"],
      repositories.map((r) => ({
        cells: [r.path, r.status],
        ...(r.status === "Unknown" ? { status: "warn" as const } : {}),
      })),
    );
  } else if (answered) {
    builder.status("warn", "The content scan job lists no repositories.");
  }
  const errorIndex = rows.findIndex((r) => r.status === "error");
  const worstIndex = errorIndex >= 0 ? errorIndex : rows.findIndex((r) => r.status === "warn");
  const attention = worstIndex >= 0 ? outcomes[worstIndex]?.node : undefined;
  return { status, summary, ...(attention ? { attention } : {}) };
}

async function clustersStatus(
  fleet: FleetClient,
  target: Extract<FleetTarget, { kind: "clusters" }>,
  now: () => Date,
  signal: AbortSignal,
  watcher?: WatchControl,
) {
  const results = await Promise.all(target.clusters.map((c) => fleet.statusOfCluster(c.name, { signal })));
  await Promise.all(target.clusters.map((c) => fleet.scanProgress.loadBaseline(c.name)));
  const at = now();
  const builder = reply("");
  const summaries = target.clusters.map((cluster, i) => {
    if (i > 0) builder.divider();
    return { cluster, ...addCluster(builder, cluster, results[i] ?? [], fleet, at, watcher) };
  });
  const status = worstStatus(summaries.map((s) => s.status));
  const attention = summaries.find((s) => s.attention)?.attention;
  builder.actions(nextSteps(attention));
  const text = summaries.map((s) => `${s.cluster.name}: ${s.summary}`).join("; ");
  return { ...builder.build(), text, status: status === "info" ? "ok" : status };
}

/**
 * The node's agent release: from its status answer, or (agents built before status carried it) from health.
 * An outdated agent is worth a line even when the scan is fine.
 */
async function reportedRelease(
  fleet: FleetClient,
  node: string,
  status: ScanStatus,
  signal: AbortSignal,
): Promise<AgentReleaseView | undefined> {
  if (status.agentVersion !== undefined) {
    return agentRelease({ agentVersion: status.agentVersion, agentRevision: status.agentRevision });
  }
  const health = await fleet.health(node, { signal });
  return health.ok ? agentRelease(health.value) : undefined;
}

async function nodeStatus(
  fleet: FleetClient,
  node: FleetNode,
  now: () => Date,
  signal: AbortSignal,
  watcher?: WatchControl,
) {
  const outcome = await fleet.status(node.name, { signal });
  const at = now();
  if (!outcome.ok) {
    return reply(`${node.name}: ${outcome.error.userMessage}`, { status: "error" })
      .heading(`${node.name} (cluster ${node.cluster})`)
      .status("error", `${node.name} is ${outcome.error.userMessage}.`)
      .fields([
        { label: "Agent", value: node.url },
        { label: "Waited", value: `${(outcome.durationMs / 1000).toFixed(1)} s` },
      ])
      .text("Check that the scanner-bot agent service runs on the node and that the bot can reach its port.")
      .build();
  }
  const value = outcome.value;
  const mark = fleet.progress(node.name);
  await fleet.scanProgress.loadBaseline(node.cluster);
  const progress = fleet.scanProgress.cluster(node.cluster, [node.name]);
  const [rate, estimate] = nodeProgressCells(progress.nodes[0], progress, at);
  const assessment = withWatcherView(assessNode(value, lastProgressAt(mark, value), at), node.name, watcher);
  const s = value.node?.summary;
  const release = await reportedRelease(fleet, node.name, value, signal);
  const shown = assessment.status === "info" ? "ok" : assessment.status;
  const builder = reply(`${node.name}: ${value.node?.status ?? value.clusterStatus} (${assessment.note})`, {
    status: release?.outdated ? worstStatus([shown, "warn"]) : shown,
  })
    .heading(`${node.name} (cluster ${value.cluster ?? node.cluster})`)
    .status(
      assessment.status === "info" ? "ok" : assessment.status,
      `${node.name} is ${value.node?.status ?? value.clusterStatus}: ${assessment.note}`,
    )
    .fields([
      { label: "Node status", value: value.node?.status ?? "not listed in NodesInfo" },
      { label: "Scanning", value: value.node?.isScanning ?? "—" },
      ...clusterFields([value], at),
      {
        label: "Service",
        value: `${value.service.displayName ?? value.service.name} (${value.service.name}): ${value.service.state}`,
        ...(value.service.state === "Running" ? {} : { status: "error" as const }),
      },
      {
        label: "Module",
        value:
          value.moduleGeneration === "AzureInformationProtection"
            ? "AzureInformationProtection (Get-AIPScannerStatus)"
            : value.moduleGeneration === "PurviewInformationProtection"
              ? "PurviewInformationProtection (Get-ScanStatus)"
              : "no scanner module found",
      },
      {
        label: "Last progress",
        value: assessment.lastProgress
          ? `${formatUtc(assessment.lastProgress)} (${formatAge(assessment.lastProgress, at)})`
          : "—",
        ...(assessment.status === "warn" ? { status: "warn" as const } : {}),
      },
      {
        label: "Watched by the bot",
        value: mark ? `since ${formatAge(mark.firstSeenAt, at)}, ${mark.changes} change(s) seen` : "first look",
      },
      ...(assessment.watcherText ? [{ label: "Stall watcher", value: assessment.watcherText }] : []),
      ...(release
        ? [{ label: "Agent", value: release.text, ...(release.outdated ? { status: "warn" as const } : {}) }]
        : []),
      { label: "Rate", value: rate },
      { label: "Estimate", value: estimate },
    ]);
  if (s) {
    builder.heading("Counters").fields([
      { label: "Scanned files", value: formatCount(s.scannedFiles) },
      {
        label: "Failed files",
        value: formatCount(s.failedFiles),
        ...(s.failedFiles > 0 ? { status: "warn" as const } : {}),
      },
      { label: "Scanned size", value: `${formatBytes(s.scannedBytes)} (${formatCount(s.scannedBytes)} bytes)` },
      { label: "Classified", value: formatCount(s.classified) },
      { label: "Labeled", value: formatCount(s.labeled) },
      ...Object.entries(s.extra).map(([label, v]) => ({ label, value: v })),
    ]);
  }
  const report = value.detailedReport;
  if (report) {
    const written = new Date(report.lastWriteTime);
    builder.heading("Detailed report").fields([
      { label: "File", value: report.path },
      { label: "Size", value: `${formatBytes(report.sizeBytes)} (${formatCount(report.sizeBytes)} bytes)` },
      { label: "Last written", value: `${formatUtc(written)} (${formatAge(written, at)})` },
    ]);
  }
  if (value.repositories.length > 0) {
    builder.heading("Repositories").table(
      ["Repository", "State"],
      value.repositories.map((r) => ({ cells: [r.path, r.status] })),
    );
  }
  const others = value.nodes.filter((n) => n.nodeName !== value.nodeName);
  if (others.length > 0) {
    builder.heading("Other nodes, as this node's cmdlet reports them").table(
      ["Node", "Status", "Scanned files"],
      others.map((n) => ({
        cells: [n.nodeName, n.status, n.summary ? formatCount(n.summary.scannedFiles) : "—"],
      })),
    );
  }
  return builder.actions(nextSteps(node.name)).build();
}

/** `status [cluster|node]`: the cluster table, or everything about one node. */
export const statusCommand = defineCommand({
  name: "status",
  aliases: ["st"],
  summary: "Scan status of a cluster (one row per node) or everything about one node.",
  usage: "status [cluster|node]",
  help:
    "Asks every node's agent for Get-AIPScannerStatus (or Get-ScanStatus) and shows one row per node: status, " +
    "counters, scanned size and when it last made progress, plus the repositories. Nodes that do not answer show " +
    "with the reason. With a node name, shows all its counters, the detailed report, the service and the module.",
  examples: ["status", "status contoso-prod", "status scan-02"],
  args: targetArgsSchema,
  input: targetInput,
  placeholder: ({ target }, { services }) => {
    const count = targetSize(services.fleet, target);
    return count !== undefined && count > 1
      ? reply(`Checking ${count} nodes…`, { visibility: "private" }).build()
      : undefined;
  },
  run: async ({ target }, { services, signal }) => {
    const fleet = requireFleet(services);
    const resolved = resolveTarget(fleet, target);
    if (resolved.kind === "node") return nodeStatus(fleet, resolved.node, services.now, signal, services.watcher);
    return clustersStatus(fleet, resolved, services.now, signal, services.watcher);
  },
});
