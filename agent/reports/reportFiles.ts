import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import yauzl from "yauzl";
import type { ReportCycle, ReportProblem } from "../../src/wire/agentApi.js";
import { fileProblem } from "./reportProblems.js";
import { maxSummaryBytes } from "./summaryReport.js";

/**
 * Which files make up a scan cycle's reports, and how to open them. The
 * scanner keeps the newest DetailedReport as a CSV and zips the older ones;
 * a Summary is written when a cycle completes. Zipped reports are streamed
 * out of the zip (yauzl), never unpacked into memory or onto disk.
 */

/** One file in the Reports folder, as the listing (PowerShell or a directory read) found it. */
export interface ReportFileEntry {
  name: string;
  path: string;
  sizeBytes: number;
  lastWriteTime: string | null;
}

/** The Reports folder's files, or why they could not be listed. */
export type ReportListing =
  | { ok: true; directory: string; files: ReportFileEntry[] }
  | { ok: false; directory: string; problem: ReportProblem };

/** The files of one cycle. */
export interface CycleFiles {
  detailed: ReportFileEntry & { zipped: boolean };
  /** A Summary beside the reports; a zip may hold its own instead. */
  summary: ReportFileEntry | undefined;
}

const detailedCsv = /^DetailedReport.*\.csv$/i;
const detailedZip = /^DetailedReport.*\.zip$/i;
const summaryTxt = /^Summary.*\.txt$/i;

const time = (f: ReportFileEntry) => (f.lastWriteTime ? Date.parse(f.lastWriteTime) : 0);
const newestFirst = (a: ReportFileEntry, b: ReportFileEntry) => time(b) - time(a) || b.name.localeCompare(a.name);

/** When a cycle started, from the stamp in its report's name (`DetailedReport_2026_12_01_10_00_00.csv`). */
export function cycleStart(name: string): number | undefined {
  const m = /(\d{4})\D?(\d{2})\D?(\d{2})\D?(\d{2})\D?(\d{2})\D?(\d{2})/.exec(name);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(ms) ? undefined : ms;
}

/** Picks the cycle's DetailedReport and the Summary written during it; a problem when there is none. */
export function cycleFiles(files: readonly ReportFileEntry[], cycle: ReportCycle): CycleFiles | ReportProblem {
  const csvs = files.filter((f) => detailedCsv.test(f.name)).sort(newestFirst);
  const zips = files.filter((f) => detailedZip.test(f.name)).sort(newestFirst);
  const cycles = [
    ...csvs.slice(0, 1).map((f) => ({ ...f, zipped: false })),
    ...zips.map((f) => ({ ...f, zipped: true })),
  ];
  const index = cycle === "last" ? 0 : 1;
  const detailed = cycles[index];
  if (!detailed) {
    return cycle === "last" || cycles.length === 0
      ? { code: "no_report", message: "There is no DetailedReport yet: no scan cycle has written one on this node." }
      : {
          code: "no_previous_cycle",
          message: "There is only one cycle's DetailedReport: no earlier (zipped) cycle is kept.",
        };
  }
  // The Summary written after this cycle started and before the next one did.
  const start = cycleStart(detailed.name) ?? time(detailed) - 24 * 3_600_000;
  const newer = cycles[index - 1];
  const end = newer ? (cycleStart(newer.name) ?? time(newer)) : Number.POSITIVE_INFINITY;
  const summary = files
    .filter((f) => summaryTxt.test(f.name) && time(f) >= start && time(f) < end)
    .sort(newestFirst)[0];
  return { detailed, summary };
}

/** An open report: its bytes, and (for a zip) the Summary inside it. */
export interface OpenedReport {
  name: string;
  stream: Readable;
  summary?: { name: string; read: () => Promise<Buffer> };
}

