import { type Activity, ActivityTypes, type InvokeResponse, TurnContext } from "botbuilder";
import { z } from "zod";
import type { Caller } from "../../src/access/caller.js";
import type { ConversationStore } from "../../src/delivery/conversationStore.js";
import type { ConversationAddress } from "../../src/delivery/delivery.js";
import type { Logger } from "../../src/foundation/logger.js";
import { type Reply, reply } from "../../src/reply/reply.js";
import { parseCommandLine } from "../../src/routing/commandLine.js";
import type { Router } from "../../src/routing/router.js";
import { cardActionDataSchema, isCardAction } from "./cardAction.js";
import { cardAttachment, teamsActivity } from "./cardMessage.js";
import { baseConversationId, conversationRecord } from "./conversationReference.js";
import { htmlToText } from "./messageText.js";
import {
  mustLeaveConversation,
  notShownHereNote,
  personalChatTarget,
  sentToPersonalChatNote,
} from "./personalReply.js";
import { isRetryable, sendFailure } from "./sendFailure.js";
import type { TeamsDelivery } from "./teamsDelivery.js";

/**
 * One Bot Framework turn: turns a Teams activity into a command line (typed
 * text, a card button, the "Explain this error" message action) or into a
 * change of the remembered conversations (install, uninstall, bot added or
 * removed). It holds no business rules: the router decides what runs.
 */
export interface TurnHandlerOptions {
  router: Router;
  conversations: ConversationStore;
  delivery: TeamsDelivery;
  logger: Logger;
  now: () => Date;
  /** Aborted when the adapter stops; long commands see it through the router. */
  signal: AbortSignal;
  /** Keeps background work (placeholder updates, handed-off replies) so `stop()` can wait for it. */
  track: (work: Promise<unknown>) => void;
}

/** Longest text the message action hands to `explain` (a pasted stack trace, not a novel). */
const maxExplainChars = 20_000;

