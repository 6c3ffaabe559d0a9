import type { WatchSettings } from "../config/watchSection.js";
import type { PostedMessage } from "../delivery/delivery.js";
import type { NodeOutcome } from "../fleet/fleetClient.js";
import type { Logger } from "../foundation/logger.js";
import type { WatchLeases } from "../store/leases.js";
import { type Incident, type Store, type Subscription, subscriptionCovers } from "../store/store.js";
import type { ReportDigest } from "../wire/agentApi.js";
import { incidentClosedCard, incidentOpenedReply, incidentResolvedReply, scanFinishedReply } from "./alertMessage.js";
import type { NotificationSender } from "./notificationSender.js";
import type { Finding } from "./rules/finding.js";
import type { FinishedScan } from "./rules/finishedRule.js";
import { cardMessage } from "./scanCards.js";

/**
 * Incidents and their messages. One open incident per (node, kind), enforced
 * by the store; exactly one opening message per subscribed conversation;
 * reminders every `reminderEvery` until acknowledged; a recovery in the
 * opening message's thread (and the card updated) when it clears.
 *
 * Crash safety. Every message is claimed in the notification log (state
 * `pending`, unique key, the claiming replica's id) before the send and marked
 * `sent` after it. A crash in between leaves `pending` rows, and
 * `settleOrphans` decides what they mean: an opening, reminder or finished
 * message may have gone out, and a second copy is the worse failure (a
 * reminder follows anyway), so those are abandoned (at most once). A recovery
 * that is lost leaves a channel believing a node is still broken, so a pending
 * recovery is released and sent again (at least once). Incidents and their
 * `recoveryDone` flag live in the store, so a restart neither reopens nor
 * forgets them.
 *
 * Several replicas. Each sends only the messages of the clusters it holds, and
 * settles only rows of those clusters whose claimer is no longer alive (its
 * heartbeat expired, or an earlier run of this process): a replica that took a
 * cluster over cleans up after the crashed holder, and a replica starting
 * next to live ones never touches their sends in flight.
 */
export class IncidentBook {
  /** Healthy polls seen per open incident; in memory on purpose (a restart only delays a recovery by a few polls). */
  private readonly absentPolls = new Map<number, number>();

  constructor(
    private readonly options: {
      store: Store;
      sender: NotificationSender;
      settingsFor: (cluster: string) => WatchSettings;
      now: () => Date;
      logger: Logger;
      /** Who this replica is, which clusters it holds, who else is alive. */
      leases: WatchLeases;
      /** Clusters whose messages this replica sends now (held, and not waiting to be settled after a takeover). */
      sendsFor: (cluster: string) => boolean;
    },
  ) {}

  /**
   * Settles `pending` notifications whose claimer is gone (see the class
   * comment): those of `clusters`, or of every cluster this replica holds when
   * absent (rows too old to name a cluster included). Claims of live replicas
   * (this one included) are left alone, and each change applies only while the
   * row is still the dead claimer's, so a settle racing a new claim of the same
   * key cannot undo it.
   */
  async settleOrphans(clusters?: readonly string[]): Promise<{ abandoned: number; released: number }> {
    const { store, leases } = this.options;
    const me = leases.replicaId;
    let abandoned = 0;
    let released = 0;
    const pending = await store.listNotifications({
      state: "pending",
      notClaimedBy: [me],
      ...(clusters ? { clusters } : {}),
    });
    const candidates = pending.filter((n) => n.cluster === null || leases.holds(n.cluster));
    if (candidates.length === 0) return { abandoned, released };
    // Read after the rows: a replica alive now is in this list, so a send it has in flight is never touched.
    // Our own rows are already left out by the query (notClaimedBy).
    const live = new Set(await leases.liveReplicas());
    for (const n of candidates) {
      if (n.claimedBy !== null && live.has(n.claimedBy)) continue;
      const guard = { claimedBy: n.claimedBy };
      if (n.kind === "recovery") {
        if (await store.releaseNotification(n.key, guard)) released++;
      } else if (await store.abandonNotification(n.key, guard)) {
        abandoned++;
      }
    }
    if (abandoned + released > 0) {
      this.options.logger.warn(
        { abandoned, released, clusters },
        "settled notifications a gone replica left unfinished",
      );
    }
    return { abandoned, released };
  }

