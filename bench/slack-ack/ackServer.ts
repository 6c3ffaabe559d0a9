/**
 * One of the two apps the ack bench compares, in a process of its own, as a
 * bot runs in production: its garbage collection and its after-ack work land
 * in its own event loop, not in the other app's or the load generator's.
 *
 *   ackServer.ts bare [--bare-ack empty|placeholder]
 *   ackServer.ts ours [--status real|slow] [--delay-ms 1000]   (real: fleet config JSON in BENCH_FLEET)
 *
 * Prints `{"url": …}` as one line once listening; stops when stdin closes.
 * The signing secret comes in BENCH_SIGNING_SECRET.
 */
import type { AddressInfo } from "node:net";
import { type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { App, HTTPReceiver } from "@slack/bolt";
import { z } from "zod";
import { startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { explainCommand } from "../../commands/explain.js";
import { helpCommand } from "../../commands/help.js";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter, type Router } from "../../src/routing/router.js";
import { createBot } from "../../src/runtime/bot.js";

const signingSecret = process.env.BENCH_SIGNING_SECRET ?? "";
const placeholderText = "Checking 12 scanner nodes…";
const botToken = "xoxb-bench-token";
const identity = { botId: "B0BENCH", botUserId: "U0BENCH" };

/** `status` as it behaves without a fleet: a placeholder at once, a 12-node answer after `delayMs`. */
function slowStatus(delayMs: number) {
  return defineCommand({
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
}

async function startBare(placeholderAck: boolean): Promise<string> {
  const receiver = new HTTPReceiver({ signingSecret, logLevel: undefined });
  const app = new App({ token: botToken, receiver, ...identity });
  const body = placeholderAck ? { response_type: "in_channel" as const, text: placeholderText } : undefined;
  app.command("/scanner", async ({ ack }) => {
    await ack(body);
  });
  const server = await app.start({ port: 0, host: "127.0.0.1" });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
}

async function startOurs(status: string, delayMs: number): Promise<string> {
  let router: Router;
  if (status === "real") {
    // The whole bot as `scanner-bot run` builds it, over the demo agents in their own process.
    const config = botConfigSchema.parse(JSON.parse(process.env.BENCH_FLEET ?? "{}"));
    router = createBot({ config, logger: silentLogger() }).router;
  } else {
    router = createRouter(
      [helpCommand, explainCommand, slowStatus(delayMs)],
      { now: () => new Date() },
      silentLogger(),
    );
  }
  const adapter = await startSlackAdapter({
    router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, ...identity }),
    logger: silentLogger(),
    port: 0,
    host: "127.0.0.1",
  });
  return adapter.url ?? "";
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    status: { type: "string", default: "real" },
    "bare-ack": { type: "string", default: "empty" },
    "delay-ms": { type: "string", default: "1000" },
  },
});
const url =
  positionals[0] === "bare"
    ? await startBare(values["bare-ack"] === "placeholder")
    : await startOurs(String(values.status), Number(values["delay-ms"]));
process.stdout.write(`${JSON.stringify({ url })}\n`);

/**
 * Garbage-collection pauses of this app by kind, and its CPU time: the ack tail
 * of a loaded event loop is mostly GC pauses, so the bench reports which app
 * paid for how much. Each line on stdin asks for the figures since the last ask.
 */
type GcRow = { count: number; totalMs: number; maxMs: number };
let gcPauses: Record<string, GcRow> = {};
let cpuSince = process.cpuUsage();
const gcKinds: Record<number, string> = { 1: "scavenge", 2: "mark-compact", 4: "incremental", 8: "weak-callbacks" };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = gcKinds[(entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0] ?? "other";
    const row = gcPauses[kind] ?? { count: 0, totalMs: 0, maxMs: 0 };
    gcPauses[kind] = row;
    row.count++;
    row.totalMs += entry.duration;
    row.maxMs = Math.max(row.maxMs, entry.duration);
  }
}).observe({ entryTypes: ["gc"] });

const asks = createInterface({ input: process.stdin });
asks.on("line", () => {
  const cpu = process.cpuUsage(cpuSince);
  process.stdout.write(`${JSON.stringify({ gc: gcPauses, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
  gcPauses = {};
  cpuSince = process.cpuUsage();
});
asks.on("close", () => process.exit(0));
