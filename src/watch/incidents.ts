import type { WatchSettings } from "../config/watchSection.js";
import type { Logger } from "../logger.js";
import { allClusters, type Incident, type Store, type Subscription } from "../store/store.js";
import { incidentClosedCard, incidentOpenedReply, incidentResolvedReply, scanFinishedReply } from "./alertMessage.js";
import type { NotificationSender } from "./notificationSender.js";
import type { Finding } from "./rules/finding.js";
import type { FinishedScan } from "./rules/finishedRule.js";

/**
 * Incidents and their messages. One open incident per (node, kind), enforced
 * by the store; exactly one opening message per subscribed conversation;
 * reminders every `reminderEvery` until acknowledged; a recovery in the
 * opening message's thread (and the card updated) when it clears.
 *
 * Crash safety. Every message is claimed in the notification log (state
 * `pending`, unique key) before the send and marked `sent` after it. A crash in
 * between leaves `pending` rows, and `recoverAfterRestart` decides what they
 * mean: an opening, reminder or finished message may have gone out, and a
 * second copy is the worse failure (a reminder follows anyway), so those are
 * abandoned (at most once). A recovery that is lost leaves a channel believing
 * a node is still broken, so a pending recovery is released and sent again
 * (at least once). Incidents and their `recoveryDone` flag live in the store,
 * so a restart neither reopens nor forgets them.
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
    },
  ) {}

  /** Settles `pending` notifications a previous run left behind (see the class comment). */
  async recoverAfterRestart(): Promise<{ abandoned: number; released: number }> {
    const { store } = this.options;
    let abandoned = 0;
    let released = 0;
    for (const n of await store.listNotifications({ state: "pending" })) {
      if (n.kind === "recovery") {
        await store.releaseNotification(n.key);
        released++;
      } else {
        await store.abandonNotification(n.key);
        abandoned++;
      }
    }
    if (abandoned + released > 0) this.options.logger.warn({ abandoned, released }, "settled unfinished notifications");
    return { abandoned, released };
  }

  /**
   * Applies one poll's findings for a node: opens or refreshes an incident per
   * finding, and resolves open ones whose finding stayed away (and that `cleared`
   * confirms) for `clearAfterPolls` polls in a row.
   */
  async reconcile(
    node: string,
    cluster: string,
    findings: readonly Finding[],
    open: readonly Incident[],
    /** Whether the node shows positive evidence that a kind's problem is gone (default: its finding is absent). */
    cleared: (kind: Incident["kind"]) => boolean = () => true,
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
    for (const incident of await store.listIncidents({ open: true })) {
      if (snoozed.has(incident.node)) continue;
      const targets = subscriptions.filter((s) => covers(s, incident.cluster));
      sends.push(this.announce(incident, targets, now));
    }
    for (const incident of await store.listIncidents({ recoveryPending: true })) {
      sends.push(this.recover(incident));
    }
    await Promise.all(sends);
  }

  private async announce(incident: Incident, targets: readonly Subscription[], now: Date): Promise<void> {
    const { store, sender } = this.options;
    const opening = incidentOpenedReply(incident, now);
    await Promise.all(
      targets.map((s) =>
        sender.send({
          key: `open:${incident.id}:${s.platform}:${s.conversationId}`,
          kind: "open",
          incidentId: incident.id,
          platform: s.platform,
          conversationId: s.conversationId,
          reply: opening,
        }),
      ),
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
    await Promise.all(
      told.map(async (o) => {
        const outcome = await sender.send({
          key: `recovery:${incident.id}:${o.platform}:${o.conversationId}`,
          kind: "recovery",
          incidentId: incident.id,
          platform: o.platform,
          conversationId: o.conversationId,
          reply: recovery,
          ...(o.messageId ? { threadOf: posted(o) } : {}),
        });
        if (outcome.state === "sent" && o.messageId) await sender.update(posted(o), closed);
      }),
    );
    await store.markRecoveryDone(incident.id);
  }

  /** Tells subscriptions that asked for it that a scan finished. */
  async announceFinished(scan: FinishedScan): Promise<void> {
    const subscriptions = await this.options.store.listSubscriptions();
    const reply = scanFinishedReply(scan);
    await Promise.all(
      subscriptions
        .filter((s) => s.notifyFinished && covers(s, scan.cluster))
        .map((s) =>
          this.options.sender.send({
            key: `finished:${scan.cluster}:${scan.startTime ?? scan.finishedAt}:${s.platform}:${s.conversationId}`,
            kind: "finished",
            incidentId: null,
            platform: s.platform,
            conversationId: s.conversationId,
            reply,
          }),
        ),
    );
  }
}

function covers(subscription: Subscription, cluster: string): boolean {
  return subscription.cluster === allClusters || subscription.cluster.toLowerCase() === cluster.toLowerCase();
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
