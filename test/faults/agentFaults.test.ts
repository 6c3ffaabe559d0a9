import { randomBytes } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { FleetClient, NodeOutcome } from "../../src/fleet/fleetClient.js";
import { fleetConfig, LoopbackAgents, type LoopbackNode, routerOver, run } from "../fleet/loopbackAgents.js";

/**
 * Agents that misbehave on the wire, each a loopback stand-in: slow, hanging
 * after the headers, dribbling a byte at a time, cutting the connection
 * mid-reply, and streaming 50 MB. The fleet client must answer for every node
 * within its timeout, cut an oversize reply at `fleet.maxReplyBytes` without
 * buffering it, and the `status` command must show each node's reason.
 */

const agents = new LoopbackAgents();
const servers: Server[] = [];
afterEach(async () => {
  await agents.closeAll();
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/** A loopback HTTP stand-in whose handler decides how to misbehave. */
async function standIn(
  name: string,
  handler: (res: ServerResponse) => void,
): Promise<LoopbackNode & { requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    handler(res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { name, url: `http://127.0.0.1:${port}`, secret: randomBytes(24).toString("hex"), requests: () => requests };
}

function failure<T>(outcome: NodeOutcome<T>) {
  if (outcome.ok) throw new Error(`expected a failure from ${outcome.node}`);
  return outcome.error;
}

const statusBody = JSON.stringify({ clusterStatus: "Scanning" });

describe("agents that misbehave on the wire", () => {
  it("slow but within the timeout is an answer; too slow, hanging after headers or dribbling is a timeout", async () => {
    const healthy = await agents.agent("scan-01");
    const slow = await standIn("scan-slow", (res) => {
      setTimeout(() => res.writeHead(200, { "content-type": "application/json" }).end(statusBody), 150);
    });
    let tooSlowAnswered = false;
    const tooSlow = await standIn("scan-too-slow", (res) => {
      setTimeout(() => {
        tooSlowAnswered = true;
        res.writeHead(200).end(statusBody);
      }, 5_000).unref();
    });
    const headersOnly = await standIn("scan-headers-only", (res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "5000" });
      res.write('{"clusterStatus":');
    });
    const dribbling = await standIn("scan-dribble", (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      // One byte every 50 ms keeps the socket busy forever: only an overall deadline stops it.
      const timer = setInterval(() => res.write(" "), 50);
      res.on("close", () => clearInterval(timer));
    });
    const fleet: FleetClient = agents.fleet(
      fleetConfig({ prod: [healthy, slow, tooSlow, headersOnly, dribbling] }, { timeout: 1000 }),
    );
    const outcomes = await fleet.statusOfCluster("prod");
    // The read ended on the 1 s deadline, not on the slowest node (no stopwatch: that would measure the machine).
    expect(tooSlowAnswered).toBe(false);
    expect(outcomes[0]?.ok).toBe(true);
    // The slow stand-in answers in time, with a reply that is not the agent API.
    expect(failure(outcomes[1] as NodeOutcome<unknown>).code).toBe("agent_invalid_reply");
    expect(outcomes[1]?.durationMs).toBeGreaterThanOrEqual(140);
    for (const outcome of outcomes.slice(2)) {
      expect(failure(outcome).code, outcome.node).toBe("agent_timeout");
      expect(failure(outcome).userMessage).toBe("unreachable (timeout after 1 s)");
    }
    expect(fleet.running).toBe(0);
  });

  it("a connection cut mid-reply is retried once, then reported", async () => {
    const cut = await standIn("scan-cut", (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"clusterStatus":"Sca');
      setTimeout(() => res.socket?.destroy(), 10);
    });
    const fleet = agents.fleet(fleetConfig({ prod: [cut] }, { timeout: 2000 }));
    const error = failure(await fleet.status("scan-cut"));
    expect(["agent_unreachable", "agent_invalid_reply"]).toContain(error.code);
    expect(error.userMessage).not.toMatch(/\n\s+at /);
    expect(cut.requests()).toBeLessThanOrEqual(2);
  });

  it("a 50 MB reply is cut at maxReplyBytes and reported, with memory bounded", async () => {
    const total = 50 * 1024 * 1024;
    let written = 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const flood = await standIn("scan-flood", (res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write("[");
      const pump = () => {
        while (written < total) {
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end("]");
      };
      res.on("close", () => res.removeAllListeners("drain"));
      pump();
    });
    const healthy = await agents.agent("scan-01");
    const fleet = agents.fleet(fleetConfig({ prod: [flood, healthy] }, { timeout: 10_000, maxReplyBytes: 256 * 1024 }));
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const outcomes = await Promise.all([fleet.status("scan-flood"), fleet.status("scan-01")]);
    const heapAfter = process.memoryUsage().heapUsed;
    const error = failure(outcomes[0]);
    expect(error.code).toBe("agent_invalid_reply");
    expect(error.userMessage).toBe("agent sent invalid data (reply larger than 256 KB)");
    expect(outcomes[1].ok).toBe(true);
    // Cut off early: the stand-in could push only socket buffers' worth past the limit, never the 50 MB.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBeLessThan(16 * 1024 * 1024);
    expect(heapAfter - heapBefore).toBeLessThan(32 * 1024 * 1024);
    expect(flood.requests()).toBe(1);
  });

  it("the status command shows each misbehaving node's reason next to the healthy ones", async () => {
    const healthy = await agents.agent("scan-01", { cluster: "contoso-prod" });
    const refused = await agents.refusing("scan-02");
    const hanging = await agents.hanging("scan-03");
    const garbage = await agents.answering("scan-04", "\u0000\u00ff not json");
    const big = await agents.answering("scan-05", JSON.stringify({ pad: "x".repeat(4096) }));
    const fleet = agents.fleet(
      fleetConfig(
        { "contoso-prod": [healthy, refused, hanging, garbage, big] },
        { timeout: 1000, maxReplyBytes: 2048 },
      ),
    );
    const { reply, text: printed } = await run(routerOver(fleet), "status contoso-prod");
    // One line per node: the console wraps long cells, so read the rows' cells joined.
    const table = reply.blocks.find((b) => b.kind === "table");
    const text = table?.kind === "table" ? table.rows.map((r) => r.cells.join(" ")).join("\n") : "";
    expect(reply.status).toBe("error");
    expect(text).toMatch(/scan-02[^\n]*refused/);
    expect(text).toMatch(/scan-03[^\n]*timeout after 1 s/);
    expect(text).toMatch(/scan-04[^\n]*not JSON/);
    expect(text).toMatch(/scan-05[^\n]*larger than 2 KB/);
    expect(text).toMatch(/scan-01/);
    expect(printed).not.toMatch(/\n\s+at \S/);
  });
});
