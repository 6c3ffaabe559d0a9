import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { BotError } from "../../src/foundation/botError.js";
import { openStore } from "../../src/store/openStore.js";
import { migrate, sqliteMigrations } from "../../src/store/sqliteMigrations.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { describeStoreContract } from "./storeContract.js";

describeStoreContract("SQLite :memory:", () => new SqliteStore(":memory:"));

describe("SqliteStore on disk", () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), "scanner-bot-store-"));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("creates the data folder, uses WAL and keeps data across reopen", async () => {
    const path = join(tempDir(), "nested", "data", "scanner-bot.db");
    const first = openStore({ path });
    const { incident } = await first.openIncident({
      node: "scan-01",
      cluster: "contoso-prod",
      kind: "unreachable",
      summary: "agent not answering",
      since: "2026-11-25T01:00:00.000Z",
      openedAt: "2026-11-25T01:03:00.000Z",
      detail: {},
    });
    await first.close();

    const raw = new BetterSqlite3(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("user_version", { simple: true })).toBe(sqliteMigrations.at(-1)?.version);
    raw.close();

    const second = openStore({ path });
    const again = await second.openIncident({
      node: "scan-01",
      cluster: "contoso-prod",
      kind: "unreachable",
      summary: "agent not answering",
      since: "2026-11-25T01:00:00.000Z",
      openedAt: "2026-11-25T01:10:00.000Z",
      detail: {},
    });
    expect(again).toMatchObject({ created: false, incident: { id: incident.id } });
    await second.close();
  });

  it("the schema itself refuses a second open incident for the same node and kind", () => {
    const db = new BetterSqlite3(":memory:");
    migrate(db);
    const insert = db.prepare(
      "INSERT INTO incidents (node, cluster, kind, summary, since, opened_at, last_seen_at, detail) VALUES ('n', 'c', 'stalled', 's', 't', 't', 't', '{}')",
    );
    insert.run();
    expect(() => insert.run()).toThrow(/UNIQUE/);
    db.close();
  });

  it("refuses a database from a newer bot and runs only newer migrations", () => {
    const db = new BetterSqlite3(":memory:");
    const newest = sqliteMigrations.length;
    expect(migrate(db)).toBe(newest);
    const extra = [
      ...sqliteMigrations,
      { version: newest + 1, description: "test", sql: "CREATE TABLE extra (x INTEGER);" },
    ];
    expect(migrate(db, extra)).toBe(newest + 1);
    expect(() => migrate(db)).toThrow(/newer than this bot understands/);
    db.close();
  });

  it("upgrades a database from before claimers were recorded: old claims get their cluster, nobody's name", async () => {
    const path = join(tempDir(), "old.db");
    const old = new BetterSqlite3(path);
    migrate(old, sqliteMigrations.slice(0, 1));
    old
      .prepare(
        `INSERT INTO incidents (node, cluster, kind, summary, since, opened_at, last_seen_at, detail)
         VALUES ('scan-01', 'contoso-prod', 'stalled', 's', 't', 't', 't', '{}')`,
      )
      .run();
    const note = old.prepare(
      `INSERT INTO notifications (key, kind, incident_id, platform, conversation_id, state, created_at)
       VALUES (?, ?, ?, 'slack', 'C1', 'pending', '2026-11-25T01:00:00.000Z')`,
    );
    note.run("open:1:slack:C1", "open", 1);
    note.run("finished:contoso-dr:2026-11-25T00:00:00.000Z:slack:C1", "finished", null);
    old.close();

    const store = openStore({ path });
    const rows = await store.listNotifications({ state: "pending" });
    expect(rows.map((n) => [n.key.split(":")[0], n.cluster, n.claimedBy])).toEqual([
      ["finished", "contoso-dr", null],
      ["open", "contoso-prod", null],
    ]);
    await store.close();
  });

  it("reports an unusable path as a store_error", () => {
    const file = join(tempDir(), "a-file");
    new BetterSqlite3(file).close();
    const blocked = join(file, "sub", "scanner-bot.db");
    expect(() => openStore({ path: blocked })).toThrow(BotError);
    try {
      openStore({ path: blocked });
    } catch (err) {
      expect((err as BotError).code).toBe("store_error");
      expect((err as BotError).userMessage).toContain(blocked);
    }
  });

  it("picks PostgreSQL for a url (connecting only when used) and refuses a url that is not postgres://", async () => {
    const store = openStore({ url: "postgres://bot@db/scanner" });
    expect(store.backend).toBe("postgres");
    await store.close();
    expect(() => openStore({ url: "mysql://bot@db/scanner" })).toThrow(/postgres:\/\//);
  });

  it("turns a failure after close into a store_error", async () => {
    const store = new SqliteStore(":memory:");
    await store.close();
    await expect(store.listIncidents()).rejects.toMatchObject({ code: "store_error" });
  });
});
