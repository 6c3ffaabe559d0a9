import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it, onTestFinished } from "vitest";
import type { WatchSection } from "../../src/config/watchSection.js";
import { DeliveryError } from "../../src/delivery/delivery.js";
import type { WatchLeases } from "../../src/store/leases.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import type { Incident, NotificationKind, Store } from "../../src/store/store.js";
import type { Finding } from "../../src/watch/rules/finding.js";
import type { FinishedScan } from "../../src/watch/rules/finishedRule.js";
import { FakeClock, finishedScan, incidentBookOver, RecordingDelivery, subscribe } from "./watchHarness.js";

/**
 * The incident book on its own, on a fake clock: findings in, incidents and messages out. One minute is one
 * poll; `clearAfterPolls`, `reminderEvery`, acknowledgements, snoozes, subscriptions per cluster and the
 * finished-scan announcement each one at a time.
 */
const minute = 60_000;
const hour = 60 * minute;

function stall(over: Partial<Finding> = {}): Finding {
  return {
    kind: "stalled",
    summary: "No scan progress for 30m",
    since: "2026-11-25T00:30:00.000Z",
    kbId: "stuck-scanner-processes",
    detail: { scannedFiles: 1000 },
    ...over,
  };
}
const unreachable: Finding = {
  kind: "unreachable",
  summary: "The node agent failed 3 polls in a row (agent_unreachable)",
  since: "2026-11-25T00:58:00.000Z",
  detail: { failures: 3 },
};

/** A claim in the notification log made by another replica (`claimedBy`), as that replica would write it. */
function claimAs(
  store: Store,
  claimedBy: string,
  n: { key: string; kind: NotificationKind; incidentId: number | null; conversationId: string },
) {
  return store.claimNotification({
    ...n,
    cluster: "contoso-prod",
    claimedBy,
    platform: "slack",
    createdAt: "2026-11-25T01:00:00.000Z",
  });
}

/** Every line a logger wrote, parsed. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  return { logger: pino({ level: "info" }, sink), lines };
}

async function bookOn(
  section: Partial<WatchSection> = {},
  sendsFor: (cluster: string) => boolean = () => true,
  leases?: WatchLeases,
) {
  const clock = new FakeClock();
  const store = new SqliteStore(":memory:");
  onTestFinished(() => store.close());
  const delivery = new RecordingDelivery();
  const { logger, lines } = capturedLogger();
  const book = incidentBookOver(store, clock, delivery, { section, sendsFor, logger, ...(leases ? { leases } : {}) });
  const open = () => store.listIncidents({ open: true });
  /** One poll of `node`: its findings, and whether the poll shows each absent kind's problem gone. */
  const poll = async (findings: Finding[], cleared = true, node = "scan-01", cluster = "contoso-prod") => {
    const mine = (await open()).filter((i) => i.node === node);
    await book.reconcile(node, cluster, findings, mine, () => cleared);
    await book.notify();
    clock.advance(minute);
  };
  /** What the book logged: message and the fields named. */
  const logged = (...fields: string[]) => lines.map((l) => [l.msg, ...fields.map((f) => l[f])]);
  /** scan-01's stall, opened and announced to whoever is subscribed. */
  const announced = async () => {
    await book.reconcile("scan-01", "contoso-prod", [stall()], [], () => true);
    await book.notify();
    return (await open())[0] as Incident;
  };
  return { clock, store, delivery, book, open, poll, logged, announced };
}

