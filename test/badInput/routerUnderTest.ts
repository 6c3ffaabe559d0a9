import { allCommands } from "../../commands/index.js";
import { createAccessPolicy } from "../../src/access/accessPolicy.js";
import { InMemoryAuditSink } from "../../src/access/audit.js";
import type { Caller } from "../../src/access/caller.js";
import { ConfirmationLedger } from "../../src/actions/confirmationLedger.js";
import { accessSectionSchema } from "../../src/config/accessSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { createRouter, type Router } from "../../src/routing/router.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";
import { countServerRequests, type RequestCounter } from "./requestCounter.js";

/** An admin in the ops channel: access never hides a validation gap. */
export const admin: Caller = { platform: "slack", userId: "UADMIN", userName: "ana", conversationId: "COPS" };

/** A multi-line stack frame in a reply's text. */
export const stackLine = /\n\s+at \S/;

/**
 * The real router with every command, every service and every guarded action
 * enabled, over two real loopback agents (cluster `contoso-prod`, nodes
 * `scan-01` and `scan-02`), plus a counter of the HTTP requests they receive.
 */
export async function startRouterUnderTest(): Promise<{
  router: Router;
  counter: RequestCounter;
  close(): Promise<void>;
}> {
  const agents = new LoopbackAgents();
  const nodes = await Promise.all(["scan-01", "scan-02"].map((n) => agents.agent(n, { cluster: "contoso-prod" })));
  const store = new SqliteStore(":memory:");
  const router = createRouter(
    allCommands,
    {
      now: () => new Date(),
      fleet: agents.fleet(fleetConfig({ "contoso-prod": nodes })),
      store,
      audit: new InMemoryAuditSink(),
      access: createAccessPolicy(accessSectionSchema.parse({ admins: [{ platform: "slack", user: admin.userId }] })),
      guardedActions: {
        enabled: new Set(["restart-service", "start-scan", "stop-scan", "export-logs"] as const),
        ledger: new ConfirmationLedger(),
      },
    },
    silentLogger(),
  );
  const counter = countServerRequests();
  return {
    router,
    counter,
    async close() {
      counter.stop();
      await agents.closeAll();
      await store.close();
    },
  };
}
