import { createReadStream, readFileSync } from "node:fs";
import { copyFile, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AdmZip from "adm-zip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readDetailedReport } from "../../agent/reports/detailedReportReader.js";
import { createReportReader } from "../../agent/reports/reportDigest.js";
import { listReportFolder } from "../../agent/reports/reportFiles.js";
import { parseSummary } from "../../agent/reports/summaryReport.js";
import { reportDigestSchema } from "../../src/wire/agentApi.js";

const fixtures = join(import.meta.dirname, "..", "fixtures", "reports");
const fixture = (name: string) => createReadStream(join(fixtures, name), { highWaterMark: 64 });

/** Words from the fixtures' Matched String, Owner, Last Modified By and SDDL columns: they must never be in a digest. */
const neverShown = ["MATCHED-", "secret", "SECRETSID", "O:BAG"];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "scanner-reports-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("DetailedReport fixtures", () => {
  it("aggregates the classic column set in UTF-16 LE per repository, with file names relative to the root", async () => {
    // 64-byte chunks: records, quoted line breaks and UTF-16 code units all cross chunk boundaries.
    const read = await readDetailedReport(fixture("classic-utf16le.csv"), "classic-utf16le.csv");
    expect(read).toMatchObject({ encoding: "utf-16le", rows: 8, complete: true, dlpColumns: false, problems: [] });
    expect(read.unknownColumns).toEqual([]);
    expect(read.repositories).toEqual([
      {
        repository: "\\\\fs01.contoso.com\\Finance",
        files: 4,
        classified: 2,
        labeled: 2,
        protected: 1,
        failed: 1,
        skipped: 1,
        skippedBy: [{ name: "No match", count: 1 }],
        labels: [
          { from: "(no label)", to: "Confidential", count: 1 },
          { from: "General", to: "Highly Confidential\\All Employees", count: 1 },
        ],
        sensitiveTypes: [
          { name: "Credit Card Number", count: 2 },
          { name: "U.S. Social Security Number (SSN)", count: 1 },
        ],
        failures: [
          { status: "Failed", comment: "Access to the path is denied.", count: 1, examples: ["Board\\minutes.pdf"] },
        ],
        dlpRules: [],
      },
      {
        repository: "\\\\fs01.contoso.com\\HR",
        files: 4,
        classified: 0,
        labeled: 0,
        protected: 0,
        failed: 2,
        skipped: 1,
        skippedBy: [{ name: "Not supported", count: 1 }],
        labels: [],
        sensitiveTypes: [],
        failures: [
          {
            status: "Failed",
            comment: 'Locked, retry later: "in use"\nby another process',
            count: 1,
            examples: ["Reviews\\2026\\carol.docx"],
          },
          // Not under its repository's root: only the last two parts, never another server's name.
          { status: "Failed", comment: "Access to the path is denied.", count: 1, examples: ["Moved\\y.docx"] },
        ],
        dlpRules: [],
      },
    ]);
    const json = JSON.stringify(read);
    for (const word of neverShown) expect(json).not.toContain(word);
  });

  it("aggregates the newer column set with DLP in UTF-8 and names the columns it does not know", async () => {
    const read = await readDetailedReport(fixture("dlp-utf8.csv"), "dlp-utf8.csv");
    expect(read).toMatchObject({ encoding: "utf-8", rows: 5, complete: true, dlpColumns: true, problems: [] });
    expect(read.unknownColumns).toEqual(["Retention Label"]);
    const [legal] = read.repositories;
    expect(legal).toMatchObject({
      repository: "https://contoso.sharepoint.com/sites/Legal/Shared%20Documents",
      files: 5,
      classified: 3,
      labeled: 3,
      protected: 1,
      failed: 1,
      skipped: 1,
      dlpRules: [
        { name: "Restrict financial data", count: 2 },
        { name: "Block everyone: PII", count: 1 },
      ],
      failures: [{ status: "Error", comment: "The file is password protected", count: 1, examples: ["locked.pptx"] }],
    });
    expect(legal?.labels).toEqual([
      { from: "(no label)", to: "Confidential", count: 1 },
      { from: "(no label)", to: "Highly Confidential\\All Employees", count: 1 },
      { from: "General", to: "Confidential", count: 1 },
    ]);
    const json = JSON.stringify(read);
    for (const word of neverShown) expect(json).not.toContain(word);
  });

  it("reads a Summary report's counts, the skip reasons under their heading", () => {
    const bytes = readFileSync(join(fixtures, "Summary-utf16le.txt"));
    const text = bytes.subarray(2).toString("utf16le");
    expect(parseSummary(text)).toEqual([
      { name: "Scanned Files", count: 8 },
      { name: "Classified", count: 2 },
      { name: "Labeled", count: 2 },
      { name: "Remove Label", count: 0 },
      { name: "Protected", count: 1 },
      { name: "Remove Protection", count: 0 },
      { name: "Files with matched information types", count: 2 },
      { name: "Failed", count: 3 },
      { name: "Skipped: No match", count: 1 },
      { name: "Skipped: Not supported", count: 1 },
      { name: "Skipped: Already labeled", count: 0 },
      { name: "Attribute", count: 0 },
    ]);
  });
});

