/**
 * Errors as values: a stable code for programs and tests, a message that is safe
 * to show in a channel, and the underlying cause for logs.
 */
export const botErrorCodes = [
  "unknown_command",
  "bad_arguments",
  "not_found",
  "forbidden",
  "config_invalid",
  "agent_refused",
  "agent_timeout",
  "agent_unreachable",
  "agent_unauthorized",
  "agent_invalid_reply",
  "agent_error",
  "probe_failed",
  "platform_error",
  "store_error",
  "internal",
] as const;
export type BotErrorCode = (typeof botErrorCodes)[number];

export class BotError extends Error {
  override readonly name = "BotError";
  constructor(
    readonly code: BotErrorCode,
    /** Safe to post in a channel: no secrets, no stack traces. */
    readonly userMessage: string,
    options: { cause?: unknown } = {},
  ) {
    super(userMessage, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** The result of an operation that can fail in an expected way. */
export type Result<T, E = BotError> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** Wraps anything thrown into a BotError, keeping BotErrors as they are. */
export function toBotError(err: unknown, fallback = "Something went wrong on the bot's side."): BotError {
  if (err instanceof BotError) return err;
  return new BotError("internal", fallback, { cause: err });
}
