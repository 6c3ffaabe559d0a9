import type { Field } from "../reply/reply.js";
import { formatBytes, formatCount, formatUtc } from "./fleetFigures.js";
import {
  clusterEstimate,
  estimate,
  fromSummaryReports,
  nodeEstimate,
  type ProgressEstimate,
  rateText,
  repositoriesText,
  summaryBasisText,
} from "./progressEstimate.js";
import type { ClusterProgressView, NodeProgressView, ProgressSample } from "./scanProgress.js";

/** How scan progress reads in `status` and `progress`: rate, estimate, repositories, previous cycle. */

const blocks = "▁▂▃▄▅▆▇█";

/**
 * A text sparkline of scanned files over time, `width` characters wide: each
 * character is the newest reading in its slice of the time span, scaled from
 * the lowest to the highest count, so growth shows even when the bot started
 * watching late in a big cycle (a flat line stays at the bottom).
 */
export function sparkline(samples: readonly ProgressSample[], width = 24): string {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return "";
  if (samples.length === 1) return blocks[0] ?? "";
  const bottom = Math.min(...samples.map((s) => s.files));
  const range = Math.max(...samples.map((s) => s.files)) - bottom;
  const span = Math.max(1, last.at - first.at);
  const columns = Math.min(width, samples.length);
  let chars = "";
  let index = 0;
  let current = first;
  for (let c = 0; c < columns; c++) {
    const until = first.at + (span * (c + 1)) / columns;
    while (index < samples.length && (samples[index]?.at ?? Number.POSITIVE_INFINITY) <= until) {
      current = samples[index] ?? current;
      index++;
    }
    const level = range > 0 ? Math.round(((current.files - bottom) / range) * (blocks.length - 1)) : 0;
    chars += blocks[level];
  }
  return chars;
}

/** "▁▂▃▅▇ 10:00→10:45 UTC", or an explanation when there is nothing to draw yet. */
export function sparklineText(samples: readonly ProgressSample[]): string {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last) return "no readings yet";
  if (first === last) return `one reading so far (${formatUtc(new Date(first.at))})`;
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  return `${sparkline(samples)} ${time(first.at)}→${time(last.at)} UTC`;
}

/** Rate, percent/ETA and repositories of a cluster, for the `status` and `progress` replies. */
export function clusterProgressFields(
  view: ClusterProgressView,
  now: Date,
  scoped: ProgressEstimate = clusterEstimate(view, now),
): Field[] {
  const fields: Field[] = [
    { label: "Rate", value: rateText(view.rate) },
    { label: "Estimate", value: scoped.text },
  ];
  const repositories = repositoriesText(view.repositories);
  if (repositories) fields.push({ label: "Repositories", value: repositories });
  return fields;
}

/** The previous completed cycle, in one line; for one node, its own share first. */
export function previousCycleText(view: ClusterProgressView, node?: string): string {
  const p = view.previous;
  if (!p) return "none kept yet (the first cycle the bot sees completing becomes the basis)";
  if (fromSummaryReports(p)) {
    // Their start is unknown, so no duration; they hold no bytes either.
    const whole = `${formatCount(p.scannedFiles)} files, ${formatCount(p.failedFiles)} failed, from ${summaryBasisText(p)}`;
    if (node === undefined) return whole;
    const own = p.nodeFiles[node];
    return `${own === undefined ? "no Summary report" : `${formatCount(own)} files`} on ${node} (cluster: ${whole})`;
  }
  const minutes = Math.max(0, Math.round((Date.parse(p.finishedAt) - Date.parse(p.startedAt)) / 60_000));
  const duration = minutes >= 120 ? `${Math.round(minutes / 60)} h` : `${minutes} min`;
  const whole =
    `${formatCount(p.scannedFiles)} files (${formatBytes(p.scannedBytes)}), ${formatCount(p.failedFiles)} failed, ` +
    `finished ${formatUtc(new Date(p.finishedAt))} after ${duration}`;
  if (node === undefined) return whole;
  const own = p.nodeFiles[node];
  return `${own === undefined ? "none" : `${formatCount(own)} files`} on ${node} (cluster: ${whole})`;
}

/** One node's percent and ETA against its own share of the previous cycle, as its `status` row says. */
export function singleNodeEstimate(view: ClusterProgressView, node: string, now: Date): ProgressEstimate {
  const own = view.nodes.find((n) => n.current.node === node);
  return own
    ? nodeEstimate(own, view.previous, now)
    : estimate(0, view.previous?.nodeFiles[node], undefined, now, view.previous);
}

/** A node's rate and estimate for one table row: [rate, estimate]. */
export function nodeProgressCells(
  view: NodeProgressView | undefined,
  cluster: ClusterProgressView,
  now: Date,
): [string, string] {
  if (!view?.current.latest) return ["no counters", "—"];
  const rate = view.current.rate ? `${formatCount(Math.round(view.current.rate.filesPerHour))} files/h` : "—";
  const e = nodeEstimate(view, cluster.previous, now);
  if (e.basis === "previous-cycle") return [rate, e.text];
  if (e.percent === undefined) return [rate, "—"];
  // A percent without an ETA says why, as the cluster's estimate does.
  return [rate, `about ${e.percent} %${e.basis === "not-moving" ? ", not moving" : ""}`];
}
