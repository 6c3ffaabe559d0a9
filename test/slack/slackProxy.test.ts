import { createServer, type IncomingMessage, type Server } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { pino } from "pino";
import { ProxyAgent } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { createResponseUrlPoster, ResponseUrlError } from "../../adapters/slack/responseUrl.js";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import {
  botId,
  botToken,
  botUserId,
  buildTestRouter,
  eventually,
  fixture,
  readBody,
  sendToSlackApp,
  signingSecret,
  type TestRouter,
} from "./slackHarness.js";

/**
 * Everything here is real sockets on loopback: an HTTP CONNECT proxy, a Slack
 * Web API stand-in (also serving the Socket Mode WebSocket) and a response_url
 * stand-in. Each stand-in records the client port of every request, and the
 * proxy the local port of every tunnel it opened, so "went through the proxy"
 * is checked per request, not inferred from counts.
 */

/** One CONNECT the proxy saw. */
interface Tunnel {
  /** host:port the client asked for. */
  target: string;
  authorization?: string;
  /** The proxy's own port towards the target, when it opened the tunnel. */
  upstreamPort?: number;
}

interface ConnectProxy {
  port: number;
  tunnels: Tunnel[];
  /** Whether a request seen by a stand-in came from one of this proxy's tunnels. */
  carried(clientPort: number): boolean;
  close(): Promise<void>;
}

