import { afterEach, describe, expect, it } from "vitest";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { DeliveryError } from "../../src/delivery/delivery.js";
import { ScanProgress } from "../../src/fleet/scanProgress.js";
import type { Reply } from "../../src/reply/reply.js";
import type { WatchLeases } from "../../src/store/leases.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import type { Store } from "../../src/store/store.js";
import { subscribeConfiguredChannels } from "../../src/watch/fleetWatch.js";
import type { Watcher } from "../../src/watch/watcher.js";
import { buildWatcher, FakeClock, RecordingDelivery, SimulatedFleet, subscribe } from "./watchHarness.js";

/**
 * The live scan card, driven through the watcher over simulated nodes on a
 * fake clock: one card per cluster and conversation when the scan starts,
 * edited at most once a minute and only when what it shows changed, alerts
 * in its thread, the summary at the end, and the same message across a
 * restart, a lease hand-over and (once) a deletion.
 */

const cluster = "contoso-prod";
const minute = 60_000;

function headings(reply: Reply | undefined): string[] {
  return reply?.blocks.flatMap((b) => (b.kind === "heading" ? [b.text] : [])) ?? [];
}

/** Every edit's time (ms since the first poll), from the clock at each poll. */
class EditLog {
  readonly times: number[] = [];
  constructor(
    private readonly delivery: RecordingDelivery,
    private readonly clock: FakeClock,
  ) {}
  private seen = 0;
  /** Call after each poll: notes the time of every edit made since the last call. */
  note(): void {
    for (; this.seen < this.delivery.updates.length; this.seen++) this.times.push(this.clock.ms);
  }
}

