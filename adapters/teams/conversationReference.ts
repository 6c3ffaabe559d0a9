import { type Activity, type ConversationReference, TurnContext } from "botbuilder";
import { z } from "zod";
import type { ConversationRecord } from "../../src/delivery/conversationStore.js";
import type { PersonalChatTarget } from "./personalReply.js";

/**
 * A Teams conversation reference as kept in the ConversationStore. Stored
 * data comes back from disk (and may be old or hand-edited), so it is parsed
 * before a proactive send rather than trusted.
 */
const account = z.object({ id: z.string().min(1), name: z.string().optional() }).loose();

export const storedReferenceSchema = z
  .object({
    serviceUrl: z.url(),
    channelId: z.string().min(1),
    conversation: z
      .object({
        id: z.string().min(1),
        conversationType: z.string().optional(),
        tenantId: z.string().optional(),
        isGroup: z.boolean().optional(),
        name: z.string().optional(),
      })
      .loose(),
    bot: account.optional(),
    user: account.optional(),
    activityId: z.string().optional(),
    locale: z.string().optional(),
  })
  .loose();
export type StoredReference = z.infer<typeof storedReferenceSchema>;

/** Teams appends `;messageid=…` to a channel conversation id when the activity is in a thread. */
export function baseConversationId(conversationId: string): string {
  return conversationId.split(";messageid=")[0] ?? conversationId;
}

/** Parses a stored reference into what botbuilder's proactive calls take; undefined when unusable. */
export function toConversationReference(stored: unknown): Partial<ConversationReference> | undefined {
  const parsed = storedReferenceSchema.safeParse(stored);
  if (!parsed.success) return undefined;
  return parsed.data as Partial<ConversationReference>;
}

const teamsChannelData = z
  .object({
    team: z.object({ name: z.string().optional() }).loose().optional(),
    channel: z.object({ name: z.string().optional() }).loose().optional(),
  })
  .loose();

/** The record that lets the bot post to this activity's conversation later (thread suffix removed). */
export function conversationRecord(activity: Partial<Activity>, now: Date): ConversationRecord | undefined {
  if (!activity.conversation?.id || !activity.serviceUrl) return undefined;
  const reference = TurnContext.getConversationReference(activity);
  const conversationId = baseConversationId(activity.conversation.id);
  const stored = {
    ...JSON.parse(JSON.stringify(reference)),
    conversation: { ...reference.conversation, id: conversationId },
  } as Record<string, unknown>;
  // A thread's activity id is no place to start from for later, unrelated posts.
  delete stored.activityId;
  const channelData = teamsChannelData.safeParse(activity.channelData ?? {});
  const team = channelData.success ? channelData.data.team?.name : undefined;
  const channel = channelData.success ? channelData.data.channel?.name : undefined;
  const label = [team, channel].filter(Boolean).join(" / ") || activity.conversation.name || undefined;
  return {
    platform: "teams",
    conversationId,
    reference: stored,
    ...(label ? { label } : {}),
    updatedAt: now.toISOString(),
  };
}

/** The record of a 1:1 chat the bot opened with `user` from `origin` (same service and bot), so later sends reach it. */
export function personalChatRecord(
  origin: Partial<ConversationReference>,
  conversationId: string,
  user: PersonalChatTarget,
  now: Date,
): ConversationRecord {
  const reference = {
    serviceUrl: origin.serviceUrl,
    channelId: origin.channelId,
    ...(origin.locale ? { locale: origin.locale } : {}),
    conversation: { id: conversationId, conversationType: "personal", tenantId: user.tenantId, isGroup: false },
    ...(origin.bot ? { bot: origin.bot } : {}),
    user: {
      id: user.userId,
      ...(user.userName ? { name: user.userName } : {}),
      ...(user.aadObjectId ? { aadObjectId: user.aadObjectId } : {}),
    },
  };
  return {
    platform: "teams",
    conversationId,
    reference: JSON.parse(JSON.stringify(reference)) as unknown,
    updatedAt: now.toISOString(),
  };
}