/** A loopback CONNECT proxy; with `credentials` ("user:password") it answers 407 to anything else. */
async function startConnectProxy(options: { credentials?: string } = {}): Promise<ConnectProxy> {
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  };
  // Only tunnels: a plain proxied request means the client did not use CONNECT.
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    track(client);
    client.on("error", () => client.destroy());
    const authorization = req.headers["proxy-authorization"];
    const tunnel: Tunnel = { target: req.url ?? "", ...(authorization ? { authorization } : {}) };
    tunnels.push(tunnel);
    const expected = options.credentials && `Basic ${Buffer.from(options.credentials).toString("base64")}`;
    if (expected && authorization !== expected) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\n\r\n');
      return;
    }
    const [host, port] = tunnel.target.split(":");
    if (host !== "127.0.0.1" || !port) {
      client.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    const upstream = connect(Number(port), "127.0.0.1", () => {
      tunnel.upstreamPort = upstream.localPort;
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    track(upstream);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    tunnels,
    carried: (clientPort) => tunnels.some((t) => t.upstreamPort === clientPort),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One request a stand-in received. */
interface Received {
  path: string;
  body: string;
  clientPort: number;
}

interface StandIn {
  base: string;
  /** host:port, as a CONNECT names it. */
  target: string;
  received: Received[];
  /** Client ports of the WebSocket connections (Socket Mode). */
  sockets: number[];
  wss: WebSocketServer;
  close(): Promise<void>;
}

/**
 * A loopback Slack stand-in: answers the Web API (apps.connections.open points
 * at its own WebSocket) and anything else (response URLs) with ok.
 */
async function startStandIn(): Promise<StandIn> {
  const received: Received[] = [];
  const sockets: number[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const path = req.url ?? "";
      received.push({ path, body, clientPort: req.socket.remotePort ?? 0 });
      const { port } = server.address() as AddressInfo;
      if (!path.startsWith("/api/")) return void res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      const answer =
        path === "/api/apps.connections.open"
          ? { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=test` }
          : { ok: true, channel: "C2147483705", ts: "1700000003.000300" };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  const wss = new WebSocketServer({ server });
  wss.on("connection", (ws, req) => {
    sockets.push(req.socket.remotePort ?? 0);
    ws.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A123456" } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    target: `127.0.0.1:${port}`,
    received,
    sockets,
    wss,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The thread_ts of a chat.postMessage, whether the Web API sent it form-encoded or as JSON. */
function threadOf(call: Received): string | null {
  return call.body.startsWith("{")
    ? ((JSON.parse(call.body) as { thread_ts?: string }).thread_ts ?? null)
    : new URLSearchParams(call.body).get("thread_ts");
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Rig {
  adapter: SlackAdapter;
  api: StandIn;
  hooks: StandIn;
  test: TestRouter;
  logs: string[];
}

/** Starts the stand-ins and an HTTP-mode adapter with the given proxy setting (or none). */
async function startRig(proxy: ((apiBase: string) => string) | undefined): Promise<Rig> {
  const api = await startStandIn();
  cleanups.push(api.close);
  const hooks = await startStandIn();
  cleanups.push(hooks.close);
  const logs: string[] = [];
  const test = buildTestRouter();
  const adapter = await startSlackAdapter({
    router: test.router,
    settings: slackSectionSchema.parse({
      botToken,
      signingSecret,
      botId,
      botUserId,
      apiUrl: `${api.base}/api/`,
      ...(proxy ? { proxy: proxy(api.base) } : {}),
    }),
    logger: pino({ level: "debug" }, { write: (line: string) => logs.push(line) }),
    port: 0,
    host: "127.0.0.1",
    retryConfig: { retries: 0 },
  });
  cleanups.push(() => adapter.stop());
  return { adapter, api, hooks, test, logs };
}

const mention = () => ({ kind: "json" as const, value: fixture("app_mention") });
const slash = (text: string, responseUrl: string) => ({
  kind: "form" as const,
  fields: { ...(fixture("slash_command") as Record<string, string>), text, response_url: responseUrl },
});

describe("Slack through an outbound proxy (HTTP mode)", () => {
  it("sends the threaded answer and the response_url answer through the proxy, and says so at start", async () => {
    const proxy = await startConnectProxy();
    cleanups.push(proxy.close);
    const { adapter, api, hooks, logs } = await startRig(() => `http://127.0.0.1:${proxy.port}`);

    expect((await sendToSlackApp(adapter.url ?? "", mention())).status).toBe(200);
    const post = await eventually(() => api.received.find((r) => r.path === "/api/chat.postMessage"));
    expect(threadOf(post)).toBe("1515449522.000016");
    expect(proxy.carried(post.clientPort)).toBe(true);

    expect((await sendToSlackApp(adapter.url ?? "", slash("status", `${hooks.base}/commands/proxied`))).status).toBe(
      200,
    );
    const answer = await eventually(() => hooks.received.find((r) => r.path === "/commands/proxied"));
    expect(JSON.parse(answer.body)).toMatchObject({ text: "3 scanner nodes, 1 needs attention" });
    expect(proxy.carried(answer.clientPort)).toBe(true);

    expect(proxy.tunnels.map((t) => t.target)).toEqual(expect.arrayContaining([api.target, hooks.target]));
    expect(proxy.tunnels.every((t) => t.authorization === undefined)).toBe(true);
    const started = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.proxyHost !== undefined);
    expect(started).toMatchObject({
      msg: "slack: outbound traffic goes through a proxy",
      proxyHost: `127.0.0.1:${proxy.port}`,
    });
  });

  it("authenticates to the proxy with the URL's credentials and never logs them", async () => {
    const proxy = await startConnectProxy({ credentials: "scanner@corp:s3cr:et-pw" });
    cleanups.push(proxy.close);
    const { adapter, api, hooks, logs } = await startRig(
      () => `http://scanner%40corp:s3cr%3Aet-pw@127.0.0.1:${proxy.port}/`,
    );

    await sendToSlackApp(adapter.url ?? "", mention());
    await sendToSlackApp(adapter.url ?? "", slash("status", `${hooks.base}/commands/authed`));
    const post = await eventually(() => api.received.find((r) => r.path === "/api/chat.postMessage"));
    const answer = await eventually(() => hooks.received.find((r) => r.path === "/commands/authed"));
    expect(proxy.carried(post.clientPort) && proxy.carried(answer.clientPort)).toBe(true);
    const expected = `Basic ${Buffer.from("scanner@corp:s3cr:et-pw").toString("base64")}`;
    expect(proxy.tunnels.length).toBeGreaterThanOrEqual(2);
    expect(proxy.tunnels.every((t) => t.authorization === expected)).toBe(true);
    const logged = logs.join("\n");
    expect(logged).toContain(`"proxyHost":"127.0.0.1:${proxy.port}"`);
    expect(logged).not.toContain("s3cr");
    expect(logged).not.toContain("scanner%40corp");
  });

  it("logs a proxy that refuses (407), does not crash and keeps serving", async () => {
    const proxy = await startConnectProxy({ credentials: "scanner:right" });
    cleanups.push(proxy.close);
    const { adapter, api, hooks, logs, test } = await startRig(() => `http://scanner:wrong-pw@127.0.0.1:${proxy.port}`);

    await sendToSlackApp(adapter.url ?? "", mention());
    await eventually(() => logs.some((l) => l.includes("answering in thread failed")));
    await sendToSlackApp(adapter.url ?? "", slash("status", `${hooks.base}/commands/refused`));
    const failed = await eventually(() => logs.find((l) => l.includes("delivering a slash command answer failed")));
    expect(JSON.parse(failed).failure.message).toBe("the proxy refused the tunnel to the response URL (407)");
    expect(api.received.filter((r) => r.path === "/api/chat.postMessage")).toEqual([]);
    expect(hooks.received).toEqual([]);
    expect(proxy.tunnels.map((t) => t.target)).toEqual(expect.arrayContaining([api.target, hooks.target]));
    expect(logs.join("\n")).not.toContain("wrong-pw");

    const help = await sendToSlackApp(adapter.url ?? "", slash("help", `${hooks.base}/commands/help`));
    expect(help.status).toBe(200);
    expect(test.lines.slice(-2)).toEqual(["status", "help"]);
  });

  it("logs a proxy that closes the connection instead of asking it again and again, and keeps serving", async () => {
    // undici 7 alone retries such a tunnel at once, forever (nodejs/undici#3897): the count shows it no longer does.
    let connects = 0;
    const closing = createServer();
    closing.on("connect", (_req: IncomingMessage, client: Socket) => {
      connects++;
      client.destroy();
    });
    await new Promise<void>((resolve) => closing.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => closing.close(() => resolve())));
    const port = (closing.address() as AddressInfo).port;
    const { adapter, hooks, logs } = await startRig(() => `http://127.0.0.1:${port}`);

    await sendToSlackApp(adapter.url ?? "", slash("status", `${hooks.base}/commands/closed`));
    const failed = await eventually(() => logs.find((l) => l.includes("delivering a slash command answer failed")));
    expect(JSON.parse(failed).failure.message).toBe("the proxy closed the tunnel to the response URL");
    await sendToSlackApp(adapter.url ?? "", mention());
    await eventually(() => logs.some((l) => l.includes("answering in thread failed")));
    expect(connects).toBe(2);
    expect((await sendToSlackApp(adapter.url ?? "", slash("help", `${hooks.base}/commands/help`))).status).toBe(200);
  });

  it("without a proxy setting sends nothing through one", async () => {
    const proxy = await startConnectProxy();
    cleanups.push(proxy.close);
    const { adapter, api, hooks, logs } = await startRig(undefined);

    await sendToSlackApp(adapter.url ?? "", mention());
    await sendToSlackApp(adapter.url ?? "", slash("status", `${hooks.base}/commands/direct`));
    await eventually(() => api.received.find((r) => r.path === "/api/chat.postMessage"));
    await eventually(() => hooks.received.find((r) => r.path === "/commands/direct"));
    expect(proxy.tunnels).toEqual([]);
    expect(logs.join("\n")).not.toContain("goes through a proxy");
  });
});

