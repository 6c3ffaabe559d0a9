import { personName } from "../access/caller.js";
import type { NodeOutcome } from "../fleet/fleetClient.js";
import { formatBytes, formatMoment, formatWhen } from "../fleet/fleetFigures.js";
import { formatDuration } from "../foundation/duration.js";
import { findEntry } from "../knowledge/knowledgeBase.js";
import { type Action, type Field, type Reply, reply } from "../reply/reply.js";
import { addDigest } from "../scanReports/reportDigestReply.js";
import type { Incident, IncidentKind } from "../store/store.js";
import type { ReportDigest } from "../wire/agentApi.js";
import type { FinishedScan } from "./rules/finishedRule.js";

/**
 * The proactive messages: an incident opening (and its reminders), its
 * recovery, the opening message as it reads once resolved, and a finished
 * scan. All are neutral replies; each adapter renders them.
 */

const kindTitle: Record<IncidentKind, string> = {
  stalled: "scan stalled",
  unreachable: "agent unreachable",
  service_stopped: "scanner service stopped",
  error_state: "scanner error",
};

/** Next steps for kinds the article has no section for (they are about our agent or the service itself). */
const ownSteps: Partial<Record<IncidentKind, string[]>> = {
  unreachable: [
    "Check that the node is up and the scanner-bot agent service runs on it.",
    "Check the network path and firewall from the bot to the agent's port.",
    "If the node was taken down on purpose, snooze it.",
  ],
  service_stopped: [
    "Start the scanner service on the node (Start-Service with the scanner's service name), or find out who stopped it.",
    "Stopping the service pauses the node's scan; it resumes from the same point when the service starts.",
    "If it stops again by itself, run diagnostics and read the node's errors.",
  ],
};

function text(value: unknown): string | undefined {
  return typeof value === "string" && value.length > 0 ? value : undefined;
}

function count(value: unknown): string | undefined {
  return typeof value === "number" ? value.toLocaleString("en-US") : undefined;
}

function size(value: unknown): string | undefined {
  return typeof value === "number" ? formatBytes(value) : undefined;
}

/**
 * The buttons every incident message carries: the three next steps first (shown as
 * buttons), the snoozes after them (in the overflow menu where the platform has one).
 */
export function incidentActions(incident: Pick<Incident, "id" | "node">): Action[] {
  return [
    { label: "Run diagnostics", command: `diagnose ${incident.node}`, style: "primary" },
    { label: "Show errors", command: `errors ${incident.node}` },
    { label: `Acknowledge #${incident.id}`, command: `ack ${incident.id}` },
    { label: "Snooze for 1 hour", command: `snooze ${incident.node} 1h` },
    { label: "Snooze for 4 hours", command: `snooze ${incident.node} 4h` },
  ];
}

function incidentFields(incident: Incident, now: Date): Field[] {
  const d = incident.detail;
  const fields: Field[] = [
    { label: "Node", value: incident.node },
    { label: "Cluster", value: incident.cluster },
    { label: "Since", value: formatWhen(incident.since, now) },
  ];
  const lastProgress = text(d.lastProgressAt);
  const optional: [string, string | undefined][] = [
    ["Last progress", lastProgress && formatWhen(lastProgress, now)],
    ["Scanned files", count(d.scannedFiles)],
    ["Scanned size", size(d.scannedBytes)],
    ["Failed files", count(d.failedFiles)],
    ["Repository", text(d.repository)],
    ["Detailed report", text(d.report) && `${text(d.report)} (${size(d.reportSize) ?? "size unknown"}, not growing)`],
    ["Service", text(d.service)],
    ["Agent error", text(d.error)],
    ["Newest error", text(d.newestError)],
  ];
  for (const [label, value] of optional) if (value) fields.push({ label, value });
  fields.push({ label: "Incident", value: `#${incident.id}` });
  if (incident.ackedBy) fields.push({ label: "Acknowledged by", value: personName(incident.ackedBy) });
  return fields;
}

/**
 * The incident's one-line problem as of `now`: a stall's summary was written when it opened
 * ("No scan progress for 30m"), so later replies count the time again instead of repeating it.
 */
export function currentSummary(incident: Incident, now: Date): string {
  if (incident.kind !== "stalled") return incident.summary;
  const from = Date.parse(text(incident.detail.lastProgressAt) ?? incident.since);
  if (Number.isNaN(from) || now.getTime() < from) return incident.summary;
  return `No scan progress for ${formatDuration(now.getTime() - from)}`;
}

