import { afterAll, describe, expect, it } from "vitest";
import { PostgresTestSchemas, postgresTestUrl, probePostgres } from "../store/postgresHarness.js";
import { endToEndTestTimeoutMs } from "../support/until.js";
import { FakeClock, type Post } from "../watch/watchHarness.js";
import { LoopbackFleet, Replica } from "./replicaFleet.js";

const postgres = await probePostgres();
const suiteName = postgres.available
  ? "three bot replicas on one PostgreSQL"
  : `three bot replicas on one PostgreSQL (SKIPPED: no PostgreSQL answering: ${postgres.reason})`;

const ttlMs = 2000;
const stepMs = 1000;

/**
 * Three replicas (each with its own connection pool, leases, fleet client,
 * watcher and Delivery, in this process) watch 50 real agent servers on
 * loopback in 10 clusters, on one fake clock that moves a second per step
 * (poll every 1 s, stalled after 10 s, lease TTL 2 s). The replica holding the
 * stalled nodes is killed mid-incident: its timers stop, its leases are not
 * given back.
 */
describe.skipIf(!postgres.available)(suiteName, () => {
  const schemas = new PostgresTestSchemas();
  let fleet: LoopbackFleet | undefined;
  const replicas: Replica[] = [];
  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.close()));
    await fleet?.close();
    await schemas.dropAll();
  });

  it("alerts and recovers every stalled node exactly once across a crash; survivors take over within the TTL", {
    timeout: endToEndTestTimeoutMs,
  }, async () => {
    const clock = new FakeClock(Date.parse("2026-11-25T03:00:00.000Z"));
    fleet = await LoopbackFleet.start({
      clusters: 10,
      nodesPerCluster: 5,
      now: clock.now,
      watch: { pollInterval: stepMs, stallAfter: 10 * stepMs, clearAfterPolls: 2 },
    });
    const schema = schemas.name();
    for (const id of ["replica-a", "replica-b", "replica-c"]) {
      replicas.push(new Replica(id, { config: fleet.config, url: postgresTestUrl, schema, ttlMs, now: clock.now }));
    }
    await Promise.all(replicas.map((r) => r.store.ready()));
    await replicas[0]?.subscribe(clock.now());

    let live = [...replicas];
    const lastRound = new Map<string, number>();
    /** One second of every live replica's life: a lease round, then a poll of its clusters and the sends due. */
    const step = async () => {
      await Promise.all(
        live.map(async (r) => {
          await r.leases.tick();
          lastRound.set(r.id, clock.ms);
        }),
      );
      await Promise.all(
        live.map(async (r) => {
          await r.watcher.pollAll();
          await r.watcher.idle();
        }),
      );
      clock.advance(stepMs);
    };
    const posts = (): Post[] => replicas.flatMap((r) => r.delivery.posts);
    const opened = (node: string) => posts().filter((p) => p.reply.text.startsWith(`${node}: scan stalled`));
    const recovered = (node: string) => posts().filter((p) => p.reply.text.startsWith(`Recovered: ${node}`));
    const stepUntil = async (done: () => boolean, most: number) => {
      for (let i = 0; i < most && !done(); i++) await step();
      return done();
    };

    // Leases settle: every cluster held by exactly one replica, none above ceil(10 / 3) = 4.
    for (let i = 0; i < 3; i++) await step();
    const all = fleet.clusterNames();
    expect(replicas.flatMap((r) => r.leases.held()).sort()).toEqual(all);
    for (const r of replicas) expect(r.leases.held().length).toBeLessThanOrEqual(4);

    const [victim, ...survivors] = replicas as [Replica, ...Replica[]];
    const orphaned = victim.leases.held();
    const stalled = orphaned.flatMap((c, i) => fleet?.nodesOf(c).slice(0, i === 0 ? 3 : 1) ?? []);
    for (const node of stalled) fleet.simulators.get(node)?.setScenario("stalled");

    expect(await stepUntil(() => stalled.every((n) => opened(n).length > 0), 20)).toBe(true);
    expect(stalled.every((n) => recovered(n).length === 0)).toBe(true);

    // The crash: the victim stops dead (no lease round, no poll, leases stay in the table).
    victim.leases.halt();
    live = survivors;
    const renewedLast = lastRound.get(victim.id) ?? 0;
    const takenOver = () => orphaned.every((c) => survivors.some((r) => r.leases.holds(c)));
    expect(await stepUntil(takenOver, 10)).toBe(true);
    const takeoverMs = (lastRound.get(survivors[0]?.id ?? "") ?? 0) - renewedLast;
    expect(takeoverMs).toBeLessThanOrEqual(ttlMs);
    expect(takeoverMs).toBeGreaterThan(0);

    // The survivors watch the still-stalled nodes long enough to see the stall themselves: no second alert.
    for (let i = 0; i < 12; i++) await step();
    for (const node of fleet.simulators.keys()) fleet.simulators.get(node)?.setScenario("healthy");
    expect(await stepUntil(() => stalled.every((n) => recovered(n).length > 0), 10)).toBe(true);
    for (let i = 0; i < 5; i++) await step();

    for (const node of stalled) {
      expect(opened(node), node).toHaveLength(1);
      expect(recovered(node), node).toHaveLength(1);
      // The recovery came from a survivor, in the thread of the opening the victim's delivery may have posted.
      expect(victim.delivery.posts.filter((p) => p.reply.text.startsWith(`Recovered: ${node}`))).toEqual([]);
      expect(recovered(node)[0]?.options.threadOf?.messageId).toBe(opened(node)[0]?.message.messageId);
    }
    const incidents = await survivors[0]?.store.listIncidents();
    expect(incidents?.map((i) => [i.node, i.kind, i.resolvedAt !== null]).sort()).toEqual(
      stalled.map((n) => [n, "stalled", true]).sort(),
    );

    // Leases end up spread over the survivors: all ten held, none above ceil(10 / 2) = 5.
    expect(survivors.flatMap((r) => r.leases.held()).sort()).toEqual(all);
    for (const r of survivors) expect(r.leases.held().length).toBeLessThanOrEqual(5);
    // Every node was polled by someone after the crash; the victim polled nothing more.
    const victimPolls = victim.polls;
    await step();
    expect(victim.polls).toBe(victimPolls);
    expect(survivors.reduce((n, r) => n + r.polls, 0)).toBeGreaterThan(0);
  });
});
