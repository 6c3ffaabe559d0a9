import { type Activity, ActivityTypes, type Attachment, CardFactory } from "botbuilder";
import type { Reply } from "../../src/reply/reply.js";
import { renderAdaptiveCard, truncate } from "./adaptiveCard.js";
import { cardProse } from "./cardMarkdown.js";

/** The Adaptive Card attachment for a reply. */
export function cardAttachment(reply: Reply): Attachment {
  return CardFactory.adaptiveCard(renderAdaptiveCard(reply));
}

/**
 * The message activity for a reply. A reply that is only its one-line summary
 * ("Checking 3 nodes…", "scan-01 was not snoozed.") goes as text: notifications,
 * the chat list and screen readers read it, and there is no card with an empty
 * body. Any other reply is a card that opens with what happened (its heading or
 * status line) plus `summary`; no `text`, which Teams would show above the card
 * as a second copy of the headline.
 */
export function teamsActivity(reply: Reply): Partial<Activity> {
  if (reply.blocks.length === 0) {
    return {
      type: ActivityTypes.Message,
      text: cardProse(reply.text),
      textFormat: "markdown",
      summary: truncate(reply.text, 200),
    };
  }
  return {
    type: ActivityTypes.Message,
    attachments: [cardAttachment(reply)],
    summary: truncate(reply.text, 200),
  };
}

/** Former name of `teamsActivity`, kept for callers written before text-only replies went as text. */
export const cardActivity = teamsActivity;
