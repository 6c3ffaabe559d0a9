import { z } from "zod";
import {
  confirmFlag,
  confirmIdSchema,
  requestConfirmation,
  runConfirmed,
  targetNameSchema,
  unexpectedWordsSchema,
} from "../src/actions/guardedActionFlow.js";
import { defineCommand } from "../src/routing/command.js";

/** `logs export <node>`: zips the node's scanner logs on the node, for a support ticket. */
export const logsCommand = defineCommand({
  name: "logs",
  summary: "Export a node's scanner logs to a zip on the node (admins; asks to confirm).",
  usage: "logs export <node>",
  help:
    "Runs Export-AIPLogs (Export-DebugLogs) on the node: the %localappdata%\\Microsoft\\MSIP\\Logs folder of the scanner's " +
    "service account is zipped on the node, ready to attach to a support ticket. The reply says where the zip is.",
  examples: ["logs export scan-02"],
  access: "admin",
  args: z.object({
    verb: z.literal("export", { error: "the only logs action is `export`" }),
    node: targetNameSchema,
    confirm: confirmIdSchema,
    extra: unexpectedWordsSchema,
  }),
  input: (line) => ({
    verb: line.positionals[0]?.toLowerCase(),
    node: line.positionals[1],
    confirm: confirmFlag(line.flags),
    extra: line.positionals.slice(2),
  }),
  run: ({ node, confirm }, ctx) => {
    const request = {
      action: "export-logs" as const,
      target: node,
      commandLine: `logs export ${node}`,
      description: `export the scanner logs of ${node}`,
      consequence: "The logs are zipped on the node; scanning goes on.",
    };
    return confirm ? runConfirmed(request, confirm, ctx) : requestConfirmation(request, ctx);
  },
});
