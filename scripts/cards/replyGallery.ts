import type { Caller } from "../../src/access/caller.js";
import { demoClusterName, demoPreviousCycle, startDemoCluster } from "../../src/demo/demoCluster.js";
import { silentLogger } from "../../src/foundation/logger.js";
import type { Reply } from "../../src/reply/reply.js";
import { createBot } from "../../src/runtime/bot.js";
import { ConsoleWatch } from "../../src/runtime/consoleWatch.js";
import { liveCardVersion, summaryCardVersion } from "../../src/watch/scanCardMessage.js";
import type { Watcher } from "../../src/watch/watcher.js";

/**
 * Every kind of reply the bot sends, produced the way users get them: the
 * commands run against the demo cluster (simulated nodes behind real agents on
 * loopback) and the watcher's alerts come from polling it on a fake clock.
 * The card renderer script and the card layout test both read this gallery.
 */

/** One reply and the name its rendering is saved under. */
export interface GalleryEntry {
  name: string;
  reply: Reply;
}

/** The simulated time the gallery starts at, so times in the replies do not depend on the wall clock. */
export const galleryStart = Date.parse("2026-12-04T15:25:00.000Z");

/** A pasted error with what breaks renderers: a UNC path, backticks, a long path. */
const pastedError = [
  "Microsoft.InformationProtection.Scanner: Failed to connect to `\\\\fs01.contoso.com\\Finance`.",
  "SqlException (0x80131904): A network-related or instance-specific error occurred while establishing a connection to SQL Server.",
].join("\n");

const teamsCaller: Caller = {
  platform: "teams",
  userId: "29:1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ",
  userName: "Ana Lima",
  conversationId: "19:ops@thread.tacv2",
};

const consoleCaller: Caller = { platform: "shell", userId: "operator", conversationId: "console" };

/** Runs the demo and collects one entry per reply kind; closes everything it started. */
export async function collectGallery(): Promise<GalleryEntry[]> {
  let clock = galleryStart;
  const now = () => new Date(clock);
  const demo = await startDemoCluster({ now, stallAfterSeconds: 60 });
  const consoleWatch = new ConsoleWatch({ logger: silentLogger(), now });
  const alerts: Reply[] = [];
  let watcher: Watcher | undefined;
  const entries: GalleryEntry[] = [];
  try {
    const bot = createBot({
      logger: silentLogger(),
      config: demo.config,
      fleet: demo.fleet,
      now,
      watch: (fleet, config) => {
        const built = consoleWatch.build(fleet, config);
        watcher = built?.watcher;
        return built;
      },
    });
    await consoleWatch.start();
    consoleWatch.attach({ notify: (r) => alerts.push(r) });
    const running = watcher;
    if (!running) throw new Error("the demo built no watcher");
    await running.stop();
    const poll = async (seconds: number) => {
      for (let s = 0; s < seconds; s += 5) {
        clock += 5000;
        await running.pollAll();
        await running.idle();
      }
    };
    const run = async (name: string, line: string, withPlaceholder?: string, caller = teamsCaller) => {
      const dispatch = bot.router.dispatch(line, caller);
      if (withPlaceholder && dispatch.placeholder) entries.push({ name: withPlaceholder, reply: dispatch.placeholder });
      const result = await dispatch.result;
      entries.push({ name, reply: result });
      return result;
    };
    const alert = (name: string, prefix: string) => {
      const found = alerts.find((r) => r.text.startsWith(prefix));
      if (found) entries.push({ name, reply: found });
    };

    await poll(15 * 60);
    // The live scan card as it reads after 15 minutes of polls, and the two summaries it can turn into.
    const progress = demo.fleet.scanProgress.cluster(demoClusterName);
    entries.push({ name: "scan-card", reply: liveCardVersion(progress, now()).reply });
    const ended = { view: { ...progress, scanning: false }, cardCreatedAt: new Date(galleryStart).toISOString() };
    entries.push({
      name: "scan-card-summary",
      reply: summaryCardVersion({ ...ended, cycle: demoPreviousCycle(now()), now: now() }).reply,
    });
    entries.push({
      name: "scan-card-stopped",
      reply: summaryCardVersion({ ...ended, cycle: undefined, now: now() }).reply,
    });
    await run("help", "help");
    await run("help-command", "help snooze");
    await run("status-cluster", "status", "placeholder-status");
    await run("status-node", "status scan-01");
    await run("diagnose", "diagnose scan-03", "placeholder-diagnose");
    await run("errors", "errors scan-03", "placeholder-errors");
    await run("explain", `explain ${pastedError}`);
    await run("watch-status", "watch status");
    alert("alert-stalled", "scan-02: scan stalled");
    alert("alert-error", "scan-03: scanner error");
    await run("incidents", "incidents");
    const stall = (await bot.router.services.store?.listIncidents({ open: true }))?.find((i) => i.kind === "stalled");
    if (stall) await run("confirm-ack", `ack ${stall.id}`);
    await run("confirm-snooze", "snooze scan-02 4h");
    await run("confirm-snooze-off", "snooze scan-01 off");
    await run("confirm-watch", "watch on contoso-demo");
    // Guarded actions need the admin role, which the console has.
    const confirmation = await run("confirm-restart-ask", "restart scan-02", undefined, consoleCaller);
    const button = confirmation.blocks.flatMap((b) => (b.kind === "actions" ? b.actions : []))[0];
    if (button) await run("confirm-restart-done", button.command, undefined, consoleCaller);
    await poll(20);
    alert("recovery", "Recovered: scan-02");
    await run("error-unknown-node", "status scan-99");
    await run("error-unknown-command", "statsu");

    // Unreachable: scan-01's agent goes away; service stopped: scan-03's scanner service stops.
    demo.agents.find((a) => a.name === "scan-03")?.simulator.setScenario("service-stopped");
    await demo.agents.find((a) => a.name === "scan-01")?.server.close();
    await poll(120);
    alert("alert-unreachable", "scan-01: agent unreachable");
    alert("alert-service-stopped", "scan-03: scanner service stopped");
    alert("reminder", "Reminder");
    return entries;
  } finally {
    await consoleWatch.stop();
    await demo.close();
  }
}
