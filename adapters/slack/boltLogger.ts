import { LogLevel, type Logger as SlackLogger } from "@slack/bolt";
import type { Logger } from "../../src/foundation/logger.js";

/** Bolt logs through our pino logger (same format, same redaction), tagged `component: slack`. */
export function boltLogger(logger: Logger): SlackLogger {
  const log = logger.child({ component: "slack" });
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === "string" ? p : String(p))).join(" ");
  let level = LogLevel.INFO;
  return {
    // Bolt logs several debug lines per request: format them only when they will be written.
    debug: (...parts: unknown[]) => {
      if (log.isLevelEnabled("debug")) log.debug(text(parts));
    },
    info: (...parts: unknown[]) => log.info(text(parts)),
    warn: (...parts: unknown[]) => log.warn(text(parts)),
    error: (...parts: unknown[]) => log.error(text(parts)),
    // The level is pino's to decide; Bolt only asks to remember its own setting.
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
