import { z } from "zod";
import { personName } from "../src/access/caller.js";
import { formatMoment, formatWhen } from "../src/fleet/fleetFigures.js";
import { reply, type Status } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import type { Incident } from "../src/store/store.js";
import { currentSummary } from "../src/watch/alertMessage.js";
import { requireStore } from "../src/watch/watchCaller.js";
import type { WatchControl } from "../src/watch/watcher.js";

const kindLabel: Record<Incident["kind"], string> = {
  stalled: "stalled",
  unreachable: "unreachable",
  service_stopped: "service stopped",
  error_state: "scanner error",
};

/** Rows shown; the rest are counted. */
const shownRows = 25;

/**
 * What "no open incident" means right now. Only nodes the watcher has polled and found well are
 * "fine": an unpolled node, or one in trouble that has not alerted yet (snoozed, or not long enough), is not.
 */
function whyNothingIsOpen(watcher: WatchControl | undefined): { status: Status; text: string } {
  if (!watcher) {
    return {
      status: "warn",
      text: "No open incidents, but the watcher is not running in this bot, so no node is being checked.",
    };
  }
  const assessments = watcher.assessments();
  if (assessments.length === 0) {
    return { status: "info", text: "No open incidents: the watcher has no node to check (no cluster configured)." };
  }
  const troubled = assessments.filter((a) => a.status === "error" || a.status === "warn");
  const unpolled = assessments.filter((a) => a.state === "unknown");
  const parts = [
    troubled.length
      ? `${troubled.length} node(s) look wrong without an open incident yet: ${troubled.map((a) => `${a.node} (${a.state})`).join(", ")}`
      : "",
    unpolled.length ? `${unpolled.length} node(s) not polled yet` : "",
  ].filter(Boolean);
  if (parts.length === 0) {
    return { status: "ok", text: `No open incidents: all ${assessments.length} watched node(s) look fine.` };
  }
  return {
    status: troubled.length ? "warn" : "info",
    text: `No open incidents, but ${parts.join("; ")}. \`watch status\` shows how each node looks.`,
  };
}

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
      if (all) {
        return reply("No incidents recorded yet.", { status: "ok" })
          .status("ok", "The watcher has not recorded any incident.")
          .build();
      }
      const quiet = whyNothingIsOpen(services.watcher);
      return reply("No open incidents.", { status: quiet.status }).status(quiet.status, quiet.text).build();
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
            `${kindLabel[i.kind]}: ${currentSummary(i, i.resolvedAt ? new Date(i.resolvedAt) : now)}`,
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
