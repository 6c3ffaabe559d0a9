import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allCommands } from "../../commands/index.js";
import type { Caller } from "../../src/access/caller.js";
import type { FleetClient } from "../../src/fleet/fleetClient.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { createRouter, type Router } from "../../src/routing/router.js";
import { SqliteStore, type SqliteStoreOptions } from "../../src/store/sqliteStore.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";

/**
 * The bot's database when it cannot write: another process holding the write
 * lock (the store waits it out without holding the event loop, and after its
 * lock budget answers with a store_error the user can read), and a full
 * database (SQLITE_FULL). No crash, nothing already stored is lost, and
 * writes work again once the cause is gone.
 */

const root = new URL("../..", import.meta.url).pathname;
const caller: Caller = { platform: "slack", userId: "U0ANA", userName: "ana", conversationId: "C0OPS" };
const agents = new LoopbackAgents();
let dir: string;
let store: SqliteStore;
let router: Router;
let fleet: FleetClient;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "scanner-store-faults-"));
  const node = await agents.agent("scan-01", { cluster: "contoso-prod" });
  fleet = agents.fleet(fleetConfig({ "contoso-prod": [node] }));
  await useStore();
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await store.close();
  await agents.closeAll();
  await rm(dir, { recursive: true, force: true });
});

/** Opens the bot's store (replacing the one open) and a router over it. */
async function useStore(options: SqliteStoreOptions = {}): Promise<void> {
  await store?.close();
  store = new SqliteStore(join(dir, "scanner-bot.db"), options);
  router = createRouter(allCommands, { now: () => new Date(), store, fleet }, silentLogger());
}

/**
 * Counts the event loop's turns (a setImmediate chain) while `work` runs: none if `work` holds the loop
 * throughout, as a driver busy timeout would. Turns, not timer ticks per millisecond: the count must not
 * depend on how fast this machine is right now, only on whether the wait gives the loop back.
 */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0;
  let running = true;
  const turn = () => {
    if (!running) return;
    turns++;
    setImmediate(turn);
  };
  setImmediate(turn);
  try {
    const result = await work();
    return { result, turns };
  } finally {
    running = false;
  }
}

/**
 * Another process takes the database's write lock (BEGIN EXCLUSIVE) and keeps it for `holdMs`, or until
 * `releaseLock` tells it to let go.
 */
