import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { startAgentServer } from "../../agent/agentServer.js";
import { createScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { logsCommand } from "../../commands/logs.js";
import { restartCommand } from "../../commands/restart.js";
import { scanCommand } from "../../commands/scan.js";
import { createAccessPolicy } from "../../src/access/accessPolicy.js";
import { InMemoryAuditSink } from "../../src/access/audit.js";
import type { Caller } from "../../src/access/caller.js";
import { ConfirmationLedger } from "../../src/actions/confirmationLedger.js";
import { accessSectionSchema } from "../../src/config/accessSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import type { Reply } from "../../src/reply/reply.js";
import { createRouter, type Router } from "../../src/routing/router.js";
import type { ActionRequest, GuardedAction } from "../../src/wire/agentApi.js";
import { fleetConfig, LoopbackAgents, type LoopbackNode } from "../fleet/loopbackAgents.js";

const agents = new LoopbackAgents();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
  await agents.closeAll();
});

const admin: Caller = { platform: "slack", userId: "UADMIN", userName: "ana", conversationId: "COPS" };
const otherAdmin: Caller = { platform: "slack", userId: "UADMIN2", userName: "ben", conversationId: "COPS" };
const operator: Caller = { platform: "slack", userId: "UOPS", conversationId: "COPS" };

/** A real agent over the simulator that counts the actions it actually ran. */
async function countingAgent(name: string, enabled: GuardedAction[]): Promise<LoopbackNode & { ran: ActionRequest[] }> {
  const secret = randomBytes(24).toString("hex");
  const simulator = createScannerSimulator({ nodeName: name, cluster: "contoso-prod", scenario: "stalled" });
  const ran: ActionRequest[] = [];
  const server = await startAgentServer({
    backend: {
      ...simulator,
      runAction: async (request) => {
        ran.push(request);
        // Slow enough that a double click arrives while the first one runs.
        await new Promise((resolve) => setTimeout(resolve, 50));
        return simulator.runAction(request);
      },
    },
    secrets: [secret],
    actionsEnabled: enabled,
  });
  closers.push(() => server.close());
  return { name, url: server.url, secret, ran };
}

function buttonCommands(reply: Reply): string[] {
  return reply.blocks.flatMap((b) => (b.kind === "actions" ? b.actions.map((a) => a.command) : []));
}

async function setup(botEnabled: GuardedAction[] = ["restart-service", "stop-scan", "start-scan", "export-logs"]) {
  const scan01 = await countingAgent("scan-01", ["restart-service", "stop-scan", "export-logs"]);
  const scan02 = await countingAgent("scan-02", []);
  const audit = new InMemoryAuditSink();
  const router: Router = createRouter(
    [restartCommand, scanCommand, logsCommand],
    {
      now: () => new Date(),
      fleet: agents.fleet(fleetConfig({ "contoso-prod": [scan02, scan01] })),
      access: createAccessPolicy(
        accessSectionSchema.parse({
          admins: [
            { platform: "slack", user: "UADMIN" },
            { platform: "slack", user: "UADMIN2" },
          ],
          operators: [{ platform: "slack", user: "UOPS" }],
        }),
      ),
      audit,
      guardedActions: { enabled: new Set(botEnabled), ledger: new ConfirmationLedger() },
    },
    silentLogger(),
  );
  const ask = async (line: string, caller = admin) => router.dispatch(line, caller).result;
  return { scan01, scan02, router, ask, audit };
}

