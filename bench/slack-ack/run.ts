/**
 * Ack latency of `/scanner status` through the Slack adapter, side by side with
 * a bare Bolt app that only acks, at 10, 100 and 200 concurrent signed requests.
 * Rounds are interleaved (bare, ours, ours, bare, …) so both see the same
 * machine state. Every delayed answer must reach the loopback response_url.
 *
 *   npm run bench:slack-ack [-- --rounds 24 --delay-ms 1000 --levels 10,100,200]
 *   npm run bench:slack-ack -- --bare-ack placeholder   # bare Bolt acks with the same body as ours
 *   npm run bench:slack-ack -- --status real    # the real `status` over the demo cluster's 3 agents
 *                                                 (in a child process, as nodes are other machines)
 *
 * Default `status`: a stand-in that answers after --delay-ms, so the delayed
 * path (placeholder in the ack, answer through response_url) is taken by every
 * request without the fleet's own work competing with the acks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { App, HTTPReceiver } from "@slack/bolt";
import { z } from "zod";
import { startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { explainCommand } from "../../commands/explain.js";
import { helpCommand } from "../../commands/help.js";
import { statusCommand } from "../../commands/status.js";
import { defineCommand } from "../../src/command.js";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { createFleetClient, type FleetClient } from "../../src/fleetClient.js";
import { silentLogger } from "../../src/logger.js";
import { reply } from "../../src/reply.js";
import { createRouter } from "../../src/router.js";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "24" },
    status: { type: "string", default: "slow" },
    "bare-ack": { type: "string", default: "empty" },
    "delay-ms": { type: "string", default: "1000" },
    levels: { type: "string", default: "10,100,200" },
  },
});
const rounds = Number(values.rounds);
/** Small bursts get more rounds, so each p99 rests on at least ~600 samples per app. */
const roundsFor = (level: number) => Math.max(rounds, Math.ceil(600 / level));
const delayMs = Number(values["delay-ms"]);
const levels = String(values.levels).split(",").map(Number);
const settleMs = 250;
const placeholderText = "Checking 12 scanner nodes…";

const signingSecret = "bench-signing-secret-0123456789ab";
const botToken = "xoxb-bench-token";
const identity = { botId: "B0BENCH", botUserId: "U0BENCH" };

/**
 * `status` as it behaves without a fleet to ask: a placeholder at once, the
 * answer after `delayMs`, so every request takes the delayed path.
 */
const slowStatus = defineCommand({
  name: "status",
  summary: "Fleet status (benchmark stand-in, answers after a delay).",
  usage: "status",
  help: "benchmark",
  args: z.object({}),
  input: () => ({}),
  placeholder: () => reply(placeholderText).build(),
  run: async () => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return reply("12 scanner nodes, 1 needs attention", { status: "warn" })
      .heading("Scanner fleet")
      .table(
        ["Node", "State", "Last scan"],
        Array.from({ length: 12 }, (_, i) => ({
          cells: [`FS-NODE-${i + 1}`, i === 3 ? "Stalled" : "Scanning", `${i + 2}m ago`],
          status: i === 3 ? ("warn" as const) : ("ok" as const),
        })),
      )
      .build();
  },
});

/**
 * Counts delayed answers at a loopback response_url: each request has its own
 * path, and only a message counts (not the `delete_original` that precedes a
 * change of visibility), so every request is counted once.
 */
