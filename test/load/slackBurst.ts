import { spawn } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import type { ScannerBackend } from "../../agent/scannerBackend.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { createBot } from "../../src/runtime/bot.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";
import {
  botId,
  botToken,
  botUserId,
  freshRequestId,
  type ResponseUrlServer,
  sendToSlackApp,
  signingSecret,
  startResponseUrlServer,
} from "../slack/slackHarness.js";
import { generousDeadlineMs } from "../support/until.js";
import { forcedGc } from "./forcedGc.js";

/**
 * Bursts of signed slash commands through the real Slack HTTP receiver and
 * the real commands, over real agents on loopback: `help`, `explain <text>`,
 * `status` and `status <node>`. Shared by the load test (a few hundred) and
 * `npm run bench:load` (1,000 and more).
 */

export interface BurstOptions {
  /** Commands per burst, all sent at once. */
  total: number;
  /** Bursts sent one after the other over the same bot (the heap is read after each). */
  rounds?: number;
  nodes?: number;
  /** fleet.concurrency (fleet-wide calls in flight). */
  concurrency?: number;
  perClusterConcurrency?: number;
  /** How long each agent takes per call, so concurrency actually builds up. */
  agentDelayMs?: number;
  /** How long to wait for the last delayed answer of a burst. */
  settleTimeoutMs?: number;
  /** The commands to rotate through; all four kinds when not given. */
  mix?: readonly CommandKind[];
  /** Called after each round's heap reading (diagnostics: heap snapshots between rounds). */
  afterRound?: (round: number) => void | Promise<void>;
  /** `process`: the requests come from a child process, so the sender's CPU is not the bot's. */
  client?: "in-process" | "process";
}

/** What one burst showed; summed over rounds in BurstResult. */
interface BurstTally {
  /** Requests answered 200 by the receiver. */
  acked: number;
  /** Answered in the ack itself (help, explain). */
  answeredInAck: number;
  /** Commands that took the delayed path (placeholder, then response_url). */
  delayedExpected: number;
  /** Distinct response_url paths that got their answer. */
  delayedReceived: number;
  /** response_urls that got more than one answer (deleting a placeholder is not an answer). */
  duplicates: number;
  /** Requests whose answer never arrived (neither in the ack nor at its response_url). */
  lost: string[];
  /** Milliseconds from send to ack, per request. */
  ackMs: number[];
}

export interface BurstResult extends BurstTally {
  sent: number;
  concurrencyLimit: number;
  /** Most fleet calls running at once, as the fleet client reported it (sampled every millisecond). */
  maxFleetRunning: number;
  /** Most backend calls in flight at once across all agents (exact). */
  maxAgentInFlight: number;
  agentCalls: number;
  /** Backend calls per probe (status, health, errors, …): which reads the commands cost, whatever the timing. */
  agentCallsByProbe: Record<keyof ScannerBackend, number>;
  /** From the first send to the last delayed answer of the last round. */
  totalMs: number;
  heapBeforeBytes: number;
  /** Heap after each round, so growth that keeps going (a leak) shows apart from a one-off. */
  heapAfterRounds: number[];
  /** Whether a real collection ran before each heap reading. */
  gcForced: boolean;
}

const pastedError =
  "System.Data.SqlClient.SqlException (0x80131904): A network-related or instance-specific error occurred while establishing a connection to SQL Server. The server was not found or was not accessible.";

/** The commands a burst rotates through. */
export const commandKinds = ["help", "explain", "status", "status-node"] as const;
export type CommandKind = (typeof commandKinds)[number];

/** The i-th command of a burst. */
function lineFor(i: number, nodes: number, mix: readonly CommandKind[]): string {
  switch (mix[i % mix.length]) {
    case "help":
      return "help";
    case "explain":
      return `explain ${pastedError} (request ${i})`;
    case "status":
      return "status";
    default:
      return `status scan-${String((i % nodes) + 1).padStart(2, "0")}`;
  }
}

/** Counts backend calls in flight across every agent, each made to take `delayMs`. */
function inFlightCounter(delayMs: number) {
  const counter = {
    now: 0,
    max: 0,
    calls: 0,
    byProbe: { health: 0, status: 0, diagnostics: 0, errors: 0, runAction: 0, report: 0 } as Record<
      keyof ScannerBackend,
      number
    >,
  };
  const wrap =
    <A extends unknown[], R>(probe: keyof ScannerBackend, call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      counter.now++;
      counter.calls++;
      counter.byProbe[probe]++;
      counter.max = Math.max(counter.max, counter.now);
      try {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        return await call(...args);
      } finally {
        counter.now--;
      }
    };
  const backend = (inner: ScannerBackend): ScannerBackend => ({
    health: wrap("health", () => inner.health()),
    status: wrap("status", () => inner.status()),
    diagnostics: wrap("diagnostics", () => inner.diagnostics()),
    errors: wrap("errors", (query) => inner.errors(query)),
    report: wrap("report", (query) => inner.report(query)),
    runAction: wrap("runAction", (request) => inner.runAction(request)),
  });
  return { counter, backend };
}

