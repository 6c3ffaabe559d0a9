import { z } from "zod";
import { isNotifyOnly } from "../src/delivery/notifyOnly.js";
import { formatMoment, formatUtc, formatWhen } from "../src/fleet/fleetFigures.js";
import { formatDuration } from "../src/foundation/duration.js";
import { type Reply, reply, worstStatus } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import type { Services } from "../src/routing/services.js";
import { unknownOptionSchema } from "../src/routing/unknownOption.js";
import { allClusters, type Subscription } from "../src/store/store.js";
import { callerConversation, callerLabel, knownCluster, requireStore } from "../src/watch/watchCaller.js";

/** The options `watch` takes; any other `--flag` is refused (a typo must not quietly keep the card). */
const watchOptions = ["finished", "no-card"];

/** Nodes listed in `watch status` before the rest are only counted. */
const assessmentRows = 30;

function clusterLabel(cluster: string): string {
  return cluster === allClusters ? "all clusters" : `cluster ${cluster}`;
}

/** Whether the subscription gets the live scan card, and why not. */
function liveCardLabel(s: Subscription): string {
  if (isNotifyOnly(s.platform)) return "no (a webhook cannot edit)";
  return s.liveCard === false ? "no (--no-card)" : "yes";
}

async function watchStatus(
  services: Services,
  conversation: { platform: Subscription["platform"]; conversationId: string },
): Promise<Reply> {
  const store = requireStore(services);
  const mine = await store.listSubscriptions(conversation);
  const open = await store.listIncidents({ open: true });
  const snoozes = await store.listSnoozes(services.now().toISOString());
  const builder = reply(
    mine.length
      ? `This conversation watches ${mine.map((s) => clusterLabel(s.cluster)).join(", ")}`
      : "This conversation watches nothing",
  ).heading("Watch status");
  if (mine.length === 0) builder.text("No alerts come here. `watch on` subscribes this conversation to every cluster.");
  else
    builder.table(
      ["Watching", "Finished scans", "Live card", "Since", "By"],
      mine.map((s) => ({
        cells: [
          clusterLabel(s.cluster),
          s.notifyFinished ? "posted" : "not posted",
          liveCardLabel(s),
          formatWhen(s.createdAt, services.now()),
          s.createdBy,
        ],
      })),
      undefined,
      [
        { label: "Watching", from: [0] },
        { label: "Finished scans", from: [1] },
        { label: "Live card", from: [2] },
        { label: "Since", from: [3, 4] },
      ],
    );
  const watcher = services.watcher;
  const statuses = watcher?.assessments().map((a) => a.status) ?? [];
  if (!watcher) {
    builder.status("warn", "The watcher is not running in this bot, so nothing is polled.");
  } else {
    const assessments = watcher.assessments();
    const clusters = [...new Set(assessments.map((a) => a.cluster))];
    builder.fields(
      clusters.map((c) => {
        const s = watcher.settingsFor(c);
        return {
          label: c,
          value: `poll every ${formatDuration(s.pollInterval)}, stalled after ${formatDuration(s.stallAfter)}, unreachable after ${s.unreachableAfterPolls} polls, reminders every ${formatDuration(s.reminderEvery)}`,
        };
      }),
    );
    const shown = [...assessments].sort((a, b) => (a.status === b.status ? 0 : a.status === "ok" ? 1 : -1));
    builder.table(
      ["Node", "Cluster", "State", "Detail"],
      shown.slice(0, assessmentRows).map((a) => ({ cells: [a.node, a.cluster, a.state, a.text], status: a.status })),
      assessments.length,
    );
    const problems = watcher.deliveryProblems();
    if (problems.length > 0) {
      builder.status(
        "error",
        `${problems.length} alert channel(s) could not be reached; their alerts are not arriving.`,
      );
      builder.table(
        ["Channel", "Failing since", "Tries", "Last error"],
        problems.map((p) => ({
          cells: [`${p.platform} ${p.conversationId}`, formatUtc(new Date(p.since)), String(p.failures), p.lastError],
          status: "error" as const,
        })),
      );
    }
  }
  builder.text(
    `${open.length} open incident(s)${open.length ? ": `incidents` lists them" : ""}. ${snoozes.length ? `Snoozed: ${snoozes.map((s) => `${s.node} until ${formatMoment(s.until, services.now())}`).join(", ")}.` : "Nothing snoozed."}`,
  );
  return { ...builder.build(), status: statuses.length ? worstStatus(statuses) : "info" };
}

