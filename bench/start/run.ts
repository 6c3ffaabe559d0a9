/**
 * Start-up benchmark: how long the shipped commands take to start and how much memory they hold idle,
 * side by side with `node -e 0` measured in the same run (so machine load hits every figure alike).
 *
 *   npm run bench:start -- [--runs 7] [--settle 30] [--from-source]
 *
 * - console help: `printf 'help\n' | scanner-bot console --config <one-node config>`, spawn to exit.
 * - agent first answer: spawn of the agent (simulator backend) to its first signed `/v1/health` 200.
 *   Measured for every agent entry point present: the bin's `agent` command and the one-file bundle.
 * - RSS: resident memory of the process and its children (Linux /proc), 1 s after the first answer
 *   ("just started"), and for the agents, once per run for the first three runs, after `--settle` seconds
 *   with no request ("idle": V8's memory reducer shrinks the heap of a process that stays idle for a while,
 *   which is how an agent spends nearly all of its life between polls).
 * With `--from-source`, the same through tsx (`node --import tsx src/cli.ts`, how the bin ran before the build).
 * Runs are interleaved command by command; the table shows medians.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { agentPaths } from "../../src/wire/agentApi.js";
import { signRequest } from "../../src/wire/requestSigning.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "7" },
    settle: { type: "string", default: "30" },
    "from-source": { type: "boolean", default: false },
  },
});
/** Also measure the sources through tsx, the way the bin ran before there was a build (compiled at every start). */
const fromSource = values["from-source"];
const runs = Math.max(1, Number(values.runs));
const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(root, "bin/scanner-bot.js");
const cli = join(root, "src/cli.ts");
const bundle = join(root, "dist/scanner-bot-agent.js");
const secret = "bench-start-secret-0123456789abcdef";
const work = mkdtempSync(join(tmpdir(), "bench-start-"));

const botConfig = join(work, "bot.yml");
writeFileSync(
  botConfig,
  "clusters:\n  - name: lab\n    nodes:\n      - name: lab-01\n        url: http://127.0.0.1:9\n        secret: env:BENCH_SECRET\n",
);

/** A free loopback port (the agent config needs a fixed one to be probed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

function agentConfig(port: number): string {
  const file = join(work, `agent-${port}.yml`);
  writeFileSync(
    file,
    `node:\n  name: BENCH01\nlisten:\n  host: 127.0.0.1\n  port: ${port}\nsecrets:\n  - env:BENCH_SECRET\n` +
      "backend:\n  kind: simulator\n  cluster: bench\nlog:\n  level: warn\n",
  );
  return file;
}

const env = { ...process.env, BENCH_SECRET: secret, LOG_LEVEL: "warn" };

/** Resident memory (MB) of a process and all its descendants, from /proc. */
function treeRssMb(pid: number): number {
  let kb = 0;
  const visit = (p: number) => {
    try {
      const status = readFileSync(`/proc/${p}/status`, "utf8");
      kb += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const children = readFileSync(`/proc/${p}/task/${p}/children`, "utf8").trim();
      for (const c of children ? children.split(/\s+/) : []) visit(Number(c));
    } catch {
      // The process went away between reads: count what was there.
    }
  };
  visit(pid);
  return kb / 1024;
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

/** Spawn to exit, with `input` on stdin. */
async function timeToExit(args: string[], input = ""): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { env, stdio: ["pipe", "ignore", "ignore"] });
  child.stdin?.end(input);
  const code = await exited(child);
  if (code !== 0) throw new Error(`node ${args.join(" ")} exited with ${code}`);
  return performance.now() - start;
}

