import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allCommands } from "../../commands/index.js";
import { InMemoryAuditSink } from "../../src/access/audit.js";
import type { Caller } from "../../src/access/caller.js";
import { ConfirmationLedger } from "../../src/actions/confirmationLedger.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { replySchema } from "../../src/reply/reply.js";
import { createRouter, type Router } from "../../src/routing/router.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";

/**
 * The router's promise: whatever line arrives, from whoever, it answers with
 * a reply that fits the reply schema (placeholder included) and never throws.
 * Lines are random text, and real command names with random arguments, over
 * a fleet whose one agent is healthy and whose other refuses connections.
 */

const agents = new LoopbackAgents();
let router: Router;
let store: SqliteStore;

beforeAll(async () => {
  const healthy = await agents.agent("scan-01", { cluster: "contoso-prod" });
  const refused = await agents.refusing("scan-02");
  store = new SqliteStore(":memory:");
  router = createRouter(
    allCommands,
    {
      now: () => new Date(),
      fleet: agents.fleet(fleetConfig({ "contoso-prod": [healthy, refused] }, { timeout: 1000 })),
      store,
      audit: new InMemoryAuditSink(),
      guardedActions: { enabled: new Set(["export-logs"] as const), ledger: new ConfirmationLedger() },
    },
    silentLogger(),
  );
});

afterAll(async () => {
  await agents.closeAll();
  await store.close();
});

const names = allCommands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
const argument = fc.oneof(
  fc.constantFrom(
    "scan-01",
    "scan-02",
    "contoso-prod",
    "on",
    "off",
    "status",
    "start",
    "stop",
    "export",
    "5",
    "0",
    "-1",
  ),
  fc.constantFrom("1h", "off", "999999999999", "--all", "--count=3", "--confirm=abc", "--finished", '"', "'", "\n"),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
);
const line = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc
    .tuple(
      fc.constantFrom("", "/scanner ", "@scanner "),
      fc.constantFrom(...names),
      fc.array(argument, { maxLength: 5 }),
    )
    .map(([prefix, name, args]) => `${prefix}${name} ${args.join(" ")}`),
);
const caller = fc.record({
  platform: fc.constantFrom<Caller["platform"]>("slack", "teams", "shell", "cli"),
  userId: fc.oneof(fc.constantFrom("U01", "29:1abc"), fc.string({ maxLength: 20 })),
  conversationId: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
});

describe("router under random input", () => {
  it("always answers with a schema-valid reply and never throws", async () => {
    await fc.assert(
      fc.asyncProperty(line, caller, fc.boolean(), async (text, who, fallback) => {
        const person: Caller = {
          platform: who.platform,
          userId: who.userId,
          ...(who.conversationId === undefined ? {} : { conversationId: who.conversationId }),
        };
        const dispatch = router.dispatch(text, person, { fallbackToExplain: fallback });
        if (dispatch.placeholder) expect(replySchema.safeParse(dispatch.placeholder).success).toBe(true);
        const reply = await dispatch.result;
        const parsed = replySchema.safeParse(reply);
        expect(parsed.success, `${JSON.stringify(text)} → ${JSON.stringify(reply).slice(0, 300)}`).toBe(true);
        expect(reply.text).not.toMatch(/\n\s+at \S+ \(/);
      }),
      { numRuns: 600 },
    );
  });
});