/** `watch on|off [cluster]` subscribes this conversation to alerts; `watch status` shows what is watched and how each node looks. */
export const watchCommand = defineCommand({
  name: "watch",
  summary: "Post stall and error alerts in this conversation (on/off), or show what is watched.",
  usage: "watch on|off|status [cluster] [--finished] [--no-card]",
  help: "`watch on` subscribes this channel (or chat) to alerts for every cluster; `watch on <cluster>` to one. Alerts: a scan stalled (no progress and the detailed report not growing), an agent unreachable, the scanner service stopped while the cluster scans, scanner errors. While a cluster scans, one live card here shows its progress (edited at most once a minute, alerts in its thread, the cycle's summary at the end); `--no-card` leaves it out. Add `--finished` to also hear when a scan completes. `watch off [cluster]` stops them. `watch status` lists the subscriptions and how the watcher sees each node (slow-but-alive scans show there, they never alert).",
  examples: [
    "watch on",
    "watch on contoso-prod --finished",
    "watch on contoso-prod --no-card",
    "watch off contoso-prod",
    "watch status",
  ],
  access: "viewer",
  args: z.object({
    mode: z.enum(["on", "off", "status"], { error: "say `on`, `off` or `status`" }).default("status"),
    cluster: z.string().min(1).max(63).optional(),
    finished: z.boolean().optional(),
    noCard: z.boolean().optional(),
    option: unknownOptionSchema("watch", watchOptions),
  }),
  input: (line) => ({
    mode: line.positionals[0]?.toLowerCase(),
    cluster: line.positionals[1],
    finished: line.flags.finished === undefined ? undefined : line.flags.finished !== "false",
    noCard: line.flags["no-card"] === undefined ? undefined : line.flags["no-card"] !== "false",
    option: Object.keys(line.flags).find((k) => !watchOptions.includes(k)),
  }),
  run: async ({ mode, cluster, finished, noCard }, { services, caller }) => {
    const conversation = callerConversation(caller);
    if (mode === "status") return watchStatus(services, conversation);
    const store = requireStore(services);
    const target = cluster ? knownCluster(services, cluster) : allClusters;
    if (mode === "off") {
      const removed = await store.removeSubscription(conversation.platform, conversation.conversationId, target);
      return reply(
        removed
          ? `Stopped watching ${clusterLabel(target)} here.`
          : `This conversation was not watching ${clusterLabel(target)}.`,
        { status: removed ? "ok" : "info" },
      ).build();
    }
    // The config's `watch.notifyFinished` is the default; `--finished` (or `--finished=false`) overrides it.
    const notifyFinished = finished ?? services.watcher?.settingsFor(target).notifyFinished ?? false;
    const { created } = await store.addSubscription({
      ...conversation,
      cluster: target,
      notifyFinished,
      liveCard: noCard !== true,
      createdBy: callerLabel(caller),
      createdAt: services.now().toISOString(),
    });
    const what = `${clusterLabel(target)}${notifyFinished ? ", finished scans included" : ""}${noCard ? ", no live scan card" : ""}`;
    return reply(
      created ? `Watching ${what} here.` : `Already watching ${clusterLabel(target)} here; settings updated (${what}).`,
      {
        status: "ok",
      },
    )
      .text(
        services.watcher
          ? `Stalls, unreachable agents, stopped services and scanner errors will be posted here, with next steps and buttons.${noCard ? "" : " While a cluster scans, one live card here shows its progress and the alerts go in its thread."}`
          : "Saved. The watcher is not running in this bot (a piped console runs none), so this run posts no alerts; the interactive console (`npm start`) and `scanner-bot run` run it.",
      )
      .build();
  },
});
