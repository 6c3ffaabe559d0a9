import { Command } from "commander";
import { startShellConsole } from "../adapters/shell/shellConsole.js";
import { describeGroupRequirements } from "./access/groupRequirements.js";
import { configError, describeConfig, loadConfigFile } from "./config/configLoader.js";
import type { DemoCluster } from "./demo/demoCluster.js";
import { describeBuild } from "./foundation/buildInfo.js";
import { createLogger } from "./foundation/logger.js";
import { runExplainCli } from "./knowledge/explainCli.js";
import { createBot } from "./runtime/bot.js";
import { ConsoleWatch } from "./runtime/consoleWatch.js";

/**
 * Starts the bot's main job: the local console, over the clusters of `--config`
 * or, without one, the embedded demo cluster (simulated nodes behind real agents on loopback).
 */
async function runConsole(options: { config?: string } = {}): Promise<void> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? "warn" });
  const interactive = Boolean(process.stdin.isTTY);
  let bot: ReturnType<typeof createBot>;
  let demo: DemoCluster | undefined;
  // Proactive alerts belong to a person at the console; piped scripts get only their answers.
  const watch = new ConsoleWatch({ logger, polls: interactive });
  if (options.config) {
    const loaded = await loadConfigFile(options.config);
    if (!loaded.ok) {
      process.stderr.write(`${configError(options.config, loaded.problems).userMessage}\n`);
      process.exitCode = 1;
      return;
    }
    bot = createBot({ logger, config: loaded.config, watch: watch.build });
  } else {
    // The simulator (and its report zips and CSV parser) loads only for the demo, not for a configured console.
    const { demoBanner, demoPreviousCycle, startDemoCluster } = await import("./demo/demoCluster.js");
    demo = await startDemoCluster({ logger });
    bot = createBot({ logger, config: demo.config, fleet: demo.fleet, watch: watch.build });
    await watch.keepScanCycle(demoPreviousCycle(new Date()));
    if (interactive) process.stdout.write(`${demoBanner(demo)}\n`);
  }
  try {
    const watching = interactive ? await watch.start() : undefined;
    if (watching) process.stdout.write(`${watching}\n`);
    const shell = startShellConsole({ router: bot.router, input: process.stdin, output: process.stdout, interactive });
    watch.attach(shell);
    await shell.finished;
  } finally {
    await watch.stop();
    bot.fleet?.close();
    await demo?.close();
  }
}

/** `run --config <file>`: the bot as a service (chat adapters, watcher, operations endpoints) until a signal stops it. */
async function runService(options: { config: string }): Promise<void> {
  const logger = createLogger();
  const loaded = await loadConfigFile(options.config);
  if (!loaded.ok) {
    process.stderr.write(`${configError(options.config, loaded.problems).userMessage}\n`);
    process.exitCode = 1;
    return;
  }
  for (const warning of loaded.warnings) logger.warn({ config: options.config }, warning);
  const { startRuntime } = await import("./runtime/runtime.js");
  const runtime = await startRuntime({ config: loaded.config, logger });
  // The watcher's timers do not hold the process open, and a notify-only deployment (webhook channels, no chat
  // adapter, no operations endpoint) has nothing else that does: the service runs until a signal stops it.
  const keepRunning = setInterval(() => undefined, 2 ** 31 - 1);
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      clearInterval(keepRunning);
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      runtime.stop(signal).then(resolve, (err: unknown) => {
        logger.error({ err }, "shutdown failed");
        process.exitCode = 1;
        resolve();
      });
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

/** `config check <file>`: every problem by path, or a summary without secret values. */
async function checkConfig(file: string): Promise<void> {
  const result = await loadConfigFile(file);
  if (!result.ok) {
    process.stderr.write(
      `${file}: ${result.problems.length} problem(s)\n${result.problems.map((p) => `  ${p}\n`).join("")}`,
    );
    process.exitCode = 1;
    return;
  }
  const lines = [...describeConfig(result.config, result.secretSources), ...describeGroupRequirements(result.config)];
  process.stdout.write(`${file} is valid.\n${lines.join("\n")}\n`);
  for (const warning of result.warnings) process.stdout.write(`warning: ${warning}\n`);
}

/** Builds the `scanner-bot` command line. */
export function buildProgram(): Command {
  const program = new Command("scanner-bot")
    .description("Chat-ops for the Microsoft Purview Information Protection scanner")
    .version(
      `scanner-bot ${describeBuild()}`,
      "-v, --version",
      "print the version and the git revision it was built from",
    )
    .showHelpAfterError();
  program
    .command("console", { isDefault: true })
    .description("run the bot with the local console (the default): the demo cluster, or --config's clusters")
    .option("-c, --config <file>", "the bot's config file (without it: the simulated demo cluster)")
    .action(runConsole);
  program
    .command("demo")
    .description("run the local console over the simulated demo cluster")
    .action(() => runConsole());
  program
    .command("run")
    .description("run the bot as a service: the Slack/Teams adapters, watcher and operations endpoints of --config")
    .requiredOption("-c, --config <file>", "the bot's config file")
    .action(runService);
  program
    .command("config")
    .description("work with the bot's config file")
    .command("check <file>")
    .description("validate a config file: lists every problem by path, never prints secrets")
    .action(checkConfig);
  program
    .command("webhook")
    .description("notify-only channels (Slack incoming webhooks, Teams Workflows)")
    .command("test [cluster]")
    .description("post a test message to each configured webhook (of one cluster, or all) and report each result")
    .requiredOption("-c, --config <file>", "the bot's config file")
    .action(async (cluster: string | undefined, options: { config: string }) => {
      const { runWebhookTest } = await import("./runtime/webhookTest.js");
      process.exitCode = await runWebhookTest(options.config, cluster, {
        stdout: process.stdout,
        stderr: process.stderr,
      });
    });
  program
    .command("explain")
    .description("explain a scanner error (the text, or stdin when no text is given)")
    .option("--json", "print machine-readable JSON")
    .argument("[text...]", "the error text")
    .action((words: string[], options: { json?: boolean }) =>
      runExplainCli(words, options, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }),
    );
  program
    .command("agent")
    .description("run the node agent on a scanner node (simulator or PowerShell backend)")
    .requiredOption("-c, --config <file>", "the agent's config file (YAML), e.g. examples/agent.simulator.yml")
    .option("--check", "validate the config (secrets and TLS files included) and exit")
    .action(async (options: { config: string; check?: boolean }) => {
      // Loaded on demand: a scanner node runs the agent and nothing of the bot or the chat platforms.
      const { runAgentCommand } = await import("../agent/agentRuntime.js");
      const io = { stdout: process.stdout, stderr: process.stderr };
      process.exitCode = await runAgentCommand(options.config, io, { check: Boolean(options.check) });
    });
  return program;
}

buildProgram()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    process.stderr.write(`scanner-bot: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
