import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import { createScannerSimulator, type ScannerSimulator } from "../../agent/simulator/scannerSimulator.js";
import { type BotConfig, botConfigSchema } from "../../src/config/botConfig.js";
import { createFleetClient, type FleetClient } from "../../src/fleet/fleetClient.js";
import { clusterEstimate } from "../../src/fleet/progressEstimate.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { createFleetWatcher } from "../../src/watch/fleetWatch.js";
import type { Watcher } from "../../src/watch/watcher.js";
import { FakeClock, RecordingDelivery, runMinutes } from "./watchHarness.js";

/**
 * The watcher's polls feed the progress model through the real fleet client
 * (signed HTTP to real agent servers over simulated scanners on a fake clock);
 * a cycle that completes is kept in the store file, and a restarted bot on the
 * same file estimates the next cycle against it.
 */
describe("scan progress over watcher polls, across a completed cycle and a restart", () => {
  const servers: RunningAgentServer[] = [];
  const dir = mkdtempSync(join(tmpdir(), "scanner-bot-progress-"));
  const open: { fleet: FleetClient; store: SqliteStore; watcher: Watcher }[] = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.watcher.stop();
      o.fleet.close();
      await o.store.close();
    }
    await Promise.all(servers.splice(0).map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function bot(config: BotConfig, clock: FakeClock) {
    const fleet = createFleetClient(config, { now: clock.now });
    // About the watched basis: the simulators' Summary reports would otherwise be the first cycle's basis.
    fleet.scanProgress.useSummaryReports(async () => []);
    const store = new SqliteStore(join(dir, "bot.db"));
    const watcher = await createFleetWatcher({
      config,
      fleet,
      store,
      deliveries: { slack: new RecordingDelivery("slack") },
      logger: silentLogger(),
      now: clock.now,
      channelIntervalMs: 0,
    });
    open.push({ fleet, store, watcher });
    return { fleet, store, watcher };
  }

  it("rates per node from polls, keeps the finished cycle, and estimates the next one after a restart", async () => {
    const clock = new FakeClock(Date.parse("2026-11-25T10:00:00.000Z"));
    const names = ["scan-01", "scan-02"];
    const sims = new Map<string, ScannerSimulator>();
    const nodes = [];
    for (const [i, name] of names.entries()) {
      const sim = createScannerSimulator({
        nodeName: name,
        cluster: "contoso-prod",
        clusterNodes: names,
        seed: i + 5,
        now: clock.now,
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
      watch: { pollInterval: "1m" },
    });

    const first = await bot(config, clock);
    await runMinutes(first.watcher, clock, 11);
    const view = first.fleet.scanProgress.cluster("contoso-prod");
    // 120 files a minute on the first node; the simulator slows each further node of a cluster by 12 %.
    expect(view.nodes.map((n) => Math.round(n.current.rate?.filesPerHour ?? 0))).toEqual([7200, 6336]);
    expect(view.rate?.trend).toBe("steady");
    expect(clusterEstimate(view, clock.now()).basis).toBe("no-previous-cycle");

    for (const sim of sims.values()) sim.setScenario("finished");
    await runMinutes(first.watcher, clock, 2);
    await first.fleet.scanProgress.settled();
    const kept = await first.store.lastScanCycle("contoso-prod");
    // 15 minutes of warm-up plus 11 polled, at 120 and 105.6 files a minute.
    expect(kept).toMatchObject({ scannedFiles: 3120 + 2745, nodeFiles: { "scan-01": 3120, "scan-02": 2745 } });
    expect(kept?.curve.length).toBeGreaterThan(5);

    // The bot restarts on the same store file; the scanner starts the next cycle.
    const { watcher, fleet, store } = open.splice(0)[0] ?? expect.fail("no first bot");
    await watcher.stop();
    fleet.close();
    await store.close();
    const second = await bot(config, clock);
    for (const sim of sims.values()) {
      await sim.runAction({ action: "start-scan", requestId: randomUUID(), reset: false });
    }
    await runMinutes(second.watcher, clock, 21);
    await second.fleet.scanProgress.loadBaseline("contoso-prod");
    const next = second.fleet.scanProgress.cluster("contoso-prod");
    const estimate = clusterEstimate(next, clock.now());
    expect(estimate.basis).toBe("previous-cycle");
    expect(estimate.percent).toBe(Math.round((next.scannedFiles / (3120 + 2745)) * 100));
    expect(estimate.text).toMatch(/^about \d+ %, likely done \d\d:\d\d–\d\d:\d\d UTC$/);
  });
});
