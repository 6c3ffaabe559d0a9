import type {
  Activity,
  ChannelAccount,
  CloudAdapter,
  ConversationParameters,
  ConversationReference,
  TurnContext,
} from "botbuilder";
import type { ConnectorClient } from "botframework-connector";
import type { ConversationStore } from "../../src/delivery/conversationStore.js";
import {
  type ConversationAddress,
  type Delivery,
  DeliveryError,
  type PostedMessage,
  type PostOptions,
} from "../../src/delivery/delivery.js";
import { formatDuration } from "../../src/foundation/duration.js";
import type { Logger } from "../../src/foundation/logger.js";
import type { Reply } from "../../src/reply/reply.js";
import { teamsActivity } from "./cardMessage.js";
import { baseConversationId, personalChatRecord, toConversationReference } from "./conversationReference.js";
import type { PersonalChatTarget } from "./personalReply.js";
import { isRetryable, maxRetryAfterMs, sendFailure } from "./sendFailure.js";

/**
 * Proactive sends to Teams (stall alerts, outcomes, updates of placeholder
 * cards, replies an incoming turn could not send) through
 * `continueConversationAsync`, with the stored conversation reference. 403/404 mean the app was removed or the bot left: the reference
 * is retired. 429/5xx and calls not answered within `teams.proactiveSendTimeout` (set on every connector client
 * when it is created, teamsAuthentication.ts) are retried a bounded number of times,
 * honouring Retry-After. https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 * Personal replies go to a 1:1 chat opened with `createConversationAsync` (Teams hands back the existing one).
 */
export interface TeamsDeliveryOptions {
  adapter: CloudAdapter;
  /** The bot's app id ("" when anonymous). */
  appId: string;
  conversations: ConversationStore;
  logger: Logger;
  /** Tries per send, the first included. */
  maxAttempts?: number;
  /** First backoff when the platform gives no Retry-After; doubles each try. */
  baseDelayMs?: number;
  /** Waits between tries; tests pass a recording fake. */
  sleep?: (ms: number) => Promise<void>;
  /** Wall clock for the records of 1:1 chats the bot opens. */
  now?: () => Date;
}

/** What a send does, for its failure handling: a personal post's 403 is about the person, not a conversation. */
type SendKind = "post" | "update" | "personal post";

/**
 * No audience for opening a chat: the connector factory then uses the OAuth scope the authentication was
 * configured with, as for every other call. The SDK types the parameter as a string but reads `audience ?? scope`.
 */
const configuredAudience = undefined as unknown as string;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The core's Delivery, plus an update addressed by a reference the adapter already holds. */
export interface TeamsDelivery extends Delivery {
  /** Replaces a message in the conversation of `reference` (a placeholder card the bot posted in this turn). */
  updateWithReference(reference: unknown, messageId: string, reply: Reply): Promise<void>;
  /**
   * Posts a reply whose send inside the incoming turn failed with `error` (429, 5xx, network):
   * that failure counts as the first try, so its Retry-After is waited out before the next.
   */
  postAfterInTurnFailure(to: ConversationAddress, reply: Reply, error: unknown): Promise<PostedMessage>;
  /**
   * Posts a reply to `person`'s 1:1 chat with the bot, opened from the service and bot of `from` (a shared
   * conversation) and then remembered. 403/404 (the app is not installed for that person) is a `gone`
   * DeliveryError and retires nothing; 429/5xx are retried like every post.
   */
  postToPersonalChat(from: ConversationAddress, person: PersonalChatTarget, reply: Reply): Promise<PostedMessage>;
}

