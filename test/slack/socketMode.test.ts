import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import nock from "nock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import {
  botId,
  botToken,
  botUserId,
  buildTestRouter,
  eventually,
  fixture,
  type ResponseUrlServer,
  readBody,
  startResponseUrlServer,
  type TestRouter,
} from "./slackHarness.js";

/** One loopback server plays Slack: the Web API over HTTP and the Socket Mode WebSocket. */
let slack: Server;
let wss: WebSocketServer;
let socket: WebSocket | undefined;
const apiCalls: { method: string; body: string }[] = [];
const fromApp: Record<string, unknown>[] = [];
let hooks: ResponseUrlServer;
let adapter: SlackAdapter;
let test: TestRouter;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
  hooks = await startResponseUrlServer();
  slack = createServer((req, res) => {
    void readBody(req).then((body) => {
      const method = (req.url ?? "").replace(/^\/api\//, "");
      apiCalls.push({ method, body });
      const { port } = slack.address() as AddressInfo;
      const answer =
        method === "apps.connections.open"
          ? { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=test` }
          : { ok: true, channel: "C2147483705", ts: "1700000003.000300" };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  wss = new WebSocketServer({ server: slack });
  wss.on("connection", (ws) => {
    socket = ws;
    ws.on("message", (data) => fromApp.push(JSON.parse(String(data)) as Record<string, unknown>));
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A123456" } }));
  });
  await new Promise<void>((resolve) => slack.listen(0, "127.0.0.1", resolve));
  const { port } = slack.address() as AddressInfo;
  test = buildTestRouter();
  adapter = await startSlackAdapter({
    router: test.router,
    settings: slackSectionSchema.parse({
      botToken,
      appToken: "xapp-1-A123456-0000-test",
      botId,
      botUserId,
      apiUrl: `http://127.0.0.1:${port}/api/`,
    }),
    logger: silentLogger(),
    retryConfig: { retries: 0 },
  });
});

afterAll(async () => {
  await adapter.stop();
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  await new Promise<void>((resolve) => slack.close(() => resolve()));
  await hooks.close();
  nock.enableNetConnect();
});

function send(envelope: Record<string, unknown>): void {
  if (!socket) throw new Error("the app never connected");
  socket.send(JSON.stringify(envelope));
}

describe("Slack over Socket Mode", () => {
  it("opens the connection through the configured API URL and returns no URL of its own", () => {
    expect(apiCalls.map((c) => c.method)).toContain("apps.connections.open");
    expect(adapter.url).toBeUndefined();
  });

  it("acks a slash command on the socket at once and answers through the response URL", async () => {
    const payload = {
      ...fixture("slash_command"),
      text: "status",
      response_url: `${hooks.base}/commands/socket`,
    };
    send({ envelope_id: "env-slash-1", type: "slash_commands", accepts_response_payload: true, payload });
    const ack = await eventually(() => fromApp.find((m) => m.envelope_id === "env-slash-1"));
    expect(ack.payload ?? {}).toEqual({});
    const [delayed] = await eventually(() => (hooks.received.length > 0 ? hooks.received : undefined));
    expect(delayed?.path).toBe("/commands/socket");
    expect(delayed?.body).toMatchObject({ response_type: "in_channel", text: "3 scanner nodes, 1 needs attention" });
  });

  it("acks an app_mention envelope and posts the answer through the Web API", async () => {
    const body = fixture("app_mention");
    send({ envelope_id: "env-event-1", type: "events_api", accepts_response_payload: false, payload: body });
    await eventually(() => fromApp.find((m) => m.envelope_id === "env-event-1"));
    const post = await eventually(() => apiCalls.find((c) => c.method === "chat.postMessage"));
    expect(new URLSearchParams(post.body).get("thread_ts") ?? JSON.parse(post.body).thread_ts).toBe(
      "1515449522.000016",
    );
    expect(test.lines.at(-1)).toContain("SchemaMismatchException");
  });

  it("acks a re-sent envelope on the socket and runs nothing twice", async () => {
    const statusRunsBefore = test.runs.status ?? 0;
    const linesBefore = test.lines.length;
    const payload = { ...fixture("slash_command"), text: "status", response_url: `${hooks.base}/commands/again` };
    const body = fixture("app_mention");
    send({ envelope_id: "env-again-1", type: "slash_commands", accepts_response_payload: true, payload });
    send({ envelope_id: "env-again-2", type: "slash_commands", accepts_response_payload: true, payload });
    send({ envelope_id: "env-again-3", type: "events_api", accepts_response_payload: false, payload: body });
    send({
      envelope_id: "env-again-4",
      type: "events_api",
      accepts_response_payload: false,
      payload: body,
      retry_attempt: 1,
      retry_reason: "timeout",
    });
    for (const id of ["env-again-1", "env-again-2", "env-again-3", "env-again-4"]) {
      await eventually(() => fromApp.find((m) => m.envelope_id === id));
    }
    // A fresh request after them: once it is answered, the four above were each taken or dropped.
    send({
      envelope_id: "env-again-5",
      type: "slash_commands",
      accepts_response_payload: true,
      payload: { ...fixture("slash_command"), text: "help" },
    });
    await eventually(() => fromApp.find((m) => m.envelope_id === "env-again-5"));
    await eventually(() => hooks.received.some((r) => r.path === "/commands/again"));
    expect(test.lines.slice(linesBefore).filter((l) => l === "status")).toHaveLength(1);
    expect(test.lines.slice(linesBefore).filter((l) => l.includes("SchemaMismatchException"))).toHaveLength(1);
    expect((test.runs.status ?? 0) - statusRunsBefore).toBe(1);
  });
});