function lockFromAnotherProcess(holdMs: number): Promise<ChildProcess> {
  const script = `
    import Database from "better-sqlite3";
    const db = new Database(process.argv[1]);
    db.exec("BEGIN EXCLUSIVE");
    process.stdout.write("locked\\n");
    const release = () => { db.exec("COMMIT"); db.close(); process.exit(0); };
    setTimeout(release, Number(process.argv[2]));
    process.stdin.once("data", release);
  `;
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", script, join(dir, "scanner-bot.db"), String(holdMs)],
    { cwd: root, stdio: ["pipe", "pipe", "inherit"] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

/** Has the lock holder commit now; resolves once it has gone. */
async function releaseLock(holder: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => holder.once("exit", resolve));
  holder.stdin?.write("release\n");
  await gone;
}

const ask = async (line: string, who: Caller = caller) => {
  const reply = await router.dispatch(line, who).result;
  return { reply, text: renderPlainText(reply) };
};

describe("store locked by another process", () => {
  it("waits out a short lock while the event loop keeps running, then writes", async () => {
    await lockFromAnotherProcess(800);
    const { result, turns } = await turnsDuring(() => ask("watch on contoso-prod"));
    expect(result.reply.status).toBe("ok");
    expect(await store.listSubscriptions()).toHaveLength(1);
    // The write waited for the other process (a free database answers synchronously, with no turn at all), and
    // the loop kept turning while it did: every try that found the lock gives the loop back before the next.
    // A driver busy timeout holds the loop for the whole wait: no turn.
    expect(turns).toBeGreaterThanOrEqual(2);
  });

  it("does not let a write issued later in a lock overtake one that has waited longer", async () => {
    await store.setSnooze({ node: "scan-01", until: "2026-11-25T04:00:00.000Z", by: "cem", createdAt: "t0" });
    const holder = await lockFromAnotherProcess(30_000);
    // Two people change the same snooze one after the other while the database is locked.
    const first = store.setSnooze({ node: "scan-01", until: "2026-11-25T05:00:00.000Z", by: "ana", createdAt: "t1" });
    // By now the first write sleeps a long back-off step; a fresh write would retry sooner and win the race.
    await new Promise((resolve) => setTimeout(resolve, 450));
    const second = store.setSnooze({ node: "scan-01", until: "2026-11-25T06:00:00.000Z", by: "ben", createdAt: "t2" });
    await new Promise((resolve) => setTimeout(resolve, 15));
    await releaseLock(holder);
    await Promise.all([first, second]);
    expect(await store.listSnoozes("2026-11-25T03:00:00.000Z")).toEqual([
      { node: "scan-01", until: "2026-11-25T06:00:00.000Z", by: "ben", createdAt: "t2" },
    ]);
  });

  it("answers with a store_error when the lock outlasts its budget, keeps what it had, and recovers", async () => {
    await useStore({ lockBudgetMs: 300 });
    await store.addSubscription({
      platform: "slack",
      conversationId: "C0EARLIER",
      cluster: "*",
      notifyFinished: false,
      createdBy: "config",
      createdAt: "2026-11-25T03:00:00.000Z",
    });
    const holder = await lockFromAnotherProcess(30_000);
    const { result, turns } = await turnsDuring(() => ask("watch on contoso-prod"));
    expect(result.reply.status).toBe("error");
    expect(result.text).toContain("The bot's database failed to");
    expect(result.text).not.toMatch(/SQLITE_BUSY|\n\s+at \S/);
    expect(turns).toBeGreaterThanOrEqual(2);
    // WAL readers are not blocked by a writer: what was stored is still readable.
    expect((await store.listSubscriptions()).map((s) => s.conversationId)).toEqual(["C0EARLIER"]);

    await releaseLock(holder);
    expect((await ask("watch on contoso-prod")).reply.status).toBe("ok");
    expect(await store.listSubscriptions()).toHaveLength(2);
  });
});

describe("store full", () => {
  it("reports SQLITE_FULL as a store_error, keeps the data, and writes again once there is room", async () => {
    await ask("watch on contoso-prod");
    // SQLite's own disk-full condition: cap the file at its current size on the store's connection.
    const db = Reflect.get(store, "db") as Database;
    const pages = Number(db.pragma("page_count", { simple: true }));
    db.pragma(`max_page_count = ${pages}`);
    let full: unknown;
    for (let i = 0; i < 2000 && !full; i++) {
      full = await store
        .record({
          at: new Date().toISOString(),
          platform: "slack",
          userId: "U0ANA",
          command: "status",
          line: `status ${"x".repeat(500)}`,
          outcome: "ok",
          durationMs: 1,
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
    }
    expect(full).toMatchObject({ code: "store_error" });
    expect((full as Error).cause).toMatchObject({ code: "SQLITE_FULL" });

    // Fill the subscriptions table's last page too, so the command's own write needs a new page.
    let subscriptionsFull: unknown;
    for (let i = 0; i < 2000 && !subscriptionsFull; i++) {
      subscriptionsFull = await store
        .addSubscription({
          platform: "slack",
          conversationId: `C0FILL${i}`,
          cluster: "contoso-prod",
          notifyFinished: false,
          createdBy: "filler",
          createdAt: "2026-11-25T03:00:00.000Z",
        })
        .then(
          () => undefined,
          (err: unknown) => err,
        );
    }
    expect(subscriptionsFull).toMatchObject({ code: "store_error" });
    const stored = (await store.listSubscriptions()).length;

    const { reply, text } = await ask("watch on contoso-prod", { ...caller, conversationId: "C0NEW" });
    expect(reply.status).toBe("error");
    expect(text).toContain("The bot's database failed to");
    expect(text).not.toMatch(/SQLITE_FULL|\n\s+at \S/);
    expect(await store.listSubscriptions()).toHaveLength(stored);
    expect((await store.listSubscriptions({ conversationId: "C0OPS" })).map((s) => s.cluster)).toEqual([
      "contoso-prod",
    ]);

    db.pragma("max_page_count = 1073741823");
    expect((await ask("watch on contoso-prod", { ...caller, conversationId: "C0NEW" })).reply.status).toBe("ok");
  });
});