/** Builds the Teams implementation of the core's Delivery interface. */
export function createTeamsDelivery(options: TeamsDeliveryOptions): TeamsDelivery {
  const { adapter, appId, conversations, logger } = options;
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 4;
  const baseDelayMs = options.baseDelayMs ?? 500;
  const sleep = options.sleep ?? defaultSleep;

  async function referenceFor(address: { conversationId: string; reference?: unknown }) {
    const conversationId = baseConversationId(address.conversationId);
    const stored = address.reference ?? (await conversations.getConversation("teams", conversationId))?.reference;
    const reference = toConversationReference(stored);
    if (!reference) {
      throw new DeliveryError("gone", `No usable Teams conversation reference for ${conversationId}.`);
    }
    return { conversationId, reference };
  }

  /**
   * One connector call inside the proactive turn that `open` starts; errors are handed back instead of
   * reaching onTurnError.
   */
  async function inProactiveTurn<T>(
    open: (logic: (context: TurnContext) => Promise<void>) => Promise<void>,
    call: (client: ConnectorClient, context: TurnContext) => Promise<T>,
  ): Promise<T> {
    // A box, not a variable: TypeScript cannot see the assignment inside the callback.
    const box: { outcome: { ok: true; value: T } | { ok: false; error: unknown } } = {
      outcome: { ok: false, error: new Error("the proactive turn did not run") },
    };
    await open(async (context) => {
      try {
        // Prepared when the factory made it (no SDK retries, the proactive deadline): nothing to redo per send.
        const client = context.turnState.get<ConnectorClient | undefined>(adapter.ConnectorClientKey);
        if (!client) throw new Error("the proactive turn has no connector client");
        box.outcome = { ok: true, value: await call(client, context) };
      } catch (error) {
        box.outcome = { ok: false, error };
      }
    });
    const { outcome } = box;
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** One connector call in a conversation the bot already knows. */
  function attempt<T>(
    reference: Partial<ConversationReference>,
    call: (client: ConnectorClient, reference: Partial<ConversationReference>) => Promise<T>,
  ): Promise<T> {
    return inProactiveTurn(
      (logic) => adapter.continueConversationAsync(appId, reference, logic),
      (client) => call(client, reference),
    );
  }

  /** After a failed try: retires the conversation (403/404), gives up (throws) or waits before the next try. */
  async function afterFailure(what: SendKind, conversationId: string, err: unknown, tries: number) {
    const { status, retryAfterMs, timedOutAfterMs } = sendFailure(err);
    // A missing message on update is about that message, not the conversation.
    const gone = status === 403 || (status === 404 && what !== "update");
    if (gone && what === "personal post") {
      // About that person (the app is not installed for them), not about any conversation the bot is in.
      const reason = `Teams answered ${status} when opening ${conversationId}: the app is not installed for that user`;
      logger.warn({ status }, reason);
      throw new DeliveryError("gone", reason, undefined, { cause: err });
    }
    if (gone) {
      const reason = `Teams answered ${status} to a ${what}: the app was removed or the bot is no longer in the conversation`;
      logger.warn({ conversationId, status }, `retiring Teams conversation: ${reason}`);
      await conversations.retireConversation("teams", conversationId, reason);
      throw new DeliveryError("gone", reason, undefined, { cause: err });
    }
    if (status === 404 && what === "update") {
      // Someone deleted the message: the caller may post a new one.
      throw new DeliveryError(
        "message_gone",
        `Teams answered 404 to an update in ${conversationId}: the message is gone`,
        undefined,
        {
          cause: err,
        },
      );
    }
    const waitMs = retryAfterMs ?? baseDelayMs * 2 ** (tries - 1);
    if (!isRetryable(status) || tries >= maxAttempts || waitMs > maxRetryAfterMs) {
      const how = status
        ? ` with ${status}`
        : timedOutAfterMs
          ? ` (no answer within ${formatDuration(timedOutAfterMs)})`
          : "";
      const message = `Teams ${what} to ${conversationId} failed${how} after ${tries} attempt${tries === 1 ? "" : "s"}.`;
      logger.warn({ conversationId, status, timedOutAfterMs, tries }, message);
      throw status === 429
        ? new DeliveryError("rate_limited", message, waitMs, { cause: err })
        : new DeliveryError("failed", message, undefined, { cause: err });
    }
    logger.info({ conversationId, status, timedOutAfterMs, tries, waitMs }, `Teams ${what} failed; retrying`);
    await sleep(waitMs);
  }

  /**
   * Runs one connector call with bounded retries; classifies the final failure.
   * `inTurnFailure` is what a first try inside the incoming turn threw: it counts
   * as that try, so its Retry-After is honoured before this one.
   */
  async function send<T>(
    what: SendKind,
    conversationId: string,
    reference: Partial<ConversationReference>,
    call: (client: ConnectorClient, reference: Partial<ConversationReference>) => Promise<T>,
    inTurnFailure?: { error: unknown },
  ): Promise<T> {
    return withRetries(what, conversationId, () => attempt(reference, call), inTurnFailure);
  }

  /** Tries `once` until it succeeds or afterFailure gives up; `inTurnFailure` counts as the first try. */
  async function withRetries<T>(
    what: SendKind,
    conversationId: string,
    once: () => Promise<T>,
    inTurnFailure?: { error: unknown },
  ): Promise<T> {
    let tries = 1;
    if (inTurnFailure) await afterFailure(what, conversationId, inTurnFailure.error, tries++);
    for (; ; tries++) {
      try {
        return await once();
      } catch (err) {
        await afterFailure(what, conversationId, err, tries);
      }
    }
  }

  /** A new post (or thread reply); `inTurnFailure` when the incoming turn already tried it once. */
  async function postReply(
    to: ConversationAddress,
    reply: Reply,
    postOptions: PostOptions,
    inTurnFailure?: { error: unknown },
  ): Promise<PostedMessage> {
    const { conversationId, reference } = await referenceFor(to);
    const threadId = postOptions.threadOf
      ? (postOptions.threadOf.threadId ?? postOptions.threadOf.messageId)
      : undefined;
    // In a channel, a reply chain is addressed as `<channel id>;messageid=<root message id>`.
    const target = threadId
      ? { ...reference, conversation: { ...reference.conversation, id: `${conversationId};messageid=${threadId}` } }
      : reference;
    // sendToConversation makes a new post (or a reply, with the thread suffix); a reply to the
    // continuation event's made-up id would not.
    const response = await send(
      "post",
      conversationId,
      target as Partial<ConversationReference>,
      (client, ref) =>
        client.conversations.sendToConversation(ref.conversation?.id ?? conversationId, {
          ...teamsActivity(reply),
          conversation: ref.conversation,
          from: ref.bot,
        } as Activity),
      inTurnFailure,
    );
    const messageId = response.id ?? "";
    return {
      platform: "teams",
      conversationId,
      messageId,
      ...(threadId ? { threadId } : { threadId: messageId }),
    };
  }

  const update =
    (messageId: string, reply: Reply) => async (client: ConnectorClient, reference: Partial<ConversationReference>) => {
      const conversationId = reference.conversation?.id ?? "";
      await client.conversations.updateActivity(conversationId, messageId, {
        ...teamsActivity(reply),
        id: messageId,
        conversation: reference.conversation,
        from: reference.bot,
      } as Activity);
    };

  /** Opens (or finds) the 1:1 chat and posts there, once; the chat's id and the posted message's id. */
  function openAndPost(
    origin: { serviceUrl: string; channelId: string },
    parameters: ConversationParameters,
    reply: Reply,
  ) {
    return inProactiveTurn(
      (logic) =>
        adapter.createConversationAsync(
          appId,
          origin.channelId,
          origin.serviceUrl,
          configuredAudience,
          parameters,
          logic,
        ),
      async (client, context) => {
        const conversationId = context.activity.conversation?.id;
        if (!conversationId) throw new Error("Teams opened the chat but named no conversation id");
        const response = await client.conversations.sendToConversation(conversationId, {
          ...teamsActivity(reply),
          conversation: { id: conversationId },
          from: parameters.bot,
        } as Activity);
        return { conversationId, messageId: response.id ?? "" };
      },
    );
  }

  return {
    platform: "teams",

    post(to: ConversationAddress, reply: Reply, postOptions: PostOptions = {}): Promise<PostedMessage> {
      return postReply(to, reply, postOptions);
    },

    postAfterInTurnFailure(to: ConversationAddress, reply: Reply, error: unknown): Promise<PostedMessage> {
      return postReply(to, reply, {}, { error });
    },

    async update(message: PostedMessage, reply: Reply): Promise<void> {
      const { conversationId, reference } = await referenceFor({ conversationId: message.conversationId });
      await send("update", conversationId, reference, update(message.messageId, reply));
    },

    async postToPersonalChat(
      from: ConversationAddress,
      person: PersonalChatTarget,
      reply: Reply,
    ): Promise<PostedMessage> {
      const { reference: origin } = await referenceFor(from);
      const { serviceUrl, channelId, bot } = origin;
      if (!serviceUrl || !channelId || !bot)
        throw new DeliveryError("failed", "The conversation reference is unusable.");
      const parameters: ConversationParameters = {
        isGroup: false,
        bot,
        // The Teams id alone names the member; an unknown name is left out rather than sent empty.
        members: [{ id: person.userId, ...(person.userName ? { name: person.userName } : {}) } as ChannelAccount],
        tenantId: person.tenantId,
        channelData: { tenant: { id: person.tenantId } },
      };
      const chat = `the personal chat of ${person.userId}`;
      const { conversationId, messageId } = await withRetries("personal post", chat, () =>
        openAndPost({ serviceUrl, channelId }, parameters, reply),
      );
      try {
        await conversations.upsertConversation(personalChatRecord(origin, conversationId, person, now()));
      } catch (err) {
        // Losing the reference only costs later proactive sends there; the reply has arrived.
        logger.warn({ err, conversationId }, "could not remember the personal Teams chat");
      }
      return { platform: "teams", conversationId, messageId, threadId: messageId };
    },

    async updateWithReference(stored: unknown, messageId: string, reply: Reply): Promise<void> {
      const reference = toConversationReference(stored);
      const conversationId = baseConversationId(reference?.conversation?.id ?? "");
      if (!reference || !conversationId) throw new DeliveryError("failed", "The conversation reference is unusable.");
      await send("update", conversationId, reference, update(messageId, reply));
    },
  };
}
