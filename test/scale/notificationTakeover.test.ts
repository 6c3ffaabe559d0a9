import { afterAll, describe, expect, it } from "vitest";
import { watchSectionSchema } from "../../src/config/watchSection.js";
import type { ConversationAddress, PostedMessage, PostOptions } from "../../src/delivery/delivery.js";
import { silentLogger } from "../../src/foundation/logger.js";
import type { Reply } from "../../src/reply/reply.js";
import { leasedTargets, PostgresClusterLeases } from "../../src/store/leases.js";
import type { PostgresStore } from "../../src/store/postgresStore.js";
import { Watcher, type WatchProbe } from "../../src/watch/watcher.js";
import { PostgresTestSchemas, probePostgres } from "../store/postgresHarness.js";
import { FakeClock, RecordingDelivery, SimulatedFleet, subscribe } from "../watch/watchHarness.js";

const postgres = await probePostgres();
const suiteName = postgres.available
  ? "notifications in flight when a cluster changes hands (PostgreSQL)"
  : `notifications in flight when a cluster changes hands (SKIPPED: no PostgreSQL answering: ${postgres.reason})`;

const ttlMs = 2000;
const stepMs = 1000;
const watch = watchSectionSchema.parse({ pollInterval: stepMs, stallAfter: 10 * stepMs, clearAfterPolls: 2 });

/**
 * A Delivery whose recovery posts stop half-way (claimed, not yet posted)
 * until the test lets them finish or fail: a replica caught between claim and
 * send, which the test then lets live on or kills.
 */
class GatedDelivery extends RecordingDelivery {
  private gate: { promise: Promise<void>; resolve(): void; reject(err: Error): void } | undefined;
  private onEnter: (() => void) | undefined;
  /** Resolves when a post starting with `prefix` is waiting at the gate. */
  holdPosts(prefix: string): Promise<void> {
    let resolve: () => void = () => undefined;
    let reject: (err: Error) => void = () => undefined;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => undefined);
    this.gate = { promise, resolve, reject };
    this.prefix = prefix;
    return new Promise<void>((entered) => {
      this.onEnter = entered;
    });
  }
  private prefix = "";
  /** The held post goes out. */
  finish(): void {
    this.gate?.resolve();
  }
  /** The held post never goes out (the process died under it). */
  kill(): void {
    this.gate?.reject(new Error("process killed"));
  }
  override async post(to: ConversationAddress, reply: Reply, options: PostOptions = {}): Promise<PostedMessage> {
    if (this.gate && reply.text.startsWith(this.prefix)) {
      this.onEnter?.();
      await this.gate.promise;
    }
    return super.post(to, reply, options);
  }
}

/** A replica as the runtime builds one: its own pool, leases (fake clock), watcher and delivery. */
interface TestReplica {
  id: string;
  store: PostgresStore;
  leases: PostgresClusterLeases;
  watcher: Watcher;
  delivery: GatedDelivery;
}

