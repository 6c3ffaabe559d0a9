import { describe, expect, it, onTestFinished } from "vitest";
import { watchSectionSchema, watchSettingsFor } from "../../src/config/watchSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import type { WatchLeases } from "../../src/store/leases.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import type { NewNotification, Store } from "../../src/store/store.js";
import { IncidentBook } from "../../src/watch/incidents.js";
import { NotificationSender } from "../../src/watch/notificationSender.js";
import { Watcher } from "../../src/watch/watcher.js";
import { FakeClock, RecordingDelivery, runMinutes, SimulatedFleet, subscribe } from "./watchHarness.js";

/**
 * Settling the notification log's leftovers with several replicas: only claims
 * of replicas that are gone, only in clusters this replica holds, and for a
 * cluster just taken over before anything is sent for it. Leases are faked
 * here (who holds what, who is alive); test/scale runs the same over PostgreSQL.
 */

/** Leases the test sets by hand. */
class FakeLeases implements WatchLeases {
  readonly held = new Set<string>();
  readonly live = new Set<string>();
  /** When set, the next `liveReplicas` call waits for it (a settle caught half-way); later calls do not. */
  gate: Promise<void> | undefined;
  /** Called when a call starts waiting at the gate. */
  onGate: () => void = () => undefined;
  constructor(readonly replicaId: string) {
    this.live.add(replicaId);
  }
  holds(cluster: string): boolean {
    return this.held.has(cluster);
  }
  async liveReplicas(): Promise<string[]> {
    const gate = this.gate;
    this.gate = undefined;
    if (gate) this.onGate();
    await gate;
    return [...this.live];
  }
}

const at = "2026-11-25T01:00:00.000Z";

