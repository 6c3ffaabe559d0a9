import { type Logger, pino } from "pino";

/** Keys whose values are secrets wherever they appear in something we log. */
const secretKeys = [
  "secret",
  "secrets",
  "token",
  "password",
  "authorization",
  "signingSecret",
  "appPassword",
  "appSecret",
  "clientSecret",
  "connectionString",
  "certificatePrivateKey",
  "botToken",
  // An outbound proxy URL may carry user:password.
  "proxy",
  "appToken",
];

/**
 * Paths that may carry secrets in anything we log; pino replaces their values.
 * Redaction paths match fixed depths, so each key is listed at the depths code
 * logs settings at (the object itself, under a key, one level deeper), plus the
 * node lists of a whole config.
 */
export const redactedLogPaths = [
  ...secretKeys.flatMap((key) => [key, `*.${key}`, `*.*.${key}`]),
  'headers["x-scanner-signature"]',
  '*.headers["x-scanner-signature"]',
  "nodes[*].secret",
  "*.nodes[*].secret",
  "clusters[*].nodes[*].secret",
  "*.clusters[*].nodes[*].secret",
];

/** Structured JSON logs on stderr, so stdout stays free for the console and `--json` output. */
export function createLogger(options: { level?: string; name?: string } = {}): Logger {
  return pino(
    {
      name: options.name ?? "scanner-bot",
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      redact: { paths: redactedLogPaths, censor: "[redacted]" },
    },
    pino.destination(2),
  );
}

/** A logger that writes nothing (tests, one-shot CLI calls). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

export type { Logger };