describe("Slack through an outbound proxy (Socket Mode)", () => {
  it("opens the connection, the WebSocket and the answers through the proxy", async () => {
    const proxy = await startConnectProxy({ credentials: "scanner:pw" });
    cleanups.push(proxy.close);
    const api = await startStandIn();
    cleanups.push(api.close);
    const hooks = await startStandIn();
    cleanups.push(hooks.close);
    const fromApp: Record<string, unknown>[] = [];
    api.wss.on("connection", (ws) => {
      ws.on("message", (data) => fromApp.push(JSON.parse(String(data)) as Record<string, unknown>));
    });
    const test = buildTestRouter();
    const adapter = await startSlackAdapter({
      router: test.router,
      settings: slackSectionSchema.parse({
        botToken,
        appToken: "xapp-1-A123456-0000-test",
        botId,
        botUserId,
        apiUrl: `${api.base}/api/`,
        proxy: `http://scanner:pw@127.0.0.1:${proxy.port}`,
      }),
      logger: pino({ level: "silent" }),
      retryConfig: { retries: 0 },
    });
    cleanups.push(() => adapter.stop());

    const open = await eventually(() => api.received.find((r) => r.path === "/api/apps.connections.open"));
    expect(proxy.carried(open.clientPort)).toBe(true);
    const [socketPort] = await eventually(() => (api.sockets.length > 0 ? api.sockets : undefined));
    expect(proxy.carried(socketPort ?? 0)).toBe(true);

    const [ws] = [...api.wss.clients];
    const payload = { ...fixture("slash_command"), text: "status", response_url: `${hooks.base}/commands/socket` };
    ws?.send(JSON.stringify({ envelope_id: "env-1", type: "slash_commands", accepts_response_payload: true, payload }));
    ws?.send(
      JSON.stringify({
        envelope_id: "env-2",
        type: "events_api",
        accepts_response_payload: false,
        payload: fixture("app_mention"),
      }),
    );
    await eventually(() => fromApp.find((m) => m.envelope_id === "env-1"));
    const answer = await eventually(() => hooks.received.find((r) => r.path === "/commands/socket"));
    expect(proxy.carried(answer.clientPort)).toBe(true);
    const post = await eventually(() => api.received.find((r) => r.path === "/api/chat.postMessage"));
    expect(proxy.carried(post.clientPort)).toBe(true);
    expect(
      proxy.tunnels.every((t) => t.authorization === `Basic ${Buffer.from("scanner:pw").toString("base64")}`),
    ).toBe(true);
  });
});

