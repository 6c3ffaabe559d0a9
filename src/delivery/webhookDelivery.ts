import type { Reply } from "../reply/reply.js";
import {
  type ConversationAddress,
  type Delivery,
  DeliveryError,
  type NotifyOnlyPlatform,
  type PostedMessage,
} from "./delivery.js";
import { notifyOnlyReply, type WebhookTarget } from "./notifyOnly.js";
import { postWebhook, type WebhookPostPolicy } from "./webhookPoster.js";

export interface WebhookDeliveryOptions {
  platform: NotifyOnlyPlatform;
  /** Named in errors and logs: "Slack webhook", "Teams workflow". */
  service: string;
  /** The configured webhooks of this platform (any cluster); looked up by conversation id. */
  targets: readonly WebhookTarget[];
  /** The platform's payload for a reply that has no buttons left (see notifyOnlyReply). */
  render: (reply: Reply) => unknown;
  policy?: WebhookPostPolicy;
  now?: () => Date;
}

/**
 * A Delivery over webhooks. It can only post: there is no message to edit later (`update` does nothing) and
 * no thread (a recovery is its own post, which names the incident it closes), and buttons become commands in text.
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions): Delivery {
  const urls = new Map(options.targets.map((t) => [t.id, t.url]));
  const now = options.now ?? (() => new Date());
  let sequence = 0;
  return {
    platform: options.platform,
    async post(to: ConversationAddress, reply: Reply): Promise<PostedMessage> {
      const url = urls.get(to.conversationId);
      if (!url) {
        throw new DeliveryError("failed", `no ${options.platform} channel named ${to.conversationId} is configured`);
      }
      await postWebhook(url, options.render(notifyOnlyReply(reply)), options.service, options.policy);
      sequence += 1;
      // Webhooks return no message id; this one only tells the notification log the post went out.
      return {
        platform: options.platform,
        conversationId: to.conversationId,
        messageId: `posted-${now().getTime()}-${sequence}`,
      };
    },
    async update(): Promise<void> {
      // A webhook message cannot be edited; the recovery post carries the news instead.
    },
  };
}
