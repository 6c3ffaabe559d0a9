/**
 * Ack latency of `/scanner status` through the Slack adapter, side by side with
 * a bare Bolt app that only acks, at 10, 100 and 200 concurrent signed requests.
 * Each app runs in its own process (ackServer.ts), as a bot does; this process
 * is the load generator and Slack's response_url. Rounds are interleaved (bare,
 * ours, ours, bare, …) so both see the same machine state, and every delayed
 * answer must reach the response_url.
 *
 *   npm run bench:slack-ack [-- --rounds 40 --levels 10,100,200]
 *   npm run bench:slack-ack -- --status slow [--delay-ms 1000]   # a stand-in status answering after a delay
 *   npm run bench:slack-ack -- --bare-ack placeholder            # bare Bolt acks with the same body as ours
 *
 * Default `status`: the real command over the demo cluster's 3 agents (in a
 * third process, as nodes are other machines), with the whole bot as
 * `scanner-bot run` builds it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "40" },
    status: { type: "string", default: "real" },
    "bare-ack": { type: "string", default: "empty" },
    "delay-ms": { type: "string", default: "1000" },
    levels: { type: "string", default: "10,100,200" },
  },
});
const rounds = Number(values.rounds);
/**
 * Small bursts get more rounds, so each p99 rests on at least 2,000 samples per app: latencies within a
 * burst move together, and with fewer bursts one unlucky garbage collection decides the p99.
 */
const roundsFor = (level: number) => Math.max(rounds, Math.ceil(2000 / level));
const delayMs = Number(values["delay-ms"]);
const levels = String(values.levels).split(",").map(Number);
const settleMs = 250;

const signingSecret = "bench-signing-secret-0123456789ab";

/**
 * Counts delayed answers at a loopback response_url: each request has its own
 * path, and only a message counts (not the `delete_original` that precedes a
 * change of visibility), so every request is counted once.
 */
async function startResponseUrlServer() {
  const issuedAt = new Map<string, number>();
  const answered = new Set<string>();
  const answerMs: number[] = [];
  let sequence = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { delete_original?: boolean };
      const path = req.url ?? "";
      if (!body.delete_original && !answered.has(path)) {
        answered.add(path);
        answerMs.push(performance.now() - (issuedAt.get(path) ?? Number.NaN));
      }
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** A fresh response_url for one request, issued just before the request is sent. */
    next: () => {
      const path = `/commands/bench/${sequence++}`;
      issuedAt.set(path, performance.now());
      return `http://127.0.0.1:${port}${path}`;
    },
    delivered: () => answered.size,
    /** Time from sending a command to its answer arriving, for answers after the first `from`. */
    answerLatencies: (from: number) => answerMs.slice(from),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Counts every command sent, so each gets its own trigger_id (the bot drops a request whose id it has seen). */
let sent = 0;

function signedSlash(responseUrl: string, n: number): { body: string; headers: Record<string, string> } {
  sent += 1;
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
    trigger_id: `bench.${sent}`,
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

/** Starts a script of this folder in its own process and waits for the JSON line it prints when ready. */
async function startChild(script: string, args: string[], env: Record<string, string> = {}) {
  const path = new URL(script, import.meta.url).pathname;
  const child = spawn(process.execPath, ["--import", "tsx", path, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
    env: { ...process.env, ...env },
  });
  const lines = createInterface({ input: child.stdout ?? process.stdin });
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      lines.once("line", resolve);
      child.once("exit", (code) => reject(new Error(`${script} exited (${code})`)));
    });
  const first = await nextLine();
  /** The child's GC pauses and CPU time since the last ask (ackServer.ts only). */
  const usage = async (): Promise<AppUsage> => {
    const answer = nextLine();
    child.stdin?.write("usage\n");
    return JSON.parse(await answer) as AppUsage;
  };
  return { child, ready: JSON.parse(first) as Record<string, unknown>, usage };
}

interface AppUsage {
  gc: Record<string, { count: number; totalMs: number; maxMs: number }>;
  cpuMs: number;
}

interface LevelResult {
  level: number;
  bare: number[];
  ours: number[];
  /** Per round: ours burst p99 / the adjacent bare burst p99. */
  pairs: number[];
  /** Command sent → full answer at the response_url. */
  answers: number[];
  /** Each app's GC pauses and CPU time over the level's measured rounds. */
  usage: Record<"bare" | "ours", AppUsage>;
  expected: number;
  delivered: number;
}

