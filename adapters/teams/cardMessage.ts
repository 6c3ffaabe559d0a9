import { type Activity, ActivityTypes, type Attachment, CardFactory } from "botbuilder";
import type { Reply } from "../../src/reply/reply.js";
import { renderAdaptiveCard, truncate } from "./adaptiveCard.js";

/** The Adaptive Card attachment for a reply. */
export function cardAttachment(reply: Reply): Attachment {
  return CardFactory.adaptiveCard(renderAdaptiveCard(reply));
}

/**
 * A message activity carrying a reply as a card. `summary` is what Teams shows
 * in notifications and the chat list, where cards have no text of their own.
 */
export function cardActivity(reply: Reply): Partial<Activity> {
  return {
    type: ActivityTypes.Message,
    attachments: [cardAttachment(reply)],
    summary: truncate(reply.text, 200),
  };
}
