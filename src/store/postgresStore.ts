import type pg from "pg";
import { type AuditEntry, auditEntrySchema } from "../access/audit.js";
import type { ConversationRecord } from "../delivery/conversationStore.js";
import type { Platform } from "../delivery/delivery.js";
import { BotError } from "../foundation/botError.js";
import { postgresDriver } from "./postgresDriver.js";
import { migratePostgres } from "./postgresMigrations.js";
import { type ScanCard, scanCardColumns, scanCardFromRow, scanCardUpsert, scanCardValues } from "./scanCardRecord.js";
import { type ScanCycleRecord, storedScanCycle } from "./scanCycleRecord.js";
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

/** Runs SQL on the store's pool (or inside one of its transactions). */
export type Sql = <R extends Row = Row>(text: string, values?: unknown[]) => Promise<R[]>;

export interface PostgresStoreOptions {
  /** `postgres://user:password@host:5432/db`. Never logged. */
  url: string;
  /** Schema for the tables (created when missing); the server's default search_path when absent. */
  schema?: string;
  /** Connections held at most. */
  poolSize?: number;
}

/**
 * The PostgreSQL store, for several bot replicas sharing one database. Every
 * rule that keeps replicas from doubling work is a constraint the server
 * enforces (one open incident per node and kind, one row per notification
 * key), so two replicas racing get one winner without any locking in code.
 * The schema is migrated on first use; every method waits for that.
 */
export class PostgresStore implements Store {
  readonly backend = "postgres" as const;
  readonly schema: string | undefined;
  private readonly pool: pg.Pool;
  private migrated: Promise<void> | undefined;
  private closed = false;
  private readonly requestSweep = new SweepSchedule();

  constructor(options: PostgresStoreOptions) {
    this.schema = options.schema;
    this.pool = new (postgresDriver().Pool)({
      connectionString: options.url,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 10_000,
      idleTimeoutMillis: 30_000,
      // The search_path rides on the connection itself, so every pooled client sees the bot's schema.
      ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
      application_name: "scanner-bot",
    });
    // An idle client that loses its server emits here; without a listener that error would end the process.
    this.pool.on("error", () => undefined);
  }

  /** Migrates the schema once; later calls wait for the same run. Rejects with a `store_error`. */
  ready(): Promise<void> {
    this.migrated ??= (async () => {
      const client = await this.pool.connect();
      try {
        await migratePostgres(client, this.schema);
      } finally {
        client.release();
      }
    })().catch((err: unknown) => {
      this.migrated = undefined;
      throw new BotError("store_error", "The bot's PostgreSQL database could not be opened.", { cause: err });
    });
    return this.migrated;
  }

