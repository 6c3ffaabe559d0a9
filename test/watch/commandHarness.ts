import { allCommands } from "../../commands/index.js";
import type { Caller } from "../../src/access/caller.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import type { Reply } from "../../src/reply/reply.js";
import { createRouter } from "../../src/routing/router.js";
import type { Services } from "../../src/routing/services.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";

export const ana: Caller = { platform: "slack", userId: "U024BE7LH", userName: "ana", conversationId: "C0SCANOPS" };
export const fixedNow = new Date("2026-11-25T03:00:00.000Z");

/** A router over every command with an in-memory store; `run` returns the reply and its plain text. */
export function watchCommandHarness(extra: Partial<Omit<Services, "commands">> = {}) {
  const store = new SqliteStore(":memory:");
  const router = createRouter(allCommands, { now: () => fixedNow, store, ...extra }, silentLogger());
  async function run(line: string, caller: Caller = ana): Promise<{ reply: Reply; text: string }> {
    const reply = await router.dispatch(line, caller).result;
    return { reply, text: renderPlainText(reply) };
  }
  return { store, router, run };
}

/** Opens an incident the way the watcher would. */
export async function openStall(store: SqliteStore, node = "scan-01") {
  const { incident } = await store.openIncident({
    node,
    cluster: "contoso-prod",
    kind: "stalled",
    summary: "No scan progress for 34m",
    since: "2026-11-25T02:20:00.000Z",
    openedAt: "2026-11-25T02:51:00.000Z",
    detail: { scannedFiles: 18234, kbId: "stuck-scanner-processes" },
  });
  return incident;
}
