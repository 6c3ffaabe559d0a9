import type { ConversationAddress, Delivery, PostedMessage, PostOptions } from "../../src/delivery/delivery.js";
import { reply as buildReply, type Reply } from "../../src/reply/reply.js";
import type { ShellConsole } from "./shellConsole.js";

/**
 * Proactive messages in the local console: each post is printed between
 * commands through the console's `notify`. A console cannot edit what it
 * already printed, so `update` prints nothing; the thread reply (the recovery)
 * carries the news. Until a console is attached, messages wait and are
 * printed on attach, so the watcher may start before the console does.
 */
export class ShellDelivery implements Delivery {
  readonly platform = "shell" as const;
  private target: Pick<ShellConsole, "notify"> | undefined;
  private readonly waiting: Reply[] = [];
  private seq = 0;

  /** Prints through this console from now on, starting with anything that waited. */
  attach(target: Pick<ShellConsole, "notify">): void {
    this.target = target;
    for (const waiting of this.waiting.splice(0)) target.notify(waiting);
  }

  async post(to: ConversationAddress, message: Reply, options: PostOptions = {}): Promise<PostedMessage> {
    const id = `shell-${++this.seq}`;
    // In a thread, say which alert this answers: the console has no threads to show it.
    const shown = options.threadOf
      ? {
          ...message,
          blocks: [
            ...buildReply("").text(`(re: message ${options.threadOf.messageId})`).build().blocks,
            ...message.blocks,
          ],
        }
      : message;
    if (this.target) this.target.notify(shown);
    else this.waiting.push(shown);
    return {
      platform: "shell",
      conversationId: to.conversationId,
      messageId: id,
      ...(options.threadOf ? { threadId: options.threadOf.threadId ?? options.threadOf.messageId } : {}),
    };
  }

  async update(_message: PostedMessage, _reply: Reply): Promise<void> {}
}
