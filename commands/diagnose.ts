import type { FleetClient, NodeOutcome } from "../src/fleet/fleetClient.js";
import { evidenceMatcher, withoutCommand } from "../src/fleet/fleetExplanation.js";
import { formatUtc, maxTableRows, problemRowsFirst } from "../src/fleet/fleetFigures.js";
import { requireFleet, resolveTarget, targetNodes, targetSize } from "../src/fleet/fleetTarget.js";
import { entrySummaryBlocks } from "../src/knowledge/explanationReply.js";
import type { KnowledgeEntry } from "../src/knowledge/knowledgeBase.js";
import { type ReplyBuilder, reply, type Status, worstStatus } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import { targetArgsSchema, targetInput } from "../src/routing/targetArgs.js";
import type { DiagnosticCheck, Diagnostics } from "../src/wire/agentApi.js";

const checkBadge: Record<DiagnosticCheck["status"], Status> = {
  ok: "ok",
  warn: "warn",
  error: "error",
  skipped: "info",
};

/** Lines of the scanner's own transcript shown for a single node; the rest stays on the node. */
const transcriptLines = 40;

/** One failed check, and every node it failed on. */
interface FailureGroup {
  check: DiagnosticCheck;
  nodes: string[];
  entry: KnowledgeEntry | undefined;
}

function countLabel(checks: DiagnosticCheck[]): string {
  const errors = checks.filter((c) => c.status === "error").length;
  const warnings = checks.filter((c) => c.status === "warn").length;
  if (errors === 0 && warnings === 0) return `all ${checks.length} checks passed`;
  const parts = [
    errors ? `${errors} error${errors === 1 ? "" : "s"}` : "",
    warnings ? `${warnings} warning${warnings === 1 ? "" : "s"}` : "",
  ];
  return parts.filter(Boolean).join(", ");
}

/** Groups failed checks across nodes by the entry that explains them (or by check id when none does). */
function groupFailures(outcomes: NodeOutcome<Diagnostics>[]): FailureGroup[] {
  const match = evidenceMatcher();
  const groups = new Map<string, FailureGroup>();
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const check of outcome.value.checks) {
      if (check.status !== "error" && check.status !== "warn") continue;
      const entry = match({ text: `${check.title}: ${check.detail}`, ...(check.kbId ? { kbId: check.kbId } : {}) });
      const key = entry ? `kb:${entry.id}` : `check:${check.id}:${check.detail}`;
      const group = groups.get(key);
      if (group) group.nodes.push(outcome.node);
      else groups.set(key, { check, nodes: [outcome.node], entry });
    }
  }
  // Errors before warnings, so the thing to fix first is on top.
  return [...groups.values()].sort((a, b) => Number(b.check.status === "error") - Number(a.check.status === "error"));
}

/** `ran`: the command line this reply answers, whose own button would be pointless. */
function addFailure(builder: ReplyBuilder, group: FailureGroup, ran: string): void {
  const where = group.nodes.join(", ");
  builder.status(checkBadge[group.check.status], `${group.check.title} on ${where}: ${group.check.detail}`);
  if (group.entry) {
    const node = group.nodes[0] ?? "";
    const blocks = withoutCommand(entrySummaryBlocks(group.entry, { node }), ran);
    builder.append({ text: "", visibility: "channel", blocks });
    return;
  }
  builder
    .text("No knowledge-base entry matches this check.")
    .text(
      `Next step: read the node's recent errors for the cause (\`errors ${group.nodes[0]}\`), then \`explain\` any line you don't recognise.`,
    )
    .actions([{ label: `Show errors of ${group.nodes[0]}`, command: `errors ${group.nodes[0]}` }]);
}

function nodeRows(outcomes: NodeOutcome<Diagnostics>[]) {
  return outcomes.map((o) => {
    if (!o.ok) return { cells: [o.node, o.error.userMessage, "—"], status: "error" as const };
    const failed = o.value.checks.filter((c) => c.status === "error" || c.status === "warn");
    const status = worstStatus(o.value.checks.map((c) => checkBadge[c.status]));
    return {
      cells: [o.node, countLabel(o.value.checks), failed.map((c) => c.title).join(", ") || "—"],
      status: status === "info" ? ("ok" as const) : status,
    };
  });
}

