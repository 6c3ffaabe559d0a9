import { appendFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultDetailedReadLimits, readDetailedReport } from "../../agent/reports/detailedReportReader.js";
import { createReportReader } from "../../agent/reports/reportDigest.js";
import { listReportFolder } from "../../agent/reports/reportFiles.js";
import { fileProblem } from "../../agent/reports/reportProblems.js";
import { csvLine, headerLine, rowLine, simulatedRows } from "../../agent/simulator/simulatedReports.js";

/**
 * Report files as they go wrong on real nodes: each problem must come back as
 * a counted, worded problem in the digest, never as a throw, and the rows
 * around it must still count.
 */

const header = headerLine("classic");
const rows = (n: number, seed = 7) => {
  const source = simulatedRows({ repositories: ["\\\\fs01\\Finance"], columns: "classic", seed });
  return Array.from({ length: n }, () => rowLine(source.next().value as Record<string, string>, "classic")).join("");
};
const utf8 = (text: string) => Buffer.from(`\uFEFF${text}`, "utf8");
const chunks = (bytes: Buffer, size = 4096) =>
  Readable.from(
    Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size)),
  );
const read = (bytes: Buffer, limits = defaultDetailedReadLimits) =>
  readDetailedReport(chunks(bytes), "DetailedReport_x.csv", limits);
const codes = (r: { problems: { code: string }[] }) => r.problems.map((p) => p.code);

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "scanner-bad-reports-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe("malformed DetailedReports", () => {
  it("counts ragged rows apart and keeps counting the good ones", async () => {
    const ragged = `"\\\\fs01\\Finance","\\\\fs01\\Finance\\a.docx","Success"\r\n`;
    const result = await read(utf8(header + rows(10) + ragged + ragged + rows(5, 8)));
    expect(result.rows).toBe(15);
    expect(codes(result)).toEqual(["malformed_rows"]);
    expect(result.problems[0]?.message).toMatch(/^2 row\(s\) of DetailedReport_x\.csv did not match its header/);
  });

  it("stops at a quote that never closes, with the rows before it counted", async () => {
    const broken = csvLine(["\\\\fs01\\Finance", "x.docx", "Failed", "unterminated"]).replace(
      '"unterminated"',
      '"unterminated',
    );
    const result = await read(utf8(header + rows(20) + broken + rows(30, 9)));
    expect(result.rows).toBe(20);
    expect(result.complete).toBe(false);
    expect(codes(result)).toContain("unbalanced_quotes");
    expect(result.problems.find((p) => p.code === "unbalanced_quotes")?.message).toContain("never closes");
  });

  it("skips a 10 MB line in bounded memory and reads on after it", async () => {
    const huge = `"\\\\fs01\\Finance","${"x".repeat(10 * 1024 * 1024)}","Success"\r\n`;
    const result = await read(utf8(header + rows(3) + huge + rows(4, 11)), {
      ...defaultDetailedReadLimits,
      maxRecordChars: 256 * 1024,
    });
    expect(result.rows).toBe(7);
    expect(codes(result)).toEqual(["record_too_large"]);
    expect(result.problems[0]?.message).toBe(
      "1 record(s) in DetailedReport_x.csv were longer than 256 KB and were skipped.",
    );
  });

  it("refuses a file whose header is not a DetailedReport's", async () => {
    const result = await read(utf8('"Path","Size"\r\n"a","1"\r\n'));
    expect(result.rows).toBe(0);
    expect(codes(result)).toEqual(["not_a_report"]);
  });

  it("says which encoding problem it met: big-endian UTF-16, binary, invalid UTF-8", async () => {
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(header, "utf16le").swap16()]);
    expect((await read(be)).problems[0]?.message).toContain("UTF-16 big-endian");
    const binary = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x14, 0x00, 0x08, 0x00, 0x00, 0x01, 0x02]);
    expect((await read(binary)).problems[0]?.message).toContain("binary data");
    const latin1 = Buffer.concat([
      Buffer.from(header + rows(2)),
      Buffer.from('"\\\\fs01\\Finance","caf\xe9.docx","Success"', "latin1"),
    ]);
    const mixed = await read(Buffer.concat([latin1, Buffer.from(`${",".repeat(14)}\r\n`)]));
    expect(codes(mixed)).toContain("wrong_encoding");
    expect(mixed.rows).toBe(3);
  });

  it("reads UTF-16 LE without a byte order mark", async () => {
    const result = await read(Buffer.from(header + rows(4), "utf16le"));
    expect(result).toMatchObject({ encoding: "utf-16le", rows: 4, problems: [] });
  });

  it("stops at the time limit and says the counts are partial", async () => {
    let fake = 0;
    const result = await read(utf8(header + rows(2000)), {
      ...defaultDetailedReadLimits,
      timeLimitMs: 1000,
      clock: () => {
        fake += 600;
        return fake;
      },
    });
    expect(result.complete).toBe(false);
    expect(codes(result)).toEqual(["time_limit"]);
    expect(result.rows).toBeGreaterThan(0);
    expect(result.rows).toBeLessThan(2000);
  });
});

