import type { z } from "zod";
import type { RequiredRole } from "../access/role.js";
import type { Reply } from "../reply/reply.js";
import type { CommandLine } from "./commandLine.js";
import type { Services } from "./services.js";

/** Who asked, and where: enough for access checks, audit and replies. */
export interface Caller {
  platform: "shell" | "cli" | "slack" | "teams";
  userId: string;
  userName?: string;
  /** Channel / conversation the command came from, when there is one. */
  conversationId?: string;
  /** Group memberships the platform told us about (Slack user groups, AAD groups). */
  groups?: string[];
}

/** Everything a command handler may use. */
export interface CommandContext {
  services: Services;
  caller: Caller;
  /** Aborted when the adapter gives up on the command (shutdown, platform timeout). */
  signal: AbortSignal;
}

/**
 * A command is data plus a function: its name, how its words map onto a zod
 * schema, its help, and a handler that returns a platform-neutral reply.
 */
export interface Command<Schema extends z.ZodType = z.ZodType> {
  name: string;
  aliases?: readonly string[];
  /** One line for the `help` list. */
  summary: string;
  /** Syntax, e.g. `errors [node] [count]`. */
  usage: string;
  /** Longer help for `help <command>`. */
  help: string;
  examples?: readonly string[];
  /** Who may run it; `viewer` when not given. Checked by the router before anything runs. */
  access?: RequiredRole;
  /** Validates the object built by `input`; its issues become the user's error message. */
  args: Schema;
  /** Maps the parsed command line onto the object that `args` validates. */
  input: (line: CommandLine) => unknown;
  /**
   * For commands that may take longer than a chat platform's acknowledgement
   * deadline: a quick first answer ("checking 12 nodes…") shown while `run` works.
   */
  placeholder?: (args: z.output<Schema>, ctx: CommandContext) => Reply | undefined;
  run: (args: z.output<Schema>, ctx: CommandContext) => Promise<Reply> | Reply;
}

/** Declares a command; keeps the handler's argument type tied to its schema. */
export function defineCommand<Schema extends z.ZodType>(command: Command<Schema>): Command<Schema> {
  return command;
}

/** A command of any schema, as the router stores it. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds commands of different schemas
export type AnyCommand = Command<any>;
