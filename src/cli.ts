import { Command } from "commander";
import { startShellConsole } from "../adapters/shell/shellConsole.js";
import { createBot } from "./bot.js";
import { describeConfig, loadConfigFile } from "./config/configLoader.js";
import { runExplainCli } from "./knowledge/explainCli.js";
import { createLogger } from "./logger.js";

/** Starts the bot's main job: today the local console over the embedded default. */
async function runConsole(): Promise<void> {
  const logger = createLogger({ level: process.env.LOG_LEVEL ?? "warn" });
  const { router } = createBot({ logger });
  const shell = startShellConsole({
    router,
    input: process.stdin,
    output: process.stdout,
    interactive: Boolean(process.stdin.isTTY),
  });
  await shell.finished;
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
  process.stdout.write(`${file} is valid.\n${describeConfig(result.config, result.secretSources).join("\n")}\n`);
}

/** Builds the `scanner-bot` command line. */
export function buildProgram(): Command {
  const program = new Command("scanner-bot")
    .description("Chat-ops for the Microsoft Purview Information Protection scanner")
    .showHelpAfterError();
  program
    .command("console", { isDefault: true })
    .description("run the bot with the local console (the default)")
    .action(runConsole);
  program
    .command("config")
    .description("work with the bot's config file")
    .command("check <file>")
    .description("validate a config file: lists every problem by path, never prints secrets")
    .action(checkConfig);
  program
    .command("explain")
    .description("explain a scanner error (the text, or stdin when no text is given)")
    .option("--json", "print machine-readable JSON")
    .argument("[text...]", "the error text")
    .action((words: string[], options: { json?: boolean }) =>
      runExplainCli(words, options, { stdin: process.stdin, stdout: process.stdout }),
    );
  return program;
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`scanner-bot: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
