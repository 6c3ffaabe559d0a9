import { mkdir, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import AdmZip from "adm-zip";
import type { ReportEncoding } from "../reports/reportEncoding.js";
import { seededRandom } from "./seededRandom.js";

/**
 * Writes the report files a scanner node keeps, with realistic content: a
 * DetailedReport CSV per cycle (the classic column set, or the newer one with
 * DLP columns), in UTF-16 LE or UTF-8 with a byte order mark, the older cycle
 * zipped as the scanner does, and a Summary per completed cycle. The demo's
 * `report`, the tests and the bench read these through the same code as a
 * real node's files.
 */

/** The classic column set (a public copy of Microsoft's "How to: Read Scanner Reports"). */
export const classicColumns = [
  "Repository",
  "File Name",
  "Status",
  "Comment",
  "Current Label",
  "Current Label ID",
  "Applied Label",
  "Applied Label ID",
  "Condition Name",
  "Information Type Name",
  "Matched Information Types String",
  "Action",
  "Matched String",
  "Last Modified",
  "Last Modified By",
  "Protection Before Action",
  "Protection After Action",
] as const;

/** A newer scanner with DLP enabled: no legacy columns, DLP and permission columns added, a different order. */
export const dlpColumns = [
  "Repository",
  "File Name",
  "Status",
  "Comment",
  "Current Label",
  "Current Label ID",
  "Applied Label",
  "Applied Label ID",
  "Information Type Name",
  "Matched Information Types String",
  "Action",
  "DLP Mode",
  "DLP Status",
  "DLP Comment",
  "DLP Rule Name",
  "DLP Actions",
  "Owner",
  "Current NTFS Permissions (SDDL)",
  "Applied NTFS Permissions (SDDL)",
  "NTFS permissions type",
  "Last Modified",
  "Last Modified By",
  "Protection Before Action",
  "Protection After Action",
] as const;

export type ColumnSet = "classic" | "dlp";

/** Stands in for what a real report's Matched String column holds; tests check it never leaves the node. */
export const simulatedMatchedString = "4111-1111-1111-1111 (simulated match)";

const sensitiveTypes = [
  "Credit Card Number",
  "U.S. Social Security Number (SSN)",
  "International Banking Account Number (IBAN)",
  "EU Debit Card Number",
  "U.S. Bank Account Number",
];
const skipReasons = ["No match", "Not supported", "Already labeled", "Already scanned", "Excluded"];
const failures: [string, string][] = [
  ["Failed", "The process cannot access the file because it is being used by another process."],
  ["Failed", "Access to the path is denied."],
  ["Error", "The file is password protected and cannot be inspected."],
];
const folders = ["Budget", "Payroll", "Contracts", "Archive\\2024", "Projects\\Atlas", "Board"];
const extensions = ["docx", "xlsx", "pdf", "pptx", "txt", "msg"];

/** One field quoted the way Export-Csv quotes every field. */
const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;

/** One CSV line (CRLF-terminated) of quoted fields. */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(quoted).join(",")}\r\n`;
}

export interface SimulatedRowsOptions {
  repositories: readonly string[];
  columns: ColumnSet;
  seed: number;
}

/** Rows of a simulated DetailedReport, as field maps by column name; endless, take what you need. */
export function* simulatedRows(options: SimulatedRowsOptions): Generator<Record<string, string>> {
  const random = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  for (let i = 0; ; i++) {
    const repository = options.repositories[Math.floor(random() * random() * options.repositories.length)] ?? "";
    const separator = repository.startsWith("http") ? "/" : "\\";
    const folder = pick(folders).replaceAll("\\", separator);
    const fileName = `${repository}${separator}${folder}${separator}file-${i}.${pick(extensions)}`;
    const roll = random();
    const row: Record<string, string> = {
      Repository: repository,
      "File Name": fileName,
      "Last Modified": new Date(Date.UTC(2026, 10, 1 + (i % 28), 8, i % 60)).toISOString(),
      "Last Modified By": `CONTOSO\\user${i % 97}`,
      "Protection Before Action": "False",
      "Protection After Action": "False",
    };
    if (roll < 0.04) {
      const [status, comment] = pick(failures);
      row.Status = status;
      row.Comment = comment;
    } else if (roll < 0.2) {
      row.Status = "Skipped";
      row.Comment = pick(skipReasons);
    } else {
      row.Status = "Success";
      row["Current Label"] = random() < 0.3 ? "General" : "";
      if (random() < 0.3) {
        const type = pick(sensitiveTypes);
        const highly = type.includes("Social") || type.includes("Bank");
        row["Information Type Name"] = random() < 0.2 ? `${type}, ${pick(sensitiveTypes)}` : type;
        row["Matched Information Types String"] = `${type}: ${1 + (i % 5)}`;
        row["Matched String"] = simulatedMatchedString;
        row["Condition Name"] = type;
        row["Applied Label"] = highly ? "Highly Confidential\\All Employees" : "Confidential";
        row.Action = "Labeled";
        row["Protection After Action"] = highly ? "True" : "False";
        if (options.columns === "dlp" && random() < 0.5) {
          row["DLP Mode"] = "Enforce";
          row["DLP Status"] = "Success";
          row["DLP Rule Name"] = highly ? "Block everyone: PII" : "Restrict financial data";
          row["DLP Actions"] = "RestrictAccess";
        }
      }
    }
    if (options.columns === "dlp") {
      row.Owner = `CONTOSO\\owner${i % 13}`;
      row["Current NTFS Permissions (SDDL)"] = "O:BAG:DUD:(A;;FA;;;BA)";
      row["NTFS permissions type"] = "Explicit";
    }
    yield row;
  }
}

/** The header line of a column set. */
export function headerLine(columns: ColumnSet): string {
  return csvLine(columns === "dlp" ? dlpColumns : classicColumns);
}

/** One row as a CSV line in a column set's order. */
export function rowLine(row: Record<string, string>, columns: ColumnSet): string {
  return csvLine((columns === "dlp" ? dlpColumns : classicColumns).map((c) => row[c] ?? ""));
}

/** Text in a report file's encoding, with its byte order mark. */
export function encodeReport(text: string, encoding: ReportEncoding): Buffer {
  return encoding === "utf-16le"
    ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")])
    : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
}

interface Cycle {
  startMs: number;
  rows: number;
  columns: ColumnSet;
  encoding: ReportEncoding;
  /** When the cycle completed, if it did: its Summary is written then. */
  finishedMs?: number;
}

function stamp(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}_${pad(d.getUTCMonth() + 1)}_${pad(d.getUTCDate())}_${pad(d.getUTCHours())}_${pad(d.getUTCMinutes())}_${pad(d.getUTCSeconds())}`;
}

