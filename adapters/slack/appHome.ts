import { type Reply, reply } from "../../src/reply/reply.js";
import type { AdapterContext } from "./adapterContext.js";
import { slackLimits } from "./blockKit.js";
import { failureOf } from "./slackDelivery.js";
import { homeOpenedSchema } from "./slackPayloads.js";

/** Joins the home's parts into one reply, a divider between them. */
function combine(title: string, parts: Reply[]): Reply {
  const builder = reply(title).heading(title);
  parts.forEach((part, i) => {
    if (i > 0) builder.divider();
    // A reply without blocks (a bare placeholder) is all summary line.
    if (part.blocks.length === 0) builder.text(part.text);
    else builder.append(part);
  });
  return builder.build();
}

/**
 * The App Home tab: the fleet at a glance (the `status` command's reply, plus
 * `incidents` when the bot has that command), or a welcome with help when no
 * fleet is configured (explain-only mode). Runs on `app_home_opened`.
 */
export async function publishAppHome(ctx: AdapterContext, event: unknown): Promise<void> {
  const parsed = homeOpenedSchema.safeParse(event);
  if (!parsed.success || (parsed.data.tab && parsed.data.tab !== "home")) return;
  const userId = parsed.data.user;
  const caller = { platform: "slack" as const, userId };
  const publish = async (home: Reply) => {
    const { blocks } = ctx.render(home, slackLimits.blocksPerHomeView);
    await ctx.client.views.publish({ user_id: userId, view: { type: "home", blocks } });
  };
  const names = ["status", "incidents"].filter((name) => ctx.router.find(name));
  try {
    if (names.length === 0 || !ctx.router.services.fleet) {
      const help = await ctx.router.dispatch("help", caller).result;
      const welcome = reply("scanner-bot")
        .text(
          "Hi! I help with the Purview Information Protection scanner. No fleet is set up in this bot yet, so I can explain scanner errors: paste one in a DM, mention me with it, or use *Explain error* on any message.",
        )
        .build();
      await publish(combine("scanner-bot", [welcome, help]));
      return;
    }
    const dispatches = names.map((name) => ctx.router.dispatch(name, caller));
    const placeholders = dispatches.flatMap((d) => (d.placeholder ? [d.placeholder] : []));
    if (placeholders.length > 0) await publish(combine("Scanner fleet", placeholders));
    const results = await Promise.all(dispatches.map((d) => d.result));
    await publish(combine("Scanner fleet", results));
  } catch (err) {
    ctx.logger.warn({ failure: failureOf(err) }, "slack: publishing App Home failed");
  }
}
