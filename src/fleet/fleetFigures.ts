import { formatDuration } from "../foundation/duration.js";
import type { TableRow } from "../reply/reply.js";

/** How scanner numbers read in chat: sizes in human units, counts with separators, ages relative to now. */

const units = ["B", "KB", "MB", "GB", "TB", "PB"];

/** `78478187` → `74.8 MB` (binary multiples, as Windows Explorer shows them). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "unknown";
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} B` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `12345` → `12,345`. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString("en-US");
}

/** `4m ago`, `just now`; future times (clock skew) read as `just now`. */
export function formatAge(at: Date, now: Date): string {
  const ms = now.getTime() - at.getTime();
  if (ms < 5_000) return "just now";
  return `${formatDuration(ms)} ago`;
}

/** `2026-11-25 02:45 UTC`: unambiguous across the teams reading it. */
export function formatUtc(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** `15:26 UTC` on the same UTC day as `now`, else `2026-11-24 15:26 UTC`; unparseable text comes back as it is. */
export function formatMoment(at: Date | string, now: Date): string {
  const date = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  const sameDay = date.toISOString().slice(0, 10) === now.toISOString().slice(0, 10);
  return sameDay ? `${date.toISOString().slice(11, 16)} UTC` : formatUtc(date);
}

/** `15:26 UTC (45s ago)`: when something happened, the way `status` says it. */
export function formatWhen(at: Date | string, now: Date): string {
  const date = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) return String(at);
  return `${formatMoment(date, now)} (${formatAge(date, now)})`;
}

/** The scanner's `hh:mm:ss` (or `d.hh:mm:ss`) elapsed time as people say it: `00:15:48` → `15m`. */
export function formatElapsed(text: string): string {
  const match = /^(?:(\d+)\.)?(\d+):(\d\d):(\d\d)(?:\.\d+)?$/.exec(text.trim());
  if (!match) return text;
  const [, days = "0", hours = "0", minutes = "0", seconds = "0"] = match;
  const ms = (((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
  return formatDuration(ms);
}

/** Rows a per-node table shows; bigger fleets show their problem nodes first and count the rest. */
export const maxTableRows = 50;

/** Keeps every row when they fit; otherwise error and warn rows first (in order), then the rest, cut at `max`. */
export function problemRowsFirst(rows: TableRow[], max = maxTableRows): TableRow[] {
  if (rows.length <= max) return rows;
  const troubled = rows.filter((r) => r.status === "error" || r.status === "warn");
  const fine = rows.filter((r) => r.status !== "error" && r.status !== "warn");
  return [...troubled, ...fine].slice(0, max);
}