/** A cycle's CSV text and the Summary counts that go with it. */
function cycleContent(cycle: Cycle, repositories: readonly string[], seed: number): { csv: string; summary: string } {
  const rows = simulatedRows({ repositories, columns: cycle.columns, seed });
  const lines = [headerLine(cycle.columns)];
  const totals = { scanned: 0, classified: 0, labeled: 0, protected: 0, failed: 0 };
  const skipped = new Map<string, number>();
  for (let i = 0; i < cycle.rows; i++) {
    const row = rows.next().value as Record<string, string>;
    lines.push(rowLine(row, cycle.columns));
    totals.scanned += 1;
    if (row["Information Type Name"]) totals.classified += 1;
    if (row["Applied Label"]) totals.labeled += 1;
    if (row["Protection After Action"] === "True") totals.protected += 1;
    if (row.Status === "Failed" || row.Status === "Error") totals.failed += 1;
    if (row.Status === "Skipped") skipped.set(row.Comment ?? "", (skipped.get(row.Comment ?? "") ?? 0) + 1);
  }
  const summary = [
    `Scanned Files: ${totals.scanned}`,
    `Classified: ${totals.classified}`,
    `Labeled: ${totals.labeled}`,
    "Remove Label: 0",
    `Protected: ${totals.protected}`,
    "Remove Protection: 0",
    `Files with matched information types: ${totals.classified}`,
    `Failed: ${totals.failed}`,
    "Skipped due to:",
    ...skipReasons.map((r) => `    ${r}: ${skipped.get(r) ?? 0}`),
    "",
  ].join("\r\n");
  return { csv: lines.join(""), summary };
}

export interface SimulatedReportFolder {
  directory: string;
  repositories: readonly string[];
  seed: number;
  /** The newer scanner (DLP columns, UTF-8) or the classic one (UTF-16 LE). */
  generation: "classic" | "purview";
}

/**
 * (Re)writes the folder for a last cycle that started at `lastStartMs` with
 * `lastRows` rows, finished or not, and the cycle a day before it, zipped.
 * Only files this function writes are ever removed.
 */
export async function writeSimulatedReports(
  folder: SimulatedReportFolder,
  last: { startMs: number; rows: number; finishedMs?: number },
): Promise<void> {
  const newer: Pick<Cycle, "columns" | "encoding"> =
    folder.generation === "purview"
      ? { columns: "dlp", encoding: "utf-8" }
      : { columns: "classic", encoding: "utf-16le" };
  const older: Pick<Cycle, "columns" | "encoding"> =
    folder.generation === "purview"
      ? { columns: "classic", encoding: "utf-16le" }
      : { columns: "classic", encoding: "utf-8" };
  const previousStart = last.startMs - 24 * 3_600_000;
  const cycles: (Cycle & { zipped: boolean })[] = [
    { ...older, startMs: previousStart, rows: 1500, finishedMs: previousStart + 3 * 3_600_000, zipped: true },
    { ...newer, ...last, zipped: false },
  ];
  await mkdir(folder.directory, { recursive: true });
  for (const name of await readdir(folder.directory)) {
    if (/^(DetailedReport_|Summary_)\d{4}_/.test(name)) await rm(join(folder.directory, name), { force: true });
  }
  for (const [i, cycle] of cycles.entries()) {
    const { csv, summary } = cycleContent(cycle, folder.repositories, folder.seed * 31 + i);
    const csvName = `DetailedReport_${stamp(cycle.startMs)}.csv`;
    const bytes = encodeReport(csv, cycle.encoding);
    const endMs = cycle.finishedMs ?? last.startMs + 60_000;
    let path = join(folder.directory, csvName);
    if (cycle.zipped) {
      const zip = new AdmZip();
      zip.addFile(csvName, bytes);
      path = join(folder.directory, csvName.replace(/\.csv$/, ".zip"));
      await zip.writeZipPromise(path);
    } else {
      await writeFile(path, bytes);
    }
    await utimes(path, new Date(endMs), new Date(endMs));
    if (cycle.finishedMs !== undefined) {
      const summaryPath = join(folder.directory, `Summary_${stamp(cycle.finishedMs)}.txt`);
      await writeFile(summaryPath, encodeReport(summary, cycle.encoding));
      await utimes(summaryPath, new Date(cycle.finishedMs), new Date(cycle.finishedMs));
    }
  }
}
