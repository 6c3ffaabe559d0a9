import { z } from "zod";
import { explanationReply } from "../src/knowledge/explanationReply.js";
import { explainText } from "../src/knowledge/matcher.js";
import { defineCommand } from "../src/routing/command.js";
import { knownNode } from "../src/watch/watchCaller.js";

// `explain --node=scan-02 <text>`: the node the paste came from, so buttons can name it.
const leadingNodeFlag = /^\s*--node(?:=|\s+)(\S+)\s*/i;

/** `explain [--node=<node>] <text>`: matches pasted scanner errors against the knowledge base. */
export const explainCommand = defineCommand({
  name: "explain",
  aliases: ["why"],
  summary: "Explain a pasted scanner error: what it means and how to fix it.",
  usage: "explain [--node=<node>] <error text>",
  help: "Paste any scanner error after `explain`: a log line, a whole stack trace, a portal message or an event id (e.g. `Event ID 3004`). Each distinct error gets what it means, the fix step by step, commands to run next and the official source. When two known errors fit the same text I say so; when nothing fits I say that too, instead of guessing. Secrets in the paste (app secrets, passwords, tokens) are removed before anything is echoed, and you are told to rotate them. With `--node=<node>` the suggested commands name that node.",
  examples: [
    "explain SchemaMismatchException",
    "explain Event ID 3003",
    "explain --node=scan-02 System.Net.WebException: The underlying connection was closed: An unexpected error occurred on a send.",
  ],
  // Empty text is allowed here on purpose: the reply says what to paste instead of a schema error.
  args: z.object({
    text: z.string(),
    node: z
      .string()
      .regex(/^[A-Za-z0-9][\w.-]{0,62}$/, "a node name is letters, digits, dots, dashes and underscores")
      .optional(),
  }),
  input: (line) => {
    const flag = leadingNodeFlag.exec(line.rest);
    return flag ? { text: line.rest.slice(flag[0].length), node: flag[1] } : { text: line.rest };
  },
  // Suggested commands must name a node that exists (in its configured spelling), or they fail when clicked.
  run: ({ text, node }, { services }) =>
    explanationReply(explainText(text), node === undefined ? {} : { node: knownNode(services, node) }),
});