  /** Runs one store operation after migration, turning driver errors into a `store_error` users can read. */
  private async run<T>(what: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.closed) throw new BotError("store_error", `The bot's database failed to ${what}: it is closed.`);
    await this.ready();
    try {
      return await work(this.sql);
    } catch (err) {
      throw err instanceof BotError
        ? err
        : new BotError("store_error", `The bot's database failed to ${what}.`, { cause: err });
    }
  }

  private readonly sql: Sql = async <R extends Row = Row>(text: string, values: unknown[] = []) =>
    (await this.pool.query<R>(text, values)).rows;

  /** Runs `work` in one transaction on one connection; rolls back when it throws. */
  private async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(async <R extends Row = Row>(text: string, values: unknown[] = []) => {
        return (await client.query<R>(text, values)).rows;
      });
      await client.query("COMMIT");
      return result;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  /** Runs SQL for the lease table and tests, after migration; errors become `store_error`. */
  query<R extends Row = Row>(what: string, text: string, values: unknown[] = []): Promise<R[]> {
    return this.run(what, (sql) => sql<R>(text, values));
  }

  upsertConversation(record: ConversationRecord): Promise<void> {
    return this.run("save a conversation", async (sql) => {
      await sql(
        `INSERT INTO conversations (platform, conversation_id, reference, label, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (platform, conversation_id) DO UPDATE SET reference = excluded.reference,
           label = coalesce(excluded.label, conversations.label), updated_at = excluded.updated_at`,
        [
          record.platform,
          record.conversationId,
          JSON.stringify(record.reference ?? null),
          record.label ?? null,
          record.updatedAt,
        ],
      );
    });
  }

  getConversation(platform: Platform, conversationId: string): Promise<ConversationRecord | undefined> {
    return this.run("read a conversation", async (sql) => {
      const [row] = await sql("SELECT * FROM conversations WHERE platform = $1 AND conversation_id = $2", [
        platform,
        conversationId,
      ]);
      return row ? conversationFromRow(row) : undefined;
    });
  }

  listConversations(platform?: Platform): Promise<ConversationRecord[]> {
    return this.run("list conversations", async (sql) => {
      const rows = await sql(
        "SELECT * FROM conversations WHERE ($1::text IS NULL OR platform = $1) ORDER BY platform, conversation_id",
        [platform ?? null],
      );
      return rows.map(conversationFromRow);
    });
  }

  retireConversation(platform: Platform, conversationId: string, reason: string): Promise<void> {
    return this.run("retire a conversation", () =>
      this.transaction(async (sql) => {
        await sql("DELETE FROM conversations WHERE platform = $1 AND conversation_id = $2", [platform, conversationId]);
        await sql(
          "INSERT INTO retired_conversations (platform, conversation_id, reason, retired_at) VALUES ($1, $2, $3, $4)",
          [platform, conversationId, reason, new Date().toISOString()],
        );
      }),
    );
  }

  addSubscription(subscription: Subscription): Promise<{ created: boolean }> {
    return this.run("save a subscription", async (sql) => {
      // xmax is 0 only on a freshly inserted row: one statement tells insert from update, even under a race.
      const [row] = await sql<{ created: boolean }>(
        `INSERT INTO subscriptions (platform, conversation_id, cluster, notify_finished, live_card, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (platform, conversation_id, cluster) DO UPDATE SET notify_finished = excluded.notify_finished,
           live_card = excluded.live_card
         RETURNING (xmax = 0) AS created`,
        [
          subscription.platform,
          subscription.conversationId,
          subscription.cluster,
          subscription.notifyFinished,
          subscription.liveCard !== false,
          subscription.createdBy,
          subscription.createdAt,
        ],
      );
      return { created: row?.created === true };
    });
  }

  removeSubscription(platform: Platform, conversationId: string, cluster: string): Promise<boolean> {
    return this.run("remove a subscription", async (sql) => {
      const rows = await sql(
        "DELETE FROM subscriptions WHERE platform = $1 AND conversation_id = $2 AND cluster = $3 RETURNING 1",
        [platform, conversationId, cluster],
      );
      return rows.length > 0;
    });
  }

  listSubscriptions(filter: { platform?: Platform; conversationId?: string } = {}): Promise<Subscription[]> {
    return this.run("list subscriptions", async (sql) => {
      const rows = await sql(
        `SELECT * FROM subscriptions WHERE ($1::text IS NULL OR platform = $1)
           AND ($2::text IS NULL OR conversation_id = $2)
         ORDER BY platform, conversation_id, cluster`,
        [filter.platform ?? null, filter.conversationId ?? null],
      );
      return rows.map(subscriptionFromRow);
    });
  }

  removeConversationSubscriptions(platform: Platform, conversationId: string): Promise<number> {
    return this.run("remove subscriptions", async (sql) => {
      const rows = await sql("DELETE FROM subscriptions WHERE platform = $1 AND conversation_id = $2 RETURNING 1", [
        platform,
        conversationId,
      ]);
      return rows.length;
    });
  }

  saveHistories(records: readonly NodeHistoryRecord[]): Promise<void> {
    if (records.length === 0) return this.run("save node histories", async () => undefined);
    return this.run("save node histories", async (sql) => {
      // One statement for the whole batch: a cluster's histories land together or not at all.
      await sql(
        `INSERT INTO node_histories (node, cluster, entries, updated_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (node) DO UPDATE SET cluster = excluded.cluster, entries = excluded.entries,
           updated_at = excluded.updated_at`,
        [
          records.map((r) => r.node),
          records.map((r) => r.cluster),
          records.map((r) => JSON.stringify(r.entries)),
          records.map((r) => r.updatedAt),
        ],
      );
    });
  }

  loadHistories(): Promise<NodeHistoryRecord[]> {
    return this.run("read node histories", async (sql) => {
      const rows = await sql("SELECT * FROM node_histories ORDER BY node");
      return rows.map(historyFromRow);
    });
  }

  openIncident(incident: NewIncident): Promise<{ incident: Incident; created: boolean }> {
    return this.run("open an incident", async (sql) => {
      // The partial unique index decides between racing replicas: the loser's insert does nothing and
      // it reads the winner's row. If that row closes in between, the next round inserts again.
      for (let attempt = 0; attempt < 5; attempt++) {
        const [inserted] = await sql(
          `INSERT INTO incidents (node, cluster, kind, summary, since, opened_at, last_seen_at, detail)
           VALUES ($1, $2, $3, $4, $5, $6, $6, $7)
           ON CONFLICT (node, kind) WHERE resolved_at IS NULL DO NOTHING RETURNING *`,
          [
            incident.node,
            incident.cluster,
            incident.kind,
            incident.summary,
            incident.since,
            incident.openedAt,
            JSON.stringify(incident.detail),
          ],
        );
        if (inserted) return { incident: incidentFromRow(inserted), created: true };
        const [existing] = await sql("SELECT * FROM incidents WHERE node = $1 AND kind = $2 AND resolved_at IS NULL", [
          incident.node,
          incident.kind,
        ]);
        if (existing) return { incident: incidentFromRow(existing), created: false };
      }
      throw new Error(`incident for ${incident.node}/${incident.kind} kept opening and closing under us`);
    });
  }

  getIncident(id: number): Promise<Incident | undefined> {
    return this.run("read an incident", async (sql) => {
      const [row] = await sql("SELECT * FROM incidents WHERE id = $1", [id]);
      return row ? incidentFromRow(row) : undefined;
    });
  }

  listIncidents(query: IncidentQuery = {}): Promise<Incident[]> {
    return this.run("list incidents", async (sql) => {
      const rows = await sql(
        `SELECT * FROM incidents
         WHERE ($1::boolean IS NULL OR (resolved_at IS NULL) = $1)
           AND ($2::text IS NULL OR node = $2)
           AND (NOT $3::boolean OR (resolved_at IS NOT NULL AND NOT recovery_done))
         ORDER BY id DESC LIMIT $4`,
        [query.open ?? null, query.node ?? null, query.recoveryPending === true, query.limit ?? 1000],
      );
      return rows.map(incidentFromRow);
    });
  }

  touchIncident(id: number, at: string, detail: Record<string, unknown>): Promise<void> {
    return this.run("update an incident", async (sql) => {
      await sql("UPDATE incidents SET last_seen_at = $1, detail = $2 WHERE id = $3 AND resolved_at IS NULL", [
        at,
        JSON.stringify(detail),
        id,
      ]);
    });
  }

  resolveIncident(id: number, at: string): Promise<Incident | undefined> {
    return this.run("resolve an incident", async (sql) => {
      // Only the replica whose update closes the row gets it back, so a recovery is decided once.
      const [row] = await sql(
        "UPDATE incidents SET resolved_at = $1 WHERE id = $2 AND resolved_at IS NULL RETURNING *",
        [at, id],
      );
      return row ? incidentFromRow(row) : undefined;
    });
  }

  ackIncident(id: number, by: string, at: string): Promise<boolean> {
    return this.run("acknowledge an incident", async (sql) => {
      const rows = await sql(
        "UPDATE incidents SET acked_by = $1, acked_at = $2 WHERE id = $3 AND resolved_at IS NULL RETURNING 1",
        [by, at, id],
      );
      return rows.length > 0;
    });
  }

  markReminded(id: number, at: string): Promise<void> {
    return this.run("record a reminder", async (sql) => {
      await sql("UPDATE incidents SET last_reminder_at = $1, reminder_count = reminder_count + 1 WHERE id = $2", [
        at,
        id,
      ]);
    });
  }

  markRecoveryDone(id: number): Promise<void> {
    return this.run("record a recovery", async (sql) => {
      await sql("UPDATE incidents SET recovery_done = true WHERE id = $1", [id]);
    });
  }

  setSnooze(snooze: Snooze): Promise<void> {
    return this.run("save a snooze", async (sql) => {
      await sql(
        `INSERT INTO snoozes (node, until, by, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (node) DO UPDATE SET until = excluded.until, by = excluded.by, created_at = excluded.created_at`,
        [snooze.node, snooze.until, snooze.by, snooze.createdAt],
      );
    });
  }

  clearSnooze(node: string): Promise<boolean> {
    return this.run("clear a snooze", async (sql) => {
      return (await sql("DELETE FROM snoozes WHERE node = $1 RETURNING 1", [node])).length > 0;
    });
  }

  listSnoozes(now: string): Promise<Snooze[]> {
    return this.run("list snoozes", async (sql) => {
      const rows = await sql("SELECT * FROM snoozes WHERE until > $1 ORDER BY node", [now]);
      return rows.map(snoozeFromRow);
    });
  }

  claimNotification(n: NewNotification): Promise<boolean> {
    return this.run("record a notification", async (sql) => {
      // The primary key on `key` is the claim: of two replicas inserting at once, exactly one gets a row back.
      const rows = await sql(
        `INSERT INTO notifications (${notificationClaimColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         ON CONFLICT (key) DO NOTHING RETURNING 1`,
        notificationClaimValues(n),
      );
      return rows.length > 0;
    });
  }

  completeNotification(key: string, posted: SentMessageIds, at: string, guard?: ClaimGuard): Promise<void> {
    return this.run("record a sent notification", async (sql) => {
      await sql(
        `UPDATE notifications SET state = 'sent', message_id = $1, thread_id = $2, sent_at = $3, error = NULL
         WHERE key = $4 AND (NOT $5::boolean OR claimed_by IS NOT DISTINCT FROM $6)`,
        [posted.messageId, posted.threadId ?? null, at, key, guard !== undefined, guard?.claimedBy ?? null],
      );
    });
  }

  failNotification(key: string, error: string, guard?: ClaimGuard): Promise<void> {
    return this.run("record a failed notification", async (sql) => {
      await sql(
        `UPDATE notifications SET state = 'failed', error = $1
         WHERE key = $2 AND (NOT $3::boolean OR (state = 'pending' AND claimed_by IS NOT DISTINCT FROM $4))`,
        [error.slice(0, 500), key, guard !== undefined, guard?.claimedBy ?? null],
      );
    });
  }

  releaseNotification(key: string, guard?: ClaimGuard): Promise<boolean> {
    return this.run("release a notification", async (sql) => {
      const rows = await sql(
        `DELETE FROM notifications WHERE key = $1 AND state <> 'sent'
           AND (NOT $2::boolean OR (state = 'pending' AND claimed_by IS NOT DISTINCT FROM $3)) RETURNING 1`,
        [key, guard !== undefined, guard?.claimedBy ?? null],
      );
      return rows.length > 0;
    });
  }

  abandonNotification(key: string, guard?: ClaimGuard): Promise<boolean> {
    return this.run("abandon a notification", async (sql) => {
      const rows = await sql(
        `UPDATE notifications SET state = 'abandoned' WHERE key = $1 AND state = 'pending'
           AND (NOT $2::boolean OR claimed_by IS NOT DISTINCT FROM $3) RETURNING 1`,
        [key, guard !== undefined, guard?.claimedBy ?? null],
      );
      return rows.length > 0;
    });
  }

  claimRequest(key: string, at: Date, keepMs: number): Promise<boolean> {
    const now = at.getTime();
    return this.run("record a chat request", async (sql) => {
      if (this.requestSweep.due(now)) await sql("DELETE FROM request_keys WHERE expires_at <= $1", [now]);
      // One statement: two replicas given the same key race on the primary key, and exactly one gets a row back.
      const rows = await sql(
        `INSERT INTO request_keys (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE request_keys.expires_at <= $3
         RETURNING 1`,
        [key, now + keepMs, now],
      );
      return rows.length > 0;
    });
  }

  getNotification(key: string): Promise<NotificationRecord | undefined> {
    return this.run("read a notification", async (sql) => {
      const [row] = await sql("SELECT * FROM notifications WHERE key = $1", [key]);
      return row ? notificationFromRow(row) : undefined;
    });
  }

  listNotifications(query: NotificationQuery = {}): Promise<NotificationRecord[]> {
    return this.run("list notifications", async (sql) => {
      const rows = await sql(
        `SELECT * FROM notifications WHERE ($1::integer IS NULL OR incident_id = $1)
         AND ($2::text IS NULL OR state = $2) AND ($3::text IS NULL OR kind = $3)
         AND ($4::text[] IS NULL OR cluster = ANY($4::text[]))
         AND ($5::text[] IS NULL OR claimed_by IS NULL OR NOT (claimed_by = ANY($5::text[])))
         ORDER BY created_at, key`,
        [
          query.incidentId ?? null,
          query.state ?? null,
          query.kind ?? null,
          query.clusters ? [...query.clusters] : null,
          query.notClaimedBy ? [...query.notClaimedBy] : null,
        ],
      );
      return rows.map(notificationFromRow);
    });
  }

  record(entry: AuditEntry): Promise<void> {
    return this.run("write the audit log", async (sql) => {
      await sql("INSERT INTO audit_log (at, entry) VALUES ($1, $2)", [entry.at, JSON.stringify(entry)]);
    });
  }

  recordScanCycle(cycle: ScanCycleRecord): Promise<boolean> {
    return this.run("keep a completed scan cycle", async (sql) => {
      // Replicas seeing the same finish race here; the scanner's StartTime makes them agree on the key.
      const rows = await sql(
        `INSERT INTO scan_cycles (cluster, start_key, finished_at, cycle) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (cluster, start_key) DO NOTHING RETURNING cluster`,
        [cycle.cluster, cycle.startKey, cycle.finishedAt, JSON.stringify(cycle)],
      );
      return rows.length > 0;
    });
  }

  lastScanCycle(cluster: string): Promise<ScanCycleRecord | undefined> {
    return this.run("read the last scan cycle", async (sql) => {
      const [row] = await sql("SELECT cycle FROM scan_cycles WHERE cluster = $1 ORDER BY finished_at DESC LIMIT 1", [
        cluster,
      ]);
      return row ? storedScanCycle(row.cycle) : undefined;
    });
  }

  saveScanCard(card: ScanCard): Promise<void> {
    return this.run("save a live scan card", async (sql) => {
      await sql(
        `INSERT INTO scan_cards (${scanCardColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ${scanCardUpsert}`,
        scanCardValues(card),
      );
    });
  }

  listScanCards(cluster?: string): Promise<ScanCard[]> {
    return this.run("list live scan cards", async (sql) => {
      const rows = await sql(
        `SELECT * FROM scan_cards WHERE ($1::text IS NULL OR cluster = $1)
         ORDER BY cluster, platform, conversation_id`,
        [cluster ?? null],
      );
      return rows.map(scanCardFromRow);
    });
  }

  removeScanCard(cluster: string, platform: Platform, conversationId: string): Promise<boolean> {
    return this.run("forget a live scan card", async (sql) => {
      const rows = await sql(
        "DELETE FROM scan_cards WHERE cluster = $1 AND platform = $2 AND conversation_id = $3 RETURNING 1",
        [cluster, platform, conversationId],
      );
      return rows.length > 0;
    });
  }

  listAudit(limit = 100): Promise<AuditEntry[]> {
    return this.run("read the audit log", async (sql) => {
      const rows = await sql("SELECT entry FROM audit_log ORDER BY id DESC LIMIT $1", [limit]);
      return rows.map((row) => auditEntrySchema.parse(JSON.parse(String(row.entry))));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}