describe("settling leftover notification claims", () => {
  const memoryStore = () => {
    const store = new SqliteStore(":memory:");
    onTestFinished(() => store.close());
    return store;
  };

  /** A stall on scan-01 that has cleared: its opening went out (by `openedBy`), its recovery is due. */
  async function resolvedIncident(store: Store, cluster = "contoso-prod", openedBy = "replica-old") {
    const { incident } = await store.openIncident({
      node: cluster === "contoso-prod" ? "scan-01" : `${cluster}-scan-01`,
      cluster,
      kind: "stalled",
      summary: "No scan progress for 30m",
      since: at,
      openedAt: at,
      detail: {},
    });
    const open = `open:${incident.id}:slack:C0SCANOPS`;
    await claim(store, { key: open, kind: "open", incidentId: incident.id, cluster, claimedBy: openedBy });
    await store.completeNotification(open, { messageId: "m-open" }, at);
    await store.resolveIncident(incident.id, at);
    return { incident, recoveryKey: `recovery:${incident.id}:slack:C0SCANOPS` };
  }

  function claim(
    store: Store,
    n: Pick<NewNotification, "key" | "kind" | "incidentId" | "cluster" | "claimedBy">,
  ): Promise<boolean> {
    return store.claimNotification({ ...n, platform: "slack", conversationId: "C0SCANOPS", createdAt: at });
  }

  function book(store: Store, leases: WatchLeases): IncidentBook {
    const clock = new FakeClock();
    return new IncidentBook({
      store,
      sender: new NotificationSender({
        store,
        deliveries: {},
        logger: silentLogger(),
        now: clock.now,
        replicaId: leases.replicaId,
      }),
      settingsFor: (cluster) => watchSettingsFor(watchSectionSchema.parse({}), cluster),
      now: clock.now,
      logger: silentLogger(),
      leases,
      sendsFor: (cluster) => leases.holds(cluster),
    });
  }

  function watcher(store: Store, fleet: SimulatedFleet, delivery: RecordingDelivery, leases: FakeLeases): Watcher {
    return new Watcher({
      store,
      probe: fleet.probe,
      targets: () => fleet.targets().filter((t) => leases.holds(t.cluster)),
      section: watchSectionSchema.parse({}),
      deliveries: { slack: delivery },
      logger: silentLogger(),
      now: fleet.clock.now,
      channelIntervalMs: 0,
      sleep: async () => {},
      leases,
    });
  }

  /** scan-01's stall has cleared and `claimedBy` claimed its recovery; a watcher for replica-new over it. */
  async function recoveryClaimedBy(claimedBy: string) {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01" }]);
    const store = memoryStore();
    await subscribe(store);
    const { incident, recoveryKey } = await resolvedIncident(store);
    const cluster = "contoso-prod";
    await claim(store, { key: recoveryKey, kind: "recovery", incidentId: incident.id, cluster, claimedBy });
    const leases = new FakeLeases("replica-new");
    const delivery = new RecordingDelivery();
    return { clock, store, incident, recoveryKey, leases, delivery, w: watcher(store, fleet, delivery, leases) };
  }

  it("settles only gone replicas' claims in the clusters asked for (held ones), and leaves live ones alone", async () => {
    const store = memoryStore();
    const leases = new FakeLeases("replica-new");
    leases.held.add("contoso-prod");
    leases.live.add("replica-busy");
    const { incident } = await store.openIncident({
      node: "scan-01",
      cluster: "contoso-prod",
      kind: "stalled",
      summary: "s",
      since: at,
      openedAt: at,
      detail: {},
    });
    const prod = { incidentId: incident.id, cluster: "contoso-prod" };
    await claim(store, { ...prod, key: "open:dead", kind: "open", claimedBy: "replica-dead" });
    await claim(store, { ...prod, key: "recovery:dead", kind: "recovery", claimedBy: "replica-dead" });
    await claim(store, { ...prod, key: "reminder:busy", kind: "reminder", claimedBy: "replica-busy" });
    await claim(store, { ...prod, key: "recovery:mine", kind: "recovery", claimedBy: "replica-new" });
    await claim(store, {
      key: "finished:contoso-dr:x",
      kind: "finished",
      incidentId: null,
      cluster: "contoso-dr",
      claimedBy: "replica-dead",
    });
    await claim(store, { key: "open:legacy", kind: "open", incidentId: null, cluster: null, claimedBy: null });
    const settle = book(store, leases);

    expect(await settle.settleOrphans(["contoso-prod"])).toEqual({ abandoned: 1, released: 1 });
    const state = async (key: string) => (await store.getNotification(key))?.state ?? "released";
    expect(await state("open:dead")).toBe("abandoned");
    expect(await state("recovery:dead")).toBe("released");
    // A live replica's send in flight, our own, another cluster's, and the pre-upgrade row: untouched.
    expect(await state("reminder:busy")).toBe("pending");
    expect(await state("recovery:mine")).toBe("pending");
    expect(await state("finished:contoso-dr:x")).toBe("pending");
    expect(await state("open:legacy")).toBe("pending");

    // Every held cluster (what a start settles): the row without a cluster too, still not contoso-dr (not held).
    expect(await settle.settleOrphans()).toEqual({ abandoned: 1, released: 0 });
    expect(await state("open:legacy")).toBe("abandoned");
    expect(await state("finished:contoso-dr:x")).toBe("pending");

    // The busy replica dies: its reminder is abandoned now, never twice.
    leases.live.delete("replica-busy");
    expect(await settle.settleOrphans(["contoso-prod"])).toEqual({ abandoned: 1, released: 0 });
    expect(await settle.settleOrphans(["contoso-prod"])).toEqual({ abandoned: 0, released: 0 });
    expect(await state("reminder:busy")).toBe("abandoned");
    expect(await state("recovery:mine")).toBe("pending");
  });

  it("sends nothing for a cluster while its takeover settles, then the dead holder's recovery exactly once", async () => {
    // The old holder claimed the recovery and died before posting it.
    const { clock, store, incident, recoveryKey, leases, delivery, w } = await recoveryClaimedBy("replica-old");
    await w.load();
    const claims: string[] = [];
    const claimNotification = store.claimNotification.bind(store);
    store.claimNotification = (n) => {
      claims.push(n.key);
      return claimNotification(n);
    };

    // The lease is taken; the takeover's settle is caught reading who is alive, and a poll with its notify
    // pass runs meanwhile (its own settle may release the row: still nothing may be claimed until the takeover's ends).
    let open: () => void = () => undefined;
    leases.gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const caught = new Promise<void>((resolve) => {
      leases.onGate = resolve;
    });
    leases.held.add("contoso-prod");
    const adoption = w.adoptClusters(["contoso-prod"]);
    await caught;
    await w.pollAll();
    await w.idle();
    expect(claims).toEqual([]);
    open();
    await adoption;
    expect(await store.getNotification(recoveryKey)).toBeUndefined();

    await runMinutes(w, clock, 3);
    expect(delivery.texts()).toEqual([expect.stringMatching(/^Recovered: scan-01/)]);
    expect(delivery.posts[0]?.options.threadOf?.messageId).toBe("m-open");
    expect(await store.getNotification(recoveryKey)).toMatchObject({ state: "sent", claimedBy: "replica-new" });
    expect((await store.getIncident(incident.id))?.recoveryDone).toBe(true);
    await w.stop();
  });

  it("leaves a live replica's pending recovery alone however often it polls, and sends it once that replica is gone", async () => {
    // Another replica handed the cluster back and is still posting this recovery.
    const { clock, store, incident, recoveryKey, leases, delivery, w } = await recoveryClaimedBy("replica-busy");
    leases.live.add("replica-busy");
    leases.held.add("contoso-prod");
    await w.adoptClusters(["contoso-prod"]);
    await runMinutes(w, clock, 5);
    expect(delivery.posts).toEqual([]);
    expect(await store.getNotification(recoveryKey)).toMatchObject({ state: "pending", claimedBy: "replica-busy" });
    // Not done: the claim is someone else's and still pending.
    expect((await store.getIncident(incident.id))?.recoveryDone).toBe(false);

    // It dies without posting. No takeover happens (we hold the cluster already): the next poll settles it.
    leases.live.delete("replica-busy");
    await runMinutes(w, clock, 3);
    expect(delivery.texts()).toEqual([expect.stringMatching(/^Recovered: scan-01/)]);
    expect((await store.getIncident(incident.id))?.recoveryDone).toBe(true);
    await w.stop();
  });

  it("sends nothing for clusters it does not hold", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01" }]);
    const store = memoryStore();
    await subscribe(store);
    const { incident } = await resolvedIncident(store, "contoso-dr");
    const leases = new FakeLeases("replica-new");
    leases.held.add("contoso-prod");
    const delivery = new RecordingDelivery();
    const w = watcher(store, fleet, delivery, leases);
    await w.pollAll();
    await w.idle();
    expect(delivery.posts).toEqual([]);
    expect((await store.getIncident(incident.id))?.recoveryDone).toBe(false);
    leases.held.add("contoso-dr");
    await w.pollAll();
    await w.idle();
    expect(delivery.texts()).toEqual([expect.stringMatching(/^Recovered: contoso-dr-scan-01/)]);
    await w.stop();
  });
});
