import type { Reply } from "../../src/reply/reply.js";
import { renderAdaptiveCard } from "./adaptiveCard.js";

/**
 * The body a Teams Workflows webhook ("post to a channel when a webhook request is received") takes: a message
 * with one Adaptive Card attachment, rendered as the bot renders it (and kept under the same size). Legacy
 * MessageCard payloads are refused by Workflows. https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook
 */
export function workflowPayload(reply: Reply): {
  type: "message";
  attachments: { contentType: string; contentUrl: null; content: unknown }[];
} {
  return {
    type: "message",
    attachments: [
      { contentType: "application/vnd.microsoft.card.adaptive", contentUrl: null, content: renderAdaptiveCard(reply) },
    ],
  };
}
