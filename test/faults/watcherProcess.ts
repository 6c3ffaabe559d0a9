import { z } from "zod";
import { startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { createFleetClient } from "../../src/fleet/fleetClient.js";
import { createLogger } from "../../src/foundation/logger.js";
import { createBot } from "../../src/runtime/bot.js";
import { webhookDeliveries } from "../../src/runtime/runtime.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { createFleetWatcher } from "../../src/watch/fleetWatch.js";

/**
 * The bot's watcher as its own process, for the kill-and-restart fault test:
 * a file-backed SQLite store, a fleet client over the agents named in
 * SCANNER_FAULT_SETUP, and the real Slack delivery pointed at a loopback Web
 * API stand-in. Runs until it is killed.
 */
const setupSchema = z.object({
  dbPath: z.string(),
  slackApiUrl: z.string(),
  signingSecret: z.string(),
  nodes: z.array(z.object({ name: z.string(), url: z.string(), secret: z.string() })),
  /** Notify-only: the cluster's channel is this Slack incoming webhook, and no Slack app runs. */
  webhookUrl: z.string().optional(),
});

const setup = setupSchema.parse(JSON.parse(process.env.SCANNER_FAULT_SETUP ?? "{}"));
const config = botConfigSchema.parse({
  fleet: { timeout: "500ms" },
  clusters: [
    {
      name: "contoso-prod",
      nodes: setup.nodes,
      channels: setup.webhookUrl
        ? [{ platform: "slack-webhook", url: setup.webhookUrl, name: "ops-webhook" }]
        : [{ platform: "slack", id: "C0SCANOPS" }],
    },
  ],
  // The alert flow alone: the live scan card's own restart behaviour is tested in test/watch/scanCards.test.ts.
  watch: { pollInterval: "250ms", unreachableAfterPolls: 1, clearAfterPolls: 1, liveCard: false },
  slack: {
    botToken: "xoxb-0000000000-fault-test",
    signingSecret: setup.signingSecret,
    botId: "B0FAULT01",
    botUserId: "U0FAULT01",
    apiUrl: setup.slackApiUrl,
  },
});
const logger = createLogger({ level: process.env.LOG_LEVEL ?? "warn", name: "watcher-process" });
const store = new SqliteStore(setup.dbPath);
const fleet = createFleetClient(config);
if (!config.slack) throw new Error("the fault setup has no slack section");
const deliveries = setup.webhookUrl
  ? await webhookDeliveries(config)
  : {
      slack: (
        await startSlackAdapter({
          router: createBot({ logger, fleet }).router,
          settings: config.slack,
          logger,
          port: 0,
          host: "127.0.0.1",
          retryConfig: { retries: 0 },
        })
      ).delivery,
    };
const watcher = await createFleetWatcher({ config, fleet, store, deliveries, logger });
await watcher.load();
watcher.start();
// Runs until killed, like `scanner-bot run`: without a Slack adapter nothing else holds the process open.
setInterval(() => undefined, 2 ** 31 - 1);
process.stdout.write("watching\n");
