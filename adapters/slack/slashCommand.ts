import type { App, RespondArguments, RespondFn } from "@slack/bolt";
import type { Reply } from "../../src/reply.js";
import type { Dispatch } from "../../src/router.js";
import type { AdapterContext } from "./adapterContext.js";
import { failureOf } from "./slackDelivery.js";
import { slashCommandPayloadSchema } from "./slackPayloads.js";

/**
 * The answer if the command already finished (`help` and other answers that
 * need no I/O settle within a few microtask turns), else undefined. Microtasks
 * only: yielding to the event loop would make this ack wait behind every other
 * request in flight.
 */
async function answeredAlready<T>(promise: Promise<T>, turns = 8): Promise<T | undefined> {
  let settled: { value: T } | undefined;
  promise.then(
    (value) => {
      settled = { value };
    },
    () => undefined,
  );
  for (let i = 0; i < turns && !settled; i++) await Promise.resolve();
  return settled?.value;
}

/**
 * A reply as a slash-command response: `channel` replies in channel, the rest
 * ephemeral. A reply that is only a line of text (most placeholders) goes
 * without blocks: Slack shows the text the same, and the ack stays small.
 */
function response(ctx: AdapterContext, reply: Reply): RespondArguments & { response_type: "in_channel" | "ephemeral" } {
  const response_type = reply.visibility === "channel" ? "in_channel" : "ephemeral";
  const message = ctx.render(reply);
  return reply.blocks.length === 0 ? { response_type, text: message.text } : { response_type, ...message };
}

/** Sends the finished answer through the response URL, replacing the placeholder. Never rejects. */
async function deliverLater(ctx: AdapterContext, dispatch: Dispatch, respond: RespondFn): Promise<void> {
  const result = await dispatch.result;
  try {
    const placeholder = dispatch.placeholder;
    if (placeholder && placeholder.visibility === result.visibility) {
      await respond({ ...response(ctx, result), replace_original: true });
      return;
    }
    // Slack can't turn an ephemeral message into a public one (or back): remove it, then answer anew.
    if (placeholder) await respond({ delete_original: true }).catch(() => undefined);
    await respond({ ...response(ctx, result), replace_original: false });
  } catch (err) {
    ctx.logger.warn(
      { failure: failureOf(err), command: dispatch.commandName },
      "slack: delivering a slash command answer failed",
    );
  }
}

/**
 * `/scanner …`: acknowledged at once (with the answer when it is already
 * there, else with the command's placeholder), the full answer sent later
 * through the response URL, replacing the placeholder.
 */
export function registerSlashCommand(app: App, ctx: AdapterContext): void {
  app.command(ctx.settings.slashCommand, async ({ command, ack, respond }) => {
    const payload = slashCommandPayloadSchema.safeParse(command);
    if (!payload.success) {
      ctx.logger.warn({ issues: payload.error.issues.length }, "slack: malformed slash command payload");
      await ack({ response_type: "ephemeral", text: "I couldn't read that command; please try again." });
      return;
    }
    const { text, user_id, user_name, channel_id } = payload.data;
    const dispatch = ctx.router.dispatch(text, {
      platform: "slack",
      userId: user_id,
      ...(user_name ? { userName: user_name } : {}),
      conversationId: channel_id,
    });
    const ready = await answeredAlready(dispatch.result);
    const first = ready ?? dispatch.placeholder;
    await ack(first ? response(ctx, first) : undefined);
    if (ready) return;

    // Not awaited: the listener returns right after the ack, so Bolt releases the request (body,
    // sockets, context) now instead of holding it for as long as the command runs.
    void deliverLater(ctx, dispatch, respond);
  });
}
