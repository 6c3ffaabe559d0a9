import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { BotConfig } from "../../src/config/botConfig.js";
import { parseConfigText } from "../../src/config/configLoader.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { webhookDeliveries } from "../../src/runtime/runtime.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { subscribeConfiguredChannels } from "../../src/watch/fleetWatch.js";
import { Watcher } from "../../src/watch/watcher.js";
import { FakeClock, runMinutes, SimulatedFleet } from "../watch/watchHarness.js";
import { slackWebhookJudge, teamsWorkflowJudge, WebhookStandIn, webhookOnlyConfigText } from "./webhookStandIns.js";

/** A webhook-only config (no slack or teams section), URLs from the environment as the loader requires. */
function webhookConfig(slackUrl: string, workflowUrl: string, extra = ""): BotConfig {
  const text = `${webhookOnlyConfigText()}${extra}`;
  const loaded = parseConfigText(text, {
    OPS_SLACK_HOOK: slackUrl,
    OPS_TEAMS_FLOW: workflowUrl,
    NODE_SECRET: "0123456789abcdef0123",
  });
  if (!loaded.ok) throw new Error(loaded.problems.join("\n"));
  return loaded.config;
}

describe("alerts through webhooks only (no bot app installed)", () => {
  const closers: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });

  async function setUp(options: { extra?: string; nodes?: ConstructorParameters<typeof SimulatedFleet>[2] } = {}) {
    const slack = await WebhookStandIn.start(slackWebhookJudge, "/services/T0001/B0002/SeCrEt");
    const teams = await WebhookStandIn.start(teamsWorkflowJudge, "/workflows/abc/triggers/manual/paths/invoke?sig=S1g");
    closers.push(
      () => slack.close(),
      () => teams.close(),
    );
    const dir = mkdtempSync(join(tmpdir(), "scanner-bot-hooks-"));
    closers.push(() => rmSync(dir, { recursive: true, force: true }));
    const config = webhookConfig(slack.url, teams.url, options.extra);
    const clock = new FakeClock();
    const fleet = new SimulatedFleet(
      clock,
      "contoso-prod",
      options.nodes ?? [{ node: "scan-01", scenario: "stalled" }],
    );
    // The posts' own retry waits run on a clock of their own, so a retry does not move the watcher's time.
    let postClock = 0;
    const deliveries = await webhookDeliveries(config, {
      now: () => postClock,
      sleep: async (ms) => {
        postClock += ms;
      },
    });
    const openWatcher = async () => {
      const store = new SqliteStore(join(dir, "scanner-bot.db"));
      await subscribeConfiguredChannels(config, store, clock.now());
      const watcher = new Watcher({
        store,
        probe: fleet.probe,
        targets: () => fleet.targets(),
        deliveries,
        logger: silentLogger(),
        ...(config.watch ? { section: config.watch } : {}),
        now: clock.now,
        channelIntervalMs: 0,
        sleep: async () => {},
      });
      return {
        store,
        watcher,
        close: async () => {
          await watcher.stop();
          await store.close();
        },
      };
    };
    return { slack, teams, clock, fleet, openWatcher };
  }

  it("posts each alert once to each webhook, across a restart, with commands as text instead of buttons", async () => {
    const { slack, teams, clock, fleet, openWatcher } = await setUp();
    const first = await openWatcher();
    await runMinutes(first.watcher, clock, 40);
    await first.close();

    expect(slack.accepted()).toHaveLength(1);
    expect(teams.accepted()).toHaveLength(1);
    const slackAlert = slack.accepted()[0] as { text: string; blocks: { type: string }[] };
    expect(slackAlert.text).toMatch(/^scan-01: scan stalled/);
    expect(JSON.stringify(slackAlert.blocks)).toContain("Next: `diagnose scan-01`, `errors scan-01`");
    const card = (teams.accepted()[0] as { attachments: { content: { body: unknown[] } }[] }).attachments[0]?.content;
    expect(JSON.stringify(card)).toContain("scan-01: scan stalled");
    // Teams has no inline code: the commands show quoted.
    expect(JSON.stringify(card)).toContain("Next: “diagnose scan-01”");

    // A new process over the same store: the open incident is known, nothing is posted again.
    const second = await openWatcher();
    closers.push(second.close);
    await runMinutes(second.watcher, clock, 20);
    expect(slack.accepted()).toHaveLength(1);
    expect(teams.accepted()).toHaveLength(1);

    // It recovers: a new post (webhooks cannot thread or edit) that names the incident it closes.
    fleet.nodes.get("scan-01")?.setScenario("healthy");
    await runMinutes(second.watcher, clock, 10);
    const [incident] = await second.store.listIncidents();
    expect(slack.accepted()).toHaveLength(2);
    expect(teams.accepted()).toHaveLength(2);
    const recovery = slack.accepted()[1] as { text: string };
    expect(recovery.text).toMatch(new RegExp(`^Recovered: scan-01 scan stalled \\(#${incident?.id}\\)`));
    expect(JSON.stringify(teams.accepted()[1])).toContain(`Recovered: scan-01 scan stalled (#${incident?.id})`);
    expect(incident).toMatchObject({ recoveryDone: true });
    // Nothing was ever refused by the stand-ins: no buttons, no MessageCard, valid shapes.
    expect([...slack.received, ...teams.received].every((r) => r.status < 300)).toBe(true);
  });

  it("posts reminders of an open incident as new posts, to each webhook", async () => {
    const { slack, teams, clock, openWatcher } = await setUp({ extra: "\nwatch:\n  reminderEvery: 30m\n" });
    const bot = await openWatcher();
    closers.push(bot.close);
    await runMinutes(bot.watcher, clock, 75);
    const texts = slack.accepted().map((b) => (b as { text: string }).text);
    expect(texts[0]).toMatch(/^scan-01: scan stalled/);
    expect(texts.slice(1).every((t) => /^Reminder \d+: still open\. scan-01: scan stalled/.test(t))).toBe(true);
    expect(texts.length).toBeGreaterThanOrEqual(2);
    expect(teams.accepted()).toHaveLength(texts.length);
    expect(JSON.stringify(teams.accepted()[1])).toContain("still open");
  });

  it("posts the finished cycle with what its reports found when watch.notifyFinished is on", async () => {
    const { slack, teams, clock, openWatcher } = await setUp({
      extra: "\nwatch:\n  notifyFinished: true\n",
      nodes: [{ node: "scan-01", timeline: [{ atSeconds: 300, scenario: "finished" }] }],
    });
    const bot = await openWatcher();
    closers.push(bot.close);
    await runMinutes(bot.watcher, clock, 15);
    const finished = slack.accepted().filter((b) => (b as { text: string }).text.startsWith("Scan finished"));
    expect(finished).toHaveLength(1);
    expect(JSON.stringify(finished[0])).toContain("What the cycle found");
    const card = teams.accepted().find((b) => JSON.stringify(b).includes("Scan finished"));
    expect(JSON.stringify(card)).toContain("What the cycle found");
  });

  it("retries a webhook that fails, then reports it in watch status when it gives up", async () => {
    const { slack, teams, clock, openWatcher } = await setUp();
    for (let i = 0; i < 6; i++) teams.script.push({ status: 502, body: "Bad Gateway" });
    const run = await openWatcher();
    closers.push(run.close);
    await runMinutes(run.watcher, clock, 40);
    expect(slack.accepted()).toHaveLength(1);
    expect(teams.accepted()).toHaveLength(0);
    const problems = run.watcher.deliveryProblems();
    expect(problems).toEqual([
      expect.objectContaining({
        platform: "teams-workflow",
        failures: 1,
        lastError: "Teams workflow: gave up after 6 tries in 31s (last: 502 Bad Gateway)",
      }),
    ]);
    expect(problems[0]?.conversationId).toMatch(/^hook-[0-9a-f]{10}$/);
    const failed = await run.store.listNotifications({ state: "failed" });
    expect(failed.map((n) => n.platform)).toEqual(["teams-workflow"]);
  });

  it("rejects a MessageCard like Workflows does (the stand-in is strict)", () => {
    expect(teamsWorkflowJudge({ "@type": "MessageCard", text: "hi" }).status).toBe(400);
    expect(slackWebhookJudge({ blocks: [{ type: "actions", elements: [] }], text: "x" }).status).toBe(400);
  });
});
