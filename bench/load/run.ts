/**
 * Load: a burst of signed slash commands (`help`, `explain <text>`, `status`,
 * `status <node>`) through the real Slack HTTP receiver and the real commands,
 * over real agents on loopback. Reports acks, lost and duplicated answers,
 * the fleet's concurrency against its limit, ack latency, and the heap
 * before and after (garbage collected before each reading).
 *
 *   npm run bench:load [-- --total 1000 --rounds 3 --nodes 3 --concurrency 4 --agent-delay-ms 5 --client process
 *                          --mix help,explain,status,status-node]
 *
 * `--client process` (default) sends from a child process, so the ack times
 * are the bot's; `--client in-process` sends from the bot's own process.
 *
 * Each round is one burst of --total commands sent at once; the heap is read
 * after every round (GC first), so a leak shows as growth that keeps going.
 *
 * Exits 1 when a request was not acknowledged, an answer was lost or sent
 * twice, or the fleet went above its limit.
 */
import { parseArgs } from "node:util";
import { type CommandKind, commandKinds, percentile, runSlackBurst } from "../../test/load/slackBurst.js";

const { values } = parseArgs({
  options: {
    total: { type: "string", default: "1000" },
    nodes: { type: "string", default: "3" },
    concurrency: { type: "string", default: "4" },
    "agent-delay-ms": { type: "string", default: "5" },
    rounds: { type: "string", default: "3" },
    client: { type: "string", default: "process" },
    mix: { type: "string", default: commandKinds.join(",") },
  },
});

const total = Number(values.total);
const result = await runSlackBurst({
  total,
  nodes: Number(values.nodes),
  concurrency: Number(values.concurrency),
  agentDelayMs: Number(values["agent-delay-ms"]),
  rounds: Number(values.rounds),
  client: values.client === "in-process" ? "in-process" : "process",
  mix: String(values.mix)
    .split(",")
    .filter((kind): kind is CommandKind => (commandKinds as readonly string[]).includes(kind)),
  settleTimeoutMs: 120_000,
});

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(1)} ms`;
const rows: [string, string][] = [
  ["requests sent", String(result.sent)],
  ["acknowledged (200)", String(result.acked)],
  ["answered in the ack (help, explain)", String(result.answeredInAck)],
  ["delayed answers received / expected", `${result.delayedReceived} / ${result.delayedExpected}`],
  ["lost", String(result.lost.length)],
  ["answered twice", String(result.duplicates)],
  ["agent calls", String(result.agentCalls)],
  ["most agent calls in flight (limit)", `${result.maxAgentInFlight} (${result.concurrencyLimit})`],
  ["most fleet calls running, sampled (limit)", `${result.maxFleetRunning} (${result.concurrencyLimit})`],
  ["ack p50 / p95 / p99 / max", [50, 95, 99, 100].map((p) => ms(percentile(result.ackMs, p))).join(" / ")],
  ["burst to last answer", ms(result.totalMs)],
  ["throughput", `${((result.sent / result.totalMs) * 1000).toFixed(0)} commands/s`],
  [
    `heap before, after each round${result.gcForced ? " (after GC)" : " (no GC available)"}`,
    [result.heapBeforeBytes, ...result.heapAfterRounds].map(mb).join(" → "),
  ],
];
const width = Math.max(...rows.map(([label]) => label.length));
process.stdout.write(
  `Slack burst: ${result.sent} slash commands (${values.rounds} × ${total} at once: ${values.mix}; sent from ${values.client === "in-process" ? "the bot's process" : "a child process"}), node ${process.version}\n`,
);
for (const [label, value] of rows) process.stdout.write(`  ${label.padEnd(width)}  ${value}\n`);
for (const line of result.lost.slice(0, 10)) process.stdout.write(`  lost: ${line}\n`);

const failed =
  result.acked !== result.sent ||
  result.lost.length > 0 ||
  result.duplicates > 0 ||
  result.maxAgentInFlight > result.concurrencyLimit ||
  result.maxFleetRunning > result.concurrencyLimit;
process.exitCode = failed ? 1 : 0;