async function signedHealth(port: number): Promise<boolean> {
  try {
    const headers = signRequest(secret, { method: "GET", path: agentPaths.health, body: "" });
    const response = await fetch(`http://127.0.0.1:${port}${agentPaths.health}`, { headers });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

/** Spawn to the first signed health answer, then the RSS one second later and, with `settleMs`, after that long. */
async function agentStart(
  args: (config: string) => string[],
  settleMs?: number,
): Promise<{ ms: number; rssMb: number; settledMb?: number }> {
  const port = await freePort();
  const config = agentConfig(port);
  const start = performance.now();
  const child = spawn(process.execPath, args(config), { env, stdio: ["ignore", "ignore", "inherit"] });
  const gone = exited(child);
  try {
    for (;;) {
      if (await signedHealth(port)) break;
      if (child.exitCode !== null) throw new Error(`the agent exited with ${child.exitCode}`);
      if (performance.now() - start > 30_000) throw new Error("the agent did not answer within 30 s");
      await sleep(5);
    }
    const ms = performance.now() - start;
    await sleep(1000);
    const rssMb = treeRssMb(child.pid ?? 0);
    if (settleMs === undefined) return { ms, rssMb };
    await sleep(settleMs);
    return { ms, rssMb, settledMb: treeRssMb(child.pid ?? 0) };
  } finally {
    child.kill("SIGTERM");
    await gone;
  }
}

/** The console, idle one second after answering `help` (stdin stays open). */
async function botIdleRss(): Promise<number> {
  const child = spawn(process.execPath, [bin, "console", "--config", botConfig], {
    env,
    stdio: ["pipe", "pipe", "ignore"],
  });
  const gone = exited(child);
  const answered = new Promise<void>((resolve) => child.stdout?.once("data", () => resolve()));
  child.stdout?.resume();
  child.stdin?.write("help\n");
  await answered;
  await sleep(1000);
  const rss = treeRssMb(child.pid ?? 0);
  child.stdin?.end();
  await gone;
  return rss;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const agents: { label: string; args: (config: string) => string[] }[] = [
  { label: "agent via bin (scanner-bot agent)", args: (c) => [bin, "agent", "--config", c] },
];
if (fromSource) {
  agents.unshift({ label: "agent from source via tsx", args: (c) => ["--import", "tsx", cli, "agent", "--config", c] });
}
if (existsSync(bundle))
  agents.push({ label: "agent bundle (dist/scanner-bot-agent.js)", args: (c) => [bundle, "--config", c] });

const nodeBare: number[] = [];
const help: number[] = [];
const helpFromSource: number[] = [];
const agentRuns = agents.map(() => ({ ms: [] as number[], rss: [] as number[], settled: [] as number[] }));
const settleMs = Math.max(0, Number(values.settle)) * 1000;
const botRss: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    nodeBare.push(await timeToExit(["-e", "0"]));
    help.push(await timeToExit([bin, "console", "--config", botConfig], "help\n"));
    if (fromSource)
      helpFromSource.push(await timeToExit(["--import", "tsx", cli, "console", "--config", botConfig], "help\n"));
    for (const [j, agent] of agents.entries()) {
      const { ms, rssMb, settledMb } = await agentStart(agent.args, i < 3 ? settleMs : undefined);
      agentRuns[j]?.ms.push(ms);
      agentRuns[j]?.rss.push(rssMb);
      if (settledMb !== undefined) agentRuns[j]?.settled.push(settledMb);
    }
    if (i < 3) botRss.push(await botIdleRss());
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const base = median(nodeBare);
const row = (label: string, ms: number, target: string) =>
  `| ${label} | ${ms.toFixed(0)} ms | ${(ms / base).toFixed(1)}× | ${target} |`;
console.log(`start-up, ${runs} runs each, medians (Node ${process.versions.node})\n`);
console.log("| measure | value | × node -e 0 | target |\n|---|---|---|---|");
console.log(row("node -e 0", base, ""));
if (fromSource) console.log(row("console help from source via tsx", median(helpFromSource), ""));
console.log(row("console help (spawn to exit)", median(help), "≤ 3×"));
for (const [j, agent] of agents.entries()) {
  const r = agentRuns[j];
  if (!r) continue;
  console.log(row(`${agent.label}: start to first answer`, median(r.ms), "≤ 3×"));
  console.log(`| ${agent.label}: RSS 1 s after the first answer | ${median(r.rss).toFixed(1)} MB | | reported |`);
  console.log(
    `| ${agent.label}: idle RSS (${values.settle} s without a request) | ${median(r.settled).toFixed(1)} MB | | ≤ 60 MB |`,
  );
}
console.log(`| bot console idle RSS (after one answer) | ${median(botRss).toFixed(0)} MB | | reported |`);
