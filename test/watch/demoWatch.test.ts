import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { startDemoCluster } from "../../src/demo/demoCluster.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import type { Reply } from "../../src/reply/reply.js";
import { createBot } from "../../src/runtime/bot.js";
import { ConsoleWatch } from "../../src/runtime/consoleWatch.js";
import type { Watcher } from "../../src/watch/watcher.js";
import { FakeClock } from "./watchHarness.js";

describe("the demo cluster in the console, with the watcher", () => {
  it("prints scan-02's stall alert with the article's steps, and the recovery after a service restart", async () => {
    const clock = new FakeClock(Date.now());
    const demo = await startDemoCluster({ now: clock.now });
    const consoleWatch = new ConsoleWatch({ logger: silentLogger(), now: clock.now });
    const printed: Reply[] = [];
    let watcher: Watcher | undefined;
    try {
      const bot = createBot({
        logger: silentLogger(),
        config: demo.config,
        fleet: demo.fleet,
        now: clock.now,
        watch: (fleet, config) => {
          const built = consoleWatch.build(fleet, config);
          watcher = built?.watcher;
          return built;
        },
      });
      const line = await consoleWatch.start();
      expect(line).toBe("Watching contoso-demo (poll every 5s, stalled after 45s): alerts appear here.");
      consoleWatch.attach({ notify: (r) => printed.push(r) });
      if (!watcher) throw new Error("the console watch built no watcher");
      expect(bot.router.services.watcher).toBe(watcher);
      // Drive the demo's own 5-second schedule by hand on the fake clock.
      await watcher.stop();
      const running = watcher;
      const poll = async (seconds: number) => {
        for (let s = 0; s < seconds; s += 5) {
          clock.advance(5000);
          await running.pollAll();
          await running.idle();
        }
      };
      await poll(100);
      const stallAt = printed.findIndex((r) => r.text.startsWith("scan-02: scan stalled"));
      expect(stallAt).toBe(-1);
      await poll(40);
      const stall = printed.find((r) => r.text.startsWith("scan-02: scan stalled"));
      expect(stall).toBeDefined();
      const text = renderPlainText(stall as Reply);
      expect(text).toContain("Stuck scanner processes");
      expect(text).toContain("[Run diagnostics: diagnose scan-02]");
      expect(printed.some((r) => r.text.startsWith("scan-03: scanner error"))).toBe(true);

      const restart = await demo.fleet.action("scan-02", { action: "restart-service", requestId: randomUUID() });
      expect(restart.ok && restart.value.outcome).toBe("done");
      await poll(20);
      const recovery = printed.find((r) => r.text.startsWith("Recovered: scan-02 scan stalled"));
      expect(recovery).toBeDefined();
      expect(renderPlainText(recovery as Reply)).toMatch(/\(re: message shell-\d+\)/);
      const status = await bot.router.dispatch("watch status", {
        platform: "shell",
        userId: "op",
        conversationId: "console",
      }).result;
      expect(renderPlainText(status)).toMatch(/scan-02\s+contoso-demo\s+scanning/);
    } finally {
      await consoleWatch.stop();
      await demo.close();
    }
  });
});
