import type { App, RespondArguments } from "@slack/bolt";
import { type Reply, seenByEveryone } from "../../src/reply/reply.js";
import type { Dispatch } from "../../src/routing/router.js";
import type { AdapterContext } from "./adapterContext.js";
import { fallbackText } from "./blockKit.js";
import { uploadCharts } from "./chartUpload.js";
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
 * without blocks: Slack shows the text the same, and the message stays small.
 */
function response(ctx: AdapterContext, reply: Reply): RespondArguments & { response_type: "in_channel" | "ephemeral" } {
  const response_type = seenByEveryone(reply) ? "in_channel" : "ephemeral";
  return reply.blocks.length === 0
    ? { response_type, text: fallbackText(reply) }
    : { response_type, ...ctx.render(reply) };
}

/** Resolves true if `promise` is still pending after `ms`, false once it settles first. */
function stillPendingAfter(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(true), ms);
    void promise.finally(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

/**
 * Sends the answer through the response URL (responseUrl.ts, not Bolt's fetch-based `respond`).
 * A command still working after `placeholderAfter` first shows its placeholder, which the answer
 * then replaces; a quicker answer comes alone (one message, no flicker). Never rejects.
 */
async function deliverLater(
  ctx: AdapterContext,
  dispatch: Dispatch,
  responseUrl: string,
  channel: string,
): Promise<void> {
  const lane = ctx.router.services.lane;
  const respond = (message: RespondArguments) => ctx.responseUrl.post(responseUrl, message);
  try {
    const { placeholder } = dispatch;
    const slow = placeholder ? await stillPendingAfter(dispatch.result, ctx.settings.placeholderAfter) : false;
    if (placeholder && slow) {
      await lane.turn();
      await respond(response(ctx, placeholder));
    }
    const result = await dispatch.result;
    // Rendering and posting wait while other requests are still to be acknowledged.
    await lane.turn();
    if (!placeholder || !slow) {
      await respond(response(ctx, result));
    } else if (seenByEveryone(placeholder) === seenByEveryone(result)) {
      await respond({ ...response(ctx, result), replace_original: true });
    } else {
      // Slack can't turn an ephemeral message into a public one (or back): remove it, then answer anew.
      await respond({ delete_original: true }).catch(() => undefined);
      await respond({ ...response(ctx, result), replace_original: false });
    }
    const chartNotice = await uploadCharts(ctx.client, result, { channel }, ctx.logger);
    if (chartNotice) await respond({ response_type: "ephemeral", text: chartNotice, replace_original: false });
  } catch (err) {
    ctx.logger.warn(
      { failure: failureOf(err), command: dispatch.commandName },
      "slack: delivering a slash command answer failed",
    );
  }
}

/**
 * `/scanner …`: acknowledged at once, with the answer itself when it is
 * already there (`help`, `explain`), else with an empty ack; the answer
 * follows through the response URL.
 */
export function registerSlashCommand(app: App, ctx: AdapterContext): void {
  app.command(ctx.settings.slashCommand, async ({ command, ack }) => {
    const payload = slashCommandPayloadSchema.safeParse(command);
    if (!payload.success) {
      ctx.logger.warn({ issues: payload.error.issues.length }, "slack: malformed slash command payload");
      await ack({ response_type: "ephemeral", text: "I couldn't read that command; please try again." });
      return;
    }
    const { text, user_id, user_name, channel_id, response_url } = payload.data;
    const dispatch = ctx.router.dispatch(text, {
      platform: "slack",
      userId: user_id,
      ...(user_name ? { userName: user_name } : {}),
      conversationId: channel_id,
    });
    // A command with a placeholder starts only after this ack (see the router), so there is nothing to wait for.
    const ready = dispatch.placeholder ? undefined : await answeredAlready(dispatch.result);
    await ack(ready ? response(ctx, ready) : undefined);
    if (ready) return;

    // Not awaited: the listener returns right after the ack, so Bolt releases the request (body,
    // sockets, context) now instead of holding it for as long as the command runs.
    void deliverLater(ctx, dispatch, response_url, channel_id);
  });
}