  /**
   * Applies one poll's findings for a node: opens or refreshes an incident per
   * finding (an open incident of the same kind continues, keeping its id and
   * acknowledgement), and resolves open ones whose finding stayed away while
   * `cleared` confirmed it for `clearAfterPolls` polls in a row.
   */
  async reconcile(
    node: string,
    cluster: string,
    findings: readonly Finding[],
    open: readonly Incident[],
    /** Whether this poll shows positive evidence that a kind's problem is gone (see incidentCleared). */
    cleared: (kind: Incident["kind"]) => boolean,
  ): Promise<void> {
    const { store } = this.options;
    const at = this.options.now().toISOString();
    for (const finding of findings) {
      const detail = { ...finding.detail, ...(finding.kbId ? { kbId: finding.kbId } : {}) };
      const existing = open.find((i) => i.kind === finding.kind);
      if (existing) {
        this.absentPolls.delete(existing.id);
        await store.touchIncident(existing.id, at, detail);
      } else {
        const { incident } = await store.openIncident({
          node,
          cluster,
          kind: finding.kind,
          summary: finding.summary,
          since: finding.since,
          openedAt: at,
          detail,
        });
        this.options.logger.info({ node, kind: finding.kind, id: incident.id }, "incident opened");
      }
    }
    const clearAfter = this.options.settingsFor(cluster).clearAfterPolls;
    for (const incident of open) {
      if (findings.some((f) => f.kind === incident.kind)) continue;
      if (!cleared(incident.kind)) {
        this.absentPolls.delete(incident.id);
        continue;
      }
      const healthy = (this.absentPolls.get(incident.id) ?? 0) + 1;
      if (healthy < clearAfter) {
        this.absentPolls.set(incident.id, healthy);
        continue;
      }
      this.absentPolls.delete(incident.id);
      await store.resolveIncident(incident.id, at);
      this.options.logger.info({ node, kind: incident.kind, id: incident.id }, "incident resolved");
    }
  }

  /** Sends what is due: openings, reminders, recoveries. Safe to call any number of times. */
  async notify(): Promise<void> {
    const { store } = this.options;
    const now = this.options.now();
    const subscriptions = await store.listSubscriptions();
    const snoozed = new Set((await store.listSnoozes(now.toISOString())).map((s) => s.node));
    const sends: Promise<unknown>[] = [];
    const { sendsFor } = this.options;
    const cards = await this.cardThreads(true);
    for (const incident of await store.listIncidents({ open: true })) {
      if (!sendsFor(incident.cluster) || snoozed.has(incident.node)) continue;
      const targets = subscriptions.filter((s) => subscriptionCovers(s, incident.cluster));
      sends.push(this.announce(incident, targets, now, cards));
    }
    for (const incident of await store.listIncidents({ recoveryPending: true })) {
      if (sendsFor(incident.cluster)) sends.push(this.recover(incident));
    }
    await Promise.all(sends);
  }

  /**
   * The live scan cards by cluster and conversation (`live`: only cards still
   * being edited): a stall or error of a scanning cluster goes in its card's thread.
   */
  private async cardThreads(live: boolean): Promise<CardThreads> {
    const cards = await this.options.store.listScanCards();
    const threads: CardThreads = new Map();
    for (const card of cards) {
      if (card.state === "lost" || (live && card.state !== "live")) continue;
      threads.set(cardThreadKey(card.cluster, card.platform, card.conversationId), cardMessage(card));
    }
    return threads;
  }

  private async announce(
    incident: Incident,
    targets: readonly Subscription[],
    now: Date,
    cards: CardThreads,
  ): Promise<void> {
    const { store, sender } = this.options;
    const opening = incidentOpenedReply(incident, now);
    await Promise.all(
      targets.map((s) => {
        const card = cards.get(cardThreadKey(incident.cluster, s.platform, s.conversationId));
        return sender.send({
          key: `open:${incident.id}:${s.platform}:${s.conversationId}`,
          kind: "open",
          incidentId: incident.id,
          cluster: incident.cluster,
          platform: s.platform,
          conversationId: s.conversationId,
          reply: opening,
          ...(card ? { threadOf: card } : {}),
        });
      }),
    );
    if (incident.ackedBy) return;
    const every = this.options.settingsFor(incident.cluster).reminderEvery;
    const last = Date.parse(incident.lastReminderAt ?? incident.openedAt);
    if (now.getTime() - last < every) return;
    const n = incident.reminderCount + 1;
    const reminder = incidentOpenedReply(incident, now, n);
    const opened = await store.listNotifications({ incidentId: incident.id, kind: "open", state: "sent" });
    await Promise.all(
      opened.map((o) =>
        sender.send({
          key: `reminder:${incident.id}:${n}:${o.platform}:${o.conversationId}`,
          kind: "reminder",
          incidentId: incident.id,
          cluster: incident.cluster,
          platform: o.platform,
          conversationId: o.conversationId,
          reply: reminder,
          ...(o.messageId ? { threadOf: posted(o) } : {}),
        }),
      ),
    );
    await store.markReminded(incident.id, now.toISOString());
  }

