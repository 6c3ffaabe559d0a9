import type { AccessSection, Principal } from "../config/accessSection.js";
import type { Caller } from "./caller.js";
import { type RequiredRole, type Role, roleSatisfies, roles } from "./role.js";

/** The outcome of an access check, with the words a denied user needs. */
export type AccessDecision =
  | { allowed: true; role: Role }
  | { allowed: false; role: Role; reason: string; grantedBy: string };

export interface AccessPolicy {
  /** The caller's role in the conversation they are in. */
  roleOf(caller: Caller): Role;
  /** Whether the caller may run a command that needs `required`. */
  decide(caller: Caller, required: RequiredRole, commandName: string): AccessDecision;
}

function matches(principal: Principal, caller: Caller): boolean {
  if (principal.platform !== caller.platform) return false;
  if (principal.user) return principal.user === caller.userId;
  return Boolean(principal.group && caller.groups?.includes(principal.group));
}

function describePrincipal(p: Principal): string {
  const platform = p.platform === "slack" ? "Slack" : "Teams";
  return p.user ? `${platform} user ${p.user}` : `${platform} group ${p.group}`;
}

const listFor: Record<Exclude<Role, "none">, "admins" | "operators" | "viewers"> = {
  admin: "admins",
  operator: "operators",
  viewer: "viewers",
};

/**
 * Builds the access policy from config. Without an `access` section the bot is
 * open for reading and operating but has no admins, so guarded actions stay off
 * until someone is named. The local console and CLI are trusted: whoever runs
 * them already has the machine.
 */
export function createAccessPolicy(section: AccessSection | undefined): AccessPolicy {
  const configured = section !== undefined;
  const policy = section ?? {
    admins: [],
    operators: [],
    viewers: [],
    allowedChannels: [],
    unknownUsers: "viewer" as const,
  };

  function inAllowedChannel(caller: Caller): boolean {
    if (policy.allowedChannels.length === 0) return true;
    return policy.allowedChannels.some((c) => c.platform === caller.platform && c.id === caller.conversationId);
  }

  function roleOf(caller: Caller): Role {
    if (caller.platform === "shell" || caller.platform === "cli") return "admin";
    if (policy.admins.some((p) => matches(p, caller))) return "admin";
    if (policy.operators.some((p) => matches(p, caller))) return "operator";
    if (policy.viewers.some((p) => matches(p, caller))) return "viewer";
    if (!configured) return "operator";
    return inAllowedChannel(caller) ? policy.unknownUsers : "none";
  }

  function decide(caller: Caller, required: RequiredRole, commandName: string): AccessDecision {
    const role = roleOf(caller);
    if (roleSatisfies(role, required)) return { allowed: true, role };
    const needed = required === "anyone" ? "viewer" : required;
    const grantors = policy.admins.map(describePrincipal);
    const grantedBy =
      grantors.length > 0
        ? `Ask an admin (${grantors.slice(0, 5).join(", ")}) to add you to \`access.${listFor[needed]}\` in the bot's config.`
        : `No admins are configured: whoever runs the bot can add you to \`access.${listFor[needed]}\` in its config.`;
    const reason =
      role === "none"
        ? `I don't take commands from you in this conversation: \`${commandName}\` needs the ${needed} role, and this channel isn't one where the bot answers people it doesn't know.`
        : `\`${commandName}\` needs the ${needed} role; you have ${role}.`;
    return { allowed: false, role, reason, grantedBy };
  }

  return { roleOf, decide };
}

export { roles };
