import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import BetterSqlite3, { type Database } from "better-sqlite3";
import { type AuditEntry, auditEntrySchema } from "../access/audit.js";
import type { ConversationRecord } from "../delivery/conversationStore.js";
import type { Platform } from "../delivery/delivery.js";
import { BotError } from "../foundation/botError.js";
import { type ScanCard, scanCardColumns, scanCardFromRow, scanCardUpsert, scanCardValues } from "./scanCardRecord.js";
import { type ScanCycleRecord, storedScanCycle } from "./scanCycleRecord.js";
import { BusyRetry } from "./sqliteBusyRetry.js";
import { migrate } from "./sqliteMigrations.js";
import type {
  ClaimGuard,
  Incident,
  IncidentQuery,
  NewIncident,
  NewNotification,
  NodeHistoryRecord,
  NotificationQuery,
  NotificationRecord,
  SentMessageIds,
  Snooze,
  Store,
  Subscription,
} from "./store.js";
import {
  conversationFromRow,
  historyFromRow,
  incidentFromRow,
  notificationClaimColumns,
  notificationClaimValues,
  notificationFromRow,
  type Row,
  snoozeFromRow,
  subscriptionFromRow,
} from "./storeRows.js";
import { SweepSchedule } from "./sweepSchedule.js";

/** The longest one try may hold the event loop while another connection has the write lock. */
const busyTimeoutPerTryMs = 20;

/** Waiting on the lock at open time: nothing else runs yet, so the driver may wait as long as it likes. */
const busyTimeoutAtOpenMs = 5_000;

export interface SqliteStoreOptions {
  /** How long one operation waits out another process's lock before it fails with a store_error (default 5 s). */
  lockBudgetMs?: number;
}

/**
 * The SQLite store: one file, WAL journal (readers never wait for the
 * watcher's writes), schema migrations on open. better-sqlite3 is
 * synchronous, so a lock held by another process is waited out in
 * `BusyRetry` (short tries, asynchronous sleeps) rather than in the driver.
 * Retrying a whole operation is safe because every write is one statement
 * or one transaction (`transaction`): a busy try leaves nothing behind.
 */
