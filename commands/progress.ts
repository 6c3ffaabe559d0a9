import type { Caller } from "../src/access/caller.js";
import type { FleetClient, FleetCluster } from "../src/fleet/fleetClient.js";
import { formatBytes, formatCount, maxTableRows } from "../src/fleet/fleetFigures.js";
import { requireFleet, resolveTarget, targetSize } from "../src/fleet/fleetTarget.js";
import { clusterEstimate, rateText } from "../src/fleet/progressEstimate.js";
import {
  clusterProgressFields,
  nodeProgressCells,
  previousCycleText,
  singleNodeEstimate,
  sparklineText,
} from "../src/fleet/progressFields.js";
import { type ClusterProgressView, clusterCurve, minimumRateSpanMs } from "../src/fleet/scanProgress.js";
import { type ReplyBuilder, reply } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import { targetArgsSchema, targetInput } from "../src/routing/targetArgs.js";

/** Asks the nodes (which feeds the progress model), then reads the model for the whole cluster or one node. */
async function readProgress(
  fleet: FleetClient,
  cluster: FleetCluster,
  nodes: readonly string[],
  signal: AbortSignal,
): Promise<ClusterProgressView> {
  await Promise.all([
    Promise.all(nodes.map((n) => fleet.status(n, { signal }))),
    fleet.scanProgress.loadBaseline(cluster.name),
  ]);
  return fleet.scanProgress.cluster(cluster.name, nodes);
}

/** One cluster's (or one node's) section: the headline, the fields, the cycle over time, one row per node. */
function addProgress(
  builder: ReplyBuilder,
  title: string,
  view: ClusterProgressView,
  now: Date,
  node?: string,
): string {
  // One node is measured against its own share of the previous cycle, not the whole cluster's total.
  const e = node === undefined ? clusterEstimate(view, now) : singleNodeEstimate(view, node, now);
  const moving = view.scanning ? "scanning" : "not scanning";
  const headline = `${title}: ${moving}, ${rateText(view.rate)}; ${e.text}`;
  const curve = clusterCurve(view.nodes.map((n) => n.current));
  builder
    .heading(`Scan progress: ${title}`)
    .status(view.scanning ? "ok" : "info", headline)
    .fields([
      {
        label: "Scanned this cycle",
        value: `${formatCount(view.scannedFiles)} files (${formatBytes(view.scannedBytes)})`,
      },
      ...clusterProgressFields(view, now, e),
      { label: "Previous cycle", value: previousCycleText(view, node) },
      { label: "Over time (files)", value: sparklineText(curve) },
    ]);
  if (view.nodes.length > 1) {
    const rows = view.nodes.map((n) => {
      const [rate, estimate] = nodeProgressCells(n, view, now);
      return {
        cells: [
          n.current.node,
          n.current.latest ? formatCount(n.current.latest.files) : "—",
          rate,
          n.current.rate && n.current.rate.trend !== "unknown" ? n.current.rate.trend : "—",
          estimate,
          sparklineText(n.current.samples),
        ],
      };
    });
    builder.table(
      ["Node", "Scanned files", "Rate", "Trend", "Estimate", "Over time"],
      rows.slice(0, maxTableRows),
      rows.length > maxTableRows ? rows.length : undefined,
    );
  }
  if (!view.rate) {
    builder.text(
      `A rate needs two readings of a node's counters at least ${minimumRateSpanMs / 1000} s apart; they come with each \`status\`, \`progress\` and watcher poll.`,
    );
  }
  return headline;
}

/** Chart width per platform: Teams carries the PNG inside its card (about 28 KB in all), Slack uploads it. */
const chartWidth: Partial<Record<Caller["platform"], number>> = { slack: 640, teams: 320 };

/** Adds the chart where the platform shows pictures; a chart that fails to render is described, never fatal. */
async function addChart(builder: ReplyBuilder, view: ClusterProgressView, title: string, caller: Caller) {
  const width = chartWidth[caller.platform];
  if (!width) return;
  try {
    // Loaded on first use: Vega and resvg are large, and most bot runs never draw a chart.
    const { renderProgressChart } = await import("../src/fleet/progressChart.js");
    const chart = await renderProgressChart(view, { width, title: `Scanned files, ${title}` });
    if (chart) builder.image(`progress-${view.cluster}.png`, chart.altText, chart.png);
  } catch {
    builder.text("The chart could not be drawn this time; the figures above are complete.");
  }
}

/** `progress [cluster|node]`: rate, trend, percent and ETA of the current scan cycle, and its course so far. */
export const progressCommand = defineCommand({
  name: "progress",
  summary: "How fast a scan goes and when it will likely finish: rate, estimate, repositories, the cycle over time.",
  usage: "progress [cluster|node]",
  help:
    "Asks the nodes for their counters and shows, per cluster and node, files and bytes per hour over the last 15 " +
    "minutes, the trend, repositories finished, and the current cycle over time. Percent and ETA come from the " +
    "previous completed cycle of the same cluster; on the first cycle the bot sees, only the rate is shown.",
  examples: ["progress", "progress contoso-prod", "progress scan-02"],
  args: targetArgsSchema,
  input: targetInput,
  placeholder: ({ target }, { services }) => {
    const count = targetSize(services.fleet, target);
    return count !== undefined && count > 1
      ? reply(`Reading progress of ${count} nodes…`, { visibility: "private" }).build()
      : undefined;
  },
  run: async ({ target }, { services, signal, caller }) => {
    const fleet = requireFleet(services);
    const resolved = resolveTarget(fleet, target);
    const builder = reply("");
    const lines: string[] = [];
    if (resolved.kind === "node") {
      const cluster = fleet.findCluster(resolved.node.cluster);
      if (cluster) {
        const view = await readProgress(fleet, cluster, [resolved.node.name], signal);
        const title = `${resolved.node.name} (cluster ${cluster.name})`;
        lines.push(addProgress(builder, title, view, services.now(), resolved.node.name));
        await addChart(builder, view, title, caller);
      }
    } else {
      for (const [i, cluster] of resolved.clusters.entries()) {
        if (i > 0) builder.divider();
        const view = await readProgress(
          fleet,
          cluster,
          cluster.nodes.map((n) => n.name),
          signal,
        );
        lines.push(addProgress(builder, `cluster ${cluster.name}`, view, services.now()));
        await addChart(builder, view, `cluster ${cluster.name}`, caller);
      }
    }
    return { ...builder.build(), text: lines.join("\n") };
  },
});
