import type { NodeOutcome } from "../fleet/fleetClient.js";
import { formatAge, formatBytes, formatCount } from "../fleet/fleetFigures.js";
import { type Reply, type ReplyBuilder, reply, type Status, type TableRow, worstStatus } from "../reply/reply.js";
import type { ReportCycle, ReportDigest } from "../wire/agentApi.js";
import { type MergedDigest, mergeDigests } from "./reportMerge.js";
import { shortRepositoryPaths } from "./repositoryPath.js";

/**
 * The scan report digest as a reply: what the cycle did per repository,
 * which labels it applied, which sensitive information types it found, why
 * files were skipped or failed, and DLP rule hits; one line per node on what
 * was read. Used by `report` and by the "scan finished" notification.
 */

const count = (n: number) => formatCount(n);

/** Rows per list table; the table says how many there were. */
const listRows = 10;

/** Problems that only say the counts may be partial or late, not that something is wrong. */
const infoProblems = new Set(["summary_missing", "being_written", "no_previous_cycle"]);

export interface DigestOptions {
  cycle: ReportCycle;
  repository?: string;
  now: Date;
}

function cycleWords(cycle: ReportCycle): string {
  return cycle === "last" ? "last cycle" : "previous cycle";
}

/** What each node's answer was, one line (plus one per problem) per node. */
function nodeNotes(outcomes: readonly NodeOutcome<ReportDigest>[], now: Date): { status: Status; text: string }[] {
  return outcomes.flatMap((o) => {
    if (!o.ok) return [{ status: "error" as const, text: `${o.node}: ${o.error.userMessage}` }];
    const d = o.value;
    const notes: { status: Status; text: string }[] = [];
    const r = d.detailedReport;
    if (r) {
      const written = r.lastWriteTime ? `, written ${formatAge(new Date(r.lastWriteTime), now)}` : "";
      notes.push({
        status: "ok",
        text: `${o.node}: ${r.name}${r.zipped ? " (zipped)" : ""}: ${formatCount(r.rows)} files, ${formatBytes(r.sizeBytes)}, ${r.encoding.toUpperCase()}${r.dlpColumns ? ", DLP columns" : ""}${written}.`,
      });
      if (r.unknownColumns.length > 0) {
        notes.push({
          status: "info",
          text: `${o.node}: columns this bot does not know were ignored: ${r.unknownColumns.join(", ")}.`,
        });
      }
    }
    for (const p of d.problems) {
      const status: Status = infoProblems.has(p.code) ? "info" : r ? "warn" : p.code === "no_report" ? "info" : "error";
      notes.push({ status, text: `${o.node}: ${p.message}` });
    }
    return notes;
  });
}

function limited(builder: ReplyBuilder, columns: string[], rows: TableRow[]): void {
  if (rows.length === 0) return;
  builder.table(columns, rows.slice(0, listRows), rows.length > listRows ? rows.length : undefined);
}

/** The merged tables. */
function addTables(builder: ReplyBuilder, merged: MergedDigest): void {
  const short = shortRepositoryPaths(merged.repositories.map((r) => r.repository));
  builder.table(
    ["Repository", "Files", "Classified", "Labeled", "Protected", "Failed", "Skipped"],
    merged.repositories.slice(0, 50).map((r) => ({
      cells: [
        short.get(r.repository) ?? r.repository,
        count(r.files),
        count(r.classified),
        count(r.labeled),
        count(r.protected),
        count(r.failed),
        count(r.skipped),
      ],
      ...(r.failed > 0 ? { status: "warn" as const } : {}),
    })),
    merged.repositories.length > 50 ? merged.repositories.length : undefined,
  );
  const t = merged.totals;
  builder.heading("Labels applied");
  if (t.labels.length === 0) builder.text("No labels were applied in this cycle.");
  limited(
    builder,
    ["Current label", "Applied label", "Files"],
    t.labels.map((l) => ({ cells: [l.from, l.to, count(l.count)] })),
  );
  if (t.sensitiveTypes.length > 0) {
    builder.heading("Sensitive information types found");
    limited(
      builder,
      ["Type", "Files"],
      t.sensitiveTypes.map((s) => ({ cells: [s.name, count(s.count)] })),
    );
  }
  if (t.failures.length > 0) {
    builder.heading("Failures");
    limited(
      builder,
      ["Status", "Comment", "Files", "For example"],
      t.failures.map((f) => ({
        cells: [f.status, f.comment || "(no comment)", count(f.count), f.examples.join("; ")],
        status: "warn",
      })),
    );
  }
  if (t.skippedBy.length > 0) {
    builder.heading("Skipped, by reason");
    limited(
      builder,
      ["Reason", "Files"],
      t.skippedBy.map((s) => ({ cells: [s.name, count(s.count)] })),
    );
  }
  if (t.dlpRules.length > 0) {
    builder.heading("DLP rule hits");
    limited(
      builder,
      ["Rule", "Files"],
      t.dlpRules.map((s) => ({ cells: [s.name, count(s.count)] })),
    );
  }
}