/** Runs the bursts and closes everything it started. */
export async function runSlackBurst(options: BurstOptions): Promise<BurstResult> {
  const nodes = options.nodes ?? 3;
  const concurrency = options.concurrency ?? 4;
  const rounds = options.rounds ?? 1;
  const mix = options.mix ?? commandKinds;
  const gc = forcedGc();
  const agents = new LoopbackAgents();
  const { counter, backend } = inFlightCounter(options.agentDelayMs ?? 5);
  let hooks: ResponseUrlServer | undefined;
  let adapter: SlackAdapter | undefined;
  let sampler: NodeJS.Timeout | undefined;

  // Slack's Web API on loopback (not nock: its interceptor keeps state per request, which the heap readings would count).
  let webApiCalls = 0;
  const webApi: Server = createServer((req, res) => {
    webApiCalls++;
    req.resume();
    res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => webApi.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://127.0.0.1:${(webApi.address() as AddressInfo).port}/api/`;
  try {
    const loopbackNodes = await Promise.all(
      Array.from({ length: nodes }, (_, i) =>
        agents.agent(`scan-${String(i + 1).padStart(2, "0")}`, { cluster: "contoso-prod", backend }),
      ),
    );
    const fleet = agents.fleet(
      fleetConfig(
        { "contoso-prod": loopbackNodes },
        { concurrency, perClusterConcurrency: options.perClusterConcurrency ?? concurrency, timeout: 30_000 },
      ),
    );
    const responses = await startResponseUrlServer();
    hooks = responses;
    const slack = await startSlackAdapter({
      router: createBot({ logger: silentLogger(), fleet }).router,
      settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId, apiUrl }),
      logger: silentLogger(),
      port: 0,
      host: "127.0.0.1",
      retryConfig: { retries: 0 },
    });
    adapter = slack;
    const url = slack.url ?? "";

    /** One burst of `total` commands; response_url paths carry the round so rounds never mix. */
    const burst = async (round: number): Promise<BurstTally> => {
      const path = (i: number) => `/commands/${round}/${i}`;
      const requests = Array.from({ length: options.total }, (_, i) => ({
        text: lineFor(i, nodes, mix),
        responseUrl: `${responses.base}${path(i)}`,
      }));
      const acks = options.client === "process" ? await sendFromChild(url, requests) : await sendHere(url, requests);
      const ackMs = acks.map((a) => a.ms);
      const delayed = acks.flatMap((_, i) => (lineFor(i, nodes, mix).startsWith("status") ? [i] : []));
      /**
       * Answers left standing per response_url. A placeholder posted while the answer was slow ("Checking 3
       * nodes…") is then replaced by the answer, or deleted first when their visibility differs: either way
       * one message stands. How many commands take that path depends on the machine's speed; what must hold
       * is exactly one answer per command.
       */
      const standing = () => {
        const answers = new Map<string, number>();
        for (const r of responses.received) {
          if (!r.path.startsWith(`/commands/${round}/`)) continue;
          const n = answers.get(r.path) ?? 0;
          if (r.body.delete_original === true) answers.set(r.path, n - 1);
          else if (r.body.replace_original === true && n > 0) answers.set(r.path, n);
          else answers.set(r.path, n + 1);
        }
        return answers;
      };
      const answered = (answers: Map<string, number>, i: number) => (answers.get(path(i)) ?? 0) >= 1;
      const deadline = performance.now() + (options.settleTimeoutMs ?? generousDeadlineMs);
      while (delayed.some((i) => !answered(standing(), i)) && performance.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      // Late duplicates would arrive now.
      await new Promise((resolve) => setTimeout(resolve, 50));
      const answers = standing();
      const lost: string[] = [];
      let answeredInAck = 0;
      acks.forEach((ack, i) => {
        const line = lineFor(i, nodes, mix);
        if (line.startsWith("status")) {
          if (!answered(answers, i)) lost.push(`${round}/${i}: ${line}`);
          return;
        }
        if (ack.status === 200 && ack.answered) answeredInAck++;
        else lost.push(`${round}/${i}: ${line} (ack ${ack.status} without an answer)`);
      });
      // The stand-in's record of bodies is the test's memory, not the bot's: drop it before the heap is read.
      responses.received.length = 0;
      return {
        acked: acks.filter((a) => a.status === 200).length,
        answeredInAck,
        delayedExpected: delayed.length,
        delayedReceived: delayed.filter((i) => answered(answers, i)).length,
        duplicates: [...answers.values()].filter((n) => n > 1).length,
        lost,
        ackMs,
      };
    };

    // Warm-up (module code, JIT, sockets), then the baseline heap.
    await sendToSlackApp(url, slash("help", `${responses.base}/warmup`));
    gc?.();
    const heapBeforeBytes = process.memoryUsage().heapUsed;
    let maxFleetRunning = 0;
    sampler = setInterval(() => {
      maxFleetRunning = Math.max(maxFleetRunning, fleet.running);
    }, 1);

    const started = performance.now();
    const total: BurstTally = {
      acked: 0,
      answeredInAck: 0,
      delayedExpected: 0,
      delayedReceived: 0,
      duplicates: 0,
      lost: [],
      ackMs: [],
    };
    const heapAfterRounds: number[] = [];
    for (let round = 0; round < rounds; round++) {
      const tally = await burst(round);
      total.acked += tally.acked;
      total.answeredInAck += tally.answeredInAck;
      total.delayedExpected += tally.delayedExpected;
      total.delayedReceived += tally.delayedReceived;
      total.duplicates += tally.duplicates;
      total.lost.push(...tally.lost);
      total.ackMs.push(...tally.ackMs);
      gc?.();
      heapAfterRounds.push(process.memoryUsage().heapUsed);
      await options.afterRound?.(round);
    }
    const totalMs = performance.now() - started;
    if (webApiCalls > 0) total.lost.push(`${webApiCalls} unexpected Slack Web API call(s)`);
    return {
      ...total,
      sent: options.total * rounds,
      concurrencyLimit: concurrency,
      maxFleetRunning,
      maxAgentInFlight: counter.max,
      agentCalls: counter.calls,
      agentCallsByProbe: { ...counter.byProbe },
      totalMs,
      heapBeforeBytes,
      heapAfterRounds,
      gcForced: gc !== undefined,
    };
  } finally {
    clearInterval(sampler);
    await adapter?.stop();
    await hooks?.close();
    await agents.closeAll();
    webApi.closeAllConnections();
    await new Promise<void>((resolve) => webApi.close(() => resolve()));
  }
}

/** The fields of a slash command payload that stay the same across a burst. */
const slashFields = {
  token: "legacy-verification-token",
  team_id: "T0001",
  team_domain: "contoso",
  channel_id: "C0SCANOPS",
  channel_name: "scanner-ops",
  user_id: "U0ANA",
  user_name: "ana",
  command: "/scanner",
};

/** A slash command payload as Slack sends it, form-encoded. */
function slash(text: string, responseUrl: string) {
  // A fresh trigger_id each: Slack mints one per invocation, and the bot drops a request whose id it has seen.
  return {
    kind: "form" as const,
    fields: { ...slashFields, trigger_id: freshRequestId("13345224609.738474920."), text, response_url: responseUrl },
  };
}

type Ack = { status: number; answered: boolean; ms: number };
type SlashRequest = { text: string; responseUrl: string };

/** Sends every request at once from this process. */
function sendHere(url: string, requests: SlashRequest[]): Promise<Ack[]> {
  return Promise.all(
    requests.map(async ({ text, responseUrl }) => {
      const sentAt = performance.now();
      const answer = await sendToSlackApp(url, slash(text, responseUrl));
      const ms = performance.now() - sentAt;
      const answered = answer.text ? Boolean((JSON.parse(answer.text) as { text?: string }).text) : false;
      return { status: answer.status, answered, ms };
    }),
  );
}

/** Sends every request at once from a child process (burstClient.ts). */
function sendFromChild(url: string, requests: SlashRequest[]): Promise<Ack[]> {
  const script = new URL("./burstClient.ts", import.meta.url).pathname;
  const child = spawn(process.execPath, ["--import", "tsx", script], { stdio: ["pipe", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  child.stdin.end(JSON.stringify({ url, requests, fields: slashFields }));
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => {
      if (code !== 0) reject(new Error(`burst client exited with ${code}`));
      else resolve(JSON.parse(out) as Ack[]);
    });
  });
}

/** The p-th percentile of a list of numbers. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}