describe("Report folder cycles", () => {
  it("digests the newest CSV with its Summary as the last cycle, and the newest zip as the previous one", async () => {
    const folder = join(work, "cycles");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(folder);
    const at = (iso: string) => new Date(iso);
    const older = join(folder, "DetailedReport_2026_11_24_08_00_00.zip");
    const zip = new AdmZip();
    zip.addFile("DetailedReport_2026_11_24_08_00_00.csv", readFileSync(join(fixtures, "dlp-utf8.csv")));
    zip.writeZip(older);
    await utimes(older, at("2026-11-24T12:00:00Z"), at("2026-11-24T12:00:00Z"));
    const newest = join(folder, "DetailedReport_2026_11_25_08_00_00.csv");
    await copyFile(join(fixtures, "classic-utf16le.csv"), newest);
    await utimes(newest, at("2026-11-25T09:00:00Z"), at("2026-11-25T09:00:00Z"));
    const summary = join(folder, "Summary_2026_11_25_09_00_00.txt");
    await copyFile(join(fixtures, "Summary-utf16le.txt"), summary);
    await utimes(summary, at("2026-11-25T09:00:01Z"), at("2026-11-25T09:00:01Z"));
    // A Summary of the older cycle: it must not be taken for the newest one's.
    const oldSummary = join(folder, "Summary_2026_11_24_12_00_00.txt");
    await writeFile(oldSummary, "Scanned Files: 5\r\n");
    await utimes(oldSummary, at("2026-11-24T12:00:01Z"), at("2026-11-24T12:00:01Z"));

    const reader = createReportReader();
    const listing = await listReportFolder(folder);
    const last = reportDigestSchema.parse(await reader.digest("scan-01", "last", listing));
    expect(last.detailedReport).toMatchObject({
      name: "DetailedReport_2026_11_25_08_00_00.csv",
      zipped: false,
      rows: 8,
    });
    expect(last.summary).toMatchObject({ name: "Summary_2026_11_25_09_00_00.txt" });
    expect(last.summary?.counts[0]).toEqual({ name: "Scanned Files", count: 8 });
    expect(last.problems).toEqual([]);

    const previous = reportDigestSchema.parse(await reader.digest("scan-01", "previous", listing));
    expect(previous.detailedReport).toMatchObject({
      name: "DetailedReport_2026_11_24_08_00_00.csv",
      zipped: true,
      rows: 5,
      dlpColumns: true,
    });
    expect(previous.summary?.counts).toEqual([{ name: "Scanned Files", count: 5 }]);
  });
});
