import type { ScanCycleArchive, ScanCycleRecord } from "../store/scanCycleRecord.js";
import type { NamedCount, RepositoryStatus, ScanStatus } from "../wire/agentApi.js";

/**
 * The scan progress model: per node and per cluster, how many files and bytes
 * the current cycle has scanned over time, fed by every status reply.
 * Times are the bot's receive times, never the node's clock (nodes disagree).
 * Counters that go backwards, or a new scanner StartTime, start a new cycle,
 * so a rate is never negative. When a cluster turns from Scanning to Idle with
 * every repository done, its totals go to the archive: the basis of the next
 * cycle's percent and ETA (a stop with repositories pending is no completion).
 * A cluster with no such cycle kept (a new install, a fresh store) asks its
 * nodes once for their last Summary reports instead: their "Scanned Files"
 * are the basis until a cycle is seen finishing (see summaryBaseline).
 */

/** One reading of a node's counters at the bot's receive time (ms since the epoch). */
export interface ProgressSample {
  at: number;
  files: number;
  bytes: number;
}

/** Files and bytes per hour over the sliding window, and how the recent half compares to the older half. */
export interface ProgressRate {
  filesPerHour: number;
  bytesPerHour: number;
  /** The same over the newer half of the window (the sharper, noisier figure). */
  recentFilesPerHour: number | undefined;
  trend: "speeding up" | "slowing down" | "steady" | "stopped moving" | "unknown";
  /** How much time the rate is based on. */
  spanMs: number;
}

/** Repositories of a cluster's content scan job by state. */
export type RepositoryCounts = Record<RepositoryStatus["status"], number> & { total: number };

/** One cycle of one node as the bot has seen it. */
export interface NodeCycleView {
  node: string;
  cluster: string;
  /** The scanner's StartTime, when the node gave one. */
  startKey: string | null;
  samples: readonly ProgressSample[];
  /** Newest counters, or undefined when the node never reported any this cycle. */
  latest: ProgressSample | undefined;
  rate: ProgressRate | undefined;
  scanning: boolean;
  lastSeenAt: number;
}

/** A node's current cycle and the one before it (for the chart's comparison). */
export interface NodeProgressView {
  current: NodeCycleView;
  previous: NodeCycleView | undefined;
}

/** The cluster's current cycle: sums over its nodes, the repositories, and the stored previous cycle. */
export interface ClusterProgressView {
  cluster: string;
  nodes: readonly NodeProgressView[];
  scannedFiles: number;
  scannedBytes: number;
  /** Sum of the node rates that are known; undefined when no node has two readings yet. */
  rate: ProgressRate | undefined;
  scanning: boolean;
  repositories: RepositoryCounts | undefined;
  /** The previous completed cycle, when one was kept: the basis of percent and ETA. */
  previous: ScanCycleRecord | undefined;
  /** When the current cycle started (bot time, from the nodes' elapsed time), if a scanning reply said. */
  startedAt: number | undefined;
  /** The scanner's StartTime of the newest scanning reply: the same for every replica and after a restart. */
  startKey: string | null;
}

/** One Summary report of a node, as its agent read it (`/v1/report?parts=summary`). */
export interface NodeSummaryReport {
  node: string;
  lastWriteTime: string | null;
  counts: readonly NamedCount[];
}

/** Asks the nodes of a cluster for their Summary reports; nodes without one (or that refuse) are left out. */
export type SummaryReportSource = (cluster: string) => Promise<readonly NodeSummaryReport[]>;

export interface ScanProgressOptions {
  /** The sliding window rates are computed over (default 15 minutes). */
  windowMs?: number;
  /** Readings kept per node and cycle; older ones are thinned, not dropped (default 240). */
  maxSamples?: number;
  /** Called when keeping a completed cycle fails (the store is down): progress goes on without it. */
  onArchiveError?: (error: unknown) => void;
  /** How long `loadBaseline` waits for the nodes' Summary reports before answering without them (default 1.5 s). */
  summaryWaitMs?: number;
}

