import type { NamedCount } from "../../src/wire/agentApi.js";
import { ReportDecoder, sniffEncoding } from "./reportEncoding.js";

/**
 * Reads the counts of a scan cycle's Summary report: lines of a name and a
 * whole number (`Scanned Files: 1,234`). The lines under "Skipped due to"
 * are its reasons and keep that prefix. Other lines are ignored, so a
 * version that adds or renames fields costs nothing but those fields.
 */

/** A Summary report larger than this is not a Summary report; only its start is read. */
export const maxSummaryBytes = 256 * 1024;
const maxCounts = 40;

/** The counts of a Summary report's text. */
export function parseSummary(text: string): NamedCount[] {
  const counts: NamedCount[] = [];
  let section = "";
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "") continue;
    const heading = /^(skipped due to)\s*:?\s*$/i.exec(line);
    if (heading) {
      section = "Skipped: ";
      continue;
    }
    const pair = /^(.{1,80}?)\s*[:=\t]\s*([\d][\d,. \u00a0']*)$/.exec(line);
    if (!pair?.[1] || !pair[2]) continue;
    const value = Number(pair[2].replace(/[,. \u00a0']/g, ""));
    if (!Number.isSafeInteger(value)) continue;
    // An indented line continues the "Skipped due to" list; an unindented one ends it.
    if (section && !/^\s/.test(raw) && !/^[-*•]/.test(line)) section = "";
    const name = `${section}${pair[1].replace(/^[-*•]\s*/, "")}`;
    if (counts.length < maxCounts) counts.push({ name, count: value });
  }
  return counts;
}

/** Decodes a Summary report's bytes (UTF-8 or UTF-16 LE, with or without a byte order mark). */
export function decodeSummary(bytes: Buffer): string | undefined {
  const verdict = sniffEncoding(bytes.subarray(0, 512));
  if (!verdict.ok) return undefined;
  const decoder = new ReportDecoder(verdict.encoding);
  return decoder.write(bytes.subarray(verdict.bomBytes, maxSummaryBytes)) + decoder.end();
}
