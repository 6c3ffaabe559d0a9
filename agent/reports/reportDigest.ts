import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { ReportCycle, ReportDigest, ReportProblem } from "../../src/wire/agentApi.js";
import { type DetailedReadLimits, defaultDetailedReadLimits, readDetailedReport } from "./detailedReportReader.js";
import {
  type CycleFiles,
  cycleFiles,
  type OpenedReport,
  openCsv,
  openZipped,
  openZippedSummary,
  type ReportListing,
  readCapped,
} from "./reportFiles.js";
import { fileProblem } from "./reportProblems.js";
import { decodeSummary, maxSummaryBytes, parseSummary } from "./summaryReport.js";

/**
 * Turns a Reports folder listing into one cycle's digest: picks the files,
 * streams the DetailedReport through the aggregate, reads the Summary, and
 * puts every problem into words for the channel. Digests are remembered per
 * file version, so asking twice does not read a large report twice, and
 * concurrent asks for the same cycle share one read.
 */

export interface ReportReader {
  digest(nodeName: string, cycle: ReportCycle, listing: ReportListing): Promise<ReportDigest>;
  /** The cycle's Summary alone (`parts: "summary"`): the DetailedReport is never opened, however large. */
  summary(nodeName: string, cycle: ReportCycle, listing: ReportListing): Promise<ReportDigest>;
}

const remembered = 8;

/** Creates the reader both backends use; `limits` bound each DetailedReport read. */
export function createReportReader(limits: DetailedReadLimits = defaultDetailedReadLimits): ReportReader {
  const cache = new Map<string, Promise<ReportDigest>>();

  async function read(nodeName: string, cycle: ReportCycle, files: CycleFiles): Promise<ReportDigest> {
    const started = limits.clock();
    const { detailed } = files;
    const problems: ReportProblem[] = [];
    const digest = (part: Pick<ReportDigest, "detailedReport" | "repositories">): ReportDigest => ({
      nodeName,
      cycle,
      summary: null,
      ...part,
      problems,
    });
    let opened: OpenedReport;
    let close = () => {};
    let sizeAtStart = detailed.sizeBytes;
    try {
      if (detailed.zipped) {
        const zip = await openZipped(detailed.path);
        if (!zip) {
          problems.push({ code: "not_a_report", message: `${detailed.name} holds no DetailedReport CSV.` });
          return digest({ detailedReport: null, repositories: [] });
        }
        opened = zip.opened;
        close = zip.close;
      } else {
        const csv = await openCsv(detailed.path, detailed.name);
        opened = csv.opened;
        sizeAtStart = csv.size;
      }
    } catch (err) {
      problems.push(fileProblem(err, detailed.name));
      return digest({ detailedReport: null, repositories: [] });
    }
    let result: Awaited<ReturnType<typeof readDetailedReport>>;
    try {
      result = await readDetailedReport(opened.stream, opened.name, limits);
    } catch (err) {
      problems.push(fileProblem(err, detailed.name));
      return digest({ detailedReport: null, repositories: [] });
    } finally {
      opened.stream.destroy();
    }
    problems.push(...result.problems);
    let complete = result.complete;
    if (!detailed.zipped) {
      const after = await stat(detailed.path).catch(() => undefined);
      if (after && after.size !== sizeAtStart) {
        complete = false;
        problems.push({
          code: "being_written",
          message: `${detailed.name} was still being written while it was read: the counts cover its first ${sizeAtStart.toLocaleString("en-US")} bytes.`,
        });
      }
    }
    const summary = await readSummary(files, opened.summary, problems, cycle);
    close();
    return {
      nodeName,
      cycle,
      detailedReport: {
        name: opened.name,
        zipped: detailed.zipped,
        sizeBytes: detailed.zipped ? result.bytesRead : sizeAtStart,
        lastWriteTime: detailed.lastWriteTime,
        encoding: result.encoding,
        bytesRead: result.bytesRead,
        rows: result.rows,
        durationMs: Math.max(0, Math.round(limits.clock() - started)),
        complete,
        dlpColumns: result.dlpColumns,
        unknownColumns: result.unknownColumns,
      },
      summary,
      repositories: result.repositories,
      problems,
    };
  }

  return {
    async digest(nodeName, cycle, listing) {
      const files = listedCycle(listing, cycle);
      if ("code" in files)
        return { nodeName, cycle, detailedReport: null, summary: null, repositories: [], problems: [files] };
      const d = files.detailed;
      const key = [cycle, d.path, d.sizeBytes, d.lastWriteTime, files.summary?.path ?? ""].join("\n");
      const known = cache.get(key);
      if (known) return known;
      const running = read(nodeName, cycle, files);
      cache.set(key, running);
      // A read that failed for a reason that may pass (rights, a file being zipped) is tried again next time.
      running.then(
        (digest) => {
          if (digest.problems.some((p) => p.code === "access_denied" || p.code === "unreadable")) cache.delete(key);
        },
        () => cache.delete(key),
      );
      while (cache.size > remembered) cache.delete(cache.keys().next().value as string);
      return running;
    },
    summary: summaryOnly,
  };
}

