import { open, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type AdmZip from "adm-zip";
import type { LogEntry } from "../../src/wire/agentApi.js";

/**
 * Reads the newest error entries from MSIPScanner.iplog and its rolled copies
 * (the scanner zips older logs). The .iplog line format is not documented, so
 * the parser is tolerant: a line that starts with a date and time opens an
 * entry, every other line (stack frames, `--->` chains) continues it.
 */

/** Only the end of a huge active log is read; errors of interest are recent. */
const maxTailBytes = 8 * 1024 * 1024;
/** A rolled log larger than this inside a zip is skipped (a zip bomb must not exhaust memory). */
const maxZipEntryBytes = 64 * 1024 * 1024;

const entryStart =
  /^\s*(\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?|\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?(?: ?[AP]M)?)/i;
const levelWord =
  /^[\s|,;:[\]-]*(trace|debug|verbose|info|information|warn|warning|error|fatal|critical)\b[\s|,;:\]-]*/i;

/** A timestamp as the log prints it → ISO; the log carries no zone, so it is read as UTC. */
function logTime(text: string): string | null {
  let normalised = text.trim().replace(",", ".");
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2})(\.\d+)?(?: ?([AP]M))?$/i.exec(normalised);
  if (us) {
    const [, mo, d, y, h, mi, s, frac, ampm] = us;
    let hour = Number(h);
    if (ampm?.toUpperCase() === "PM" && hour < 12) hour += 12;
    if (ampm?.toUpperCase() === "AM" && hour === 12) hour = 0;
    normalised = `${y}-${mo?.padStart(2, "0")}-${d?.padStart(2, "0")}T${String(hour).padStart(2, "0")}:${mi}:${s}${frac ?? ""}`;
  }
  normalised = normalised.replace(" ", "T").replace(/(\.\d{3})\d+/, "$1");
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(normalised);
  const ms = Date.parse(hasZone ? normalised : `${normalised}Z`);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** Error entries of one log text, oldest first. Entries without a level count as errors when they name an exception. */
export function parseIplog(text: string, origin: string): LogEntry[] {
  const entries: LogEntry[] = [];
  let current: { time: string | null; level: string; lines: string[] } | null = null;
  const flush = () => {
    if (!current) return;
    const message = current.lines.join("\n").trim();
    const isError =
      /^(error|fatal|critical)$/i.test(current.level) || (current.level === "" && /Exception\b/.test(message));
    if (isError && message) {
      entries.push({ time: current.time, source: "iplog", origin, level: current.level || "Error", message });
    }
    current = null;
  };
  for (const line of text.split(/\r?\n/)) {
    const start = entryStart.exec(line);
    if (start?.[1]) {
      flush();
      let rest = line.slice(start[0].length);
      const level = levelWord.exec(rest);
      if (level) rest = rest.slice(level[0].length);
      current = { time: logTime(start[1]), level: level?.[1] ?? "", lines: [rest.trim()] };
    } else if (current && line.trim()) {
      current.lines.push(line.trimEnd());
    }
  }
  flush();
  return entries;
}

async function readTail(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, maxTailBytes);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const text = buffer.toString("utf8");
    // A tail cut mid-entry would start with a stack frame: drop the partial first line.
    return size > length ? text.slice(text.indexOf("\n") + 1) : text;
  } finally {
    await handle.close();
  }
}

/** One readable log: a plain .iplog or an .iplog inside a zip. */
interface LogSource {
  origin: string;
  /** The active log is newer than every rolled copy, whatever the timestamps say (rolls are made from it). */
  active: boolean;
  modified: number;
  read: () => Promise<string>;
}

async function logSources(directory: string): Promise<LogSource[]> {
  const names = await readdir(directory);
  const sources: LogSource[] = [];
  for (const name of names) {
    const path = join(directory, name);
    if (/^msipscanner.*\.iplog$/i.test(name)) {
      const info = await stat(path);
      sources.push({ origin: path, active: true, modified: info.mtimeMs, read: () => readTail(path) });
    } else if (/\.zip$/i.test(name) && /msipscanner|iplog/i.test(name)) {
      const info = await stat(path);
      let zip: AdmZip;
      try {
        // Loaded on the first zipped log, not at start: most calls read only the live .iplog files.
        const { default: ZipReader } = await import("adm-zip");
        zip = new ZipReader(path);
      } catch {
        continue;
      }
      const inner = zip
        .getEntries()
        .filter(
          (e) => !e.isDirectory && /msipscanner.*\.iplog$/i.test(e.entryName) && e.header.size <= maxZipEntryBytes,
        );
      for (const entry of inner) {
        sources.push({
          origin: `${path}!${entry.entryName}`,
          active: false,
          modified: entry.header.time.getTime() || info.mtimeMs,
          read: async () => entry.getData().toString("utf8"),
        });
      }
    }
  }
  return sources.sort((a, b) => Number(b.active) - Number(a.active) || b.modified - a.modified);
}

/** The newest `count` error entries across the active and rolled logs, newest first. */
export async function readScannerErrors(
  directory: string,
  count: number,
): Promise<{ entries: LogEntry[]; sources: string[]; truncated: boolean }> {
  const entries: LogEntry[] = [];
  const sources: string[] = [];
  for (const source of await logSources(directory)) {
    if (entries.length > count) break;
    sources.push(source.origin);
    entries.push(...parseIplog(await source.read(), source.origin).reverse());
  }
  return { entries: entries.slice(0, count), sources, truncated: entries.length > count };
}
