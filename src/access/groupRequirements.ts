import type { BotConfig } from "../config/botConfig.js";
import type { TeamsSection } from "../config/teamsSection.js";
import { configuredGroups } from "./groupMembership.js";

/** Where each platform documents the permission a group lookup needs. */
const slackScopeDoc = "https://docs.slack.dev/reference/methods/usergroups.users.list";
const graphPermissionDoc = "https://learn.microsoft.com/graph/api/user-checkmembergroups";

/** Why the Teams adapter cannot ask Graph for group membership with this section, or undefined when it can. */
export function teamsGroupLookupBlocker(teams: TeamsSection | undefined): string | undefined {
  if (!teams) return "no teams section (the Teams adapter is not running)";
  if (!teams.appId) return "teams.appId is not set (anonymous mode has no app to ask Graph with)";
  if (!teams.tenantId) return "teams.tenantId is not set (the tenant whose groups are named)";
  if (!teams.appPassword) return "teams.appPassword is not set (only a client secret can get the Graph token)";
  return undefined;
}

/** For `config check`: one line per configured group, saying what the bot needs to read it and what is missing. */
export function describeGroupRequirements(config: BotConfig): string[] {
  const access = config.access;
  if (!access) return [];
  const groups = configuredGroups(access);
  const listsOf = (platform: "slack" | "teams", group: string) =>
    (["admins", "operators", "viewers"] as const)
      .filter((list) => access[list].some((p) => p.platform === platform && p.group === group))
      .join(", ");
  const lines: string[] = [];
  for (const group of groups.slack) {
    const missing = config.slack ? "" : " Missing: no slack section, so nobody can be found in it.";
    lines.push(
      `Slack user group ${group} (${listsOf("slack", group)}): the app needs the bot scope usergroups:read ` +
        `(manifest/slack.yml has it; reinstall the app after adding it), see ${slackScopeDoc}.${missing}`,
    );
  }
  const blocker = teamsGroupLookupBlocker(config.teams);
  for (const group of groups.teams) {
    lines.push(
      `Entra ID group ${group} (${listsOf("teams", group)}): the bot's app registration needs the Microsoft Graph ` +
        `application permissions GroupMember.Read.All and User.Read.All with admin consent, see ${graphPermissionDoc}.` +
        (blocker ? ` Missing: ${blocker}; until then this group matches nobody.` : ""),
    );
  }
  if (lines.length > 0) {
    lines.push(`group answers are cached for ${Math.round(access.groupCacheTtl / 1000)}s (access.groupCacheTtl)`);
  }
  return lines;
}
