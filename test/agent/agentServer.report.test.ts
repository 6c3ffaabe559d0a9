import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import { createReportReader } from "../../agent/reports/reportDigest.js";
import { listReportFolder } from "../../agent/reports/reportFiles.js";
import { createScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { encodeReport, headerLine, rowLine, simulatedRows } from "../../agent/simulator/simulatedReports.js";
import { agentPaths, reportDigestSchema } from "../../src/wire/agentApi.js";
import { agentRequest } from "./signedClient.js";

/**
 * A large report is read while the agent keeps answering: the read streams in
 * bounded memory and yields between chunks, so health answers meanwhile.
 */

const targetBytes = 100 * 1024 * 1024;
let work: string;
let rowsWritten = 0;

/** Writes a ~100 MB UTF-8 DetailedReport with the simulator's rows, respecting the stream's backpressure. */
async function writeLargeReport(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write(encodeReport(headerLine("classic"), "utf-8"));
  const rows = simulatedRows({
    repositories: ["\\\\fs01.contoso.com\\Finance", "\\\\fs01.contoso.com\\HR"],
    columns: "classic",
    seed: 3,
  });
  let bytes = 0;
  while (bytes < targetBytes) {
    let batch = "";
    for (let i = 0; i < 2000; i++) {
      batch += rowLine(rows.next().value as Record<string, string>, "classic");
      rowsWritten += 1;
    }
    bytes += Buffer.byteLength(batch);
    if (!out.write(batch)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
}

let server: RunningAgentServer;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "scanner-large-report-"));
  await writeLargeReport(join(work, "DetailedReport_2026_11_25_08_00_00.csv"));
  const simulator = createScannerSimulator({ nodeName: "scan-01", cluster: "contoso-test" });
  const reader = createReportReader();
  server = await startAgentServer({
    backend: {
      ...simulator,
      report: async (query) => reader.digest("scan-01", query.cycle, await listReportFolder(work)),
    },
    secrets: ["test-secret"],
    actionsEnabled: [],
  });
}, 120_000);

afterAll(async () => {
  await server?.close();
  await rm(work, { recursive: true, force: true });
});

describe("agent reading a 100 MB report", () => {
  it("answers health while it reads the whole file", async () => {
    let done = false;
    const report = agentRequest(server.url, `${agentPaths.report}?cycle=last`).finally(() => {
      done = true;
    });
    let healthWhileReading = 0;
    while (!done) {
      const health = await agentRequest(server.url, agentPaths.health);
      expect(health.status).toBe(200);
      if (!done) healthWhileReading += 1;
    }
    const answer = await report;
    expect(answer.status).toBe(200);
    const digest = reportDigestSchema.parse(answer.json);
    expect(digest.detailedReport).toMatchObject({ rows: rowsWritten, complete: true, encoding: "utf-8" });
    expect(digest.problems.map((p) => p.code)).toEqual(["summary_missing"]);
    expect(digest.repositories.reduce((sum, r) => sum + r.files, 0)).toBe(rowsWritten);
    // Health was answered again and again while the report was being read.
    expect(healthWhileReading).toBeGreaterThanOrEqual(2);
  }, 120_000);

  it("reads it with a 32 MB heap, which a reader that held the file (100 MB as text) would not survive", () => {
    // A child process: a heap limit is a bound a test can rely on, unlike this process's garbage-laden heap figures.
    const child = spawnSync(
      process.execPath,
      ["--max-old-space-size=32", "--import", "tsx", "test/support/readReportProcess.ts", work],
      { encoding: "utf8", timeout: 110_000 },
    );
    expect(child.status, child.stderr.slice(-2000)).toBe(0);
    expect(JSON.parse(child.stdout)).toMatchObject({ rows: rowsWritten });
  }, 120_000);
});
