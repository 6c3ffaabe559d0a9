import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { buildWatcher, FakeClock, RecordingDelivery, runMinutes, SimulatedFleet, subscribe } from "./watchHarness.js";

/** A stop needs up to five minutes to reach every node: what happens on the way is not an incident. */
describe("watcher around a stop of the scan", () => {
  const store = new SqliteStore(":memory:");
  afterEach(async () => {
    await store.close();
  });

  it("holds a service-stopped alert while a stop ripples through the cluster, and raises it once the grace is over", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [
      // The stop reaches scan-01 first; scan-02's service goes down a minute later; scan-03 still scans.
      { node: "scan-01", timeline: [{ atSeconds: 300, scenario: "idle" }] },
      { node: "scan-02", timeline: [{ atSeconds: 360, scenario: "service-stopped" }] },
      { node: "scan-03" },
    ]);
    await subscribe(store);
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery);
    await runMinutes(watcher, clock, 10);
    // Minutes 6–9 are within five minutes of the stop first seen at minute 5.
    expect(delivery.posts).toEqual([]);
    await runMinutes(watcher, clock, 2);
    expect(delivery.texts()).toEqual([expect.stringMatching(/^scan-02: scanner service stopped/)]);
  });

  it("a stop the bot sent itself (noteStop) silences a service going down on a node that was not scanning", async () => {
    const run = async (noteStop: boolean) => {
      const clock = new FakeClock();
      const fleet = new SimulatedFleet(clock, "contoso-prod", [
        { node: "scan-01", scenario: "idle", timeline: [{ atSeconds: 180, scenario: "service-stopped" }] },
        { node: "scan-02" },
      ]);
      const fresh = new SqliteStore(":memory:");
      await subscribe(fresh);
      const delivery = new RecordingDelivery();
      const watcher = buildWatcher(fresh, fleet, delivery);
      await runMinutes(watcher, clock, 2);
      if (noteStop) watcher.noteStop("contoso-prod");
      await runMinutes(watcher, clock, 4);
      const early = delivery.texts();
      await runMinutes(watcher, clock, 3);
      const later = delivery.texts();
      await fresh.close();
      return { early, later };
    };
    const alert = expect.stringMatching(/^scan-01: scanner service stopped/);
    expect(await run(false)).toEqual({ early: [alert], later: [alert] });
    expect(await run(true)).toEqual({ early: [], later: [alert] });
  });
});
