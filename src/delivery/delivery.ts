import type { Reply } from "../reply/reply.js";

/**
 * How the core sends messages nobody asked for (stall alerts, reminders,
 * recoveries, action outcomes). Each chat adapter implements `Delivery`; the
 * watcher only sees this interface.
 */
export type Platform = "shell" | "slack" | "teams" | NotifyOnlyPlatform;

/** Webhook channels: they take a post and nothing else (no edit, no thread, no button that calls back). */
export type NotifyOnlyPlatform = "slack-webhook" | "teams-workflow";

/** Where to post: a channel / chat, plus whatever the platform needs to reach it again. */
export interface ConversationAddress {
  platform: Platform;
  conversationId: string;
  /** Platform data needed for proactive sends (Teams: the serialized ConversationReference). */
  reference?: unknown;
}

/** A message that was posted, so it can be updated or replied to in a thread. */
export interface PostedMessage {
  platform: Platform;
  conversationId: string;
  messageId: string;
  /** Root of the thread the message lives in, when the platform threads replies. */
  threadId?: string;
}

export interface PostOptions {
  /** Post as a reply in this message's thread (Slack thread, Teams reply chain). */
  threadOf?: PostedMessage;
  /**
   * The message is a live scan card that later `update`s keep current. A platform that cannot edit (the
   * console) shows each version as one short line instead.
   */
  liveCard?: boolean;
}

export interface Delivery {
  readonly platform: Platform;
  post(to: ConversationAddress, reply: Reply, options?: PostOptions): Promise<PostedMessage>;
  update(message: PostedMessage, reply: Reply): Promise<void>;
}

/**
 * A failed send. `gone`: the bot was removed from the conversation (retire it);
 * `message_gone`: the message to update no longer exists (someone deleted it);
 * `rate_limited`: retry after `retryAfterMs`; `failed`: anything else.
 */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  constructor(
    readonly kind: "gone" | "message_gone" | "rate_limited" | "failed",
    message: string,
    readonly retryAfterMs?: number,
    options: { cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}