/** One line for the whole digest. */
export function digestLine(merged: MergedDigest): string {
  const t = merged.totals;
  const repos = merged.repositories.length;
  return (
    `${formatCount(t.files)} files in ${repos} repositor${repos === 1 ? "y" : "ies"}: ` +
    `${formatCount(t.classified)} classified, ${formatCount(t.labeled)} labeled, ${formatCount(t.protected)} protected, ` +
    `${formatCount(t.failed)} failed, ${formatCount(t.skipped)} skipped`
  );
}

/** Adds the digest's blocks (status line, node notes, tables) to a reply under construction. */
export function addDigest(
  builder: ReplyBuilder,
  outcomes: readonly NodeOutcome<ReportDigest>[],
  options: DigestOptions,
): { merged: MergedDigest; status: Status } {
  const merged = mergeDigests(outcomes, options.repository);
  const notes = nodeNotes(outcomes, options.now);
  const anyRead = outcomes.some((o) => o.ok && o.value.detailedReport);
  let status = worstStatus([...notes.map((n) => n.status), merged.totals.failed > 0 ? "warn" : "ok"]);
  if (!anyRead) status = worstStatus(notes.map((n) => n.status));
  if (options.repository && merged.repositories.length === 0 && anyRead) {
    const known = shortRepositoryPaths(merged.allRepositories);
    builder.status(
      "warn",
      `No repository matches \`${options.repository.slice(0, 100)}\`. Repositories in the reports: ${[...known.values()].join(", ") || "none"}.`,
    );
    for (const note of notes) builder.status(note.status, note.text);
    return { merged, status: "warn" };
  }
  if (anyRead) builder.status(merged.totals.failed > 0 ? "warn" : "ok", digestLine(merged));
  for (const note of notes) builder.status(note.status, note.text);
  if (!anyRead) return { merged, status };
  addTables(builder, merged);
  if (merged.summary.length > 0 && !options.repository) {
    const partial = merged.summaryNodes.length < outcomes.length;
    builder.heading(`Summary report${partial ? ` (${merged.summaryNodes.join(", ")})` : ""}`);
    builder.fields(merged.summary.slice(0, 16).map((c) => ({ label: c.name, value: count(c.count) })));
  }
  builder.text(
    "Counted on the nodes from the DetailedReport CSV; file contents and matched strings never leave the nodes, only counts, label and type names, scanner comments and a few file names relative to their repository.",
  );
  return { merged, status };
}

/** The whole `report` reply for a target. */
export function reportReply(
  label: string,
  outcomes: readonly NodeOutcome<ReportDigest>[],
  options: DigestOptions,
): Reply {
  const builder = reply("", {}).heading(
    `Scan report: ${label}, ${cycleWords(options.cycle)}${options.repository ? ` (repositories matching “${options.repository.slice(0, 100)}”)` : ""}`,
  );
  const { merged, status } = addDigest(builder, outcomes, options);
  const failed = outcomes.filter((o) => !o.ok).length;
  const read = outcomes.filter((o) => o.ok && o.value.detailedReport).length;
  const text =
    read > 0
      ? `Scan report for ${label} (${cycleWords(options.cycle)}): ${digestLine(merged)}${failed ? `; ${failed} node(s) did not answer` : ""}`
      : `Scan report for ${label} (${cycleWords(options.cycle)}): no report could be read${failed ? `; ${failed} node(s) did not answer` : ""}`;
  return { ...builder.build(), text, status };
}
