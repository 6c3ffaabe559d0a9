import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import type { Store } from "../../src/store/store.js";
import { buildWatcher, FakeClock, RecordingDelivery, runMinutes, SimulatedFleet, subscribe } from "./watchHarness.js";

/**
 * An incident clears only on evidence: a node whose agent stops answering is
 * unreachable (its own incident), and every incident already open on it stays
 * open, acknowledged or not, until a poll that reached the agent shows the
 * problem gone. An agent that comes back still failing continues the incident.
 */
describe("incidents clear only on evidence", () => {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  /** A subscribed channel, a watcher over simulated nodes of contoso-prod, and the clock that drives them. */
  async function watching(
    specs: ConstructorParameters<typeof SimulatedFleet>[2],
    section: Parameters<typeof buildWatcher>[3] = {},
  ) {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", specs);
    const store = new SqliteStore(":memory:");
    stores.push(store);
    await subscribe(store);
    const delivery = new RecordingDelivery();
    return { clock, fleet, store, delivery, watcher: buildWatcher(store, fleet, delivery, section) };
  }

  it("an error incident survives the agent going silent and coming back still failing: same id, ack kept, no new alert", async () => {
    const { clock, fleet, store, delivery, watcher } = await watching([
      { node: "scan-01", scenario: "database-error" },
    ]);

    await runMinutes(watcher, clock, 3);
    expect(delivery.texts()).toEqual([expect.stringMatching(/^scan-01: scanner error/)]);
    const [error] = await store.listIncidents({ open: true });
    expect(error?.kind).toBe("error_state");
    expect(await store.ackIncident(error?.id ?? 0, "slack:U2 (ana)", clock.now().toISOString())).toBe(true);

    // The agent stops answering for ten minutes.
    fleet.down.add("scan-01");
    await runMinutes(watcher, clock, 10);
    expect(delivery.texts().slice(1)).toEqual([expect.stringMatching(/^scan-01: agent unreachable/)]);
    expect(delivery.texts().some((t) => t.startsWith("Recovered"))).toBe(false);
    expect(watcher.assessment("scan-01")?.state).toBe("unreachable");
    const during = await store.getIncident(error?.id ?? 0);
    expect(during).toMatchObject({ resolvedAt: null, ackedBy: "slack:U2 (ana)" });

    // It answers again, still in error: the unreachable incident recovers, the error incident goes on.
    fleet.down.delete("scan-01");
    await runMinutes(watcher, clock, 5);
    const after = delivery.texts().slice(2);
    expect(after).toEqual([expect.stringMatching(/^Recovered: scan-01 agent unreachable \(#\d+\)/)]);
    const open = await store.listIncidents({ open: true });
    expect(open.map((i) => [i.id, i.kind, i.ackedBy])).toEqual([[error?.id, "error_state", "slack:U2 (ana)"]]);
    expect(await store.listIncidents()).toHaveLength(2);

    // Only when a reachable poll shows the error gone is it posted as recovered, naming the incident, in its thread.
    fleet.nodes.get("scan-01")?.setScenario("healthy");
    await runMinutes(watcher, clock, 40);
    const recovery = delivery.posts.find((p) => p.reply.text.includes(`(#${error?.id})`));
    expect(recovery?.reply.text).toMatch(new RegExp(`^Recovered: scan-01 scanner error \\(#${error?.id}\\)`));
    expect(recovery?.options.threadOf?.messageId).toBe(delivery.posts[0]?.message.messageId);
    expect(await store.listIncidents({ open: true })).toEqual([]);
  });

  it("a service-stopped incident is not recovered by silence and continues when the agent returns with the service still stopped", async () => {
    const { clock, fleet, store, delivery, watcher } = await watching([
      { node: "scan-01", timeline: [{ atSeconds: 300, scenario: "service-stopped" }] },
      { node: "scan-02" },
    ]);

    await runMinutes(watcher, clock, 20);
    expect(delivery.texts()).toEqual([expect.stringMatching(/^scan-01: scanner service stopped/)]);
    const [stopped] = await store.listIncidents({ open: true });

    fleet.down.add("scan-01");
    await runMinutes(watcher, clock, 6);
    fleet.down.delete("scan-01");
    await runMinutes(watcher, clock, 6);

    expect(delivery.texts()).toEqual([
      expect.stringMatching(/^scan-01: scanner service stopped/),
      expect.stringMatching(/^scan-01: agent unreachable/),
      expect.stringMatching(/^Recovered: scan-01 agent unreachable/),
    ]);
    const open = await store.listIncidents({ open: true });
    expect(open.map((i) => [i.id, i.kind])).toEqual([[stopped?.id, "service_stopped"]]);
    expect(watcher.assessment("scan-01")?.state).toBe("service-stopped");
  });

  it("a stall the agent comes back to unchanged is the same stall, still shown as stalled", async () => {
    const { clock, fleet, store, delivery, watcher } = await watching([{ node: "scan-01", scenario: "stalled" }]);
    await runMinutes(watcher, clock, 32);
    const [stall] = await store.listIncidents({ open: true });
    expect(stall?.kind).toBe("stalled");
    fleet.down.add("scan-01");
    await runMinutes(watcher, clock, 5);
    fleet.down.delete("scan-01");
    await runMinutes(watcher, clock, 3);
    expect(watcher.assessment("scan-01")?.state).toBe("stalled");
    expect((await store.listIncidents({ open: true })).map((i) => [i.id, i.kind])).toEqual([[stall?.id, "stalled"]]);
    expect(delivery.texts()).toEqual([
      expect.stringMatching(/^scan-01: scan stalled/),
      expect.stringMatching(/^scan-01: agent unreachable/),
      expect.stringMatching(/^Recovered: scan-01 agent unreachable/),
    ]);
  });

  it("keeps reminding about an unacknowledged incident while its node is silent", async () => {
    const { clock, fleet, delivery, watcher } = await watching([{ node: "scan-01", scenario: "database-error" }], {
      reminderEvery: 30 * 60_000,
    });
    await runMinutes(watcher, clock, 2);
    fleet.down.add("scan-01");
    await runMinutes(watcher, clock, 45);
    const texts = delivery.texts();
    expect(texts.filter((t) => t.startsWith("Reminder 1: still open. scan-01: scanner error"))).toHaveLength(1);
    expect(texts.some((t) => t.startsWith("Recovered"))).toBe(false);
  });
});
