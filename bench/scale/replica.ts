/**
 * One bot replica of the scale benchmark, in its own process: joins the
 * lease table, waits until the agreed start (the leases have settled by then), then polls the clusters it
 * holds back to back for the measured time and prints one JSON line with
 * what it did. Its settings come as JSON in SCALE_REPLICA (set by run.ts).
 */
import { z } from "zod";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { Replica } from "../../test/scale/replicaFleet.js";

const settingsSchema = z.object({
  id: z.string(),
  url: z.string(),
  schema: z.string(),
  clusters: z.array(z.unknown()),
  /** Epoch ms when every replica starts measuring, so their windows line up. */
  startAt: z.number(),
  measureMs: z.number(),
  ttlMs: z.number(),
});
const settings = settingsSchema.parse(JSON.parse(process.env.SCALE_REPLICA ?? "{}"));
const config = botConfigSchema.parse({
  fleet: { timeout: 10_000, concurrency: 64, perClusterConcurrency: 16 },
  clusters: settings.clusters,
  watch: { pollInterval: 1000 },
});

const replica = new Replica(settings.id, {
  config,
  url: settings.url,
  schema: settings.schema,
  ttlMs: settings.ttlMs,
});
await replica.store.ready();
replica.leases.start();
await new Promise((resolve) => setTimeout(resolve, Math.max(0, settings.startAt - Date.now())));
const held = replica.leases.held();

const started = performance.now();
const before = replica.polls;
let cycles = 0;
while (performance.now() - started < settings.measureMs) {
  // With nothing held there is no I/O to wait on: pause instead of starving the lease timer.
  if (replica.leases.held().length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
  else await replica.watcher.pollAll();
  cycles++;
}
const elapsedMs = performance.now() - started;
const polls = replica.polls - before;
await replica.watcher.idle();
await replica.leases.stop();
await replica.close();
process.stdout.write(`${JSON.stringify({ id: settings.id, polls, cycles, elapsedMs, held: held.length })}\n`);
