import { z } from "zod";
import type { FleetClient, NodeOutcome } from "../src/fleet/fleetClient.js";
import { evidenceMatcher, firstLine, withoutCommand } from "../src/fleet/fleetExplanation.js";
import { formatAge } from "../src/fleet/fleetFigures.js";
import { requireFleet, resolveTarget, targetNodes, targetSize } from "../src/fleet/fleetTarget.js";
import { entrySummaryBlocks } from "../src/knowledge/explanationReply.js";
import type { KnowledgeEntry } from "../src/knowledge/knowledgeBase.js";
import { type ReplyBuilder, reply, type Status, worstStatus } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import type { ErrorsReport, LogEntry } from "../src/wire/agentApi.js";

/** Errors read per node when no count is given. */
export const defaultErrorCount = 20;
/** The agent API's own limit per node. */
export const maxErrorCount = 500;
/** Past this many nodes, those without errors are summed up in one line. */
const collapseQuietAfter = 10;
/** Unmatched lines listed individually; past that, only counted. */
const unmatchedShown = 10;

/** Log entries of one kind (one knowledge-base entry), across the nodes asked. */
interface ErrorKind {
  entry: KnowledgeEntry;
  count: number;
  nodes: Set<string>;
  latest: Date | undefined;
  sample: LogEntry;
}

interface Grouped {
  kinds: ErrorKind[];
  unmatched: { node: string; entry: LogEntry }[];
  total: number;
}

function later(a: Date | undefined, b: string | null): Date | undefined {
  if (!b) return a;
  const d = new Date(b);
  return !a || d > a ? d : a;
}

/** Groups every returned log entry by the knowledge-base entry that explains it. */
function groupEntries(outcomes: NodeOutcome<ErrorsReport>[]): Grouped {
  const match = evidenceMatcher();
  const kinds = new Map<string, ErrorKind>();
  const unmatched: Grouped["unmatched"] = [];
  let total = 0;
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const logEntry of outcome.value.entries) {
      total += 1;
      const entry = match({
        text: logEntry.message,
        ...(logEntry.eventId === undefined ? {} : { eventId: logEntry.eventId }),
      });
      if (!entry) {
        unmatched.push({ node: outcome.node, entry: logEntry });
        continue;
      }
      const kind = kinds.get(entry.id) ?? { entry, count: 0, nodes: new Set(), latest: undefined, sample: logEntry };
      kind.count += 1;
      kind.nodes.add(outcome.node);
      kind.latest = later(kind.latest, logEntry.time);
      kinds.set(entry.id, kind);
    }
  }
  return { kinds: [...kinds.values()].sort((a, b) => b.count - a.count), unmatched, total };
}

function sourceNotes(outcomes: NodeOutcome<ErrorsReport>[], count: number): { status: Status; text: string }[] {
  return outcomes.map((o) => {
    if (!o.ok) return { status: "error", text: `${o.node}: ${o.error.userMessage}` };
    const read = o.value.sources.length ? ` (read ${o.value.sources.join(", ")})` : "";
    if (o.value.entries.length === 0) return { status: "ok", text: `${o.node}: no errors in the scanner log${read}.` };
    const more = o.value.truncated
      ? ` More exist: \`errors ${o.node} ${Math.min(maxErrorCount, count * 5)}\` shows more.`
      : "";
    // Errors in the log are worth a look, whatever their kinds (which the table rates one by one).
    return { status: "warn", text: `${o.node}: ${o.value.entries.length} error(s)${read}.${more}` };
  });
}

/** `ran`: the command line this reply answers, whose own button would be pointless. */
function addKinds(builder: ReplyBuilder, grouped: Grouped, now: Date, ran: string): void {
  if (grouped.kinds.length === 0) return;
  builder.table(
    ["Kind", "Count", "Nodes", "Last seen"],
    grouped.kinds.map((k) => ({
      cells: [k.entry.title, String(k.count), [...k.nodes].join(", "), k.latest ? formatAge(k.latest, now) : "—"],
      status: k.entry.severity,
    })),
  );
  for (const kind of grouped.kinds) {
    builder
      .divider()
      .status(kind.entry.severity, `${kind.entry.title}: ${kind.count} time(s) on ${[...kind.nodes].join(", ")}`)
      .code(firstLine(kind.sample.message, 400));
    const node = [...kind.nodes][0] ?? "";
    const blocks = withoutCommand(entrySummaryBlocks(kind.entry, { node }), ran);
    builder.append({ text: "", visibility: "channel", blocks });
  }
}

