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
 * The bot is killed (SIGKILL, no shutdown code runs) while an alert is on its
 * way to Slack, then started again over the same SQLite file. The claim
 * written before the send lets the new process see the half-finished
 * message: the alert is not posted a second time, the log holds no pending
 * row, and later messages (the recovery) still go out exactly once.
 *
 * Real processes: the watcher runs in a child (watcherProcess.ts through tsx);
 * the test process holds the agents and a loopback stand-in for Slack's Web
 * API that can hold a chat.postMessage open, which is "a send in flight".
 */

const space = processTestSpace("scanner-kill-restart-");

describe("bot killed during a notification, then restarted", () => {
  it("posts the alert once, leaves no pending row, and still sends the recovery exactly once", {
    timeout: endToEndTestTimeoutMs,
  }, async () => {
    const slack = await startSlackStandIn();
    const healthy = await space.agents.agent("scan-01", { cluster: "contoso-prod" });
    const flaky = await switchableNode(space.agents, "scan-02");
    const dbPath = join(space.dir, "scanner-bot.db");
    const setup = {
      dbPath,
      slackApiUrl: slack.url,
      signingSecret: randomBytes(16).toString("hex"),
      nodes: [{ name: healthy.name, url: healthy.url, secret: healthy.secret }, flaky.node],
    };
    try {
      // First life: scan-02 is unreachable, the alert goes out and Slack holds the request open.
      const first = await startWatcherProcess(setup, space.children);
      await until(() => slack.posts.length === 1, "the alert to reach Slack");
      expect(slack.posts[0]?.text).toContain("scan-02");
      expect(notificationLog(dbPath).notifications).toMatchObject([{ kind: "open", state: "pending" }]);
      await kill(first);

      // Second life over the same file: nothing is sent twice, the half-sent alert is settled.
      slack.answerFromNowOn();
      const second = await startWatcherProcess(setup, space.children);
      await until(
        () => notificationLog(dbPath).notifications[0]?.state !== "pending",
        "the pending alert to be settled",
      );
      // The new process sees the node as unreachable on several polls and still posts nothing twice.
      await flaky.morePolls(3);
      expect(slack.posts).toHaveLength(1);
      expect(notificationLog(dbPath).notifications).toMatchObject([{ kind: "open", state: "abandoned" }]);

      // The node comes back: the recovery is not lost, and goes out once.
      flaky.bringUp();
      await until(() => slack.posts.length === 2, "the recovery");
      await until(() => notificationLog(dbPath).incidents[0]?.recovery_done === 1, "the recovery to be recorded");
      await flaky.morePolls(3);
      await kill(second);

      expect(slack.posts.map((p) => p.answered)).toEqual([false, true]);
      expect(slack.posts[1]?.text).toMatch(/scan-02/);
      const log = notificationLog(dbPath);
      expect(log.notifications.map((n) => [n.kind, n.state])).toEqual([
        ["open", "abandoned"],
        ["recovery", "sent"],
      ]);
      expect(log.notifications[1]?.message_id).toBe("1764043200.000001");
      expect(log.incidents).toHaveLength(1);
      expect(log.incidents[0]?.resolved_at).not.toBeNull();
    } finally {
      await slack.close();
      await flaky.close();
    }
  });
});