interface NodeCycle {
  startKey: string | null;
  samples: ProgressSample[];
}

interface NodeEntry {
  node: string;
  cluster: string;
  current: NodeCycle;
  previous: NodeCycle | undefined;
  scanning: boolean;
  lastSeenAt: number;
}

interface ClusterEntry {
  /** The cluster status of the newest reply: a cycle is complete when Scanning turns to Idle. */
  scanning: boolean;
  startKey: string | null;
  startedAt: number | undefined;
  repositories: readonly RepositoryStatus[];
  previous: ScanCycleRecord | undefined;
  /** Whether `previous` was asked of the archive already (an empty answer counts). */
  baselineLoaded: boolean;
  /** The nodes' Summary reports, asked once per process when no cycle was kept. */
  summaries: readonly NodeSummaryReport[];
  summariesAsked: boolean;
}

const defaultWindowMs = 15 * 60_000;
const defaultMaxSamples = 240;
const hourMs = 3_600_000;
/** The shortest span between two readings that a rate is drawn from: shorter says nothing about speed. */
export const minimumRateSpanMs = 20_000;
/** Points kept of a finished cycle's curve in the store. */
const curvePoints = 200;

/** Whether no repository was left pending or mid-scan: unknown repositories (none reported) do not say otherwise. */
function ranToTheEnd(repositories: readonly RepositoryStatus[]): boolean {
  return repositories.every((r) => r.status === "Finished" || r.status === "Skipped" || r.status === "Unknown");
}

function isScanning(status: ScanStatus): boolean {
  return status.node?.isScanning === "True" || status.node?.status === "Scanning";
}

/** Per-hour rate between two readings; undefined when they are at the same instant. */
function ratePerHour(from: ProgressSample, to: ProgressSample): { files: number; bytes: number } | undefined {
  const span = to.at - from.at;
  if (span <= 0) return undefined;
  return { files: ((to.files - from.files) / span) * hourMs, bytes: ((to.bytes - from.bytes) / span) * hourMs };
}

/** The first reading at or after `at`, or the last one. */
function sampleFrom(samples: readonly ProgressSample[], at: number): ProgressSample | undefined {
  return samples.find((s) => s.at >= at) ?? samples.at(-1);
}

/** The newest reading at or before `at`, or the oldest: a window never spans less than asked when history allows. */
function sampleAtOrBefore(samples: readonly ProgressSample[], at: number): ProgressSample | undefined {
  return samples.findLast((s) => s.at <= at) ?? samples[0];
}

/** Rate and trend over the newest `windowMs` of a cycle's readings. */
export function windowRate(samples: readonly ProgressSample[], windowMs: number): ProgressRate | undefined {
  const last = samples.at(-1);
  if (!last) return undefined;
  const first = sampleAtOrBefore(samples, last.at - windowMs);
  if (!first || first === last) return undefined;
  const span = last.at - first.at;
  // Two readings moments apart (a `status` then a `progress`) would claim "0 files/h, not moving".
  if (span < minimumRateSpanMs) return undefined;
  const whole = ratePerHour(first, last);
  if (!whole) return undefined;
  const middle = sampleFrom(samples, first.at + span / 2);
  // Halves much shorter than a quarter of the window (two polls a second apart) say nothing about a trend.
  const halves = middle !== undefined && middle.at - first.at >= span / 4 && last.at - middle.at >= span / 4;
  const older = halves ? ratePerHour(first, middle) : undefined;
  const recent = halves ? ratePerHour(middle, last) : undefined;
  let trend: ProgressRate["trend"] = "unknown";
  if (older && recent) {
    // Flat over both halves is "stopped moving" too: "steady" at 0 files/h reads as a healthy scan.
    if (recent.files === 0) trend = "stopped moving";
    else if (recent.files > older.files * 1.2) trend = "speeding up";
    else if (recent.files < older.files * 0.8) trend = "slowing down";
    else trend = "steady";
  }
  return {
    filesPerHour: whole.files,
    bytesPerHour: whole.bytes,
    recentFilesPerHour: recent?.files,
    trend,
    spanMs: last.at - first.at,
  };
}