describe("the incident book: opening and refreshing", () => {
  it("opens one incident per finding with the finding's facts and article, and continues it while it is found", async () => {
    const { store, open, poll, clock } = await bookOn();
    const openedAt = clock.now().toISOString();
    await poll([stall()]);
    const [first] = await open();
    expect(first).toMatchObject({
      node: "scan-01",
      cluster: "contoso-prod",
      kind: "stalled",
      summary: "No scan progress for 30m",
      since: "2026-11-25T00:30:00.000Z",
      openedAt,
      detail: { scannedFiles: 1000, kbId: "stuck-scanner-processes" },
    });
    await poll([stall({ detail: { scannedFiles: 1000, repository: "\\\\fs01\\hr" } })]);
    const [again] = await open();
    expect(again?.id).toBe(first?.id);
    expect(again?.detail).toEqual({ scannedFiles: 1000, repository: "\\\\fs01\\hr", kbId: "stuck-scanner-processes" });
    await poll([stall(), unreachable]);
    expect((await open()).map((i) => i.kind).sort()).toEqual(["stalled", "unreachable"]);
    expect((await store.getIncident(first?.id ?? 0))?.detail).not.toHaveProperty("repository");
  });

  it("keeps no article on an incident whose finding names none", async () => {
    const { open, poll } = await bookOn();
    await poll([unreachable]);
    expect((await open())[0]?.detail).toEqual({ failures: 3 });
  });
});

describe("the incident book: clearing after clearAfterPolls healthy polls in a row", () => {
  it("resolves at the third healthy poll (clearAfterPolls 3), not before", async () => {
    const { open, poll } = await bookOn({ clearAfterPolls: 3 });
    await poll([stall()]);
    await poll([]);
    await poll([]);
    expect(await open()).toHaveLength(1);
    await poll([]);
    expect(await open()).toEqual([]);
  });

  it("resolves at the first healthy poll when clearAfterPolls is 1", async () => {
    const { open, poll } = await bookOn({ clearAfterPolls: 1 });
    await poll([stall()]);
    await poll([]);
    expect(await open()).toEqual([]);
  });

  it("starts counting again when the problem is found again, or a poll shows no evidence either way", async () => {
    const { open, poll } = await bookOn({ clearAfterPolls: 2 });
    await poll([stall()]);
    await poll([]);
    await poll([stall()]);
    await poll([]);
    expect(await open()).toHaveLength(1);
    await poll([], false);
    await poll([]);
    expect(await open()).toHaveLength(1);
    await poll([]);
    expect(await open()).toEqual([]);
  });

  it("counts each incident's healthy polls on their own", async () => {
    const { open, poll } = await bookOn({ clearAfterPolls: 2 });
    await poll([stall()]);
    await poll([stall(), unreachable]);
    await poll([unreachable]);
    expect((await open()).map((i) => i.kind).sort()).toEqual(["stalled", "unreachable"]);
    await poll([]);
    expect((await open()).map((i) => i.kind)).toEqual(["unreachable"]);
    await poll([]);
    expect(await open()).toEqual([]);
  });
});