  private async recover(incident: Incident): Promise<void> {
    const { store, sender } = this.options;
    const notes = await store.listNotifications({ incidentId: incident.id, kind: "open" });
    // Only conversations that (may) have seen the alert hear that it cleared.
    const told = notes.filter((n) => n.state === "sent" || n.state === "abandoned");
    const recovery = incidentResolvedReply(incident);
    const closed = incidentClosedCard(incident);
    const outcomes = await Promise.all(
      told.map(async (o) => {
        const outcome = await sender.send({
          key: `recovery:${incident.id}:${o.platform}:${o.conversationId}`,
          kind: "recovery",
          incidentId: incident.id,
          cluster: incident.cluster,
          platform: o.platform,
          conversationId: o.conversationId,
          reply: recovery,
          ...(o.messageId ? { threadOf: posted(o) } : {}),
        });
        if (outcome.state === "sent" && o.messageId) await sender.update(posted(o), closed);
        return outcome.state;
      }),
    );
    // Not done while a claim is still pending: an opening still in flight decides whether its conversation
    // hears the recovery, and a recovery someone else claimed is either in flight (its sender marks the
    // incident done) or left by a dead replica (settling releases it and a later pass sends it again).
    if (notes.some((n) => n.state === "pending")) return;
    if (outcomes.includes("duplicate")) {
      const claimed = await store.listNotifications({ incidentId: incident.id, kind: "recovery", state: "pending" });
      if (claimed.length > 0) return;
    }
    await store.markRecoveryDone(incident.id);
  }

  /** Tells subscriptions that asked for it that a scan finished. */
  async announceFinished(
    scan: FinishedScan,
    digest?: () => Promise<readonly NodeOutcome<ReportDigest>[]>,
  ): Promise<void> {
    const subscriptions = (await this.options.store.listSubscriptions()).filter(
      (s) => s.notifyFinished && subscriptionCovers(s, scan.cluster),
    );
    if (subscriptions.length === 0) return;
    let outcomes: readonly NodeOutcome<ReportDigest>[] | undefined;
    try {
      outcomes = await digest?.();
    } catch (err) {
      this.options.logger.warn({ err, cluster: scan.cluster }, "could not read the reports for the finished scan");
    }
    const reply = scanFinishedReply(scan, outcomes);
    // Under the cycle's card, which is (or is about to become) its summary.
    const cards = await this.cardThreads(false);
    await Promise.all(
      subscriptions.map((s) => {
        const card = cards.get(cardThreadKey(scan.cluster, s.platform, s.conversationId));
        return this.options.sender.send({
          key: `finished:${scan.cluster}:${scan.startTime ?? scan.finishedAt}:${s.platform}:${s.conversationId}`,
          kind: "finished",
          incidentId: null,
          cluster: scan.cluster,
          platform: s.platform,
          conversationId: s.conversationId,
          reply,
          ...(card ? { threadOf: card } : {}),
        });
      }),
    );
  }
}

/** Card messages by cluster and conversation. */
type CardThreads = Map<string, PostedMessage>;

function cardThreadKey(cluster: string, platform: Subscription["platform"], conversationId: string): string {
  return `${cluster.toLowerCase()}\n${platform}\n${conversationId}`;
}

function posted(n: {
  platform: Subscription["platform"];
  conversationId: string;
  messageId: string | null;
  threadId: string | null;
}) {
  return {
    platform: n.platform,
    conversationId: n.conversationId,
    messageId: n.messageId ?? "",
    ...(n.threadId ? { threadId: n.threadId } : {}),
  };
}
