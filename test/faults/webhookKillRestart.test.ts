import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { endToEndTestTimeoutMs, until } from "../support/until.js";
import {
  kill,
  notificationLog,
  processTestSpace,
  startWatcherProcess,
  startWebhookStandIn,
  switchableNode,
} from "./watcherProcessHarness.js";

/**
 * The notify-only bot (a Slack incoming webhook, no Slack app) is killed with SIGKILL while an alert is on its
 * way to the webhook, then started again over the same SQLite file: as on the bot path, the half-sent alert is
 * not posted twice and the recovery still goes out exactly once. Real processes, a loopback webhook stand-in
 * that can hold a post open ("a send in flight").
 */
const space = processTestSpace("scanner-webhook-kill-");

describe("notify-only bot killed during a webhook post, then restarted", () => {
  it("posts the alert once and still sends the recovery exactly once", { timeout: endToEndTestTimeoutMs }, async () => {
    const webhook = await startWebhookStandIn();
    const healthy = await space.agents.agent("scan-01", { cluster: "contoso-prod" });
    const flaky = await switchableNode(space.agents, "scan-02");
    const dbPath = join(space.dir, "scanner-bot.db");
    const setup = {
      dbPath,
      slackApiUrl: "http://127.0.0.1:9/api/",
      signingSecret: "webhook-kill-test-signing-secret",
      nodes: [{ name: healthy.name, url: healthy.url, secret: healthy.secret }, flaky.node],
      webhookUrl: webhook.url,
    };
    try {
      // First life: scan-02 is unreachable, the alert goes out and the webhook holds the post open.
      const first = await startWatcherProcess(setup, space.children);
      await until(() => webhook.texts.length === 1, "the alert to reach the webhook");
      expect(webhook.texts[0]).toContain("scan-02");
      expect(notificationLog(dbPath).notifications).toMatchObject([{ kind: "open", state: "pending" }]);
      await kill(first);

      // Second life over the same file: the half-sent alert is settled, not posted again.
      webhook.answerFromNowOn();
      const second = await startWatcherProcess(setup, space.children);
      await until(
        () => notificationLog(dbPath).notifications[0]?.state !== "pending",
        "the pending alert to be settled",
      );
      await flaky.morePolls(3);
      expect(webhook.texts).toHaveLength(1);
      expect(notificationLog(dbPath).notifications).toMatchObject([{ kind: "open", state: "abandoned" }]);

      // The node comes back: the recovery is not lost, and goes out once.
      flaky.bringUp();
      await until(() => webhook.texts.length === 2, "the recovery");
      await until(() => notificationLog(dbPath).incidents[0]?.recovery_done === 1, "the recovery to be recorded");
      await flaky.morePolls(3);
      await kill(second);

      expect(webhook.texts[1]).toMatch(/scan-02/);
      expect(webhook.texts).toHaveLength(2);
      expect(notificationLog(dbPath).notifications.map((n) => [n.kind, n.state])).toEqual([
        ["open", "abandoned"],
        ["recovery", "sent"],
      ]);
    } finally {
      await webhook.close();
    }
  });
});
