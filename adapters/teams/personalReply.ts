import { z } from "zod";
import { type Reply, reply } from "../../src/reply/reply.js";

/**
 * Teams has no ephemeral messages: whatever the bot posts in a channel or a
 * group chat, everyone there sees. So a reply marked `personal` (the audit log)
 * that was asked for in such a conversation goes to the asker's 1:1 chat with
 * the bot, and the conversation gets only a note saying where it went, or that
 * it could not go there. `private` replies (help, placeholders, errors) stay in
 * the conversation.
 */

/** Whom a personal reply goes to, and the tenant their 1:1 chat with the bot lives in. */
export interface PersonalChatTarget {
  /** The person's Teams id (`29:…`), the member of the 1:1 chat. */
  userId: string;
  userName?: string;
  aadObjectId?: string;
  tenantId: string;
}

/** The parts of an incoming Teams activity read here (botbuilder's Activity has them). */
export interface ActivityParties {
  from?: { id?: string; name?: string; aadObjectId?: string };
  conversation?: { conversationType?: string; isGroup?: boolean; tenantId?: string };
  channelData?: unknown;
}

const channelDataSchema = z
  .object({
    tenant: z
      .object({ id: z.string().min(1) })
      .loose()
      .optional(),
    team: z.unknown().optional(),
    channel: z.unknown().optional(),
  })
  .loose();

function channelDataOf(activity: ActivityParties) {
  const parsed = channelDataSchema.safeParse(activity.channelData ?? {});
  return parsed.success ? parsed.data : {};
}

/**
 * True when others would see a reply in the activity's conversation: a channel, a group chat, a meeting,
 * any conversation type Teams may add later. Without a type, only group or team data makes it shared.
 */
export function isSharedConversation(activity: ActivityParties): boolean {
  const type = activity.conversation?.conversationType;
  if (type) return type !== "personal";
  const channelData = channelDataOf(activity);
  return activity.conversation?.isGroup === true || channelData.team !== undefined || channelData.channel !== undefined;
}

/** True when `result` must not be posted in the activity's conversation. */
export function mustLeaveConversation(result: Reply, activity: ActivityParties): boolean {
  return result.visibility === "personal" && isSharedConversation(activity);
}

/** The asker's 1:1 chat with the bot; undefined when the activity lacks the user or the tenant to open one. */
export function personalChatTarget(activity: ActivityParties): PersonalChatTarget | undefined {
  const from = activity.from;
  const tenantId = channelDataOf(activity).tenant?.id ?? activity.conversation?.tenantId;
  if (!from?.id || !tenantId) return undefined;
  return {
    userId: from.id,
    ...(from.name ? { userName: from.name } : {}),
    ...(from.aadObjectId ? { aadObjectId: from.aadObjectId } : {}),
    tenantId,
  };
}

const shownCommand = (command: string | undefined) => (command ? `\`${command.slice(0, 40)}\`` : "that command");

/** Left in the conversation once the reply is in the asker's 1:1 chat. */
export function sentToPersonalChatNote(command: string | undefined): Reply {
  const text = `I sent you the answer to ${shownCommand(command)} in a private chat with me.`;
  return reply(text, { status: "info" }).text(text).build();
}

/** Left in the conversation when the 1:1 chat could not be opened or posted to: what to do, never the content. */
export function notShownHereNote(command: string | undefined, botName: string | undefined): Reply {
  const text = `I can't show that here; open a chat with ${botName || "me"} and run ${shownCommand(command)} there.`;
  return reply(text, { status: "warn" }).status("warn", text).build();
}
