import type { CloudAdapter, ConversationReference, TurnContext } from "botbuilder";
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
import { baseConversationId, toConversationReference } from "./conversationReference.js";
import { maxRetryAfterMs, sendFailure } from "./sendFailure.js";

/**
 * Proactive sends to Teams (stall alerts, outcomes, updates of placeholder
 * cards) through `continueConversationAsync`, with the stored conversation
 * reference. 403/404 mean the app was removed or the bot left: the reference
 * is retired. 429/5xx are retried a bounded number of times, honouring
 * Retry-After. https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
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
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The core's Delivery, plus an update addressed by a reference the adapter already holds. */
export interface TeamsDelivery extends Delivery {
  /** Replaces a message in the conversation of `reference` (a placeholder card the bot posted in this turn). */
  updateWithReference(reference: unknown, messageId: string, reply: Reply): Promise<void>;
}

/** Builds the Teams implementation of the core's Delivery interface. */
export function createTeamsDelivery(options: TeamsDeliveryOptions): TeamsDelivery {
  const { adapter, appId, conversations, logger } = options;
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

  /** Runs one connector call with retries; classifies the final failure. */
  async function send(
    what: "post" | "update",
    conversationId: string,
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await adapter.continueConversationAsync(appId, reference, logic);
        return;
      } catch (err) {
        const { status, retryAfterMs } = sendFailure(err);
        // A missing message on update is about that message, not the conversation.
        const gone = status === 403 || (status === 404 && what === "post");
        if (gone) {
          const reason = `Teams answered ${status} to a ${what}: the app was removed or the bot is no longer in the conversation`;
          logger.warn({ conversationId, status }, `retiring Teams conversation: ${reason}`);
          await conversations.retireConversation("teams", conversationId, reason);
          throw new DeliveryError("gone", reason, undefined, { cause: err });
        }
        const retryable = status === 429 || (status !== undefined && status >= 500) || status === undefined;
        const waitMs = retryAfterMs ?? baseDelayMs * 2 ** (attempt - 1);
        if (!retryable || attempt >= maxAttempts || waitMs > maxRetryAfterMs) {
          const message = `Teams ${what} to ${conversationId} failed${status ? ` with ${status}` : ""} after ${attempt} attempt${attempt === 1 ? "" : "s"}.`;
          logger.warn({ conversationId, status, attempt }, message);
          throw status === 429
            ? new DeliveryError("rate_limited", message, waitMs, { cause: err })
            : new DeliveryError("failed", message, undefined, { cause: err });
        }
        logger.info({ conversationId, status, attempt, waitMs }, `Teams ${what} failed; retrying`);
        await sleep(waitMs);
      }
    }
  }

  const updateLogic = (messageId: string, reply: Reply) => async (context: TurnContext) => {
    await context.updateActivity({ ...cardActivity(reply), id: messageId });
  };

  return {
    platform: "teams",

    async post(to: ConversationAddress, reply: Reply, postOptions: PostOptions = {}): Promise<PostedMessage> {
      const { conversationId, reference } = await referenceFor(to);
      const threadId = postOptions.threadOf
        ? (postOptions.threadOf.threadId ?? postOptions.threadOf.messageId)
        : undefined;
      // In a channel, a reply chain is addressed as `<channel id>;messageid=<root message id>`.
      const target = threadId
        ? { ...reference, conversation: { ...reference.conversation, id: `${conversationId};messageid=${threadId}` } }
        : reference;
      let messageId = "";
      await send("post", conversationId, target as Partial<ConversationReference>, async (context) => {
        const response = await context.sendActivity(cardActivity(reply));
        messageId = response?.id ?? "";
      });
      return {
        platform: "teams",
        conversationId,
        messageId,
        ...(threadId ? { threadId } : { threadId: messageId }),
      };
    },

    async update(message: PostedMessage, reply: Reply): Promise<void> {
      const { conversationId, reference } = await referenceFor({ conversationId: message.conversationId });
      await send("update", conversationId, reference, updateLogic(message.messageId, reply));
    },

    async updateWithReference(stored: unknown, messageId: string, reply: Reply): Promise<void> {
      const reference = toConversationReference(stored);
      const conversationId = baseConversationId(reference?.conversation?.id ?? "");
      if (!reference || !conversationId) throw new DeliveryError("failed", "The conversation reference is unusable.");
      await send("update", conversationId, reference, updateLogic(messageId, reply));
    },
  };
}