describe("the incident book: messages", () => {
  it("posts the opening once per conversation that watches the cluster, whatever the case of its name", async () => {
    const { store, delivery, poll } = await bookOn();
    await subscribe(store, "C-PROD", "CONTOSO-PROD");
    await subscribe(store, "C-EMEA", "contoso-emea");
    await subscribe(store, "C-ALL", "*");
    await poll([stall()]);
    await poll([stall()]);
    expect(delivery.posts.map((p) => p.to.conversationId).sort()).toEqual(["C-ALL", "C-PROD"]);
    expect(delivery.texts()[0]).toBe("scan-01: scan stalled: No scan progress for 30m");
  });

  it("reminds every reminderEvery from the last reminder, in the opening's thread, until acknowledged", async () => {
    const { store, delivery, clock, book, open } = await bookOn({ reminderEvery: hour });
    await subscribe(store, "C-OPS");
    const node = async () => {
      await book.reconcile("scan-01", "contoso-prod", [stall()], await open(), () => true);
      await book.notify();
    };
    await node();
    const opening = delivery.posts[0]?.message;
    clock.advance(hour - minute);
    await node();
    expect(delivery.posts).toHaveLength(1);
    clock.advance(minute);
    await node();
    await node();
    expect(delivery.texts()).toHaveLength(2);
    expect(delivery.texts()[1]).toMatch(/^Reminder 1: still open\. scan-01: scan stalled/);
    expect(delivery.posts[1]?.options.threadOf).toEqual(opening);
    expect((await open())[0]).toMatchObject({ reminderCount: 1, lastReminderAt: clock.now().toISOString() });
    clock.advance(hour - minute);
    await node();
    expect(delivery.posts).toHaveLength(2);
    clock.advance(minute);
    await node();
    expect(delivery.texts()[2]).toMatch(/^Reminder 2: still open\./);
    const [incident] = await open();
    await store.ackIncident(incident?.id ?? 0, "slack:U2 (ana)", clock.now().toISOString());
    clock.advance(3 * hour);
    await node();
    expect(delivery.posts).toHaveLength(3);
  });

  it("reminds only the conversations whose opening went out", async () => {
    const { store, delivery, clock, poll } = await bookOn({ reminderEvery: hour });
    await subscribe(store, "C-OK");
    await subscribe(store, "C-GONE-WRONG");
    delivery.failures.set("C-GONE-WRONG", [new DeliveryError("failed", "channel_not_found")]);
    await poll([stall()]);
    clock.advance(hour);
    await poll([stall()]);
    expect(delivery.posts.map((p) => [p.to.conversationId, p.reply.text.split(":")[0]])).toEqual([
      ["C-OK", "scan-01"],
      ["C-OK", "Reminder 1"],
    ]);
  });

  it("sends nothing for a snoozed node, and catches up with the opening when the snooze ends", async () => {
    const { store, delivery, clock, poll } = await bookOn();
    await subscribe(store, "C-OPS");
    const now = clock.now().getTime();
    await store.setSnooze({
      node: "scan-01",
      until: new Date(now + 10 * minute).toISOString(),
      by: "slack:U2",
      createdAt: new Date(now).toISOString(),
    });
    await poll([stall()], true, "scan-01");
    await poll([unreachable], true, "scan-02");
    expect(delivery.texts()).toEqual([expect.stringMatching(/^scan-02: /)]);
    clock.advance(10 * minute);
    await poll([stall()]);
    expect(delivery.texts()[1]).toMatch(/^scan-01: scan stalled/);
  });

  it("leaves the messages of clusters this replica does not send for to the replica that does", async () => {
    const { store, delivery, poll } = await bookOn({}, (cluster) => cluster === "contoso-emea");
    await subscribe(store, "C-OPS");
    await poll([stall()], true, "scan-01", "contoso-prod");
    await poll([stall()], true, "emea-01", "contoso-emea");
    expect(delivery.texts()).toEqual([expect.stringMatching(/^emea-01: /)]);
    await poll([], true, "scan-01", "contoso-prod");
    await poll([], true, "scan-01", "contoso-prod");
    const resolved = (await store.listIncidents()).find((i) => i.node === "scan-01");
    expect(resolved).toMatchObject({ recoveryDone: false });
    expect(delivery.texts()).toHaveLength(1);
  });

  it("on recovery, answers in the opening's thread, closes the card, and is done; only where the opening went out", async () => {
    const { store, delivery, poll } = await bookOn({ clearAfterPolls: 1 });
    await subscribe(store, "C-OK");
    await subscribe(store, "C-FAILED");
    delivery.failures.set("C-FAILED", [new DeliveryError("failed", "channel_not_found")]);
    await poll([stall()]);
    const opening = delivery.posts[0]?.message;
    await poll([]);
    expect(delivery.posts.map((p) => [p.to.conversationId, p.reply.text.split(" ")[0]])).toEqual([
      ["C-OK", "scan-01:"],
      ["C-OK", "Recovered:"],
    ]);
    expect(delivery.posts[1]?.options.threadOf).toEqual(opening);
    expect(delivery.updates.map((u) => [u.message, u.reply.text.split(":")[0]])).toEqual([[opening, "Resolved"]]);
    const [incident] = await store.listIncidents();
    expect(incident).toMatchObject({ recoveryDone: true });
    await poll([]);
    expect(delivery.posts).toHaveLength(2);
  });

  it("waits with a recovery while any opening is still pending, and sends it once that opening went out", async () => {
    const { store, delivery, book, open, clock } = await bookOn({ clearAfterPolls: 1 });
    await book.reconcile("scan-01", "contoso-prod", [stall()], [], () => true);
    const [incident] = (await open()) as [Incident];
    await subscribe(store, "C-SENT");
    await book.notify();
    await subscribe(store, "C-OPS");
    // Another replica claimed the opening and is still sending it.
    const key = `open:${incident.id}:slack:C-OPS`;
    await claimAs(store, "replica-other", { key, kind: "open", incidentId: incident.id, conversationId: "C-OPS" });
    await book.reconcile("scan-01", "contoso-prod", [], [incident], () => true);
    await book.notify();
    expect(delivery.texts()).toEqual([expect.stringMatching(/^scan-01: /), expect.stringMatching(/^Recovered: /)]);
    expect((await store.getIncident(incident.id))?.recoveryDone).toBe(false);
    await store.completeNotification(key, { messageId: "m-other", threadId: "t-other" }, clock.now().toISOString(), {
      claimedBy: "replica-other",
    });
    await book.notify();
    expect(delivery.posts.map((p) => p.to.conversationId)).toEqual(["C-SENT", "C-SENT", "C-OPS"]);
    expect(delivery.posts[2]?.options.threadOf).toEqual({
      platform: "slack",
      conversationId: "C-OPS",
      messageId: "m-other",
      threadId: "t-other",
    });
    expect((await store.getIncident(incident.id))?.recoveryDone).toBe(true);
  });
});

