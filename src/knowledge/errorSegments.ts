/**
 * Splitting a paste into distinct errors. A paste may hold many log lines, each its own error,
 * or one error re-wrapped over several lines, or a .NET exception chain
 * (`Outer ---> Inner ---> Innermost`) whose innermost part names the real cause.
 */

/** One error as pasted: its text and the parts of its exception chain, outermost first. */
export interface ErrorSegment {
  /** The segment's text (already cleaned), for excerpts. */
  text: string;
  /** Exception-chain levels, outermost first; a single level when there is no chain. */
  levels: string[];
  /** Scanner event ids named in the segment (`Event ID 3003`, `<EventID>3004</EventID>`). */
  eventIds: number[];
}

const logPrefix =
  /^\s*(?:\[?\d{4}-\d{2}-\d{2}|\[?\d{1,2}\/\d{1,2}\/\d{2,4}|\[?\d{1,2}:\d{2}:\d{2}|\[?(?:ERROR|WARN|WARNING|INFO|DEBUG|TRACE|FATAL|CRITICAL)\b|(?:Error|Warning|Information|Critical)\s*[:\]]|Event\s*ID\b|EventID\b|Log Name:|Source:|Level:|Description:|<Event[\s>])/;
const exceptionStart = /^\s*(?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Exception|Error)\b\s*:/;
const continuationStart = /^\s*(?:--->|-->|at\s|in\s|\.\.\.|…|---\s*End of inner exception)/;
const openEnd = /(?:--->|-->|[:,;(\-–]|\b(?:the|a|an|to|of|for|and|or|with|by|on|in|at|from|is|was))\s*$/i;

/** Chain separators: .NET's ` ---> ` and the "Inner exception:" style some loggers use. */
const chainSeparator = /\s*(?:--->|-->|\binner\s*exception\s*:)\s*/i;

const eventIdPattern =
  /\b(?:event\s*id|eventid|event)\s*(?:[:#=]|is)?\s*[">]?\s*(\d{4})\b|<EventID[^>]*>\s*(\d{4})\s*<\/EventID>/gi;

/** Is `line` the start of a new error rather than the continuation of the previous line? */
function startsRecord(line: string, previous: string | undefined): boolean {
  if (previous === undefined) return true;
  if (continuationStart.test(line)) return false;
  if (logPrefix.test(line)) return true;
  if (openEnd.test(previous)) return false;
  if (exceptionStart.test(line)) return true;
  // Re-wrapped text carries on in lower case; a capital after a finished line starts a new message.
  return /^\s*[^a-z\s]/.test(line);
}

/** Event ids named in a text, in order of appearance. */
export function eventIdsIn(text: string): number[] {
  const ids: number[] = [];
  for (const m of text.matchAll(eventIdPattern)) {
    const id = Number(m[1] ?? m[2]);
    if (Number.isInteger(id)) ids.push(id);
  }
  return ids;
}

/** Splits cleaned text into error segments, at most `maxSegments` (the rest are counted, not returned). */
export function splitSegments(text: string, maxSegments: number): { segments: ErrorSegment[]; skipped: number } {
  const records: string[][] = [];
  let current: string[] | undefined;
  let previous: string | undefined;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trimEnd();
    if (line.trim() === "") {
      current = undefined;
      previous = undefined;
      continue;
    }
    if (!current || startsRecord(line, previous)) {
      current = [];
      records.push(current);
    }
    current.push(line.trim());
    previous = line;
  }
  const segments: ErrorSegment[] = [];
  let skipped = 0;
  for (const record of records) {
    const joined = record.join(" ");
    // Letters of any script: a Chinese or Japanese message has no ASCII letter at all.
    if (!/[\p{L}\p{N}]/u.test(joined)) continue;
    if (segments.length >= maxSegments) {
      skipped++;
      continue;
    }
    const levels = joined.split(chainSeparator).filter((level) => /\p{L}/u.test(level));
    segments.push({
      text: joined,
      levels: levels.length > 0 ? levels : [joined],
      eventIds: eventIdsIn(joined),
    });
  }
  return { segments, skipped };
}
