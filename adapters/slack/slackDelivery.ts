import { webApi } from "@slack/bolt";
import { z } from "zod";
import {
  type ConversationAddress,
  type Delivery,
  DeliveryError,
  type PostedMessage,
} from "../../src/delivery/delivery.js";
import type { Reply } from "../../src/reply/reply.js";
import type { SlackMessage } from "./blockKit.js";

/** Slack errors meaning the bot can no longer post there: the conversation should be retired. */
const goneErrors = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "account_inactive",
  "user_not_found",
  "cannot_dm_bot",
]);

/** Slack errors of chat.update meaning the message itself is gone (deleted): post a new one instead. */
const messageGoneErrors = new Set(["message_not_found", "cant_update_message"]);

const webApiErrorSchema = z.object({
  code: z.string(),
  data: z.object({ error: z.string() }).optional(),
  retryAfter: z.number().optional(),
});

/** The Slack error string of a failed Web API call (`not_in_channel`, …), when it has one. */
export function slackErrorOf(err: unknown): string | undefined {
  const parsed = webApiErrorSchema.safeParse(err);
  return parsed.success ? parsed.data.data?.error : undefined;
}

/**
 * What of a failed Slack call is safe to log. The error objects themselves
 * carry the HTTP client's request config, Authorization header (the bot
 * token) included, so they never go to the log whole.
 */
export function failureOf(err: unknown): { code?: string; slackError?: string; message: string } {
  const parsed = webApiErrorSchema.safeParse(err);
  const message = err instanceof Error ? err.message.slice(0, 300) : "unknown failure";
  if (!parsed.success) return { message };
  return { code: parsed.data.code, ...(parsed.data.data ? { slackError: parsed.data.data.error } : {}), message };
}

/** Maps a Web API failure onto the core's DeliveryError kinds. */
export function toDeliveryError(err: unknown): DeliveryError {
  const parsed = webApiErrorSchema.safeParse(err);
  if (!parsed.success) return new DeliveryError("failed", "Slack call failed", undefined, { cause: err });
  const { code, data, retryAfter } = parsed.data;
  if (code === webApi.ErrorCode.RateLimitedError) {
    return new DeliveryError("rate_limited", "Slack rate limit", (retryAfter ?? 1) * 1000, { cause: err });
  }
  if (data && goneErrors.has(data.error)) {
    return new DeliveryError("gone", `Slack: ${data.error}`, undefined, { cause: err });
  }
  if (data && messageGoneErrors.has(data.error)) {
    return new DeliveryError("message_gone", `Slack: ${data.error}`, undefined, { cause: err });
  }
  return new DeliveryError("failed", `Slack: ${data?.error ?? code}`, undefined, { cause: err });
}

/**
 * Proactive messages (alerts, recoveries) through the Web API. The WebClient
 * already waits out 429s (Retry-After) and retries; what still fails arrives
 * here as a DeliveryError.
 */
export function createSlackDelivery(client: webApi.WebClient, render: (reply: Reply) => SlackMessage): Delivery {
  return {
    platform: "slack",
    async post(to: ConversationAddress, reply, options = {}): Promise<PostedMessage> {
      const threadTs = options.threadOf ? (options.threadOf.threadId ?? options.threadOf.messageId) : undefined;
      let ts: string | undefined;
      let channel: string | undefined;
      try {
        const answer = await client.chat.postMessage({
          channel: to.conversationId,
          ...render(reply),
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
        ts = answer.ts;
        channel = answer.channel;
      } catch (err) {
        throw toDeliveryError(err);
      }
      if (!ts) throw new DeliveryError("failed", "Slack did not return the message's ts");
      return {
        platform: "slack",
        conversationId: channel ?? to.conversationId,
        messageId: ts,
        ...(threadTs ? { threadId: threadTs } : {}),
      };
    },
    async update(message, reply) {
      try {
        await client.chat.update({ channel: message.conversationId, ts: message.messageId, ...render(reply) });
      } catch (err) {
        throw toDeliveryError(err);
      }
    },
  };
}
