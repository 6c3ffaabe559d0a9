import { createHash } from "node:crypto";
import { formatBytes, formatCount, formatMoment } from "../fleet/fleetFigures.js";
import { clusterEstimate, type ProgressEstimate, rateText, repositoriesText } from "../fleet/progressEstimate.js";
import { nodeProgressCells } from "../fleet/progressFields.js";
import type { ClusterProgressView } from "../fleet/scanProgress.js";
import { formatDuration } from "../foundation/duration.js";
import { type Reply, type ReplyBuilder, reply } from "../reply/reply.js";
import type { ScanCycleRecord } from "../store/scanCycleRecord.js";

/**
 * What the live scan card says: while the cluster scans, its progress (files,
 * rate, estimate, repositories, one row per node); when the cycle ends, the
 * cycle's summary. The card's one-line `text` is also what the console prints
 * for each version, so it stays short.
 */

/** A card version and the fingerprint of what it shows, leaving out its "as of" time. */
export interface CardVersion {
  reply: Reply;
  /** Two versions with the same fingerprint look the same: editing one into the other is not worth a call. */
  shown: string;
}

/** The most node rows a card lists before it counts the rest (a pane is narrow, a cluster rarely this big). */
const maxNodeRows = 12;

function fingerprint(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url").slice(0, 22);
}

/** Ends a card with its "as of" line, which is not part of the fingerprint (time alone is no reason to edit). */
function versionOf(body: Reply, footer: string): CardVersion {
  return {
    shown: fingerprint({ text: body.text, blocks: body.blocks }),
    reply: footer ? { ...body, blocks: [...body.blocks, ...reply("").text(footer).build().blocks] } : body,
  };
}

/** Node rows: name, files, rate, estimate (four columns: what a narrow pane holds). */
function addNodeTable(builder: ReplyBuilder, view: ClusterProgressView, now: Date): void {
  if (view.nodes.length === 0) {
    builder.text("No node has reported counters yet.");
    return;
  }
  const rows = view.nodes.slice(0, maxNodeRows).map((n) => {
    const files = n.current.latest ? formatCount(n.current.latest.files) : "no counters";
    const [rate, estimate] = nodeProgressCells(n, view, now);
    return { cells: [n.current.node, files, rate, estimate] };
  });
  builder.table(["Node", "Files", "Rate", "Estimate"], rows, view.nodes.length);
}

/** The estimate in the card's one line: short, but a percent without an ETA still says why there is none. */
function lineEstimate(e: ProgressEstimate): string[] {
  if (e.basis === "previous-cycle" || e.basis === "past-previous-total") return [e.text.replace(/: no ETA$/, "")];
  if (e.percent === undefined) return [];
  return [`about ${e.percent} %, ${e.basis === "not-moving" ? "not moving" : "no ETA yet"}`];
}

/** The card while the cluster scans. */
export function liveCardVersion(view: ClusterProgressView, now: Date): CardVersion {
  const estimate = clusterEstimate(view, now);
  const repositories = repositoriesText(view.repositories);
  const rate = view.rate ? `${formatCount(Math.round(view.rate.filesPerHour))} files/h` : "no rate yet";
  const line = [
    `${view.cluster} scanning: ${formatCount(view.scannedFiles)} files`,
    rate,
    ...lineEstimate(estimate),
    ...(view.repositories ? [`${view.repositories.Finished}/${view.repositories.total} repositories`] : []),
  ].join(" · ");
  const builder = reply(line, { status: "info" })
    .heading(`Scan of ${view.cluster}`)
    .fields([
      ...(view.startedAt === undefined
        ? []
        : [{ label: "Started", value: formatMoment(new Date(view.startedAt), now) }]),
      { label: "Scanned", value: `${formatCount(view.scannedFiles)} files (${formatBytes(view.scannedBytes)})` },
      { label: "Rate", value: rateText(view.rate) },
      { label: "Estimate", value: estimate.text },
      ...(repositories ? [{ label: "Repositories", value: repositories }] : []),
    ]);
  addNodeTable(builder, view, now);
  return versionOf(
    builder.build(),
    `As of ${formatMoment(now, now)}. Edited at most once a minute; stalls and errors go in this thread.`,
  );
}

