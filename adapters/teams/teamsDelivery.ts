import type { Activity, CloudAdapter, ConversationReference } from "botbuilder";
import type { ConnectorClient } from "botframework-connector";
import { formatDuration } from "../../src/config/duration.js";
import type { ConversationStore } from "../../src/conversationStore.js";
import {
  type ConversationAddress,
  type Delivery,
  DeliveryError,
  type PostedMessage,
  type PostOptions,
} from "../../src/delivery.js";
import type { Logger } from "../../src/logger.js";
import type { Reply } from "../../src/reply.js";
import { cardActivity } from "./cardMessage.js";
import { turnConnector } from "./connectorClient.js";
import { baseConversationId, toConversationReference } from "./conversationReference.js";
import { isRetryable, maxRetryAfterMs, sendFailure } from "./sendFailure.js";

/**
 * Proactive sends to Teams (stall alerts, outcomes, updates of placeholder
 * cards, replies an incoming turn could not send) through
 * `continueConversationAsync`, with the stored conversation reference. 403/404 mean the app was removed or the bot left: the reference
 * is retired. 429/5xx and calls not answered within `sendTimeoutMs` are retried a bounded number of times,
 * honouring Retry-After. https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 */
export interface TeamsDeliveryOptions {
  adapter: CloudAdapter;
  /** The bot's app id ("" when anonymous). */
  appId: string;
  conversations: ConversationStore;
  logger: Logger;
  /** How long one try may wait for the Bot Connector before it counts as no answer (`teams.proactiveSendTimeout`). */
  sendTimeoutMs: number;
  /** Tries per send, the first included. */
  maxAttempts?: number;
  /** First backoff when the platform gives no Retry-After; doubles each try. */
  baseDelayMs?: number;
  /** Waits between tries; tests pass a recording fake. */
  sleep?: (ms: number) => Promise<void>;
}

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
}

/** Builds the Teams implementation of the core's Delivery interface. */
export function createTeamsDelivery(options: TeamsDeliveryOptions): TeamsDelivery {
  const { adapter, appId, conversations, logger, sendTimeoutMs } = options;
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

  /** One connector call inside a proactive turn; errors are handed back instead of reaching onTurnError. */
  async function attempt<T>(
    reference: Partial<ConversationReference>,
    call: (client: ConnectorClient, reference: Partial<ConversationReference>) => Promise<T>,
  ): Promise<T> {
    // A box, not a variable: TypeScript cannot see the assignment inside the callback.
    const box: { outcome: { ok: true; value: T } | { ok: false; error: unknown } } = {
      outcome: { ok: false, error: new Error("the proactive turn did not run") },
    };
    await adapter.continueConversationAsync(appId, reference, async (context) => {
      try {
        const { client } = turnConnector(adapter, context, sendTimeoutMs);
        if (!client) throw new Error("the proactive turn has no connector client");
        box.outcome = { ok: true, value: await call(client, reference) };
      } catch (error) {
        box.outcome = { ok: false, error };
      }
    });
    const { outcome } = box;
    if (!outcome.ok) throw outcome.error;
    return outcome.value;
  }

  /** After a failed try: retires the conversation (403/404), gives up (throws) or waits before the next try. */
  async function afterFailure(what: "post" | "update", conversationId: string, err: unknown, tries: number) {
    const { status, retryAfterMs, timedOutAfterMs } = sendFailure(err);
    // A missing message on update is about that message, not the conversation.
    const gone = status === 403 || (status === 404 && what === "post");
    if (gone) {
      const reason = `Teams answered ${status} to a ${what}: the app was removed or the bot is no longer in the conversation`;
      logger.warn({ conversationId, status }, `retiring Teams conversation: ${reason}`);
      await conversations.retireConversation("teams", conversationId, reason);
      throw new DeliveryError("gone", reason, undefined, { cause: err });
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
    what: "post" | "update",
    conversationId: string,
    reference: Partial<ConversationReference>,
    call: (client: ConnectorClient, reference: Partial<ConversationReference>) => Promise<T>,
    inTurnFailure?: { error: unknown },
  ): Promise<T> {
    let tries = 1;
    if (inTurnFailure) await afterFailure(what, conversationId, inTurnFailure.error, tries++);
    for (; ; tries++) {
      try {
        return await attempt(reference, call);
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
          ...cardActivity(reply),
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
        ...cardActivity(reply),
        id: messageId,
        conversation: reference.conversation,
        from: reference.bot,
      } as Activity);
    };

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

    async updateWithReference(stored: unknown, messageId: string, reply: Reply): Promise<void> {
      const reference = toConversationReference(stored);
      const conversationId = baseConversationId(reference?.conversation?.id ?? "");
      if (!reference || !conversationId) throw new DeliveryError("failed", "The conversation reference is unusable.");
      await send("update", conversationId, reference, update(messageId, reply));
    },
  };
}