describe("report folders that are not ready", () => {
  const reader = createReportReader();

  it("says there is no report yet, for a missing folder and an empty one", async () => {
    const missing = await reader.digest("n", "last", await listReportFolder(join(work, "nothing-here")));
    expect(missing.problems.map((p) => p.code)).toEqual(["no_report"]);
    const empty = join(work, "empty");
    await mkdir(empty);
    const none = await reader.digest("n", "last", await listReportFolder(empty));
    expect(none.problems[0]?.message).toBe(
      "There is no DetailedReport yet: no scan cycle has written one on this node.",
    );
    const previous = await reader.digest("n", "previous", await listReportFolder(empty));
    expect(previous.problems.map((p) => p.code)).toEqual(["no_report"]);
  });

  it("says when there is no earlier cycle to show", async () => {
    const one = join(work, "one-cycle");
    await mkdir(one);
    await writeFile(join(one, "DetailedReport_2026_11_25_08_00_00.csv"), utf8(header + rows(3)));
    const previous = await reader.digest("n", "previous", await listReportFolder(one));
    expect(previous.problems.map((p) => p.code)).toEqual(["no_previous_cycle"]);
  });

  it("notices a report that grew while it was read and counts only what it had", async () => {
    const growing = join(work, "growing");
    await mkdir(growing);
    const path = join(growing, "DetailedReport_2026_11_25_08_00_00.csv");
    await writeFile(path, utf8(header + rows(50)));
    let calls = 0;
    // The scanner appends rows after the agent took the file's size: the clock is read right then.
    const writing = createReportReader({
      ...defaultDetailedReadLimits,
      clock: () => {
        calls += 1;
        if (calls === 2) appendFileSync(path, rows(10, 12));
        return 0;
      },
    });
    const digest = await writing.digest("n", "last", await listReportFolder(growing));
    expect(digest.detailedReport).toMatchObject({ rows: 50, complete: false });
    expect(digest.problems.map((p) => p.code)).toEqual(["being_written", "summary_missing"]);
  });

  it("words access denied and other file errors for the channel", () => {
    const denied = Object.assign(new Error("EACCES: permission denied"), { code: "EACCES" });
    expect(fileProblem(denied, "DetailedReport_x.csv")).toEqual({
      code: "access_denied",
      message:
        "The agent's account may not read DetailedReport_x.csv (access denied): give it read access to the scanner service account's Reports folder.",
    });
    expect(fileProblem(Object.assign(new Error("x"), { code: "EIO" }), "f.csv").message).toBe(
      "f.csv could not be read (EIO).",
    );
  });

  it("reports a zip that is not a zip as unreadable instead of throwing", async () => {
    const folder = join(work, "bad-zip");
    await mkdir(folder);
    await writeFile(join(folder, "DetailedReport_2026_11_24_08_00_00.zip"), "not a zip");
    await writeFile(join(folder, "DetailedReport_2026_11_25_08_00_00.csv"), utf8(header + rows(2)));
    const digest = await reader.digest("n", "previous", await listReportFolder(folder));
    expect(digest.detailedReport).toBeNull();
    expect(digest.problems.map((p) => p.code)).toEqual(["unreadable"]);
  });
});