/** Sums node rates into a cluster rate; the trend is the cluster's own, from the summed recent rates. */
function sumRates(rates: readonly ProgressRate[]): ProgressRate | undefined {
  if (rates.length === 0) return undefined;
  const filesPerHour = rates.reduce((n, r) => n + r.filesPerHour, 0);
  const withRecent = rates.filter((r) => r.recentFilesPerHour !== undefined);
  const recent =
    withRecent.length === rates.length ? rates.reduce((n, r) => n + (r.recentFilesPerHour ?? 0), 0) : undefined;
  let trend: ProgressRate["trend"] = "unknown";
  if (recent !== undefined) {
    const older = 2 * filesPerHour - recent;
    if (recent === 0) trend = "stopped moving";
    else if (recent > older * 1.2) trend = "speeding up";
    else if (recent < older * 0.8) trend = "slowing down";
    else trend = "steady";
  }
  return {
    filesPerHour,
    bytesPerHour: rates.reduce((n, r) => n + r.bytesPerHour, 0),
    recentFilesPerHour: recent,
    trend,
    spanMs: Math.min(...rates.map((r) => r.spanMs)),
  };
}

/** Halves the older half of the readings when there are too many: a long cycle keeps its shape in bounded memory. */
function thin(samples: ProgressSample[], max: number): void {
  if (samples.length <= max) return;
  const half = Math.floor(samples.length / 2);
  const older = samples.slice(0, half).filter((_, i) => i % 2 === 0);
  samples.splice(0, half, ...older);
}

/** Counts repositories by state. */
export function countRepositories(repositories: readonly RepositoryStatus[]): RepositoryCounts | undefined {
  if (repositories.length === 0) return undefined;
  const counts: RepositoryCounts = { Pending: 0, Scanning: 0, Finished: 0, Skipped: 0, Unknown: 0, total: 0 };
  for (const r of repositories) {
    counts[r.status] += 1;
    counts.total += 1;
  }
  return counts;
}

/**
 * The cluster's scanned files over a cycle: at each reading of any node, the
 * sum of every node's newest files so far. A node not read yet counts with its
 * first reading (what it had scanned before the bot looked is not progress seen).
 */
export function clusterCurve(nodes: readonly { samples: readonly ProgressSample[] }[]): ProgressSample[] {
  const events = nodes.flatMap((n, index) => n.samples.map((s) => ({ index, s }))).sort((a, b) => a.s.at - b.s.at);
  const files = nodes.map((n) => n.samples[0]?.files ?? 0);
  const bytes = nodes.map((n) => n.samples[0]?.bytes ?? 0);
  let totalFiles = files.reduce((a, b) => a + b, 0);
  let totalBytes = bytes.reduce((a, b) => a + b, 0);
  const curve: ProgressSample[] = [];
  for (const { index, s } of events) {
    totalFiles += s.files - (files[index] ?? 0);
    totalBytes += s.bytes - (bytes[index] ?? 0);
    files[index] = s.files;
    bytes[index] = s.bytes;
    const last = curve.at(-1);
    if (last && last.at === s.at) {
      last.files = totalFiles;
      last.bytes = totalBytes;
    } else curve.push({ at: s.at, files: totalFiles, bytes: totalBytes });
  }
  return curve;
}

/** Keeps every n-th point so a curve fits in `max` points (first and last always kept). */
export function thinCurve<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const step = (points.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => points[Math.round(i * step)] as T);
}

/** The count of a Summary field, by name in any case ("Scanned Files", "scanned files"). */
function summaryCount(counts: readonly NamedCount[], name: string): number | undefined {
  return counts.find((c) => c.name.trim().toLowerCase() === name)?.count;
}

