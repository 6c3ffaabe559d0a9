import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createFleetClient } from "../../src/fleet/fleetClient.js";
import { fleetConfig } from "../fleet/loopbackAgents.js";
import { forcedGc } from "./forcedGc.js";

/**
 * Heap retained per fleet call, measured in a plain Node process (the test
 * runner keeps some state of its own per request, which would hide a leak of
 * this size). Prints one JSON line: bytes per call without and with a
 * long-lived caller signal, over `calls` calls each after a warm-up.
 */
const calls = Number(process.argv[2] ?? "6000");
const gc = forcedGc();
if (!gc) throw new Error("no garbage collector access");
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const body = readFileSync(new URL("../fixtures/fleet/health.json", import.meta.url), "utf8");
const server = createServer((req, res) => {
  req.resume();
  res.writeHead(200, { "content-type": "application/json" }).end(body);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
// Ten nodes (one server), one call to each per batch: overlapping reads of one node would share a call,
// and this measures what each real agent call leaves behind.
const nodes = Array.from({ length: 10 }, (_, i) => ({
  name: `scan-${String(i + 1).padStart(2, "0")}`,
  url,
  secret: "fleet-memory-secret-0123456789",
}));
const fleet = createFleetClient(fleetConfig({ "contoso-prod": nodes }));
const shutdown = new AbortController();

async function run(n: number, signal?: AbortSignal): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    const batch = await Promise.all(nodes.map((node) => fleet.health(node.name, signal ? { signal } : {})));
    if (!batch.every((o) => o.ok)) throw new Error("a call failed");
  }
}

await run(2000);
await run(2000, shutdown.signal);
const start = heap();
await run(calls);
const afterPlain = heap();
await run(calls, shutdown.signal);
const afterSignalled = heap();
fleet.close();
server.close();
process.stdout.write(
  `${JSON.stringify({ plain: (afterPlain - start) / calls, signalled: (afterSignalled - afterPlain) / calls })}\n`,
);
