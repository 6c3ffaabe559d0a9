import { entryForEvidence } from "../../fleet/fleetExplanation.js";
import type { KnowledgeEntry } from "../../knowledge/knowledgeBase.js";
import type { LogEntry } from "../../wire/agentApi.js";
import { ageMs, type Finding, latestReachable, type RuleInput, runStartThroughSilence } from "./finding.js";

/** Scanner event-log errors 3001–3007 (Azure Information Protection Scanner log). */
export function isScannerErrorEvent(entry: LogEntry): boolean {
  return entry.eventId !== undefined && entry.eventId >= 3001 && entry.eventId <= 3007;
}

/** Memo of log message → knowledge-base entry: a fleet repeats the same few messages on every poll. */
const explained = new Map<string, KnowledgeEntry | undefined>();
const explainedLimit = 5000;

/** The knowledge-base entry behind a log entry (message first, then event id), remembered by message. */
function explainEntry(entry: LogEntry): KnowledgeEntry | undefined {
  const key = `${entry.eventId ?? ""}\u0000${entry.message}`;
  if (!explained.has(key)) {
    if (explained.size >= explainedLimit) explained.clear();
    explained.set(
      key,
      entryForEvidence({ text: entry.message, ...(entry.eventId === undefined ? {} : { eventId: entry.eventId }) }),
    );
  }
  return explained.get(key);
}

/**
 * Error state: the cluster or node reports Error, FailedFiles jumps by
 * `failedFilesJump` within `errorWindow`, or within `errorWindow` the scanner
 * logged an error event (3001–3007) or an error the knowledge base knows as
 * one. The newest recognised error names the article section whose steps the
 * alert shows.
 */
export function errorStateRule(input: RuleInput): Finding | undefined {
  const latest = latestReachable(input.history);
  if (!latest) return undefined;
  const reasons: string[] = [];
  let since: string | undefined;
  const earlier = (iso: string) => {
    if (!since || Date.parse(iso) < Date.parse(since)) since = iso;
  };

  const isError = (o: typeof latest) =>
    o.reachable && (o.clusterStatus === "Error" || /^error$/i.test(o.nodeStatus?.trim() ?? ""));
  if (isError(latest)) {
    const start = runStartThroughSilence(input.history, isError);
    reasons.push(`Status is Error (cluster ${latest.clusterStatus ?? "?"}, node ${latest.nodeStatus ?? "?"})`);
    if (start) earlier(start.at);
  }

  const windowStart = input.now.getTime() - input.settings.errorWindow;
  const base = input.history.find(
    (o) =>
      o.reachable &&
      Date.parse(o.lastAt) >= windowStart &&
      o.failedFiles !== undefined &&
      (o.startTime ?? null) === (latest.startTime ?? null),
  );
  const jump = base && latest.failedFiles !== undefined ? latest.failedFiles - (base.failedFiles ?? 0) : 0;
  if (base && jump >= input.settings.failedFilesJump) {
    reasons.push(`${jump} more failed files since ${base.lastAt}`);
    const firstRise = input.history.find((o) => o.reachable && (o.failedFiles ?? 0) > (base.failedFiles ?? 0));
    earlier(firstRise?.at ?? latest.at);
  }

  // Recent log errors the knowledge base recognises as errors (event ids 3001–3007 always count).
  const recent = input.recentErrors.flatMap((e) => {
    if (e.time === null || ageMs(e.time, input.now) > input.settings.errorWindow) return [];
    const entry = explainEntry(e);
    if (isScannerErrorEvent(e) || (/^error$/i.test(e.level) && entry?.severity === "error")) return [{ e, entry }];
    return [];
  });
  const newestFirst = [...recent].sort((a, b) => Date.parse(b.e.time ?? "") - Date.parse(a.e.time ?? ""));
  const kbId = newestFirst.find((r) => r.entry)?.entry?.id;
  for (const { e } of recent) if (e.time) earlier(e.time);
  if (recent.length > 0) {
    const names = [
      ...new Set(newestFirst.map((r) => r.entry?.title ?? (r.e.eventId ? `event ${r.e.eventId}` : "an error"))),
    ];
    const ids = [...new Set(recent.flatMap((r) => (r.e.eventId === undefined ? [] : [r.e.eventId])))];
    reasons.push(`the scanner logged ${names.slice(0, 3).join(", ")}${ids.length ? ` (event ${ids.join(", ")})` : ""}`);
  }

  if (reasons.length === 0 || !since) return undefined;
  const newest = newestFirst.at(0)?.e;
  return {
    kind: "error_state",
    summary: reasons.join("; ").replace(/^./, (c) => c.toUpperCase()),
    since,
    ...(kbId ? { kbId } : {}),
    detail: {
      reasons,
      clusterStatus: latest.clusterStatus ?? null,
      failedFiles: latest.failedFiles ?? null,
      repository: latest.repository ?? null,
      ...(newest ? { newestError: newest.message.slice(0, 500), eventId: newest.eventId ?? null } : {}),
    },
  };
}
