import { z } from "zod";

const unitMs = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const durationSyntax = /^(\d+(?:\.\d+)?(ms|s|m|h|d))+$/;

/** Parses `90s`, `30m`, `1h30m`, `2d`, `500ms` into milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (!durationSyntax.test(trimmed)) return undefined;
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)) {
    total += Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  }
  return Number.isFinite(total) && total > 0 ? Math.round(total) : undefined;
}

/** Formats milliseconds the way people say them: `45s`, `12m`, `3h 5m`, `2d 4h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "unknown";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 && m < 10 ? `${m}m ${s % 60}s` : `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h}h ${m % 60}m` : `${h}h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d}d ${h % 24}h` : `${d}d`;
}

/** Zod schema for a duration in config: a string like `30m` or a number of milliseconds. */
export const durationSchema = z.union([z.number().int().positive(), z.string()]).transform((value, ctx) => {
  if (typeof value === "number") return value;
  const ms = parseDuration(value);
  if (ms === undefined) {
    // "0s" is written like a duration but waits for nothing: say that, not that it is no duration at all.
    const zero = durationSyntax.test(value.trim().toLowerCase());
    const what = zero ? "a duration longer than zero" : "a duration";
    ctx.addIssue({ code: "custom", message: `"${value}" is not ${what} (use e.g. 90s, 30m, 1h30m, 2d)` });
    return z.NEVER;
  }
  return ms;
});
