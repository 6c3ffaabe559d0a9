import type { App } from "@slack/bolt";
import { BotError } from "../../src/foundation/botError.js";
import { errorReply } from "../../src/reply/errorReply.js";
import type { AdapterContext } from "./adapterContext.js";
import { buttonActionPrefix } from "./blockKit.js";
import { failureOf } from "./slackDelivery.js";
import { buttonClickSchema } from "./slackPayloads.js";
import { answerInThread } from "./threadReply.js";

/**
 * Buttons (and the overflow menu's options) rendered from a reply's actions: the click runs the button's command
 * for the person who clicked (the router checks their access), after the value
 * is verified; answers go to the message's thread, or by DM from App Home.
 */
export function registerButtonListener(app: App, ctx: AdapterContext): void {
  const actionId = new RegExp(`^${buttonActionPrefix}\\d{1,3}$`);
  app.action({ type: "block_actions", action_id: actionId }, async ({ body, ack }) => {
    await ack();
    const parsed = buttonClickSchema.safeParse(body);
    if (!parsed.success) {
      ctx.logger.warn({ issues: parsed.error.issues.length }, "slack: malformed button payload");
      return;
    }
    const { user, channel, message, actions } = parsed.data;
    const clicked = actions.find((a) => actionId.test(a.action_id)) ?? actions[0];
    const decoded = ctx.buttons.decode(clicked?.value ?? clicked?.selected_option?.value);
    const caller = {
      platform: "slack" as const,
      userId: user.id,
      ...(user.name ? { userName: user.name } : {}),
      ...(channel ? { conversationId: channel.id } : {}),
    };
    const target = channel
      ? {
          channel: channel.id,
          ...(message ? { threadTs: message.thread_ts ?? message.ts } : {}),
          userId: user.id,
          direct: channel.id.startsWith("D"),
        }
      : { channel: user.id, userId: user.id, direct: true };
    const valid = decoded && ctx.router.find(decoded.parsed.name);
    if (!decoded || !valid) ctx.logger.warn({ user: user.id }, "slack: refused a button with an invalid value");
    const dispatch =
      decoded && valid
        ? ctx.router.dispatch(decoded.line, caller)
        : {
            result: Promise.resolve(
              errorReply(
                new BotError("bad_arguments", "That button is no longer valid."),
                "Run the command yourself, e.g. `/scanner help`.",
              ),
            ),
          };
    try {
      await answerInThread(ctx, target, dispatch);
    } catch (err) {
      ctx.logger.warn({ failure: failureOf(err) }, "slack: answering a button failed");
    }
  });
}
