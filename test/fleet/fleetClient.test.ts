import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { FleetClient, NodeOutcome } from "../../src/fleet/fleetClient.js";
import { fleetConfig, LoopbackAgents } from "./loopbackAgents.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/fleet/${name}`, import.meta.url), "utf8");

const agents = new LoopbackAgents();
let fleet: FleetClient | undefined;

afterEach(() => agents.closeAll());

function failure<T>(outcome: NodeOutcome<T> | undefined) {
  if (!outcome || outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome.error;
}

describe("fleet client against healthy agents", () => {
  it("reads status, health, errors, diagnostics and runs actions on every node", async () => {
    const nodes = await Promise.all(["scan-01", "scan-02", "scan-03"].map((n) => agents.agent(n)));
    fleet = agents.fleet(fleetConfig({ "contoso-test": nodes }));

    const statuses = await fleet.statusOfCluster("CONTOSO-test");
    expect(statuses.map((s) => [s.node, s.ok])).toEqual([
      ["scan-01", true],
      ["scan-02", true],
      ["scan-03", true],
    ]);
    const first = statuses[0];
    if (!first?.ok) throw new Error("scan-01 failed");
    expect(first.value.nodeName).toBe("scan-01");
    expect(first.value.clusterStatus).toBe("Scanning");
    expect(first.durationMs).toBeGreaterThanOrEqual(0);
    expect(fleet.progress("scan-01")?.changes).toBe(0);

    const health = await fleet.health("scan-02");
    expect(health.ok && health.value.service.name).toBe("AIPScanner");
    const errors = await fleet.errors("scan-02", 5);
    expect(errors.ok && errors.value.nodeName).toBe("scan-02");
    const diagnostics = await fleet.diagnostics("scan-03");
    expect(diagnostics.ok && diagnostics.value.checks.length).toBeGreaterThan(0);
    const action = await fleet.action("scan-01", { action: "export-logs", requestId: randomUUID() });
    expect(action.ok && action.value.outcome).toBe("done");
    expect(fleet.pending).toBe(0);
    expect(fleet.running).toBe(0);
  });

  it("finds nodes and clusters by name without exposing secrets", async () => {
    const node = await agents.agent("scan-01");
    fleet = agents.fleet(fleetConfig({ prod: [node] }));
    expect(fleet.findNode("SCAN-01")).toEqual({ name: "scan-01", cluster: "prod", url: node.url });
    expect(JSON.stringify(fleet.clusters())).not.toContain(node.secret);
    expect(fleet.findCluster("nope")).toBeUndefined();
    const unknown = failure(await fleet.status("scan-99"));
    expect(unknown.code).toBe("not_found");
    expect(unknown.userMessage).toContain("scan-01");
  });
});

describe("fleet client with nodes that fail", () => {
  it("answers for every node, each failure with its reason, none holding the others back", async () => {
    const healthy = await agents.agent("scan-ok");
    const refused = await agents.refusing("scan-down");
    const hanging = await agents.hanging("scan-hung");
    const garbage = await agents.answering("scan-junk", fixture("powershell-status-unprojected.json"));
    const wrongSecret = { ...(await agents.agent("scan-rotated")), secret: "an-outdated-shared-secret-value" };
    fleet = agents.fleet(fleetConfig({ prod: [healthy, refused, hanging, garbage, wrongSecret] }, { timeout: 400 }));

    const outcomes = await fleet.statusOfCluster("prod");
    expect(outcomes.map((o) => o.node)).toEqual(["scan-ok", "scan-down", "scan-hung", "scan-junk", "scan-rotated"]);
    expect(outcomes[0]?.ok).toBe(true);

    const down = failure(outcomes[1]);
    expect(down.code).toBe("agent_refused");
    expect(down.userMessage).toMatch(/^refused/);

    const hung = failure(outcomes[2]);
    expect(hung.code).toBe("agent_timeout");
    expect(hung.userMessage).toBe("unreachable (timeout after 0.4 s)");
    expect(outcomes[2]?.durationMs).toBeGreaterThanOrEqual(350);

    const junk = failure(outcomes[3]);
    expect(junk.code).toBe("agent_invalid_reply");
    expect(junk.userMessage).toMatch(/^agent sent invalid data \(/);

    const rotated = failure(outcomes[4]);
    expect(rotated.code).toBe("agent_unauthorized");
    expect(rotated.userMessage).toContain("check the shared secret");
    expect(rotated.userMessage).not.toContain(wrongSecret.secret);
  });

  it("reports non-JSON, oversized and agent-side errors as values", async () => {
    const html = await agents.answering("scan-proxy", "<html><body>502 Bad Gateway</body></html>", 200);
    const huge = await agents.answering("scan-huge", JSON.stringify({ padding: "x".repeat(8000) }));
    const broken = await agents.answering("scan-500", fixture("agent-error-500.json"), 500);
    fleet = agents.fleet(fleetConfig({ prod: [html, huge, broken] }, { maxReplyBytes: 2048 }));

    expect(failure(await fleet.status("scan-proxy")).userMessage).toBe("agent sent invalid data (not JSON)");
    const tooBig = failure(await fleet.status("scan-huge"));
    expect(tooBig.code).toBe("agent_invalid_reply");
    expect(tooBig.userMessage).toContain("larger than 2 KB");
    const agentError = failure(await fleet.status("scan-500"));
    expect(agentError.code).toBe("agent_error");
    expect(agentError.userMessage).toBe(
      "agent answered HTTP 500: The status probe failed on this node; the agent log has the details.",
    );
  });

  it("retries once when the connection is reset, and only once", async () => {
    let requests = 0;
    const flaky = createServer((req, res) => {
      requests += 1;
      if (requests === 1 || req.url?.includes("always")) {
        req.socket.destroy();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(fixture("health.json"));
    });
    await new Promise<void>((resolve) => flaky.listen(0, "127.0.0.1", resolve));
    const address = flaky.address();
    if (!address || typeof address !== "object") throw new Error("no port");
    const base = `http://127.0.0.1:${address.port}`;
    try {
      const secret = "a-shared-secret-for-the-flaky-node";
      fleet = agents.fleet(fleetConfig({ prod: [{ name: "scan-reset-01", url: base, secret }] }, { timeout: 2000 }));
      const recovered = await fleet.health("scan-reset-01");
      expect(recovered.ok).toBe(true);
      expect(requests).toBe(2);

      fleet.close();
      requests = 0;
      fleet = agents.fleet(
        fleetConfig({ prod: [{ name: "scan-reset-01", url: `${base}/always`, secret }] }, { timeout: 2000 }),
      );
      const gaveUp = failure(await fleet.health("scan-reset-01"));
      expect(gaveUp.code).toBe("agent_unreachable");
      expect(requests).toBe(2);
    } finally {
      flaky.closeAllConnections();
      await new Promise<void>((resolve) => flaky.close(() => resolve()));
    }
  });

  it("does not retry a timeout", async () => {
    const hanging = await agents.hanging("scan-hung");
    fleet = agents.fleet(fleetConfig({ prod: [hanging] }, { timeout: 200 }));
    expect(failure(await fleet.status("scan-hung")).code).toBe("agent_timeout");
    expect(hanging.connections()).toBe(1);
  });

  it("gives up on queued and running calls when the caller cancels", async () => {
    const hanging = await agents.hanging("scan-hung");
    const other = await agents.hanging("scan-hung-2");
    fleet = agents.fleet(
      fleetConfig({ prod: [hanging, other] }, { timeout: 10_000, concurrency: 1, perClusterConcurrency: 1 }),
    );
    const controller = new AbortController();
    const calls = Promise.all([
      fleet.status("scan-hung", { signal: controller.signal }),
      fleet.status("scan-hung-2", { signal: controller.signal }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fleet.running).toBe(1);
    expect(fleet.pending).toBe(1);
    controller.abort();
    const outcomes = await calls;
    for (const outcome of outcomes) expect(failure(outcome).userMessage).toContain("cancelled");
    expect(fleet.pending).toBe(0);
  });
});
