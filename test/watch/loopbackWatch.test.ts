import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import { createScannerSimulator, type ScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { createFleetClient, type FleetClient } from "../../src/fleet/fleetClient.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { createFleetWatcher } from "../../src/watch/fleetWatch.js";
import { FakeClock, RecordingDelivery, runMinutes } from "./watchHarness.js";

/**
 * End to end over loopback: real agent servers (simulated scanners on a fake
 * clock) answer signed HTTP calls from the real fleet client; the watcher polls
 * them through it and posts through a recording Delivery.
 */
describe("watcher against real agent servers on loopback", () => {
  const servers: RunningAgentServer[] = [];
  let fleet: FleetClient | undefined;
  let store: SqliteStore | undefined;
  afterEach(async () => {
    fleet?.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    await store?.close();
  });

  it("alerts the stalled node and the dead agent, then posts the stall's recovery in its thread", async () => {
    const clock = new FakeClock();
    const names = ["scan-01", "scan-02"];
    const sims = new Map<string, ScannerSimulator>();
    const nodes = [];
    for (const [i, name] of names.entries()) {
      const sim = createScannerSimulator({
        nodeName: name,
        cluster: "contoso-prod",
        clusterNodes: names,
        seed: i + 11,
        now: clock.now,
        ...(name === "scan-01" ? { timeline: [{ atSeconds: 300, scenario: "stalled" as const }] } : {}),
      });
      sims.set(name, sim);
      const secret = randomBytes(24).toString("hex");
      const server = await startAgentServer({ backend: sim, secrets: [secret], actionsEnabled: [] });
      servers.push(server);
      nodes.push({ name, url: server.url, secret });
    }
    const config = botConfigSchema.parse({
      fleet: { timeout: 2000 },
      clusters: [{ name: "contoso-prod", nodes, channels: [{ platform: "slack", id: "C0SCANOPS" }] }],
      watch: { stallAfter: "20m", pollInterval: "1m" },
    });
    fleet = createFleetClient(config);
    store = new SqliteStore(":memory:");
    const delivery = new RecordingDelivery("slack");
    const watcher = await createFleetWatcher({
      config,
      fleet,
      store,
      deliveries: { slack: delivery },
      logger: silentLogger(),
      now: clock.now,
      channelIntervalMs: 0,
    });
    expect(await store.listSubscriptions()).toMatchObject([{ conversationId: "C0SCANOPS", createdBy: "config" }]);

    // The scanning cluster's live card comes first; the alerts go in its thread.
    await runMinutes(watcher, clock, 24);
    const [card] = delivery.posts.splice(0, 1);
    expect(card?.options.liveCard).toBe(true);
    expect(delivery.posts).toEqual([]);
    await runMinutes(watcher, clock, 2);
    expect(delivery.texts()).toEqual([expect.stringMatching(/^scan-01: scan stalled: No scan progress for 20m/)]);
    expect(delivery.posts[0]?.options.threadOf?.messageId).toBe(card?.message.messageId);
    expect(watcher.assessment("scan-02")?.state).toBe("scanning");

    // scan-02's agent goes away: three failed polls later it is an incident.
    const [dead] = servers.splice(1, 1);
    await dead?.close();
    await runMinutes(watcher, clock, 2);
    expect(delivery.posts).toHaveLength(1);
    await runMinutes(watcher, clock, 1);
    expect(delivery.texts()[1]).toMatch(/^scan-02: agent unreachable/);

    sims.get("scan-01")?.setScenario("healthy");
    await runMinutes(watcher, clock, 3);
    const recovery = delivery.posts.find((p) => p.reply.text.startsWith("Recovered: scan-01"));
    expect(recovery?.options.threadOf?.messageId).toBe(delivery.posts[0]?.message.messageId);
    expect((await store.listIncidents({ open: true })).map((i) => [i.node, i.kind])).toEqual([
      ["scan-02", "unreachable"],
    ]);
    await watcher.stop();
  });
});