/** Reads at most `limit` bytes of a stream. */
export async function readCapped(stream: Readable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const piece = chunk as Buffer;
    chunks.push(piece.subarray(0, Math.max(0, limit - size)));
    size += piece.length;
    if (size >= limit) {
      stream.destroy();
      break;
    }
  }
  return Buffer.concat(chunks);
}

/** Opens the newest CSV up to the size it has now, so rows written while it is read are left for the next ask. */
export async function openCsv(path: string, name: string): Promise<{ opened: OpenedReport; size: number }> {
  const { size } = await stat(path);
  const stream = createReadStream(path, { start: 0, end: Math.max(0, size - 1), highWaterMark: 512 * 1024 });
  // An empty file would otherwise yield one byte range of [0, 0].
  if (size === 0) stream.destroy();
  return { opened: { name, stream }, size };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, zip) => (err ? reject(err) : resolve(zip))),
  );
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) =>
    zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))),
  );
}

/** Opens a zip and lists its entries (the central directory only: no entry is inflated). */
async function zipEntries(path: string): Promise<{ zip: yauzl.ZipFile; entries: yauzl.Entry[] }> {
  const zip = await openZip(path);
  const entries: yauzl.Entry[] = await new Promise((resolve, reject) => {
    const found: yauzl.Entry[] = [];
    zip.on("entry", (entry: yauzl.Entry) => {
      found.push(entry);
      zip.readEntry();
    });
    zip.on("end", () => resolve(found));
    zip.on("error", reject);
    zip.readEntry();
  });
  return { zip, entries };
}

const baseName = (e: yauzl.Entry) => e.fileName.split("/").at(-1) ?? e.fileName;

/** A zipped cycle's Summary, read from the zip on demand (never larger than a Summary can be). */
function summaryEntry(zip: yauzl.ZipFile, entries: readonly yauzl.Entry[]): OpenedReport["summary"] {
  const summary = entries.find((e) => summaryTxt.test(baseName(e)) && e.uncompressedSize <= maxSummaryBytes);
  if (!summary) return undefined;
  return { name: baseName(summary), read: async () => readCapped(await entryStream(zip, summary), maxSummaryBytes) };
}

/** Opens the DetailedReport inside a zipped cycle (and notes its Summary, if it holds one). */
export async function openZipped(path: string): Promise<{ opened: OpenedReport; close: () => void } | undefined> {
  const { zip, entries } = await zipEntries(path);
  const csv = entries.find((e) => detailedCsv.test(baseName(e)));
  if (!csv) {
    zip.close();
    return undefined;
  }
  const summary = summaryEntry(zip, entries);
  const opened: OpenedReport = {
    name: baseName(csv),
    stream: await entryStream(zip, csv),
    ...(summary ? { summary } : {}),
  };
  return { opened, close: () => zip.close() };
}

/** The Summary inside a zipped cycle, without opening its DetailedReport; undefined when it holds none. */
export async function openZippedSummary(
  path: string,
): Promise<{ summary: NonNullable<OpenedReport["summary"]> | undefined; close: () => void }> {
  const { zip, entries } = await zipEntries(path);
  return { summary: summaryEntry(zip, entries), close: () => zip.close() };
}

/** Lists a Reports folder from Node (the simulator's; on a real node PowerShell lists it as the service account sees it). */
export async function listReportFolder(directory: string): Promise<ReportListing> {
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      return {
        ok: false,
        directory,
        problem: {
          code: "no_report",
          message: `There is no Reports folder at ${directory} yet: no scan has written a report.`,
        },
      };
    }
    return { ok: false, directory, problem: fileProblem(err, directory) };
  }
  const files: ReportFileEntry[] = [];
  for (const name of names) {
    if (!detailedCsv.test(name) && !detailedZip.test(name) && !summaryTxt.test(name)) continue;
    const path = join(directory, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile()) files.push({ name, path, sizeBytes: info.size, lastWriteTime: info.mtime.toISOString() });
  }
  return { ok: true, directory, files };
}