describe("the incident book: recoveries in detail", () => {
  it("never announces an incident that cleared before anyone could be told of it", async () => {
    const { store, delivery, book, open } = await bookOn({ clearAfterPolls: 1 });
    await book.reconcile("scan-01", "contoso-prod", [stall()], [], () => true);
    await book.notify();
    await book.reconcile("scan-01", "contoso-prod", [], await open(), () => true);
    await subscribe(store, "C-LATE");
    await book.notify();
    expect(delivery.posts).toEqual([]);
  });

  it("tells each incident's recovery only where that incident was announced, and closes only its card", async () => {
    const { store, delivery, poll } = await bookOn({ clearAfterPolls: 1 });
    await subscribe(store, "C-PROD", "contoso-prod");
    await subscribe(store, "C-EMEA", "contoso-emea");
    await poll([unreachable], true, "emea-01", "contoso-emea");
    await poll([stall()], true, "scan-01", "contoso-prod");
    const prodOpening = delivery.posts[1]?.message;
    await poll([], true, "scan-01", "contoso-prod");
    expect(delivery.posts.map((p) => [p.to.conversationId, p.reply.text.split(" ")[0]])).toEqual([
      ["C-EMEA", "emea-01:"],
      ["C-PROD", "scan-01:"],
      ["C-PROD", "Recovered:"],
    ]);
    expect(delivery.updates.map((u) => u.message)).toEqual([prodOpening]);
  });

  it("leaves the card alone when the recovery could not be sent, or when the opening's message is not known", async () => {
    const { store, delivery, book, announced } = await bookOn({ clearAfterPolls: 1 });
    await subscribe(store, "C-OPS");
    const incident = await announced();
    // An opening to C-MAYBE that a crashed replica may or may not have sent: settled as abandoned, no message id.
    const key = `open:${incident.id}:slack:C-MAYBE`;
    const guard = { claimedBy: "replica-gone" };
    await claimAs(store, guard.claimedBy, { key, kind: "open", incidentId: incident.id, conversationId: "C-MAYBE" });
    await store.abandonNotification(key, guard);
    delivery.failures.set("C-OPS", [new DeliveryError("failed", "channel_not_found")]);
    await book.reconcile("scan-01", "contoso-prod", [], [incident], () => true);
    await book.notify();
    expect(delivery.posts.map((p) => [p.to.conversationId, p.reply.text.split(" ")[0], p.options.threadOf])).toEqual([
      ["C-OPS", "scan-01:", undefined],
      ["C-MAYBE", "Recovered:", undefined],
    ]);
    expect(delivery.updates).toEqual([]);
  });

  it("counts a recovery another replica already sent as done", async () => {
    const { store, delivery, book, clock, announced } = await bookOn({ clearAfterPolls: 1 });
    await subscribe(store, "C-OPS");
    const incident = await announced();
    const key = `recovery:${incident.id}:slack:C-OPS`;
    const guard = { claimedBy: "replica-other" };
    await claimAs(store, guard.claimedBy, { key, kind: "recovery", incidentId: incident.id, conversationId: "C-OPS" });
    await store.completeNotification(key, { messageId: "m-other" }, clock.now().toISOString(), guard);
    await book.reconcile("scan-01", "contoso-prod", [], [incident], () => true);
    await book.notify();
    expect(delivery.posts).toHaveLength(1);
    expect((await store.getIncident(incident.id))?.recoveryDone).toBe(true);
  });

  it("records reminders and finished-scan messages as such in the notification log", async () => {
    const { store, book, clock, poll } = await bookOn({ reminderEvery: hour });
    await subscribe(store, "C-OPS", "*", true);
    await poll([stall()]);
    clock.advance(hour);
    await poll([stall()]);
    await book.announceFinished({
      cluster: "contoso-prod",
      startTime: "2026-11-25T00:00:00.000Z",
      finishedAt: "2026-11-25T06:00:00.000Z",
      nodes: 1,
      scannedFiles: 10,
      failedFiles: 0,
      scannedBytes: 100,
    });
    const kinds = (await store.listNotifications()).map((n) => [n.kind, n.cluster, n.state]);
    expect(kinds).toEqual([
      ["open", "contoso-prod", "sent"],
      ["reminder", "contoso-prod", "sent"],
      ["finished", "contoso-prod", "sent"],
    ]);
  });
});

