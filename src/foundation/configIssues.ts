/** How a config file's validation problems read: shared by the bot's and the node agent's config loaders. */
import type { z } from "zod";

/** Formats a path the way people read it in YAML: `clusters[0].nodes[1].url`. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out || "(top level)";
}

/** One `path: message` line per zod issue. */
export function describeConfigIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      return `${formatConfigPath(issue.path)}: unknown setting${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
    }
    // zod words a wrong type as "Invalid input: expected boolean, received string"; a switch reads plainer.
    if (issue.code === "invalid_type" && issue.expected === "boolean") {
      return `${formatConfigPath(issue.path)}: must be true or false`;
    }
    return `${formatConfigPath(issue.path)}: ${issue.message}`;
  });
}