/** When the cluster's current (or last seen) cycle started, on the nodes' clock when they said. */
function currentStart(entry: ClusterEntry): number | undefined {
  const key = entry.startKey === null ? Number.NaN : Date.parse(entry.startKey);
  return Number.isNaN(key) ? entry.startedAt : key;
}

/**
 * A basis from the nodes' Summary reports: per node the newest one written
 * before the current cycle started (a newer one is this cycle's own), summed
 * over the nodes that have one; undefined when none has. Its start is unknown,
 * so `startedAt` repeats `finishedAt` and the curve is empty: replies must not
 * draw a duration or a course from it (`basis` says so).
 */
export function summaryBaseline(
  cluster: string,
  reports: readonly NodeSummaryReport[],
  before: number | undefined,
): ScanCycleRecord | undefined {
  const newest = new Map<string, { at: number; files: number; failed: number }>();
  for (const r of reports) {
    const at = r.lastWriteTime === null ? Number.NaN : Date.parse(r.lastWriteTime);
    const files = summaryCount(r.counts, "scanned files");
    // A Summary that cannot be placed in time cannot be told apart from this cycle's own.
    if (Number.isNaN(at) || files === undefined || (before !== undefined && at >= before)) continue;
    const known = newest.get(r.node);
    if (!known || at > known.at) newest.set(r.node, { at, files, failed: summaryCount(r.counts, "failed") ?? 0 });
  }
  if (newest.size === 0) return undefined;
  const values = [...newest.values()];
  const finishedAt = new Date(Math.max(...values.map((v) => v.at))).toISOString();
  return {
    cluster,
    startKey: `summary-report:${finishedAt}`,
    startedAt: finishedAt,
    finishedAt,
    scannedFiles: values.reduce((n, v) => n + v.files, 0),
    scannedBytes: 0,
    failedFiles: values.reduce((n, v) => n + v.failed, 0),
    repositories: 0,
    nodeFiles: Object.fromEntries([...newest].map(([node, v]) => [node, v.files])),
    curve: [],
    basis: "summary-report",
  };
}

/** The progress model; one per fleet client, fed by every status reply it receives. */
export class ScanProgress {
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly clusters = new Map<string, ClusterEntry>();
  private readonly windowMs: number;
  private readonly maxSamples: number;
  private archive: ScanCycleArchive | undefined;
  private summarySource: SummaryReportSource | undefined;
  /** Cycle records being written; tests and shutdown can wait for them. */
  private readonly writes = new Set<Promise<unknown>>();

  constructor(private readonly options: ScanProgressOptions = {}) {
    this.windowMs = options.windowMs ?? defaultWindowMs;
    this.maxSamples = Math.max(8, options.maxSamples ?? defaultMaxSamples);
  }

  /** Where completed cycles are kept and read back (the store); without one, nothing outlives the process. */
  useArchive(archive: ScanCycleArchive): void {
    this.archive = archive;
    for (const entry of this.clusters.values()) entry.baselineLoaded = false;
  }

  /** Where the nodes' Summary reports are asked for when a cluster has no kept cycle (the fleet client). */
  useSummaryReports(source: SummaryReportSource): void {
    this.summarySource = source;
  }

