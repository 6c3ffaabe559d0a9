import { z } from "zod";
import { personName } from "../src/access/caller.js";
import { formatMoment } from "../src/fleet/fleetFigures.js";
import { BotError } from "../src/foundation/botError.js";
import { formatDuration, parseDuration } from "../src/foundation/duration.js";
import { reply } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import { callerLabel, knownNode, requireStore } from "../src/watch/watchCaller.js";

/** Longest snooze: a week, so a forgotten snooze cannot silence a node for good. */
const maxSnoozeMs = 7 * 86_400_000;

/** `snooze <node> <duration>` holds a node's alerts and reminders; `snooze <node> off` ends it. */
export const snoozeCommand = defineCommand({
  name: "snooze",
  summary: "Hold a node's alerts and reminders for a while (e.g. during maintenance).",
  usage: "snooze <node> <duration|off>",
  help: "Holds new alerts and reminders for the node until the time runs out (at most 7 days). Incidents still open then, and any new ones, are posted when the snooze ends; recoveries are always posted. `snooze <node> off` ends a snooze early.",
  examples: ["snooze scan-01 1h", "snooze scan-02 4h", "snooze scan-01 off"],
  access: "operator",
  args: z.object({
    node: z.string({ error: "name the node to snooze" }).min(1).max(63),
    duration: z
      .string({ error: "say for how long, e.g. `1h`, `30m`, `2d`, or `off`" })
      .refine((d) => d.toLowerCase() === "off" || parseDuration(d) !== undefined, {
        message: "use a duration such as 30m, 1h, 4h or 2d, or `off`",
      }),
  }),
  input: (line) => ({ node: line.positionals[0], duration: line.positionals[1] }),
  run: async ({ node, duration }, { services, caller }) => {
    const store = requireStore(services);
    const name = knownNode(services, node);
    if (duration.toLowerCase() === "off") {
      const cleared = await store.clearSnooze(name);
      return reply(cleared ? `Snooze on ${name} ended: alerts are back on.` : `${name} was not snoozed.`, {
        status: cleared ? "ok" : "info",
      }).build();
    }
    const ms = parseDuration(duration) ?? 0;
    if (ms > maxSnoozeMs) {
      throw new BotError("bad_arguments", `A snooze lasts at most 7 days; ${formatDuration(ms)} is longer.`);
    }
    const now = services.now();
    const until = new Date(now.getTime() + ms);
    const by = callerLabel(caller);
    await store.setSnooze({ node: name, until: until.toISOString(), by, createdAt: now.toISOString() });
    return reply(
      `Alerts for ${name} snoozed by ${personName(by)} for ${formatDuration(ms)}, until ${formatMoment(until, now)}.`,
      { status: "ok" },
    )
      .text("Recoveries are still posted. If the problem is still there when the snooze ends, the alert follows then.")
      .actions([{ label: "End snooze", command: `snooze ${name} off` }])
      .build();
  },
});
