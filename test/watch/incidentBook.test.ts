import { afterEach, describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/delivery/delivery.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import {
  buildWatcher,
  FakeClock,
  finishedScan,
  incidentBookOver,
  RecordingDelivery,
  runMinutes,
  SimulatedFleet,
  subscribe,
} from "./watchHarness.js";

describe("the incident book's promises", () => {
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  const memoryStore = () => {
    const s = new SqliteStore(":memory:");
    stores.push(s);
    return s;
  };

  it("resolves an incident only after clearAfterPolls healthy polls in a row, not at the first one", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01" }]);
    const store = memoryStore();
    await subscribe(store);
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery, { clearAfterPolls: 3, unreachableAfterPolls: 2 });
    fleet.down.add("scan-01");
    await runMinutes(watcher, clock, 3);
    expect(delivery.texts()).toEqual([expect.stringMatching(/^scan-01: agent unreachable/)]);
    fleet.down.delete("scan-01");
    await runMinutes(watcher, clock, 2);
    expect(delivery.posts).toHaveLength(1);
    expect((await store.listIncidents({ open: true })).map((i) => i.kind)).toEqual(["unreachable"]);
    await runMinutes(watcher, clock, 1);
    expect(delivery.texts()[1]).toMatch(/^Recovered: scan-01 agent unreachable/);
    expect(await store.listIncidents({ open: true })).toEqual([]);
  });

  it("posts a cluster's alerts only where that cluster (or every cluster) is watched, whatever the name's case", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01" }]);
    const store = memoryStore();
    await subscribe(store, "C-PROD", "CONTOSO-PROD");
    await subscribe(store, "C-EMEA", "contoso-emea");
    await subscribe(store, "C-ALL", "*");
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery, { unreachableAfterPolls: 2 });
    fleet.down.add("scan-01");
    await runMinutes(watcher, clock, 3);
    expect(delivery.posts.map((p) => p.to.conversationId).sort()).toEqual(["C-ALL", "C-PROD"]);
  });

  it("tells only the conversations that saw the alert that it cleared, and keeps the article section on the incident", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01", scenario: "stalled" }]);
    const store = memoryStore();
    await subscribe(store, "C-SEEN");
    await subscribe(store, "C-FAILED");
    const delivery = new RecordingDelivery();
    delivery.failures.set("C-FAILED", [new DeliveryError("failed", "channel_not_found")]);
    const watcher = buildWatcher(store, fleet, delivery);
    await runMinutes(watcher, clock, 40);
    const [incident] = await store.listIncidents({ open: true });
    expect(incident?.detail.kbId).toBe("stuck-scanner-processes");
    fleet.nodes.get("scan-01")?.setScenario("healthy");
    await runMinutes(watcher, clock, 5);
    expect(delivery.posts.map((p) => [p.to.conversationId, p.reply.text.split(":")[0]])).toEqual([
      ["C-SEEN", "scan-01"],
      ["C-SEEN", "Recovered"],
    ]);
    expect((await store.listIncidents())[0]).toMatchObject({ recoveryDone: true });
  });

  it("announces a finished scan once per cycle and conversation, and the next cycle again", async () => {
    const clock = new FakeClock();
    const store = memoryStore();
    await subscribe(store, "C-FIN", "*", true);
    await subscribe(store, "C-QUIET", "*", false);
    const delivery = new RecordingDelivery();
    const book = incidentBookOver(store, clock, delivery);
    const scan = finishedScan;
    await book.announceFinished(scan("2026-11-25T00:00:00.000Z", "2026-11-25T06:00:00.000Z"));
    await book.announceFinished(scan("2026-11-25T00:00:00.000Z", "2026-11-25T06:01:00.000Z"));
    await book.announceFinished(scan("2026-11-26T00:00:00.000Z", "2026-11-26T05:00:00.000Z"));
    expect(delivery.posts.map((p) => p.to.conversationId)).toEqual(["C-FIN", "C-FIN"]);
    expect(delivery.texts()).toEqual([
      expect.stringContaining("contoso-prod"),
      expect.stringContaining("contoso-prod"),
    ]);
  });
});
