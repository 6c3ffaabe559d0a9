import { describe, expect, it } from "vitest";
import { watchSectionSchema } from "../../src/config/watchSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { Watcher } from "../../src/watch/watcher.js";
import { FakeClock, RecordingDelivery, SimulatedFleet, subscribe } from "../watch/watchHarness.js";

const minute = 60_000;

/**
 * A cluster moving between replicas (a lease taken over) on one store: the
 * replica that takes it must judge the node by the history the previous
 * holder saved, not by what it remembers from holding the cluster earlier.
 */
describe("taking a cluster over from another replica", () => {
  it("neither resolves a stall nor re-alerts because of an old in-memory history", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01" }]);
    const store = new SqliteStore(":memory:");
    await subscribe(store);
    let holder = "b";
    const replica = (id: string) => {
      const delivery = new RecordingDelivery();
      const watcher = new Watcher({
        store,
        probe: fleet.probe,
        targets: () => (holder === id ? fleet.targets() : []),
        section: watchSectionSchema.parse({}),
        deliveries: { slack: delivery },
        logger: silentLogger(),
        now: clock.now,
        channelIntervalMs: 0,
        sleep: async () => {},
      });
      return { watcher, delivery };
    };
    const a = replica("a");
    const b = replica("b");
    const minutes = async (count: number) => {
      for (let m = 0; m < count; m++) {
        for (const r of [a, b]) {
          await r.watcher.pollAll();
          await r.watcher.idle();
        }
        clock.advance(minute);
      }
    };
    const texts = () => [...a.delivery.texts(), ...b.delivery.texts()];

    // b holds the cluster while the scan runs, then a takes it over and sees the node stall.
    await minutes(10);
    holder = "a";
    fleet.nodes.get("scan-01")?.setScenario("stalled");
    await minutes(40);
    expect(a.delivery.texts()).toEqual([expect.stringMatching(/^scan-01: scan stalled/)]);

    // b takes it back. Its memory says the counters were lower 40 minutes ago: that is not progress.
    holder = "b";
    await b.watcher.adoptClusters(["contoso-prod"]);
    await minutes(10);
    expect(texts()).toHaveLength(1);
    expect(await store.listIncidents({ open: true })).toHaveLength(1);

    fleet.nodes.get("scan-01")?.setScenario("healthy");
    await minutes(4);
    expect(b.delivery.texts()).toEqual([expect.stringMatching(/^Recovered: scan-01/)]);
    expect(texts()).toHaveLength(2);
    await a.watcher.stop();
    await b.watcher.stop();
    await store.close();
  });
});
