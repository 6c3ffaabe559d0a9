import { setImmediate as nextTurn } from "node:timers/promises";
import Papa from "papaparse";
import type { ReportProblem, RepositoryReport } from "../../src/wire/agentApi.js";
import { RecordFramer } from "./recordFraming.js";
import { type AggregateLimits, defaultAggregateLimits, ReportAggregate } from "./reportAggregate.js";
import { type ColumnMap, mapColumns } from "./reportColumns.js";
import { ReportDecoder, type ReportEncoding, sniffEncoding } from "./reportEncoding.js";

/**
 * Streams one DetailedReport through the CSV parser (Papa Parse) and the
 * aggregate: bytes are decoded chunk by chunk, cut into whole records, parsed
 * and folded into counts, with a turn of the event loop between chunks so
 * the agent keeps answering other probes while a large report is read.
 */

export interface DetailedReadLimits {
  /** A record (row) longer than this many characters is skipped and counted. */
  maxRecordChars: number;
  /** Reading stops after this long; the answer says the counts are partial. */
  timeLimitMs: number;
  aggregate: AggregateLimits;
  /** Milliseconds from some fixed point; tests pass a fake one. */
  clock: () => number;
}

export const defaultDetailedReadLimits: DetailedReadLimits = {
  maxRecordChars: 1024 * 1024,
  timeLimitMs: 5 * 60_000,
  aggregate: defaultAggregateLimits,
  clock: () => performance.now(),
};

export interface DetailedReportRead {
  encoding: ReportEncoding;
  bytesRead: number;
  rows: number;
  complete: boolean;
  dlpColumns: boolean;
  unknownColumns: string[];
  repositories: RepositoryReport[];
  problems: ReportProblem[];
}

const megabytes = (size: number) =>
  size >= 1024 * 1024 ? `${Math.round(size / (1024 * 1024))} MB` : `${Math.round(size / 1024)} KB`;

/** The delimiter of a header line: the scanner writes commas; a list separator of another locale is accepted. */
function delimiterOf(headerText: string): string {
  const line = headerText.slice(0, headerText.indexOf("\n") === -1 ? undefined : headerText.indexOf("\n"));
  const counts = [",", ";", "\t"].map((d) => [d, line.split(d).length] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]?.[0] ?? ",";
}

/** Reads a DetailedReport from its bytes; `name` is only used in messages. */
export async function readDetailedReport(
  source: AsyncIterable<Buffer>,
  name: string,
  limits: DetailedReadLimits = defaultDetailedReadLimits,
): Promise<DetailedReportRead> {
  const started = limits.clock();
  const problems: ReportProblem[] = [];
  const framer = new RecordFramer(limits.maxRecordChars);
  let decoder: ReportDecoder | undefined;
  let encoding: ReportEncoding = "utf-8";
  let head = Buffer.alloc(0);
  let bytesRead = 0;
  let columns: ColumnMap | undefined;
  let aggregate: ReportAggregate | undefined;
  let malformed = 0;
  let complete = true;
  let stop = false;

  const empty = (): DetailedReportRead => ({
    encoding,
    bytesRead,
    rows: 0,
    complete: false,
    dlpColumns: false,
    unknownColumns: [],
    repositories: [],
    problems,
  });

  let parser: Papa.Parser | undefined;

  /** Parses whole records; the first one is the header. */
  const parseRecords = (text: string) => {
    if (text === "") return;
    if (!parser) {
      // Delimiter and line ending fixed from the header. Papa Parse's low-level parser is used directly:
      // the records arrive whole already, and its convenience wrapper would re-check the BOM and filter
      // every block again.
      parser = new Papa.Parser({ delimiter: delimiterOf(text), newline: /^[^\n]*\r\n/.test(text) ? "\r\n" : "\n" });
    }
    const parsed = parser.parse(text, 0, false) as Papa.ParseResult<string[]>;
    const broken = new Set<number>();
    for (const error of parsed.errors) if (error.row !== undefined) broken.add(error.row);
    const rows = parsed.data;
    for (let i = 0; i < rows.length && !stop; i++) {
      const row = rows[i] as string[];
      // The block's final line break leaves one empty record behind; blank lines do too.
      if (row.length === 1 && row[0] === "") continue;
      if (!columns || !aggregate) {
        const mapped = mapColumns(row);
        if (!mapped) {
          problems.push({
            code: "not_a_report",
            message: `The first line of ${name} is not a DetailedReport header (it has no File Name and Status columns); nothing was counted.`,
          });
          stop = true;
          return;
        }
        columns = mapped;
        aggregate = new ReportAggregate(mapped, limits.aggregate);
        continue;
      }
      if (broken.has(i) || row.length !== columns.width) {
        malformed += 1;
        continue;
      }
      aggregate.add(row);
    }
  };

  for await (const chunk of source) {
    bytesRead += chunk.length;
    let bytes = chunk;
    if (!decoder) {
      head = Buffer.concat([head, chunk]);
      if (head.length < 4) continue;
      const verdict = sniffEncoding(head);
      if (!verdict.ok) {
        problems.push({ code: "wrong_encoding", message: `${name} cannot be read: ${verdict.message}.` });
        return empty();
      }
      encoding = verdict.encoding;
      decoder = new ReportDecoder(encoding);
      bytes = head.subarray(verdict.bomBytes);
    }
    parseRecords(framer.push(decoder.write(bytes)));
    if (stop) return empty();
    if (limits.clock() - started > limits.timeLimitMs) {
      complete = false;
      problems.push({
        code: "time_limit",
        message: `Reading ${name} stopped after ${Math.round(limits.timeLimitMs / 1000)} s; the counts cover its first ${megabytes(bytesRead)}.`,
      });
      break;
    }
    // A turn of the event loop per chunk: health and status answers never wait behind a whole report.
    await nextTurn();
  }
  if (!decoder && head.length > 0) {
    const verdict = sniffEncoding(head);
    encoding = verdict.ok ? verdict.encoding : "utf-8";
    decoder = new ReportDecoder(encoding);
    parseRecords(framer.push(decoder.write(head.subarray(verdict.ok ? verdict.bomBytes : 0))));
  }
  if (decoder && complete) parseRecords(framer.push(decoder.end()) + framer.end());
  if (stop) return empty();
  if (!columns || !aggregate) {
    problems.push({ code: "not_a_report", message: `${name} is empty: it has no header line.` });
    return empty();
  }
  if (decoder && decoder.replaced > 0) {
    problems.push({
      code: "wrong_encoding",
      message: `${name} is not valid ${encoding === "utf-8" ? "UTF-8" : "UTF-16 LE"}: ${decoder.replaced} character(s) could not be decoded, so some names may read wrongly.`,
    });
  }
  if (framer.endedInsideQuotes) {
    complete = false;
    problems.push({
      code: "unbalanced_quotes",
      message: `${name} has a quoted field that never closes (unbalanced quotes); the text after it was not counted.`,
    });
  } else if (framer.skippedRecords > 0) {
    problems.push({
      code: "record_too_large",
      message: `${framer.skippedRecords} record(s) in ${name} were longer than ${megabytes(limits.maxRecordChars)} and were skipped.`,
    });
  }
  if (malformed > 0) {
    problems.push({
      code: "malformed_rows",
      message: `${malformed} row(s) of ${name} did not match its header (wrong number of fields or broken quotes) and were left out of the counts.`,
    });
  }
  return {
    encoding,
    bytesRead,
    rows: aggregate.rows,
    complete,
    dlpColumns: columns.dlp,
    unknownColumns: columns.unknown,
    repositories: aggregate.repositoryReports(),
    problems,
  };
}
