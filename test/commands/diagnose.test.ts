import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { findEntry } from "../../src/knowledge/knowledgeBase.js";
import type { Block, Reply } from "../../src/reply/reply.js";
import { diagnosticsSchema } from "../../src/wire/agentApi.js";
import { fleetConfig, LoopbackAgents, routerOver, run } from "../fleet/loopbackAgents.js";

const agents = new LoopbackAgents();
afterEach(() => agents.closeAll());

const recorded = diagnosticsSchema.parse(
  JSON.parse(readFileSync(new URL("../fixtures/fleet/diagnostics-unlabelled.json", import.meta.url), "utf8")),
);

const table = (reply: Reply) => reply.blocks.find((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");
const headings = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === "heading" ? [b.text] : []));
const statuses = (reply: Reply) => reply.blocks.flatMap((b) => (b.kind === "status" ? [`${b.status} ${b.text}`] : []));

describe("diagnose", () => {
  it("lists every check of a node and explains the failure by the check's knowledge-base id", async () => {
    const node = await agents.agent("scan-03", { scenario: "schema-mismatch" });
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [node] })));
    const { reply, placeholder, text } = await run(router, "diagnose scan-03");

    expect(placeholder?.text).toBe("Running diagnostics on 1 node… this can take a minute.");
    expect(reply.status).toBe("error");
    const rows = table(reply)?.rows ?? [];
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.filter((r) => r.status === "error").map((r) => r.cells[0])).toEqual(["Scanner database schema"]);
    expect(headings(reply)).toEqual(
      expect.arrayContaining([
        "What failed, and what to do",
        findEntry("mismatched-or-outdated-schema")?.title,
        "Scanner diagnostics transcript",
      ]),
    );
    expect(text).toContain("How to fix it:");
    expect(text).toContain("learn.microsoft.com");
    // No button that would just run the same diagnose again.
    const commands = reply.blocks.flatMap((b) => (b.kind === "actions" ? b.actions.map((a) => a.command) : []));
    expect(commands).not.toContain("diagnose scan-03");
  });

  it("explains checks without an id from their text, and gives a next step for unknown ones", async () => {
    const node = await agents.agent("scan-02", {
      backend: (sim) => ({ ...sim, diagnostics: async () => ({ ...recorded, ranAt: new Date().toISOString() }) }),
    });
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [node] })));
    const { reply, text } = await run(router, "diagnose scan-02");

    const rows = table(reply)?.rows ?? [];
    expect(rows.map((r) => r.status)).toEqual(["ok", "error", "warn", "info"]);
    expect(statuses(reply)[0]).toBe("error 1 error, 1 warning");
    // The TLS failure has no kbId but its text is the article's "underlying connection was closed".
    expect(headings(reply)).toContain(findEntry("underlying-connection-was-closed")?.title);
    expect(text).toContain("Temp disk space on scan-02: C:\\Windows\\Temp has 1.2 GB free");
    expect(text).toContain("No knowledge-base entry matches this check.");
    expect(text).toContain("errors scan-02");
  });

  it("covers a cluster: one row per node, unreachable ones with the reason, shared failures explained once", async () => {
    const a = await agents.agent("scan-01", { scenario: "database-error" });
    const b = await agents.agent("scan-02", { scenario: "database-error" });
    const c = await agents.agent("scan-03");
    const d = await agents.refusing("scan-04");
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [a, b, c, d] })));
    const { reply, placeholder } = await run(router, "diagnose");

    expect(placeholder?.text).toBe("Running diagnostics on 4 nodes… this can take a minute.");
    expect(reply.text).toBe(
      "Diagnostics for cluster contoso-prod: 1 of 4 nodes passed every check · 2 with problems · 1 unreachable",
    );
    const rows = table(reply)?.rows ?? [];
    expect(rows.map((r) => [r.cells[0], r.status])).toEqual([
      ["scan-01", "error"],
      ["scan-02", "error"],
      ["scan-03", "ok"],
      ["scan-04", "error"],
    ]);
    expect(rows[3]?.cells[1]).toMatch(/^refused/);
    expect(headings(reply).filter((h) => h === findEntry("database-errors")?.title)).toHaveLength(1);
    expect(statuses(reply).some((s) => s.startsWith("error Scanner database on scan-01, scan-02:"))).toBe(true);
  });
});
