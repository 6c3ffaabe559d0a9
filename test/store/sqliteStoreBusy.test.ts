import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import type { NodeHistoryRecord } from "../../src/store/store.js";

/**
 * Retrying a whole store operation after a busy try must be safe. A busy
 * database is made deterministic here: a temporary trigger on one table calls
 * a function that throws SQLITE_BUSY (the driver's own error shape) while the
 * test says the lock is held, so the failure lands exactly on the statement
 * chosen, e.g. the second statement of a transaction. Waiting out a real lock
 * held by another process is in test/faults/storeFaults.test.ts.
 */

const stores: SqliteStore[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openStore(options: { lockBudgetMs?: number; path?: string } = {}): SqliteStore {
  const store = new SqliteStore(options.path ?? ":memory:", options);
  stores.push(store);
  return store;
}

/** The lock the trigger pretends another process holds; `times` tries fail, then they get through. */
class FakeLock {
  tries = 0;
  constructor(private times: number) {}
  get held(): boolean {
    return this.times > 0;
  }
  release(): void {
    this.times = 0;
  }
  hit(): void {
    this.tries++;
    if (this.times > 0) {
      this.times--;
      throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    }
  }
}

let fakeLocks = 0;

/** Makes `event` on `table` (rows matching `when`) fail busy while `lock` is held. */
function busyOn(store: SqliteStore, event: "INSERT" | "UPDATE", table: string, lock: FakeLock, when = "1"): void {
  const db = Reflect.get(store, "db") as Database;
  const name = `fake_lock_${++fakeLocks}`;
  db.function(name, () => {
    lock.hit();
    return 0;
  });
  db.exec(`CREATE TEMP TRIGGER ${name} AFTER ${event} ON main.${table} WHEN ${when} BEGIN SELECT ${name}(); END`);
}

const histories: NodeHistoryRecord[] = ["scan-01", "scan-02", "scan-03"].map((node) => ({
  node,
  cluster: "contoso-prod",
  entries: [{ at: "2026-11-25T03:00:00.000Z", state: "scanning" }],
  updatedAt: "2026-11-25T03:00:00.000Z",
}));

async function addConversation(store: SqliteStore, conversationId: string): Promise<void> {
  await store.upsertConversation({
    platform: "teams",
    conversationId,
    reference: { conversation: { id: conversationId } },
    updatedAt: "2026-11-25T03:00:00.000Z",
  });
}

const retired = (store: SqliteStore) =>
  (Reflect.get(store, "db") as Database).prepare("SELECT conversation_id FROM retired_conversations").all();

describe("SqliteStore retrying after a busy try", () => {
  it("leaves nothing of a retire whose second statement stays busy, and answers with a store_error", async () => {
    const store = openStore({ lockBudgetMs: 60 });
    await addConversation(store, "19:gone");
    const lock = new FakeLock(Number.POSITIVE_INFINITY);
    busyOn(store, "INSERT", "retired_conversations", lock);

    const error = await store.retireConversation("teams", "19:gone", "bot removed").catch((err: unknown) => err);
    expect(error).toMatchObject({
      code: "store_error",
      message: "The bot's database failed to retire a conversation.",
    });
    expect((error as Error).cause).toMatchObject({ code: "SQLITE_BUSY" });
    expect(lock.tries).toBeGreaterThan(1);
    // The DELETE before the busy INSERT was rolled back every time.
    expect((await store.getConversation("teams", "19:gone"))?.conversationId).toBe("19:gone");
    expect(retired(store)).toEqual([]);
  });

  it("retires once when the second statement gets through on a later try", async () => {
    const store = openStore();
    await addConversation(store, "19:gone");
    const lock = new FakeLock(2);
    busyOn(store, "INSERT", "retired_conversations", lock);

    await store.retireConversation("teams", "19:gone", "bot removed");
    expect(lock.tries).toBe(3);
    expect(await store.getConversation("teams", "19:gone")).toBeUndefined();
    expect(retired(store)).toEqual([{ conversation_id: "19:gone" }]);
  });

  it("saves no node history when the second one is busy, and all of them once it gets through", async () => {
    const store = openStore({ lockBudgetMs: 60 });
    const lock = new FakeLock(Number.POSITIVE_INFINITY);
    busyOn(store, "INSERT", "node_histories", lock, "NEW.node = 'scan-02'");

    await expect(store.saveHistories(histories)).rejects.toMatchObject({ code: "store_error" });
    expect(await store.loadHistories()).toEqual([]);

    lock.release();
    await store.saveHistories(histories);
    expect((await store.loadHistories()).map((h) => h.node)).toEqual(["scan-01", "scan-02", "scan-03"]);
  });

  it("still answers `created` for a subscription whose insert was busy first", async () => {
    const store = openStore();
    const lock = new FakeLock(1);
    busyOn(store, "INSERT", "subscriptions", lock);
    const subscription = {
      platform: "slack" as const,
      conversationId: "C0OPS",
      cluster: "contoso-prod",
      notifyFinished: false,
      createdBy: "ana",
      createdAt: "2026-11-25T03:00:00.000Z",
    };
    expect(await store.addSubscription(subscription)).toEqual({ created: true });
    expect(lock.tries).toBe(2);
    expect(await store.addSubscription(subscription)).toEqual({ created: false });
  });

  it("opens one incident and resolves it with its row when each write was busy first", async () => {
    const store = openStore();
    const opening = new FakeLock(1);
    busyOn(store, "INSERT", "incidents", opening);
    const { incident, created } = await store.openIncident({
      node: "scan-02",
      cluster: "contoso-prod",
      kind: "unreachable",
      summary: "agent not answering",
      since: "2026-11-25T01:00:00.000Z",
      openedAt: "2026-11-25T01:03:00.000Z",
      detail: { failedPolls: 3 },
    });
    expect(created).toBe(true);
    expect(opening.tries).toBe(2);
    expect(await store.listIncidents()).toHaveLength(1);

    const resolving = new FakeLock(1);
    busyOn(store, "UPDATE", "incidents", resolving);
    // The retry must not mistake its own first try for someone else's resolve.
    const resolved = await store.resolveIncident(incident.id, "2026-11-25T02:00:00.000Z");
    expect(resolved).toMatchObject({ id: incident.id, resolvedAt: "2026-11-25T02:00:00.000Z" });
    expect(resolving.tries).toBe(2);
    expect(await store.resolveIncident(incident.id, "2026-11-25T02:05:00.000Z")).toBeUndefined();
  });

  it("commits writes issued while one waits in call order, and reads answer meanwhile", async () => {
    const store = openStore();
    await store.setSnooze({ node: "scan-01", until: "2026-11-25T04:00:00.000Z", by: "cem", createdAt: "t0" });
    const lock = new FakeLock(Number.POSITIVE_INFINITY);
    // Only ana's write meets the lock: ben's would get through at once if it were let past hers.
    busyOn(store, "UPDATE", "snoozes", lock, "NEW.by = 'ana'");

    // Two people change the same snooze one after the other; the first one's write hits the lock.
    const first = store.setSnooze({ node: "scan-01", until: "2026-11-25T05:00:00.000Z", by: "ana", createdAt: "t1" });
    const second = store.setSnooze({ node: "scan-01", until: "2026-11-25T06:00:00.000Z", by: "ben", createdAt: "t2" });
    const during = await store.listSnoozes("2026-11-25T03:00:00.000Z");
    expect(during.map((s) => s.by)).toEqual(["cem"]);
    expect(during[0]?.until).toBe("2026-11-25T04:00:00.000Z");

    expect(lock.tries).toBeGreaterThan(0);
    lock.release();
    await Promise.all([first, second]);
    expect(await store.listSnoozes("2026-11-25T03:00:00.000Z")).toEqual([
      { node: "scan-01", until: "2026-11-25T06:00:00.000Z", by: "ben", createdAt: "t2" },
    ]);
  });

  it("closes only after a write waiting out a lock has committed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scanner-bot-busy-"));
    dirs.push(dir);
    const path = join(dir, "scanner-bot.db");
    const store = new SqliteStore(path);
    const lock = new FakeLock(3);
    busyOn(store, "INSERT", "audit_log", lock);
    const entry = {
      at: "2026-11-25T03:00:00.000Z",
      platform: "slack" as const,
      userId: "U0ANA",
      command: "status",
      line: "status",
      outcome: "ok" as const,
      durationMs: 1,
    };
    const write = store.record(entry);
    await store.close();
    await write;
    expect(lock.tries).toBe(4);

    const reopened = openStore({ path });
    expect(await reopened.listAudit()).toEqual([entry]);
  });
});
