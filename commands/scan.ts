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

/** `scan start|stop <cluster>`: starts or stops the cluster's scan after a confirming click. */
export const scanCommand = defineCommand({
  name: "scan",
  summary: "Start or stop a cluster's scan (admins; asks to confirm).",
  usage: "scan start|stop <cluster> [--reset]",
  help:
    "`scan start` runs Start-AIPScan (Start-Scan) through one of the cluster's nodes; `--reset` rescans every file. " +
    "It is ignored when the content scan job's schedule is Always. `scan stop` runs Stop-AIPScan (Stop-Scan): it " +
    "cancels the scan on every node and can take up to 5 minutes to reach them all; the next scan skips files already scanned.",
  examples: ["scan stop contoso-prod", "scan start contoso-prod --reset"],
  access: "admin",
  args: z.object({
    verb: z.enum(["start", "stop"], { error: "say `start` or `stop`" }),
    cluster: targetNameSchema,
    reset: z.boolean(),
    confirm: confirmIdSchema,
    extra: unexpectedWordsSchema,
  }),
  input: (line) => ({
    verb: line.positionals[0]?.toLowerCase(),
    cluster: line.positionals[1],
    reset: line.flags.reset === true,
    confirm: confirmFlag(line.flags),
    extra: line.positionals.slice(2),
  }),
  run: ({ verb, cluster, reset, confirm }, ctx) => {
    const resetWord = reset && verb === "start" ? " --reset" : "";
    const request = {
      action: verb === "start" ? ("start-scan" as const) : ("stop-scan" as const),
      target: cluster,
      commandLine: `scan ${verb} ${cluster}${resetWord}`,
      description: `${verb} the scan of ${cluster}${resetWord ? " (full rescan)" : ""}`,
      consequence:
        verb === "start"
          ? reset
            ? "Every file is scanned again, not only new and changed ones."
            : "New and changed files are scanned."
          : "Every node of the cluster stops scanning (this can take up to 5 minutes to reach them all).",
      reset: reset && verb === "start",
    };
    return confirm ? runConfirmed(request, confirm, ctx) : requestConfirmation(request, ctx);
  },
});
