import { configError, loadConfigFile } from "../config/configLoader.js";
import { webhookTargets } from "../delivery/notifyOnly.js";
import type { WebhookPostPolicy } from "../delivery/webhookPoster.js";
import { formatUtc } from "../fleet/fleetFigures.js";
import { formatDuration } from "../foundation/duration.js";
import { redactSecrets } from "../foundation/redaction.js";
import { reply } from "../reply/reply.js";
import { webhookDeliveries } from "./runtime.js";

interface Output {
  write(text: string): unknown;
}

/** A test post's own budget: an admin waits at the terminal, so less patience than an alert gets. */
const testPolicy: WebhookPostPolicy = { budgetMs: 20_000, maxAttempts: 3 };

/**
 * `scanner-bot webhook test --config bot.yml [cluster]`: posts a short test message to every configured webhook
 * channel (of one cluster, or all) and prints one line per webhook. Exit code 0 when every post went through.
 */
export async function runWebhookTest(
  file: string,
  cluster: string | undefined,
  io: { stdout: Output; stderr: Output },
  policy: WebhookPostPolicy = testPolicy,
  now: () => Date = () => new Date(),
): Promise<number> {
  const loaded = await loadConfigFile(file);
  if (!loaded.ok) {
    io.stderr.write(`${configError(file, loaded.problems).userMessage}\n`);
    return 1;
  }
  const { config } = loaded;
  if (cluster && !config.clusters.some((c) => c.name === cluster)) {
    io.stderr.write(`${file} has no cluster ${cluster}; it has ${config.clusters.map((c) => c.name).join(", ")}.\n`);
    return 1;
  }
  const targets = webhookTargets(config.clusters.filter((c) => !cluster || c.name === cluster));
  if (targets.length === 0) {
    io.stderr.write(
      `${file} names no webhook channel${cluster ? ` for ${cluster}` : ""} (clusters[].channels with platform slack-webhook or teams-workflow).\n`,
    );
    return 1;
  }
  const deliveries = await webhookDeliveries(config, policy);
  let failed = 0;
  for (const target of targets) {
    const delivery = deliveries[target.platform];
    const started = Date.now();
    const message = reply(`scanner-bot test: alerts for ${target.cluster} will be posted here`, { status: "info" })
      .heading("scanner-bot test message")
      .text(
        `This webhook works. Alerts for cluster ${target.cluster} (a stalled scan, an agent that stops answering, a stopped scanner service, scanner errors) will be posted here once per incident, with reminders and a recovery post.`,
      )
      .fields([
        { label: "Cluster", value: target.cluster },
        { label: "Sent", value: formatUtc(now()) },
      ])
      .build();
    const label = `${target.platform} ${target.id} (${target.cluster})`;
    try {
      await delivery?.post({ platform: target.platform, conversationId: target.id }, message);
      io.stdout.write(`ok    ${label}: posted in ${formatDuration(Date.now() - started)}\n`);
    } catch (err) {
      failed += 1;
      const why = redactSecrets(err instanceof Error ? err.message : String(err)).text;
      io.stdout.write(`FAIL  ${label}: ${why}\n`);
    }
  }
  io.stdout.write(`${targets.length - failed} of ${targets.length} webhook(s) reached.\n`);
  return failed === 0 ? 0 : 1;
}
