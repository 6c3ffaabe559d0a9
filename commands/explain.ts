import { z } from "zod";
import { defineCommand } from "../src/command.js";
import { explanationReply } from "../src/knowledge/explanationReply.js";
import { explainText } from "../src/knowledge/matcher.js";

/** `explain <text>`: matches pasted scanner errors against the knowledge base. */
export const explainCommand = defineCommand({
  name: "explain",
  aliases: ["why"],
  summary: "Explain a pasted scanner error: what it means and how to fix it.",
  usage: "explain <error text>",
  help: "Paste any scanner error after `explain`: a log line, a whole stack trace, a portal message or an event id (e.g. `Event ID 3004`). Each distinct error gets what it means, the fix step by step, commands to run next and the official source. When two known errors fit the same text I say so; when nothing fits I say that too, instead of guessing. Secrets in the paste (app secrets, passwords, tokens) are removed before anything is echoed, and you are told to rotate them.",
  examples: [
    "explain SchemaMismatchException",
    "explain Event ID 3003",
    "explain System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send.",
  ],
  // Empty text is allowed here on purpose: the reply says what to paste instead of a schema error.
  args: z.object({ text: z.string() }),
  input: (line) => ({ text: line.rest }),
  run: ({ text }) => explanationReply(explainText(text)),
});
