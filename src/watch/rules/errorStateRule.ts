import type { LogEntry } from "../../agentApi.js";
import { entryForEventId } from "../../knowledge/knowledgeBase.js";
import { ageMs, type Finding, latestReachable, type RuleInput, runStart } from "./finding.js";

/** Scanner event-log errors 3001–3007 (Azure Information Protection Scanner log). */
export function isScannerErrorEvent(entry: LogEntry): boolean {
  return entry.eventId !== undefined && entry.eventId >= 3001 && entry.eventId <= 3007;
}

/**
 * Error state: the cluster or node reports Error, FailedFiles jumps by
 * `failedFilesJump` within `errorWindow`, or the scanner logged an error event
 * (3001–3007) within `errorWindow`. The event id names the article section
 * whose steps the alert shows.
 */
export function errorStateRule(input: RuleInput): Finding | undefined {
  const latest = latestReachable(input.history);
  if (!latest) return undefined;
  const reasons: string[] = [];
  let since: string | undefined;
  let kbId: string | undefined;
  const earlier = (iso: string) => {
    if (!since || Date.parse(iso) < Date.parse(since)) since = iso;
  };

  const isError = (o: typeof latest) =>
    o.reachable && (o.clusterStatus === "Error" || /^error$/i.test(o.nodeStatus?.trim() ?? ""));
  if (isError(latest)) {
    const start = runStart(input.history, isError);
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

  const events = input.recentErrors.filter(
    (e) => isScannerErrorEvent(e) && e.time !== null && ageMs(e.time, input.now) <= input.settings.errorWindow,
  );
  for (const event of events) {
    const entry = event.eventId === undefined ? undefined : entryForEventId(event.eventId);
    kbId ??= entry?.id;
    if (event.time) earlier(event.time);
  }
  if (events.length > 0) {
    const ids = [...new Set(events.map((e) => e.eventId))].join(", ");
    reasons.push(`the scanner logged error event ${ids}`);
  }

  if (reasons.length === 0 || !since) return undefined;
  const newest = events.at(0);
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