/** The message when an incident opens, or (with `reminder`) while it stays open. */
export function incidentOpenedReply(incident: Incident, now: Date, reminder?: number): Reply {
  const title = `${incident.node}: ${kindTitle[incident.kind]}`;
  const prefix = reminder ? `Reminder ${reminder}: still open. ` : "";
  const summary = currentSummary(incident, now);
  const builder = reply(`${prefix}${title}: ${summary}`, { status: "error" })
    .heading(reminder ? `Still open: ${title}` : title)
    .status(incident.kind === "stalled" ? "warn" : "error", summary)
    .fields(incidentFields(incident, now));
  const kbId = text(incident.detail.kbId);
  const entry = kbId ? findEntry(kbId) : undefined;
  if (entry) {
    builder.text(`*${entry.title}*: ${entry.meaning}`).list(entry.fix, true).link(entry.source.title, entry.source.url);
  } else {
    builder.list(ownSteps[incident.kind] ?? [], true);
  }
  return builder.actions(incidentActions(incident)).build();
}

/** Posted in the incident's thread when it clears. */
export function incidentResolvedReply(incident: Incident): Reply {
  const resolvedAt = incident.resolvedAt ?? incident.lastSeenAt;
  const lasted = formatDuration(Date.parse(resolvedAt) - Date.parse(incident.since));
  return reply(`Recovered: ${incident.node} ${kindTitle[incident.kind]} (#${incident.id}) cleared after ${lasted}`, {
    status: "ok",
  })
    .status(
      "ok",
      `${incident.node}: ${kindTitle[incident.kind]} cleared at ${formatMoment(resolvedAt, new Date(resolvedAt))}, after ${lasted}.`,
    )
    .fields([
      { label: "Incident", value: `#${incident.id}` },
      { label: "Opened", value: formatMoment(incident.openedAt, new Date(resolvedAt)) },
      ...(incident.ackedBy ? [{ label: "Acknowledged by", value: personName(incident.ackedBy) }] : []),
    ])
    .build();
}

/** The opening message as it reads once the incident is resolved (card updated in place, buttons gone). */
export function incidentClosedCard(incident: Incident): Reply {
  const resolved = new Date(incident.resolvedAt ?? incident.lastSeenAt);
  const cleared = incident.resolvedAt ? formatMoment(incident.resolvedAt, resolved) : "an unknown time";
  return reply(`Resolved: ${incident.node} ${kindTitle[incident.kind]} (#${incident.id})`, { status: "ok" })
    .heading(`Resolved: ${incident.node}: ${kindTitle[incident.kind]}`)
    .status("ok", `${incident.summary}. Cleared at ${cleared}.`)
    .fields([
      { label: "Cluster", value: incident.cluster },
      { label: "Since", value: formatMoment(incident.since, resolved) },
      { label: "Incident", value: `#${incident.id}` },
    ])
    .build();
}

/** A completed scan with its totals and, when the reports were read, what the cycle found (subscriptions with notifyFinished). */
export function scanFinishedReply(scan: FinishedScan, digest?: readonly NodeOutcome<ReportDigest>[]): Reply {
  const took = scan.startTime ? formatDuration(Date.parse(scan.finishedAt) - Date.parse(scan.startTime)) : undefined;
  const builder = reply(`Scan finished on ${scan.cluster}: ${scan.scannedFiles.toLocaleString("en-US")} files`, {
    status: "ok",
  })
    .heading(`Scan finished: ${scan.cluster}`)
    .fields([
      { label: "Started", value: scan.startTime ? formatMoment(scan.startTime, new Date(scan.finishedAt)) : "unknown" },
      { label: "Finished", value: formatMoment(scan.finishedAt, new Date(scan.finishedAt)) },
      ...(took ? [{ label: "Took", value: took }] : []),
      { label: "Nodes", value: String(scan.nodes) },
      { label: "Scanned files", value: scan.scannedFiles.toLocaleString("en-US") },
      { label: "Scanned size", value: formatBytes(scan.scannedBytes) },
      {
        label: "Failed files",
        value: scan.failedFiles.toLocaleString("en-US"),
        ...(scan.failedFiles > 0 ? { status: "warn" as const } : {}),
      },
    ]);
  if (digest && digest.length > 0) {
    builder.divider().heading("What the cycle found");
    addDigest(builder, digest, { cycle: "last", now: new Date(scan.finishedAt) });
    builder.actions([{ label: "Previous cycle", command: `report ${scan.cluster} --cycle previous` }]);
  }
  return builder.build();
}
