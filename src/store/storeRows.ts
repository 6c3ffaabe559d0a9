import { z } from "zod";
import type { ConversationRecord } from "../delivery/conversationStore.js";
import {
  type Incident,
  incidentSchema,
  type NewNotification,
  type NodeHistoryRecord,
  type NotificationRecord,
  notificationSchema,
  platformSchema,
  type Snooze,
  type Subscription,
  snoozeSchema,
  subscriptionSchema,
} from "./store.js";

/**
 * Table rows → the store's records, shared by both backends. The column names
 * are the same in SQLite and PostgreSQL; only flags differ (SQLite 0/1,
 * PostgreSQL booleans) and missing values (SQLite `null`, sometimes absent).
 */
export type Row = Record<string, unknown>;

const jsonObject = z.record(z.string(), z.unknown());

/** A flag column: SQLite stores 1/0, PostgreSQL true/false. */
function flag(value: unknown): boolean {
  return value === true || value === 1;
}

/** An optional column as the schemas want it: null when absent. */
function nullable(value: unknown): unknown {
  return value ?? null;
}

/** One `incidents` row. */
export function incidentFromRow(row: Row): Incident {
  return incidentSchema.parse({
    id: row.id,
    node: row.node,
    cluster: row.cluster,
    kind: row.kind,
    summary: row.summary,
    since: row.since,
    openedAt: row.opened_at,
    lastSeenAt: row.last_seen_at,
    resolvedAt: nullable(row.resolved_at),
    ackedBy: nullable(row.acked_by),
    ackedAt: nullable(row.acked_at),
    lastReminderAt: nullable(row.last_reminder_at),
    reminderCount: row.reminder_count,
    recoveryDone: flag(row.recovery_done),
    detail: jsonObject.parse(JSON.parse(String(row.detail))),
  });
}

/** One `notifications` row. */
export function notificationFromRow(row: Row): NotificationRecord {
  return notificationSchema.parse({
    key: row.key,
    kind: row.kind,
    incidentId: nullable(row.incident_id),
    cluster: nullable(row.cluster),
    claimedBy: nullable(row.claimed_by),
    platform: row.platform,
    conversationId: row.conversation_id,
    state: row.state,
    messageId: nullable(row.message_id),
    threadId: nullable(row.thread_id),
    createdAt: row.created_at,
    sentAt: nullable(row.sent_at),
    error: nullable(row.error),
  });
}

/** Columns a claim inserts, in the order both backends' INSERT statements name them. */
export const notificationClaimColumns =
  "key, kind, incident_id, cluster, claimed_by, platform, conversation_id, state, created_at";

/** A claim's values for `notificationClaimColumns` (state is always `pending`). */
export function notificationClaimValues(n: NewNotification): unknown[] {
  const { key, kind, incidentId, platform, conversationId, createdAt } = n;
  return [
    key,
    kind,
    incidentId,
    n.cluster ?? null,
    n.claimedBy ?? null,
    platform,
    conversationId,
    "pending",
    createdAt,
  ];
}

/** One `subscriptions` row. */
export function subscriptionFromRow(row: Row): Subscription {
  return subscriptionSchema.parse({
    platform: row.platform,
    conversationId: row.conversation_id,
    cluster: row.cluster,
    notifyFinished: flag(row.notify_finished),
    // A row from before the column existed has no value: it had a card by default.
    liveCard: row.live_card === undefined || row.live_card === null || flag(row.live_card),
    createdBy: row.created_by,
    createdAt: row.created_at,
  });
}

/** One `conversations` row; the reference is the adapter's JSON, kept as it was written. */
export function conversationFromRow(row: Row): ConversationRecord {
  return {
    platform: platformSchema.parse(row.platform),
    conversationId: String(row.conversation_id),
    reference: JSON.parse(String(row.reference)),
    ...(row.label ? { label: String(row.label) } : {}),
    updatedAt: String(row.updated_at),
  };
}

/** One `node_histories` row; entries stay opaque (the watcher validates them). */
export function historyFromRow(row: Row): NodeHistoryRecord {
  const entries: unknown = JSON.parse(String(row.entries));
  return {
    node: String(row.node),
    cluster: String(row.cluster),
    entries: Array.isArray(entries) ? entries : [],
    updatedAt: String(row.updated_at),
  };
}

/** One `snoozes` row. */
export function snoozeFromRow(row: Row): Snooze {
  return snoozeSchema.parse({ node: row.node, until: row.until, by: row.by, createdAt: row.created_at });
}