function addUnmatched(builder: ReplyBuilder, grouped: Grouped): void {
  if (grouped.unmatched.length === 0) return;
  const shown = grouped.unmatched.slice(0, unmatchedShown);
  builder
    .divider()
    .status("info", `${grouped.unmatched.length} error(s) match nothing in the knowledge base:`)
    .list(shown.map((u) => `${u.node}${u.entry.time ? ` ${u.entry.time}` : ""}: ${firstLine(u.entry.message)}`));
  if (grouped.unmatched.length > shown.length) builder.text(`… and ${grouped.unmatched.length - shown.length} more.`);
  builder.text("Paste a whole stack trace into `explain` to look at one more closely.");
}

async function errorsOf(
  fleet: FleetClient,
  names: string[],
  title: string,
  count: number,
  now: () => Date,
  signal: AbortSignal,
) {
  const outcomes = await Promise.all(names.map((n) => fleet.errors(n, count, { signal })));
  const grouped = groupEntries(outcomes);
  const notes = sourceNotes(outcomes, count);
  const unreachable = outcomes.filter((o) => !o.ok).length;
  const summary =
    grouped.total === 0
      ? `no errors in the scanner log (asked for the last ${count})`
      : `${grouped.total} error(s) of ${grouped.kinds.length} known kind(s)` +
        (grouped.unmatched.length ? `, ${grouped.unmatched.length} unmatched` : "");
  const status = worstStatus([
    ...grouped.kinds.map((k) => k.entry.severity),
    ...(grouped.unmatched.length ? (["warn"] as const) : []),
    ...(unreachable ? (["error"] as const) : []),
  ]);
  const builder = reply(`Errors on ${title}: ${summary}${unreachable ? `, ${unreachable} node(s) unreachable` : ""}`, {
    status,
  })
    // "Last 20 errors" over a list of 2 would promise more than there is.
    .heading(grouped.total >= count ? `Last ${count} errors on ${title}` : `Errors on ${title}`)
    .status(status, summary);
  // On a big fleet, one line per quiet node would bury the ones that matter.
  const quiet = notes.filter((n) => n.status === "ok");
  const collapse = notes.length > collapseQuietAfter && quiet.length > 1;
  for (const note of notes) if (!collapse || note.status !== "ok") builder.status(note.status, note.text);
  if (collapse) builder.status("ok", `${quiet.length} nodes: no errors in the scanner log.`);
  addKinds(builder, grouped, now(), names.length === 1 ? `errors ${names[0]}` : "");
  addUnmatched(builder, grouped);
  return builder.build();
}

/** `errors [node|cluster] [count]`: recent scanner-log errors, grouped by kind and explained. */
export const errorsCommand = defineCommand({
  name: "errors",
  aliases: ["err"],
  summary: "The last errors from the scanner log, grouped by kind and explained.",
  usage: "errors [node|cluster] [count]",
  help:
    `Reads the newest errors from MSIPScanner.iplog (rolled, zipped logs included) and, where enabled, the scanner's ` +
    `event log on each node. Errors of the same kind are grouped, counted and explained by the knowledge base; the ` +
    `rest are listed as unmatched. Count defaults to ${defaultErrorCount}, at most ${maxErrorCount} per node.`,
  examples: ["errors", "errors scan-02", "errors scan-02 100", "errors 50"],
  args: z.object({
    target: z.string().max(63).optional(),
    count: z.coerce
      .number({ error: "count must be a number" })
      .int("count must be a whole number")
      .min(1, "count must be at least 1")
      .max(maxErrorCount, `count can be at most ${maxErrorCount}`)
      .default(defaultErrorCount),
  }),
  input: (line) => {
    const [first, second] = line.positionals;
    // `errors 50` asks for a count on the default target; `errors scan-02 50` for a node.
    if (first !== undefined && /^\d+$/.test(first) && second === undefined) return { count: first };
    return { target: first, count: second ?? line.flags.count };
  },
  placeholder: ({ target }, { services }) => {
    const count = targetSize(services.fleet, target);
    if (count === undefined || count < 2) return undefined;
    return reply(`Reading the scanner logs of ${count} nodes…`, { visibility: "private" }).build();
  },
  run: async ({ target, count }, { services, signal }) => {
    const fleet = requireFleet(services);
    const resolved = resolveTarget(fleet, target);
    const names = targetNodes(resolved).map((n) => n.name);
    return errorsOf(fleet, names, resolved.label, count, services.now, signal);
  },
});