function singleNode(builder: ReplyBuilder, outcome: NodeOutcome<Diagnostics>): void {
  if (!outcome.ok) {
    builder
      .status("error", `${outcome.node} is ${outcome.error.userMessage}.`)
      .text("Diagnostics run on the node itself, so its agent has to answer. Try `status` to see which nodes do.");
    return;
  }
  const d = outcome.value;
  builder.text(`Ran ${formatUtc(new Date(d.ranAt))}, took ${(d.durationMs / 1000).toFixed(1)} s.`).table(
    ["Check", "Result", "Detail"],
    d.checks.map((c) => ({ cells: [c.title, c.status, c.detail], status: checkBadge[c.status] })),
  );
}

function addTranscript(builder: ReplyBuilder, d: Diagnostics): void {
  const lines = d.transcript.split(/\r?\n/);
  if (lines.length === 0 || !d.transcript.trim()) return;
  const shown = lines.slice(0, transcriptLines);
  const more = lines.length > shown.length ? `\n… ${lines.length - shown.length} more lines on the node` : "";
  builder.heading("Scanner diagnostics transcript").code(`${shown.join("\n")}${more}`, "powershell");
}

async function diagnose(fleet: FleetClient, names: string[], title: string, single: boolean, signal: AbortSignal) {
  const outcomes = await Promise.all(names.map((n) => fleet.diagnostics(n, { signal })));
  const rows = nodeRows(outcomes);
  const status = worstStatus(rows.map((r) => r.status));
  const unreachable = outcomes.filter((o) => !o.ok).length;
  const failing = rows.filter((r, i) => outcomes[i]?.ok && r.status !== "ok").length;
  const summary = single
    ? (rows[0]?.cells[1] ?? "")
    : [
        `${outcomes.length - unreachable - failing} of ${outcomes.length} nodes passed every check`,
        failing ? `${failing} with problems` : "",
        unreachable ? `${unreachable} unreachable` : "",
      ]
        .filter(Boolean)
        .join(" · ");
  const builder = reply(`Diagnostics for ${title}: ${summary}`, { status })
    .heading(`Diagnostics for ${title}`)
    .status(status, summary);
  const first = outcomes[0];
  if (single && first) singleNode(builder, first);
  else {
    builder.table(
      ["Node", "Result", "Failed checks"],
      problemRowsFirst(rows),
      rows.length > maxTableRows ? rows.length : undefined,
    );
  }
  const failures = groupFailures(outcomes);
  if (failures.length > 0) builder.divider().heading("What failed, and what to do");
  for (const group of failures) addFailure(builder, group, single ? `diagnose ${names[0]}` : "");
  if (single && first?.ok) addTranscript(builder, first.value);
  const built = builder.build();
  // No node answered: no diagnostics ran, which the audit log must not record as a run that found problems.
  return unreachable === outcomes.length ? { ...built, failure: "unreachable" } : built;
}

/** `diagnose [node|cluster]`: the scanner's own diagnostics plus the agent's checks, each failure explained. */
export const diagnoseCommand = defineCommand({
  name: "diagnose",
  aliases: ["diag", "diagnostics"],
  summary: "Run the scanner's diagnostics on a node or cluster and explain every failed check.",
  usage: "diagnose [node|cluster]",
  help:
    "Runs Start-AIPScannerDiagnostics (or Start-ScannerDiagnostics) on each node through its agent, together with " +
    "the agent's own checks (policy file, TLS 1.2, dynamic ports, URLs, database). Every check is listed as ok, warn " +
    "or error; each failure comes with the knowledge-base explanation and the next step. Diagnostics can take a " +
    "minute per node.",
  examples: ["diagnose", "diagnose scan-02", "diagnose contoso-prod"],
  args: targetArgsSchema,
  input: targetInput,
  placeholder: ({ target }, { services }) => {
    const count = targetSize(services.fleet, target);
    if (count === undefined) return undefined;
    const what = count === 1 ? "1 node" : `${count} nodes`;
    return reply(`Running diagnostics on ${what}… this can take a minute.`, { visibility: "private" }).build();
  },
  run: async ({ target }, { services, signal }) => {
    const fleet = requireFleet(services);
    const resolved = resolveTarget(fleet, target);
    const names = targetNodes(resolved).map((n) => n.name);
    return diagnose(fleet, names, resolved.label, resolved.kind === "node", signal);
  },
});
