import { afterAll, afterEach, describe, expect, it } from "vitest";
import { renderBlockKit } from "../../adapters/slack/blockKit.js";
import { cardBytes, renderAdaptiveCard } from "../../adapters/teams/adaptiveCard.js";
import { removeSimulatedReportFolders } from "../../agent/simulator/scannerSimulator.js";
import { simulatedMatchedString } from "../../agent/simulator/simulatedReports.js";
import { BotError } from "../../src/foundation/botError.js";
import type { Block, Reply } from "../../src/reply/reply.js";
import { fleetConfig, LoopbackAgents, routerOver, run } from "../fleet/loopbackAgents.js";

const agents = new LoopbackAgents();
afterEach(() => agents.closeAll());
afterAll(() => removeSimulatedReportFolders());

type Table = Extract<Block, { kind: "table" }>;
const tables = (reply: Reply) => reply.blocks.filter((b): b is Table => b.kind === "table");
/** The repository table's rows as [repository, files, …]. */
const repositoryRows = (reply: Reply) => (tables(reply)[0]?.rows ?? []).map((r) => r.cells);
const notes = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === "status" ? [`${b.status} ${b.text}`] : []));
const count = (text: string | undefined) => Number((text ?? "").replaceAll(",", ""));

describe("report", () => {
  it("shows one node's last cycle as tables: repositories with short paths, labels, types, failures, skips", async () => {
    const node = await agents.agent("scan-02");
    const fleet = agents.fleet(fleetConfig({ "contoso-prod": [node] }));
    const direct = await fleet.report("scan-02", "last");
    if (!direct.ok) throw direct.error;
    const router = routerOver(fleet);
    const { reply, text } = await run(router, "report scan-02");

    const files = direct.value.repositories.reduce((sum, r) => sum + r.files, 0);
    expect(reply.text).toMatch(
      new RegExp(`^Scan report for scan-02 \\(last cycle\\): ${files.toLocaleString("en-US")} files in 3 repositories`),
    );
    expect(tables(reply)[0]?.columns).toEqual([
      "Repository",
      "Files",
      "Classified",
      "Labeled",
      "Protected",
      "Failed",
      "Skipped",
    ]);
    expect(repositoryRows(reply).map((r) => r[0])).toEqual(
      expect.arrayContaining(["fs01\\Finance", "fs01\\HR", "contoso: sites/Legal/Shared Documents"]),
    );
    for (const heading of ["Labels applied", "Sensitive information types found", "Failures", "Skipped, by reason"]) {
      expect(text).toContain(heading);
    }
    expect(notes(reply)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ok scan-02: DetailedReport_\d{4}_.*\.csv: [\d,]+ files/)]),
    );
    // What never leaves the node.
    const json = JSON.stringify(reply);
    expect(json).not.toContain(simulatedMatchedString);
    expect(json).not.toContain("CONTOSO\\\\user");
    expect(json).not.toContain("fs01.contoso.com\\\\Finance\\\\");
  });

  it("merges a cluster's nodes: a repository scanned by several nodes is one row with their sum", async () => {
    const one = await agents.agent("scan-01");
    const two = await agents.agent("scan-02");
    const fleet = agents.fleet(fleetConfig({ "contoso-prod": [one, two] }));
    const digests = await Promise.all(["scan-01", "scan-02"].map((n) => fleet.report(n, "last")));
    const finance = digests.reduce((sum, d) => {
      if (!d.ok) throw d.error;
      return sum + (d.value.repositories.find((r) => r.repository.endsWith("Finance"))?.files ?? 0);
    }, 0);
    const { reply, placeholder } = await run(routerOver(fleet), "report contoso-prod");

    expect(placeholder?.text).toBe("Reading the scan reports of 2 nodes…");
    expect(reply.text).toMatch(/^Scan report for cluster contoso-prod \(last cycle\): /);
    const row = repositoryRows(reply).find((r) => r[0] === "fs01\\Finance");
    expect(count(row?.[1])).toBe(finance);
    expect(repositoryRows(reply)).toHaveLength(3);
  });

  it("keeps answering when nodes fail: unreachable, a probe that fails, a node without reports", async () => {
    const healthy = await agents.agent("scan-01");
    const down = await agents.refusing("scan-02");
    const broken = await agents.agent("scan-03", {
      backend: (sim) => ({
        ...sim,
        report: async () => {
          throw new BotError(
            "probe_failed",
            "The reports probe failed: The probe did not finish within 30 s and was stopped.",
          );
        },
      }),
    });
    const empty = await agents.agent("scan-04", {
      backend: (sim) => ({
        ...sim,
        report: async (query) => ({
          nodeName: "scan-04",
          cycle: query.cycle,
          detailedReport: null,
          summary: null,
          repositories: [],
          problems: [
            {
              code: "no_report",
              message: "There is no DetailedReport yet: no scan cycle has written one on this node.",
            },
          ],
        }),
      }),
    });
    const fleet = agents.fleet(fleetConfig({ "contoso-prod": [healthy, down, broken, empty] }));
    const { reply } = await run(routerOver(fleet), "report");

    expect(reply.status).toBe("error");
    expect(reply.text).toMatch(/; 2 node\(s\) did not answer$/);
    // The headline judges the figures; the node lines carry the failures.
    expect(notes(reply)[0]).toMatch(/^warn [\d,]+ files in 3 repositories/);
    expect(notes(reply)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ok scan-01: DetailedReport_/),
        expect.stringMatching(/^error scan-02: refused/),
        "error scan-03: agent answered HTTP 500: The reports probe failed: The probe did not finish within 30 s and was stopped.",
        "info scan-04: There is no DetailedReport yet: no scan cycle has written one on this node.",
      ]),
    );
    // The healthy node's figures are still there.
    expect(repositoryRows(reply).length).toBeGreaterThan(0);
  });

  it("says plainly when no node has a report to show", async () => {
    const down = await agents.refusing("scan-09");
    const { reply } = await run(routerOver(agents.fleet(fleetConfig({ lab: [down] }))), "report scan-09");
    expect(reply.text).toBe("Scan report for scan-09 (last cycle): no report could be read; 1 node(s) did not answer");
    expect(tables(reply)).toEqual([]);
  });

  it("filters by repository and reads the previous, zipped cycle", async () => {
    const node = await agents.agent("scan-01");
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [node] })));
    const { reply } = await run(router, "report scan-01 --repository finance --cycle previous");
    expect(reply.text).toMatch(/^Scan report for scan-01 \(previous cycle\): [\d,]+ files in 1 repository/);
    expect(repositoryRows(reply).map((r) => r[0])).toEqual(["fs01\\Finance"]);
    expect(notes(reply)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^ok scan-01: DetailedReport_.*\(zipped\)/)]),
    );

    const { reply: none } = await run(router, "report scan-01 --repository=Payroll");
    expect(notes(none)[0]).toBe(
      "warn No repository matches `Payroll`. Repositories in the reports: fs01\\Finance, fs01\\HR, contoso: sites/Legal/Shared Documents.",
    );
  });

  it("explains bad arguments instead of guessing", async () => {
    const node = await agents.agent("scan-01");
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [node] })));
    expect((await run(router, "report --cycle yesterday")).text).toContain("--cycle is `last` or `previous`");
    expect((await run(router, "report --since 3d")).text).toContain(
      "That doesn't fit `report`: option: --since is not an option of report; it takes --repository and --cycle.",
    );
    expect((await run(router, "report --repository")).text).toContain("--repository needs a value");
    expect((await run(router, "report scan-01 Finance")).text).toContain("put a repository after --repository");
    expect((await run(router, "report scan-77")).text).toContain("There is no node or cluster `scan-77`");
  });

  it("renders as Slack blocks and a Teams card within their limits", async () => {
    const nodes = await Promise.all(["scan-01", "scan-02", "scan-03"].map((n) => agents.agent(n)));
    const { reply } = await run(routerOver(agents.fleet(fleetConfig({ "contoso-prod": nodes }))), "report");
    const slack = renderBlockKit(reply, { buttonValue: (c) => c });
    expect(slack.blocks.length).toBeLessThanOrEqual(50);
    expect(JSON.stringify(slack.blocks)).toContain("fs01\\\\Finance");
    const card = renderAdaptiveCard(reply);
    expect(cardBytes(card)).toBeLessThanOrEqual(28 * 1024);
    expect(JSON.stringify(card)).toContain("Labels applied");
  });
});
