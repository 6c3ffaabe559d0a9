import type { z } from "zod";
import type { Caller } from "../access/caller.js";
import type { Reply } from "../reply/reply.js";
import type { CommandHelp } from "./commandHelp.js";
import type { CommandLine } from "./commandLine.js";
import type { Services } from "./services.js";

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
export interface Command<Schema extends z.ZodType = z.ZodType> extends CommandHelp {
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
