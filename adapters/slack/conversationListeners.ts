import type { App, RespondArguments } from "@slack/bolt";
import type { Caller } from "../../src/access/caller.js";
import type { Dispatch } from "../../src/routing/router.js";
import type { AdapterContext } from "./adapterContext.js";
import { textFromSlack } from "./incomingText.js";
import { failureOf, slackErrorOf } from "./slackDelivery.js";
import { messageEventSchema, messageShortcutSchema } from "./slackPayloads.js";
import { answerInThread, type ThreadTarget } from "./threadReply.js";

const isDirectChannel = (channel: string) => channel.startsWith("D");

/** Errors after which the bot can't post in the channel, so the answer goes back privately instead. */
const cannotPost = new Set(["not_in_channel", "channel_not_found", "is_archived", "restricted_action"]);

function callerOf(userId: string, channel: string, userName?: string): Caller {
  return { platform: "slack", userId, conversationId: channel, ...(userName ? { userName } : {}) };
}

async function answer(ctx: AdapterContext, target: ThreadTarget, dispatch: Dispatch, what: string): Promise<void> {
  try {
    await answerInThread(ctx, target, dispatch);
  } catch (err) {
    ctx.logger.warn({ failure: failureOf(err), what }, "slack: answering in thread failed");
  }
}

/**
 * Mentions (`@scanner status`, or a pasted error) and direct messages: the
 * text without the bot's mention goes to the router, anything that is not a
 * command is explained, and the answer goes to the message's thread.
 */
export async function answerMessageEvent(ctx: AdapterContext, raw: unknown): Promise<void> {
  // Re-deliveries of an event never get here (redeliveryGuard.ts); a retry whose first delivery was lost does.
  const parsed = messageEventSchema.safeParse(raw);
  if (!parsed.success) return;
  const event = parsed.data;
  const botUserId = ctx.settings.botUserId;
  if (event.subtype || event.bot_id || (botUserId && event.user === botUserId)) return;
  const direct = event.channel_type === "im" || isDirectChannel(event.channel);
  // A DM arrives as message.im; ignore the mention copy of it and channel messages without a mention.
  if ((event.type === "app_mention") === direct) return;
  const text = textFromSlack(event.text, botUserId);
  const dispatch = text
    ? ctx.router.dispatch(text, callerOf(event.user, event.channel), { fallbackToExplain: true })
    : ctx.router.dispatch("help", callerOf(event.user, event.channel));
  const target = { channel: event.channel, threadTs: event.thread_ts ?? event.ts, userId: event.user, direct };
  await answer(ctx, target, dispatch, event.type);
}

/** The "Explain error" message shortcut: explains the message's text in its thread. */
export function registerExplainShortcut(app: App, ctx: AdapterContext): void {
  app.shortcut({ callback_id: ctx.settings.explainShortcutId, type: "message_action" }, async ({ shortcut, ack }) => {
    await ack();
    const parsed = messageShortcutSchema.safeParse(shortcut);
    if (!parsed.success) {
      ctx.logger.warn({ issues: parsed.error.issues.length }, "slack: malformed message shortcut payload");
      return;
    }
    const { user, channel, message, response_url } = parsed.data;
    const respond = (answer: RespondArguments) => ctx.responseUrl.post(response_url, answer);
    const text = textFromSlack(message.text);
    if (!text) {
      await respond({ response_type: "ephemeral", text: "That message has no text I could explain." });
      return;
    }
    const dispatch = ctx.router.dispatch(`explain ${text}`, callerOf(user.id, channel.id, user.name));
    const target = {
      channel: channel.id,
      threadTs: message.thread_ts ?? message.ts,
      userId: user.id,
      direct: isDirectChannel(channel.id),
    };
    try {
      await answerInThread(ctx, target, dispatch);
    } catch (err) {
      const slackError = slackErrorOf(err);
      if (!slackError || !cannotPost.has(slackError)) {
        ctx.logger.warn({ failure: failureOf(err) }, "slack: answering the shortcut failed");
        return;
      }
      // The bot isn't in that channel: the person who asked still gets the answer, privately.
      const result = await dispatch.result;
      await respond({ response_type: "ephemeral", ...ctx.render(result) }).catch((e: unknown) =>
        ctx.logger.warn({ failure: failureOf(e) }, "slack: private shortcut answer failed"),
      );
    }
  });
}
