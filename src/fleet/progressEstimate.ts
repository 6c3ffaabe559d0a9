import type { ScanCycleRecord } from "../store/scanCycleRecord.js";
import { formatBytes, formatCount, formatUtc } from "./fleetFigures.js";
import {
  type ClusterProgressView,
  minimumRateSpanMs,
  type NodeProgressView,
  type ProgressRate,
  type RepositoryCounts,
} from "./scanProgress.js";

/**
 * Percent and ETA from the previous completed cycle, worded so nobody reads
 * more into them than there is: "about 60 %, likely done 16:40–17:10 UTC".
 * Without a basis (first cycle, no rate yet, past the previous total) the
 * words say which basis is missing instead of guessing.
 */

/** What the estimate rests on, so replies can say why there is no ETA. */
export type EstimateBasis = "previous-cycle" | "no-previous-cycle" | "no-rate" | "not-moving" | "past-previous-total";

export interface ProgressEstimate {
  basis: EstimateBasis;
  /** Percent of the previous cycle's files, when there is one (capped at 99 while scanning). */
  percent: number | undefined;
  /** Likely finish window (earliest, latest), only with basis `previous-cycle`. */
  finish: { earliest: Date; latest: Date } | undefined;
  /** One line a person can read. */
  text: string;
}

const fiveMinutes = 5 * 60_000;
/** Beyond this the window says "more than a week" instead of a date nobody will plan by. */
const farMs = 7 * 24 * 3_600_000;

function hhmm(d: Date): string {
  return d.toISOString().slice(11, 16);
}

/** "16:40–17:10 UTC", with the date when the window is not today (in UTC). */
export function finishWindowText(earliest: Date, latest: Date, now: Date): string {
  const day = (d: Date) => d.toISOString().slice(0, 10);
  const withDay = (d: Date) => (day(d) === day(now) ? hhmm(d) : `${day(d)} ${hhmm(d)}`);
  return `${withDay(earliest)}–${withDay(latest)} UTC`;
}

/**
 * The files left over a range of plausible rates: the window's rate and its
 * recent half, widened by 15 % either way, since a scan's speed varies with
 * the files it meets.
 */
function finishWindow(remaining: number, rate: ProgressRate, now: Date): { earliest: Date; latest: Date } {
  const rates = [rate.filesPerHour, rate.recentFilesPerHour ?? rate.filesPerHour].filter((r) => r > 0);
  const fast = Math.max(...rates) * 1.15;
  const slow = Math.min(...rates) * 0.85;
  const earliest = now.getTime() + (remaining / fast) * 3_600_000;
  const latest = now.getTime() + (remaining / slow) * 3_600_000;
  return {
    earliest: new Date(Math.floor(earliest / fiveMinutes) * fiveMinutes),
    latest: new Date(Math.ceil(latest / fiveMinutes) * fiveMinutes),
  };
}

/** Whether the basis is the nodes' Summary reports rather than a cycle the bot saw finish. */
export function fromSummaryReports(previous: ScanCycleRecord | undefined): boolean {
  return previous?.basis === "summary-report";
}

/** "the nodes' last Summary reports (written 2026-11-24 18:00 UTC)": what a Summary-report basis is. */
export function summaryBasisText(previous: ScanCycleRecord): string {
  return `the nodes' last Summary reports (written ${formatUtc(new Date(previous.finishedAt))})`;
}

/**
 * Percent and ETA of `done` files of an expected `expected`, at `rate`; `previous` (the record the expected
 * total comes from) only chooses the words: a Summary-report basis is named as such.
 */
export function estimate(
  done: number,
  expected: number | undefined,
  rate: ProgressRate | undefined,
  now: Date,
  previous?: ScanCycleRecord,
): ProgressEstimate {
  if (expected === undefined || expected <= 0) {
    return {
      basis: "no-previous-cycle",
      percent: undefined,
      finish: undefined,
      text: "no completed cycle seen yet: rate only, no percent or ETA",
    };
  }
  const summary = previous && fromSummaryReports(previous) ? summaryBasisText(previous) : undefined;
  const total = summary
    ? `the ${formatCount(expected)} files of ${summary}`
    : `the previous cycle's ${formatCount(expected)} files`;
  if (done >= expected) {
    return { basis: "past-previous-total", percent: undefined, finish: undefined, text: `past ${total}: no ETA` };
  }
  const percent = Math.min(99, Math.round((done / expected) * 100));
  const about = `about ${percent} % of ${total}`;
  if (!rate) return { basis: "no-rate", percent, finish: undefined, text: `${about}; no ETA until a rate is known` };
  if (rate.filesPerHour <= 0) {
    return { basis: "not-moving", percent, finish: undefined, text: `${about}; not moving, so no ETA` };
  }
  const finish = finishWindow(expected - done, rate, now);
  const text =
    finish.latest.getTime() - now.getTime() > farMs
      ? `${about}; at this rate more than a week to go`
      : `about ${percent} %, likely done ${finishWindowText(finish.earliest, finish.latest, now)}${
          summary ? ` (basis: ${summary})` : ""
        }`;
  return { basis: "previous-cycle", percent, finish, text };
}

/** The cluster's estimate against its previous completed cycle. */
export function clusterEstimate(view: ClusterProgressView, now: Date): ProgressEstimate {
  return estimate(view.scannedFiles, view.previous?.scannedFiles, view.rate, now, view.previous);
}

/** A node's estimate against its own share of the previous completed cycle. */
export function nodeEstimate(
  view: NodeProgressView,
  previous: ScanCycleRecord | undefined,
  now: Date,
): ProgressEstimate {
  const expected = previous?.nodeFiles[view.current.node];
  return estimate(view.current.latest?.files ?? 0, expected, view.current.rate, now, previous);
}

/** "12,400 files/h (38 GB/h), steady", or why there is no rate yet. */
export function rateText(rate: ProgressRate | undefined): string {
  if (!rate) return `no rate yet (needs two readings at least ${minimumRateSpanMs / 1000} s apart)`;
  const trend = rate.trend === "unknown" ? "" : `, ${rate.trend}`;
  return `${formatCount(Math.round(rate.filesPerHour))} files/h (${formatBytes(Math.round(rate.bytesPerHour))}/h)${trend}`;
}

/** "3 of 5 repositories finished (1 scanning, 1 pending)". */
export function repositoriesText(counts: RepositoryCounts | undefined): string | undefined {
  if (!counts) return undefined;
  const rest = [
    counts.Scanning ? `${counts.Scanning} scanning` : "",
    counts.Pending ? `${counts.Pending} pending` : "",
    counts.Skipped ? `${counts.Skipped} skipped` : "",
    counts.Unknown ? `${counts.Unknown} in an unknown state` : "",
  ].filter(Boolean);
  const finished = `${counts.Finished} of ${counts.total} repositor${counts.total === 1 ? "y" : "ies"} finished`;
  return rest.length ? `${finished} (${rest.join(", ")})` : finished;
}