/** The cycle's files, or why there are none. */
function listedCycle(listing: ReportListing, cycle: ReportCycle): CycleFiles | ReportProblem {
  return listing.ok ? cycleFiles(listing.files, cycle) : listing.problem;
}

/** Reads a cycle's Summary (beside the reports, or inside the cycle's zip) and nothing else. */
async function summaryOnly(nodeName: string, cycle: ReportCycle, listing: ReportListing): Promise<ReportDigest> {
  const problems: ReportProblem[] = [];
  const answer = (summary: ReportDigest["summary"]): ReportDigest => ({
    nodeName,
    cycle,
    parts: "summary",
    detailedReport: null,
    summary,
    repositories: [],
    problems,
  });
  const files = listedCycle(listing, cycle);
  if ("code" in files) {
    problems.push(files);
    return answer(null);
  }
  // A Summary beside the reports is the one written during the cycle; only without it is the zip looked into.
  if (files.summary || !files.detailed.zipped) return answer(await readSummary(files, undefined, problems, cycle));
  let zipped: Awaited<ReturnType<typeof openZippedSummary>>;
  try {
    zipped = await openZippedSummary(files.detailed.path);
  } catch (err) {
    problems.push(fileProblem(err, files.detailed.name));
    return answer(null);
  }
  try {
    return answer(await readSummary(files, zipped.summary, problems, cycle));
  } finally {
    zipped.close();
  }
}

async function readSummary(
  files: CycleFiles,
  inZip: OpenedReport["summary"],
  problems: ReportProblem[],
  cycle: ReportCycle,
): Promise<ReportDigest["summary"]> {
  const source = inZip
    ? { name: inZip.name, lastWriteTime: null, read: inZip.read }
    : files.summary
      ? {
          name: files.summary.name,
          lastWriteTime: files.summary.lastWriteTime,
          read: () =>
            readCapped(createReadStream(files.summary?.path ?? "", { end: maxSummaryBytes - 1 }), maxSummaryBytes),
        }
      : undefined;
  if (!source) {
    problems.push({
      code: "summary_missing",
      message:
        cycle === "last"
          ? "No Summary report for this cycle yet: the scan may still be running (the scanner writes it when a cycle completes)."
          : "No Summary report was found for this cycle.",
    });
    return null;
  }
  try {
    const text = decodeSummary(await source.read());
    if (text === undefined) {
      problems.push({ code: "wrong_encoding", message: `${source.name} is not text; its counts were not read.` });
      return null;
    }
    return { name: source.name, lastWriteTime: source.lastWriteTime, counts: parseSummary(text) };
  } catch (err) {
    problems.push(fileProblem(err, source.name));
    return null;
  }
}
