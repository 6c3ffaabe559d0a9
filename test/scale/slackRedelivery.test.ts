import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { type Runtime, startRuntime } from "../../src/runtime/runtime.js";
import { LoopbackAgents } from "../fleet/loopbackAgents.js";
import {
  botId,
  botToken,
  botUserId,
  eventually,
  fixture,
  readBody,
  sendToSlackApp,
  signingSecret,
} from "../slack/slackHarness.js";
import { PostgresTestSchemas, postgresTestUrl, probePostgres } from "../store/postgresHarness.js";

const postgres = await probePostgres();
const suiteName = postgres.available
  ? "Slack re-deliveries across replicas sharing PostgreSQL"
  : `Slack re-deliveries across replicas sharing PostgreSQL (SKIPPED: no PostgreSQL answering: ${postgres.reason})`;

describe.skipIf(!postgres.available)(suiteName, () => {
  const schemas = new PostgresTestSchemas();
  const agents = new LoopbackAgents();
  const runtimes: Runtime[] = [];
  const posted: string[] = [];
  let hooks: Server;
  let hooksBase = "";

  beforeAll(async () => {
    nock.disableNetConnect();
    nock.enableNetConnect("127.0.0.1");
    hooks = createServer((req, res) => {
      void readBody(req).then(() => {
        posted.push(req.url ?? "");
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      });
    });
    await new Promise<void>((resolve) => hooks.listen(0, "127.0.0.1", resolve));
    hooksBase = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await Promise.all(runtimes.map((r) => r.stop("test over")));
    await agents.closeAll();
    await schemas.dropAll();
    await new Promise<void>((resolve) => hooks.close(() => resolve()));
    nock.enableNetConnect();
  });

  it("a command retried and replayed to either replica runs once and is answered once", async () => {
    let agentCalls = 0;
    const node = await agents.agent("scan-01", {
      cluster: "contoso-prod",
      backend: (sim) => ({
        ...sim,
        errors: async (query) => {
          agentCalls += 1;
          return sim.errors(query);
        },
      }),
    });
    const config = botConfigSchema.parse({
      clusters: [{ name: "contoso-prod", nodes: [{ name: node.name, url: node.url, secret: node.secret }] }],
      store: { url: postgresTestUrl, schema: schemas.name(), poolSize: 3 },
      watch: { enabled: false },
      slack: { botToken, signingSecret, botId, botUserId, host: "127.0.0.1", port: 0 },
    });
    const first = await startRuntime({ config, logger: silentLogger() });
    runtimes.push(first);
    const second = await startRuntime({ config, logger: silentLogger() });
    runtimes.push(second);
    const [urlA, urlB] = [first.urls.slack ?? "", second.urls.slack ?? ""];

    const command = {
      kind: "form" as const,
      fields: {
        ...(fixture("slash_command") as Record<string, string>),
        text: "errors scan-01",
        response_url: `${hooksBase}/commands/errors`,
      },
    };
    const signedAt = Math.floor(Date.now() / 1000);
    expect((await sendToSlackApp(urlA, command, { timestamp: signedAt })).status).toBe(200);
    await eventually(() => posted.includes("/commands/errors"), 8000);
    expect(agentCalls).toBe(1);

    // Slack's retries (newly signed) and identical copies, to both replicas: every one acknowledged.
    const retried = (n: number) => ({
      headers: { "x-slack-retry-num": String(n), "x-slack-retry-reason": "http_timeout" },
    });
    const copies: [string, Parameters<typeof sendToSlackApp>[2]][] = [
      [urlB, retried(1)],
      [urlA, retried(2)],
      [urlB, { timestamp: signedAt }],
      [urlA, { timestamp: signedAt }],
      [urlB, { timestamp: signedAt }],
    ];
    for (const [url, options] of copies) {
      expect((await sendToSlackApp(url, command, options)).status).toBe(200);
      // The slash listener dispatches before it acks: a copy that ran would still be in flight here.
      expect(first.inFlight() + second.inFlight()).toBe(0);
    }
    // A fresh command on each replica, answered in its ack: the copies above were all decided before it.
    for (const url of [urlA, urlB]) {
      const help = { kind: "form" as const, fields: { ...(fixture("slash_command") as Record<string, string>) } };
      expect((await sendToSlackApp(url, help)).status).toBe(200);
    }
    expect(agentCalls).toBe(1);
    expect(posted.filter((path) => path === "/commands/errors")).toHaveLength(1);
    const audited = await first.store.listAudit(20);
    expect(audited.filter((entry) => entry.command === "errors")).toHaveLength(1);
    // Two runtimes start (schema migration, listeners) before anything is measured: seconds on a busy machine.
  }, 45_000);
});
