import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { endToEndTestTimeoutMs, until } from "../support/until.js";
import {
  kill,
  notificationLog,
  processTestSpace,
  startSlackStandIn,
  startWatcherProcess,
  switchableNode,
} from "./watcherProcessHarness.js";

/**
 * The bot's watcher as a real process (watcherProcess.ts: file-backed SQLite,
 * the real fleet client and Slack delivery, one failed poll is unreachable,
 * one clean poll clears) over a node whose scanner is in error. Its agent then
 * goes silent and comes back, still failing. What reaches Slack must be true:
 * silence is "agent unreachable", never "Recovered" for the error, and the
 * error that is still there is the same incident, not a new alert.
 */
const space = processTestSpace("scanner-silent-agent-");

describe("an agent that goes silent while its node is in error", () => {
  it("posts unreachable, never a false recovery, and continues the error incident when the agent returns still failing", {
    timeout: endToEndTestTimeoutMs,
  }, async () => {
    const slack = await startSlackStandIn({ hold: false });
    const failing = await switchableNode(space.agents, "scan-01", { scenario: "database-error", up: true });
    const dbPath = join(space.dir, "scanner-bot.db");
    const errorAlerts = () => slack.texts().filter((t) => t.startsWith("scan-01: scanner error"));
    const recoveries = (what: string) => slack.texts().filter((t) => t.startsWith(`Recovered: scan-01 ${what}`));
    try {
      const watcher = await startWatcherProcess(
        { dbPath, slackApiUrl: slack.url, signingSecret: randomBytes(16).toString("hex"), nodes: [failing.node] },
        space.children,
      );
      await until(() => errorAlerts().length === 1, "the error alert");
      const [error] = notificationLog(dbPath).incidents;
      expect(error?.kind).toBe("error_state");

      // Silence: its own alert, and the error stays open however long it lasts.
      failing.takeDown();
      await until(() => slack.texts().some((t) => t.startsWith("scan-01: agent unreachable")), "the unreachable alert");
      await failing.morePolls(6);
      expect(recoveries("scanner error")).toEqual([]);
      expect(notificationLog(dbPath).incidents.find((i) => i.id === error?.id)?.resolved_at).toBeNull();

      // Back, still in error: the outage recovers (naming its incident), the error goes on as the same incident.
      failing.bringUp();
      await until(() => recoveries("agent unreachable").length === 1, "the unreachable incident's recovery");
      await failing.morePolls(6);
      const unreachable = notificationLog(dbPath).incidents.find((i) => i.kind === "unreachable");
      expect(recoveries("agent unreachable")).toEqual([expect.stringContaining(`(#${unreachable?.id})`)]);
      expect(errorAlerts()).toHaveLength(1);
      expect(recoveries("scanner error")).toEqual([]);
      const incidents = notificationLog(dbPath).incidents;
      expect(incidents.filter((i) => i.kind === "error_state").map((i) => [i.id, i.resolved_at])).toEqual([
        [error?.id, null],
      ]);
      await kill(watcher);
    } finally {
      await slack.close();
      await failing.close();
    }
  });
});
