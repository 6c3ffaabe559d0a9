/**
 * `npm run teams:package -- --config bot.yml`: builds dist/scanner-bot-teams.zip,
 * the Teams app package, with the app id and public domain of this deployment.
 * Values come from the flags, else the config file's `teams` section, else
 * TEAMS_APP_ID / TEAMS_PUBLIC_DOMAIN. Secrets are not needed and not read.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { parse } from "yaml";
import { z } from "zod";
import { buildAppPackage } from "../../adapters/teams/appPackage.js";
import { BotError } from "../../src/foundation/botError.js";

const envReference = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;

/** Takes `env:NAME` from the environment, like the config loader does. */
function resolveValue(value: string | undefined): string | undefined {
  const match = value ? envReference.exec(value.trim()) : null;
  return match?.[1] ? process.env[match[1]] : value;
}

const configTeams = z.object({
  teams: z.object({ appId: z.string().optional(), publicDomain: z.string().optional() }).loose().optional(),
});

function fromConfig(file: string | undefined): { appId?: string; publicDomain?: string } {
  if (!file) return {};
  const parsed = configTeams.safeParse(parse(readFileSync(file, "utf8")));
  if (!parsed.success) throw new BotError("config_invalid", `${file}: the teams section is not readable.`);
  const appId = resolveValue(parsed.data.teams?.appId);
  const publicDomain = resolveValue(parsed.data.teams?.publicDomain);
  return { ...(appId ? { appId } : {}), ...(publicDomain ? { publicDomain } : {}) };
}

const program = new Command("teams:package")
  .description("build the Teams app package (manifest.json + icons) for upload")
  .option("-c, --config <file>", "the bot's config file (reads teams.appId and teams.publicDomain)")
  .option("--app-id <guid>", "Microsoft App ID of the Azure Bot")
  .option("--domain <host>", "public host name of the messaging endpoint, e.g. bot.contoso.com")
  .option("-o, --out <file>", "where to write the zip", "dist/scanner-bot-teams.zip")
  .action((options: { config?: string; appId?: string; domain?: string; out: string }) => {
    const config = fromConfig(options.config);
    const appId = options.appId ?? config.appId ?? process.env.TEAMS_APP_ID ?? "";
    const publicDomain = options.domain ?? config.publicDomain ?? process.env.TEAMS_PUBLIC_DOMAIN ?? "";
    const pkg = z.object({ version: z.string() }).parse(JSON.parse(readFileSync("package.json", "utf8")));
    const zip = buildAppPackage({ appId, publicDomain, version: pkg.version });
    const out = resolve(options.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, zip);
    process.stdout.write(`wrote ${out} (${zip.length} bytes) for app ${appId} at ${publicDomain}\n`);
  });

try {
  program.parse(process.argv);
} catch (err) {
  process.stderr.write(`teams:package: ${err instanceof BotError ? err.userMessage : String(err)}\n`);
  process.exitCode = 1;
}