async function startResponseUrlServer() {
  const answered = new Set<string>();
  let sequence = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { delete_original?: boolean };
      if (!body.delete_original) answered.add(req.url ?? "");
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** A fresh response_url for one request. */
    next: () => `http://127.0.0.1:${port}/commands/bench/${sequence++}`,
    delivered: () => answered.size,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function signedSlash(responseUrl: string, n: number): { body: string; headers: Record<string, string> } {
  const body = new URLSearchParams({
    token: "bench",
    team_id: "T0BENCH",
    channel_id: "C0BENCH",
    channel_name: "scanner-ops",
    user_id: `U0USER${n % 50}`,
    user_name: `admin${n % 50}`,
    command: "/scanner",
    text: "status",
    response_url: responseUrl,
    trigger_id: `bench.${n}`,
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex");
  return {
    body,
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "content-length": String(Buffer.byteLength(body)),
      "x-slack-request-timestamp": String(timestamp),
      "x-slack-signature": `v0=${signature}`,
    },
  };
}

/** One request on a fresh connection (as Slack's requests arrive); resolves with ms until the ack's last byte. */
function timedPost(url: URL, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(url, { method: "POST", headers, agent: false }, (res) => {
      res.resume();
      res.on("end", () => {
        if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
        else resolve(performance.now() - started);
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

async function burst(url: URL, responseUrl: () => string, concurrency: number): Promise<number[]> {
  const requests = Array.from({ length: concurrency }, (_, i) => signedSlash(responseUrl(), i));
  return Promise.all(requests.map((r) => timedPost(url, r.body, r.headers)));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const hooks = await startResponseUrlServer();

  const bareReceiver = new HTTPReceiver({ signingSecret, logLevel: undefined });
  const bare = new App({ token: botToken, receiver: bareReceiver, ...identity });
  // `--bare-ack placeholder`: bare Bolt acks with the same body ours sends (the placeholder), which
  // separates the adapter's own cost from the cost of acking with a body at all.
  const bareBody =
    values["bare-ack"] === "placeholder" ? { response_type: "in_channel" as const, text: placeholderText } : undefined;
  bare.command("/scanner", async ({ ack }) => {
    await ack(bareBody);
  });
  const bareServer = await bare.start({ port: 0, host: "127.0.0.1" });
  const bareUrl = new URL(`http://127.0.0.1:${(bareServer.address() as AddressInfo).port}/slack/events`);

  const demo = values.status === "real" ? await startDemoAgents() : undefined;
  const commands = [helpCommand, explainCommand, demo ? statusCommand : slowStatus];
  const services = { now: () => new Date(), ...(demo ? { fleet: demo.fleet } : {}) };
  const router = createRouter(commands, services, silentLogger());
  const ours = await startSlackAdapter({
    router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, ...identity }),
    logger: silentLogger(),
    port: 0,
    host: "127.0.0.1",
  });
  const oursUrl = new URL(ours.url ?? "");

  const results: {
    level: number;
    bare: number[];
    ours: number[];
    pairs: number[];
    expected: number;
    delivered: number;
  }[] = [];
  try {
    for (const level of levels) {
      // Warm-up (not measured): JIT, sockets, first-request paths.
      await burst(bareUrl, hooks.next, level);
      const before = hooks.delivered();
      await burst(oursUrl, hooks.next, level);
      await waitFor(() => hooks.delivered() - before >= level, delayMs + 10_000);

      const row = {
        level,
        bare: [] as number[],
        ours: [] as number[],
        pairs: [] as number[],
        expected: 0,
        delivered: 0,
      };
      for (let round = 0; round < roundsFor(level); round++) {
        const order = round % 2 === 0 ? (["bare", "ours"] as const) : (["ours", "bare"] as const);
        const p99: Record<"bare" | "ours", number> = { bare: 0, ours: 0 };
        for (const which of order) {
          // Every burst starts from the same quiet state: the previous burst's sockets closed, answers landed.
          await new Promise((resolve) => setTimeout(resolve, settleMs));
          const start = hooks.delivered();
          const latencies = await burst(which === "bare" ? bareUrl : oursUrl, hooks.next, level);
          row[which].push(...latencies);
          p99[which] = percentile(
            [...latencies].sort((x, y) => x - y),
            0.99,
          );
          if (which === "bare") continue;
          row.expected += level;
          await waitFor(() => hooks.delivered() - start >= level, delayMs + 10_000);
          row.delivered += hooks.delivered() - start;
        }
        row.pairs.push(p99.ours / p99.bare);
      }
      results.push(row);
    }
  } finally {
    await ours.stop();
    await bare.stop();
    await hooks.close();
    demo?.fleet.close();
    demo?.child.stdin?.end();
  }

  const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);
  const answers = `${demo ? "real status over 3 demo agents in a child process" : `answers after ${delayMs} ms`}, bare Bolt acks ${bareBody ? "with the placeholder" : "empty"}`;
  const plan = levels.map((l) => `${roundsFor(l)}×${l}`).join(", ");
  console.log(`\n/scanner status ack latency, interleaved rounds (${plan}), ${answers}\n`);
  console.log(
    "concurrent   bare p50    bare p99    ours p50    ours p99   p99 ratio   paired median   delayed answers delivered",
  );
  let ok = true;
  for (const r of results) {
    const b = [...r.bare].sort((x, y) => x - y);
    const o = [...r.ours].sort((x, y) => x - y);
    const ratio = percentile(o, 0.99) / percentile(b, 0.99);
    const paired = percentile(
      [...r.pairs].sort((x, y) => x - y),
      0.5,
    );
    ok &&= ratio <= 1.2 && r.delivered === r.expected;
    console.log(
      `${String(r.level).padStart(10)} ${fmt(percentile(b, 0.5))}  ${fmt(percentile(b, 0.99))}  ${fmt(percentile(o, 0.5))}  ${fmt(percentile(o, 0.99))}   ${ratio.toFixed(2).padStart(8)}x   ${paired.toFixed(2).padStart(12)}x   ${r.delivered}/${r.expected}`,
    );
  }
  console.log(
    "\np99 ratio: over all samples of the level. paired median: the median over rounds of (ours burst p99 / the\n" +
      "adjacent bare burst p99), which cancels load spikes from other processes on a shared machine.",
  );
  console.log(
    `\ntarget: ours p99 ≤ 1.2 × bare Bolt p99 at every level, every answer delivered → ${ok ? "MET" : "MISSED"}`,
  );
}

/** Starts the demo agents in a child process and a fleet client here pointed at them. */
async function startDemoAgents(): Promise<{ fleet: FleetClient; child: ChildProcess }> {
  const script = new URL("./demoAgents.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => reject(new Error(`demo agents exited (${code})`)));
  });
  lines.close();
  const parsed = botConfigSchema.parse(JSON.parse(first));
  return { fleet: createFleetClient(parsed), child };
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("delayed answers did not all arrive in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
