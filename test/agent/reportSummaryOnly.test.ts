import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import { createReportReader } from "../../agent/reports/reportDigest.js";
import { listReportFolder } from "../../agent/reports/reportFiles.js";
import { createScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { agentPaths, reportDigestSchema } from "../../src/wire/agentApi.js";
import { agentRequest } from "./signedClient.js";

/**
 * `/v1/report?parts=summary` answers the cycle's Summary without opening the
 * DetailedReport: the folder's CSV here is not a report at all (binary
 * bytes), so any read of it would show as a problem in the answer.
 */

let work: string;
let server: RunningAgentServer;
let simulated: RunningAgentServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "scanner-summary-only-"));
  await writeFile(join(work, "DetailedReport_2026_11_25_08_00_00.csv"), Buffer.alloc(64 * 1024, 0));
  const summary = join(work, "Summary_2026_11_25_09_30_00.txt");
  await writeFile(summary, "Scanned Files: 12,400\r\nFailed: 3\r\nSkipped due to:\r\n  No match: 40\r\n");
  const written = new Date("2026-11-25T09:30:00Z");
  await utimes(summary, written, written);
  const reader = createReportReader();
  const simulator = createScannerSimulator({ nodeName: "scan-01", cluster: "contoso-test" });
  server = await startAgentServer({
    backend: {
      ...simulator,
      report: async (query) => {
        const listing = await listReportFolder(work);
        return query.parts === "summary"
          ? reader.summary("scan-01", query.cycle, listing)
          : reader.digest("scan-01", query.cycle, listing);
      },
    },
    secrets: ["test-secret"],
    actionsEnabled: [],
  });
  simulated = await startAgentServer({ backend: simulator, secrets: ["test-secret"], actionsEnabled: [] });
});

afterAll(async () => {
  await server?.close();
  await simulated?.close();
  await rm(work, { recursive: true, force: true });
});

describe("report parts=summary", () => {
  it("answers the Summary with no problem, where the full read finds the CSV is no report", async () => {
    const full = reportDigestSchema.parse((await agentRequest(server.url, `${agentPaths.report}?cycle=last`)).json);
    expect(full.problems.length).toBeGreaterThan(0);

    const answer = await agentRequest(server.url, `${agentPaths.report}?cycle=last&parts=summary`);
    expect(answer.status).toBe(200);
    const digest = reportDigestSchema.parse(answer.json);
    expect(digest).toMatchObject({ parts: "summary", detailedReport: null, repositories: [], problems: [] });
    expect(digest.summary).toEqual({
      name: "Summary_2026_11_25_09_30_00.txt",
      lastWriteTime: "2026-11-25T09:30:00.000Z",
      counts: [
        { name: "Scanned Files", count: 12_400 },
        { name: "Failed", count: 3 },
        { name: "Skipped: No match", count: 40 },
      ],
    });
  });

  it("refuses an unknown parts value as a bad request", async () => {
    const answer = await agentRequest(server.url, `${agentPaths.report}?cycle=last&parts=rows`);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: "bad_request", message: "parts must be all or summary." } });
  });

  it("the simulator answers parts=summary over its own report folder without a DetailedReport digest", async () => {
    const answer = await agentRequest(simulated.url, `${agentPaths.report}?cycle=previous&parts=summary`);
    expect(answer.status).toBe(200);
    const digest = reportDigestSchema.parse(answer.json);
    expect(digest).toMatchObject({ parts: "summary", detailedReport: null, repositories: [] });
    expect(digest.summary?.counts.some((c) => /^scanned files$/i.test(c.name))).toBe(true);
  });
});
