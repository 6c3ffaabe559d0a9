import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommandLine } from "../../src/routing/commandLine.js";

/**
 * People address the bot the way they address a colleague: `scanner: status`,
 * `@scanner, errors scan-01 5`. The prefix may carry a colon or a comma.
 */
describe("command prefix with punctuation", () => {
  it("strips `scanner:` / `@scanner,` and reads the command after it", () => {
    const word = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/);
    fc.assert(
      fc.property(
        word,
        fc.array(word, { maxLength: 4 }),
        fc.constantFrom("scanner: ", "@scanner: ", "scanner, ", "@scanner-bot: ", "/scanner: "),
        (name, args, prefix) => {
          const parsed = parseCommandLine(`${prefix}${name} ${args.join(" ")}`);
          expect(parsed.name).toBe(name);
          expect(parsed.positionals).toEqual(args);
        },
      ),
      { numRuns: 300 },
    );
  });
});
