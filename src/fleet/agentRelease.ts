// The two functions alone: the package index loads all of semver (~40 ms of a console start).
import gte from "semver/functions/gte.js";
import valid from "semver/functions/valid.js";
import { minimumAgentVersion } from "../wire/agentApi.js";

/** What the bot makes of a node's agent release: the text to show and whether it needs updating. */
export interface AgentReleaseView {
  text: string;
  outdated: boolean;
}

/**
 * Compares a node's agent with the oldest release this bot supports (`minimumAgentVersion`). A version
 * that is not semver (agents packaged without their package.json said `unknown`) counts as outdated:
 * nothing shows it is recent enough.
 */
export function agentRelease(reported: { agentVersion: string; agentRevision?: string | undefined }): AgentReleaseView {
  const release = reported.agentRevision
    ? `${reported.agentVersion} (${reported.agentRevision})`
    : reported.agentVersion;
  const version = valid(reported.agentVersion);
  if (version && gte(version, minimumAgentVersion)) return { text: release, outdated: false };
  return {
    text: `${release}: older than ${minimumAgentVersion}, the oldest agent this bot supports; update the agent on this node`,
    outdated: true,
  };
}
