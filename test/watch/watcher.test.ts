import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { removeSimulatedReportFolders } from "../../agent/simulator/scannerSimulator.js";
import { DeliveryError } from "../../src/delivery/delivery.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import type { Store } from "../../src/store/store.js";
import { buildWatcher, FakeClock, RecordingDelivery, runMinutes, SimulatedFleet, subscribe } from "./watchHarness.js";

const minute = 60_000;

afterAll(() => removeSimulatedReportFolders());

describe("Watcher over simulated nodes with a fake clock", () => {
  const stores: Store[] = [];
  const dirs: string[] = [];
  const memoryStore = () => {
    const s = new SqliteStore(":memory:");
    stores.push(s);
    return s;
  };
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("alerts a stall within stallAfter + one poll of the last progress, never before, with the article's steps and buttons", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [
      { node: "scan-01", timeline: [{ atSeconds: 600, scenario: "stalled" }] },
      { node: "scan-02" },
    ]);
    const store = memoryStore();
    await subscribe(store);
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery);
    const stallStart = clock.ms + 10 * minute;
    let alertedAt: number | undefined;
    await runMinutes(watcher, clock, 60, () => {
      if (alertedAt === undefined && delivery.posts.length > 0) alertedAt = clock.ms - minute;
    });
    expect(alertedAt).toBeDefined();
    const latency = (alertedAt ?? 0) - stallStart;
    expect(latency).toBeGreaterThanOrEqual(30 * minute);
    expect(latency).toBeLessThanOrEqual(31 * minute);

    expect(delivery.posts).toHaveLength(1);
    const alert = delivery.posts[0]?.reply;
    expect(alert?.text).toMatch(/^scan-01: scan stalled: No scan progress for 30m/);
    const blocks = JSON.stringify(alert?.blocks);
    expect(blocks).toContain("stuck-scanner-processes");
    expect(blocks).toContain("DetailedReport_");
    expect(blocks).toContain("fs01.contoso.com");
    const actions = alert?.blocks.find((b) => b.kind === "actions");
    expect(actions?.kind === "actions" && actions.actions.map((a) => a.command)).toEqual([
      "diagnose scan-01",
      "errors scan-01",
      expect.stringMatching(/^ack \d+$/),
      "snooze scan-01 1h",
      "snooze scan-01 4h",
    ]);
    expect(watcher.assessment("scan-01")?.state).toBe("stalled");
    expect(watcher.assessment("scan-02")?.state).toBe("scanning");
  });

  it("never alerts a slow-but-alive scan (report still growing) and shows it in the assessment", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01", scenario: "slow-large-file" }]);
    const store = memoryStore();
    await subscribe(store);
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery);
    await runMinutes(watcher, clock, 180);
    expect(delivery.posts).toEqual([]);
    expect(await store.listIncidents()).toEqual([]);
    expect(watcher.assessment("scan-01")).toMatchObject({ state: "slow-but-alive", status: "info" });
  });

  it("does not spam for a flapping agent, and alerts once when it really goes away", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01" }]);
    const store = memoryStore();
    await subscribe(store);
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery);
    await runMinutes(watcher, clock, 120, (m) => {
      // Down two polls out of three for two hours: never three in a row.
      if (m % 3 === 2) fleet.down.delete("scan-01");
      else fleet.down.add("scan-01");
    });
    expect(delivery.posts).toEqual([]);
    await runMinutes(watcher, clock, 30, () => {
      fleet.down.add("scan-01");
    });
    expect(delivery.texts()).toEqual([expect.stringMatching(/^scan-01: agent unreachable/)]);
  });

  it("keeps exactly one alert and one recovery across a restart (new watcher over the same SQLite file)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scanner-bot-watch-"));
    dirs.push(dir);
    const path = join(dir, "scanner-bot.db");
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01", scenario: "stalled" }]);
    const delivery = new RecordingDelivery();

    const first = new SqliteStore(path);
    await subscribe(first);
    const before = buildWatcher(first, fleet, delivery);
    await runMinutes(before, clock, 40);
    expect(delivery.texts()).toEqual([expect.stringMatching(/scan stalled/)]);
    await before.stop();
    await first.close();

    const second = new SqliteStore(path);
    stores.push(second);
    const after = buildWatcher(second, fleet, delivery);
    await runMinutes(after, clock, 20);
    expect(delivery.posts).toHaveLength(1);
    expect(after.assessment("scan-01")?.state).toBe("stalled");

    fleet.nodes.get("scan-01")?.setScenario("healthy");
    await runMinutes(after, clock, 10);
    const [alert, recovery] = delivery.posts;
    expect(delivery.posts).toHaveLength(2);
    expect(recovery?.reply.text).toMatch(/^Recovered: scan-01 scan stalled/);
    expect(recovery?.options.threadOf?.messageId).toBe(alert?.message.messageId);
    expect(delivery.updates.map((u) => [u.message.messageId, u.reply.text])).toEqual([
      [alert?.message.messageId, expect.stringMatching(/^Resolved:/)],
    ]);
    const incidents = await second.listIncidents();
    expect(incidents).toHaveLength(1);
    expect(incidents[0]).toMatchObject({ recoveryDone: true });
    expect(incidents[0]?.resolvedAt).not.toBeNull();
  });

  it("after a crash between claim and send: no second alert, but the recovery is sent again", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01", scenario: "stalled" }]);
    const store = memoryStore();
    await subscribe(store);
    // The previous run claimed the opening message and died before posting it.
    const { incident } = await store.openIncident({
      node: "scan-01",
      cluster: "contoso-prod",
      kind: "stalled",
      summary: "No scan progress for 30m",
      since: clock.now().toISOString(),
      openedAt: clock.now().toISOString(),
      detail: {},
    });
    const key = `open:${incident.id}:slack:C0SCANOPS`;
    await store.claimNotification({
      key,
      kind: "open",
      incidentId: incident.id,
      platform: "slack",
      conversationId: "C0SCANOPS",
      createdAt: clock.now().toISOString(),
    });
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery);
    await runMinutes(watcher, clock, 5);
    expect(delivery.posts).toEqual([]);
    expect((await store.getNotification(key))?.state).toBe("abandoned");

    // It recovers; the recovery is claimed and the process dies before posting.
    fleet.nodes.get("scan-01")?.setScenario("healthy");
    await store.resolveIncident(incident.id, clock.now().toISOString());
    await store.claimNotification({
      key: `recovery:${incident.id}:slack:C0SCANOPS`,
      kind: "recovery",
      incidentId: incident.id,
      platform: "slack",
      conversationId: "C0SCANOPS",
      createdAt: clock.now().toISOString(),
    });
    const restarted = buildWatcher(store, fleet, delivery);
    await runMinutes(restarted, clock, 3);
    // The channel may have seen the alert, so it hears the recovery (unthreaded: we never learnt the message id).
    expect(delivery.texts()).toEqual([expect.stringMatching(/^Recovered: scan-01/)]);
    expect(delivery.posts[0]?.options.threadOf).toBeUndefined();
  });

  it("reminds at the interval until acknowledged, and records who acknowledged", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01", scenario: "stalled" }]);
    const store = memoryStore();
    await subscribe(store);
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery, { reminderEvery: 60 * minute });
    const sentAt: number[] = [];
    await runMinutes(watcher, clock, 200, () => {
      while (sentAt.length < delivery.posts.length) sentAt.push(clock.ms - minute);
    });
    const start = sentAt[0] ?? 0;
    expect(delivery.texts().map((t) => t.slice(0, 18))).toEqual([
      "scan-01: scan stal",
      "Reminder 1: still ",
      "Reminder 2: still ",
    ]);
    expect(sentAt.map((t) => (t - start) / minute)).toEqual([0, 60, 120]);
    // A reminder says how long the scan has stood still by now, not the figure of the first alert.
    expect(delivery.texts().map((t) => /No scan progress for (\S+(?: \S+m)?)/.exec(t)?.[1])).toEqual([
      "30m",
      "1h 30m",
      "2h 30m",
    ]);
    expect(delivery.posts[1]?.options.threadOf?.messageId).toBe(delivery.posts[0]?.message.messageId);

    const [incident] = await store.listIncidents({ open: true });
    expect(await store.ackIncident(incident?.id ?? 0, "slack:U2 (ana)", clock.now().toISOString())).toBe(true);
    await runMinutes(watcher, clock, 180);
    expect(delivery.posts).toHaveLength(3);
  });

  it("holds alerts for a snoozed node and sends them when the snooze ends if the problem is still there", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01", scenario: "stalled" }]);
    const store = memoryStore();
    await subscribe(store);
    await store.setSnooze({
      node: "scan-01",
      until: new Date(clock.ms + 60 * minute).toISOString(),
      by: "slack:U1",
      createdAt: clock.now().toISOString(),
    });
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery);
    await runMinutes(watcher, clock, 60);
    expect(delivery.posts).toEqual([]);
    expect(await store.listIncidents({ open: true })).toHaveLength(1);
    await runMinutes(watcher, clock, 2);
    expect(delivery.texts()).toEqual([expect.stringMatching(/scan stalled/)]);
  });

  it("retires a conversation the platform says is gone, and retries a rate-limited send", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01", scenario: "stalled" }]);
    const store = memoryStore();
    await subscribe(store, "C0GONE");
    await subscribe(store, "C0BUSY");
    await store.upsertConversation({
      platform: "slack",
      conversationId: "C0GONE",
      reference: null,
      updatedAt: clock.now().toISOString(),
    });
    const delivery = new RecordingDelivery();
    delivery.failures.set("C0GONE", [new DeliveryError("gone", "channel_not_found")]);
    delivery.failures.set("C0BUSY", [new DeliveryError("rate_limited", "ratelimited", 1)]);
    const watcher = buildWatcher(store, fleet, delivery);
    await runMinutes(watcher, clock, 32);
    expect(delivery.posts.map((p) => p.to.conversationId)).toEqual(["C0BUSY"]);
    expect(await store.listSubscriptions()).toMatchObject([{ conversationId: "C0BUSY" }]);
    expect(await store.getConversation("slack", "C0GONE")).toBeUndefined();
    expect((await store.listNotifications({ state: "failed" })).map((n) => n.conversationId)).toEqual(["C0GONE"]);
  });

  it("posts a finished scan only to subscriptions that asked for it", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [
      { node: "scan-01", timeline: [{ atSeconds: 300, scenario: "finished" }] },
    ]);
    const store = memoryStore();
    await subscribe(store, "C0FINISH", "contoso-prod", true);
    await subscribe(store, "C0QUIET", "contoso-prod", false);
    const delivery = new RecordingDelivery();
    const watcher = buildWatcher(store, fleet, delivery);
    await runMinutes(watcher, clock, 15);
    const finished = delivery.posts.filter((p) => p.reply.text.startsWith("Scan finished"));
    expect(finished.map((p) => p.to.conversationId)).toEqual(["C0FINISH"]);
  });

  it("puts the cycle's report digest into the finished message, read from the nodes' report files", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [
      { node: "scan-01", timeline: [{ atSeconds: 300, scenario: "finished" }] },
      { node: "scan-02", timeline: [{ atSeconds: 300, scenario: "finished" }] },
    ]);
    const store = memoryStore();
    await subscribe(store, "C0FINISH", "contoso-prod", true);
    const delivery = new RecordingDelivery();
    await runMinutes(buildWatcher(store, fleet, delivery), clock, 15);
    const finished = delivery.posts.filter((p) => p.reply.text.startsWith("Scan finished"));
    expect(finished).toHaveLength(1);
    const text = renderPlainText(finished[0]?.reply ?? { text: "", blocks: [], visibility: "channel" });
    expect(text).toContain("What the cycle found");
    expect(text).toMatch(/\d[\d,]* files in 3 repositories: /);
    expect(text).toContain("fs01\\Finance");
    expect(text).toContain("Labels applied");
    expect(text).toContain("Summary report");
    // Read once per node for the one message, not at every poll.
    expect(fleet.reportReads).toBe(2);
  });

  it("does not read the reports when nobody asked for finished scans", async () => {
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(clock, "contoso-prod", [
      { node: "scan-01", timeline: [{ atSeconds: 300, scenario: "finished" }] },
    ]);
    const store = memoryStore();
    await subscribe(store, "C0QUIET", "contoso-prod", false);
    await runMinutes(buildWatcher(store, fleet, new RecordingDelivery()), clock, 15);
    expect(fleet.reportReads).toBe(0);
  });

  it("polls on its own schedule and stops cleanly", async () => {
    // The schedule runs on Node's timers: fake ones, so the count depends on the interval, not on the machine's speed.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      const clock = new FakeClock();
      const fleet = new SimulatedFleet(clock, "contoso-prod", [{ node: "scan-01" }]);
      const store = memoryStore();
      const watcher = buildWatcher(store, fleet, new RecordingDelivery(), { pollInterval: 20 });
      watcher.start();
      // The first poll at once, then one every 20 ms after the previous cycle ends: 0, 20, 40, ... 140.
      await vi.advanceTimersByTimeAsync(150);
      expect(fleet.polls).toBe(8);
      await watcher.stop();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(fleet.polls).toBe(8);
    } finally {
      vi.useRealTimers();
    }
  });
});