describe("the live scan card", () => {
  const stores: Store[] = [];
  const watchers: Watcher[] = [];
  afterEach(async () => {
    for (const w of watchers.splice(0)) await w.stop();
    for (const s of stores.splice(0)) await s.close();
  });

  function setup(
    specs: ConstructorParameters<typeof SimulatedFleet>[2] = [{ node: "scan-01" }, { node: "scan-02" }],
    extra: Parameters<typeof buildWatcher>[4] = {},
    section: Parameters<typeof buildWatcher>[3] = {},
  ) {
    const clock = new FakeClock(Date.parse("2026-11-25T10:00:00.000Z"));
    const store = new SqliteStore(":memory:");
    stores.push(store);
    const fleet = new SimulatedFleet(clock, cluster, specs);
    const delivery = new RecordingDelivery("slack");
    const watcher = buildWatcher(
      store,
      fleet,
      delivery,
      { pollInterval: 20_000, ...section },
      { progress: fleet.progress, ...extra },
    );
    watchers.push(watcher);
    return { clock, store, fleet, delivery, watcher };
  }

  /** Polls every `everyMs` for `totalMs`, sending what is due after each poll. */
  async function run(watcher: Watcher, clock: FakeClock, totalMs: number, everyMs = 20_000, after?: () => void) {
    for (let t = 0; t < totalMs; t += everyMs) {
      await watcher.pollAll();
      await watcher.idle();
      after?.();
      clock.advance(everyMs);
    }
  }

  it("posts one card per cluster and conversation when the scan starts, with a row per node", async () => {
    const { clock, store, delivery, watcher } = setup();
    await subscribe(store);
    // A second subscription of the same conversation (every cluster, and this one) still means one card.
    await subscribe(store, "C0SCANOPS", cluster);
    await run(watcher, clock, 20_000);
    expect(delivery.posts).toHaveLength(1);
    const [card] = delivery.posts;
    expect(card?.options.liveCard).toBe(true);
    expect(card?.reply.text).toMatch(/^contoso-prod scanning: [\d,]+ files · no rate yet · 0\/3 repositories$/);
    expect(headings(card?.reply)).toEqual(["Scan of contoso-prod"]);
    const table = card?.reply.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows.map((r) => r.cells[0])).toEqual(["scan-01", "scan-02"]);
    const [stored] = await store.listScanCards(cluster);
    expect(stored).toMatchObject({ messageId: card?.message.messageId, state: "live", platform: "slack" });
  });

  it("edits the card at most once a minute, and not at all while nothing it shows changes", async () => {
    const { clock, store, fleet, delivery, watcher } = setup([
      // Both nodes freeze after 4 minutes: the counters stop, so after the rate window the card stops changing.
      { node: "scan-01", timeline: [{ atSeconds: 240, scenario: "stalled" }] },
      { node: "scan-02", timeline: [{ atSeconds: 240, scenario: "stalled" }] },
    ]);
    await subscribe(store);
    const edits = new EditLog(delivery, clock);
    // Polls every 20 s for 40 minutes: three polls a minute, each one seeing new counters at first.
    await run(watcher, clock, 40 * minute, 20_000, () => edits.note());
    expect(fleet.polls).toBe(240);
    expect(delivery.posts.filter((p) => p.options.liveCard)).toHaveLength(1);
    const gaps = edits.times.slice(1).map((t, i) => t - (edits.times[i] ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(minute);
    // While the counters moved (4 minutes) the card was edited every minute.
    const start = Date.parse("2026-11-25T10:00:00.000Z");
    expect(edits.times.filter((t) => t <= start + 4 * minute).length).toBeGreaterThanOrEqual(3);
    // The rate window (15 minutes) has long passed the freeze: the last 15 minutes saw no edit.
    expect(edits.times.filter((t) => t > start + 25 * minute)).toEqual([]);
    expect(edits.times.length).toBeLessThanOrEqual(40);
    for (const u of delivery.updates) expect(u.message.messageId).toBe(delivery.posts[0]?.message.messageId);
  });

  it("puts stalls and recoveries in the card's thread, and turns the card into the summary when the cycle ends", async () => {
    const { clock, store, delivery, watcher } = setup(
      [
        {
          node: "scan-01",
          timeline: [
            { atSeconds: 120, scenario: "stalled" },
            { atSeconds: 600, scenario: "healthy" },
            { atSeconds: 1200, scenario: "finished" },
          ],
        },
        { node: "scan-02", timeline: [{ atSeconds: 1200, scenario: "finished" }] },
      ],
      {},
      { stallAfter: 4 * minute },
    );
    await subscribe(store, "C0SCANOPS", "*", true);
    await run(watcher, clock, 25 * minute, minute);
    const [card, ...rest] = delivery.posts;
    const cardId = card?.message.messageId;
    const stall = rest.find((p) => p.reply.text.includes("scan-01") && p.reply.text.includes("stalled"));
    const recovery = rest.find((p) => /recovered|resolved/i.test(p.reply.text));
    expect(stall?.options.threadOf?.messageId).toBe(cardId);
    expect(recovery?.options.threadOf?.threadId ?? recovery?.options.threadOf?.messageId).toBe(cardId);
    // The "scan finished" message with what the cycle found goes under the card too.
    const finished = rest.find((p) => p.reply.text.startsWith("Scan finished on"));
    expect(finished?.options.threadOf?.messageId).toBe(cardId);
    // Nothing but the card itself went to the channel.
    expect(delivery.posts.filter((p) => !p.options.threadOf).map((p) => p.message.messageId)).toEqual([cardId]);

    const last = delivery.updates.filter((u) => u.message.messageId === cardId).at(-1);
    expect(headings(last?.reply)).toEqual(["Scan of contoso-prod: finished"]);
    // The simulated scan started 15 minutes before the simulator did and finished 20 minutes after.
    expect(last?.reply.text).toMatch(/^contoso-prod: scan finished after 35m: [\d,]+ files, [\d,]+ failed$/);
    const fields = last?.reply.blocks.find((b) => b.kind === "fields");
    expect(fields?.kind === "fields" && fields.fields.map((f) => f.label)).toEqual([
      "Started",
      "Finished",
      "Scanned",
      "Failed files",
      "Repositories",
    ]);
    expect(JSON.stringify(last?.reply)).toContain("`report contoso-prod` shows what this cycle found.");
    expect((await store.listScanCards(cluster))[0]?.state).toBe("finished");
    // Finished means finished: more idle polls edit nothing.
    const edits = delivery.updates.length;
    await run(watcher, clock, 5 * minute, minute);
    expect(delivery.updates.length).toBe(edits);
  });

  it("sums up a scan stopped with repositories pending (Stop-Scan) as stopped, timed from the cycle's start", async () => {
    const { clock, store, delivery, watcher } = setup([
      { node: "scan-01", timeline: [{ atSeconds: 600, scenario: "idle" }] },
      { node: "scan-02", timeline: [{ atSeconds: 600, scenario: "idle" }] },
    ]);
    await subscribe(store);
    await run(watcher, clock, 15 * minute, minute);
    const cardId = delivery.posts[0]?.message.messageId;
    const last = delivery.updates.filter((u) => u.message.messageId === cardId).at(-1);
    expect(headings(last?.reply)).toEqual(["Scan of contoso-prod: stopped"]);
    // The simulated scan started 15 minutes before the simulator did and stopped 10 minutes after.
    expect(last?.reply.text).toMatch(/^contoso-prod: scan stopped after 25m at [\d,]+ files, before it completed$/);
  });

  it("closes a card whose cycle was replaced unseen (stopped and restarted between polls) and posts the new cycle's", async () => {
    const { clock, store, fleet, delivery, watcher } = setup([{ node: "scan-01" }]);
    await subscribe(store);
    await run(watcher, clock, 3 * minute, minute);
    const sim = fleet.nodes.get("scan-01");
    const act = async (action: "stop-scan" | "start-scan") =>
      sim?.runAction({ action, requestId: crypto.randomUUID(), reset: false });
    clock.advance(10_000);
    await act("stop-scan");
    clock.advance(10_000);
    await act("start-scan");
    await run(watcher, clock, 2 * minute, minute);
    const cards = delivery.posts.filter((p) => p.options.liveCard);
    expect(cards).toHaveLength(2);
    const ended = delivery.updates.find((u) => u.reply.text.includes("a new one started"));
    expect(ended?.message.messageId).toBe(cards[0]?.message.messageId);
    expect((await store.listScanCards(cluster))[0]).toMatchObject({
      messageId: cards[1]?.message.messageId,
      state: "live",
    });
  });

  it("keeps editing the same card after a restart (a new watcher over the same store)", async () => {
    const { clock, store, fleet, delivery, watcher } = setup();
    await subscribe(store);
    await run(watcher, clock, 3 * minute, minute);
    await watcher.stop();
    const cardId = delivery.posts[0]?.message.messageId;
    // The new process starts with an empty progress model, as a restarted bot does.
    fleet.progress = new ScanProgress();
    const restarted = buildWatcher(store, fleet, delivery, { pollInterval: minute }, { progress: fleet.progress });
    watchers.push(restarted);
    const before = delivery.updates.length;
    await run(restarted, clock, 3 * minute, minute);
    expect(delivery.posts).toHaveLength(1);
    expect(delivery.updates.length).toBeGreaterThan(before);
    for (const u of delivery.updates) expect(u.message.messageId).toBe(cardId);
  });

  it("hands the card over with the cluster's lease: the new holder edits it, the old one no longer does", async () => {
    const clock = new FakeClock(Date.parse("2026-11-25T10:00:00.000Z"));
    const store = new SqliteStore(":memory:");
    stores.push(store);
    await subscribe(store);
    const held = new Map<string, string>([[cluster, "a"]]);
    const leases = (id: string): WatchLeases => ({
      replicaId: id,
      holds: (c) => held.get(c) === id,
      liveReplicas: async () => ["a", "b"],
    });
    const replica = (id: string) => {
      const fleet = new SimulatedFleet(clock, cluster, [{ node: "scan-01" }, { node: "scan-02" }]);
      const delivery = new RecordingDelivery("slack");
      const watcher = buildWatcher(store, fleet, delivery, {}, { progress: fleet.progress, leases: leases(id) });
      watchers.push(watcher);
      return { watcher, delivery };
    };
    const a = replica("a");
    const b = replica("b");
    const both = async (minutes: number) => {
      for (let m = 0; m < minutes; m++) {
        await Promise.all([a.watcher.pollAll(), b.watcher.pollAll()]);
        await Promise.all([a.watcher.idle(), b.watcher.idle()]);
        clock.advance(minute);
      }
    };
    await both(3);
    expect(a.delivery.posts).toHaveLength(1);
    expect(b.delivery.posts).toHaveLength(0);
    expect(b.delivery.updates).toHaveLength(0);
    const cardId = a.delivery.posts[0]?.message.messageId;
    const aEdits = a.delivery.updates.length;

    held.set(cluster, "b");
    await b.watcher.adoptClusters([cluster]);
    await both(3);
    expect(a.delivery.updates.length).toBe(aEdits);
    expect(b.delivery.posts).toHaveLength(0);
    expect(b.delivery.updates.length).toBeGreaterThan(0);
    for (const u of b.delivery.updates) expect(u.message.messageId).toBe(cardId);
  });

  it("posts a new card once when the card was deleted, and stops when that one is deleted too", async () => {
    const { clock, store, delivery, watcher } = setup();
    await subscribe(store);
    await run(watcher, clock, 2 * minute, minute);
    const first = delivery.posts[0]?.message.messageId;
    delivery.updateFailures.push(new DeliveryError("message_gone", "Slack: message_not_found"));
    await run(watcher, clock, 3 * minute, minute);
    const cards = delivery.posts.filter((p) => p.options.liveCard);
    expect(cards).toHaveLength(2);
    const second = cards[1]?.message.messageId;
    expect(second).not.toBe(first);
    expect(delivery.updates.at(-1)?.message.messageId).toBe(second);
    expect((await store.listScanCards(cluster))[0]).toMatchObject({ messageId: second, reposts: 1 });

    delivery.updateFailures.push(new DeliveryError("message_gone", "Slack: cant_update_message"));
    const edits = delivery.updates.length;
    await run(watcher, clock, 3 * minute, minute);
    expect(delivery.posts.filter((p) => p.options.liveCard)).toHaveLength(2);
    expect(delivery.updates.length).toBe(edits);
    expect((await store.listScanCards(cluster))[0]?.state).toBe("lost");
  });

  it("posts alerts and the finished message at the top level once the card is lost (deleted twice)", async () => {
    const { clock, store, delivery, watcher } = setup(
      [
        {
          node: "scan-01",
          timeline: [
            { atSeconds: 600, scenario: "stalled" },
            { atSeconds: 1500, scenario: "finished" },
          ],
        },
        { node: "scan-02", timeline: [{ atSeconds: 1500, scenario: "finished" }] },
      ],
      {},
      { stallAfter: 2 * minute },
    );
    await subscribe(store, "C0SCANOPS", "*", true);
    await run(watcher, clock, 2 * minute, minute);
    delivery.updateFailures.push(new DeliveryError("message_gone", "Slack: message_not_found"));
    await run(watcher, clock, 3 * minute, minute);
    delivery.updateFailures.push(new DeliveryError("message_gone", "Slack: message_not_found"));
    await run(watcher, clock, 3 * minute, minute);
    expect((await store.listScanCards(cluster))[0]?.state).toBe("lost");
    await run(watcher, clock, 20 * minute, minute);
    const stall = delivery.posts.find((p) => p.reply.text.includes("scan-01") && p.reply.text.includes("stalled"));
    const finished = delivery.posts.find((p) => p.reply.text.startsWith("Scan finished on"));
    // Neither goes into the thread of a message that no longer exists.
    expect(stall?.options.threadOf).toBeUndefined();
    expect(finished).toBeDefined();
    expect(finished?.options.threadOf).toBeUndefined();
  });

  it("skips a rate-limited edit and tries again once the platform's wait is over", async () => {
    const { clock, store, delivery, watcher } = setup();
    await subscribe(store);
    await run(watcher, clock, 2 * minute, minute);
    const edits = delivery.updates.length;
    delivery.updateFailures.push(new DeliveryError("rate_limited", "Slack rate limit", 150_000));
    // This minute's edit is refused; the next two minutes are within the wait, so nothing is tried.
    await run(watcher, clock, 3 * minute, minute);
    expect(delivery.updates.length).toBe(edits);
    expect(delivery.updateFailures).toHaveLength(0);
    await run(watcher, clock, minute, minute);
    expect(delivery.updates.length).toBe(edits + 1);
    expect(delivery.posts.filter((p) => p.options.liveCard)).toHaveLength(1);
  });

  it("keeps a platform's card edits within its budget a minute, spreading the cards out", async () => {
    const { clock, store, delivery, watcher } = setup(undefined, { cardEditsPerMinute: 2 });
    for (const conversation of ["C01", "C02", "C03", "C04"]) await subscribe(store, conversation);
    const edits = new EditLog(delivery, clock);
    await run(watcher, clock, 12 * minute, minute, () => edits.note());
    expect(delivery.posts.filter((p) => p.options.liveCard)).toHaveLength(4);
    const perMinute = new Map<number, number>();
    for (const t of edits.times) perMinute.set(t, (perMinute.get(t) ?? 0) + 1);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(2);
    // Four cards on a budget of two a minute: each is edited every two minutes, none starves.
    const byCard = new Map<string, number>();
    for (const u of delivery.updates) byCard.set(u.message.messageId, (byCard.get(u.message.messageId) ?? 0) + 1);
    expect(byCard.size).toBe(4);
    expect(Math.min(...byCard.values())).toBeGreaterThanOrEqual(4);
  });

  it("adds a node that appears mid-cycle as a new row of the same card", async () => {
    const clock = new FakeClock(Date.parse("2026-11-25T10:00:00.000Z"));
    const store = new SqliteStore(":memory:");
    stores.push(store);
    const fleet = new SimulatedFleet(clock, cluster, [{ node: "scan-01" }, { node: "scan-02" }]);
    const delivery = new RecordingDelivery("slack");
    let nodes = ["scan-01"];
    const watcher = buildWatcher(
      store,
      fleet,
      delivery,
      {},
      { progress: fleet.progress, targets: () => nodes.map((node) => ({ node, cluster })) },
    );
    watchers.push(watcher);
    await subscribe(store);
    await run(watcher, clock, 2 * minute, minute);
    nodes = ["scan-01", "scan-02"];
    await run(watcher, clock, 2 * minute, minute);
    const rows = (r: Reply | undefined) =>
      r?.blocks.flatMap((b) => (b.kind === "table" ? b.rows.map((row) => row.cells[0]) : []));
    expect(rows(delivery.posts[0]?.reply)).toEqual(["scan-01"]);
    expect(rows(delivery.updates.at(-1)?.reply)).toEqual(["scan-01", "scan-02"]);
    expect(delivery.posts.filter((p) => p.options.liveCard)).toHaveLength(1);
  });

  it("gives no card to a conversation that said --no-card, nor to a webhook channel, and their alerts stay top-level", async () => {
    const slack = new RecordingDelivery("slack");
    const hook = new RecordingDelivery("slack-webhook");
    const { clock, store, watcher } = setup(
      [{ node: "scan-01", timeline: [{ atSeconds: 60, scenario: "stalled" }] }],
      { deliveries: { slack, "slack-webhook": hook } },
      { stallAfter: 2 * minute },
    );
    await subscribe(store, "C0SCANOPS", "*", false, false);
    await store.addSubscription({
      platform: "slack-webhook",
      conversationId: "hook-ops",
      cluster,
      notifyFinished: false,
      createdBy: "config",
      createdAt: "2026-11-25T00:00:00.000Z",
    });
    await run(watcher, clock, 6 * minute, minute);
    expect(await store.listScanCards()).toEqual([]);
    for (const d of [slack, hook]) {
      expect(d.texts()).toEqual([expect.stringMatching(/scan-01.*stalled/)]);
      expect(d.posts[0]?.options).toEqual({});
      expect(d.updates).toEqual([]);
    }
  });

  it("posts an alert that comes after the cycle ended at the top level, not under the finished card", async () => {
    const { clock, store, delivery, watcher } = setup([
      {
        node: "scan-01",
        timeline: [
          { atSeconds: 300, scenario: "finished" },
          { atSeconds: 900, scenario: "database-error" },
        ],
      },
      { node: "scan-02", timeline: [{ atSeconds: 300, scenario: "finished" }] },
    ]);
    await subscribe(store);
    await run(watcher, clock, 10 * minute, minute);
    expect((await store.listScanCards(cluster))[0]?.state).toBe("finished");
    const before = delivery.posts.length;
    await run(watcher, clock, 10 * minute, minute);
    const later = delivery.posts.slice(before);
    const alert = later.find((p) => p.reply.text.includes("scan-01") && !p.options.liveCard);
    expect(alert?.reply.text).toMatch(/error/i);
    // The card is the finished cycle's summary now: a new problem is news for the channel, not for that thread.
    expect(alert?.options.threadOf).toBeUndefined();
  });

  it("gives the configured channels a card unless the config's `watch.liveCard` is false", async () => {
    const store = new SqliteStore(":memory:");
    stores.push(store);
    const config = (liveCard?: boolean) =>
      botConfigSchema.parse({
        clusters: [
          {
            name: cluster,
            nodes: [{ name: "scan-01", url: "http://127.0.0.1:9/", secret: "x".repeat(32) }],
            channels: [{ platform: "slack", id: "C0SCANOPS" }],
          },
        ],
        ...(liveCard === undefined ? {} : { watch: { liveCard } }),
      });
    await subscribeConfiguredChannels(config(), store, new Date("2026-11-25T10:00:00Z"));
    expect((await store.listSubscriptions()).map((s) => s.liveCard)).toEqual([true]);
    await subscribeConfiguredChannels(config(false), store, new Date("2026-11-25T10:00:00Z"));
    expect((await store.listSubscriptions()).map((s) => s.liveCard)).toEqual([false]);
  });

  it("posts no card before the cluster scans, and none with no progress model", async () => {
    const { clock, store, delivery, watcher } = setup([{ node: "scan-01", scenario: "idle" }]);
    await subscribe(store);
    await run(watcher, clock, 3 * minute, minute);
    expect(delivery.posts).toEqual([]);

    const other = setup([{ node: "scan-01" }], { progress: undefined });
    await subscribe(other.store);
    await run(other.watcher, other.clock, 3 * minute, minute);
    expect(other.delivery.posts).toEqual([]);
  });
});
