import { type Logger, pino } from "pino";

/** Paths that may carry secrets in anything we log; pino replaces their values. */
export const redactedLogPaths = [
  "secret",
  "*.secret",
  "token",
  "*.token",
  "password",
  "*.password",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-scanner-signature"]',
  "signingSecret",
  "*.signingSecret",
  "appPassword",
  "*.appPassword",
  "connectionString",
  "*.connectionString",
  "certificatePrivateKey",
  "*.certificatePrivateKey",
  "botToken",
  "*.botToken",
  "appToken",
  "*.appToken",
  "secrets",
  "*.secrets",
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
