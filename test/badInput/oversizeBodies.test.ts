import { request } from "node:http";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import { createScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { type OperationsServer, startOperationsServer } from "../../src/operations/operationsServer.js";
import { botId, botToken, botUserId, buildTestRouter, signingSecret, type TestRouter } from "../slack/slackHarness.js";
import { startTestTeams, type TestTeams } from "../teams/teamsHarness.js";

/**
 * Every listener refuses a body larger than its limit without buffering it:
 * streamed in chunks with no Content-Length (so only counting the bytes can
 * stop it), and declared huge up front. The sender offers 20 MB; the test
 * checks the answer and that the server stopped reading long before the end.
 */

const offered = 20 * 1024 * 1024;

/** Streams `total` bytes to `url`, honouring back-pressure, until the server answers or hangs up. */
function stream(
  url: string,
  options: { method?: string; headers?: Record<string, string>; total?: number } = {},
): Promise<{ status: number; sent: number }> {
  const target = new URL(url);
  const total = options.total ?? offered;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let settled = false;
    const done = (status: number) => {
      if (settled) return;
      settled = true;
      req.destroy();
      resolve({ status, sent });
    };
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? "POST",
        headers: { "content-type": "application/json", "transfer-encoding": "chunked", ...options.headers },
      },
      (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      },
    );
    req.on("error", (err) => (settled ? undefined : sent > 0 ? done(-1) : reject(err)));
    const pump = () => {
      while (!settled && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!settled) req.end();
    };
    pump();
  });
}

let agent: RunningAgentServer;
let slack: SlackAdapter;
let slackRouter: TestRouter;
let teams: TestTeams;
let operations: OperationsServer;

beforeAll(async () => {
  agent = await startAgentServer({
    backend: createScannerSimulator({ nodeName: "scan-01", cluster: "contoso-prod" }),
    secrets: ["oversize-test-secret-0123456789"],
    actionsEnabled: [],
  });
  slackRouter = buildTestRouter();
  slack = await startSlackAdapter({
    router: slackRouter.router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId, maxRequestBodyBytes: 64 * 1024 }),
    logger: silentLogger(),
    port: 0,
    host: "127.0.0.1",
    retryConfig: { retries: 0 },
  });
  teams = await startTestTeams({ auth: true });
  operations = await startOperationsServer({ registry: new Registry() });
});

afterAll(async () => {
  await agent.close();
  await teams.close();
  await operations.close();
  // Slack last: after a refused body its receiver keeps that socket until the client's side times out (~6 s).
  await slack.stop();
});

describe("oversize request bodies", () => {
  it("agent: 413 for a streamed body past 16 KB and for a huge declared length, then keeps serving", async () => {
    const streamed = await stream(`${agent.url}/v1/actions`);
    expect(streamed.status).toBe(413);
    expect(streamed.sent).toBeLessThan(offered / 2);
    const declared = await stream(`${agent.url}/v1/actions`, {
      headers: { "transfer-encoding": "", "content-length": String(offered) },
      total: 64 * 1024,
    });
    expect(declared.status).toBe(413);
    expect((await fetch(`${agent.url}/v1/health`)).status).toBe(401);
  });

  it("Slack: 413 past maxRequestBodyBytes, nothing dispatched", async () => {
    const streamed = await stream(slack.url ?? "", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(streamed.status).toBe(413);
    expect(streamed.sent).toBeLessThan(offered / 2);
    expect(slackRouter.lines).toEqual([]);
  });

  it("Teams: 413 past the body limit, before any token check or turn", async () => {
    const before = teams.connector.calls.length;
    const streamed = await stream(teams.adapter.url);
    expect(streamed.status).toBe(413);
    expect(streamed.sent).toBeLessThan(offered / 2);
    expect(teams.connector.calls.length).toBe(before);
    expect(teams.runs).toMatchObject(Object.fromEntries(Object.keys(teams.runs).map((k) => [k, 0])));
  });

  it("operations: bodies are not read at all (405 for POST), and a GET with a body still answers", async () => {
    const posted = await stream(`${operations.url}/metrics`);
    expect(posted.status).toBe(405);
    expect(posted.sent).toBeLessThan(offered / 2);
    const get = await stream(`${operations.url}/healthz`, { method: "GET", total: 1024 * 1024 });
    expect(get.status).toBe(200);
    expect((await fetch(`${operations.url}/healthz`)).status).toBe(200);
  });
});