describe("response_url poster through a proxy", () => {
  /** A poster over a plain ProxyAgent to `proxyPort`; the agent is dropped after the test. */
  function posterThrough(proxyPort: number, timeoutMs?: number) {
    const dispatcher = new ProxyAgent(`http://127.0.0.1:${proxyPort}`);
    cleanups.push(() => dispatcher.destroy());
    return createResponseUrlPoster({ dispatcher, ...(timeoutMs ? { timeoutMs } : {}) });
  }

  it("keeps Slack's refusal, status and reason, and never the URL", async () => {
    const proxy = await startConnectProxy();
    cleanups.push(proxy.close);
    const refusing = createServer((_req, res) => res.writeHead(404).end("expired_url"));
    await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => new Promise<void>((resolve) => refusing.close(() => resolve())));
    refusing.on("connection", (socket: Socket) => cleanups.push(async () => socket.destroy()));
    const { port } = refusing.address() as AddressInfo;

    const failure = await posterThrough(proxy.port)
      .post(`http://127.0.0.1:${port}/actions/T0/1234/secret-token`, { text: "late" })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ResponseUrlError);
    expect(failure).toMatchObject({ status: 404, message: "Slack refused the response URL post: 404 expired_url" });
    expect(proxy.tunnels.map((t) => t.target)).toEqual([`127.0.0.1:${port}`]);
  });

  it("refuses URLs that are neither https nor loopback without opening a tunnel", async () => {
    const proxy = await startConnectProxy();
    cleanups.push(proxy.close);
    await expect(
      posterThrough(proxy.port).post("http://hooks.slack.com/actions/T0/1/x", { text: "x" }),
    ).rejects.toThrow("the response URL is neither https nor a loopback address");
    expect(proxy.tunnels).toEqual([]);
  });

  it("gives up on time when the proxy never answers the CONNECT", async () => {
    const silent = createServer();
    const held: Socket[] = [];
    silent.on("connect", (_req: IncomingMessage, client: Socket) => held.push(client));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    cleanups.push(() => {
      for (const socket of held) socket.destroy();
      return new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const { port } = silent.address() as AddressInfo;
    await expect(posterThrough(port, 150).post("http://127.0.0.1:9/commands/1", { text: "x" })).rejects.toThrow(
      "Slack did not answer within 150 ms",
    );
    expect(held).toHaveLength(1);
  });
});
