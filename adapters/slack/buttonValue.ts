import { createHmac, timingSafeEqual } from "node:crypto";
import { type CommandLine, parseCommandLine } from "../../src/routing/commandLine.js";

/**
 * A button's value carries the command line it runs. Values come back from
 * Slack in the click payload, so they are signed with a key only the bot knows
 * and re-checked on the way in: a forged or edited value runs nothing.
 */
export interface ButtonValueCodec {
  /** Signs a command line into a button value (`v1.<mac>.<command>`). */
  encode(command: string): string;
  /** The command line, parsed, when the value is authentic and well formed; otherwise undefined. */
  decode(value: unknown): { line: string; parsed: CommandLine } | undefined;
}

const version = "v1";
const macLength = 32;
/** Slack's own cap on a button value. */
const maxValueLength = 2000;

/** Builds the codec from a secret the bot already holds (the bot token), so values survive restarts. */
export function createButtonValueCodec(secret: string): ButtonValueCodec {
  const key = createHmac("sha256", secret).update("scanner-bot button values").digest();
  const mac = (command: string) => createHmac("sha256", key).update(command, "utf8").digest("hex").slice(0, macLength);

  return {
    encode: (command) => `${version}.${mac(command)}.${command}`,
    decode(value) {
      if (typeof value !== "string" || value.length > maxValueLength) return undefined;
      const match = /^v1\.([0-9a-f]{32})\.([\s\S]+)$/.exec(value);
      const [, given = "", line = ""] = match ?? [];
      if (!match || /\p{Cc}/u.test(line.replace(/[\n\t]/g, ""))) return undefined;
      const expected = Buffer.from(mac(line), "utf8");
      if (!timingSafeEqual(expected, Buffer.from(given, "utf8"))) return undefined;
      const parsed = parseCommandLine(line);
      return parsed.name ? { line, parsed } : undefined;
    },
  };
}
