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

/** `restart <node>`: restarts the node's scanner service after a confirming click. */
export const restartCommand = defineCommand({
  name: "restart",
  summary: "Restart a node's scanner service (admins; asks to confirm).",
  usage: "restart <node>",
  help:
    "Restarts the scanner's Windows service on one node, the article's step for a scanner process that is stuck. " +
    "Stopping the service pauses the scan; it resumes from the same point when the service starts. " +
    "The action must be enabled in the bot's config (`actions.enabled`) and in the node agent's config.",
  examples: ["restart scan-02"],
  access: "admin",
  args: z.object({ node: targetNameSchema, confirm: confirmIdSchema, extra: unexpectedWordsSchema }),
  input: (line) => ({ node: line.positionals[0], confirm: confirmFlag(line.flags), extra: line.positionals.slice(1) }),
  run: ({ node, confirm }, ctx) => {
    const request = {
      action: "restart-service" as const,
      target: node,
      commandLine: `restart ${node}`,
      description: `restart the scanner service on ${node}`,
      consequence: "The node stops scanning while the service restarts and then resumes where it was.",
    };
    return confirm ? runConfirmed(request, confirm, ctx) : requestConfirmation(request, ctx);
  },
});
