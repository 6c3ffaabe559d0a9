import { afterAll, describe, expect, it } from "vitest";
import { removeSimulatedReportFolders } from "../../agent/simulator/scannerSimulator.js";
import type { ConversationAddress, PostedMessage, PostOptions } from "../../src/delivery/delivery.js";
import type { Reply } from "../../src/reply/reply.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { buildWatcher, FakeClock, RecordingDelivery, SimulatedFleet, subscribe } from "./watchHarness.js";

afterAll(() => removeSimulatedReportFolders());

/** Holds the first post whose text starts with `prefix` until `release()`. */
class HeldDelivery extends RecordingDelivery {
  private gate: Promise<void> | undefined;
  release: () => void = () => undefined;
  hold(prefix: string): void {
    this.prefix = prefix;
    this.gate = new Promise((resolve) => {
      this.release = resolve;
    });
  }
  private prefix = "";
  override async post(to: ConversationAddress, reply: Reply, options: PostOptions = {}): Promise<PostedMessage> {
    if (this.gate && reply.text.startsWith(this.prefix)) {
      const gate = this.gate;
      this.gate = undefined;
      await gate;
    }
    return super.post(to, reply, options);
  }
}

describe("the watcher's sends", () => {
  it("sends an alert that fell due while a send pass was busy once that pass ends, not one poll later", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [
      { node: "scan-01", scenario: "database-error" },
      { node: "scan-02" },
    ]);
    const store = new SqliteStore(":memory:");
    try {
      await subscribe(store);
      const delivery = new HeldDelivery();
      delivery.hold("scan-01");
      const watcher = buildWatcher(store, fleet, delivery, { unreachableAfterPolls: 1 });
      // scan-01's alert opens a send pass, which waits on the chat platform.
      await watcher.pollAll();
      // Meanwhile scan-02's agent stops answering, and the next poll opens its incident.
      fleet.down.add("scan-02");
      clock.advance(60_000);
      await watcher.pollAll();
      const open = await store.listIncidents({ open: true });
      expect(open.map((i) => i.node).sort()).toEqual(["scan-01", "scan-02"]);
      expect(delivery.texts()).toEqual([]);

      delivery.release();
      await watcher.idle();
      expect(
        delivery
          .texts()
          .map((t) => t.split(":")[0])
          .sort(),
      ).toEqual(["scan-01", "scan-02"]);
      await watcher.stop();
    } finally {
      await store.close();
    }
  });
});