describe.skipIf(!postgres.available)(suiteName, () => {
  const schemas = new PostgresTestSchemas();
  afterAll(() => schemas.dropAll());

  /** One stalled-then-healthy node per cluster, polled through an in-process probe on the shared fake clock. */
  function fleetOf(clock: FakeClock, clusters: readonly string[]) {
    const fleets = clusters.map((c) => new SimulatedFleet(clock, c, [{ node: `${c}-scan-01` }]));
    const owner = (node: string) => fleets.find((f) => f.nodes.has(node)) ?? fleets[0];
    const probe: WatchProbe = {
      status: (node) => owner(node)?.probe.status(node) ?? Promise.reject(new Error(node)),
      errors: (node) => owner(node)?.probe.errors?.(node) ?? Promise.reject(new Error(node)),
    };
    return {
      probe,
      targets: () => fleets.flatMap((f) => f.targets()),
      setScenario: (node: string, scenario: "stalled" | "healthy") =>
        owner(node)?.nodes.get(node)?.setScenario(scenario),
    };
  }

  function replica(
    id: string,
    schema: string,
    clock: FakeClock,
    clusters: readonly string[],
    fleet: ReturnType<typeof fleetOf>,
  ): TestReplica {
    const store = schemas.store(schema, 3);
    const delivery = new GatedDelivery("slack");
    let watcher: Watcher | undefined;
    const leases = new PostgresClusterLeases({
      store,
      clusters: () => clusters,
      ttlMs,
      replicaId: id,
      now: clock.now,
      // As the runtime wires it: a cluster taken over is adopted (histories, leftover claims) at once.
      onChange: async (change) => {
        if (change.acquired.length > 0) await watcher?.adoptClusters(change.acquired);
      },
    });
    watcher = new Watcher({
      store,
      probe: fleet.probe,
      targets: leasedTargets(fleet.targets, leases),
      section: watch,
      deliveries: { slack: delivery },
      logger: silentLogger(),
      now: clock.now,
      channelIntervalMs: 0,
      sleep: async () => {},
      leases,
    });
    return { id, store, leases, watcher, delivery };
  }

  /**
   * One second of the replicas' lives: a lease round each, then a poll of what each holds. Sends are waited
   * for except on replicas whose delivery holds a post (their notify pass is stuck on purpose).
   */
  async function step(clock: FakeClock, replicas: readonly TestReplica[], stuck: ReadonlySet<TestReplica> = new Set()) {
    for (const r of replicas) await r.leases.tick();
    for (const r of replicas) {
      await r.watcher.pollAll();
      if (!stuck.has(r)) await r.watcher.idle();
    }
    clock.advance(stepMs);
  }

  async function stepUntil(done: () => boolean, most: number, run: () => Promise<void>): Promise<boolean> {
    for (let i = 0; i < most && !done(); i++) await run();
    return done();
  }

  /**
   * The node stalls and `holder` alerts; then it clears and `holder` claims the recovery and is caught before
   * posting it (its delivery holds the post). `others` keep stepping alongside. Returns the recovery's key.
   */
  async function recoveryCaughtInFlight(
    clock: FakeClock,
    fleet: ReturnType<typeof fleetOf>,
    node: string,
    holder: TestReplica,
    others: readonly TestReplica[] = [],
  ): Promise<string> {
    const all = [holder, ...others];
    fleet.setScenario(node, "stalled");
    const alerted = () => texts(all, `${node}: scan stalled`).length > 0;
    expect(await stepUntil(alerted, 30, () => step(clock, all))).toBe(true);
    let caught = false;
    const entered = holder.delivery.holdPosts("Recovered:").then(() => {
      caught = true;
    });
    fleet.setScenario(node, "healthy");
    for (let i = 0; i < 10 && !caught; i++) {
      await step(clock, all, new Set([holder]));
      // The holder's notify pass runs on after its step (it is not waited for): wait until it reaches the held
      // post or ends, so a slow machine cannot let the fake clock run ahead of the recovery it is sending.
      await Promise.race([entered, holder.watcher.idle()]);
    }
    expect(caught).toBe(true);
    const [incident] = await holder.store.listIncidents({ node });
    return `recovery:${incident?.id}:slack:C0SCANOPS`;
  }

  /** Steps `running` until someone posted a recovery (at most `most` steps), then three more to let a second show. */
  async function stepPastRecovery(
    clock: FakeClock,
    running: readonly TestReplica[],
    everyone: readonly TestReplica[],
    most: number,
  ) {
    expect(
      await stepUntil(
        () => texts(everyone, "Recovered:").length > 0,
        most,
        () => step(clock, running),
      ),
    ).toBe(true);
    for (let i = 0; i < 3; i++) await step(clock, running);
  }

  const texts = (replicas: readonly TestReplica[], prefix: string) =>
    replicas.flatMap((r) => r.delivery.posts.filter((p) => p.reply.text.startsWith(prefix)));

  it("a replica killed between claiming a recovery and posting it: the one taking the cluster over posts it once", async () => {
    const clock = new FakeClock(Date.parse("2026-11-25T03:00:00.000Z"));
    const clusters = ["contoso-prod"];
    const node = "contoso-prod-scan-01";
    const fleet = fleetOf(clock, clusters);
    const schema = schemas.name();
    const a = replica("replica-a", schema, clock, clusters, fleet);
    const b = replica("replica-b", schema, clock, clusters, fleet);
    await subscribe(a.store);
    const both = [a, b];
    // b has started (its start-up settle ran, over nothing it holds): what it does later is the takeover's doing.
    await b.watcher.load();

    // a holds the only cluster; b runs next to it, holding nothing.
    await step(clock, both);
    expect(a.leases.held()).toEqual(clusters);
    expect(b.leases.held()).toEqual([]);

    // It stalls, a alerts; it clears, a claims the recovery and is caught before posting it.
    const key = await recoveryCaughtInFlight(clock, fleet, node, a, [b]);
    const stuck = new Set([a]);
    expect(await b.store.getNotification(key)).toMatchObject({
      state: "pending",
      claimedBy: "replica-a",
      cluster: "contoso-prod",
    });
    const [incident] = await b.store.listIncidents();

    // b runs next to a and does not hold the cluster yet: a's fresh claim stays as it is (liveness itself is
    // checked below, once b holds the cluster while a is still alive).
    await step(clock, both, stuck);
    expect(await b.store.getNotification(key)).toMatchObject({ state: "pending", claimedBy: "replica-a" });

    // a dies: no more lease rounds, its post never finishes. b takes the cluster over after the TTL.
    const survivors = [b];
    expect(
      await stepUntil(
        () => b.leases.holds("contoso-prod"),
        5,
        () => step(clock, survivors),
      ),
    ).toBe(true);
    await stepPastRecovery(clock, survivors, both, 5);

    const recoveries = texts(both, "Recovered:");
    expect(recoveries).toHaveLength(1);
    expect(b.delivery.posts.filter((p) => p.reply.text.startsWith("Recovered:"))).toHaveLength(1);
    // In the thread of the opening a posted.
    const opening = texts(both, `${node}: scan stalled`)[0];
    expect(recoveries[0]?.options.threadOf?.messageId).toBe(opening?.message.messageId);
    expect(await b.store.getNotification(key)).toMatchObject({ state: "sent", claimedBy: "replica-b" });
    expect((await b.store.getIncident(incident?.id ?? 0))?.recoveryDone).toBe(true);

    // The dead replica's send finally fails: its late report does not touch b's row.
    a.delivery.kill();
    await a.watcher.idle();
    expect(await b.store.getNotification(key)).toMatchObject({ state: "sent", claimedBy: "replica-b" });
    expect(texts(both, "Recovered:")).toHaveLength(1);
    await a.watcher.stop();
    await b.watcher.stop();
  });

  it.each([
    ["finishes the post", "finish"],
    ["dies before posting", "die"],
  ] as const)(
    "a replica that hands a cluster back with a recovery in flight and then %s: posted exactly once",
    async (_, fate) => {
      const clock = new FakeClock(Date.parse("2026-11-25T03:00:00.000Z"));
      // a starts alone and holds both; when b joins, a hands back the later one (contoso-prod) as its extra share.
      const clusters = ["contoso-dr", "contoso-prod"];
      const node = "contoso-prod-scan-01";
      const fleet = fleetOf(clock, clusters);
      const schema = schemas.name();
      const a = replica("replica-a", schema, clock, clusters, fleet);
      await subscribe(a.store);

      await step(clock, [a]);
      expect(a.leases.held()).toEqual(clusters);
      const key = await recoveryCaughtInFlight(clock, fleet, node, a);
      const stuck = new Set([a]);

      // b starts while a is alive and posting; it takes contoso-prod over and must not touch a's claim.
      const b = replica("replica-b", schema, clock, clusters, fleet);
      const both = [a, b];
      expect(
        await stepUntil(
          () => b.leases.holds("contoso-prod"),
          5,
          () => step(clock, both, stuck),
        ),
      ).toBe(true);
      for (let i = 0; i < 3; i++) await step(clock, both, stuck);
      const [incident] = await b.store.listIncidents();
      expect(await b.store.getNotification(key)).toMatchObject({ state: "pending", claimedBy: "replica-a" });
      expect(texts(both, "Recovered:")).toEqual([]);
      expect((await b.store.getIncident(incident?.id ?? 0))?.recoveryDone).toBe(false);

      if (fate === "finish") {
        a.delivery.finish();
        await a.watcher.idle();
        for (let i = 0; i < 3; i++) await step(clock, both);
        expect(a.delivery.posts.filter((p) => p.reply.text.startsWith("Recovered:"))).toHaveLength(1);
        expect(await b.store.getNotification(key)).toMatchObject({ state: "sent", claimedBy: "replica-a" });
      } else {
        // a dies later (no takeover happens now: b already holds the cluster); b's polls settle the claim.
        await stepPastRecovery(clock, [b], both, 6);
        expect(b.delivery.posts.filter((p) => p.reply.text.startsWith("Recovered:"))).toHaveLength(1);
        expect(await b.store.getNotification(key)).toMatchObject({ state: "sent", claimedBy: "replica-b" });
        a.delivery.kill();
        await a.watcher.idle();
      }
      expect(texts(both, "Recovered:")).toHaveLength(1);
      expect((await b.store.getIncident(incident?.id ?? 0))?.recoveryDone).toBe(true);
      await a.watcher.stop();
      await b.watcher.stop();
    },
  );
});
