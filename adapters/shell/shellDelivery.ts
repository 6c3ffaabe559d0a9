import type { ConversationAddress, Delivery, PostedMessage, PostOptions } from "../../src/delivery/delivery.js";
import { reply as buildReply, type Reply } from "../../src/reply/reply.js";
import type { ShellConsole } from "./shellConsole.js";

/** Message ids of live cards. */
const cardPrefix = "shell-card-";

/** What the console prints through: alerts whole, live card versions as one line (when it can). */
type ShellTarget = Pick<ShellConsole, "notify"> & Partial<Pick<ShellConsole, "progress">>;

/**
 * Proactive messages in the local console: each post is printed between
 * commands through the console's `notify`. A console cannot edit what it
 * already printed, so `update` of an alert prints nothing; the thread reply
 * (the recovery) carries the news. A live scan card is the exception: each
 * version (the post and every edit) prints as one short progress line, so the
 * console shows the scan move without a wall of cards. Until a console is
 * attached, messages wait and are printed on attach, so the watcher may start
 * before the console does.
 */
export class ShellDelivery implements Delivery {
  readonly platform = "shell" as const;
  private target: ShellTarget | undefined;
  private readonly waiting: { reply: Reply; line: boolean }[] = [];
  /** Live cards' last printed lines; a card's id says it is one, so a restarted console keeps printing its edits. */
  private readonly cards = new Map<string, string>();
  private seq = 0;

  /** Prints through this console from now on, starting with anything that waited. */
  attach(target: ShellTarget): void {
    this.target = target;
    for (const waiting of this.waiting.splice(0)) this.show(waiting.reply, waiting.line);
  }

  private show(message: Reply, line: boolean): void {
    if (!this.target) {
      this.waiting.push({ reply: message, line });
      return;
    }
    if (line && this.target.progress) this.target.progress(message.text);
    else this.target.notify(message);
  }

  async post(to: ConversationAddress, message: Reply, options: PostOptions = {}): Promise<PostedMessage> {
    if (options.liveCard) {
      const id = `${cardPrefix}${++this.seq}`;
      this.cards.set(id, message.text);
      this.show(message, true);
      return { platform: "shell", conversationId: to.conversationId, messageId: id };
    }
    const id = `shell-${++this.seq}`;
    // In a thread, say which alert this answers: the console has no threads to show it (a card's line is enough).
    const shown =
      options.threadOf && !options.threadOf.messageId.startsWith(cardPrefix)
        ? {
            ...message,
            blocks: [
              ...buildReply("").text(`(re: message ${options.threadOf.messageId})`).build().blocks,
              ...message.blocks,
            ],
          }
        : message;
    this.show(shown, false);
    return {
      platform: "shell",
      conversationId: to.conversationId,
      messageId: id,
      ...(options.threadOf ? { threadId: options.threadOf.threadId ?? options.threadOf.messageId } : {}),
    };
  }

  async update(message: PostedMessage, next: Reply): Promise<void> {
    // Only a live card's new version prints, and only when its line reads differently.
    if (!message.messageId.startsWith(cardPrefix) || this.cards.get(message.messageId) === next.text) return;
    this.cards.set(message.messageId, next.text);
    this.show(next, true);
  }
}