  /** Waits for completed cycles still being written (and Summary reports still being asked for). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.writes]);
  }

  private clusterEntry(cluster: string): ClusterEntry {
    let entry = this.clusters.get(cluster);
    if (!entry) {
      entry = {
        scanning: false,
        startKey: null,
        startedAt: undefined,
        repositories: [],
        previous: undefined,
        baselineLoaded: false,
        summaries: [],
        summariesAsked: false,
      };
      this.clusters.set(cluster, entry);
    }
    return entry;
  }

  /** Records one status reply of `node` (of `cluster`), received by the bot at `receivedAt`. */
  observe(cluster: string, node: string, status: ScanStatus, receivedAt: Date): void {
    const at = receivedAt.getTime();
    const startKey = status.startTime;
    const summary = status.node?.summary ?? null;
    let entry = this.nodes.get(node);
    if (!entry) {
      entry = {
        node,
        cluster,
        current: { startKey, samples: [] },
        previous: undefined,
        scanning: false,
        lastSeenAt: at,
      };
      this.nodes.set(node, entry);
    }
    entry.cluster = cluster;
    entry.lastSeenAt = at;
    entry.scanning = isScanning(status);
    if (summary) {
      const sample = { at, files: summary.scannedFiles, bytes: summary.scannedBytes };
      const last = entry.current.samples.at(-1);
      // A reply overtaken by a newer one says nothing new.
      if (last && at < last.at) return;
      const restarted =
        (last !== undefined && (sample.files < last.files || sample.bytes < last.bytes)) ||
        (startKey !== null && entry.current.startKey !== null && startKey !== entry.current.startKey);
      if (restarted) {
        entry.previous = entry.current;
        entry.current = { startKey, samples: [] };
      }
      entry.current.startKey ??= startKey;
      entry.current.samples.push(sample);
      thin(entry.current.samples, this.maxSamples);
    }
    this.observeCluster(cluster, status, at);
  }

  private observeCluster(cluster: string, status: ScanStatus, at: number): void {
    const entry = this.clusterEntry(cluster);
    if (status.repositories.length > 0) entry.repositories = status.repositories;
    const scanning = status.clusterStatus === "Scanning";
    if (scanning) {
      if (status.startTime !== entry.startKey || entry.startedAt === undefined) {
        entry.startKey = status.startTime;
        // The node's elapsed time is a duration, not a clock reading, so it survives clock skew.
        entry.startedAt = status.elapsedSeconds === null ? at : at - status.elapsedSeconds * 1000;
      }
      entry.scanning = true;
      return;
    }
    if (entry.scanning && status.clusterStatus === "Idle") {
      entry.scanning = false;
      // A Stop-Scan also turns the cluster Idle: a partial total would make the next percent and ETA false.
      // Its start stays known, so the card's "stopped" summary is timed from it (a new cycle brings a new start).
      if (ranToTheEnd(entry.repositories)) this.finishCycle(cluster, entry, status, at);
    }
  }

  /** Keeps the totals of a cycle that ran to Idle while the bot watched (a -Reset or error is no completion). */
  private finishCycle(cluster: string, entry: ClusterEntry, status: ScanStatus, at: number): void {
    const members = [...this.nodes.values()].filter((n) => n.cluster === cluster);
    // Each node's newest counters as the bot saw them, overridden by the finishing reply's NodesInfo
    // (the scanner database's final figures) for the nodes it lists.
    const finals = new Map<string, { files: number; bytes: number; failed: number }>();
    for (const n of members) {
      const last = n.current.samples.at(-1);
      if (last) finals.set(n.node, { files: last.files, bytes: last.bytes, failed: 0 });
    }
    for (const n of status.nodes) {
      if (!n.summary) continue;
      const s = n.summary;
      finals.set(n.nodeName, { files: s.scannedFiles, bytes: s.scannedBytes, failed: s.failedFiles });
    }
    const nodeFiles: Record<string, number> = {};
    let files = 0;
    let bytes = 0;
    let failed = 0;
    for (const [node, f] of finals) {
      nodeFiles[node] = f.files;
      files += f.files;
      bytes += f.bytes;
      failed += f.failed;
    }
    if (files === 0 && bytes === 0) return;
    const startedAt = entry.startedAt ?? members[0]?.current.samples[0]?.at ?? at;
    const curve = thinCurve(clusterCurve(members.map((m) => m.current)), curvePoints).map(
      (p) => [Math.max(0, Math.round((p.at - startedAt) / 1000)), p.files] as [number, number],
    );
    const record: ScanCycleRecord = {
      cluster,
      startKey: entry.startKey ?? new Date(startedAt).toISOString(),
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(at).toISOString(),
      scannedFiles: files,
      scannedBytes: bytes,
      failedFiles: failed,
      repositories: entry.repositories.length,
      nodeFiles,
      curve,
    };
    entry.previous = record;
    entry.baselineLoaded = true;
    entry.startedAt = undefined;
    const archive = this.archive;
    if (!archive) return;
    const write = archive
      .recordScanCycle(record)
      .catch((error: unknown) => this.options.onArchiveError?.(error))
      .finally(() => this.writes.delete(write));
    this.writes.add(write);
  }

