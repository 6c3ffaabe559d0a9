import { randomUUID } from "node:crypto";
import { closest, distance } from "fastest-levenshtein";
import type { z } from "zod";
import { createAccessPolicy } from "../access/accessPolicy.js";
import type { AuditEntry } from "../access/audit.js";
import type { Caller } from "../access/caller.js";
import { BotError, toBotError } from "../foundation/botError.js";
import type { Logger } from "../foundation/logger.js";
import { redactText } from "../foundation/redaction.js";
import { errorReply } from "../reply/errorReply.js";
import type { Reply } from "../reply/reply.js";
import type { AnyCommand, CommandContext } from "./command.js";
import { type CommandLine, parseCommandLine, stripPrefix } from "./commandLine.js";
import type { Services } from "./services.js";
import { createYieldingLane, type YieldingLane } from "./yieldingLane.js";

/** What the router made of one line: an optional quick first answer and the full one. */
export interface Dispatch {
  /** The command that runs, when one was recognised. */
  commandName?: string;
  /** Shown while `result` works (long-running commands only); each adapter decides when. */
  placeholder?: Reply;
  /** The full answer. Never rejects: failures arrive as error replies. */
  result: Promise<Reply>;
}

export interface DispatchOptions {
  signal?: AbortSignal;
  /**
   * Mentions, DMs and pasted messages: when the first word is no command,
   * treat the whole text as something to explain instead of suggesting a command.
   */
  fallbackToExplain?: boolean;
}

export interface Router {
  readonly commands: readonly AnyCommand[];
  readonly services: Services;
  /** Finds a command by name or alias. */
  find(name: string): AnyCommand | undefined;
  /** Parses, validates and runs one command line. Never throws. */
  dispatch(line: string, caller: Caller, options?: DispatchOptions): Dispatch;
}

/** Limit on what one command line may carry; longer input is cut before parsing. */
export const maxCommandLineLength = 1_000_000;

/**
 * What the audit log keeps of a text (the command line, the reason of a refusal or failure, which may
 * quote the line or an agent): secrets redacted, capped so a pasted 1 MB trace doesn't fill the log.
 */
function audited(text: string, max: number): string {
  const redacted = redactText(text.length > 4 * max ? text.slice(0, 4 * max) : text);
  return redacted.length > max ? `${redacted.slice(0, max)}…` : redacted;
}

