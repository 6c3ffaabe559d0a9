/**
 * Scale benchmark: watch throughput (nodes polled per minute) with 1, 2 and 3
 * bot replicas sharing one PostgreSQL. The agents run in one child process
 * (real agent servers on 127.0.0.1, each answer delayed by --latency ms as a
 * node's PowerShell would be); each replica is its own child process with its
 * own connection pool, leases and fleet client, and polls the clusters it
 * holds back to back (no poll interval) for --seconds after the leases settle.
 *
 *   npm run bench:scale -- [--clusters 20] [--nodes-per-cluster 10] [--latency 200] [--seconds 15]
 *                          [--replicas 1,2,3] [--url postgres://postgres@127.0.0.1:5432/test]
 *
 * Each run uses its own schema, dropped afterwards.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import pg from "pg";
import { z } from "zod";

const { values } = parseArgs({
  options: {
    clusters: { type: "string", default: "20" },
    "nodes-per-cluster": { type: "string", default: "10" },
    latency: { type: "string", default: "200" },
    seconds: { type: "string", default: "15" },
    replicas: { type: "string", default: "1,2,3" },
    url: { type: "string", default: process.env.SCANNER_BOT_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test" },
  },
});
const url = values.url;
const counts = values.replicas.split(",").map(Number);
const measureMs = Number(values.seconds) * 1000;
const ttlMs = 5000;
/** Time for the replica processes to start (tsx) and for their leases to settle before measuring. */
const settleMs = 5000 + 2 * ttlMs;

const resultSchema = z.object({
  id: z.string(),
  polls: z.number(),
  cycles: z.number(),
  elapsedMs: z.number(),
  held: z.number(),
});

/** Starts `tsx <script>` and resolves with its first stdout line (its report), the child still running. */
async function child(script: string, args: string[], env: Record<string, string> = {}) {
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines = createInterface({ input: proc.stdout as NonNullable<ChildProcess["stdout"]> });
  const [line] = (await once(lines, "line")) as [string];
  return { proc, line };
}

async function withSchema<T>(work: (schema: string) => Promise<T>): Promise<T> {
  const schema = `scanner_bot_bench_${randomBytes(4).toString("hex")}`;
  try {
    return await work(schema);
  } finally {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await client.end();
  }
}

const agents = await child("bench/scale/agents.ts", [values.clusters, values["nodes-per-cluster"], values.latency]);
const clusters: unknown = JSON.parse(agents.line);
const nodeCount = Number(values.clusters) * Number(values["nodes-per-cluster"]);
console.log(
  `${nodeCount} agents in ${values.clusters} clusters, ${values.latency} ms per answer; ${values.seconds} s measured per run, lease TTL ${ttlMs / 1000} s`,
);
console.log("replicas | nodes polled/min | per replica (clusters held when measuring started)");

try {
  for (const replicas of counts) {
    const startAt = Date.now() + settleMs;
    const results = await withSchema(async (schema) =>
      Promise.all(
        Array.from({ length: replicas }, async (_, i) => {
          const settings = { id: `bench-${i + 1}`, url, schema, clusters, startAt, measureMs, ttlMs };
          const { line } = await child("bench/scale/replica.ts", [], { SCALE_REPLICA: JSON.stringify(settings) });
          return resultSchema.parse(JSON.parse(line));
        }),
      ),
    );
    const perMinute = results.reduce((n, r) => n + (r.polls / r.elapsedMs) * 60_000, 0);
    const detail = results.map((r) => `${Math.round((r.polls / r.elapsedMs) * 60_000)} (${r.held})`).join(", ");
    console.log(`${String(replicas).padStart(8)} | ${String(Math.round(perMinute)).padStart(16)} | ${detail}`);
  }
} finally {
  agents.proc.stdin?.end();
}
