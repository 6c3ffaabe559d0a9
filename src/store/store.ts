import { z } from "zod";
import type { AuditEntry, AuditSink } from "../access/audit.js";
import type { ConversationStore } from "../delivery/conversationStore.js";
import type { Platform } from "../delivery/delivery.js";
import { platformSchema } from "./platformSchema.js";
import type { ScanCardStore } from "./scanCardRecord.js";
import type { ScanCycleArchive } from "./scanCycleRecord.js";

/**
 * What the bot remembers across restarts: who watches which cluster, where to
 * reach them, what the watcher saw, which incidents are open and which
 * messages went out. Every method returns a promise so a networked backend
 * (PostgreSQL) can implement the same interface as SQLite.
 */

export { platformSchema };

/** `watch on [cluster]` in a conversation. `cluster` is `*` for every cluster. */
export const subscriptionSchema = z.object({
  platform: platformSchema,
  conversationId: z.string().min(1),
  cluster: z.string().min(1),
  /** Also post when a scan finishes, with its totals. */
  notifyFinished: z.boolean(),
  /** False after `watch on --no-card`: no live scan card here. Absent (older callers) means a card. */
  liveCard: z.boolean().optional(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type Subscription = z.infer<typeof subscriptionSchema>;

/** Cluster value of a subscription that covers every cluster. */
export const allClusters = "*";

/** Whether a subscription hears about `cluster` (its own, or every cluster). */
export function subscriptionCovers(subscription: Pick<Subscription, "cluster">, cluster: string): boolean {
  return subscription.cluster === allClusters || subscription.cluster.toLowerCase() === cluster.toLowerCase();
}

export const incidentKindSchema = z.enum(["stalled", "unreachable", "service_stopped", "error_state"]);
export type IncidentKind = z.infer<typeof incidentKindSchema>;

/** A problem on one node, open until the watcher sees it clear. At most one open per (node, kind). */
export const incidentSchema = z.object({
  id: z.number().int().positive(),
  node: z.string(),
  cluster: z.string(),
  kind: incidentKindSchema,
  /** One line: what happened. */
  summary: z.string(),
  /** When the problem started (e.g. the last progress of a stalled scan), not when it was noticed. */
  since: z.string(),
  openedAt: z.string(),
  lastSeenAt: z.string(),
  resolvedAt: z.string().nullable(),
  ackedBy: z.string().nullable(),
  ackedAt: z.string().nullable(),
  lastReminderAt: z.string().nullable(),
  reminderCount: z.number().int().nonnegative(),
  /** True once every recovery message for a resolved incident has been handed to delivery. */
  recoveryDone: z.boolean(),
  /** The rule's finding as JSON-serialisable data, for the message and `incidents`. */
  detail: z.record(z.string(), z.unknown()),
});
export type Incident = z.infer<typeof incidentSchema>;

export interface NewIncident {
  node: string;
  cluster: string;
  kind: IncidentKind;
  summary: string;
  since: string;
  openedAt: string;
  detail: Record<string, unknown>;
}

export const notificationKindSchema = z.enum(["open", "reminder", "recovery", "finished"]);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

/**
 * One proactive message. `pending` is written before the send and `sent` after,
 * under a unique idempotency key, so a crash in between is visible afterwards.
 * The row names the cluster the message is about and the replica that claimed
 * it, so a replica taking a cluster over can tell a dead replica's leftovers
 * from a live one's sends in flight.
 */
export const notificationSchema = z.object({
  key: z.string(),
  kind: notificationKindSchema,
  incidentId: z.number().int().nullable(),
  /** The cluster of the incident or finished scan; null only on rows written before clusters were recorded. */
  cluster: z.string().nullable(),
  /** The replica (process) that claimed the key; null only on rows written before claimers were recorded. */
  claimedBy: z.string().nullable(),
  platform: platformSchema,
  conversationId: z.string(),
  state: z.enum(["pending", "sent", "failed", "abandoned"]),
  messageId: z.string().nullable(),
  threadId: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  error: z.string().nullable(),
});
export type NotificationRecord = z.infer<typeof notificationSchema>;

export type NewNotification = Pick<
  NotificationRecord,
  "key" | "kind" | "incidentId" | "platform" | "conversationId"
> & {
  createdAt: string;
  cluster?: string | null;
  claimedBy?: string | null;
};

/** Where a sent message landed, for threading replies and editing it later. */
export interface SentMessageIds {
  messageId: string;
  threadId?: string;
}

/**
 * Whose claim a change applies to. A replica whose claim was settled as
 * orphaned (it looked dead) must not change the row of whoever claimed the key
 * next; `null` matches rows written before claimers were recorded.
 */
export interface ClaimGuard {
  claimedBy: string | null;
}

/** `snooze <node> <duration>`: no alerts or reminders for the node until `until`. */
export const snoozeSchema = z.object({
  node: z.string(),
  until: z.string(),
  by: z.string(),
  createdAt: z.string(),
});
export type Snooze = z.infer<typeof snoozeSchema>;

/** The watcher's short history of one node, stored as the watcher's own JSON. */
export interface NodeHistoryRecord {
  node: string;
  cluster: string;
  /** Opaque to the store; the watcher validates it when it reads it back. */
  entries: unknown[];
  updatedAt: string;
}

export interface IncidentQuery {
  open?: boolean;
  node?: string;
  /** Resolved incidents whose recovery messages have not all gone out yet. */
  recoveryPending?: boolean;
  limit?: number;
}

export interface NotificationQuery {
  incidentId?: number;
  state?: NotificationRecord["state"];
  kind?: NotificationKind;
  /** Only rows about one of these clusters (rows without a cluster never match). */
  clusters?: readonly string[];
  /** Leaves out rows claimed by any of these replicas (rows without a claimer are kept). */
  notClaimedBy?: readonly string[];
}

export interface Store extends ConversationStore, AuditSink, ScanCycleArchive, ScanCardStore {
  /** Which backend this is, for `watch status` and logs. */
  readonly backend: "sqlite" | "postgres";

  addSubscription(subscription: Subscription): Promise<{ created: boolean }>;
  removeSubscription(platform: Platform, conversationId: string, cluster: string): Promise<boolean>;
  /** Subscriptions, optionally only those of one conversation. */
  listSubscriptions(filter?: { platform?: Platform; conversationId?: string }): Promise<Subscription[]>;
  /** Drops every subscription of a conversation (the bot was removed from it). */
  removeConversationSubscriptions(platform: Platform, conversationId: string): Promise<number>;

  saveHistories(records: readonly NodeHistoryRecord[]): Promise<void>;
  loadHistories(): Promise<NodeHistoryRecord[]>;

  /** Opens an incident, or returns the one already open for (node, kind) with `created: false`. */
  openIncident(incident: NewIncident): Promise<{ incident: Incident; created: boolean }>;
  getIncident(id: number): Promise<Incident | undefined>;
  listIncidents(query?: IncidentQuery): Promise<Incident[]>;
  /** Records that the problem is still there (and its newest detail). */
  touchIncident(id: number, at: string, detail: Record<string, unknown>): Promise<void>;
  /** Closes an open incident; undefined when it was not open. */
  resolveIncident(id: number, at: string): Promise<Incident | undefined>;
  /** Records who acknowledged; false when the incident does not exist or is already closed. */
  ackIncident(id: number, by: string, at: string): Promise<boolean>;
  markReminded(id: number, at: string): Promise<void>;
  markRecoveryDone(id: number): Promise<void>;

  setSnooze(snooze: Snooze): Promise<void>;
  clearSnooze(node: string): Promise<boolean>;
  /** Snoozes still running at `now`. */
  listSnoozes(now: string): Promise<Snooze[]>;

  /** Inserts a pending notification; false when one with that key exists (someone already claimed it). */
  claimNotification(notification: NewNotification): Promise<boolean>;
  /** Marks the message sent; with a guard, only while the row is that replica's claim. */
  completeNotification(key: string, posted: SentMessageIds, at: string, guard?: ClaimGuard): Promise<void>;
  /** Marks the message failed; with a guard, only while the row is that replica's pending claim. */
  failNotification(key: string, error: string, guard?: ClaimGuard): Promise<void>;
  /**
   * Forgets a claim so the message may be claimed again (a recovery whose sender died). Never a sent row;
   * with a guard, only a pending row claimed by that replica. True when a row went.
   */
  releaseNotification(key: string, guard?: ClaimGuard): Promise<boolean>;
  /** Pending → abandoned (the sender died; it may have gone out); with a guard, only that replica's claim. */
  abandonNotification(key: string, guard?: ClaimGuard): Promise<boolean>;
  getNotification(key: string): Promise<NotificationRecord | undefined>;
  listNotifications(query?: NotificationQuery): Promise<NotificationRecord[]>;

  /**
   * Records that the chat request identified by `key` is being handled, and keeps that record until
   * `at + keepMs`. False when a live record exists: the request is a re-delivery that this or another replica
   * already took. Expired records are replaced (and swept now and then), so the table stays small.
   */
  claimRequest(key: string, at: Date, keepMs: number): Promise<boolean>;

  /** Newest audit entries first. */
  listAudit(limit?: number): Promise<AuditEntry[]>;

  close(): Promise<void>;
}
