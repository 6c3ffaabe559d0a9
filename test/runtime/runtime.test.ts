import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { type Runtime, startRuntime } from "../../src/runtime/runtime.js";
import { LoopbackAgents } from "../fleet/loopbackAgents.js";
import {
  botId,
  botToken,
  botUserId,
  freshRequestId,
  readBody,
  sendToSlackApp,
  signingSecret,
} from "../slack/slackHarness.js";

const agents = new LoopbackAgents();
let runtime: Runtime | undefined;
let responseServer: Server | undefined;
afterEach(async () => {
  await runtime?.stop("test over");
  runtime = undefined;
  await new Promise<void>((resolve) => (responseServer ? responseServer.close(() => resolve()) : resolve()));
  responseServer = undefined;
  await agents.closeAll();
});

/** A loopback stand-in for Slack's response_url: records every delayed answer. */
async function responseUrl(): Promise<{ url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  responseServer = createServer(async (req, res) => {
    bodies.push(JSON.parse(await readBody(req)));
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => responseServer?.listen(0, "127.0.0.1", () => resolve()));
  const { port } = responseServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks/1`, bodies };
}

async function configWith(extra: Record<string, unknown> = {}) {
  const healthy = await agents.agent("scan-01", { cluster: "contoso-prod" });
  const hanging = await agents.hanging("scan-02");
  return botConfigSchema.parse({
    fleet: { timeout: "1500ms", diagnosticsTimeout: "1500ms" },
    clusters: [
      {
        name: "contoso-prod",
        nodes: [
          { name: healthy.name, url: healthy.url, secret: healthy.secret },
          { name: hanging.name, url: hanging.url, secret: hanging.secret },
        ],
      },
    ],
    store: { path: ":memory:" },
    slack: { botToken, signingSecret, botId, botUserId, host: "127.0.0.1", port: 0 },
    operations: { port: 0 },
    ...extra,
  });
}

function slashCommand(text: string, responseUrlValue: string) {
  return {
    kind: "form" as const,
    fields: {
      token: "legacy",
      team_id: "T0001",
      channel_id: "C0OPS",
      channel_name: "scanner-ops",
      user_id: "U0ANA",
      user_name: "ana",
      command: "/scanner",
      text,
      response_url: responseUrlValue,
      trigger_id: freshRequestId("1.2."),
    },
  };
}

describe("runtime (scanner-bot run)", () => {
  it("serves Slack, answers through the fleet, counts it in /metrics and is ready", async () => {
    runtime = await startRuntime({ config: await configWith(), logger: silentLogger() });
    const { url, bodies } = await responseUrl();
    expect((await fetch(`${runtime.urls.operations}/readyz`)).status).toBe(200);

    const ack = await sendToSlackApp(runtime.urls.slack ?? "", slashCommand("status scan-01", url));
    expect(ack.status).toBe(200);
    for (let i = 0; i < 200 && bodies.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(JSON.stringify(bodies.at(-1))).toContain("scan-01");

    const metrics = await (await fetch(`${runtime.urls.operations}/metrics`)).text();
    expect(metrics).toMatch(/scanner_bot_commands_total\{command="status",outcome="ok"\} 1/);
    const audit = await runtime.store.listAudit(5);
    expect(audit[0]).toMatchObject({ platform: "slack", userId: "U0ANA", command: "status", outcome: "ok" });
  });

  it("shuts down gracefully: stops taking work, finishes the command in flight, then closes", async () => {
    runtime = await startRuntime({ config: await configWith(), logger: silentLogger() });
    const operations = runtime.urls.operations ?? "";
    // scan-02 never answers: the command takes the whole 1.5 s timeout.
    const slow = runtime.router.dispatch("diagnose scan-02", { platform: "shell", userId: "ops" });
    expect(runtime.inFlight()).toBe(1);
    const stopping = runtime.stop("SIGTERM");
    // Still draining: load balancers are told to send nothing more.
    expect((await fetch(`${operations}/readyz`)).status).toBe(503);
    const answer = await slow.result;
    expect(renderPlainText(answer)).toContain("scan-02");
    await stopping;
    expect(runtime.inFlight()).toBe(0);
    await expect(fetch(`${operations}/healthz`)).rejects.toThrow();
    runtime = undefined;
  });

  it("refuses to start when a listener cannot bind, and leaves nothing running", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", () => resolve()));
    const { port } = taken.address() as AddressInfo;
    try {
      const config = await configWith({ operations: { port } });
      await expect(startRuntime({ config, logger: silentLogger() })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
