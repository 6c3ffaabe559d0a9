import type { Database } from "better-sqlite3";

/**
 * The SQLite schema as numbered steps. A database remembers the last step it
 * ran in `PRAGMA user_version`; opening it runs the newer steps in one
 * transaction each. Steps are append-only: never edit one that has shipped.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    description: "conversations, subscriptions, histories, incidents, notifications, snoozes, audit",
    sql: `
      CREATE TABLE conversations (
        platform TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        reference TEXT NOT NULL,
        label TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (platform, conversation_id)
      );
      CREATE TABLE retired_conversations (
        platform TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        reason TEXT NOT NULL,
        retired_at TEXT NOT NULL
      );
      CREATE TABLE subscriptions (
        platform TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        cluster TEXT NOT NULL,
        notify_finished INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (platform, conversation_id, cluster)
      );
      CREATE TABLE node_histories (
        node TEXT PRIMARY KEY,
        cluster TEXT NOT NULL,
        entries TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE incidents (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        node TEXT NOT NULL,
        cluster TEXT NOT NULL,
        kind TEXT NOT NULL,
        summary TEXT NOT NULL,
        since TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL,
        resolved_at TEXT,
        acked_by TEXT,
        acked_at TEXT,
        last_reminder_at TEXT,
        reminder_count INTEGER NOT NULL DEFAULT 0,
        recovery_done INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL
      );
      -- The rule "one open incident per (node, kind)" lives in the schema, not only in code.
      CREATE UNIQUE INDEX incidents_one_open ON incidents (node, kind) WHERE resolved_at IS NULL;
      CREATE INDEX incidents_recovery ON incidents (recovery_done) WHERE resolved_at IS NOT NULL;
      CREATE TABLE notifications (
        key TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        incident_id INTEGER REFERENCES incidents (id),
        platform TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        state TEXT NOT NULL,
        message_id TEXT,
        thread_id TEXT,
        created_at TEXT NOT NULL,
        sent_at TEXT,
        error TEXT
      );
      CREATE INDEX notifications_incident ON notifications (incident_id);
      CREATE TABLE snoozes (
        node TEXT PRIMARY KEY,
        until TEXT NOT NULL,
        by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        entry TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: "notifications record their cluster and claiming replica (settling a dead replica's claims)",
    sql: `
      ALTER TABLE notifications ADD COLUMN cluster TEXT;
      ALTER TABLE notifications ADD COLUMN claimed_by TEXT;
      UPDATE notifications SET cluster = (SELECT i.cluster FROM incidents i WHERE i.id = notifications.incident_id)
        WHERE incident_id IS NOT NULL;
      -- finished:<cluster>:<scan start>:<platform>:<conversation>
      UPDATE notifications SET cluster = substr(key, 10, instr(substr(key, 10), ':') - 1)
        WHERE kind = 'finished' AND cluster IS NULL AND instr(substr(key, 10), ':') > 1;
      CREATE INDEX notifications_pending ON notifications (cluster) WHERE state = 'pending';
    `,
  },
  {
    version: 3,
    description: "request keys: chat requests already handled, so a re-delivery runs nothing twice",
    sql: `
      CREATE TABLE request_keys (
        key TEXT PRIMARY KEY,
        -- Milliseconds since the epoch on the bot's clock.
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX request_keys_expiry ON request_keys (expires_at);
    `,
  },
  {
    version: 4,
    description: "completed scan cycles per cluster (the basis of percent and ETA)",
    sql: `
      CREATE TABLE scan_cycles (
        cluster TEXT NOT NULL,
        start_key TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        cycle TEXT NOT NULL,
        PRIMARY KEY (cluster, start_key)
      );
      CREATE INDEX scan_cycles_newest ON scan_cycles (cluster, finished_at);
    `,
  },
  {
    version: 5,
    description: "live scan cards (the message each conversation's card lives in) and `watch on --no-card`",
    sql: `
      ALTER TABLE subscriptions ADD COLUMN live_card INTEGER NOT NULL DEFAULT 1;
      CREATE TABLE scan_cards (
        cluster TEXT NOT NULL,
        platform TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        cycle_key TEXT NOT NULL,
        message_id TEXT NOT NULL,
        thread_id TEXT,
        state TEXT NOT NULL,
        shown TEXT NOT NULL,
        edited_at TEXT NOT NULL,
        next_edit_at TEXT NOT NULL,
        reposts INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        PRIMARY KEY (cluster, platform, conversation_id)
      );
    `,
  },
];

/** Brings a database up to the newest schema; refuses one written by a newer bot. */
export function migrate(db: Database, migrations: readonly Migration[] = sqliteMigrations): number {
  const current = db.pragma("user_version", { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new Error(`the database is at schema version ${current}, newer than this bot understands (${newest})`);
  }
  for (const step of migrations) {
    if (step.version <= current) continue;
    db.transaction(() => {
      db.exec(step.sql);
      db.pragma(`user_version = ${step.version}`);
    })();
  }
  return newest;
}
