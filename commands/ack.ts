import { z } from "zod";
import { personName } from "../src/access/caller.js";
import { formatMoment } from "../src/fleet/fleetFigures.js";
import { BotError } from "../src/foundation/botError.js";
import { reply } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import { callerLabel, requireStore } from "../src/watch/watchCaller.js";

/** `ack <incident-id>`: someone is on it; reminders stop, the recovery is still posted. */
export const ackCommand = defineCommand({
  name: "ack",
  aliases: ["acknowledge"],
  summary: "Acknowledge an incident: records who is on it and stops its reminders.",
  usage: "ack <incident-id>",
  help: "Records that you are handling the incident (your name shows on it in `incidents`) and stops its reminders. The recovery message is still posted when the problem clears. Incident ids are on each alert and in `incidents`.",
  examples: ["ack 12", "ack #12"],
  access: "operator",
  args: z.object({
    id: z.coerce
      .number({ error: "give the incident number, e.g. `ack 12` (see `incidents`)" })
      .int("give the incident number, e.g. `ack 12`")
      .positive("give the incident number, e.g. `ack 12`"),
  }),
  input: (line) => ({ id: line.positionals[0]?.replace(/^#/, "") }),
  run: async ({ id }, { services, caller }) => {
    const store = requireStore(services);
    const incident = await store.getIncident(id);
    if (!incident) throw new BotError("not_found", `There is no incident #${id}. \`incidents\` lists the open ones.`);
    if (incident.resolvedAt) {
      throw new BotError(
        "not_found",
        `Incident #${id} (${incident.node}) already cleared at ${formatMoment(incident.resolvedAt, services.now())}.`,
      );
    }
    if (incident.ackedBy) {
      return reply(`Incident #${id} was already acknowledged by ${personName(incident.ackedBy)}.`, {
        status: "info",
      }).build();
    }
    const by = callerLabel(caller);
    await store.ackIncident(id, by, services.now().toISOString());
    return reply(`Incident #${id} (${incident.node}: ${incident.summary}) acknowledged by ${personName(by)}.`, {
      status: "ok",
    })
      .text("No more reminders for it; the recovery is still posted here when it clears.")
      .build();
  },
});
