import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { parseAgentConfig } from "../../agent/agentConfig.js";
import { startAgentFromConfig } from "../../agent/agentRuntime.js";
import type { RunningAgentServer } from "../../agent/agentServer.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { agentPaths } from "../../src/wire/agentApi.js";
import { agentRequest } from "./signedClient.js";

/**
 * Slow clients against a real agent on loopback, started from its config text: the header and request
 * timeouts and the connection cap in `listen` are the ones that hold. The bounds asserted here are
 * generous (seconds for a 200 ms timeout): before the fix a slow client stayed connected for about
 * 45 s whatever the config said.
 */

const secret = "a-test-secret-of-32-characters!!";
const running: RunningAgentServer[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function agentWith(listen: string): Promise<RunningAgentServer> {
  const text = `node: { name: SLOW01 }\nlisten: { port: 0, ${listen} }\nsecrets: [env:AGENT_SECRET]\nbackend: { kind: simulator }\n`;
  const loaded = await parseAgentConfig(text, "/tmp/agent.yml", { AGENT_SECRET: secret });
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  const server = await startAgentFromConfig(loaded.config, { logger: silentLogger() });
  running.push(server);
  return server;
}

/** What a raw client saw before the agent closed its connection, or "still open" at the bound. */
function openClient(server: RunningAgentServer, behave: (socket: Socket) => void, boundMs: number) {
  const socket = connect(server.port, "127.0.0.1");
  sockets.push(socket);
  socket.on("connect", () => behave(socket));
  return new Promise<{ closed: boolean; received: string }>((resolve) => {
    let received = "";
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
    });
    socket.on("error", () => undefined);
    const bound = setTimeout(() => resolve({ closed: false, received }), boundMs);
    socket.on("close", () => {
      clearTimeout(bound);
      resolve({ closed: true, received });
    });
  });
}

/** Writes `text` one piece every 50 ms until the socket closes: a slowloris client. */
function dribble(socket: Socket, head: string, piece: string): void {
  socket.write(head);
  const timer = setInterval(() => socket.write(piece), 50);
  socket.on("close", () => clearInterval(timer));
}

describe("agent: slow clients are dropped at the configured timeouts", () => {
  it("drops a client that sends nothing, one that dribbles headers and one that dribbles its body", async () => {
    const agent = await agentWith("headersTimeout: 200ms, requestTimeout: 400ms");
    const bound = 5_000;
    const [silent, headers, body] = await Promise.all([
      openClient(agent, () => undefined, bound),
      openClient(agent, (s) => dribble(s, "GET /v1/health HTTP/1.1\r\nHost: agent\r\n", "X-Slow: 1\r\n"), bound),
      openClient(
        agent,
        (s) => dribble(s, "POST /v1/actions HTTP/1.1\r\nHost: agent\r\nContent-Length: 10000\r\n\r\n", "{"),
        bound,
      ),
    ]);
    for (const client of [silent, headers, body]) {
      expect(client.closed).toBe(true);
      expect(client.received).toMatch(/^HTTP\/1\.1 408 /);
    }
  }, 20_000);

  it("still answers a client that sends its request in time", async () => {
    // Seconds, not milliseconds: a busy machine may not read even a prompt request within 200 ms.
    const agent = await agentWith("headersTimeout: 2s, requestTimeout: 4s");
    const answer = await agentRequest(agent.url, agentPaths.health, { secret });
    expect(answer.status).toBe(200);
  });
});

describe("agent: connections are capped", () => {
  it("closes connections beyond listen.maxConnections and serves again once some are gone", async () => {
    const agent = await agentWith("maxConnections: 2");
    const idle = [1, 2].map(() => openClient(agent, () => undefined, 60_000));
    // Both idle connections are accepted once a third one is refused or answered.
    const third = await openClient(agent, (s) => s.write("GET /v1/health HTTP/1.1\r\nHost: agent\r\n\r\n"), 5_000);
    expect(third).toEqual({ closed: true, received: "" });
    for (const socket of sockets.splice(0)) socket.destroy();
    await Promise.all(idle);
    // The server counts a connection as gone once it has seen it close; ask until it has.
    let status = 0;
    for (let tries = 0; tries < 50 && status !== 200; tries++) {
      status = await agentRequest(agent.url, agentPaths.health, { secret }).then(
        (a) => a.status,
        () => 0,
      );
    }
    expect(status).toBe(200);
  }, 20_000);

  it("refuses a cap of 0 and a header timeout longer than the request timeout, by path", async () => {
    const problemsOf = async (listen: string) => {
      const text = `listen: { ${listen} }\nsecrets: [env:AGENT_SECRET]\nbackend: { kind: simulator }\n`;
      const loaded = await parseAgentConfig(text, "/tmp/agent.yml", { AGENT_SECRET: secret });
      return loaded.ok ? [] : loaded.problems;
    };
    expect(await problemsOf("maxConnections: 0")).toEqual([expect.stringMatching(/^listen\.maxConnections: /)]);
    expect(await problemsOf("headersTimeout: 1m, requestTimeout: 30s")).toEqual([
      expect.stringMatching(/^listen\.headersTimeout: headersTimeout must not be longer than requestTimeout/),
    ]);
  });
});
