import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuditEntry } from "../../src/access/audit.js";
import type { ScanCard } from "../../src/store/scanCardRecord.js";
import type { NewIncident, Store } from "../../src/store/store.js";

/**
 * The behaviour every `Store` backend must show. A backend's test file calls
 * this with a factory that returns a fresh, empty store.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<Store> | Store): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    const stall = (over: Partial<NewIncident> = {}): NewIncident => ({
      node: "scan-01",
      cluster: "contoso-prod",
      kind: "stalled",
      summary: "no progress for 31m",
      since: "2026-11-25T01:00:00.000Z",
      openedAt: "2026-11-25T01:31:00.000Z",
      detail: { scannedFiles: 2280 },
      ...over,
    });

    const sub = {
      platform: "slack" as const,
      conversationId: "C024BE91L",
      cluster: "contoso-prod",
      notifyFinished: false,
      createdBy: "U1",
      createdAt: "2026-11-25T01:00:00.000Z",
    };

    it("keeps conversation references and retires them", async () => {
      const ref = { serviceUrl: "https://smba.trafficmanager.net/emea/", conversation: { id: "19:abc@thread.tacv2" } };
      await store.upsertConversation({
        platform: "teams",
        conversationId: "19:abc@thread.tacv2",
        reference: ref,
        label: "Scanner ops",
        updatedAt: "2026-11-25T01:00:00.000Z",
      });
      await store.upsertConversation({
        platform: "slack",
        conversationId: "C024BE91L",
        reference: null,
        updatedAt: "2026-11-25T01:00:00.000Z",
      });
      expect((await store.getConversation("teams", "19:abc@thread.tacv2"))?.reference).toEqual(ref);
      expect((await store.listConversations("teams")).map((c) => c.conversationId)).toEqual(["19:abc@thread.tacv2"]);
      // An update without a label keeps the one we knew.
      await store.upsertConversation({
        platform: "teams",
        conversationId: "19:abc@thread.tacv2",
        reference: { ...ref, activityId: "1" },
        updatedAt: "2026-11-25T02:00:00.000Z",
      });
      const updated = await store.getConversation("teams", "19:abc@thread.tacv2");
      expect(updated?.label).toBe("Scanner ops");
      expect(updated?.updatedAt).toBe("2026-11-25T02:00:00.000Z");
      await store.retireConversation("teams", "19:abc@thread.tacv2", "bot removed (403)");
      expect(await store.getConversation("teams", "19:abc@thread.tacv2")).toBeUndefined();
      expect(await store.listConversations()).toHaveLength(1);
    });

    it("subscribes once per conversation and cluster, and unsubscribes", async () => {
      expect(await store.addSubscription(sub)).toEqual({ created: true });
      expect(await store.addSubscription({ ...sub, notifyFinished: true })).toEqual({ created: false });
      await store.addSubscription({ ...sub, cluster: "*" });
      await store.addSubscription({ ...sub, conversationId: "C999" });
      const mine = await store.listSubscriptions({ platform: "slack", conversationId: "C024BE91L" });
      expect(mine.map((s) => [s.cluster, s.notifyFinished])).toEqual([
        ["*", false],
        ["contoso-prod", true],
      ]);
      expect(await store.removeSubscription("slack", "C024BE91L", "contoso-prod")).toBe(true);
      expect(await store.removeSubscription("slack", "C024BE91L", "contoso-prod")).toBe(false);
      expect(await store.removeConversationSubscriptions("slack", "C024BE91L")).toBe(1);
      expect((await store.listSubscriptions()).map((s) => s.conversationId)).toEqual(["C999"]);
    });

    it("allows one open incident per node and kind, and a new one after it resolves", async () => {
      const first = await store.openIncident(stall());
      expect(first.created).toBe(true);
      const again = await store.openIncident(stall({ summary: "no progress for 40m" }));
      expect(again).toMatchObject({
        created: false,
        incident: { id: first.incident.id, summary: "no progress for 31m" },
      });
      const other = await store.openIncident(stall({ kind: "unreachable" }));
      expect(other.created).toBe(true);
      expect(await store.listIncidents({ open: true })).toHaveLength(2);

      const resolved = await store.resolveIncident(first.incident.id, "2026-11-25T02:00:00.000Z");
      expect(resolved?.resolvedAt).toBe("2026-11-25T02:00:00.000Z");
      expect(await store.resolveIncident(first.incident.id, "2026-11-25T02:05:00.000Z")).toBeUndefined();
      expect((await store.listIncidents({ recoveryPending: true })).map((i) => i.id)).toEqual([first.incident.id]);
      await store.markRecoveryDone(first.incident.id);
      expect(await store.listIncidents({ recoveryPending: true })).toEqual([]);

      const reopened = await store.openIncident(stall({ openedAt: "2026-11-25T03:00:00.000Z" }));
      expect(reopened.created).toBe(true);
      expect(reopened.incident.id).not.toBe(first.incident.id);
      expect((await store.listIncidents({ node: "scan-01", open: false })).map((i) => i.id)).toEqual([
        first.incident.id,
      ]);
    });

    it("records touches, acknowledgements and reminders", async () => {
      const { incident } = await store.openIncident(stall());
      await store.touchIncident(incident.id, "2026-11-25T01:40:00.000Z", { scannedFiles: 2281 });
      expect(await store.ackIncident(incident.id, "slack:U1 (ana)", "2026-11-25T01:41:00.000Z")).toBe(true);
      await store.markReminded(incident.id, "2026-11-25T03:31:00.000Z");
      await store.markReminded(incident.id, "2026-11-25T05:31:00.000Z");
      expect(await store.getIncident(incident.id)).toMatchObject({
        lastSeenAt: "2026-11-25T01:40:00.000Z",
        detail: { scannedFiles: 2281 },
        ackedBy: "slack:U1 (ana)",
        reminderCount: 2,
        lastReminderAt: "2026-11-25T05:31:00.000Z",
      });
      expect(await store.ackIncident(9999, "x", "2026-11-25T01:41:00.000Z")).toBe(false);
      await store.resolveIncident(incident.id, "2026-11-25T06:00:00.000Z");
      expect(await store.ackIncident(incident.id, "late", "2026-11-25T06:01:00.000Z")).toBe(false);
    });

    it("claims each notification key once and tracks its state", async () => {
      const { incident } = await store.openIncident(stall());
      const n = {
        key: `open:${incident.id}:slack:C1`,
        kind: "open" as const,
        incidentId: incident.id,
        platform: "slack" as const,
        conversationId: "C1",
        createdAt: "2026-11-25T01:31:00.000Z",
      };
      expect(await store.claimNotification(n)).toBe(true);
      expect(await store.claimNotification(n)).toBe(false);
      expect((await store.getNotification(n.key))?.state).toBe("pending");
      await store.completeNotification(n.key, { messageId: "1732500000.000100" }, "2026-11-25T01:31:01.000Z");
      expect(await store.getNotification(n.key)).toMatchObject({ state: "sent", messageId: "1732500000.000100" });
      // A sent message can never be released for a second send.
      await store.releaseNotification(n.key);
      expect(await store.claimNotification(n)).toBe(false);

      const r = { ...n, key: `recovery:${incident.id}:slack:C1`, kind: "recovery" as const };
      expect(await store.claimNotification(r)).toBe(true);
      await store.releaseNotification(r.key);
      expect(await store.claimNotification(r)).toBe(true);
      await store.failNotification(r.key, "channel_not_found");
      const m = { ...n, key: "reminder:x", kind: "reminder" as const };
      await store.claimNotification(m);
      await store.abandonNotification(m.key);
      expect((await store.listNotifications({ incidentId: incident.id })).map((x) => [x.kind, x.state])).toEqual([
        ["open", "sent"],
        ["recovery", "failed"],
        ["reminder", "abandoned"],
      ]);
      expect(await store.listNotifications({ state: "failed" })).toHaveLength(1);
    });

    it("records each claim's cluster and replica, and lists pending claims by cluster and claimer", async () => {
      const { incident } = await store.openIncident(stall());
      const claim = (key: string, cluster: string | null, claimedBy: string | null) =>
        store.claimNotification({
          key,
          kind: key.startsWith("recovery") ? "recovery" : "open",
          incidentId: cluster === "contoso-prod" ? incident.id : null,
          platform: "slack",
          conversationId: "C1",
          createdAt: "2026-11-25T01:31:00.000Z",
          ...(cluster === null ? {} : { cluster }),
          ...(claimedBy === null ? {} : { claimedBy }),
        });
      await claim("open:a", "contoso-prod", "replica-a");
      await claim("recovery:b", "contoso-prod", "replica-b");
      await claim("open:dr", "contoso-dr", "replica-a");
      await claim("open:old", null, null);
      expect(await store.getNotification("open:a")).toMatchObject({ cluster: "contoso-prod", claimedBy: "replica-a" });
      expect(await store.getNotification("open:old")).toMatchObject({ cluster: null, claimedBy: null });

      const keys = async (query: Parameters<Store["listNotifications"]>[0]) =>
        (await store.listNotifications(query)).map((n) => n.key).sort();
      expect(await keys({ state: "pending", clusters: ["contoso-prod"] })).toEqual(["open:a", "recovery:b"]);
      expect(await keys({ clusters: ["contoso-prod", "contoso-dr"] })).toEqual(["open:a", "open:dr", "recovery:b"]);
      expect(await keys({ clusters: [] })).toEqual([]);
      // Rows without a claimer are nobody's: they are never left out as "ours".
      expect(await keys({ notClaimedBy: ["replica-a"] })).toEqual(["open:old", "recovery:b"]);
      expect(
        await keys({ state: "pending", clusters: ["contoso-prod"], notClaimedBy: ["replica-a", "replica-b"] }),
      ).toEqual([]);
      await store.completeNotification("open:a", { messageId: "m1" }, "2026-11-25T01:31:01.000Z");
      expect(await keys({ state: "pending", clusters: ["contoso-prod"] })).toEqual(["recovery:b"]);
    });

    it("changes a claim under a guard only while it is still that replica's", async () => {
      const base = {
        incidentId: null,
        platform: "slack" as const,
        conversationId: "C1",
        cluster: "contoso-prod",
        createdAt: "2026-11-25T01:31:00.000Z",
      };
      const dead = { claimedBy: "replica-dead" };
      const alive = { claimedBy: "replica-alive" };

      // A recovery left by a dead replica is released once; the new claim is then safe from that settle.
      await store.claimNotification({ ...base, key: "recovery:1", kind: "recovery", ...dead });
      expect(await store.releaseNotification("recovery:1", alive)).toBe(false);
      expect(await store.releaseNotification("recovery:1", dead)).toBe(true);
      expect(await store.claimNotification({ ...base, key: "recovery:1", kind: "recovery", ...alive })).toBe(true);
      expect(await store.releaseNotification("recovery:1", dead)).toBe(false);
      // A late report from the dead replica changes nothing of the new claim.
      await store.failNotification("recovery:1", "socket hang up", dead);
      await store.completeNotification("recovery:1", { messageId: "zombie" }, "2026-11-25T01:32:00.000Z", dead);
      expect(await store.getNotification("recovery:1")).toMatchObject({ state: "pending", claimedBy: "replica-alive" });
      await store.completeNotification("recovery:1", { messageId: "m2" }, "2026-11-25T01:32:00.000Z", alive);
      // Neither a guarded failure nor a release undoes a sent message.
      await store.failNotification("recovery:1", "late", alive);
      expect(await store.releaseNotification("recovery:1", alive)).toBe(false);
      expect(await store.getNotification("recovery:1")).toMatchObject({ state: "sent", messageId: "m2" });

      // Abandoning follows the same rule; rows from before claimers were recorded match a null guard.
      await store.claimNotification({ ...base, key: "open:1", kind: "open", ...dead });
      expect(await store.abandonNotification("open:1", alive)).toBe(false);
      expect(await store.abandonNotification("open:1", dead)).toBe(true);
      expect(await store.abandonNotification("open:1", dead)).toBe(false);
      const { cluster: _, ...legacy } = base;
      await store.claimNotification({ ...legacy, key: "open:legacy", kind: "open" });
      expect(await store.abandonNotification("open:legacy", dead)).toBe(false);
      expect(await store.abandonNotification("open:legacy", { claimedBy: null })).toBe(true);
      expect((await store.listNotifications({ state: "abandoned" })).map((n) => n.key).sort()).toEqual([
        "open:1",
        "open:legacy",
      ]);
    });

    it("keeps snoozes until they run out", async () => {
      await store.setSnooze({
        node: "scan-01",
        until: "2026-11-25T02:00:00.000Z",
        by: "U1",
        createdAt: "2026-11-25T01:00:00.000Z",
      });
      await store.setSnooze({
        node: "scan-01",
        until: "2026-11-25T05:00:00.000Z",
        by: "U2",
        createdAt: "2026-11-25T01:05:00.000Z",
      });
      expect(await store.listSnoozes("2026-11-25T04:00:00.000Z")).toMatchObject([{ node: "scan-01", by: "U2" }]);
      expect(await store.listSnoozes("2026-11-25T05:00:00.000Z")).toEqual([]);
      expect(await store.clearSnooze("scan-01")).toBe(true);
      expect(await store.clearSnooze("scan-01")).toBe(false);
    });

    it("saves and loads node histories", async () => {
      await store.saveHistories([
        { node: "scan-01", cluster: "contoso-prod", entries: [{ a: 1 }], updatedAt: "2026-11-25T01:00:00.000Z" },
        { node: "scan-02", cluster: "contoso-prod", entries: [], updatedAt: "2026-11-25T01:00:00.000Z" },
      ]);
      await store.saveHistories([
        { node: "scan-01", cluster: "contoso-prod", entries: [{ a: 2 }], updatedAt: "2026-11-25T01:01:00.000Z" },
      ]);
      expect(await store.loadHistories()).toEqual([
        { node: "scan-01", cluster: "contoso-prod", entries: [{ a: 2 }], updatedAt: "2026-11-25T01:01:00.000Z" },
        { node: "scan-02", cluster: "contoso-prod", entries: [], updatedAt: "2026-11-25T01:00:00.000Z" },
      ]);
    });

    it("claims a chat request once while its record lives, again after it expired", async () => {
      const at = new Date("2026-11-25T01:00:00.000Z");
      const later = (ms: number) => new Date(at.getTime() + ms);
      expect(await store.claimRequest("slack:event:Ev01", at, 60_000)).toBe(true);
      expect(await store.claimRequest("slack:event:Ev01", later(1_000), 60_000)).toBe(false);
      expect(await store.claimRequest("slack:event:Ev02", later(1_000), 60_000)).toBe(true);
      expect(await store.claimRequest("slack:event:Ev01", later(59_999), 60_000)).toBe(false);
      // Expired: the key is claimable again (and the sweep leaves live keys alone).
      expect(await store.claimRequest("slack:event:Ev01", later(60_000), 60_000)).toBe(true);
      expect(await store.claimRequest("slack:event:Ev02", later(60_500), 60_000)).toBe(false);
      // Racing claims of one key: exactly one wins.
      const race = await Promise.all([1, 2, 3, 4].map(() => store.claimRequest("slack:trigger:T1", at, 60_000)));
      expect(race.filter(Boolean)).toHaveLength(1);
    });

    it("keeps each completed scan cycle once and returns the newest of a cluster", async () => {
      const cycle = (startKey: string, finishedAt: string, scannedFiles: number) => ({
        cluster: "contoso-prod",
        startKey,
        startedAt: startKey,
        finishedAt,
        scannedFiles,
        scannedBytes: scannedFiles * 1000,
        failedFiles: 1,
        repositories: 2,
        nodeFiles: { "scan-01": scannedFiles },
        curve: [
          [0, 0],
          [60, scannedFiles],
        ] as [number, number][],
      });
      expect(await store.lastScanCycle("contoso-prod")).toBeUndefined();
      expect(await store.recordScanCycle(cycle("2026-11-25T01:00:00.000Z", "2026-11-25T02:00:00.000Z", 500))).toBe(
        true,
      );
      // A second replica seeing the same finish keeps nothing new.
      expect(await store.recordScanCycle(cycle("2026-11-25T01:00:00.000Z", "2026-11-25T02:00:01.000Z", 501))).toBe(
        false,
      );
      await store.recordScanCycle(cycle("2026-11-25T03:00:00.000Z", "2026-11-25T04:00:00.000Z", 700));
      expect(await store.lastScanCycle("contoso-prod")).toEqual(
        cycle("2026-11-25T03:00:00.000Z", "2026-11-25T04:00:00.000Z", 700),
      );
      expect(await store.lastScanCycle("contoso-test")).toBeUndefined();
    });

    it("keeps `watch on --no-card` with the subscription, and a card by default", async () => {
      await store.addSubscription(sub);
      await store.addSubscription({ ...sub, cluster: "contoso-test", liveCard: false });
      const cards = async () => (await store.listSubscriptions()).map((s) => [s.cluster, s.liveCard]);
      expect(await cards()).toEqual([
        ["contoso-prod", true],
        ["contoso-test", false],
      ]);
      // `watch on` again without the flag turns the card back on.
      await store.addSubscription({ ...sub, cluster: "contoso-test" });
      expect(await cards()).toEqual([
        ["contoso-prod", true],
        ["contoso-test", true],
      ]);
    });

    it("keeps one live scan card per cluster and conversation, replaced by the next cycle's, and forgets it", async () => {
      const card = (over: Partial<ScanCard> = {}): ScanCard => ({
        cluster: "contoso-prod",
        platform: "slack",
        conversationId: "C024BE91L",
        cycleKey: "2026-11-25T01:00:00.000Z",
        messageId: "1700000001.000100",
        threadId: null,
        state: "live",
        shown: "scanning 500 files",
        editedAt: "2026-11-25T01:01:00.000Z",
        nextEditAt: "2026-11-25T01:02:00.000Z",
        reposts: 0,
        createdAt: "2026-11-25T01:01:00.000Z",
        ...over,
      });
      expect(await store.listScanCards()).toEqual([]);
      await store.saveScanCard(card());
      await store.saveScanCard(card({ conversationId: "19:ops@thread.tacv2", platform: "teams", threadId: "1" }));
      await store.saveScanCard(card({ cluster: "contoso-test" }));
      // An edit of the same card, then the next cycle's card in its place.
      await store.saveScanCard(card({ shown: "scanning 900 files", reposts: 1 }));
      expect((await store.listScanCards("contoso-prod")).map((c) => [c.platform, c.shown, c.reposts])).toEqual([
        ["slack", "scanning 900 files", 1],
        ["teams", "scanning 500 files", 0],
      ]);
      await store.saveScanCard(
        card({ cycleKey: "2026-11-25T05:00:00.000Z", messageId: "1700000009.000900", state: "finished" }),
      );
      const [slack] = await store.listScanCards("contoso-prod");
      expect(slack).toEqual(
        card({ cycleKey: "2026-11-25T05:00:00.000Z", messageId: "1700000009.000900", state: "finished" }),
      );
      expect((await store.listScanCards()).map((c) => c.cluster)).toEqual([
        "contoso-prod",
        "contoso-prod",
        "contoso-test",
      ]);
      expect(await store.removeScanCard("contoso-prod", "slack", "C024BE91L")).toBe(true);
      expect(await store.removeScanCard("contoso-prod", "slack", "C024BE91L")).toBe(false);
      expect(await store.listScanCards("contoso-prod")).toHaveLength(1);
    });

    it("appends audit entries, newest first", async () => {
      const entry = (command: string, at: string): AuditEntry => ({
        at,
        platform: "slack",
        userId: "U1",
        command,
        line: command,
        outcome: "ok",
        durationMs: 3,
      });
      await store.record(entry("ack", "2026-11-25T01:00:00.000Z"));
      await store.record(entry("snooze", "2026-11-25T01:01:00.000Z"));
      expect((await store.listAudit(10)).map((e) => e.command)).toEqual(["snooze", "ack"]);
      expect(await store.listAudit(1)).toHaveLength(1);
    });
  });
}