/** What the summary is drawn from: the cycle the progress model kept when it completed, else the last view. */
export interface CardSummaryInput {
  view: ClusterProgressView;
  /** The completed cycle's record, when the cluster ran to Idle (absent: it stopped some other way). */
  cycle: ScanCycleRecord | undefined;
  /** When the card was first posted: the start when nothing better is known. */
  cardCreatedAt: string;
  now: Date;
}

/** Why a summary has no completed cycle behind it: what the repositories say, or that nobody saw the end. */
function unseenEnd(view: ClusterProgressView): string {
  const r = view.repositories;
  if (r && r.Finished + r.Skipped === r.total) return "its end not seen by the bot";
  return "before it completed";
}

/** The card once the cycle is over: duration, totals, failures, and where to read what it found. */
export function summaryCardVersion({ view, cycle, cardCreatedAt, now }: CardSummaryInput): CardVersion {
  const startedAt = cycle ? Date.parse(cycle.startedAt) : (view.startedAt ?? Date.parse(cardCreatedAt));
  const endedAt = cycle ? Date.parse(cycle.finishedAt) : now.getTime();
  const took = formatDuration(Math.max(1000, endedAt - startedAt));
  const files = cycle?.scannedFiles ?? view.scannedFiles;
  const bytes = cycle?.scannedBytes ?? view.scannedBytes;
  const failed = cycle?.failedFiles;
  const line = cycle
    ? `${view.cluster}: scan finished after ${took}: ${formatCount(files)} files, ${formatCount(failed ?? 0)} failed`
    : `${view.cluster}: scan stopped after ${took} at ${formatCount(files)} files, ${unseenEnd(view)}`;
  const warn = !cycle || (failed ?? 0) > 0;
  const builder = reply(line, { status: warn ? "warn" : "ok" })
    .heading(`Scan of ${view.cluster}: ${cycle ? "finished" : "stopped"}`)
    .fields([
      { label: "Started", value: formatMoment(new Date(startedAt), now) },
      { label: cycle ? "Finished" : "Stopped", value: `${formatMoment(new Date(endedAt), now)} after ${took}` },
      { label: "Scanned", value: `${formatCount(files)} files (${formatBytes(bytes)})` },
      {
        label: "Failed files",
        value: failed === undefined ? "not known (the cycle did not complete)" : formatCount(failed),
        ...(warn ? { status: "warn" as const } : {}),
      },
      ...(cycle ? [{ label: "Repositories", value: String(cycle.repositories) }] : []),
    ]);
  const finals = cycle ? Object.entries(cycle.nodeFiles) : [];
  if (finals.length > 0) {
    builder.table(
      ["Node", "Files"],
      finals.slice(0, maxNodeRows).map(([node, n]) => ({ cells: [node, formatCount(n)] })),
      finals.length,
    );
  }
  builder.text(
    cycle
      ? `\`report ${view.cluster}\` shows what this cycle found.`
      : `The bot did not see this cycle complete, so its failed files are not known: \`status ${view.cluster}\` shows the cluster now.`,
  );
  return versionOf(builder.build(), `Summary of the cycle as of ${formatMoment(now, now)}.`);
}

/** A live card whose cycle was replaced by a new one before the bot saw it end (the new cycle gets its own card). */
export function supersededCardVersion(cluster: string, now: Date): CardVersion {
  const line = `${cluster}: this cycle ended and a new one started (${formatMoment(now, now)}); its card follows.`;
  return versionOf(reply(line, { status: "info" }).heading(`Scan of ${cluster}: ended`).build(), "");
}
