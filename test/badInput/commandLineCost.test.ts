import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Router } from "../../src/routing/router.js";
import { cpuMillis } from "../support/cpuTime.js";
import { admin, startRouterUnderTest } from "./routerUnderTest.js";

/**
 * What a 1 MB chat message costs before any command runs: the synchronous part of `dispatch` (prefix,
 * command word, words and flags, access, argument validation). Wall time moves with the machine's load,
 * so each shape is compared with a reference pass over the same text measured right beside it (one read
 * of every character): a parser that splits the whole message into words or builds long words a
 * character at a time costs dozens of such passes; one that reads only what a command can use costs a
 * few. Both are CPU time, so a busy neighbour process does not tilt the comparison. The absolute goal (no more than `explain` of the same text) is in `npm run bench:parse`.
 */

const size = 1024 * 1024;
const fill = (unit: string, head: string) => head + unit.repeat(Math.floor((size - head.length) / unit.length));

const shapes: Record<string, string> = {
  "one long word": fill("a", "status "),
  "a long first word": fill("a", ""),
  "many short words": fill("ab ", "status "),
  "many flags": fill("--count 5 ", "errors scan-01 "),
  "quotes that open and close": fill('"a', "status "),
  "an unclosed quote": fill("a b ", 'status "'),
  "line breaks": fill("a\r\n", "status "),
  "a pasted stack trace": fill("   at Microsoft.InformationProtection.Scanner.Run()\r\n", "explain "),
};

/** One read of every character: the yardstick a linear parser is measured against. */
function referencePass(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum = (sum + text.charCodeAt(i)) | 0;
  return sum;
}

/** The fastest of several runs: the least disturbed by other processes. */
function fastest(runs: number, work: () => void): number {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const started = cpuMillis();
    work();
    best = Math.min(best, cpuMillis() - started);
  }
  return best;
}

describe("a 1 MB chat message before any command runs", () => {
  let router: Router;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const started = await startRouterUnderTest();
    router = started.router;
    close = started.close;
  });
  afterAll(() => close());

  for (const [shape, text] of Object.entries(shapes)) {
    it(`${shape}: costs a few reads of the text, not dozens`, async () => {
      const pending: Promise<unknown>[] = [];
      // Warm both up so the JIT has compiled them before they are timed.
      for (let i = 0; i < 3; i++) {
        referencePass(text);
        pending.push(router.dispatch(text, admin).result);
      }
      let parse = Number.POSITIVE_INFINITY;
      let reference = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 5; round++) {
        reference = Math.min(
          reference,
          fastest(1, () => referencePass(text)),
        );
        parse = Math.min(
          parse,
          fastest(1, () => {
            pending.push(router.dispatch(text, admin).result);
          }),
        );
      }
      await Promise.all(pending);
      // Before the fix: 24 to 165 reference passes.
      expect(parse / Math.max(reference, 0.05)).toBeLessThan(20);
    }, 60_000);
  }
});
