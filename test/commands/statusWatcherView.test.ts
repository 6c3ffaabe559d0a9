import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import { createScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { statusCommand } from "../../commands/status.js";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { createFleetClient, type FleetClient } from "../../src/fleet/fleetClient.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import type { Block } from "../../src/reply/reply.js";
import { createRouter } from "../../src/routing/router.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { createFleetWatcher } from "../../src/watch/fleetWatch.js";
import { FakeClock, RecordingDelivery, runMinutes } from "../watch/watchHarness.js";

/**
 * `status` shows what the watcher knows from history: a slow scan whose report
 * still grows is "slow but alive (wait)", not a problem; a stall it confirmed is a stall.
 */
describe("status with the stall watcher's view", () => {
  const servers: RunningAgentServer[] = [];
  let fleet: FleetClient | undefined;
  let store: SqliteStore | undefined;
  afterEach(async () => {
    fleet?.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await store?.close();
  });

  it("marks the slow-but-alive node as such and the stalled one as stalled", async () => {
    const clock = new FakeClock();
    const scenarios = { "scan-01": "healthy", "scan-02": "slow-large-file", "scan-03": "healthy" } as const;
    const names = Object.keys(scenarios);
    const nodes = [];
    for (const [i, name] of names.entries()) {
      const sim = createScannerSimulator({
        nodeName: name,
        cluster: "contoso-prod",
        clusterNodes: names,
        seed: i + 5,
        now: clock.now,
        scenario: scenarios[name as keyof typeof scenarios],
        ...(name === "scan-03" ? { timeline: [{ atSeconds: 120, scenario: "stalled" as const }] } : {}),
      });
      const secret = randomBytes(24).toString("hex");
      const server = await startAgentServer({ backend: sim, secrets: [secret], actionsEnabled: [] });
      servers.push(server);
      nodes.push({ name, url: server.url, secret });
    }
    const config = botConfigSchema.parse({
      clusters: [{ name: "contoso-prod", nodes }],
      watch: { stallAfter: "20m", pollInterval: "1m" },
    });
    fleet = createFleetClient(config, { now: clock.now });
    store = new SqliteStore(":memory:");
    const watcher = await createFleetWatcher({
      config,
      fleet,
      store,
      deliveries: { slack: new RecordingDelivery("slack") },
      logger: silentLogger(),
      now: clock.now,
    });
    await runMinutes(watcher, clock, 30);

    const router = createRouter([statusCommand], { now: clock.now, fleet, store, watcher }, silentLogger());
    const answer = await router.dispatch("status", { platform: "shell", userId: "ops" }).result;
    const table = answer.blocks.find((b): b is Extract<Block, { kind: "table" }> => b.kind === "table");
    const row = (node: string) => table?.rows.find((r) => r.cells[0] === node);

    expect(row("scan-02")?.status).toBe("info");
    expect(row("scan-02")?.cells[1]).toMatch(/slow but alive.*detailed report still growing \(wait, per the article\)/);
    expect(row("scan-03")?.status).toBe("warn");
    expect(row("scan-03")?.cells[1]).toMatch(/No scan progress for 2\dm/);
    expect(row("scan-01")?.status).toBe("ok");

    const one = renderPlainText(await router.dispatch("status scan-02", { platform: "shell", userId: "ops" }).result);
    expect(one).toMatch(/Stall watcher\s*: slow but alive/);
  });
});
