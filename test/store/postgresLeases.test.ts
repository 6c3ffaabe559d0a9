import { afterAll, describe, expect, it } from "vitest";
import { LocalClusterLeases, leasedTargets, PostgresClusterLeases } from "../../src/store/leases.js";
import type { PostgresStore } from "../../src/store/postgresStore.js";
import { PostgresTestSchemas, probePostgres } from "./postgresHarness.js";

const postgres = await probePostgres();
const suiteName = postgres.available
  ? "cluster leases in PostgreSQL"
  : `cluster leases in PostgreSQL (SKIPPED: no PostgreSQL answering: ${postgres.reason})`;

const clusters = ["c1", "c2", "c3", "c4", "c5", "c6", "c7"];
const ttlMs = 2000;

/** A clock the test moves by hand, shared by every replica. */
class Clock {
  ms = Date.parse("2026-11-25T03:00:00.000Z");
  readonly now = () => new Date(this.ms);
}

describe.skipIf(!postgres.available)(suiteName, () => {
  const schemas = new PostgresTestSchemas();
  afterAll(() => schemas.dropAll());

  /** Replicas on one fresh schema, each with its own connection pool. */
  let lastSchema = "";
  function replicas(count: number, clock: Clock, list: () => readonly string[] = () => clusters) {
    const schema = schemas.name();
    lastSchema = schema;
    return Array.from(
      { length: count },
      (_, i) =>
        new PostgresClusterLeases({
          store: schemas.store(schema, 2),
          clusters: list,
          ttlMs,
          replicaId: `replica-${i + 1}`,
          now: clock.now,
        }),
    );
  }

  /** Every replica runs rounds (all at once, as racing processes would) until nothing changes. */
  async function settle(all: readonly PostgresClusterLeases[]): Promise<void> {
    for (let round = 0; round < 6; round++) {
      const changes = await Promise.all(all.map((r) => r.tick()));
      if (round > 0 && changes.every((c) => c.acquired.length + c.lost.length === 0)) return;
    }
  }

  function expectPartition(all: readonly PostgresClusterLeases[], wanted: readonly string[]) {
    const held = all.flatMap((r) => r.held());
    expect(held.sort()).toEqual([...wanted].sort());
    const share = Math.ceil(wanted.length / all.length);
    for (const r of all) expect(r.held().length).toBeLessThanOrEqual(share);
  }

  async function tableHolders(store: PostgresStore): Promise<Map<string, string>> {
    const rows = await store.query<{ cluster: string; holder: string }>(
      "test",
      "SELECT cluster, holder FROM cluster_leases ORDER BY cluster",
    );
    return new Map(rows.map((r) => [r.cluster, r.holder]));
  }

  it("three replicas starting together split seven clusters, each cluster held once, none above its share", async () => {
    const clock = new Clock();
    const all = replicas(3, clock);
    await settle(all);
    expectPartition(all, clusters);
    // The table agrees with what each replica believes it holds.
    const holders = await tableHolders(schemas.store(lastSchema, 1));
    for (const r of all) for (const c of r.held()) expect(holders.get(c)).toBe(r.replicaId);
  });

  it("a crashed replica's clusters go to the survivors after the TTL, spread across them", async () => {
    const clock = new Clock();
    const all = replicas(3, clock);
    await settle(all);
    const [victim, ...survivors] = all as [PostgresClusterLeases, ...PostgresClusterLeases[]];
    const orphaned = victim.held();
    expect(orphaned.length).toBeGreaterThan(0);
    victim.halt();

    // Within the TTL nobody may take them: the victim could still be working.
    clock.ms += ttlMs - 500;
    await Promise.all(survivors.map((r) => r.tick()));
    expect(survivors.flatMap((r) => r.held()).filter((c) => orphaned.includes(c))).toEqual([]);

    // Its heartbeat lapses with its leases: from then on its unfinished notification claims are leftovers.
    expect(await survivors[0]?.liveReplicas()).toEqual(["replica-1", "replica-2", "replica-3"]);
    clock.ms += 600;
    expect(await survivors[0]?.liveReplicas()).toEqual(["replica-2", "replica-3"]);
    await settle(survivors);
    expectPartition(survivors, clusters);
    expect(victim.holds(orphaned[0] ?? "")).toBe(false);
    // A replica always counts itself alive, even when its own rounds failed (its sends may still be running).
    expect(await victim.liveReplicas()).toEqual(["replica-1", "replica-2", "replica-3"]);
  });

  it("hands leases back on a graceful stop, and sheds extra ones when a replica joins", async () => {
    const clock = new Clock();
    const [a, b, c] = replicas(3, clock) as [PostgresClusterLeases, PostgresClusterLeases, PostgresClusterLeases];
    await settle([a]);
    expect(a.held()).toEqual(clusters);

    await settle([a, b]);
    expectPartition([a, b], clusters);
    await settle([a, b, c]);
    expectPartition([a, b, c], clusters);

    await c.stop();
    expect(c.held()).toEqual([]);
    expect(await a.liveReplicas()).toEqual(["replica-1", "replica-2"]);
    // No TTL to wait for: the others take c's clusters on their next rounds.
    await settle([a, b]);
    expectPartition([a, b], clusters);
  });

  it("follows the configured clusters and filters watch targets to the held ones", async () => {
    const clock = new Clock();
    let list = ["c1", "c2"];
    const [a] = replicas(1, clock, () => list) as [PostgresClusterLeases];
    expect(await a.tick()).toEqual({ acquired: ["c1", "c2"], lost: [] });
    list = ["c2", "c3"];
    expect(await a.tick()).toEqual({ acquired: ["c3"], lost: ["c1"] });
    const targets = leasedTargets(
      () => [
        { node: "scan-01", cluster: "c1" },
        { node: "scan-02", cluster: "c2" },
      ],
      a,
    );
    expect(targets().map((t) => t.node)).toEqual(["scan-02"]);
    // Without a successful round for a TTL the replica stops watching, before anyone else may start.
    clock.ms += ttlMs;
    expect(targets()).toEqual([]);
    const local = new LocalClusterLeases(() => ["c1", "c1", "c2"], "bot-1");
    expect(local.held()).toEqual(["c1", "c2"]);
    expect(await local.liveReplicas()).toEqual(["bot-1"]);
  });
});
