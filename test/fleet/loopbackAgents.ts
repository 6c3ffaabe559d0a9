import { randomBytes } from "node:crypto";
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type Socket } from "node:net";
import { startAgentServer } from "../../agent/agentServer.js";
import type { ScannerBackend } from "../../agent/scannerBackend.js";
import {
  createScannerSimulator,
  type ScannerSimulatorOptions,
  type SimulatorScenario,
} from "../../agent/simulator/scannerSimulator.js";
import type { BotConfig } from "../../src/config/botConfig.js";
import { createFleetClient, type FleetClient, type FleetClientOptions } from "../../src/fleet/fleetClient.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import type { Reply } from "../../src/reply/reply.js";
import type { Router } from "../../src/routing/router.js";
import { createBot } from "../../src/runtime/bot.js";

/**
 * Loopback stand-ins for scanner nodes: real agent servers over the simulator,
 * plus the ways a node goes wrong on the wire (nobody listening, accepting and
 * never answering, answering nonsense). Everything started here is closed by
 * `closeAll()`, so no test leaves a socket behind.
 */
export interface LoopbackNode {
  name: string;
  url: string;
  secret: string;
}

export class LoopbackAgents {
  private readonly closers: (() => Promise<void>)[] = [];

  /** A real agent server with a simulated scanner behind it. */
  async agent(
    name: string,
    options: {
      cluster?: string;
      scenario?: SimulatorScenario;
      secret?: string;
      backend?: (simulator: ScannerBackend) => ScannerBackend;
      /** The simulator's clock (the agent server keeps the real one for signatures). */
      now?: () => Date;
      /** Scenario changes after start, e.g. a stall after a minute. */
      timeline?: ScannerSimulatorOptions["timeline"];
    } = {},
  ): Promise<LoopbackNode> {
    const secret = options.secret ?? randomBytes(24).toString("hex");
    const simulator = createScannerSimulator({
      nodeName: name,
      cluster: options.cluster ?? "contoso-test",
      scenario: options.scenario ?? "healthy",
      seed: name.length * 7919 + (name.codePointAt(name.length - 1) ?? 0),
      ...(options.now ? { now: options.now } : {}),
      ...(options.timeline ? { timeline: options.timeline } : {}),
    });
    const server = await startAgentServer({
      backend: options.backend ? options.backend(simulator) : simulator,
      secrets: [secret],
      actionsEnabled: ["export-logs"],
    });
    this.closers.push(() => server.close());
    return { name, url: server.url, secret };
  }

  /** A port nobody listens on: connections are refused. */
  async refusing(name: string): Promise<LoopbackNode> {
    const server = createHttpServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return { name, url: `http://127.0.0.1:${port}`, secret: randomBytes(24).toString("hex") };
  }

  /** Accepts the connection, reads the request, never answers. */
  async hanging(name: string): Promise<LoopbackNode & { connections: () => number }> {
    const sockets = new Set<Socket>();
    let connections = 0;
    const server = createNetServer((socket) => {
      connections += 1;
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
      socket.resume();
    });
    const port = await listen(server);
    this.closers.push(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return {
      name,
      url: `http://127.0.0.1:${port}`,
      secret: randomBytes(24).toString("hex"),
      connections: () => connections,
    };
  }

  /** Answers every request 200 with the given body (JSON that is not the agent API, or not JSON at all). */
  async answering(name: string, body: string, status = 200): Promise<LoopbackNode> {
    const server = createHttpServer((_req, res) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(body);
    });
    const port = await listen(server);
    this.closers.push(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return { name, url: `http://127.0.0.1:${port}`, secret: randomBytes(24).toString("hex") };
  }

  /** A fleet client that `closeAll()` closes too. */
  fleet(config: Pick<BotConfig, "fleet" | "clusters">, options?: FleetClientOptions): FleetClient {
    const client = createFleetClient(config, options);
    this.closers.push(async () => client.close());
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.closers.splice(0).map((close) => close()));
  }
}

function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address && typeof address === "object") resolve(address.port);
      else reject(new Error("no port"));
    });
  });
}

/** The bot's router over a fleet, as every adapter gets it. */
export function routerOver(fleet: FleetClient, now?: () => Date): Router {
  return createBot({ logger: silentLogger(), fleet, ...(now ? { now } : {}) }).router;
}

/** Runs one command line as the console user; returns the placeholder (if any) and the full reply. */
export async function run(router: Router, line: string): Promise<{ placeholder?: Reply; reply: Reply; text: string }> {
  const dispatch = router.dispatch(line, { platform: "shell", userId: "tester", conversationId: "console" });
  const reply = await dispatch.result;
  return {
    ...(dispatch.placeholder ? { placeholder: dispatch.placeholder } : {}),
    reply,
    text: renderPlainText(reply),
  };
}

/** A config over loopback nodes, one cluster per entry. */
export function fleetConfig(
  clusters: Record<string, LoopbackNode[]>,
  fleet: Partial<BotConfig["fleet"]> = {},
  perCluster: { timeoutMs?: number; concurrency?: number } = {},
): Pick<BotConfig, "fleet" | "clusters"> {
  return {
    fleet: {
      timeout: 2000,
      diagnosticsTimeout: 5000,
      concurrency: 32,
      perClusterConcurrency: 8,
      maxReplyBytes: 4 * 1024 * 1024,
      ...fleet,
    },
    clusters: Object.entries(clusters).map(([name, nodes]) => ({
      name,
      nodes: nodes.map((n) => ({ name: n.name, url: n.url, secret: n.secret })),
      channels: [],
      ...perCluster,
    })),
  };
}
