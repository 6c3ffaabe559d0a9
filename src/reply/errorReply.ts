import type { BotError } from "../foundation/botError.js";
import { type Reply, reply } from "./reply.js";

/** Renders an expected failure as a private reply the user can act on. */
export function errorReply(error: BotError, hint?: string): Reply {
  const builder = reply(error.userMessage, { visibility: "private", status: "error" }).status(
    "error",
    error.userMessage,
  );
  if (hint) builder.text(hint);
  return { ...builder.build(), failure: error.code };
}
