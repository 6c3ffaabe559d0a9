import { type Reply, seenByEveryone } from "../../src/reply/reply.js";
import type { Dispatch } from "../../src/routing/router.js";
import type { AdapterContext } from "./adapterContext.js";
import { uploadCharts } from "./chartUpload.js";

/** Where an answer to a message goes: the conversation, the thread and the person who asked. */
export interface ThreadTarget {
  channel: string;
  /** Thread to answer in; absent for a direct message to the user (App Home buttons). */
  threadTs?: string;
  userId: string;
  /** A DM with the bot: everything there is private already, so no ephemeral messages. */
  direct: boolean;
}

const privately = "Sent you the answer privately.";

/** Posts a reply; private replies in shared channels become ephemeral. Returns the ts of a visible message. */
async function send(ctx: AdapterContext, target: ThreadTarget, reply: Reply): Promise<string | undefined> {
  const message = ctx.render(reply);
  const thread = target.threadTs ? { thread_ts: target.threadTs } : {};
  if (!seenByEveryone(reply) && !target.direct) {
    await ctx.client.chat.postEphemeral({ channel: target.channel, user: target.userId, ...message, ...thread });
    return undefined;
  }
  const posted = await ctx.client.chat.postMessage({ channel: target.channel, ...message, ...thread });
  return posted.ts;
}

/**
 * Answers in a thread: the placeholder first (when the command has one), then
 * the full answer replacing it. Slack failures go to the caller.
 */
export async function answerInThread(ctx: AdapterContext, target: ThreadTarget, dispatch: Dispatch): Promise<void> {
  const placeholderTs = dispatch.placeholder ? await send(ctx, target, dispatch.placeholder) : undefined;
  const result = await dispatch.result;
  // Rendering and posting wait while other requests are still to be acknowledged.
  await ctx.router.services.lane.turn();
  if (!placeholderTs) {
    await send(ctx, target, result);
    await sendCharts(ctx, target, result);
    return;
  }
  const publicAnswer = seenByEveryone(result) || target.direct;
  const replacement = publicAnswer ? result : { text: privately, blocks: [], visibility: "channel" as const };
  await ctx.client.chat.update({ channel: target.channel, ts: placeholderTs, ...ctx.render(replacement) });
  if (!publicAnswer) await send(ctx, target, result);
  await sendCharts(ctx, target, result);
}

/** Uploads the answer's charts into the same thread; a failure is explained to the asker alone. */
async function sendCharts(ctx: AdapterContext, target: ThreadTarget, result: Reply): Promise<void> {
  if (!seenByEveryone(result) && !target.direct) return;
  const thread = target.threadTs ? { threadTs: target.threadTs } : {};
  const problem = await uploadCharts(
    ctx.client,
    { ...result, visibility: "channel" },
    { channel: target.channel, ...thread },
    ctx.logger,
  );
  if (problem) await send(ctx, target, { text: problem, blocks: [], visibility: "private" });
}
