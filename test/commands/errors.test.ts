import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { findEntry } from "../../src/knowledge/knowledgeBase.js";
import type { Block, Reply } from "../../src/reply/reply.js";
import { errorsSchema } from "../../src/wire/agentApi.js";
import { fleetConfig, LoopbackAgents, routerOver, run } from "../fleet/loopbackAgents.js";

const agents = new LoopbackAgents();
afterEach(() => agents.closeAll());

const recorded = errorsSchema.parse(
  JSON.parse(readFileSync(new URL("../fixtures/fleet/errors-mixed.json", import.meta.url), "utf8")),
);

const kindTable = (reply: Reply) =>
  reply.blocks.find((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");
const title = (id: string) => findEntry(id)?.title ?? id;

describe("errors", () => {
  it("groups a node's log errors by kind with counts, explains each and lists the unmatched", async () => {
    const asked: number[] = [];
    const node = await agents.agent("scan-02", {
      backend: (sim) => ({
        ...sim,
        errors: async (query) => {
          asked.push(query.count);
          return recorded;
        },
      }),
    });
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [node] })));
    const { reply, text } = await run(router, "errors scan-02");

    expect(asked).toEqual([20]);
    expect(reply.text).toBe("Errors on scan-02: 4 error(s) of 2 known kind(s), 1 unmatched");
    expect(kindTable(reply)?.rows.map((r) => [r.cells[0], r.cells[1], r.cells[2]])).toEqual([
      [title("mismatched-or-outdated-schema"), "2", "scan-02"],
      [title("database-errors"), "1", "scan-02"],
    ]);
    expect(text).toContain("How to fix it:");
    expect(text).toContain("1 error(s) match nothing in the knowledge base:");
    expect(text).toContain("quota of the reporting share reached");
    // The agent said more entries exist: the reply says how to see them.
    expect(text).toContain("`errors scan-02 100` shows more");
  });

  it("reads every node of the cluster by default and says which ones had none or did not answer", async () => {
    const broken = await agents.agent("scan-01", { scenario: "schema-mismatch" });
    const healthy = await agents.agent("scan-02");
    const down = await agents.refusing("scan-03");
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [broken, healthy, down] })));
    const { reply, placeholder } = await run(router, "errors 5");

    expect(placeholder?.text).toBe("Reading the scanner logs of 3 nodes…");
    expect(reply.status).toBe("error");
    const notes = reply.blocks.flatMap((b) => (b.kind === "status" ? [`${b.status} ${b.text}`] : []));
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ok scan-02: no errors in the scanner log/),
        expect.stringMatching(/^error scan-03: refused/),
        // A node with errors in its log is flagged, not shown as a neutral note.
        expect.stringMatching(/^warn scan-01: \d+ error\(s\)/),
      ]),
    );
    const rows = kindTable(reply)?.rows ?? [];
    expect(rows[0]?.cells[0]).toBe(title("mismatched-or-outdated-schema"));
    expect(Number(rows[0]?.cells[1])).toBeGreaterThan(0);
    expect(Number(rows[0]?.cells[1])).toBeLessThanOrEqual(5);
  });

  it("sums up the quiet nodes of a big cluster in one line", async () => {
    const quiet = await Promise.all(Array.from({ length: 11 }, (_, i) => agents.agent(`scan-${i + 10}`)));
    const broken = await agents.agent("scan-99", { scenario: "database-error" });
    const router = routerOver(agents.fleet(fleetConfig({ big: [...quiet, broken] })));
    const { reply } = await run(router, "errors big 3");
    const notes = reply.blocks.flatMap((b) => (b.kind === "status" ? [`${b.status} ${b.text}`] : []));
    expect(notes).toContain("ok 11 nodes: no errors in the scanner log.");
    expect(notes.filter((n) => n.includes("no errors"))).toHaveLength(1);
    expect(notes).toEqual(expect.arrayContaining([expect.stringMatching(/^warn scan-99: [1-3] error\(s\)/)]));
  });

  it("validates the count: default 20, at most 500, whole numbers only", async () => {
    const node = await agents.agent("scan-01");
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [node] })));
    expect((await run(router, "errors scan-01 501")).text).toContain("count can be at most 500");
    expect((await run(router, "errors scan-01 lots")).text).toContain("count must be a number");
    expect((await run(router, "errors scan-01 0")).text).toContain("count must be at least 1");
    const unknown = await run(router, "errors scan-9 10");
    expect(unknown.text).toContain("There is no node or cluster `scan-9`");
    const ok = await run(router, "errors scan-01 500");
    expect(ok.reply.text).toBe("Errors on scan-01: no errors in the scanner log (asked for the last 500)");
  });
});
