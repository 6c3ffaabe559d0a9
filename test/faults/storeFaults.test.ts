import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Database } from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { allCommands } from "../../commands/index.js";
import type { Caller } from "../../src/command.js";
import { silentLogger } from "../../src/logger.js";
import { renderPlainText } from "../../src/plainText.js";
import { createRouter, type Router } from "../../src/router.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";

/**
 * The bot's database when it cannot write: another process holding the write
 * lock (the store waits its busy timeout, then answers with a store_error the
 * user can read), and a full database (SQLITE_FULL). No crash, nothing
 * already stored is lost, and writes work again once the cause is gone.
 */

const root = new URL("../..", import.meta.url).pathname;
const caller: Caller = { platform: "slack", userId: "U0ANA", userName: "ana", conversationId: "C0OPS" };
const agents = new LoopbackAgents();
let dir: string;
let store: SqliteStore;
let router: Router;
const children: ChildProcess[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "scanner-store-faults-"));
  store = new SqliteStore(join(dir, "scanner-bot.db"));
  const node = await agents.agent("scan-01", { cluster: "contoso-prod" });
  router = createRouter(
    allCommands,
    { now: () => new Date(), store, fleet: agents.fleet(fleetConfig({ "contoso-prod": [node] })) },
    silentLogger(),
  );
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
  await store.close();
  await agents.closeAll();
  await rm(dir, { recursive: true, force: true });
});

/** Another process takes the database's write lock (BEGIN EXCLUSIVE) and keeps it for `holdMs`. */
function lockFromAnotherProcess(holdMs: number): Promise<ChildProcess> {
  const script = `
    import Database from "better-sqlite3";
    const db = new Database(process.argv[1]);
    db.exec("BEGIN EXCLUSIVE");
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("COMMIT"); db.close(); process.exit(0); }, Number(process.argv[2]));
  `;
  const child = spawn(
    process.execPath,
    ["--input-type=module", "-e", script, join(dir, "scanner-bot.db"), String(holdMs)],
    { cwd: root, stdio: ["ignore", "pipe", "inherit"] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once("data", () => resolve(child));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`lock holder exited early (${code})`)));
  });
}

const ask = async (line: string, who: Caller = caller) => {
  const reply = await router.dispatch(line, who).result;
  return { reply, text: renderPlainText(reply) };
};

describe("store locked by another process", () => {
  it("waits out a short lock, then writes", async () => {
    await lockFromAnotherProcess(800);
    const started = Date.now();
    const { reply } = await ask("watch on contoso-prod");
    expect(reply.status).toBe("ok");
    // It had to wait for the other process, and did not give up.
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(await store.listSubscriptions()).toHaveLength(1);
  });

  it("answers with a store_error after the busy timeout, keeps what it had, and recovers", async () => {
    await store.addSubscription({
      platform: "slack",
      conversationId: "C0EARLIER",
      cluster: "*",
      notifyFinished: false,
      createdBy: "config",
      createdAt: "2026-11-25T03:00:00.000Z",
    });
    const holder = await lockFromAnotherProcess(30_000);
    const { reply, text } = await ask("watch on contoso-prod");
    expect(reply.status).toBe("error");
    expect(text).toContain("The bot's database failed to");
    expect(text).not.toMatch(/SQLITE_BUSY|\n\s+at \S/);
    // WAL readers are not blocked by a writer: what was stored is still readable.
    expect((await store.listSubscriptions()).map((s) => s.conversationId)).toEqual(["C0EARLIER"]);

    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.once("exit", resolve));
    expect((await ask("watch on contoso-prod")).reply.status).toBe("ok");
    expect(await store.listSubscriptions()).toHaveLength(2);
  }, 12_000);
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
