import { readFile } from "node:fs/promises";
import { parseDocument } from "yaml";
import { channelConversationId } from "../delivery/notifyOnly.js";
import { BotError } from "../foundation/botError.js";
import { describeConfigIssues, formatConfigPath } from "../foundation/configIssues.js";
import { formatDuration } from "../foundation/duration.js";
import { envReference, secretReferenceAdvice } from "../foundation/secretReference.js";
import { type BotConfig, botConfigSchema } from "./botConfig.js";
import { inlineSecretPaths } from "./inlineSecrets.js";

/**
 * Reads the bot's YAML config, resolves `env:NAME` secret references and
 * validates it, collecting every problem (with its path) instead of stopping
 * at the first, so one `config check` run shows everything to fix.
 */

/** A value in the file that came from the environment; the value itself is never kept here. */
export interface SecretSource {
  /** Where the reference sits, e.g. `clusters[0].nodes[1].secret`. */
  path: string;
  variable: string;
}

/**
 * The loaded config, where its secrets came from and what is worth a warning (secrets written in the
 * file), or every problem found.
 */
export type ConfigLoadResult =
  | { ok: true; config: BotConfig; secretSources: SecretSource[]; warnings: string[] }
  | { ok: false; problems: string[] };

/**
 * Replaces every `env:NAME` string in the parsed tree with the variable's
 * value. Missing variables become problems; the tree keeps a placeholder so
 * validation still runs and reports everything else too.
 */
function resolveEnvReferences(
  node: unknown,
  path: PropertyKey[],
  env: NodeJS.ProcessEnv,
  sources: SecretSource[],
  problems: string[],
): unknown {
  if (typeof node === "string") {
    const match = envReference.exec(node.trim());
    if (!match?.[1]) return node;
    const variable = match[1];
    const where = formatConfigPath(path);
    const value = env[variable];
    if (value === undefined || value === "") {
      problems.push(`${where}: environment variable ${variable} is not set (the value says "env:${variable}")`);
      return "x".repeat(32);
    }
    sources.push({ path: where, variable });
    return value;
  }
  if (Array.isArray(node))
    return node.map((item, i) => resolveEnvReferences(item, [...path, i], env, sources, problems));
  if (node && typeof node === "object") {
    return Object.fromEntries(
      Object.entries(node).map(([key, value]) => [
        key,
        resolveEnvReferences(value, [...path, key], env, sources, problems),
      ]),
    );
  }
  return node;
}

/** Top-level keys of a node agent's config that a bot config never has. */
const agentConfigKeys = ["node", "listen", "backend"];

/** Parses and validates config text; `file` names the file in messages. */
export function parseConfigText(text: string, env: NodeJS.ProcessEnv = process.env, file = "<file>"): ConfigLoadResult {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = e.linePos?.[0];
        const where = pos ? `line ${pos.line}, column ${pos.col}` : "YAML";
        return `${where}: ${e.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? e.code}`;
      }),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, problems: ["(top level): the file must be a YAML mapping (key: value lines)"] };
  }
  // An agent's config checked as the bot's would list its every key as unknown, and miss what is wrong in it.
  if (!("clusters" in raw) && agentConfigKeys.every((key) => key in raw)) {
    return {
      ok: false,
      problems: [
        `(top level): this is a node agent's config (${agentConfigKeys.join(", ")}), not the bot's: check it with \`scanner-bot agent --config ${file} --check\``,
      ],
    };
  }
  const secretSources: SecretSource[] = [];
  const problems: string[] = [];
  const resolved = resolveEnvReferences(raw, [], env, secretSources, problems);
  const parsed = botConfigSchema.safeParse(resolved);
  if (!parsed.success) {
    // A path whose variable is not set already has its problem; the placeholder standing in for it says nothing more.
    const unset = new Set(problems.map((p) => p.slice(0, p.indexOf(": "))));
    problems.push(...describeConfigIssues(parsed.error).filter((p) => !unset.has(p.slice(0, p.indexOf(": ")))));
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  problems.push(...inlineWebhookUrls(parsed.data, secretSources));
  if (problems.length > 0) return { ok: false, problems };
  const warnings = inlineSecretPaths(raw).map(
    (path) => `${formatConfigPath(path)}: a secret is written in the file; ${secretReferenceAdvice({ files: false })}`,
  );
  return { ok: true, config: parsed.data, secretSources, warnings };
}

/** Webhook URLs written in the file: whoever reads the file could post to the channel, so they must be `env:` references. */
function inlineWebhookUrls(config: BotConfig, secretSources: readonly SecretSource[]): string[] {
  const fromEnv = new Set(secretSources.map((s) => s.path));
  return config.clusters.flatMap((cluster, c) =>
    cluster.channels.flatMap((channel, i) => {
      const path = formatConfigPath(["clusters", c, "channels", i, "url"]);
      return "url" in channel && !fromEnv.has(path)
        ? [
            `${path}: a webhook URL is a secret (whoever has it can post to the channel): write env:NAME and set that variable`,
          ]
        : [];
    }),
  );
}

/** Reads and validates a config file. Never throws: an unreadable file is a problem like any other. */
export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<ConfigLoadResult> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (code ?? "unreadable");
    return { ok: false, problems: [`${file}: cannot read the config file (${reason})`] };
  }
  return parseConfigText(text, env, file);
}

/** One BotError carrying every problem, for callers that fail at start. */
export function configError(file: string, problems: readonly string[]): BotError {
  const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
  return new BotError("config_invalid", `${file} has ${count}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
}

/** A readable summary of a valid config for `config check`: names, URLs and where secrets come from, never their values. */
export function describeConfig(config: BotConfig, secretSources: readonly SecretSource[]): string[] {
  const fromEnv = new Map(secretSources.map((s) => [s.path, s.variable]));
  const nodeCount = config.clusters.reduce((sum, c) => sum + c.nodes.length, 0);
  const lines = [
    `${config.clusters.length} cluster(s), ${nodeCount} node(s); fleet timeout ${formatDuration(config.fleet.timeout)}, ` +
      `concurrency ${config.fleet.concurrency} (per cluster ${config.fleet.perClusterConcurrency})`,
  ];
  config.clusters.forEach((cluster, c) => {
    const extras = [
      cluster.timeoutMs === undefined ? undefined : `timeout ${formatDuration(cluster.timeoutMs)}`,
      cluster.concurrency === undefined ? undefined : `concurrency ${cluster.concurrency}`,
      cluster.channels.length ? `${cluster.channels.length} channel(s)` : undefined,
    ].filter(Boolean);
    lines.push(`cluster ${cluster.name}${extras.length ? ` (${extras.join(", ")})` : ""}`);
    cluster.nodes.forEach((node, n) => {
      const variable = fromEnv.get(formatConfigPath(["clusters", c, "nodes", n, "secret"]));
      lines.push(`  node ${node.name}  ${node.url}  secret ${variable ? `from $${variable}` : "written in the file"}`);
    });
    cluster.channels.forEach((channel, i) => {
      const variable = fromEnv.get(formatConfigPath(["clusters", c, "channels", i, "url"]));
      const where = "url" in channel ? `  url from $${variable ?? "?"} (notify only: no buttons, no edits)` : "";
      lines.push(`  channel ${channel.platform} ${channelConversationId(channel)}${where}`);
    });
  });
  const sections = Object.entries(config)
    .filter(([key, value]) => key !== "fleet" && key !== "clusters" && value !== undefined)
    .map(([key]) => key);
  lines.push(`sections: ${sections.length ? sections.join(", ") : "none besides clusters"}`);
  return lines;
}
