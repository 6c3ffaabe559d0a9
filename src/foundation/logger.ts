import { type DestinationStream, type Logger, pino } from "pino";
import { redactDeep, redactText } from "./redaction.js";

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

/**
 * One finished log line with secrets redacted from every text in it: messages, fields, error messages
 * and stacks. Paths (above) catch settings objects by key; this catches what users typed and agents
 * sent wherever it ends up, e.g. quoted in an error. Redacting the decoded strings keeps the line JSON.
 */
export function redactLogLine(line: string): string {
  try {
    return `${JSON.stringify(redactDeep(JSON.parse(line) as unknown))}\n`;
  } catch {
    return redactText(line);
  }
}

/** Structured JSON logs on stderr (or `destination`), so stdout stays free for the console and `--json` output. */
export function createLogger(options: { level?: string; name?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      name: options.name ?? "scanner-bot",
      level: options.level ?? process.env.LOG_LEVEL ?? "info",
      redact: { paths: redactedLogPaths, censor: "[redacted]" },
      hooks: { streamWrite: redactLogLine },
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that writes nothing (tests, one-shot CLI calls). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}

export type { Logger };