export class SqliteStore implements Store {
  readonly backend = "sqlite" as const;
  private readonly db: Database;
  private readonly busy: BusyRetry;
  private readonly requestSweep = new SweepSchedule();

  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.busy = new BusyRetry(options.lockBudgetMs === undefined ? {} : { budgetMs: options.lockBudgetMs });
    try {
      if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
      this.db = new BetterSqlite3(path);
      this.db.pragma(`busy_timeout = ${busyTimeoutAtOpenMs}`);
      this.db.pragma("journal_mode = WAL");
      // WAL with NORMAL sync is durable against a process crash, which is the failure the notification log guards.
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma("foreign_keys = ON");
      migrate(this.db);
      this.db.pragma(`busy_timeout = ${busyTimeoutPerTryMs}`);
    } catch (err) {
      throw new BotError("store_error", `The bot's database at ${path} could not be opened.`, { cause: err });
    }
  }

  /** Runs one write in call order, waiting out locks, turning driver errors into a `store_error` users can read. */
  private write<T>(what: string, work: () => T): Promise<T> {
    return this.busy.write(work).catch((err: unknown) => Promise.reject(storeError(what, err)));
  }

  /**
   * Runs statements as one IMMEDIATE transaction: a busy try rolls all of them back, so `write` may retry it, and
   * the write lock is taken before the first read (a deferred transaction that read first fails busy at once,
   * without waiting, when it then tries to write).
   */
  private transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  /** Runs one read, waiting out locks (rare in WAL mode), with the same errors as `write`. */
  private read<T>(what: string, work: () => T): Promise<T> {
    return this.busy.read(work).catch((err: unknown) => Promise.reject(storeError(what, err)));
  }

  upsertConversation(record: ConversationRecord): Promise<void> {
    return this.write("save a conversation", () => {
      this.db
        .prepare(
          `INSERT INTO conversations (platform, conversation_id, reference, label, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (platform, conversation_id) DO UPDATE SET reference = excluded.reference,
             label = coalesce(excluded.label, conversations.label), updated_at = excluded.updated_at`,
        )
        .run(
          record.platform,
          record.conversationId,
          JSON.stringify(record.reference ?? null),
          record.label ?? null,
          record.updatedAt,
        );
    });
  }

  getConversation(platform: Platform, conversationId: string): Promise<ConversationRecord | undefined> {
    return this.read("read a conversation", () => {
      const row = this.db
        .prepare("SELECT * FROM conversations WHERE platform = ? AND conversation_id = ?")
        .get(platform, conversationId) as Row | undefined;
      return row ? conversationFromRow(row) : undefined;
    });
  }

  listConversations(platform?: Platform): Promise<ConversationRecord[]> {
    return this.read("list conversations", () => {
      const rows = (
        platform
          ? this.db.prepare("SELECT * FROM conversations WHERE platform = ? ORDER BY conversation_id").all(platform)
          : this.db.prepare("SELECT * FROM conversations ORDER BY platform, conversation_id").all()
      ) as Row[];
      return rows.map(conversationFromRow);
    });
  }

  retireConversation(platform: Platform, conversationId: string, reason: string): Promise<void> {
    return this.write("retire a conversation", () => {
      this.transaction(() => {
        this.db
          .prepare("DELETE FROM conversations WHERE platform = ? AND conversation_id = ?")
          .run(platform, conversationId);
        this.db
          .prepare(
            "INSERT INTO retired_conversations (platform, conversation_id, reason, retired_at) VALUES (?, ?, ?, ?)",
          )
          .run(platform, conversationId, reason, new Date().toISOString());
      });
    });
  }

  addSubscription(subscription: Subscription): Promise<{ created: boolean }> {
    // One transaction, so `created` tells about the row this call wrote even with another process writing too.
    return this.write("save a subscription", () =>
      this.transaction(() => {
        const existing = this.db
          .prepare("SELECT 1 FROM subscriptions WHERE platform = ? AND conversation_id = ? AND cluster = ?")
          .get(subscription.platform, subscription.conversationId, subscription.cluster);
        this.db
          .prepare(
            `INSERT INTO subscriptions (platform, conversation_id, cluster, notify_finished, live_card, created_by, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (platform, conversation_id, cluster) DO UPDATE SET notify_finished = excluded.notify_finished,
               live_card = excluded.live_card`,
          )
          .run(
            subscription.platform,
            subscription.conversationId,
            subscription.cluster,
            subscription.notifyFinished ? 1 : 0,
            subscription.liveCard === false ? 0 : 1,
            subscription.createdBy,
            subscription.createdAt,
          );
        return { created: existing === undefined };
      }),
    );
  }

  removeSubscription(platform: Platform, conversationId: string, cluster: string): Promise<boolean> {
    return this.write("remove a subscription", () => {
      const result = this.db
        .prepare("DELETE FROM subscriptions WHERE platform = ? AND conversation_id = ? AND cluster = ?")
        .run(platform, conversationId, cluster);
      return result.changes > 0;
    });
  }

  listSubscriptions(filter: { platform?: Platform; conversationId?: string } = {}): Promise<Subscription[]> {
    return this.read("list subscriptions", () => {
      const rows = this.db
        .prepare(
          `SELECT * FROM subscriptions WHERE (@platform IS NULL OR platform = @platform)
             AND (@conversationId IS NULL OR conversation_id = @conversationId)
           ORDER BY platform, conversation_id, cluster`,
        )
        .all({ platform: filter.platform ?? null, conversationId: filter.conversationId ?? null }) as Row[];
      return rows.map(subscriptionFromRow);
    });
  }

  removeConversationSubscriptions(platform: Platform, conversationId: string): Promise<number> {
    return this.write("remove subscriptions", () => {
      return this.db
        .prepare("DELETE FROM subscriptions WHERE platform = ? AND conversation_id = ?")
        .run(platform, conversationId).changes;
    });
  }

  saveHistories(records: readonly NodeHistoryRecord[]): Promise<void> {
    return this.write("save node histories", () => {
      const upsert = this.db.prepare(
        `INSERT INTO node_histories (node, cluster, entries, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (node) DO UPDATE SET cluster = excluded.cluster, entries = excluded.entries,
           updated_at = excluded.updated_at`,
      );
      this.transaction(() => {
        for (const r of records) upsert.run(r.node, r.cluster, JSON.stringify(r.entries), r.updatedAt);
      });
    });
  }

  loadHistories(): Promise<NodeHistoryRecord[]> {
    return this.read("read node histories", () => {
      const rows = this.db.prepare("SELECT * FROM node_histories ORDER BY node").all() as Row[];
      return rows.map(historyFromRow);
    });
  }

  openIncident(incident: NewIncident): Promise<{ incident: Incident; created: boolean }> {
    return this.write("open an incident", () =>
      this.transaction(() => {
        // The partial unique index makes the insert a no-op when one is open already.
        const inserted = this.db
          .prepare(
            `INSERT INTO incidents (node, cluster, kind, summary, since, opened_at, last_seen_at, detail)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (node, kind) WHERE resolved_at IS NULL DO NOTHING`,
          )
          .run(
            incident.node,
            incident.cluster,
            incident.kind,
            incident.summary,
            incident.since,
            incident.openedAt,
            incident.openedAt,
            JSON.stringify(incident.detail),
          );
        const row = this.db
          .prepare("SELECT * FROM incidents WHERE node = ? AND kind = ? AND resolved_at IS NULL")
          .get(incident.node, incident.kind) as Row;
        return { incident: incidentFromRow(row), created: inserted.changes > 0 };
      }),
    );
  }

  getIncident(id: number): Promise<Incident | undefined> {
    return this.read("read an incident", () => {
      const row = this.db.prepare("SELECT * FROM incidents WHERE id = ?").get(id) as Row | undefined;
      return row ? incidentFromRow(row) : undefined;
    });
  }

  listIncidents(query: IncidentQuery = {}): Promise<Incident[]> {
    return this.read("list incidents", () => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.open === true) where.push("resolved_at IS NULL");
      if (query.open === false) where.push("resolved_at IS NOT NULL");
      if (query.node !== undefined) {
        where.push("node = ?");
        params.push(query.node);
      }
      if (query.recoveryPending) where.push("resolved_at IS NOT NULL AND recovery_done = 0");
      const sql = `SELECT * FROM incidents ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
      params.push(query.limit ?? 1000);
      return (this.db.prepare(sql).all(...params) as Row[]).map(incidentFromRow);
    });
  }

  touchIncident(id: number, at: string, detail: Record<string, unknown>): Promise<void> {
    return this.write("update an incident", () => {
      this.db
        .prepare("UPDATE incidents SET last_seen_at = ?, detail = ? WHERE id = ? AND resolved_at IS NULL")
        .run(at, JSON.stringify(detail), id);
    });
  }

  resolveIncident(id: number, at: string): Promise<Incident | undefined> {
    return this.write("resolve an incident", () => {
      // One statement: were the SELECT separate, an UPDATE that committed and a SELECT that then failed busy
      // would be retried and answer "someone else resolved it".
      const row = this.db
        .prepare("UPDATE incidents SET resolved_at = ? WHERE id = ? AND resolved_at IS NULL RETURNING *")
        .get(at, id) as Row | undefined;
      return row ? incidentFromRow(row) : undefined;
    });
  }

  ackIncident(id: number, by: string, at: string): Promise<boolean> {
    return this.write("acknowledge an incident", () => {
      return (
        this.db
          .prepare("UPDATE incidents SET acked_by = ?, acked_at = ? WHERE id = ? AND resolved_at IS NULL")
          .run(by, at, id).changes > 0
      );
    });
  }

  markReminded(id: number, at: string): Promise<void> {
    return this.write("record a reminder", () => {
      this.db
        .prepare("UPDATE incidents SET last_reminder_at = ?, reminder_count = reminder_count + 1 WHERE id = ?")
        .run(at, id);
    });
  }

  markRecoveryDone(id: number): Promise<void> {
    return this.write("record a recovery", () => {
      this.db.prepare("UPDATE incidents SET recovery_done = 1 WHERE id = ?").run(id);
    });
  }

  setSnooze(snooze: Snooze): Promise<void> {
    return this.write("save a snooze", () => {
      this.db
        .prepare(
          `INSERT INTO snoozes (node, until, by, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (node) DO UPDATE SET until = excluded.until, by = excluded.by, created_at = excluded.created_at`,
        )
        .run(snooze.node, snooze.until, snooze.by, snooze.createdAt);
    });
  }

  clearSnooze(node: string): Promise<boolean> {
    return this.write(
      "clear a snooze",
      () => this.db.prepare("DELETE FROM snoozes WHERE node = ?").run(node).changes > 0,
    );
  }

  listSnoozes(now: string): Promise<Snooze[]> {
    return this.read("list snoozes", () => {
      const rows = this.db.prepare("SELECT * FROM snoozes WHERE until > ? ORDER BY node").all(now) as Row[];
      return rows.map(snoozeFromRow);
    });
  }

  claimNotification(n: NewNotification): Promise<boolean> {
    return this.write("record a notification", () => {
      const result = this.db
        .prepare(
          `INSERT INTO notifications (${notificationClaimColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO NOTHING`,
        )
        .run(...notificationClaimValues(n));
      return result.changes > 0;
    });
  }

  completeNotification(key: string, posted: SentMessageIds, at: string, guard?: ClaimGuard): Promise<void> {
    return this.write("record a sent notification", () => {
      this.db
        .prepare(
          `UPDATE notifications SET state = 'sent', message_id = @messageId, thread_id = @threadId, sent_at = @at,
             error = NULL
           WHERE key = @key AND (NOT @guarded OR claimed_by IS @claimedBy)`,
        )
        .run({ messageId: posted.messageId, threadId: posted.threadId ?? null, at, key, ...guardParams(guard) });
    });
  }

  failNotification(key: string, error: string, guard?: ClaimGuard): Promise<void> {
    return this.write("record a failed notification", () => {
      this.db
        .prepare(
          `UPDATE notifications SET state = 'failed', error = @error
           WHERE key = @key AND (NOT @guarded OR (state = 'pending' AND claimed_by IS @claimedBy))`,
        )
        .run({ error: error.slice(0, 500), key, ...guardParams(guard) });
    });
  }

  releaseNotification(key: string, guard?: ClaimGuard): Promise<boolean> {
    return this.write("release a notification", () => {
      const result = this.db
        .prepare(
          `DELETE FROM notifications WHERE key = @key AND state <> 'sent'
             AND (NOT @guarded OR (state = 'pending' AND claimed_by IS @claimedBy))`,
        )
        .run({ key, ...guardParams(guard) });
      return result.changes > 0;
    });
  }

  abandonNotification(key: string, guard?: ClaimGuard): Promise<boolean> {
    return this.write("abandon a notification", () => {
      const result = this.db
        .prepare(
          `UPDATE notifications SET state = 'abandoned' WHERE key = @key AND state = 'pending'
             AND (NOT @guarded OR claimed_by IS @claimedBy)`,
        )
        .run({ key, ...guardParams(guard) });
      return result.changes > 0;
    });
  }

  getNotification(key: string): Promise<NotificationRecord | undefined> {
    return this.read("read a notification", () => {
      const row = this.db.prepare("SELECT * FROM notifications WHERE key = ?").get(key) as Row | undefined;
      return row ? notificationFromRow(row) : undefined;
    });
  }

  listNotifications(query: NotificationQuery = {}): Promise<NotificationRecord[]> {
    return this.read("list notifications", () => {
      // Only the filters given: an `(@x IS NULL OR …)` clause would keep SQLite off the pending-rows index,
      // and the watcher asks for its clusters' pending rows on every poll.
      const where: string[] = [];
      const params: unknown[] = [];
      const filter = (clause: string, value: unknown) => {
        where.push(clause);
        params.push(value);
      };
      if (query.incidentId !== undefined) filter("incident_id = ?", query.incidentId);
      if (query.state !== undefined) filter("state = ?", query.state);
      if (query.kind !== undefined) filter("kind = ?", query.kind);
      if (query.clusters) filter("cluster IN (SELECT value FROM json_each(?))", JSON.stringify(query.clusters));
      if (query.notClaimedBy) {
        filter(
          "(claimed_by IS NULL OR claimed_by NOT IN (SELECT value FROM json_each(?)))",
          JSON.stringify(query.notClaimedBy),
        );
      }
      const sql = `SELECT * FROM notifications ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at, key`;
      return (this.db.prepare(sql).all(...params) as Row[]).map(notificationFromRow);
    });
  }

  record(entry: AuditEntry): Promise<void> {
    return this.write("write the audit log", () => {
      this.db.prepare("INSERT INTO audit_log (at, entry) VALUES (?, ?)").run(entry.at, JSON.stringify(entry));
    });
  }

  claimRequest(key: string, at: Date, keepMs: number): Promise<boolean> {
    const now = at.getTime();
    return this.write("record a chat request", () =>
      this.transaction(() => {
        if (this.requestSweep.due(now)) {
          this.db.prepare("DELETE FROM request_keys WHERE expires_at <= ?").run(now);
        }
        const result = this.db
          .prepare(
            `INSERT INTO request_keys (key, expires_at) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE request_keys.expires_at <= ?`,
          )
          .run(key, now + keepMs, now);
        return result.changes > 0;
      }),
    );
  }

  recordScanCycle(cycle: ScanCycleRecord): Promise<boolean> {
    return this.write("keep a completed scan cycle", () => {
      const result = this.db
        .prepare(
          `INSERT INTO scan_cycles (cluster, start_key, finished_at, cycle) VALUES (?, ?, ?, ?)
           ON CONFLICT (cluster, start_key) DO NOTHING`,
        )
        .run(cycle.cluster, cycle.startKey, cycle.finishedAt, JSON.stringify(cycle));
      return result.changes > 0;
    });
  }

  lastScanCycle(cluster: string): Promise<ScanCycleRecord | undefined> {
    return this.read("read the last scan cycle", () => {
      const row = this.db
        .prepare("SELECT cycle FROM scan_cycles WHERE cluster = ? ORDER BY finished_at DESC LIMIT 1")
        .get(cluster) as Row | undefined;
      return row ? storedScanCycle(row.cycle) : undefined;
    });
  }

  saveScanCard(card: ScanCard): Promise<void> {
    return this.write("save a live scan card", () => {
      this.db
        .prepare(
          `INSERT INTO scan_cards (${scanCardColumns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ${scanCardUpsert}`,
        )
        .run(...scanCardValues(card));
    });
  }

  listScanCards(cluster?: string): Promise<ScanCard[]> {
    return this.read("list live scan cards", () => {
      const rows = this.db
        .prepare(
          `SELECT * FROM scan_cards WHERE (@cluster IS NULL OR cluster = @cluster)
           ORDER BY cluster, platform, conversation_id`,
        )
        .all({ cluster: cluster ?? null }) as Row[];
      return rows.map(scanCardFromRow);
    });
  }

  removeScanCard(cluster: string, platform: Platform, conversationId: string): Promise<boolean> {
    return this.write("forget a live scan card", () => {
      const result = this.db
        .prepare("DELETE FROM scan_cards WHERE cluster = ? AND platform = ? AND conversation_id = ?")
        .run(cluster, platform, conversationId);
      return result.changes > 0;
    });
  }

  listAudit(limit = 100): Promise<AuditEntry[]> {
    return this.read("read the audit log", () => {
      const rows = this.db.prepare("SELECT entry FROM audit_log ORDER BY id DESC LIMIT ?").all(limit) as Row[];
      return rows.map((row) => auditEntrySchema.parse(JSON.parse(String(row.entry))));
    });
  }

  /** Closes the database once the operations still waiting out a lock have finished or given up. */
  async close(): Promise<void> {
    await this.busy.settled();
    try {
      if (this.db.open) this.db.close();
    } catch (err) {
      throw storeError("close", err);
    }
  }
}

/** A driver error as the `store_error` users see; a BotError already is one. */
function storeError(what: string, err: unknown): BotError {
  return err instanceof BotError
    ? err
    : new BotError("store_error", `The bot's database failed to ${what}.`, { cause: err });
}

/** A claim guard as named parameters: `guarded` 0 means "any claimer". */
function guardParams(guard: ClaimGuard | undefined): { guarded: number; claimedBy: string | null } {
  return { guarded: guard ? 1 : 0, claimedBy: guard?.claimedBy ?? null };
}
