import { z } from "zod";

/**
 * The schema of a command's first `--flag` it does not take: a typo such as `--no-cards` is refused
 * by name, with the options the command does take, instead of being quietly ignored.
 */
export function unknownOptionSchema(command: string, known: readonly string[]) {
  const takes = known.map((k) => `--${k}`).join(" and ");
  return z
    .undefined({ error: (issue) => `--${String(issue.input)} is not an option of ${command}; it takes ${takes}` })
    .optional();
}