describe("the incident book: settling and logging", () => {
  /** Leases where this replica's own heartbeat lapsed: it is not among the live replicas. */
  const lapsed: WatchLeases = { replicaId: "replica-me", holds: () => true, liveReplicas: async () => [] };
  const claim = (store: Store, key: string, kind: "open" | "recovery", claimedBy: string) =>
    claimAs(store, claimedBy, { key, kind, incidentId: null, conversationId: "C-OPS" });

  it("never settles its own claims, even while its heartbeat lapsed; settles a gone replica's, and logs how many", async () => {
    const { store, book, logged } = await bookOn({}, () => true, lapsed);
    await claim(store, "open:mine", "open", "replica-me");
    await claim(store, "open:gone", "open", "replica-gone");
    await claim(store, "recovery:gone", "recovery", "replica-gone");
    expect(await book.settleOrphans()).toEqual({ abandoned: 1, released: 1 });
    expect((await store.getNotification("open:mine"))?.state).toBe("pending");
    expect(logged("abandoned", "released")).toEqual([["settled notifications a gone replica left unfinished", 1, 1]]);
    expect(await book.settleOrphans()).toEqual({ abandoned: 0, released: 0 });
    expect(logged()).toHaveLength(1);
  });

  it("leaves a live replica's claims alone and logs nothing when nothing was settled", async () => {
    const busy: WatchLeases = {
      replicaId: "replica-me",
      holds: () => true,
      liveReplicas: async () => ["replica-busy"],
    };
    const { store, book, logged } = await bookOn({}, () => true, busy);
    await claim(store, "open:busy", "open", "replica-busy");
    expect(await book.settleOrphans()).toEqual({ abandoned: 0, released: 0 });
    expect((await store.getNotification("open:busy"))?.state).toBe("pending");
    expect(logged()).toEqual([]);
  });

  it("logs a settle that released only a recovery", async () => {
    const { store, book, logged } = await bookOn({}, () => true, lapsed);
    await claim(store, "recovery:gone", "recovery", "replica-gone");
    expect(await book.settleOrphans(["contoso-prod"])).toEqual({ abandoned: 0, released: 1 });
    expect(logged("abandoned", "released", "clusters")).toEqual([
      ["settled notifications a gone replica left unfinished", 0, 1, ["contoso-prod"]],
    ]);
  });

  it("logs each incident it opens and resolves, with the node, the kind and the id", async () => {
    const { poll, logged, store } = await bookOn({ clearAfterPolls: 1 });
    await poll([stall()]);
    await poll([]);
    const [incident] = await store.listIncidents();
    expect(logged("node", "kind", "id")).toEqual([
      ["incident opened", "scan-01", "stalled", incident?.id],
      ["incident resolved", "scan-01", "stalled", incident?.id],
    ]);
  });

  it("logs a finished scan whose reports could not be read, with the cluster", async () => {
    const { store, book, logged } = await bookOn();
    await subscribe(store, "C-FIN", "*", true);
    const scan: FinishedScan = {
      cluster: "contoso-prod",
      startTime: null,
      finishedAt: "2026-11-25T06:00:00.000Z",
      nodes: 1,
      scannedFiles: 1,
      failedFiles: 0,
      scannedBytes: 1,
    };
    // Without a report reader there is nothing to fail.
    await book.announceFinished(scan);
    expect(logged()).toEqual([]);
    await book.announceFinished({ ...scan, finishedAt: "2026-11-26T06:00:00.000Z" }, async () => {
      throw new Error("agent went away");
    });
    expect(logged("cluster")).toEqual([["could not read the reports for the finished scan", "contoso-prod"]]);
  });
});

