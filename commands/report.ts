import { z } from "zod";
import { requireFleet, resolveTarget, targetNodes, targetSize } from "../src/fleet/fleetTarget.js";
import { reply } from "../src/reply/reply.js";
import { defineCommand } from "../src/routing/command.js";
import { type CommandLine, tokenize } from "../src/routing/commandLine.js";
import { unknownOptionSchema } from "../src/routing/unknownOption.js";
import { reportReply } from "../src/scanReports/reportDigestReply.js";
import { type ReportCycle, reportCycleSchema } from "../src/wire/agentApi.js";

/** Flags that take a word as their value (the shared parser only takes numbers after a bare flag). */
const valueFlags = ["repository", "cycle"] as const;

/** `--repository Finance` as well as `--repository=Finance`; the value word is not a positional. */
function reportInput(line: CommandLine): Record<string, unknown> {
  const tokens = tokenize(line.rest);
  const values: Record<string, string | boolean | undefined> = {};
  const positionals: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    const flag = /^--([a-z][a-z-]*)(?:=([\s\S]*))?$/i.exec(token);
    if (!flag) {
      positionals.push(token);
      continue;
    }
    const key = (flag[1] ?? "").toLowerCase();
    const next = tokens[i + 1];
    if (flag[2] !== undefined) values[key] = flag[2];
    else if ((valueFlags as readonly string[]).includes(key) && next !== undefined && !next.startsWith("--")) {
      values[key] = next;
      i++;
    } else values[key] = true;
  }
  const unknown = Object.keys(values).filter((k) => !(valueFlags as readonly string[]).includes(k));
  return {
    target: positionals[0],
    extra: positionals[1],
    repository: values.repository,
    cycle: typeof values.cycle === "string" ? values.cycle.toLowerCase() : values.cycle,
    option: unknown[0],
  };
}

/** `report [cluster|node] [--repository X] [--cycle last|previous]`: what a scan cycle found, merged across nodes. */
export const reportCommand = defineCommand({
  name: "report",
  aliases: ["reports"],
  summary: "What the last scan cycle found, per repository: labels applied, sensitive types, failures, skips.",
  usage: "report [cluster|node] [--repository X] [--cycle last|previous]",
  help:
    "Reads each node's newest Summary and DetailedReport (or, with `--cycle previous`, the cycle before it from its zip) " +
    "on the node itself and merges them across the cluster: files scanned, classified, labeled, protected, failed and " +
    "skipped per repository; labels applied (current → applied); the most found sensitive information types; failures " +
    "grouped by status and comment with a few example file names; skip reasons; DLP rule hits when the scanner has DLP " +
    "enabled. `--repository` keeps the repositories whose path contains the text. Only counts and names leave the " +
    "nodes, never file contents or matched strings.",
  examples: ["report", "report contoso-prod", "report scan-02 --cycle previous", "report --repository Finance"],
  args: z
    .object({
      target: z.string().max(63).optional(),
      extra: z.undefined({ error: "give at most one node or cluster; put a repository after --repository" }).optional(),
      repository: z
        .string({ error: "--repository needs a value, e.g. --repository Finance" })
        .min(1, "--repository needs a value, e.g. --repository Finance")
        .max(200, "--repository is at most 200 characters")
        .optional(),
      cycle: z
        .enum(reportCycleSchema.options, { error: "--cycle is `last` or `previous`" })
        .default("last" satisfies ReportCycle),
      option: unknownOptionSchema("report", valueFlags),
    })
    .transform(({ target, repository, cycle }) => ({ target, repository, cycle })),
  input: reportInput,
  placeholder: ({ target }, { services }) => {
    const count = targetSize(services.fleet, target);
    if (count === undefined) return undefined;
    return reply(`Reading the scan reports of ${count} node${count === 1 ? "" : "s"}…`, {
      visibility: "private",
    }).build();
  },
  run: async ({ target, repository, cycle }, { services, signal }) => {
    const fleet = requireFleet(services);
    const resolved = resolveTarget(fleet, target);
    const nodes = targetNodes(resolved);
    const outcomes = await Promise.all(nodes.map((n) => fleet.report(n.name, cycle, { signal })));
    return reportReply(resolved.label, outcomes, {
      cycle,
      now: services.now(),
      ...(repository ? { repository } : {}),
    });
  },
});
