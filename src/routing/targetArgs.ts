import { z } from "zod";
import type { CommandLine } from "./commandLine.js";

/**
 * `[cluster|node]`: one optional target. A second name is refused, not dropped: `status scan-01 scan-02`
 * answering for scan-01 alone reads as if scan-02 had been looked at too.
 */
export const targetArgsSchema = z
  .object({
    target: z.string().max(63).optional(),
    extra: z
      .undefined({
        error: (issue) =>
          `give one node or cluster (or none for all of them), not "${String(issue.input).slice(0, 63)}" as well`,
      })
      .optional(),
  })
  .transform(({ target }) => ({ target }));

/** The words of a `[cluster|node]` command, for `targetArgsSchema`. */
export function targetInput(line: CommandLine): { target: string | undefined; extra: string | undefined } {
  return { target: line.positionals[0], extra: line.positionals[1] };
}