describe("the incident book: finished scans", () => {
  const scan = finishedScan;

  it("tells only conversations that asked for it and watch the cluster, once per cycle", async () => {
    const { store, delivery, book } = await bookOn();
    await subscribe(store, "C-PROD", "Contoso-Prod", true);
    await subscribe(store, "C-EMEA", "contoso-emea", true);
    await subscribe(store, "C-QUIET", "*", false);
    await book.announceFinished(scan("2026-11-25T00:00:00.000Z", "2026-11-25T06:00:00.000Z"));
    await book.announceFinished(scan("2026-11-25T00:00:00.000Z", "2026-11-25T06:05:00.000Z"));
    expect(delivery.posts.map((p) => p.to.conversationId)).toEqual(["C-PROD"]);
    expect(delivery.texts()[0]).toBe("Scan finished on contoso-prod: 120,000 files");
  });

  it("tells a cycle without a start time apart by when it finished", async () => {
    const { store, delivery, book } = await bookOn();
    await subscribe(store, "C-FIN", "*", true);
    await book.announceFinished(scan(null, "2026-11-25T06:00:00.000Z"));
    await book.announceFinished(scan(null, "2026-11-25T06:00:00.000Z"));
    await book.announceFinished(scan(null, "2026-11-26T06:00:00.000Z"));
    expect(delivery.posts).toHaveLength(2);
  });

  it("still announces the finish when the reports cannot be read, and reads them only when someone listens", async () => {
    const { store, delivery, book } = await bookOn();
    let reads = 0;
    const failing = async () => {
      reads++;
      throw new Error("agent went away");
    };
    await book.announceFinished(scan("2026-11-25T00:00:00.000Z", "2026-11-25T06:00:00.000Z"), failing);
    expect(reads).toBe(0);
    await subscribe(store, "C-FIN", "*", true);
    await book.announceFinished(scan("2026-11-25T00:00:00.000Z", "2026-11-25T06:00:00.000Z"), failing);
    expect(reads).toBe(1);
    expect(delivery.texts()).toEqual(["Scan finished on contoso-prod: 120,000 files"]);
  });
});
