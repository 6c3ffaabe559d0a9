import { webApi } from "@slack/bolt";
import { z } from "zod";
import type { GroupDirectory } from "../../src/access/groupMembership.js";
import { BotError } from "../../src/foundation/botError.js";

/** What `usergroups.users.list` answers: the member ids of one user group. */
const usergroupUsersSchema = z.object({ ok: z.literal(true), users: z.array(z.string()) });

/**
 * Slack user groups for `group:` principals: the members of each configured user group, read with
 * `usergroups.users.list` (bot token, scope `usergroups:read`).
 * https://docs.slack.dev/reference/methods/usergroups.users.list
 *
 * The client is the adapter's, with retries off: a lookup that fails is reported and asked again on
 * the next command, rather than holding that command for Slack's back-off.
 */
export function slackGroupDirectory(token: string, clientOptions: webApi.WebClientOptions): GroupDirectory {
  const client = new webApi.WebClient(token, {
    ...clientOptions,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  return {
    platform: "slack",
    kind: "member-lists",
    async membersOf(groupId) {
      let answer: unknown;
      try {
        answer = await client.usergroups.users.list({ usergroup: groupId });
      } catch (err) {
        // The Web API's own error codes (missing_scope, no_such_subteam, ratelimited) say what to fix; they carry no token.
        const code =
          (err as { data?: { error?: unknown }; code?: unknown }).data?.error ?? (err as { code?: unknown }).code;
        throw new BotError(
          "platform_error",
          `Slack refused usergroups.users.list for ${groupId} (${typeof code === "string" ? code : "no answer"})`,
          { cause: err },
        );
      }
      const parsed = usergroupUsersSchema.safeParse(answer);
      if (!parsed.success) {
        throw new BotError(
          "platform_error",
          `Slack's answer to usergroups.users.list for ${groupId} has no member list`,
        );
      }
      return parsed.data.users;
    },
  };
}