  /**
   * Reads the cluster's previous completed cycle from the archive once (again after `useArchive`). With none
   * kept, asks the nodes' Summary reports once per process, waiting for them only `summaryWaitMs`: a late
   * answer still becomes the basis of the next reply.
   */
  async loadBaseline(cluster: string): Promise<void> {
    const entry = this.clusterEntry(cluster);
    if (!entry.baselineLoaded && this.archive) {
      try {
        const stored = await this.archive.lastScanCycle(cluster);
        // A cycle seen finishing in this process (maybe while reading) may be newer than the stored one.
        if (stored && (!entry.previous || stored.finishedAt > entry.previous.finishedAt)) entry.previous = stored;
        entry.baselineLoaded = true;
      } catch (error) {
        this.options.onArchiveError?.(error);
      }
    }
    const source = this.summarySource;
    if (entry.previous || entry.summariesAsked || !source) return;
    entry.summariesAsked = true;
    const asked = source(cluster)
      .then((reports) => {
        entry.summaries = reports;
      })
      .catch(() => {
        // No Summary (an older agent, a node down): no basis, as before; replies say so.
      })
      .finally(() => this.writes.delete(asked));
    this.writes.add(asked);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.options.summaryWaitMs ?? 1_500);
      timer.unref?.();
    });
    await Promise.race([asked, waited]);
    clearTimeout(timer);
  }

  private nodeView(entry: NodeEntry, cycle: NodeCycle): NodeCycleView {
    return {
      node: entry.node,
      cluster: entry.cluster,
      startKey: cycle.startKey,
      samples: cycle.samples,
      latest: cycle.samples.at(-1),
      rate: windowRate(cycle.samples, this.windowMs),
      scanning: entry.scanning,
      lastSeenAt: entry.lastSeenAt,
    };
  }

  /** A node's current (and previous) cycle; undefined before its first status reply. */
  node(node: string): NodeProgressView | undefined {
    const entry = this.nodes.get(node);
    if (!entry) return undefined;
    return {
      current: this.nodeView(entry, entry.current),
      previous: entry.previous ? this.nodeView(entry, entry.previous) : undefined,
    };
  }

  /** The cluster's current cycle over the nodes seen so far (optionally only `nodes`, in that order). */
  cluster(cluster: string, nodes?: readonly string[]): ClusterProgressView {
    const members = nodes
      ? nodes.flatMap((n) => {
          const e = this.nodes.get(n);
          return e ? [e] : [];
        })
      : [...this.nodes.values()].filter((n) => n.cluster === cluster);
    const views = members.map((m) => ({
      current: this.nodeView(m, m.current),
      previous: m.previous ? this.nodeView(m, m.previous) : undefined,
    }));
    const entry = this.clusterEntry(cluster);
    return {
      cluster,
      nodes: views,
      scannedFiles: views.reduce((n, v) => n + (v.current.latest?.files ?? 0), 0),
      scannedBytes: views.reduce((n, v) => n + (v.current.latest?.bytes ?? 0), 0),
      rate: sumRates(views.flatMap((v) => (v.current.rate ? [v.current.rate] : []))),
      scanning: entry.scanning || views.some((v) => v.current.scanning),
      repositories: countRepositories(entry.repositories),
      // A cycle seen finishing (or kept in the store) always wins over the Summary reports.
      previous: entry.previous ?? summaryBaseline(cluster, entry.summaries, currentStart(entry)),
      startedAt: entry.startedAt,
      startKey: entry.startKey,
    };
  }

  /** Nodes tracked (for the bench and `watch status`). */
  get size(): number {
    return this.nodes.size;
  }
}
