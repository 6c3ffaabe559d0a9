import { parseArgs } from "node:util";
import { describeBuild } from "../src/foundation/buildInfo.js";
import { runAgentCommand } from "./agentRuntime.js";

/**
 * The one-file agent's command line (`node scanner-bot-agent.js --config agent.yml`): the same agent as
 * `scanner-bot agent`, without the bot's command line, so the bundle carries nothing but the agent.
 */

const usage = `Usage: node scanner-bot-agent.js --config <file> [--check]

Runs the scanner-bot node agent on a scanner node (simulator or PowerShell backend).

Options:
  -c, --config <file>  the agent's config file (YAML), e.g. agent.windows.yml
  --check              validate the config (secrets and TLS files included) and exit
  -v, --version        print the agent's version and build revision
  -h, --help           print this help
`;

/** Parses the agent's arguments and runs it; returns the exit code. */
export async function agentMain(
  args: readonly string[],
  io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream },
): Promise<number> {
  let parsed: ReturnType<typeof parseAgentArgs>;
  try {
    parsed = parseAgentArgs(args);
  } catch (err) {
    io.stderr.write(`scanner-bot-agent: ${err instanceof Error ? err.message : String(err)}\n\n${usage}`);
    return 1;
  }
  if (parsed.help) {
    io.stdout.write(usage);
    return 0;
  }
  if (parsed.version) {
    io.stdout.write(`scanner-bot-agent ${describeBuild()}\n`);
    return 0;
  }
  if (!parsed.config) {
    io.stderr.write(`scanner-bot-agent: --config <file> is required\n\n${usage}`);
    return 1;
  }
  return runAgentCommand(parsed.config, io, { check: parsed.check });
}

function parseAgentArgs(args: readonly string[]) {
  const { values } = parseArgs({
    args: [...args],
    options: {
      config: { type: "string", short: "c" },
      check: { type: "boolean", default: false },
      version: { type: "boolean", short: "v", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  return { config: values.config, check: values.check, version: values.version, help: values.help };
}