const messagePayloadSchema = z
  .object({
    commandId: z.string().optional(),
    messagePayload: z
      .object({
        body: z.object({ contentType: z.string().optional(), content: z.string().optional() }).loose().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

const installationActionSchema = z.enum(["add", "add-upgrade", "remove", "remove-upgrade"]);

function callerOf(activity: Activity): Caller {
  return {
    platform: "teams",
    userId: activity.from?.aadObjectId ?? activity.from?.id ?? "unknown",
    ...(activity.from?.name ? { userName: activity.from.name } : {}),
    ...(activity.conversation?.id ? { conversationId: baseConversationId(activity.conversation.id) } : {}),
  };
}

function invokeResponse(status: number, body?: unknown): Partial<Activity> {
  const value: InvokeResponse = { status, ...(body === undefined ? {} : { body }) };
  return { type: "invokeResponse", value };
}

function problem(text: string): Reply {
  return reply(text, { status: "error", visibility: "private" }).status("error", text).build();
}

/** Builds the turn logic handed to `CloudAdapter.process`. */
export function createTurnHandler(options: TurnHandlerOptions): (context: TurnContext) => Promise<void> {
  const { router, conversations, delivery, logger } = options;

  async function remember(activity: Activity): Promise<void> {
    const record = conversationRecord(activity, options.now());
    if (!record) return;
    try {
      await conversations.upsertConversation(record);
    } catch (err) {
      // Losing a reference only costs proactive alerts; the command the user typed still runs.
      logger.warn({ err, conversationId: record.conversationId }, "could not remember Teams conversation");
    }
  }

  async function forget(activity: Activity, reason: string): Promise<void> {
    if (!activity.conversation?.id) return;
    const conversationId = baseConversationId(activity.conversation.id);
    logger.info({ conversationId, reason }, "forgetting Teams conversation");
    await conversations.retireConversation("teams", conversationId, reason);
  }

  /** This activity's conversation for sends after the turn; the reference keeps a thread's suffix. */
  function addressOf(activity: Activity): ConversationAddress {
    const reference = JSON.parse(JSON.stringify(TurnContext.getConversationReference(activity))) as unknown;
    return { platform: "teams", conversationId: baseConversationId(activity.conversation.id), reference };
  }

  /**
   * Sends in the turn, tried once: Teams' HTTP request stays open meanwhile and it allows 15 s
   * (the SDK's own retries are removed and each call has a deadline, `teams.inTurnSendTimeout`,
   * see connectorClient.ts). When Teams throttles or fails (429, 5xx, no answer within the
   * deadline), a reply goes to the proactive path, which waits out Retry-After in the background,
   * and the turn ends at once; a placeholder is dropped, as its full answer follows as a new
   * message. 403/404 still fail the turn. The posted id, or undefined.
   */
  async function sendInTurn(
    context: TurnContext,
    message: Reply,
    what: "reply" | "placeholder",
    command?: string,
  ): Promise<string | undefined> {
    try {
      return (await context.sendActivity(teamsActivity(message)))?.id;
    } catch (error) {
      const { status, retryAfterMs, timedOutAfterMs } = sendFailure(error);
      if (!isRetryable(status)) throw error;
      const conversationId = baseConversationId(context.activity.conversation.id);
      const failure = { conversationId, status, retryAfterMs, timedOutAfterMs, command };
      if (what === "placeholder") {
        logger.warn(failure, "Teams did not take the placeholder; the answer will be posted when ready");
        return undefined;
      }
      logger.warn(failure, "Teams did not take the reply in the turn; delivering it in the background");
      const later = delivery
        .postAfterInTurnFailure(addressOf(context.activity), message, error)
        .then((posted) =>
          logger.info({ conversationId, command, messageId: posted.messageId }, "Teams reply delivered after the turn"),
        )
        .catch((err: unknown) => logger.error({ err, conversationId, command }, "Teams answer was lost"));
      options.track(later);
      return undefined;
    }
  }

  /**
   * What the activity's conversation may show of a reply: the reply itself, or, for a personal reply in a
   * channel or group chat, a note once the reply is in the asker's 1:1 chat (or why it could not go there).
   */
  async function shownHere(activity: Activity, address: ConversationAddress, result: Reply, command?: string) {
    if (!mustLeaveConversation(result, activity)) return result;
    const conversationId = address.conversationId;
    const person = personalChatTarget(activity);
    if (!person) {
      logger.warn({ conversationId, command }, "no user or tenant to open a personal Teams chat with");
      return notShownHereNote(command, activity.recipient?.name);
    }
    try {
      await delivery.postToPersonalChat(address, person, result);
      return sentToPersonalChatNote(command);
    } catch (err) {
      logger.warn({ err, conversationId, command }, "could not send a personal reply to the asker's 1:1 chat");
      return notShownHereNote(command, activity.recipient?.name);
    }
  }

  /**
   * Runs a command line and answers in the conversation; long commands get a placeholder updated in place.
   * A personal reply in a shared conversation is handled after the turn too: opening the 1:1 chat and posting
   * there are calls that need not hold Teams' request.
   */
  async function answer(context: TurnContext, line: string, fallbackToExplain: boolean): Promise<void> {
    const activity = context.activity;
    const dispatch = router.dispatch(line, callerOf(activity), { fallbackToExplain, signal: options.signal });
    if (!dispatch.placeholder) {
      const result = await dispatch.result;
      if (!mustLeaveConversation(result, activity)) {
        await sendInTurn(context, result, "reply", dispatch.commandName);
        return;
      }
    }
    const messageId = dispatch.placeholder
      ? await sendInTurn(context, dispatch.placeholder, "placeholder", dispatch.commandName)
      : undefined;
    const address = addressOf(activity);
    // The turn (and Teams' 15 s HTTP deadline) ends now; the full answer replaces the placeholder later.
    const later = (async () => {
      const result = await shownHere(activity, address, await dispatch.result, dispatch.commandName);
      if (messageId) {
        try {
          await delivery.updateWithReference(address.reference, messageId, result);
          return;
        } catch (err) {
          logger.warn({ err, command: dispatch.commandName }, "could not update the placeholder; posting the answer");
        }
      }
      await delivery.post(address, result);
    })().catch((err: unknown) => logger.error({ err, command: dispatch.commandName }, "Teams answer was lost"));
    options.track(later);
  }

  async function onMessage(context: TurnContext): Promise<void> {
    const activity = context.activity;
    await remember(activity);
    // A button's data wins over any text the client adds to the submit.
    if (isCardAction(activity.value)) {
      const parsed = cardActionDataSchema.safeParse(activity.value);
      if (!parsed.success) {
        await sendInTurn(context, problem("That button's data was not understood, so nothing ran."), "reply");
        return;
      }
      const name = parseCommandLine(parsed.data.scannerCommand).name;
      if (!router.find(name)) {
        const text = `That button asks for \`${name.slice(0, 40)}\`, which is no command; nothing ran.`;
        await sendInTurn(context, problem(text), "reply");
        return;
      }
      await answer(context, parsed.data.scannerCommand, false);
      return;
    }
    // In channels and group chats the text starts with `<at>scanner-bot</at>`.
    const withoutMention = TurnContext.removeRecipientMention(activity) ?? activity.text ?? "";
    const text = htmlToText(withoutMention);
    await answer(context, text || "help", true);
  }

  /** "Explain this error" on any message: the explanation card comes back in a dialog. */
  async function onExplainMessage(context: TurnContext): Promise<void> {
    const parsed = messagePayloadSchema.safeParse(context.activity.value ?? {});
    const body = parsed.success ? parsed.data.messagePayload?.body : undefined;
    const raw = body?.content ?? "";
    const text = (body?.contentType === "text" ? raw : htmlToText(raw)).slice(0, maxExplainChars).trim();
    const result = text
      ? await router.dispatch(`explain ${text}`, callerOf(context.activity), { signal: options.signal }).result
      : problem("That message has no text to explain.");
    await context.sendActivity(
      invokeResponse(200, {
        task: {
          type: "continue",
          value: { title: "Explain this error", width: "large", height: "large", card: cardAttachment(result) },
        },
      }),
    );
  }

  async function onInvoke(context: TurnContext): Promise<void> {
    const name = context.activity.name ?? "";
    if (name === "composeExtension/submitAction" || name === "composeExtension/fetchTask") {
      await onExplainMessage(context);
      return;
    }
    logger.debug({ name }, "unhandled Teams invoke");
    await context.sendActivity(invokeResponse(501));
  }

  async function onInstallationUpdate(context: TurnContext): Promise<void> {
    const action = installationActionSchema.safeParse(context.activity.action);
    if (!action.success) return;
    if (action.data.startsWith("add")) await remember(context.activity);
    else await forget(context.activity, `app uninstalled (${action.data})`);
  }

  async function onConversationUpdate(context: TurnContext): Promise<void> {
    const activity = context.activity;
    const botId = activity.recipient?.id;
    if (!botId) return;
    if (activity.membersAdded?.some((m) => m.id === botId)) await remember(activity);
    if (activity.membersRemoved?.some((m) => m.id === botId)) await forget(activity, "bot removed from conversation");
  }

  return async (context) => {
    switch (context.activity.type) {
      case ActivityTypes.Message:
        return onMessage(context);
      case ActivityTypes.Invoke:
        return onInvoke(context);
      case ActivityTypes.InstallationUpdate:
        return onInstallationUpdate(context);
      case ActivityTypes.ConversationUpdate:
        return onConversationUpdate(context);
      default:
        logger.debug({ type: context.activity.type }, "ignored Teams activity");
    }
  };
}
