import { afterEach, describe, expect, it } from "vitest";
import { auditCommand } from "../../commands/audit.js";
import { helpCommand } from "../../commands/help.js";
import { createAccessPolicy } from "../../src/access/accessPolicy.js";
import type { Caller } from "../../src/access/caller.js";
import { accessSectionSchema } from "../../src/config/accessSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { createRouter } from "../../src/routing/router.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";

const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

const admin: Caller = { platform: "teams", userId: "aad-admin", userName: "Ana", conversationId: "19:ops" };
const viewer: Caller = { platform: "teams", userId: "aad-viewer", conversationId: "19:ops" };

function setup() {
  const store = new SqliteStore(":memory:");
  stores.push(store);
  const router = createRouter(
    [helpCommand, auditCommand],
    {
      now: () => new Date("2026-11-25T10:00:00Z"),
      store,
      audit: store,
      access: createAccessPolicy(accessSectionSchema.parse({ admins: [{ platform: "teams", user: "aad-admin" }] })),
    },
    silentLogger(),
  );
  return { store, router };
}

/** The audit sink records in the background; wait until the store has `n` entries. */
async function auditedCount(store: SqliteStore, n: number): Promise<void> {
  for (let i = 0; i < 50 && (await store.listAudit(500)).length < n; i++) await new Promise((r) => setTimeout(r, 5));
}

describe("audit", () => {
  it("shows admins who ran what, with secrets redacted from what was typed", async () => {
    const { store, router } = setup();
    await router.dispatch('help -AppSecret "OAkk+rnuYc/u+]ah2kNxVbtrDGbS47L4"', viewer).result;
    await router.dispatch("audit", viewer).result;
    await auditedCount(store, 2);
    const stored = await store.listAudit(10);
    expect(stored.map((e) => e.line).join("\n")).not.toContain("OAkk+rnuYc");
    expect(stored.find((e) => e.command === "audit")?.outcome).toBe("denied");

    const answer = await router.dispatch("audit 5", admin).result;
    const text = renderPlainText(answer);
    expect(answer.visibility).toBe("personal");
    expect(text).toContain("aad-viewer");
    expect(text).toContain("denied");
    expect(text).toContain("[REDACTED");
    expect(text).not.toContain("OAkk+rnuYc");
  });

  it("refuses a count that is not a small whole number", async () => {
    const { router } = setup();
    for (const bad of ["audit 0", "audit 500", "audit 2.5", "audit ten"]) {
      expect((await router.dispatch(bad, admin).result).status, bad).toBe("error");
    }
  });
});
