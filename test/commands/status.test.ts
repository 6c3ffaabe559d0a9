import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/foundation/logger.js";
import type { Block, Reply } from "../../src/reply/reply.js";
import { createBot } from "../../src/runtime/bot.js";
import { minimumAgentVersion } from "../../src/wire/agentApi.js";
import { fleetConfig, LoopbackAgents, routerOver, run } from "../fleet/loopbackAgents.js";

const agents = new LoopbackAgents();
afterEach(() => agents.closeAll());

function tables(reply: Reply): Extract<Block, { kind: "table" }>[] {
  return reply.blocks.filter((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");
}

function fields(reply: Reply): Record<string, string> {
  return Object.fromEntries(
    reply.blocks.flatMap((b) => (b.kind === "fields" ? b.fields.map((f) => [f.label, f.value] as const) : [])),
  );
}

describe("status", () => {
  it("shows one row per node, the repositories, and a placeholder while it asks", async () => {
    const nodes = await Promise.all(["scan-01", "scan-02", "scan-03"].map((n) => agents.agent(n)));
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": nodes })));

    const { placeholder, reply, text } = await run(router, "/scanner status");
    expect(placeholder?.text).toBe("Checking 3 nodes…");
    expect(reply.status).toBe("ok");
    expect(reply.text).toBe("contoso-prod: 3 of 3 nodes scanning");
    const [nodeTable, repoTable] = tables(reply);
    expect(nodeTable?.columns).toContain("Last progress");
    expect(nodeTable?.rows.map((r) => [r.cells[0], r.status])).toEqual([
      ["scan-01", "ok"],
      ["scan-02", "ok"],
      ["scan-03", "ok"],
    ]);
    // Scanned size in human units, counts with separators.
    expect(nodeTable?.rows[0]?.cells[4]).toMatch(/^\d+(\.\d)? (KB|MB|GB|TB)$/);
    expect(repoTable?.columns).toEqual(["Repository", "State"]);
    expect(repoTable?.rows.length).toBeGreaterThan(0);
    expect(fields(reply)["Cluster status"]).toBe("Scanning");
    expect(text).toContain("Scan started");
  });

  it("keeps answering when nodes are down, hanging or talking nonsense, with the reason on each row", async () => {
    const healthy = await agents.agent("scan-01");
    const down = await agents.refusing("scan-02");
    const hung = await agents.hanging("scan-03");
    const junk = await agents.answering("scan-04", JSON.stringify({ Cluster: "contoso-prod", ClusterStatus: 2 }));
    const router = routerOver(
      agents.fleet(fleetConfig({ "contoso-prod": [healthy, down, hung, junk] }, { timeout: 300 })),
    );

    const { reply } = await run(router, "status contoso-prod");
    expect(reply.status).toBe("error");
    expect(reply.text).toBe("contoso-prod: 1 of 4 nodes scanning · 3 unreachable");
    const rows = tables(reply)[0]?.rows ?? [];
    expect(rows.map((r) => r.status)).toEqual(["ok", "error", "error", "error"]);
    expect(rows[1]?.cells[1]).toMatch(/^refused/);
    expect(rows[2]?.cells[1]).toBe("unreachable (timeout after 0.3 s)");
    expect(rows[3]?.cells[1]).toMatch(/^agent sent invalid data/);
    const actions = reply.blocks.find((b) => b.kind === "actions");
    expect(actions?.kind === "actions" && actions.actions.map((a) => a.command)).toEqual([
      "diagnose scan-02",
      "errors scan-02",
    ]);
  });

  it("drills into one node: counters incl. extra ones, detailed report, service and module", async () => {
    const node = await agents.agent("scan-01");
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [node] })));
    const { reply, placeholder } = await run(router, "status SCAN-01");
    expect(placeholder).toBeUndefined();
    const f = fields(reply);
    expect(f.Service).toBe("Azure Information Protection Scanner (AIPScanner): Running");
    expect(f.Module).toBe("AzureInformationProtection (Get-AIPScannerStatus)");
    expect(f["Scanned files"]).toMatch(/^[\d,]+$/);
    expect(f.ScannerID).toBe("scan-01");
    expect(f.File).toMatch(/DetailedReport_.*\.csv$/);
    expect(f["Last written"]).toMatch(/UTC/);
    expect(reply.blocks.some((b) => b.kind === "heading" && b.text === "Repositories")).toBe(true);
  });

  it("shows the node's agent release, and flags an agent older than the bot's minimum", async () => {
    let healthCalls = 0;
    const current = await agents.agent("scan-01", {
      backend: (simulator) => ({
        ...simulator,
        health: () => {
          healthCalls += 1;
          return simulator.health();
        },
      }),
    });
    // An agent from before status carried the release: the bot asks its health instead.
    const old = await agents.agent("scan-02", {
      backend: (simulator) => ({
        ...simulator,
        status: async () => {
          const { agentVersion: _version, agentRevision: _revision, ...status } = await simulator.status();
          return status;
        },
        health: async () => ({ ...(await simulator.health()), agentVersion: "0.0.9", agentRevision: undefined }),
      }),
    });
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [current, old] })));

    const fine = await run(router, "status scan-01");
    expect(fields(fine.reply).Agent).toMatch(/^\d+\.\d+\.\d+ \(source\)$/);
    expect(fine.reply.status).toBe("ok");
    expect(healthCalls).toBe(0); // the status answer carried the release: one call per `status <node>`

    const outdated = await run(router, "status scan-02");
    expect(fields(outdated.reply).Agent).toBe(
      `0.0.9: older than ${minimumAgentVersion}, the oldest agent this bot supports; update the agent on this node`,
    );
    expect(outdated.reply.status).toBe("warn");
    expect(outdated.text).toContain("older than");
  });

  it("flags a scanning node whose counters and report stopped moving", async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const stalled = await agents.agent("scan-01", { scenario: "stalled", now });
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [stalled] })), now);

    const first = await run(router, "status");
    expect(tables(first.reply)[0]?.rows[0]?.status).toBe("ok");
    clock += 6 * 60_000;
    const later = await run(router, "status");
    const row = tables(later.reply)[0]?.rows[0];
    expect(row?.status).toBe("warn");
    expect(row?.cells[1]).toBe("Scanning (no progress since 6m ago)");
    expect(row?.cells[7]).toBe("6m ago");
    expect(later.reply.text).toBe("contoso-prod: 1 of 1 node scanning · 1 needs a look");
  });

  it("dates a stall by the detailed report even when nobody looked for minutes", async () => {
    let clock = Date.now();
    const now = () => new Date(clock);
    const node = await agents.agent("scan-02", { now, timeline: [{ atSeconds: 60, scenario: "stalled" }] });
    const router = routerOver(agents.fleet(fleetConfig({ "contoso-prod": [node] })), now);
    await run(router, "status");
    clock += 5 * 60_000;
    const row = tables((await run(router, "status")).reply)[0]?.rows[0];
    expect(row?.status).toBe("warn");
    expect(row?.cells[7]).toBe("4m ago");
  });

  it("says which nodes and clusters exist when the name is unknown, and covers every cluster by default", async () => {
    const a = await agents.agent("scan-a1");
    const b = await agents.agent("scan-b1");
    const router = routerOver(agents.fleet(fleetConfig({ alpha: [a], beta: [b] })));
    const unknown = await run(router, "status scan-zz");
    expect(unknown.reply.status).toBe("error");
    expect(unknown.text).toContain(
      "There is no node or cluster `scan-zz`. Clusters: alpha, beta. Nodes: scan-a1, scan-b1.",
    );
    const all = await run(router, "status");
    const headings = all.reply.blocks.filter((x) => x.kind === "heading").map((x) => x.kind === "heading" && x.text);
    expect(headings).toEqual(["Cluster alpha", "Cluster beta"]);
  });

  it("shows a big cluster's problem nodes first and counts the rows left out", async () => {
    const healthy = await Promise.all(
      Array.from({ length: 58 }, (_, i) => agents.agent(`scan-${String(i).padStart(2, "0")}`)),
    );
    const down = await Promise.all([agents.refusing("scan-98"), agents.refusing("scan-99")]);
    const router = routerOver(agents.fleet(fleetConfig({ big: [...healthy, ...down] })));
    const { reply } = await run(router, "status big");
    const nodeTable = tables(reply)[0];
    expect(nodeTable?.rows).toHaveLength(50);
    expect(nodeTable?.totalRows).toBe(60);
    expect(nodeTable?.rows.slice(0, 3).map((r) => [r.cells[0], r.status])).toEqual([
      ["scan-98", "error"],
      ["scan-99", "error"],
      ["scan-00", "ok"],
    ]);
    expect(reply.text).toBe("big: 58 of 60 nodes scanning · 2 unreachable");
  });

  it("explains that no clusters are configured instead of failing", async () => {
    const { router } = createBot({ logger: silentLogger() });
    const { reply } = await run(router, "status");
    expect(reply.status).toBe("error");
    expect(reply.text).toMatch(/^No scanner clusters are configured/);
  });
});