async function main(): Promise<void> {
  const hooks = await startResponseUrlServer();
  const real = values.status === "real";
  const bareAck = values["bare-ack"] === "placeholder" ? "placeholder" : "empty";
  const secretEnv = { BENCH_SIGNING_SECRET: signingSecret };
  const answerWait = (real ? 0 : delayMs) + 10_000;

  const children: ChildProcess[] = [];
  const results: LevelResult[] = [];
  try {
    const agents = real ? await startChild("./demoAgents.ts", []) : undefined;
    if (agents) children.push(agents.child);
    const bare = await startChild("./ackServer.ts", ["bare", "--bare-ack", bareAck], secretEnv);
    children.push(bare.child);
    const ours = await startChild(
      "./ackServer.ts",
      ["ours", "--status", String(values.status), "--delay-ms", String(delayMs)],
      { ...secretEnv, BENCH_FLEET: JSON.stringify(agents?.ready ?? {}) },
    );
    children.push(ours.child);
    const urls = { bare: new URL(String(bare.ready.url)), ours: new URL(String(ours.ready.url)) };

    for (const level of levels) {
      // Warm-up (not measured): JIT, sockets, first-request paths.
      await burst(urls.bare, hooks.next, level);
      const before = hooks.delivered();
      await burst(urls.ours, hooks.next, level);
      await waitFor(() => hooks.delivered() - before >= level, answerWait);

      await Promise.all([bare.usage(), ours.usage()]);
      const row: LevelResult = {
        level,
        bare: [],
        ours: [],
        pairs: [],
        answers: [],
        expected: 0,
        delivered: 0,
        usage: { bare: { gc: {}, cpuMs: 0 }, ours: { gc: {}, cpuMs: 0 } },
      };
      for (let round = 0; round < roundsFor(level); round++) {
        const order = round % 2 === 0 ? (["bare", "ours"] as const) : (["ours", "bare"] as const);
        const p99: Record<"bare" | "ours", number> = { bare: 0, ours: 0 };
        for (const which of order) {
          // Every burst starts from the same quiet state: the previous burst's sockets closed, answers landed.
          await new Promise((resolve) => setTimeout(resolve, settleMs));
          const start = hooks.delivered();
          const latencies = await burst(urls[which], hooks.next, level);
          row[which].push(...latencies);
          p99[which] = percentile(
            [...latencies].sort((x, y) => x - y),
            0.99,
          );
          if (which === "bare") continue;
          row.expected += level;
          await waitFor(() => hooks.delivered() - start >= level, answerWait);
          row.delivered += hooks.delivered() - start;
          row.answers.push(...hooks.answerLatencies(start));
        }
        row.pairs.push(p99.ours / p99.bare);
      }
      [row.usage.bare, row.usage.ours] = await Promise.all([bare.usage(), ours.usage()]);
      results.push(row);
    }
  } finally {
    for (const child of children) child.stdin?.end();
    await hooks.close();
  }
  report(results, real, bareAck);
}

function report(results: LevelResult[], real: boolean, bareAck: string): void {
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`.padStart(10);
  const status = real
    ? "real status over the demo cluster's 3 agents"
    : `stand-in status answering after ${delayMs} ms`;
  const plan = levels.map((l) => `${roundsFor(l)}×${l}`).join(", ");
  console.log(
    `\n/scanner status ack latency, interleaved rounds (${plan}), ${status}, bare Bolt acks ${bareAck}, each app in its own process\n`,
  );
  console.log(
    "concurrent   bare p50    bare p99    ours p50    ours p99   p99 ratio   paired median   answers delivered   answer p50   answer p99",
  );
  let ok = true;
  for (const r of results) {
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y);
    const [b, o, a] = [sorted(r.bare), sorted(r.ours), sorted(r.answers)];
    const ratio = percentile(o, 0.99) / percentile(b, 0.99);
    const paired = percentile(sorted(r.pairs), 0.5);
    ok &&= ratio <= 1.2 && r.delivered === r.expected;
    console.log(
      `${String(r.level).padStart(10)} ${fmt(percentile(b, 0.5))}  ${fmt(percentile(b, 0.99))}  ${fmt(percentile(o, 0.5))}  ${fmt(percentile(o, 0.99))}   ${ratio.toFixed(2).padStart(8)}x   ${paired.toFixed(2).padStart(12)}x   ${`${r.delivered}/${r.expected}`.padStart(17)}  ${fmt(percentile(a, 0.5))}   ${fmt(percentile(a, 0.99))}`,
    );
  }
  console.log("\nwhere each app's time went over the measured rounds (GC pauses: count, total, longest):");
  for (const r of results) {
    const line = (u: AppUsage) => {
      const kinds = Object.entries(u.gc)
        .map(([kind, g]) => `${kind} ${g.count}× ${g.totalMs.toFixed(0)} ms (max ${g.maxMs.toFixed(1)})`)
        .join(", ");
      return `CPU ${u.cpuMs.toFixed(0)} ms; ${kinds || "no GC"}`;
    };
    console.log(`${String(r.level).padStart(10)}  bare: ${line(r.usage.bare)}`);
    console.log(`${" ".repeat(10)}  ours: ${line(r.usage.ours)}`);
  }
  console.log(
    "\np99 ratio: over all samples of the level. paired median: the median over rounds of (ours burst p99 / the\n" +
      "adjacent bare burst p99), which cancels load spikes from other processes on a shared machine.\n" +
      "answer: from sending the command to its full answer reaching the response_url.",
  );
  console.log(
    `\ntarget: ours p99 ≤ 1.2 × bare Bolt p99 at every level, every answer delivered → ${ok ? "MET" : "MISSED"}`,
  );
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
