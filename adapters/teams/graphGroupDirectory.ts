import { z } from "zod";
import type { GroupDirectory } from "../../src/access/groupMembership.js";
import { teamsGroupLookupBlocker } from "../../src/access/groupRequirements.js";
import type { TeamsSection } from "../../src/config/teamsSection.js";
import { BotError } from "../../src/foundation/botError.js";

/**
 * Entra ID groups for Teams `group:` principals, through Microsoft Graph: the bot's own app registration
 * gets an app-only token (client credentials) and asks `checkMemberGroups`, which counts nested groups.
 * The app needs the Graph application permission GroupMember.Read.All (with User.Read.All, as the
 * page lists for the user form of the call), granted with admin consent.
 * https://learn.microsoft.com/graph/api/user-checkmembergroups
 * https://learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow
 */

/** Graph checks at most 20 groups per request. */
const groupsPerRequest = 20;
/** A token is renewed this long before it expires, so no request goes out with one about to lapse. */
const tokenMarginMs = 5 * 60_000;
/** Entra object ids are GUIDs; a Teams caller without one (the Emulator) cannot be looked up. */
const objectId = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const tokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const checkSchema = z.object({ value: z.array(z.string()) });
/** Both the token endpoint (`error`) and Graph (`error.code`) name the failure; only that code is kept. */
const failureSchema = z.object({
  error: z.union([z.string(), z.object({ code: z.string() }).loose()]),
});

/** The settings a Graph lookup needs; absent when the Teams section cannot get an app-only token. */
export interface GraphCredentials {
  tenantId: string;
  appId: string;
  appPassword: string;
  loginUrl: string;
  graphUrl: string;
}

/** What of the `teams` section a Graph lookup uses, or why it cannot run. */
export function graphCredentials(settings: TeamsSection): GraphCredentials | { missing: string } {
  const missing = teamsGroupLookupBlocker(settings);
  if (missing || !settings.appId || !settings.tenantId || !settings.appPassword) {
    return { missing: missing ?? "teams credentials" };
  }
  return {
    tenantId: settings.tenantId,
    appId: settings.appId,
    appPassword: settings.appPassword,
    loginUrl: settings.graph.loginUrl.replace(/\/+$/, ""),
    graphUrl: settings.graph.url.replace(/\/+$/, ""),
  };
}

async function failureCode(response: Response): Promise<string> {
  const parsed = failureSchema.safeParse(await response.json().catch(() => undefined));
  const code = parsed.success
    ? typeof parsed.data.error === "string"
      ? parsed.data.error
      : parsed.data.error.code
    : "";
  return `HTTP ${response.status}${code ? ` ${code.slice(0, 80)}` : ""}`;
}

/** The Graph-backed directory for Teams callers. */
export function graphGroupDirectory(credentials: GraphCredentials, now: () => number = Date.now): GroupDirectory {
  let token: { value: string; renewAt: number } | undefined;

  async function accessToken(signal: AbortSignal): Promise<string> {
    if (token && token.renewAt > now()) return token.value;
    const body = new URLSearchParams({
      client_id: credentials.appId,
      client_secret: credentials.appPassword,
      scope: `${new URL(credentials.graphUrl).origin}/.default`,
      grant_type: "client_credentials",
    });
    const url = `${credentials.loginUrl}/${encodeURIComponent(credentials.tenantId)}/oauth2/v2.0/token`;
    const response = await fetch(url, { method: "POST", body, signal });
    if (!response.ok) {
      throw new BotError("platform_error", `the Graph token request was refused (${await failureCode(response)})`);
    }
    const parsed = tokenSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new BotError("platform_error", "the Graph token answer has no access_token");
    const lifetimeMs = parsed.data.expires_in * 1000;
    token = { value: parsed.data.access_token, renewAt: now() + Math.max(lifetimeMs - tokenMarginMs, lifetimeMs / 2) };
    return token.value;
  }

  async function check(userId: string, groupIds: readonly string[], signal: AbortSignal): Promise<string[]> {
    const bearer = await accessToken(signal);
    const url = `${credentials.graphUrl}/v1.0/users/${encodeURIComponent(userId)}/checkMemberGroups`;
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
      body: JSON.stringify({ groupIds }),
      signal,
    });
    if (response.status === 401) token = undefined;
    if (!response.ok) {
      throw new BotError("platform_error", `Graph refused checkMemberGroups (${await failureCode(response)})`);
    }
    const parsed = checkSchema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new BotError("platform_error", "Graph's checkMemberGroups answer has no value list");
    return parsed.data.value;
  }

  return {
    platform: "teams",
    kind: "membership-check",
    async memberOf(userId, groupIds, signal) {
      if (!objectId.test(userId)) {
        throw new BotError("platform_error", "the Teams user has no Entra object id (aadObjectId) to look up");
      }
      const batches: string[][] = [];
      for (let i = 0; i < groupIds.length; i += groupsPerRequest) batches.push(groupIds.slice(i, i + groupsPerRequest));
      const found = await Promise.all(batches.map((batch) => check(userId, batch, signal)));
      return found.flat();
    },
  };
}
