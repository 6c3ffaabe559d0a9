import { z } from "zod";
import { personName } from "../src/access/caller.js";
import { formatMoment, formatWhen } from "../src/fleet/fleetFigures.js";
import { reply } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import type { Incident } from "../src/store/store.js";
import { requireStore } from "../src/watch/watchCaller.js";

const kindLabel: Record<Incident["kind"], string> = {
  stalled: "stalled",
  unreachable: "unreachable",
  service_stopped: "service stopped",
  error_state: "scanner error",
};

/** Rows shown; the rest are counted. */
const shownRows = 25;

/** `incidents` lists the open incidents; `incidents --all` the recent ones, closed included. */
export const incidentsCommand = defineCommand({
  name: "incidents",
  summary: "List open incidents (stalls, unreachable agents, stopped services, scanner errors).",
  usage: "incidents [--all]",
  help: "Lists the incidents the watcher has open, oldest problem first, with who acknowledged them. `--all` shows the most recent ones, resolved included. `ack <id>` acknowledges one (no more reminders).",
  examples: ["incidents", "incidents --all"],
  access: "viewer",
  args: z.object({ all: z.boolean() }),
  input: (line) => ({ all: line.flags.all === true || line.positionals[0]?.toLowerCase() === "all" }),
  run: async ({ all }, { services }) => {
    const store = requireStore(services);
    const now = services.now();
    const incidents = all ? await store.listIncidents({ limit: 200 }) : await store.listIncidents({ open: true });
    const sorted = all ? incidents : [...incidents].sort((a, b) => a.since.localeCompare(b.since));
    if (sorted.length === 0) {
      return reply(all ? "No incidents recorded yet." : "No open incidents.", { status: "ok" })
        .status(
          "ok",
          all ? "The watcher has not recorded any incident." : "No open incidents: every watched node looks fine.",
        )
        .build();
    }
    const open = sorted.filter((i) => i.resolvedAt === null);
    const builder = reply(`${open.length} open incident(s)`, { status: open.length ? "warn" : "ok" })
      .heading(all ? "Recent incidents" : "Open incidents")
      .table(
        ["#", "Node", "Problem", "Since", "State"],
        sorted.slice(0, shownRows).map((i) => ({
          cells: [
            `#${i.id}`,
            i.node,
            `${kindLabel[i.kind]}: ${i.summary}`,
            formatWhen(i.since, now),
            i.resolvedAt
              ? `resolved ${formatMoment(i.resolvedAt, now)}`
              : i.ackedBy
                ? `acknowledged by ${personName(i.ackedBy)}`
                : "open",
          ],
          status: i.resolvedAt ? ("ok" as const) : i.ackedBy ? ("info" as const) : ("warn" as const),
        })),
        sorted.length,
        [
          { label: "Incident", from: [0, 1] },
          { label: "Problem", from: [2] },
          { label: "Since", from: [3] },
          { label: "State", from: [4] },
        ],
      );
    return builder
      .actions(
        open
          .filter((i) => !i.ackedBy)
          .slice(0, 5)
          .map((i) => ({ label: `Acknowledge #${i.id}`, command: `ack ${i.id}` })),
      )
      .build();
  },
});
