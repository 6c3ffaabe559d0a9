import { afterEach, describe, expect, it } from "vitest";
import { createBotMetrics, meteredAuditSink } from "../../src/operations/metrics.js";
import { type OperationsServer, startOperationsServer } from "../../src/operations/operationsServer.js";

let server: OperationsServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("operations endpoints", () => {
  it("answers /healthz, /readyz and /metrics", async () => {
    const metrics = createBotMetrics();
    let storeProblem: string | undefined = "database is locked";
    let shuttingDown = false;
    server = await startOperationsServer({
      registry: metrics.registry,
      readiness: { store: () => storeProblem },
      isShuttingDown: () => shuttingDown,
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const notReady = await fetch(`${server.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.text()).toContain("store: database is locked");
    storeProblem = undefined;
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    shuttingDown = true;
    expect(await (await fetch(`${server.url}/readyz`)).text()).toContain("shutting down");

    const sink = meteredAuditSink(metrics);
    await sink.record({
      at: new Date().toISOString(),
      platform: "slack",
      userId: "U1",
      command: "status",
      line: "status",
      outcome: "ok",
      durationMs: 120,
    });
    await sink.record({
      at: new Date().toISOString(),
      platform: "slack",
      userId: "U1",
      command: "rm -rf /",
      line: "rm -rf /",
      outcome: "rejected",
      detail: "unknown command",
      durationMs: 1,
    });
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toContain('scanner_bot_commands_total{command="status",outcome="ok"} 1');
    expect(text).toContain('scanner_bot_commands_total{command="(unknown)",outcome="rejected"} 1');
    expect(text).not.toContain("rm -rf");
    expect(text).toContain("scanner_bot_command_duration_seconds_bucket");
  });

  it("rejects other methods and unknown paths", async () => {
    server = await startOperationsServer({ registry: createBotMetrics().registry });
    expect((await fetch(`${server.url}/metrics`, { method: "POST" })).status).toBe(405);
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });
});
