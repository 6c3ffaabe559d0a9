import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { createScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { createFleetClient, type FleetClient, type NodeOutcome } from "../../src/fleet/fleetClient.js";
import { diagnosticsSchema, errorsSchema, healthSchema, scanStatusSchema } from "../../src/wire/agentApi.js";
import { fleetConfig } from "../fleet/loopbackAgents.js";

/**
 * Whatever an agent (or something pretending to be one) answers, the fleet
 * client returns a value: the parsed reply when it fits the agent API, else
 * `agent_invalid_reply` (2xx) or `agent_error` / `agent_unauthorized`
 * (others). Random JSON, random text and valid replies with one field
 * mutated go over a real loopback socket.
 */

let server: Server;
let fleet: FleetClient;
let next: { status: number; body: string } = { status: 200, body: "{}" };

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.writeHead(next.status, { "content-type": "application/json" }).end(next.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const node = { name: "scan-fuzz", url: `http://127.0.0.1:${port}`, secret: "fuzz-secret-0123456789abcdef" };
  fleet = createFleetClient(fleetConfig({ fuzz: [node] }, { timeout: 2000, maxReplyBytes: 256 * 1024 }));
});

afterAll(async () => {
  fleet.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const simulator = createScannerSimulator({ nodeName: "scan-fuzz", cluster: "fuzz", scenario: "database-error" });

/** The four reads, each with the schema its reply must satisfy and a valid sample reply. */
const endpoints = [
  { name: "status", schema: scanStatusSchema, call: () => fleet.status("scan-fuzz"), sample: () => simulator.status() },
  { name: "health", schema: healthSchema, call: () => fleet.health("scan-fuzz"), sample: () => simulator.health() },
  {
    name: "errors",
    schema: errorsSchema,
    call: () => fleet.errors("scan-fuzz", 20),
    sample: () => simulator.errors({ count: 20 }),
  },
  {
    name: "diagnostics",
    schema: diagnosticsSchema,
    call: () => fleet.diagnostics("scan-fuzz"),
    sample: () => simulator.diagnostics(),
  },
] as const;

/** Replaces or deletes the value at one path of a JSON tree, chosen by `pick`. */
function mutate(value: unknown, pick: number, replacement: unknown, remove: boolean): unknown {
  const paths: (string | number)[][] = [];
  const walk = (v: unknown, path: (string | number)[]) => {
    paths.push(path);
    if (Array.isArray(v)) for (const [i, item] of v.entries()) walk(item, [...path, i]);
    else if (v && typeof v === "object") for (const [k, item] of Object.entries(v)) walk(item, [...path, k]);
  };
  walk(value, []);
  const path = paths[pick % paths.length] ?? [];
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path.at(-1) as string | number;
  if (remove && !Array.isArray(parent)) delete parent[last];
  else parent[last] = replacement;
  return copy;
}

function expectValue(outcome: NodeOutcome<unknown>, status: number, body: string, schema: z.ZodType): void {
  let expected: "ok" | string;
  if (status === 401) expected = "agent_unauthorized";
  else if (status < 200 || status > 299) expected = "agent_error";
  else {
    let json: unknown;
    try {
      json = JSON.parse(body);
      expected = schema.safeParse(json).success ? "ok" : "agent_invalid_reply";
    } catch {
      expected = "agent_invalid_reply";
    }
  }
  const got = outcome.ok ? "ok" : outcome.error.code;
  expect(got, `${status} ${body.slice(0, 200)}`).toBe(expected);
  if (!outcome.ok) {
    expect(outcome.error.userMessage.length).toBeLessThan(500);
    expect(outcome.error.userMessage).not.toMatch(/\n\s+at /);
  }
}

describe("agent replies through the fleet client", () => {
  it("random JSON, random text and random status codes: a value, never a throw", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...endpoints),
        fc.constantFrom(200, 200, 200, 201, 204, 400, 401, 403, 404, 500, 502, 503),
        fc.oneof(
          fc.json({ maxDepth: 4 }),
          fc.string({ maxLength: 300 }),
          fc.constantFrom("", "null", "[]", '{"error":{"code":"x","message":"boom"}}', "<html>502</html>"),
        ),
        async (endpoint, status, body) => {
          next = { status, body: status === 204 ? "" : body };
          const outcome = await endpoint.call();
          expectValue(outcome, status, next.body, endpoint.schema);
        },
      ),
      { numRuns: 400 },
    );
  });

  it("valid replies with one field replaced or removed: accepted only if still valid", async () => {
    const samples = await Promise.all(endpoints.map(async (e) => ({ endpoint: e, value: await e.sample() })));
    for (const { endpoint, value } of samples) expect(endpoint.schema.safeParse(value).success).toBe(true);
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...samples),
        fc.nat(),
        fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(-1, 1e308, "", "Scanning", null, [], {})),
        fc.boolean(),
        async ({ endpoint, value }, pick, replacement, remove) => {
          const body = JSON.stringify(mutate(value, pick, replacement, remove));
          next = { status: 200, body };
          const outcome = await endpoint.call();
          expectValue(outcome, 200, body, endpoint.schema);
          if (outcome.ok) accepted++;
          else refused++;
        },
      ),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });
});
