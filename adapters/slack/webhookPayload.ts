import type { Reply } from "../../src/reply/reply.js";
import { renderBlockKit } from "./blockKit.js";

/**
 * The body of a Slack incoming-webhook post: `{ text, blocks }` from the same Block Kit renderer as the bot,
 * so Slack's limits (50 blocks, text lengths) hold and whatever does not fit ends in a "… more" note.
 * https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks
 */
export function slackWebhookPayload(reply: Reply): { text: string; blocks: unknown[] } {
  // No buttons reach a webhook (notifyOnlyReply turned them into text), so no value needs signing.
  const { text, blocks } = renderBlockKit(reply, { buttonValue: () => "" });
  return { text, blocks };
}