describe("guarded actions", () => {
  it("asks an admin to confirm, then runs once however often the button is clicked", async () => {
    const { scan01, ask, audit } = await setup();
    const prompt = await ask("restart scan-01");
    expect(prompt.visibility).toBe("private");
    expect(scan01.ran).toHaveLength(0);
    const danger = prompt.blocks.flatMap((b) => (b.kind === "actions" ? b.actions : []))[0];
    expect(danger?.style).toBe("danger");
    expect(danger?.confirm?.title).toBe("Restart service?");
    expect(danger?.command).toMatch(/^restart scan-01 --confirm=[0-9a-f-]{36}$/);

    // Two admins click at the same time, and Slack redelivers one click.
    const [first, second, third] = await Promise.all([
      ask(danger?.command ?? ""),
      ask(danger?.command ?? "", otherAdmin),
      ask(danger?.command ?? ""),
    ]);
    expect(scan01.ran).toHaveLength(1);
    expect(first.visibility).toBe("channel");
    expect(first.status).toBe("ok");
    expect(renderPlainText(first)).toContain("Done: restart the scanner service on scan-01");
    expect(renderPlainText(first)).toContain("by ana");
    for (const later of [second, third]) expect(later.visibility).toBe("private");

    const afterwards = await ask(danger?.command ?? "", otherAdmin);
    expect(scan01.ran).toHaveLength(1);
    expect(renderPlainText(afterwards)).toContain("Done: restart the scanner service on scan-01");
    expect(audit.entries.filter((e) => e.command === "restart").map((e) => e.outcome)).toContain("ok");
  });

  it("denies operators with who can grant it, and runs nothing", async () => {
    const { scan01, ask } = await setup();
    const denied = await ask("restart scan-01", operator);
    expect(renderPlainText(denied)).toContain("`restart` needs the admin role; you have operator");
    expect(renderPlainText(denied)).toContain("Slack user UADMIN");
    expect(scan01.ran).toHaveLength(0);
  });

  it("stays off unless enabled on both sides", async () => {
    const botOff = await setup(["export-logs"]);
    expect(renderPlainText(await botOff.ask("restart scan-01"))).toContain("is off in the bot's config");
    await agents.closeAll();
    await Promise.all(closers.splice(0).map((c) => c()));

    const { ask, scan02 } = await setup();
    const agentOff = renderPlainText(await ask("restart scan-02"));
    expect(agentOff).toContain("`restart-service` is not enabled in its agent's config");
    expect(scan02.ran).toHaveLength(0);
  });

  it("refuses a confirmation id for another target or one it never issued", async () => {
    const { ask, scan01 } = await setup();
    const prompt = await ask("logs export scan-01");
    const id = buttonCommands(prompt)[0]?.split("--confirm=")[1];
    expect(renderPlainText(await ask(`logs export scan-02 --confirm=${id}`))).toContain(
      "belongs to another action or target",
    );
    expect(renderPlainText(await ask(`restart scan-01 --confirm=${id}`))).toContain(
      "belongs to another action or target",
    );
    const unknown = await ask("logs export scan-01 --confirm=4f0b2c1e-8a7d-4e3b-9c2a-1d5e6f7a8b9c");
    expect(renderPlainText(unknown)).toContain("unknown or has expired");
    expect(renderPlainText(await ask("logs export scan-01 --confirm=not-a-uuid"))).toContain("not a confirmation id");
    expect(scan01.ran).toHaveLength(0);
  });

  it("stops a cluster's scan through the first node whose agent allows it, and says it takes time", async () => {
    const { ask, scan01, scan02 } = await setup();
    const prompt = await ask("scan stop contoso-prod");
    expect(renderPlainText(prompt)).toContain("through scan-01's agent");
    const done = await ask(buttonCommands(prompt)[0] ?? "");
    expect(renderPlainText(done)).toContain("up to 5 minutes");
    expect(scan01.ran.map((r) => r.action)).toEqual(["stop-scan"]);
    expect(scan02.ran).toHaveLength(0);
  });

  it("reports where exported logs were saved", async () => {
    const { ask } = await setup();
    const prompt = await ask("logs export scan-01");
    const done = renderPlainText(await ask(buttonCommands(prompt)[0] ?? ""));
    expect(done).toMatch(/Saved on the node\s*:\s*C:\\ProgramData\\ScannerBot\\exports\\MSIP-logs-.*\.zip/);
  });

  it("rejects injection and traversal in every argument before any agent is called", async () => {
    const { ask, scan01, scan02 } = await setup();
    for (const line of [
      'restart "scan-01; Stop-Service AIPScanner"',
      "restart scan-01`whoami`",
      "restart $(Stop-Service)",
      "restart ../../windows/system32",
      "restart scan\u20110l",
      'logs export "scan-01\nRemove-Item C:\\"',
      "scan stop contoso-prod|calc",
      "scan delete contoso-prod",
      "restart scan-01 scan-02",
      "logs export scan-01 and-more",
      'restart scan-01 --confirm="x\nStop-Service AIPScanner"',
    ]) {
      const answer = await ask(line);
      expect(answer.status, line).toBe("error");
    }
    expect(scan01.ran).toHaveLength(0);
    expect(scan02.ran).toHaveLength(0);
  });
});