/** Formats zod issues as short sentences a chat user can act on. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
      return `${path}${issue.message}`;
    })
    .join("; ");
}

/** Builds the command router over a registry of commands. */
export function createRouter(
  commands: readonly AnyCommand[],
  base: Omit<Services, "commands" | "lane"> & { lane?: YieldingLane },
  logger: Logger,
): Router {
  const byName = new Map<string, AnyCommand>();
  for (const command of commands) {
    for (const name of [command.name, ...(command.aliases ?? [])]) {
      if (byName.has(name)) throw new Error(`duplicate command name: ${name}`);
      byName.set(name, command);
    }
  }
  const services: Services = { ...base, commands, lane: base.lane ?? createYieldingLane() };
  const names = [...byName.keys()];
  const access = services.access ?? createAccessPolicy(undefined);

  /** Records one audit entry; the audit sink's failures never reach the user. */
  function audit(
    caller: Caller,
    command: string,
    line: string,
    outcome: AuditEntry["outcome"],
    startedAt: number,
    detail?: string,
  ): void {
    if (!services.audit) return;
    const entry: AuditEntry = {
      at: services.now().toISOString(),
      platform: caller.platform,
      userId: caller.userId,
      ...(caller.userName ? { userName: caller.userName } : {}),
      ...(caller.conversationId ? { conversationId: caller.conversationId } : {}),
      command,
      line: audited(line, 500),
      outcome,
      ...(detail ? { detail: audited(detail, 300) } : {}),
      durationMs: Math.max(0, Date.now() - startedAt),
    };
    services.audit.record(entry).catch((err: unknown) => logger.warn({ err }, "audit record failed"));
  }

  /**
   * One word of letters only ("yes", "thanks"): a reply meant for a person, not an error to explain. An exception
   * name, an AADSTS or hex code or a dotted type name has capitals inside, digits or dots, and is explained.
   */
  function isEverydayWord(text: string): boolean {
    return /^[A-Za-z][a-z]{0,29}[.!?]?$/.test(stripPrefix(text).trim());
  }

  function find(name: string): AnyCommand | undefined {
    return byName.get(name.toLowerCase());
  }

  function unknownCommand(line: CommandLine): Reply {
    const suggestion = line.name ? closest(line.name, names) : undefined;
    // One slip anywhere, or a little more when the first letter is right: `bogus` is not a typo of `logs`.
    const gap = suggestion ? distance(line.name, suggestion) : Number.POSITIVE_INFINITY;
    const near =
      suggestion &&
      (gap <= 1 || (gap <= Math.max(2, Math.floor(line.name.length / 3)) && suggestion[0] === line.name[0]));
    const target = near && suggestion ? find(suggestion) : undefined;
    const message = line.name
      ? `I don't know the command \`${line.name.slice(0, 40)}\`.`
      : "Type a command, for example `status` or `explain <error text>`.";
    const hint = target
      ? `Did you mean \`${target.usage}\`? ${target.summary}`
      : `Commands: ${commands.map((c) => c.name).join(", ")}. Try \`help\`.${
          find("explain") ? " To have an error explained, paste the error message or stack trace." : ""
        }`;
    return errorReply(new BotError("unknown_command", message), hint);
  }

  /**
   * Runs a command once the caller's groups are known. Usually they are at once (no groups configured for the
   * platform, or a cached answer); when the platform must be asked, the command waits for that answer and shows
   * no placeholder, since its access check cannot be made before.
   */
  function run(command: AnyCommand, line: CommandLine, caller: Caller, signal: AbortSignal, text: string): Dispatch {
    const resolved = services.groups ? services.groups.resolve(caller) : caller;
    if (!(resolved instanceof Promise)) return runAs(command, line, resolved, signal, text);
    return { commandName: command.name, result: resolved.then((c) => runAs(command, line, c, signal, text).result) };
  }

  function runAs(command: AnyCommand, line: CommandLine, caller: Caller, signal: AbortSignal, text: string): Dispatch {
    const startedAt = Date.now();
    const decision = access.decide(caller, command.access ?? "viewer", command.name);
    if (!decision.allowed) {
      audit(caller, command.name, text, "denied", startedAt, decision.reason);
      return {
        commandName: command.name,
        result: Promise.resolve(errorReply(new BotError("forbidden", decision.reason), decision.grantedBy)),
      };
    }
    const parsed = command.args.safeParse(command.input(line));
    if (!parsed.success) {
      const error = new BotError(
        "bad_arguments",
        `That doesn't fit \`${command.name}\`: ${describeIssues(parsed.error)}.`,
      );
      audit(caller, command.name, text, "rejected", startedAt, error.userMessage);
      return {
        commandName: command.name,
        result: Promise.resolve(errorReply(error, `Usage: \`${command.usage}\`. See \`help ${command.name}\`.`)),
      };
    }
    const ctx: CommandContext = { services, caller, signal };
    let placeholder: Reply | undefined;
    try {
      placeholder = command.placeholder?.(parsed.data, ctx);
    } catch (err) {
      logger.warn({ err, command: command.name }, "placeholder failed");
    }
    const result = (async () => {
      // A command with a placeholder is a slow one: its caller acknowledges first (on Slack the ack
      // is due within 3 s), so the work waits for a quiet turn of the event loop instead of running
      // ahead of this ack and of the acks of requests already waiting.
      if (placeholder) await services.lane.turn();
      try {
        const answer = await command.run(parsed.data, ctx);
        audit(
          caller,
          command.name,
          text,
          answer.failure ? "failed" : "ok",
          startedAt,
          answer.failure ? answer.text : undefined,
        );
        return answer;
      } catch (err) {
        const botError = toBotError(err);
        audit(
          caller,
          command.name,
          text,
          botError.code === "forbidden" ? "denied" : "failed",
          startedAt,
          botError.userMessage,
        );
        if (botError.code === "internal") {
          const ref = randomUUID().slice(0, 8);
          logger.error({ err, command: command.name, ref }, "command failed");
          return errorReply(
            new BotError("internal", `\`${command.name}\` failed on the bot's side (reference ${ref}).`),
            "The details are in the bot's log under that reference.",
          );
        }
        return errorReply(botError);
      }
    })();
    return { commandName: command.name, ...(placeholder ? { placeholder } : {}), result };
  }

  function dispatch(rawLine: string, caller: Caller, options: DispatchOptions = {}): Dispatch {
    const signal = options.signal ?? new AbortController().signal;
    try {
      const text = typeof rawLine === "string" ? rawLine.slice(0, maxCommandLineLength) : "";
      const line = parseCommandLine(text);
      const command = find(line.name);
      if (command) return run(command, line, caller, signal, text);
      const explain = find("explain");
      const looksLikeTypo =
        line.name.length > 0 && line.positionals.length <= 2 && names.some((n) => distance(line.name, n) <= 2);
      if (options.fallbackToExplain && explain && line.name && !looksLikeTypo && !isEverydayWord(text)) {
        const explainLine = { ...line, name: "explain", positionals: [], rest: stripPrefix(text) };
        return run(explain, explainLine, caller, signal, text);
      }
      audit(caller, line.name || "(empty)", text, "rejected", Date.now(), "unknown command");
      return { result: Promise.resolve(unknownCommand(line)) };
    } catch (err) {
      logger.error({ err }, "dispatch failed");
      return { result: Promise.resolve(errorReply(toBotError(err))) };
    }
  }

  return { commands, services, find, dispatch };
}
